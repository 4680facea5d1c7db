"""The database refuses to change history: UPDATE and DELETE of stored events and chain rows (and TRUNCATE on
PostgreSQL) through a raw connection, whatever the client; the guards come back when the ledger is opened."""

from __future__ import annotations

import sqlite3
from contextlib import closing

import pytest

from regledger.adapters.importers.timeline import read_timeline
from regledger.adapters.wiring import open_ledger
from tests.conftest import EXAMPLE, POSTGRES_URL
from tests.integration.integrity_kit import Attacker, events, schema_of

STATEMENTS = {
    "UPDATE": "UPDATE {table} SET topic = topic",
    "DELETE": "DELETE FROM {table}",
    "TRUNCATE": "TRUNCATE {table}",
}
CHAIN_STATEMENTS = {**STATEMENTS, "UPDATE": "UPDATE {table} SET label = label"}


def _recorded(db: str) -> str:
    with open_ledger(db) as ledger:
        ledger.record(read_timeline(EXAMPLE))
    return db


@pytest.mark.parametrize("operation", ["UPDATE", "DELETE"])
@pytest.mark.parametrize("table", ["stored_events", "regledger_chain"])
def test_sqlite_refuses_to_change_or_remove_history(sqlite_db: str, table: str, operation: str) -> None:
    _recorded(sqlite_db)
    statement = (CHAIN_STATEMENTS if table == "regledger_chain" else STATEMENTS)[operation]

    with closing(sqlite3.connect(sqlite_db)) as connection, pytest.raises(sqlite3.IntegrityError) as refused:
        connection.execute(statement.format(table=table))

    assert f"{table} is append-only: {operation} refused" in str(refused.value)
    assert len(events(sqlite_db)) > 0


@pytest.mark.postgres
@pytest.mark.parametrize("operation", ["UPDATE", "DELETE", "TRUNCATE"])
@pytest.mark.parametrize("table", ["regledger_events", "regledger_chain"])
def test_postgres_refuses_to_change_remove_or_truncate_history(postgres_db: str, table: str, operation: str) -> None:
    import psycopg  # noqa: PLC0415

    _recorded(postgres_db)
    statement = (CHAIN_STATEMENTS if table == "regledger_chain" else STATEMENTS)[operation]
    qualified = f'"{schema_of(postgres_db)}".{table}'

    with psycopg.connect(POSTGRES_URL, autocommit=True) as connection, \
            pytest.raises(psycopg.errors.InsufficientPrivilege) as refused:
        connection.execute(statement.format(table=qualified))

    assert f"{table} is append-only: {operation} refused" in str(refused.value)
    assert len(events(postgres_db)) > 0


def test_guards_removed_behind_the_ledgers_back_come_back_when_it_is_opened(db: str) -> None:
    _recorded(db)
    attacker = Attacker(db)
    try:
        attacker.disarm()
        with open_ledger(db):  # any command opens the ledger
            pass

        with pytest.raises(Exception, match="append-only: DELETE refused"):
            attacker.execute("DELETE FROM {t}")
    finally:
        attacker.close()
    assert len(events(db)) > 0


def _guards(attacker: Attacker) -> list[str]:
    if attacker.schema is None:
        return sorted(row[0] for row in attacker.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'"))
    return sorted(f"{row[0]}.{row[1]}" for row in attacker.execute(
        "SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
        "WHERE c.relnamespace = ?::regnamespace AND NOT t.tgisinternal", (attacker.schema,)))


def test_opening_a_ledger_again_installs_nothing_twice(db: str) -> None:
    _recorded(db)
    attacker = Attacker(db)
    try:
        first = _guards(attacker)
        for _ in range(3):
            with open_ledger(db):
                pass

        assert _guards(attacker) == first
        assert len(first) == 6  # two on each of the events, the chain and the note of since when runs chain
    finally:
        attacker.close()
