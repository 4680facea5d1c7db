"""The read models of a PostgreSQL ledger, in its schema: a `PostgresTrackingRecorder` with the view tables.

Writers of the read models (catch-ups in `record`, `project`, `rebuild`) take a transaction-scoped advisory lock
named after the schema, so that the position check and the writes of one batch see no other writer's; readers
never wait. The tracking table is `regledger_view_tracking`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any

from eventsourcing.postgres import PostgresDatastore, PostgresTrackingRecorder
from psycopg.sql import SQL

from regledger.adapters.readmodels.reader import ViewReader
from regledger.adapters.readmodels.sql import postgres_dialect
from regledger.adapters.readmodels.writer import ViewWriter
from regledger.projections.model_store import ModelStore

__all__ = ["PostgresModelStore"]

TRACKING = "regledger_view_tracking"


class PostgresModelStore(ViewReader, ViewWriter, PostgresTrackingRecorder, ModelStore):
    """Temporal read models and their tracking record in the ledger's PostgreSQL schema."""

    def __init__(self, datastore: PostgresDatastore, version: str = "", set_up_lock: int = 0) -> None:
        super().__init__(datastore, tracking_table_name=TRACKING)
        self.version = version  # of the code computing the rows, stamped on the tables it creates
        self.set_up_lock = set_up_lock
        self.dialect = postgres_dialect(datastore.schema)
        self.sql_create_statements += [SQL(statement) for statement in self.dialect.create()]  # type: ignore[arg-type]
        self._lock_name = f"{datastore.schema}.regledger_views"

    def installed(self) -> bool:
        """True when the read-model tables exist in the schema."""
        with self._read() as cursor:
            cursor.execute("SELECT to_regclass(%s) AS found", (f'"{self.datastore.schema}".{TRACKING}',))
            return cursor.fetchone()["found"] is not None

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

    def _read(self) -> AbstractContextManager[Any]:
        return self.datastore.transaction(commit=False)

    @contextmanager
    def _write(self) -> Iterator[Any]:
        with self.datastore.transaction(commit=True) as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (self._lock_name,))
            yield cursor
