"""The read-model commands and what the query commands say about them, end to end.

`record` leaves the read models current, and `as-of`, `diff` and `history` then answer from them exactly as the
fold does; when they are behind the answers come from the fold with a note; `project` catches them up, `project
--follow` keeps them current for other writers until SIGTERM; `rebuild` shows its progress on standard error;
`check-views` is clean on the bundled case and names a difference when there is one.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from regledger.adapters import Located, open_ledger
from regledger.adapters.readmodels.lifecycle import views_of
from regledger.adapters.wiring import SET_UP_LOCK
from regledger.domain import action_adapter
from tests.conftest import EXAMPLE, listed
from tests.integration.integrity_kit import events

REGLEDGER = str(Path(sys.executable).parent / "regledger")
QUERIES = [
    ("as-of", "2019-05-17", "--party", "huawei"),
    ("as-of", "2020-05-20", "--format", "json"),
    ("as-of", "2019-05-17", "--party", "華為", "--published-by", "2019-05-17", "--format", "json"),
    ("as-of", "2020-02-15", "--known-at", "2000-01-01"),
    ("as-of", "2020-09-01", "--list", "us-bis-entity-list", "--min-reliability", "official"),
    ("diff", "2019-05-15", "2019-05-21"),
    ("diff", "2019-05-15", "2020-09-01", "--min-reliability", "statement", "--format", "json"),
    ("diff", "2019-05-15", "2019-05-16", "--party", "huawei", "--format", "json"),
    ("history", "huawei", "--format", "json"),
    ("history", "us-bis-huawei-tgl"),
]
NOTE = "the read models are behind the ledger"


def _ok(result: Any) -> str:
    assert result.code == 0, result
    return str(result.out)


def _without_views(db: str, tmp_path: Path) -> str:
    """A copy of a SQLite ledger without its read models: queries on it fold, with no note."""
    copy = tmp_path / "folded.db"
    with closing(sqlite3.connect(db)) as source, closing(sqlite3.connect(copy)) as target:
        source.backup(target)
        target.execute("DROP TABLE regledger_view_tracking")
    return str(copy)


def _record_behind(db: str, *actions: dict[str, Any]) -> None:
    """Record as another writer would that does not update the read models."""
    with open_ledger(db) as ledger:
        ledger.on_recorded = None
        ledger.record([Located("test", action_adapter.validate_python(a)) for a in actions])


def test_queries_answer_from_the_read_models_exactly_as_the_fold(run_cli, sqlite_db: str, tmp_path: Path) -> None:
    _ok(run_cli("record", str(EXAMPLE), "--db", sqlite_db))
    folded = _without_views(sqlite_db, tmp_path)

    for query in QUERIES:
        assert _ok(run_cli(*query, "--db", sqlite_db)) == _ok(run_cli(*query, "--db", folded)), query


def test_behind_read_models_are_noted_and_the_fold_answers_until_project(run_cli, db: str) -> None:
    _ok(run_cli("record", str(EXAMPLE), "--db", db))
    _record_behind(db, listed("zte", name="ZTE Corporation", effective="2018-04-15", published="2018-04-16"))

    behind = {query: _ok(run_cli(*query, "--db", db)) for query in QUERIES}
    project = _ok(run_cli("project", "--db", db))
    current = {query: _ok(run_cli(*query, "--db", db)) for query in QUERIES}

    for query in QUERIES:
        assert NOTE in behind[query], query
        assert NOTE not in current[query], query
        if "json" in query:
            assert [n for n in json.loads(behind[query])["notes"] if NOTE not in n] == json.loads(
                current[query]).get("notes", [])
    assert "applied 4 event(s)" in project  # the listing, its index, its subject and party registered


def test_rebuild_shows_progress_on_standard_error(run_cli, sqlite_db: str) -> None:
    _ok(run_cli("record", str(EXAMPLE), "--db", sqlite_db))
    stored = len(events(sqlite_db))

    result = run_cli("rebuild", "--db", sqlite_db)

    assert result.code == 0, result
    assert f"rebuilt the read models from {stored} event(s); they cover notification {stored}" in result.out
    assert "applying events" in result.err
    assert "recomputing subjects" in result.err


def test_check_views_is_clean_on_the_bundled_case(run_cli, db: str) -> None:
    _ok(run_cli("record", str(EXAMPLE), "--db", db))

    out = _ok(run_cli("check-views", "--samples", "8", "--seed", "4", "--db", db))

    assert out.strip().endswith("no difference")


def test_check_views_names_a_difference_and_exits_1(run_cli, sqlite_db: str) -> None:
    _ok(run_cli("record", str(EXAMPLE), "--db", sqlite_db))
    with closing(sqlite3.connect(sqlite_db)) as connection, connection:
        connection.execute("UPDATE regledger_view_items SET item = replace(item, 'Presumption of denial', 'Approval')")

    result = run_cli("check-views", "--samples", "8", "--db", sqlite_db)

    assert result.code == 1
    assert "DIFFERENCE: as-of" in result.out
    assert "listing us-bis-entity-list/huawei-technologies" in result.out


def test_project_follow_keeps_the_read_models_current_until_sigterm(db: str) -> None:
    _record_behind(db, listed("huawei"))  # the ledger exists; its read models do not yet
    follower = subprocess.Popen([REGLEDGER, "project", "--follow", "--interval", "0.1", "--db", db],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        _record_behind(db, listed("zte", name="ZTE Corporation"))
        with open_ledger(db) as ledger:
            view, head = views_of(ledger, SET_UP_LOCK), ledger.recorder.max_notification_id()
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and not (view.installed() and view.position() == head
                                                       and not view.unsettled()):
                time.sleep(0.1)
            caught_up = view.position() == head
    finally:
        follower.send_signal(signal.SIGTERM)
        out, err = follower.communicate(timeout=30)

    assert caught_up, err
    assert follower.returncode == 0, err
    assert "stopped; the read models cover notification" in out


def test_project_follow_stopped_during_its_catch_up_ends_cleanly(sqlite_db: str) -> None:
    """A SIGTERM while the first catch-up still runs (here as soon as it has made the read models' tables, with
    thousands of events to apply in batches of 10) stops it as Ctrl-C would, and the command ends saying where the
    read models stand, with status 0: the signal is heard from the command's start, not only once it follows."""
    _record_behind(sqlite_db, *(listed(f"p{n:04}", name=f"Party {n}") for n in range(1500)))
    follower = subprocess.Popen([REGLEDGER, "project", "--follow", "--batch", "10", "--db", sqlite_db],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        with open_ledger(sqlite_db) as ledger:
            view, head = views_of(ledger, SET_UP_LOCK), ledger.recorder.max_notification_id()
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and not view.installed():
                time.sleep(0.02)
            installed, stopped_at = view.installed(), view.position() or 0  # None: no batch applied yet
    finally:
        follower.send_signal(signal.SIGTERM)
        out, err = follower.communicate(timeout=60)

    assert installed, err
    assert stopped_at < head, err  # it was still catching up
    assert follower.returncode == 0, err
    assert "stopped; the read models cover notification" in out
    assert "following the log" not in err


@pytest.mark.parametrize("command", ["rebuild", "project", "check-views"])
def test_a_store_without_read_models_says_so(run_cli, command: str) -> None:
    result = run_cli(command, "--db", "memory:")

    assert result.code == 1
    assert "keeps no read models" in result.err


def test_read_models_built_by_another_version_are_noted_then_rebuilt_by_project(run_cli, sqlite_db: str) -> None:
    _ok(run_cli("record", str(EXAMPLE), "--db", sqlite_db))
    stored = len(events(sqlite_db))
    with closing(sqlite3.connect(sqlite_db)) as connection, connection:
        connection.execute("UPDATE regledger_view_meta SET value = 'an older fold' WHERE name = 'model'")

    noted = _ok(run_cli("as-of", "2019-05-17", "--db", sqlite_db))
    project = _ok(run_cli("project", "--db", sqlite_db))
    current = _ok(run_cli("as-of", "2019-05-17", "--db", sqlite_db))

    assert "built by another version of regledger's fold" in noted
    assert f"applied {stored} event(s); the read models cover notification {stored}" in project
    assert "Note:" not in current
    lines = noted.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("Note:"))
    assert lines[:at - 1] + lines[at + 1:] == current.splitlines()  # the same answer, but for the note


