"""A query does not write.

On PostgreSQL, a role with only USAGE on the ledger's schema and SELECT on its tables gets from `as-of`, `diff`,
`history`, `log` and `verify` exactly what the writer gets: with the read models current, and with them behind (then
from the reference fold, saying so in `notes`). On SQLite, queries (and `log`, `verify`) leave the ledger's file byte
for byte as it was, and a bundle (kept in rollback-journal mode) is not switched to write-ahead logging by reading it.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from regledger.adapters.integrity.bundle import export_bundle
from regledger.adapters.integrity.chain import catch_up
from regledger.adapters.store.ledger import Located
from regledger.adapters.wiring import open_stores
from regledger.domain import action_adapter
from tests.conftest import EXAMPLE, POSTGRES_URL, CliResult, listed

QUERIES = [
    ("as-of", "2019-05-17", "--party", "huawei"),
    ("as-of", "2020-05-20"),
    ("as-of", "2020-02-15", "--known-at", "2000-01-01"),
    ("diff", "2019-05-15", "2020-09-01"),
    ("history", "huawei"),
    ("history", "us-bis-huawei-tgl"),
]
NOTE = "the read models are behind the ledger"


def _ok(result: CliResult) -> str:
    assert result.code == 0, result
    return result.out


def _answers(run_cli, db: str) -> dict[tuple[str, ...], str]:
    """The JSON answer of each query, as printed."""
    return {query: _ok(run_cli(*query, "--format", "json", "--db", db)) for query in QUERIES}


def _record_leaving_the_read_models_behind(db: str) -> None:
    """Record as a writer that brings the chain up to date but not the read models (another version of regledger,
    or a run killed between the two)."""
    action = listed("zte", name="ZTE Corporation", effective="2018-04-15", published="2018-04-16")
    with open_stores(db) as stores:
        chain = stores.chain
        assert chain is not None
        stores.ledger.on_recorded = lambda: catch_up(chain)
        stores.ledger.record([Located("test", action_adapter.validate_python(action))])


# -- PostgreSQL ---------------------------------------------------------------------------------------------------


@pytest.fixture
def reader(postgres_db: str) -> Iterator[str]:
    """The store URL of `postgres_db` for a new role that may only read it (USAGE on the schema, SELECT on its
    tables, as they are once the ledger is recorded); the role is dropped afterwards."""
    import psycopg  # noqa: PLC0415

    role = f"reader_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as connection:
        connection.execute(f"CREATE ROLE {role} LOGIN")
    url = urlsplit(postgres_db)
    yield urlunsplit(url._replace(netloc=f"{role}@{url.hostname}:{url.port or 5432}"))
    with psycopg.connect(POSTGRES_URL, autocommit=True) as connection:
        connection.execute(f"DROP OWNED BY {role}")
        connection.execute(f"DROP ROLE {role}")


def _grant_reading(postgres_db: str, reader: str) -> None:
    import psycopg  # noqa: PLC0415

    schema = urlsplit(postgres_db).query.removeprefix("schema=")
    role = urlsplit(reader).username
    with psycopg.connect(POSTGRES_URL, autocommit=True) as connection:
        connection.execute(f'GRANT USAGE ON SCHEMA "{schema}" TO {role}')
        connection.execute(f'GRANT SELECT ON ALL TABLES IN SCHEMA "{schema}" TO {role}')


@pytest.mark.postgres
def test_a_role_that_may_only_select_cannot_write(run_cli, postgres_db: str, reader: str) -> None:
    _ok(run_cli("record", str(EXAMPLE), "--db", postgres_db))
    _grant_reading(postgres_db, reader)

    refused = run_cli("record", str(EXAMPLE), "--db", reader)

    assert refused.code != 0
    assert "permission denied" in refused.err
    assert "Traceback" not in refused.err


@pytest.mark.postgres
def test_a_reader_gets_the_writers_answers_from_current_read_models(run_cli, postgres_db: str, reader: str) -> None:
    _ok(run_cli("record", str(EXAMPLE), "--db", postgres_db))
    _grant_reading(postgres_db, reader)

    read, written = _answers(run_cli, reader), _answers(run_cli, postgres_db)

    assert read == written
    assert not any(NOTE in answer for answer in read.values())


@pytest.mark.postgres
def test_a_reader_gets_the_writers_answers_from_the_fold_when_the_read_models_are_behind(
        run_cli, postgres_db: str, reader: str) -> None:
    _ok(run_cli("record", str(EXAMPLE), "--db", postgres_db))
    _record_leaving_the_read_models_behind(postgres_db)
    _grant_reading(postgres_db, reader)

    read, written = _answers(run_cli, reader), _answers(run_cli, postgres_db)

    assert read == written
    for query, answer in read.items():
        assert any(NOTE in note for note in json.loads(answer)["notes"]), query
    assert "ZTE Corporation" in read["as-of", "2020-05-20"]  # the fold answers for what the read models miss


@pytest.mark.postgres
@pytest.mark.parametrize("behind", [False, True], ids=["current", "behind"])
def test_a_reader_gets_the_writers_log_and_verification(run_cli, postgres_db: str, reader: str, behind: bool) -> None:
    _ok(run_cli("record", str(EXAMPLE), "--db", postgres_db))
    if behind:
        _record_leaving_the_read_models_behind(postgres_db)
    _grant_reading(postgres_db, reader)

    for command in (("log", "--format", "json"), ("log",), ("verify",)):
        assert _ok(run_cli(*command, "--db", reader)) == _ok(run_cli(*command, "--db", postgres_db)), command
    assert "ok: every digest recomputed from the stored events matches the chain" in _ok(
        run_cli("verify", "--db", reader))


# -- SQLite -------------------------------------------------------------------------------------------------------


def _fingerprint(path: Path) -> tuple[str, int | None]:
    """The file's digest, and the size of its write-ahead log (None: there is none)."""
    wal = path.with_name(path.name + "-wal")
    return hashlib.sha256(path.read_bytes()).hexdigest(), wal.stat().st_size if wal.exists() else None


def _query_everything(run_cli, db: str) -> None:
    for query in QUERIES:
        for output in ("text", "json"):
            _ok(run_cli(*query, "--format", output, "--db", db))
    _ok(run_cli("log", "--db", db))
    _ok(run_cli("log", "--format", "json", "--db", db))
    _ok(run_cli("verify", "--db", db))


def test_queries_leave_a_sqlite_ledger_with_current_read_models_byte_for_byte_as_it_was(
        run_cli, sqlite_db: str) -> None:
    _ok(run_cli("record", str(EXAMPLE), "--db", sqlite_db))
    before = _fingerprint(Path(sqlite_db))

    _query_everything(run_cli, sqlite_db)

    after = _fingerprint(Path(sqlite_db))
    assert after[0] == before[0]
    assert before[1] is None  # the writer's log was checkpointed into the file and removed when it closed the ledger
    assert after[1] is None  # and no query left one behind


def test_reading_a_bundle_leaves_it_byte_for_byte_as_it_was(run_cli, sqlite_db: str, tmp_path: Path) -> None:
    _ok(run_cli("record", str(EXAMPLE), "--db", sqlite_db))
    bundle = tmp_path / "bundle.db"
    with open_stores(sqlite_db, write=False) as stores:
        assert stores.chain is not None
        export_bundle(stores.chain, datetime.now(UTC), bundle, None)
    before = _fingerprint(bundle)

    _query_everything(run_cli, str(bundle))

    assert _fingerprint(bundle) == before
    assert bundle.read_bytes()[18:20] == b"\x01\x01"  # still in rollback-journal mode, not write-ahead logging
