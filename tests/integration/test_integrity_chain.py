"""The hash chain on each store: up to date when `record` returns, each event chained exactly once however often
the catch-up runs or crashes, gaps in notification ids taken for what they are, and the same digests everywhere."""

from __future__ import annotations

import itertools
import subprocess
import sys
import threading
from pathlib import Path

import psycopg
import pytest
from eventsourcing.persistence import IntegrityError

from regledger.adapters.importers.timeline import read_timeline
from regledger.adapters.integrity.chain import GENESIS, catch_up, extend, link
from regledger.adapters.integrity.verify import chain_store, verify_chain
from regledger.adapters.store.ledger import Ledger
from regledger.adapters.store.settings import parse_store
from regledger.adapters.wiring import open_ledger
from tests.conftest import EXAMPLE, POSTGRES_URL, drop_schema, listed
from tests.integration.integrity_kit import clone, events, record_unchained, schema_of

REGLEDGER = str(Path(sys.executable).parent / "regledger")


def _record_unchained(db: str, located) -> None:
    """Store a run without its chain rows, as a release that chained after storing left a run it was killed
    between the two."""
    record_unchained(db, located)


def test_record_returns_with_every_event_chained(db: str) -> None:
    with open_ledger(db) as ledger:
        ledger.record(read_timeline(EXAMPLE))
        store = chain_store(ledger)
        head = store.head()

        assert head is not None
        assert head.position == store.count_events()
        assert verify_chain(store).divergence is None


def test_the_chain_is_the_digest_of_each_event_and_the_one_before(db: str, write_timeline) -> None:
    with open_ledger(db) as ledger:
        ledger.record(read_timeline(write_timeline([listed("huawei")])))
        store = chain_store(ledger)
        stored, links = list(store.all_events()), list(store.all_links())

    digest = GENESIS
    for event, row in zip(stored, links, strict=True):
        digest = link(digest, event)
        assert (row.notification_id, row.key, row.digest) == (event.notification_id, event.key, digest)


def test_running_the_catch_up_again_applies_nothing(db: str) -> None:
    with open_ledger(db) as ledger:
        ledger.record(read_timeline(EXAMPLE))
        store = chain_store(ledger)
        before = list(store.all_links())

        assert catch_up(store) == 0
        assert catch_up(store) == 0
        assert list(store.all_links()) == before


def test_a_batch_that_was_already_applied_collides_and_changes_nothing(db: str) -> None:
    _record_unchained(db, read_timeline(EXAMPLE))
    with open_ledger(db) as ledger:
        store = chain_store(ledger)
        batch = extend(store.head(), store.events(0, 10))
        store.append(batch)

        with pytest.raises(IntegrityError):
            store.append(batch)  # a second runner, or a retry after a lost reply, writes the same rows again

        assert [row.position for row in store.all_links()] == list(range(1, 11))


def test_a_catch_up_that_crashes_mid_batch_leaves_nothing_and_the_next_one_completes(db: str) -> None:
    _record_unchained(db, read_timeline(EXAMPLE))
    with open_ledger(db) as ledger:
        store = chain_store(ledger)
        batch = extend(store.head(), store.events(0, 10))
        with pytest.raises(IntegrityError):
            store.append([*batch, batch[0]])  # fails on its last row: the transaction is rolled back whole

        assert store.head() is None
        assert catch_up(store, batch=7) == store.count_events()
        assert verify_chain(store).divergence is None


def test_concurrent_catch_ups_chain_each_event_once(db: str) -> None:
    _record_unchained(db, read_timeline(EXAMPLE))
    with open_ledger(db) as first, open_ledger(db) as second:
        stores = [chain_store(first), chain_store(second)]
        applied: list[int] = []
        threads = [threading.Thread(target=lambda s=s: applied.append(catch_up(s, batch=5))) for s in stores]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

        assert sum(applied) == stores[0].count_events()
        assert verify_chain(stores[0]).divergence is None


def test_a_ledger_recorded_before_it_had_a_chain_is_chained_when_first_opened(db: str) -> None:
    schema = schema_of(db)
    if schema:
        drop_schema(schema)  # opened below by the application alone, in a schema of its own making
        with psycopg.connect(POSTGRES_URL, autocommit=True) as connection:
            connection.execute(f'CREATE SCHEMA "{schema}"')
    bare = Ledger(env=parse_store(db).env)  # the application alone, as ledgers were built before the chain
    try:
        bare.record(read_timeline(EXAMPLE))
    finally:
        bare.close()

    with open_ledger(db) as ledger:
        result = verify_chain(chain_store(ledger))

    assert result.divergence is None
    assert result.verified == len(events(db))


def test_the_same_events_give_the_same_digests_on_any_store(db: str, tmp_path) -> None:
    with open_ledger(db) as ledger:
        ledger.record(read_timeline(EXAMPLE))
        head = chain_store(ledger).head()
    other = str(tmp_path / "other.db")

    clone(db, other, len(events(db)))

    with open_ledger(other) as copy:
        assert chain_store(copy).head() == head


@pytest.mark.postgres
def test_gaps_in_postgres_notification_ids_are_not_deletions(postgres_db: str, write_timeline) -> None:
    with open_ledger(postgres_db) as ledger:
        ledger.record(read_timeline(write_timeline([listed("huawei", id="first")])))
    table = f'"{schema_of(postgres_db)}".regledger_events'
    with psycopg.connect(POSTGRES_URL, autocommit=True) as connection:
        for _ in range(5):  # what rolled-back inserts leave: numbers taken and never used
            connection.execute("SELECT nextval(pg_get_serial_sequence(%s, 'notification_id'))", (table,))
    with open_ledger(postgres_db) as ledger:
        ledger.record(read_timeline(write_timeline([listed("zte", name="ZTE", id="second")])))
        result = verify_chain(chain_store(ledger))
    ids = [event.notification_id for event in events(postgres_db)]

    assert any(later - earlier > 1 for earlier, later in itertools.pairwise(ids))
    assert result.divergence is None
    assert result.verified == len(ids)


def test_two_processes_recording_at_once_leave_one_chain_that_verifies(db: str, write_timeline) -> None:
    files = [write_timeline([listed(f"{side}-{n}", name=f"Party {side}{n}", id=f"{side}-{n}") for n in range(40)])
             for side in ("a", "b")]
    with open_ledger(db):
        pass  # created first, so that both writers start recording at once
    writers = [subprocess.Popen([REGLEDGER, "record", "--db", db, str(path)], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True) for path in files]
    for writer in writers:
        out, err = writer.communicate(timeout=120)
        assert writer.returncode == 0, (out, err)

    verified = subprocess.run([REGLEDGER, "verify", "--db", db], capture_output=True, text=True, timeout=120,
                              check=False)

    assert verified.returncode == 0, verified
    assert f"{len(events(db))} events verified" in verified.stdout