@pytest.mark.postgres
def test_project_follow_reconnects_after_losing_its_connection(postgres_db: str) -> None:
    import psycopg  # noqa: PLC0415

    from tests.conftest import POSTGRES_URL  # noqa: PLC0415

    _record_behind(postgres_db, listed("huawei"))
    name = f"regledger-follow-{time.monotonic_ns()}"  # its connections, and only its, are cut below
    follower = subprocess.Popen([REGLEDGER, "project", "--follow", "--db", postgres_db], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, env={**os.environ, "PGAPPNAME": name})
    try:
        _wait_current(postgres_db)
        time.sleep(0.5)  # listening by now
        with psycopg.connect(POSTGRES_URL, autocommit=True) as connection:
            cut = connection.execute("SELECT query, pg_terminate_backend(pid) FROM pg_stat_activity "
                                     "WHERE application_name = %s", (name,)).fetchall()
        _record_behind(postgres_db, listed("zte", name="ZTE Corporation"))
        caught_up = _wait_current(postgres_db)
    finally:
        follower.send_signal(signal.SIGTERM)
        _, err = follower.communicate(timeout=30)

    assert any(query.startswith("LISTEN") for query, _ in cut), cut  # woken by notifications, not polling
    assert caught_up, err
    assert "trying again" in err
    assert follower.returncode == 0, err


def _wait_current(db: str, seconds: float = 30) -> bool:
    with open_ledger(db) as ledger:
        view = views_of(ledger, SET_UP_LOCK)
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            head = ledger.recorder.max_notification_id()
            if view.installed() and view.position() == head and not view.unsettled():
                return True
            time.sleep(0.1)
    return False


def test_tables_another_writer_created_but_has_not_stamped_yet_are_caught_up_not_dropped(
        db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two writers bringing new read models up: one has created the tables and not yet stamped their version when
    the other looks. The other must wait for the install (installing again changes nothing), not rebuild: a rebuild
    would drop the tables under the first writer."""
    from regledger.adapters.readmodels.lifecycle import READ_MODEL_VERSION, bring_up_to_date  # noqa: PLC0415

    _record_behind(db, listed("huawei"))
    with open_ledger(db) as ledger:
        view = views_of(ledger, SET_UP_LOCK)
        view.create_table()  # the first writer's install, halfway
        assert view.installed()
        assert view.built_by() is None

        def no_drop() -> None:
            raise AssertionError("the read models were dropped under another writer's install")

        monkeypatch.setattr(view, "drop", no_drop)
        applied = bring_up_to_date(ledger, view)

        assert applied > 0
        assert view.built_by() == str(READ_MODEL_VERSION)
        assert view.position() == ledger.recorder.max_notification_id()
