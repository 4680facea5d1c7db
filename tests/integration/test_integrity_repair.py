"""`repair_chain` on each store, rule by rule: which rows the chain does not hold a crash of an earlier release can
have left (a contiguous tail of whole record runs), and which are never chained, with why."""

from __future__ import annotations

import uuid
from dataclasses import replace

from regledger.adapters.importers.timeline import read_timeline
from regledger.adapters.integrity.chain import StoredRow
from regledger.adapters.integrity.repair import Repair
from regledger.adapters.integrity.verify import chain_store, verify_chain
from regledger.adapters.services.repair import repair_chain as repair_service
from regledger.adapters.wiring import open_ledger, open_stores
from tests.conftest import EXAMPLE, listed
from tests.integration.integrity_kit import Attacker, as_an_earlier_release_left_it, events, record_unchained


def _crashed(db: str, write_timeline, runs: int = 1) -> list[StoredRow]:
    """The bundled case, then `runs` record runs stored without their chain by an earlier release; their rows."""
    with open_ledger(db) as ledger:
        ledger.record(read_timeline(EXAMPLE))
    size = len(events(db))
    for run in range(runs):
        record_unchained(db, read_timeline(write_timeline([listed(f"late-{run}", id=f"late-{run}")])))
    as_an_earlier_release_left_it(db)
    return events(db)[size:]


def _plant(db: str, nid: int | None, like: StoredRow, **changes: object) -> None:
    attacker = Attacker(db)
    try:
        attacker.plant(nid, like, **changes)  # type: ignore[arg-type]
    finally:
        attacker.close()


def _repair(db: str, *, apply: bool = False) -> Repair:
    with open_stores(db) as stores:
        return repair_service(stores, apply=apply).repair


def _reasons(repair: Repair) -> dict[int, str]:
    return {refused.row.notification_id: refused.reason for refused in repair.tail.refused}


def test_a_tail_of_several_runs_is_chained_whole_and_then_verifies(db: str, write_timeline) -> None:
    tail = _crashed(db, write_timeline, runs=2)

    listed_only, repaired = _repair(db), _repair(db, apply=True)

    assert [row.notification_id for row in listed_only.tail.chainable] == [row.notification_id for row in tail]
    assert len(listed_only.tail.runs) == 2
    assert (listed_only.chained, repaired.chained, repaired.unchained) == (0, len(tail), 0)
    with open_ledger(db) as ledger:
        assert verify_chain(chain_store(ledger)).divergence is None


def test_a_gap_inside_a_run_and_a_version_out_of_sequence_stop_the_tail(db: str, write_timeline) -> None:
    tail = _crashed(db, write_timeline)
    last = tail[-1]
    _plant(db, last.notification_id + 3, last, version=last.version + 5)  # the same run's time, after a gap

    repair = _repair(db)

    assert len(repair.tail.chainable) == len(tail)
    assert "a gap in notification ids within one record run" in _reasons(repair)[last.notification_id + 3]


def test_a_version_that_follows_nothing_is_never_chained(db: str, write_timeline) -> None:
    tail = _crashed(db, write_timeline)
    last = tail[-1]
    _plant(db, last.notification_id + 1, last, originator=uuid.uuid4(), version=7)

    repair = _repair(db, apply=True)

    assert repair.chained == len(tail)
    assert "version 7 of its stream follows no chained or chainable version 6" in \
        _reasons(repair)[last.notification_id + 1]


def test_a_row_between_chained_ones_is_never_chained(db: str) -> None:
    with open_ledger(db) as ledger:
        ledger.record(read_timeline(EXAMPLE))
    first = events(db)[0]
    attacker = Attacker(db)
    attacker.disarm()
    attacker.execute("DELETE FROM {t} WHERE {nid} = ?", (5,))  # room among the chained rows
    attacker.close()
    _plant(db, 5, replace(first, originator_id=uuid.uuid4()))

    repair = _repair(db, apply=True)

    assert repair.chained == 0
    assert "stored among the chained rows" in _reasons(repair)[5]
