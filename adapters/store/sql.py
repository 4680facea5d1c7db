"""Where a ledger's events live in a SQL store and how that store spells its SQL: the one place that tells a SQLite
ledger from a PostgreSQL one.

`sql_store(ledger)` gives a `SQLiteStore` or a `PostgresStore` (None for a store that is not SQL, e.g. in memory):
the library's datastore, its transactions (and a write transaction that holds the events table's write lock), and
the `Dialect` that names the events table, its notification-id column and the tables kept beside it (the chain, the
read models), and spells parameters, ids and column types.

The hash chain itself is kept by the integrity package, above this one: a `ChainKeeper` it hands to the ledger (see
wiring) chains the events a recorder inserts, in the inserting transaction, and says which rows of the events table
the chain does not cover (`ForeignRows`: rows regledger did not write).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal, Protocol, cast
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.persistence import OperationalError, StoredEvent
from eventsourcing.sqlite import SQLiteCursor, SQLiteDatastore, SQLiteTransaction

from regledger.adapters.errors import shown

if TYPE_CHECKING:
    from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore

__all__ = [
    "NO_FOREIGN_ROWS",
    "SQLITE",
    "ChainKeeper",
    "ChainedRecorder",
    "Cursor",
    "Dialect",
    "ForeignRow",
    "ForeignRows",
    "PostgresStore",
    "SQLStore",
    "SQLiteStore",
    "Transaction",
    "leave_journal_mode",
    "postgres_dialect",
    "sql_store",
]


class Cursor(Protocol):
    """A cursor of either store (rows read by column name)."""

    def execute(self, statement: Any, params: Any = ..., /) -> object: ...

    def executemany(self, statement: Any, params: Any, /) -> object: ...

    def fetchone(self) -> Any: ...

    def fetchall(self) -> Any: ...


class Transaction(Protocol):
    """`transaction(commit=…)`: a cursor in a transaction, committed on exit with `commit`, else rolled back."""

    def __call__(self, *, commit: bool) -> AbstractContextManager[Cursor]: ...


@dataclass(frozen=True)
class ForeignRow:
    """A row of the events table that the chain does not hold: regledger did not write it."""

    notification_id: int
    originator_id: str
    version: int
    label: str  # the row in a few words (see integrity.labels)


SHOWN = 3  # foreign rows named in a message; the others are counted


@dataclass(frozen=True)
class ForeignRows:
    """The rows of the events table that the chain does not cover (none on a sound ledger), in recording order, and
    the notification id of the chain's head (the last row it covers)."""

    rows: tuple[ForeignRow, ...] = ()
    chain_head: int = 0

    def __bool__(self) -> bool:
        return bool(self.rows)

    @cached_property
    def notification_ids(self) -> frozenset[int]:
        """The rows' notification ids: what reads leave out."""
        return frozenset(row.notification_id for row in self.rows)

    def summary(self) -> str:
        """`N row(s) regledger did not write (notification id 0: label; …)`, on one line whatever the labels hold."""
        named = "; ".join(f"notification id {row.notification_id}: {shown(row.label)}" for row in self.rows[:SHOWN])
        more = f"; and {len(self.rows) - SHOWN} more" if len(self.rows) > SHOWN else ""
        return f"{len(self.rows)} row(s) regledger did not write ({named}{more})"

    def refusal(self) -> str:
        """Why a record run stored nothing."""
        return f"the ledger holds {self.summary()}; nothing of this run was stored: run `regledger verify`"

    def note(self) -> str:
        """What an answer that leaves them out says."""
        return f"the ledger holds {self.summary()}; they are left out of this answer: run `regledger verify`"


NO_FOREIGN_ROWS = ForeignRows()


class ChainKeeper(Protocol):
    """Keeps a ledger's hash chain (implemented by the integrity package, handed to the ledger by wiring)."""

    def foreign(self, cursor: Cursor, /) -> ForeignRows:
        """The rows of the events table the chain does not cover: cheap when there are none."""
        ...

    def glance(self) -> str:
        """What `foreign` reads first, as a SELECT list of scalar subqueries (its columns named `chain_*` and
        `events_*`), for a statement that reads other facts of the same database with it, in one round trip."""
        ...

    def glanced(self, row: Mapping[str, Any], /) -> ForeignRows | None:
        """`foreign`'s answer from a row holding `glance`'s columns, when they show there are no foreign rows (None:
        there may be some, which `foreign` finds)."""
        ...

    def chain(self, cursor: Cursor, inserted: Sequence[tuple[int, StoredEvent]], /) -> None:
        """Chain the events just inserted through `cursor` (with their notification ids), in its transaction;
        StoreError, which rolls the transaction back, when the events table holds rows regledger did not write."""
        ...


class ChainedRecorder:
    """A recorder whose `keeper` chains the events it inserts, in the inserting transaction (None: no chain)."""

    keeper: ChainKeeper | None = None


