"""`verify`, `keygen`, `checkpoint`, `export` and `verify-bundle` through the real entry point, on both stores."""

from __future__ import annotations

import json
import shutil
import sqlite3
import stat
import uuid
from contextlib import closing
from pathlib import Path

import pytest

from regledger.adapters.cli.options import parse_until
from regledger.adapters.cli.progress import CountLines
from regledger.adapters.importers.timeline import read_timeline
from regledger.adapters.integrity.verify import chain_store
from regledger.adapters.wiring import open_ledger
from tests.conftest import EXAMPLE, drop_schema, listed
from tests.integration.integrity_kit import (
    Attacker,
    as_an_earlier_release_left_it,
    clone,
    copy_sqlite,
    events,
    find_event,
    record_unchained,
    schema_of,
)


@pytest.fixture
def fork_db(db: str, tmp_path: Path):
    """A second, empty store of the same kind as `db`."""
    schema = schema_of(db)
    if schema is None:
        yield str(tmp_path / "fork.db")
        return
    yield db.replace(schema, f"{schema}_fork")
    drop_schema(f"{schema}_fork")


@pytest.fixture
def key(run_cli, tmp_path: Path) -> Path:
    path = tmp_path / "keys" / "signer.pem"
    assert run_cli("keygen", "--key", str(path)).code == 0
    return path


def _ok(result) -> str:
    assert result.code == 0, result
    return result.out


def _failed(result) -> str:
    assert result.code == 1, result
    assert "Traceback" not in result.err
    return result.out + result.err


def _log(run_cli, db: str) -> list[dict]:
    return json.loads(_ok(run_cli("log", "--db", db, "--format", "json")))


def _parties(prefix: str, count: int) -> list[dict]:
    return [listed(f"{prefix}-{n}", name=f"Party {prefix} {n}", id=f"{prefix}-{n}") for n in range(count)]


def test_verify_passes_on_a_recorded_ledger(run_cli, db: str) -> None:
    _ok(run_cli("record", "--db", db, str(EXAMPLE)))

    out = _ok(run_cli("verify", "--db", db))

    assert f"{len(events(db))} events verified" in out
    assert "ok: every digest recomputed from the stored events matches the chain" in out


def test_verify_names_a_changed_action_its_citation_and_position(run_cli, db: str, tmp_path: Path) -> None:
    _ok(run_cli("record", "--db", db, str(EXAMPLE)))
    copy = db if schema_of(db) else copy_sqlite(db, tmp_path / "copy.db")
    position, event = find_event(copy, "84 FR 22961")
    attacker = Attacker(copy)
    attacker.change(event.notification_id, b"84 FR 22961", b"84 FR 22962")
    attacker.close()

    out = _failed(run_cli("verify", "--db", copy))

    assert f"FAILED: changed: position {position} in recording order" in out
    assert "el-2019-05-16-huawei" in out
    assert "[84 FR 22962]" in out
    assert "[84 FR 22961]" in out


