"""Opening the ledger on the store a setting names: to write (its tables created where missing) or to read (nothing
created and nothing written), with the library's failures to open said once, as StoreError naming the store; and
whether a ledger is there yet, asked without writing anything.

A SQLite setting must name a SQLite database file, or a file yet to be created in a folder that exists: a folder, a
FIFO, a device or a file of other content is refused (`--db: …`) before SQLite opens it. A store that cannot be
written — a SQLite file or folder this user may not write, a PostgreSQL role without the rights — still opens for
reading (a SQLite file then read-only, and without creating anything beside it when its folder cannot be written),
and refuses to open for writing with one message saying that the store is read-only (`refusal`).
"""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from eventsourcing.persistence import PersistenceError

from regledger.adapters.errors import StoreError
from regledger.adapters.store.ledger import Ledger
from regledger.adapters.store.settings import StoreSettings
from regledger.adapters.store.sql import SQLITE, leave_journal_mode, postgres_dialect

if TYPE_CHECKING:
    import psycopg

__all__ = [
    "first_line",
    "ledger_exists",
    "ledger_on",
    "opening",
    "postgres_connection",
    "read_only_message",
    "refusal",
]

SQLITE_HEADER: Final = b"SQLite format 3\x00"  # the first 16 bytes of every SQLite database file
_INSUFFICIENT_PRIVILEGE: Final = "42501"  # PostgreSQL's SQLSTATE for "permission denied", "must be owner of …"
_SQLITE_READONLY: Final = 8  # SQLite's primary result code for "attempt to write a readonly database"


def ledger_on(settings: StoreSettings, *, write: bool) -> Ledger:
    """The ledger application on the store `settings` names. To write, its tables are created where missing; to
    read, no table is created and a SQLite file keeps its journal mode, so that opening writes nothing (and one this
    user may not write is opened read-only). StoreError `--db: …` for a SQLite setting that names no SQLite
    database, or, to write, one that cannot be written."""
    path = _sqlite_path(settings) if settings.kind == "sqlite" else None
    writable = path is None or _writable(path)
    if write and not writable:
        raise StoreError(read_only_message(settings, "this user cannot write the file or its folder"))
    if write:
        return Ledger(env=settings.env)
    env = {**settings.env, "CREATE_TABLE": "n"}
    if path is not None and not writable:
        env["SQLITE_DBNAME"] = _read_only_uri(path)
    ledger = Ledger(env=env)
    leave_journal_mode(ledger.sql)
    return ledger


@contextmanager
def opening(settings: StoreSettings) -> Iterator[None]:
    """Within, the store's failures (and the operating system's) are StoreError naming the ledger's store (see
    `refusal`)."""
    try:
        yield
    except (PersistenceError, OSError, sqlite3.Error) as error:
        raise refusal(settings, error) from None


def refusal(settings: StoreSettings, error: Exception, *, opened: bool = False) -> StoreError:
    """The StoreError that says why the store of `settings` failed with `error`: that it is read-only when the
    store refused a write for want of rights (PostgreSQL's insufficient privilege, SQLite's read-only database),
    else `--db: cannot open the ledger at STORE: …` (`opened`: `--db: the ledger at STORE failed: …`) with the
    driver's first line."""
    if _refused_a_write(error):
        return StoreError(read_only_message(settings, first_line(error)))
    if opened:
        return StoreError(f"--db: the ledger at {settings.display} failed: {first_line(error)}")
    return StoreError(f"--db: cannot open the ledger at {settings.display}: {first_line(error)}")


def read_only_message(settings: StoreSettings, why: str) -> str:
    """`--db: STORE: the store is read-only (WHY): …`, the one refusal of a write to a store that cannot take one."""
    return (f"--db: {settings.display!r}: the store is read-only ({why}): queries, log, the reports and verify "
            "read it; record, the imports, project and rebuild need a store they can write")


def _refused_a_write(error: BaseException) -> bool:
    """Whether `error`, or an error it was raised from, is a store refusing a write for want of rights."""
    seen: BaseException | None = error
    for _ in range(10):  # a chain of causes is short; a cycle in one must not loop
        if seen is None:
            break
        if getattr(seen, "sqlstate", None) == _INSUFFICIENT_PRIVILEGE:
            return True
        code = getattr(seen, "sqlite_errorcode", None)
        if isinstance(code, int) and code & 0xFF == _SQLITE_READONLY:
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def ledger_exists(settings: StoreSettings) -> bool:
    """Whether the ledger has been created (its events table exists), asked without writing anything."""
    if settings.kind == "sqlite":
        return _sqlite_exists(_sqlite_path(settings))
    if settings.kind == "postgres":
        return _postgres_exists(settings)
    return False


def _sqlite_path(settings: StoreSettings) -> Path:
    """The SQLite file `settings` names, checked: StoreError `--db: …` when it is a folder, not a regular file, not
    a SQLite database, or a new file in a folder that does not exist."""
    path = Path(settings.env["SQLITE_DBNAME"])
    name = repr(settings.display)
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        if not path.parent.is_dir():
            raise StoreError(f"--db: {name}: the folder {str(path.parent)!r} does not exist") from None
        return path  # a ledger yet to be created
    except OSError as error:
        raise StoreError(f"--db: {name}: {error.strerror or error}") from None
    if stat.S_ISDIR(mode):
        raise StoreError(f"--db: {name} is a folder, not a SQLite database file")
    if not stat.S_ISREG(mode):
        raise StoreError(f"--db: {name} is not a regular file, so not a SQLite database file")
    header = _first_bytes(path, name)
    if header and header != SQLITE_HEADER:
        raise StoreError(f"--db: {name} is not a SQLite database (its first bytes are not the SQLite header)")
    return path


def _first_bytes(path: Path, name: str) -> bytes:
    """The first 16 bytes of the file (fewer when it is shorter); StoreError when it cannot be read."""
    try:
        with path.open("rb") as file:
            return file.read(len(SQLITE_HEADER))
    except OSError as error:
        raise StoreError(f"--db: {name}: cannot read the file: {error.strerror or error}") from None


def _writable(path: Path) -> bool:
    """Whether this user can write the SQLite file at `path` (or create it) and its folder, where SQLite keeps its
    journal or write-ahead log."""
    folder = path.parent
    return os.access(folder, os.W_OK) and (not path.exists() or os.access(path, os.W_OK))


def _read_only_uri(path: Path) -> str:
    """A URI that opens the SQLite file at `path` read-only; `immutable` as well when its folder cannot take the
    shared-memory file a write-ahead-logged database needs, and no log is there (so no writer is at work)."""
    uri = f"{path.resolve().as_uri()}?mode=ro"
    log = path.with_name(path.name + "-wal")
    return uri if os.access(path.parent, os.W_OK) or log.exists() else f"{uri}&immutable=1"


def _sqlite_exists(path: Path) -> bool:
    if not path.is_file():
        return False
    try:
        with closing(sqlite3.connect(_read_only_uri(path), uri=True, timeout=30)) as connection:
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
        raise StoreError(f"--db: cannot reach PostgreSQL at {settings.display}: {first_line(error)}") from None


def first_line(error: Exception) -> str:
    """The first line of a driver's message (its class name when it has none)."""
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