@dataclass(frozen=True)
class Dialect:
    """Where one kind of store keeps the events and the tables beside them, and how its SQL spells things."""

    kind: Literal["sqlite", "postgres"]
    events_table: str  # the events table's own name
    schema: str | None = None  # PostgreSQL's schema (None on SQLite)

    @property
    def events(self) -> str:
        """The events table, qualified."""
        return self.table(self.events_table)

    @property
    def nid(self) -> str:
        """The events table's notification-id column."""
        return "rowid" if self.kind == "sqlite" else "notification_id"

    @property
    def mark(self) -> str:
        """The parameter placeholder."""
        return "?" if self.kind == "sqlite" else "%s"

    @property
    def hex_ids(self) -> bool:
        """Whether originator ids are kept as hex text (SQLite) rather than as uuid (PostgreSQL)."""
        return self.kind == "sqlite"

    @property
    def integer(self) -> str:
        """The type of a 64-bit integer column."""
        return "INTEGER" if self.kind == "sqlite" else "BIGINT"

    @property
    def blob(self) -> str:
        """The type of a bytes column."""
        return "BLOB" if self.kind == "sqlite" else "BYTEA"

    def table(self, name: str) -> str:
        """The qualified name of the table `name` beside the events."""
        return name if self.schema is None else f'"{self.schema}"."{name}"'

    def table_exists(self, name: str) -> str:
        """A query whose one row's `name` column is not null when the table `name` exists."""
        if self.kind == "sqlite":
            return f"SELECT name FROM sqlite_master WHERE type = 'table' AND name = '{name}'"  # noqa: S608 - our name
        return f"SELECT to_regclass('{self.table(name)}') AS name"

    def sql(self, template: str, **tables: str) -> str:
        """`template` with {events}, {nid} and each of `tables` filled in, and `?` as this store's placeholder."""
        return template.format(events=self.events, nid=self.nid, **tables).replace("?", self.mark)

    def same_originator(self, events_column: str, text_column: str) -> str:
        """A condition: the events table's originator id `events_column` is the UUID written as text (with dashes,
        as `str(uuid)` spells it) in `text_column`."""
        if self.hex_ids:
            return f"replace({text_column}, '-', '') = {events_column}"
        return f"{text_column} = CAST({events_column} AS TEXT)"

    def oid(self, value: UUID) -> str | UUID:
        """An originator id as the events table keeps it."""
        return value.hex if self.hex_ids else value

    def oids(self, values: Sequence[UUID]) -> list[str | UUID]:
        """Originator ids as the events table keeps them."""
        return [self.oid(value) for value in values]


SQLITE = Dialect("sqlite", "stored_events")


def postgres_dialect(schema: str, events_table: str) -> Dialect:
    """The dialect of a PostgreSQL ledger whose events table is `events_table` in `schema`."""
    return Dialect("postgres", events_table, schema)


@dataclass(frozen=True)
class SQLiteStore:
    """A ledger's events in a SQLite file."""

    datastore: SQLiteDatastore
    dialect: Dialect = SQLITE

    def transaction(self, *, commit: bool) -> AbstractContextManager[Cursor]:
        """A cursor in a transaction of the ledger's file."""
        return self.datastore.transaction(commit=commit)

    @contextmanager
    def locked(self) -> Iterator[Cursor]:
        """A cursor in a write transaction that holds the file's write lock from its start (no other writer can
        store anything until it ends), committed on exit, rolled back on an error."""
        with self.datastore.get_connection(commit=True) as connection, _Immediate(connection, commit=True) as cursor:
            yield cursor


class _Immediate(SQLiteTransaction):
    """The library's transaction, begun with `BEGIN IMMEDIATE`: the write lock is taken at once (waiting for
    other writers as long as the lock timeout allows), so what it reads stays current until it commits."""

    def __enter__(self) -> SQLiteCursor:
        cursor = self.connection.cursor()
        try:
            cursor.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as error:
            raise OperationalError(error) from error
        return cursor


@dataclass(frozen=True)
class PostgresStore:
    """A ledger's events in a PostgreSQL schema."""

    datastore: PostgresDatastore
    dialect: Dialect

    @property
    def schema(self) -> str:
        """The ledger's schema."""
        return self.datastore.schema

    def transaction(self, *, commit: bool) -> AbstractContextManager[Cursor]:
        """A cursor in a transaction on one of the ledger's pooled connections."""
        return self.datastore.transaction(commit=commit)

    @contextmanager
    def locked(self) -> Iterator[Cursor]:
        """A cursor in a write transaction that holds the events table's EXCLUSIVE lock, as the recorder takes it
        (no other writer can store events until it ends; readers are not blocked), committed on exit."""
        with self.datastore.transaction(commit=True) as cursor:
            cursor.execute(f"LOCK TABLE {self.dialect.events} IN EXCLUSIVE MODE")
            yield cursor


SQLStore = SQLiteStore | PostgresStore


def sql_store(application: Application[UUID]) -> SQLStore | None:
    """Where `application` keeps its events, when that is a SQL store (None: e.g. in memory)."""
    datastore: object = getattr(application.recorder, "datastore", None)
    if isinstance(datastore, SQLiteDatastore):
        return SQLiteStore(datastore)
    if type(datastore).__module__ == "eventsourcing.postgres":  # not imported here: it loads psycopg
        recorder = cast("PostgresApplicationRecorder", application.recorder)
        dialect = postgres_dialect(recorder.datastore.schema, recorder.events_table_name)
        return PostgresStore(recorder.datastore, dialect)
    return None


def leave_journal_mode(store: SQLStore | None) -> None:
    """Have the library's connections to a SQLite file leave its journal mode as it is: the library switches a file
    to write-ahead logging on its first connection, which writes the file (a bundle is kept in rollback mode)."""
    if isinstance(store, SQLiteStore):
        store.datastore.pool.is_journal_mode_wal = True  # the library's "already WAL": it then sets nothing
