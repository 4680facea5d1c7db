"""Opening the ledger on the store a setting names: to write (its tables created where missing) or to read (nothing
created and nothing written), with the library's failures to open said once, as StoreError naming the store; and
whether a ledger is there yet, asked without writing anything."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from eventsourcing.persistence import PersistenceError

from regledger.adapters.errors import StoreError
from regledger.adapters.store.ledger import Ledger
from regledger.adapters.store.settings import StoreSettings
from regledger.adapters.store.sql import SQLITE, leave_journal_mode, postgres_dialect

if TYPE_CHECKING:
    import psycopg

__all__ = ["first_line", "ledger_exists", "ledger_on", "opening", "postgres_connection"]


def ledger_on(settings: StoreSettings, *, write: bool) -> Ledger:
    """The ledger application on the store `settings` names. To write, its tables are created where missing; to
    read, no table is created and a SQLite file keeps its journal mode, so that opening writes nothing."""
    if write:
        return Ledger(env=settings.env)
    ledger = Ledger(env={**settings.env, "CREATE_TABLE": "n"})
    leave_journal_mode(ledger.sql)
    return ledger


@contextmanager
def opening(settings: StoreSettings) -> Iterator[None]:
    """Within, the store's failures (and the operating system's) are StoreError naming the ledger's store."""
    try:
        yield
    except (PersistenceError, OSError) as error:
        raise StoreError(f"cannot open the ledger at {settings.display}: {error}") from None


def ledger_exists(settings: StoreSettings) -> bool:
    """Whether the ledger has been created (its events table exists), asked without writing anything."""
    if settings.kind == "sqlite":
        return _sqlite_exists(Path(settings.env["SQLITE_DBNAME"]))
    if settings.kind == "postgres":
        return _postgres_exists(settings)
    return False


def _sqlite_exists(path: Path) -> bool:
    if not path.is_file():
        return False
    try:
        with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=30)) as connection:
            found = connection.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (SQLITE.events,)).fetchone()
    except sqlite3.Error:
        return False  # not a database we can read: opening it for writing reports why
    return found is not None


def _postgres_exists(settings: StoreSettings) -> bool:
    events = postgres_dialect(settings.schema or "public", f"{Ledger.name}_events").events
    with postgres_connection(settings) as connection:
        row = connection.execute("SELECT to_regclass(%s)", (events,)).fetchone()
    return bool(row and row[0])


def postgres_connection(settings: StoreSettings) -> psycopg.Connection[Any]:
    """A connection (autocommit) to the PostgreSQL server of `settings`; StoreError when it cannot be reached."""
    import psycopg  # noqa: PLC0415 - only PostgreSQL stores need the driver loaded

    env = settings.env
    try:
        return psycopg.connect(
            dbname=env["POSTGRES_DBNAME"], host=env["POSTGRES_HOST"], port=env["POSTGRES_PORT"],
            user=env["POSTGRES_USER"], password=env["POSTGRES_PASSWORD"] or None,
            connect_timeout=int(env["POSTGRES_CONNECT_TIMEOUT"]), autocommit=True,
        )
    except psycopg.Error as error:
        raise StoreError(f"cannot reach PostgreSQL at {settings.display}: {first_line(error)}") from None


def first_line(error: Exception) -> str:
    """The first line of a driver's message (its class name when it has none)."""
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