def test_keygen_writes_a_private_key_only_its_owner_can_read_and_refuses_to_overwrite(run_cli, tmp_path: Path,
                                                                                   monkeypatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv("REGLEDGER_KEY", raising=False)
    private = tmp_path / "config" / "regledger" / "checkpoint-key.pem"

    out = _ok(run_cli("keygen"))
    again = run_cli("keygen")
    forced = run_cli("keygen", "--force")

    assert str(private) in out
    assert "fingerprint: sha256:" in out
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    assert private.with_suffix(".pub").read_text().startswith("-----BEGIN PUBLIC KEY-----")
    assert "already exists; use --force" in _failed(again)
    assert forced.code == 0
    assert stat.S_IMODE(private.stat().st_mode) == 0o600


def test_a_checkpoint_is_extended_by_later_records_and_refuted_by_a_fork(run_cli, write_timeline, db: str, *,
                                                                           fork_db: str, key: Path,
                                                                           tmp_path: Path) -> None:
    first, later = tmp_path / "first.json", tmp_path / "later.json"
    _ok(run_cli("record", "--db", db, str(write_timeline(_parties("a", 3)))))
    _ok(run_cli("checkpoint", "--db", db, "--key", str(key), "-o", str(first)))
    clone(db, fork_db, len(events(db)))  # a copy of the ledger as it stood, that goes its own way from here
    _ok(run_cli("record", "--db", db, str(write_timeline(_parties("b", 3)))))
    _ok(run_cli("record", "--db", fork_db, str(write_timeline(_parties("c", 4)))))
    _ok(run_cli("checkpoint", "--db", db, "--key", str(key), "-o", str(later)))

    extended = _ok(run_cli("verify", "--db", db, "--checkpoint", str(first)))
    fork_extends_first = _ok(run_cli("verify", "--db", fork_db, "--checkpoint", str(first)))
    forked = _failed(run_cli("verify", "--db", fork_db, "--checkpoint", str(later)))

    size = json.loads(first.read_text())["statement"]["ledger_size"]
    assert f"ok: extends the checkpoint of {size} events" in extended
    assert f"ok: extends the checkpoint of {size} events" in fork_extends_first
    assert "ok: every digest recomputed" in forked  # the fork is consistent in itself …
    assert "are not the checkpointed ones" in forked  # … but it is not the ledger that was checkpointed
    assert "another ledger (a fork)" in forked


def test_a_checkpoint_altered_or_signed_by_another_key_is_refused(run_cli, db: str, key: Path,
                                                                  tmp_path: Path) -> None:
    _ok(run_cli("record", "--db", db, str(EXAMPLE)))
    path, altered, other = tmp_path / "cp.json", tmp_path / "altered.json", tmp_path / "other.pem"
    _ok(run_cli("checkpoint", "--db", db, "--key", str(key), "-o", str(path)))
    _ok(run_cli("keygen", "--key", str(other)))
    body = json.loads(path.read_text())
    body["statement"]["ledger_size"] -= 1
    altered.write_text(json.dumps(body))

    tampered = _failed(run_cli("verify", "--db", db, "--checkpoint", str(altered)))
    stranger = _failed(run_cli("verify", "--db", db, "--checkpoint", str(path),
                               "--public-key", str(other.with_suffix(".pub"))))
    trusted = _ok(run_cli("verify", "--db", db, "--checkpoint", str(path),
                          "--public-key", str(key.with_suffix(".pub"))))

    assert "signature is not valid" in tampered
    assert "not by the trusted key" in stranger
    assert "ok: extends the checkpoint" in trusted


def _bundle_checkpoint(bundle: Path, target: Path) -> Path:
    with closing(sqlite3.connect(bundle)) as connection:
        target.write_text(connection.execute("SELECT checkpoint FROM regledger_checkpoints").fetchone()[0])
    return target


def _as_of(run_cli, db: str, day: str, *extra: str) -> dict:
    answer = json.loads(_ok(run_cli("as-of", day, "--db", db, "--format", "json", *extra)))
    answer.pop("known_at")
    return answer


def test_a_bundle_verifies_elsewhere_and_answers_as_the_ledger_did(run_cli, db: str, tmp_path: Path) -> None:
    _ok(run_cli("record", "--db", db, str(EXAMPLE)))
    out = _ok(run_cli("export", "--db", db, "--until", "2100-01-01", str(tmp_path / "upto.db")))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    bundle = Path(shutil.copy(tmp_path / "upto.db", elsewhere / "bundle.db"))

    verified = _ok(run_cli("verify-bundle", str(bundle)))

    assert f"exported {len(events(db))} events" in out
    assert "ok: every digest recomputed" in verified
    assert "ok: extends the checkpoint" in verified
    assert _log(run_cli, str(bundle)) == _log(run_cli, db)
    for day in ("2019-05-20", "2019-06-01", "2020-06-01"):
        assert _as_of(run_cli, str(bundle), day) == _as_of(run_cli, db, day)
    checkpoint = _bundle_checkpoint(bundle, tmp_path / "bundle-checkpoint.json")
    assert "ok: extends the checkpoint" in _ok(run_cli("verify", "--db", db, "--checkpoint", str(checkpoint)))


def test_a_bundle_until_a_moment_holds_what_was_recorded_by_then(run_cli, write_timeline, db: str,
                                                                 tmp_path: Path) -> None:
    _ok(run_cli("record", "--db", db, str(write_timeline(_parties("a", 2)))))
    until = _log(run_cli, db)[-1]["recorded_at"]
    _ok(run_cli("record", "--db", db, str(EXAMPLE)))
    bundle = tmp_path / "bundle.db"

    _ok(run_cli("export", "--db", db, "--until", until, str(bundle)))

    assert _ok(run_cli("verify-bundle", str(bundle)))
    assert [item["id"] for item in _log(run_cli, str(bundle))] == ["a-0", "a-1"]
    for day in ("2019-05-20", "2020-06-01"):
        assert _as_of(run_cli, str(bundle), day) == _as_of(run_cli, db, day, "--known-at", until)


def test_a_bundle_changed_after_export_fails_verification(run_cli, write_timeline, sqlite_db: str,
                                                          tmp_path: Path) -> None:
    _ok(run_cli("record", "--db", sqlite_db, str(EXAMPLE)))
    bundle, grown = tmp_path / "bundle.db", tmp_path / "grown.db"
    _ok(run_cli("export", "--db", sqlite_db, str(bundle)))
    shutil.copy(bundle, grown)
    _ok(run_cli("record", "--db", str(grown), str(write_timeline(_parties("x", 1)))))
    position, event = find_event(str(bundle), "84 FR 22961")
    attacker = Attacker(str(bundle))
    attacker.change(event.notification_id, b"84 FR 22961", b"84 FR 22962")
    attacker.close()

    changed = _failed(run_cli("verify-bundle", str(bundle)))
    appended = _failed(run_cli("verify-bundle", str(grown)))

    assert f"FAILED: changed: position {position}" in changed
    assert "it was changed after it was exported" in appended


def test_integrity_commands_refuse_bad_input_in_one_line(run_cli, sqlite_db: str, tmp_path: Path) -> None:
    _ok(run_cli("record", "--db", sqlite_db, str(EXAMPLE)))
    junk = tmp_path / "junk.db"
    junk.write_text("not a database")
    (tmp_path / "taken.db").write_text("")

    assert "no such key file" in _failed(run_cli("checkpoint", "--db", sqlite_db, "--key", str(tmp_path / "no.pem")))
    assert "not a regledger checkpoint" in _failed(run_cli("verify", "--db", sqlite_db, "--checkpoint", str(junk)))
    assert "not a regledger bundle" in _failed(run_cli("verify-bundle", str(junk)))
    assert "no such bundle file" in _failed(run_cli("verify-bundle", str(tmp_path / "none.db")))
    assert "--until" in _failed(run_cli("export", "--db", sqlite_db, "--until", "yesterday", str(tmp_path / "b.db")))
    assert "already exists" in _failed(run_cli("export", "--db", sqlite_db, str(tmp_path / "taken.db")))
    assert "keeps no chain" in _failed(run_cli("verify", "--db", "memory:"))


def test_long_passes_report_progress_on_standard_error(capsys) -> None:
    progress = CountLines("verify", 200, every=0)

    progress(50)

    assert capsys.readouterr().err == "verify: 50 of 200 events (25%)\n"


@pytest.mark.parametrize(("given", "meant"), [
    ("2019-05-21", "2019-05-21T23:59:59.999999+00:00"),
    ("2019-05-21T12:00:00Z", "2019-05-21T12:00:00+00:00"),
    ("2019-05-21T08:00:00-04:00", "2019-05-21T12:00:00+00:00"),
])
def test_until_is_a_moment_or_the_end_of_a_utc_day(given: str, meant: str) -> None:
    assert parse_until(given).isoformat() == meant


# -- rows regledger did not write, and repair-chain ------------------------------------------------------------------

def _plant(db: str, nid: int | None, like, **changes) -> None:
    attacker = Attacker(db)
    try:
        attacker.plant(nid, like, **changes)
    finally:
        attacker.close()


def test_a_row_at_notification_id_0_fails_verify_with_and_without_a_checkpoint(run_cli, db: str, key: Path,
                                                                              tmp_path: Path) -> None:
    checkpoint = tmp_path / "before.json"
    _ok(run_cli("record", "--db", db, str(EXAMPLE)))
    _ok(run_cli("checkpoint", "--db", db, "--key", str(key), "-o", str(checkpoint)))
    size = len(events(db))

    _plant(db, 0, events(db)[0], originator=uuid.uuid4())

    plain = _failed(run_cli("verify", "--db", db))
    checked = _failed(run_cli("verify", "--db", db, "--checkpoint", str(checkpoint)))
    assert "FAILED: foreign: position 1 in recording order (notification id 0): " in plain
    assert "a row the ledger did not write" in plain
    assert f"FAILED: checkpoint of {size} events" in checked
    assert "the first change is the divergence above, at position 1" in checked


def test_record_refuses_in_one_line_while_a_row_regledger_did_not_write_is_there(run_cli, db: str,
                                                                                write_timeline) -> None:
    _ok(run_cli("record", "--db", db, str(EXAMPLE)))
    _plant(db, 0, events(db)[0], originator=uuid.uuid4())
    before = _log(run_cli, db)

    refused = run_cli("record", "--db", db, str(write_timeline(_parties("z", 2))))

    assert refused.code == 1
    assert refused.out == ""
    assert refused.err.count("\n") == 1
    assert refused.err.startswith("regledger: error: the ledger holds 1 row(s) regledger did not write "
                                  "(notification id 0: ")
    assert refused.err.endswith("nothing of this run was stored: run `regledger verify`\n")
    assert _log(run_cli, db) == before


def _an_earlier_releases_crash(run_cli, db: str, write_timeline) -> tuple[int, int]:
    """The bundled case recorded, then a run of two actions stored and not chained, as a release that chained
    after storing left it when killed between the two; how many rows were chained (the bundled case's, each at the
    notification id of its position) and how many that run stored."""
    _ok(run_cli("record", "--db", db, str(EXAMPLE)))
    stored = events(db)
    assert [row.notification_id for row in stored] == list(range(1, len(stored) + 1))
    record_unchained(db, read_timeline(write_timeline(_parties("late", 2))))
    as_an_earlier_release_left_it(db)
    return len(stored), len(events(db)) - len(stored)


def test_repair_chain_lists_the_tail_a_crash_left_and_chains_it_with_yes(run_cli, db: str, write_timeline) -> None:
    head, tail = _an_earlier_releases_crash(run_cli, db, write_timeline)
    _failed(run_cli("record", "--db", db, str(write_timeline(_parties("next", 1)))))

    listed_only = _failed(run_cli("repair-chain", "--db", db))
    still = _failed(run_cli("verify", "--db", db))
    repaired = _ok(run_cli("repair-chain", "--db", db, "--yes"))

    assert f"the chain ends at position {head} (notification id {head}); {tail} row(s) of the events table are not " \
           "chained" in listed_only
    assert f"can be chained: {tail} row(s) of 1 record run(s)" in listed_only
    assert "never chained" not in listed_only
    assert f"run `regledger repair-chain --yes` to chain the {tail} row(s)" in listed_only
    assert f"unchained: position {head + 1}" in still
    assert f"chained {tail} row(s) at positions {head + 1}-{head + tail}" in repaired
    assert "ok: every digest recomputed" in _ok(run_cli("verify", "--db", db))
    with open_ledger(db) as ledger:
        labels = [row.label for row in chain_store(ledger).all_links()]
    assert all("[chained by repair-chain at " in label for label in labels[head:])
    assert len(labels[head:]) == tail
    assert not any("repair-chain" in label for label in labels[:head])
    assert {entry["id"] for entry in _log(run_cli, db)} >= {"late-0", "late-1"}
    assert "nothing to repair" in _ok(run_cli("repair-chain", "--db", db))
    _ok(run_cli("record", "--db", db, str(write_timeline(_parties("next", 1)))))


def test_repair_chain_never_chains_a_row_that_looks_forged(run_cli, db: str, write_timeline) -> None:
    head, tail = _an_earlier_releases_crash(run_cli, db, write_timeline)
    stored = events(db)
    late = stored[-tail]
    _plant(db, 0, late, originator=uuid.uuid4())  # out of range
    _plant(db, None, late, originator=uuid.uuid4(), state=b"not an event")  # in the tail, unreadable
    _plant(db, stored[-1].notification_id + 10, late, originator=uuid.uuid4())  # after a gap
    repaired = _failed(run_cli("repair-chain", "--db", db, "--yes"))
    after = events(db)[-1].notification_id + 1
    _plant(db, after, late, originator=uuid.uuid4())  # after this release began to chain runs as it stores them
    listed_after = _failed(run_cli("repair-chain", "--db", db))

    assert f"chained {tail} row(s) at positions {head + 1}-{head + tail}" in repaired
    assert "never chained: 3 row(s) regledger did not write:" in repaired
    assert "notification id 0: " in repaired
    assert "out of range: regledger numbers the rows it stores from 1" in repaired
    assert "cannot be read as one of regledger's events" in repaired
    assert "follows a row that cannot be chained" in repaired
    assert "can be chained" not in listed_after
    assert "never chained: 4 row(s)" in listed_after
    assert "since when every run is chained in the transaction that stores it" in listed_after
    assert "FAILED: foreign: position 1" in _failed(run_cli("verify", "--db", db))
