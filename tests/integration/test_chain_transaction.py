"""The chain is written in the transaction that stores the events, on each store: a run whose chain rows cannot be
written stores nothing, the recorder itself refuses to chain after rows regledger did not write, and a sound ledger
is checked without counting its rows where its notification ids leave no room for others."""

from __future__ import annotations

import pytest
from eventsourcing.persistence import StoredEvent

from regledger.adapters.errors import StoreError
from regledger.adapters.importers.timeline import read_timeline
from regledger.adapters.integrity.chain import ChainCursor
from regledger.adapters.integrity.verify import chain_store, verify_chain
from regledger.adapters.store.sqlite_recorder import ChainedSQLiteApplicationRecorder
from regledger.adapters.wiring import open_ledger
from tests.conftest import EXAMPLE, listed
from tests.integration.integrity_kit import Attacker, events, schema_of


def _counts(db: str) -> tuple[int, int]:
    """How many events are stored and how many chain rows there are."""
    with open_ledger(db) as ledger:
        store = chain_store(ledger)
        head = store.head()
        return store.count_events(), head.position if head else 0


def test_every_sql_store_records_through_a_recorder_that_chains(db: str) -> None:
    with open_ledger(db) as ledger:
        recorder = ledger.recorder

        assert recorder.keeper is not None  # type: ignore[attr-defined]
        if schema_of(db) is None:
            assert isinstance(recorder, ChainedSQLiteApplicationRecorder)


def test_a_runs_chain_rows_cover_exactly_its_events(db: str) -> None:
    with open_ledger(db) as ledger:
        ledger.record(read_timeline(EXAMPLE))
        store = chain_store(ledger)
        stored, links = list(store.all_events()), list(store.all_links())

    assert [(e.notification_id, e.key) for e in stored] == [(r.notification_id, r.key) for r in links]


def test_a_run_whose_chain_rows_cannot_be_written_stores_no_event(db: str, write_timeline,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    with open_ledger(db) as ledger:
        ledger.record(read_timeline(write_timeline([listed("huawei", id="first")])))
    before = _counts(db)

    def fail(_chain: ChainCursor, _rows: object) -> None:
        raise StoreError("the chain table is full")

    monkeypatch.setattr(ChainCursor, "append", fail)
    with open_ledger(db) as ledger, pytest.raises(StoreError, match="the chain table is full"):
        ledger.record(read_timeline(write_timeline([listed("zte", name="ZTE", id="second")])))
    monkeypatch.undo()

    assert _counts(db) == before
    with open_ledger(db) as ledger:
        assert verify_chain(chain_store(ledger)).divergence is None


def test_the_recorder_itself_refuses_to_store_after_a_row_regledger_did_not_write(db: str, write_timeline) -> None:
    with open_ledger(db) as ledger:
        ledger.record(read_timeline(write_timeline([listed("huawei", id="first")])))
    first = events(db)[0]
    attacker = Attacker(db)
    attacker.plant(0, first, version=99)
    attacker.close()
    before = _counts(db)

    with open_ledger(db) as ledger, pytest.raises(StoreError) as refused:
        ledger.recorder.insert_events([StoredEvent(first.originator_id, 100, first.topic, first.state)])

    assert "1 row(s) regledger did not write (notification id 0: " in str(refused.value)
    assert _counts(db) == before


def test_a_ledger_without_gaps_is_found_sound_without_counting_its_rows(db: str,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    with open_ledger(db) as ledger:
        ledger.record(read_timeline(EXAMPLE))

    def no_count(_chain: ChainCursor) -> int:
        raise AssertionError("counted the events table")

    monkeypatch.setattr(ChainCursor, "count", no_count)
    with open_ledger(db, write=False) as ledger:
        assert not ledger.foreign_rows()
    with open_ledger(db) as ledger:
        assert ledger.record(read_timeline(EXAMPLE)).recorded == 0  # all skipped, and no count either


@pytest.mark.postgres
def test_a_row_planted_in_a_gap_of_postgres_ids_is_found_by_the_count(postgres_db: str, write_timeline) -> None:
    import psycopg  # noqa: PLC0415

    from tests.conftest import POSTGRES_URL  # noqa: PLC0415

    with open_ledger(postgres_db) as ledger:
        ledger.record(read_timeline(write_timeline([listed("huawei", id="first")])))
    last_of_first_run = events(postgres_db)[-1].notification_id
    table = f'"{schema_of(postgres_db)}".regledger_events'
    with psycopg.connect(POSTGRES_URL, autocommit=True) as connection:
        for _ in range(3):  # numbers a rolled-back run took: a gap before the next run
            connection.execute("SELECT nextval(pg_get_serial_sequence(%s, 'notification_id'))", (table,))
    with open_ledger(postgres_db) as ledger:
        ledger.record(read_timeline(write_timeline([listed("zte", name="ZTE", id="second")])))
    attacker = Attacker(postgres_db)
    attacker.plant(last_of_first_run + 1, events(postgres_db)[0], version=99)
    attacker.close()

    with open_ledger(postgres_db) as ledger:
        found = ledger.foreign_rows()

    assert [row.notification_id for row in found.rows] == [last_of_first_run + 1]
