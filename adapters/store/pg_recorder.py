"""The PostgreSQL application recorder regledger uses: one statement per record run, no pipeline.

The library's recorder inserts a run's events with a pipelined `executemany`. With tens of thousands of events in one
run (a large import) that deadlocks here: the client waits in `Pipeline.sync()` while the server waits for input.
This recorder sends the run as four arrays to one `INSERT … SELECT FROM unnest(…)`, in a transaction that first takes
the library's table lock (so notification ids follow commit order, which tailing readers rely on) and notifies the
channel the library's subscriptions listen on. Before it commits, the ledger's `ChainKeeper` (see store.sql) checks
that every other row is chained and appends the chain rows of the new ones: under the table lock, the chain's head
cannot move. Chosen by the ledger (see ledger).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import InterfaceError, OperationalError, StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder
from eventsourcing.utils import retry
from psycopg.sql import SQL, Identifier

from regledger.adapters.store.sql import ChainedRecorder

__all__ = ["BulkPostgresApplicationRecorder"]


class BulkPostgresApplicationRecorder(ChainedRecorder, PostgresApplicationRecorder):
    """Inserts a whole run with one statement, and its chain rows, holding the table lock for the transaction."""

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def insert_events(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
        statement = SQL(
            "INSERT INTO {schema}.{table} (originator_id, originator_version, topic, state) "
            "SELECT * FROM unnest(%s::uuid[], %s::bigint[], %s::text[], %s::bytea[]) "
            "RETURNING notification_id, originator_id, originator_version"
        ).format(schema=Identifier(self.datastore.schema), table=Identifier(self.events_table_name))
        columns = (
            [e.originator_id for e in stored_events],
            [e.originator_version for e in stored_events],
            [e.topic for e in stored_events],
            [e.state for e in stored_events],
        )
        with self.datastore.get_connection() as connection, connection.transaction(), connection.cursor() as cursor:
            self._insert_events(cursor, stored_events, **kwargs)
            if not stored_events:
                return []
            self._lock_table(cursor)
            self._notify_channel(cursor)
            cursor.execute(statement, columns)
            ids = {(row["originator_id"], row["originator_version"]): row["notification_id"]
                   for row in cursor.fetchall()}
            inserted = [(ids[e.originator_id, e.originator_version], e) for e in stored_events]
            if self.keeper is not None:
                self.keeper.chain(cursor, inserted)
            return [nid for nid, _ in inserted]
