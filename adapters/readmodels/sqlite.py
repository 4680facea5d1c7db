"""The read models of a SQLite ledger, in its own file: a `SQLiteTrackingRecorder` with the view tables.

SQLite has one writer at a time: every write runs in `BEGIN IMMEDIATE` (waiting up to the ledger's busy timeout,
`SQLITE_LOCK_TIMEOUT`, for other writers) so that the position check and the writes see one state of the file.
The tracking table is `regledger_view_tracking`, so that another projection's `tracking` table stays its own.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any

from eventsourcing.persistence import IntegrityError, OperationalError, PersistenceError
from eventsourcing.sqlite import SQLiteDatastore, SQLiteTrackingRecorder

from regledger.adapters.readmodels.reader import Fetch, ViewReader
from regledger.adapters.readmodels.sql import sqlite_dialect
from regledger.adapters.readmodels.writer import ViewWriter
from regledger.adapters.store.sql import Cursor
from regledger.projections.model_store import ModelStore

__all__ = ["SQLiteModelStore"]

TRACKING = "regledger_view_tracking"


class SQLiteModelStore(ViewReader, ViewWriter, SQLiteTrackingRecorder, ModelStore):
    """Temporal read models and their tracking record in the ledger's SQLite file."""

    def __init__(self, datastore: SQLiteDatastore, version: int) -> None:
        self.dialect = sqlite_dialect()
        self.version = version  # of the read models, stamped on the tables it creates
        super().__init__(datastore)
        self.insert_tracking_statement = self.insert_tracking_statement.replace("tracking", TRACKING)
        self.select_max_tracking_id_statement = self.select_max_tracking_id_statement.replace("tracking", TRACKING)

    def construct_create_table_statements(self) -> list[str]:
        library = super().construct_create_table_statements()
        return [s.replace("EXISTS tracking", f"EXISTS {TRACKING}") for s in library] + self.dialect.create()

    def installed(self) -> bool:
        """True when the read-model tables exist in the file (then remembered in `seen_installed`)."""
        with self._read() as cursor:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?", (TRACKING,))
            found = cursor.fetchone() is not None
        self.seen_installed = self.seen_installed or found
        return found

    def indexes_found(self) -> set[str]:
        """The names of the indexes in the file."""
        with self._read() as cursor:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'index'")
            return {row["name"] for row in cursor.fetchall()}

    def install(self) -> None:
        """Create the tables where missing (stamped with this version). Two processes installing them at once both
        find them missing and both create them, one after the other; the second's tracking record of the tables'
        creation then collides with the first's, and is rolled back: the tables are there, made by the first."""
        try:
            self.create_table()
        except IntegrityError:
            if not self.installed():
                raise
        self.stamp_version(self.version)
        self.seen_installed = True

    def refresh_statistics(self) -> None:
        """Nothing: SQLite plans without statistics (no `sqlite_stat1`), which the statements are written for (an
        ANALYZE could move its planner off the indexes they choose with `+column`)."""

    def _read(self) -> AbstractContextManager[Cursor]:
        return self.datastore.transaction(commit=False)

    def _connect(self) -> Fetch:
        """Each statement on a pooled reader connection, in autocommit mode: no transaction around it."""
        pool = self.datastore.pool

        # rows by name and position; `planned` is moot: SQLite plans a statement without its parameters' values
        def fetch(statement: str, params: tuple[Any, ...], by_name: bool, planned: bool) -> list[Any]:
            connection = pool.get_connection(is_writer=False)
            try:
                with connection.cursor() as cursor:
                    if not by_name:  # plain tuples, as PostgreSQL's reader gives: cheaper to make than rows by name
                        cursor.row_factory = None
                    cursor.execute(statement, params)
                    rows: list[Any] = cursor.fetchall()
                    return rows
            except sqlite3.Error as error:
                raise _translate(error) from error
            finally:
                pool.put_connection(connection)

        return fetch

    @contextmanager
    def _write(self) -> Iterator[Cursor]:
        with self.datastore.get_connection(commit=True) as connection:
            cursor = connection.cursor()
            try:
                cursor.execute("BEGIN IMMEDIATE")
                yield cursor
                connection.commit()
            except sqlite3.Error as error:
                connection.rollback()
                raise _translate(error) from error
            except BaseException:
                connection.rollback()
                raise


def _translate(error: sqlite3.Error) -> PersistenceError:
    """The library's exception for a sqlite3 one (as its own transactions raise)."""
    if isinstance(error, sqlite3.IntegrityError):
        return IntegrityError(str(error))
    if isinstance(error, sqlite3.OperationalError):
        return OperationalError(str(error))
    return PersistenceError(str(error))
