"""The SQLite application recorder regledger uses: the library's, with the chain written in the same transaction as
the events it covers.

A record run's events are inserted one statement each (the library's way of learning their rowids), and then, before
the transaction commits, the ledger's `ChainKeeper` (see store.sql) checks that every other row is chained and
appends the chain rows of the new ones. The first statement is a write, so the transaction holds the file's write
lock from then on: the chain's head it reads cannot move under it. Chosen by the ledger (see ledger).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import StoredEvent
from eventsourcing.sqlite import SQLiteApplicationRecorder

from regledger.adapters.store.sql import ChainedRecorder

__all__ = ["ChainedSQLiteApplicationRecorder"]


class ChainedSQLiteApplicationRecorder(ChainedRecorder, SQLiteApplicationRecorder):
    """Inserts a run's events and their chain rows in one transaction."""

    def insert_events(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
        with self.datastore.transaction(commit=True) as cursor:
            ids = self._insert_events(cursor, stored_events, **kwargs)
            if self.keeper is not None and stored_events and ids:
                self.keeper.chain(cursor, list(zip(ids, stored_events, strict=True)))
            return ids
