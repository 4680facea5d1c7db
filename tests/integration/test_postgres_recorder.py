"""The PostgreSQL recorder stores a very large run in one transaction (the library's pipelined insert deadlocked)."""

from __future__ import annotations

import uuid

import pytest
from eventsourcing.persistence import IntegrityError, StoredEvent

from regledger.adapters.store.pg_recorder import BulkPostgresApplicationRecorder
from regledger.adapters.wiring import open_ledger

pytestmark = pytest.mark.postgres


def _events(count: int) -> list[StoredEvent]:
    return [StoredEvent(uuid.uuid4(), 1, "tests:Event", b'{"n":%d}' % n) for n in range(count)]


def test_the_ledger_uses_the_bulk_recorder(postgres_db) -> None:
    with open_ledger(postgres_db) as ledger:
        assert isinstance(ledger.recorder, BulkPostgresApplicationRecorder)


def test_a_run_of_sixty_thousand_events_is_stored_in_commit_order(postgres_db) -> None:
    events = _events(60_000)
    with open_ledger(postgres_db) as ledger:
        ids = ledger.recorder.insert_events(events)
        stored = ledger.recorder.select_notifications(start=None, limit=100_000)

    assert len(ids) == len(events)
    assert ids == sorted(ids)
    assert [(n.originator_id, n.state) for n in stored[-len(events):]] == [(e.originator_id, e.state) for e in events]


def test_a_conflicting_run_stores_nothing(postgres_db) -> None:
    events = _events(3)
    with open_ledger(postgres_db) as ledger:
        before = ledger.recorder.max_notification_id()
        ledger.recorder.insert_events(events[:1])

        with pytest.raises(IntegrityError):
            ledger.recorder.insert_events(events[1:] + events[:1])

        assert ledger.recorder.max_notification_id() == (before or 0) + 1
