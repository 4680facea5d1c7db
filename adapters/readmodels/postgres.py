"""The read models of a PostgreSQL ledger, in its schema: a `PostgresTrackingRecorder` with the view tables.

Writers of the read models (catch-ups in `record`, `project`, `rebuild`) take a transaction-scoped advisory lock
named after the schema, so that the position check and the writes of one batch see no other writer's; readers
never wait. The tracking table is `regledger_view_tracking`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any

import psycopg
from eventsourcing import persistence
from eventsourcing.persistence import PersistenceError
from eventsourcing.postgres import PostgresDatastore, PostgresTrackingRecorder
from psycopg.rows import dict_row, tuple_row
from psycopg.sql import SQL, Composed

from regledger.adapters.readmodels.reader import Fetch, ViewReader
from regledger.adapters.readmodels.sql import TABLES, postgres_dialect
from regledger.adapters.readmodels.writer import ViewWriter
from regledger.adapters.store.sql import Cursor
from regledger.projections.model_store import ModelStore

__all__ = ["PostgresModelStore"]

TRACKING = "regledger_view_tracking"


class PostgresModelStore(ViewReader, ViewWriter, PostgresTrackingRecorder, ModelStore):
    """Temporal read models and their tracking record in the ledger's PostgreSQL schema."""

    def __init__(self, datastore: PostgresDatastore, version: int, set_up_lock: int) -> None:
        super().__init__(datastore, tracking_table_name=TRACKING)
        self.version = version  # of the read models, stamped on the tables it creates
        self.set_up_lock = set_up_lock
        self.dialect = postgres_dialect(datastore.schema)
        self.sql_create_statements += [Composed([SQL(statement)]) for statement in self.dialect.create()]
        self._lock_name = f"{datastore.schema}.regledger_views"

    def installed(self) -> bool:
        """True when the read-model tables exist in the schema (then remembered in `seen_installed`)."""
        with self._read() as cursor:
            cursor.execute("SELECT to_regclass(%s) AS found", (f'"{self.datastore.schema}".{TRACKING}',))
            found = cursor.fetchone()["found"] is not None
        self.seen_installed = self.seen_installed or found
        return found

    def indexes_found(self) -> set[str]:
        """The names of the indexes in the schema."""
        with self._read() as cursor:
            cursor.execute("SELECT indexname FROM pg_indexes WHERE schemaname = %s", (self.datastore.schema,))
            return {row["indexname"] for row in cursor.fetchall()}

    def install(self) -> None:
        """Create the tables where missing (stamped with this version), holding the ledger's set-up lock (a
        session advisory lock: concurrent CREATE statements collide in PostgreSQL's catalogue)."""
        with self.datastore.get_connection() as connection:
            connection.execute("SELECT pg_advisory_lock(%s)", (self.set_up_lock,))
            try:
                self.create_table()
                self.stamp_version(self.version)
            finally:
                connection.execute("SELECT pg_advisory_unlock(%s)", (self.set_up_lock,))
        self.seen_installed = True

    def refresh_statistics(self) -> None:
        """VACUUM (ANALYZE) every read-model table. After a rebuild the planner knows nothing of the rows until
        autovacuum gets to them (never, where it is off), and guesses plans a hundred times slower for some
        statements (`concerning` as a sequential scan: 29 ms instead of 0.8 ms on 72,000 events); and until a vacuum
        marks the pages all-visible, no scan of a covering index can skip the table's pages (a window's subjects,
        100,000 actions: 15 ms through the heap, 4 ms from the index alone). VACUUM runs outside a transaction, on
        one of the pool's connections (which commit each statement)."""
        with self.datastore.get_connection() as connection:
            for name in (*TABLES, "tracking"):
                connection.execute(SQL("VACUUM (ANALYZE) {}").format(SQL(self.dialect.table(name))))

    def _read(self) -> AbstractContextManager[Cursor]:
        return self.datastore.transaction(commit=False)

    def _connect(self) -> Fetch:
        """Each statement prepared (unless it asks to be `planned` for its parameters: `reader.Fetch`) on a
        connection straight from the library's pool (opened by its first use, as the library does): its
        `get_connection` costs as much again as the statement's own Python, and is only needed for the errors it
        translates, which this translates the same way."""
        with self.datastore.get_connection():  # opens the library's pool, where nothing has used it yet
            pool = self.datastore.pool

        def fetch(statement: str, params: tuple[Any, ...], by_name: bool, planned: bool) -> list[Any]:
            try:
                connection = pool.getconn()
                try:
                    with connection.cursor(row_factory=dict_row if by_name else tuple_row) as cursor:
                        cursor.execute(statement, params, prepare=not planned)  # unprepared: planned for `params`
                        rows: list[Any] = cursor.fetchall()
                        return rows
                finally:
                    pool.putconn(connection)
            except psycopg.Error as error:
                raise _persistence_error(error) from error

        return fetch

    @contextmanager
    def _write(self) -> Iterator[Cursor]:
        with self.datastore.transaction(commit=True) as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (self._lock_name,))
            yield cursor


def _persistence_error(error: Exception) -> PersistenceError:
    """The library's exception for a driver's one: the class of the same name as the nearest DB-API class the
    error is (as the library's own `get_connection` raises), else `PersistenceError`."""
    for kind in type(error).__mro__:
        translated = getattr(persistence, kind.__name__, None)
        if isinstance(translated, type) and issubclass(translated, PersistenceError):
            return translated(str(error))
    return PersistenceError(str(error))
