"""Repairing a chain an earlier release left short: `repair_chain` lists the rows the chain does not hold, sorted into
those a record run of an earlier release, stopped between storing and chaining, can have left (a contiguous tail of
whole record runs) and the others (never chained: rows regledger did not write), and chains the first only when told
to, each chain row noting the repair (see integrity.repair).

The read models pass over rows the chain does not hold; when they already passed over rows now chained, they are
rebuilt so as to take them in. Repairing writes: call it on stores opened with `open_stores(db, write=True)`
(`WRITES`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Final, cast

from eventsourcing.persistence import StoredEvent

from regledger.adapters.integrity.chain import StoredRow
from regledger.adapters.integrity.repair import Decode, Repair
from regledger.adapters.integrity.repair import repair_chain as repair_tail
from regledger.adapters.readmodels.runner import rebuild
from regledger.adapters.services.stores import chain_of, store_failures
from regledger.adapters.store.ledger import Ledger
from regledger.adapters.wiring import Stores
from regledger.domain.events import DomainEvent

__all__ = ["WRITES", "Repaired", "repair_chain"]

WRITES: Final = True


@dataclass(frozen=True)
class Repaired:
    """What `repair_chain` found and did, and whether the read models were rebuilt to take repaired rows in."""

    repair: Repair
    views_rebuilt: bool


def repair_chain(stores: Stores, *, apply: bool = False) -> Repaired:
    """The rows the chain does not hold, sorted; with `apply`, the chainable tail chained."""
    ledger = stores.ledger
    with store_failures():
        repair = repair_tail(chain_of(stores), _decoder(ledger), apply=apply)
        return Repaired(repair, _take_in(stores, repair))


def _decoder(ledger: Ledger) -> Decode:
    """The recording time of a stored row read as one of the ledger's events (raises when it is not one)."""

    def recorded_at(row: StoredRow) -> datetime:
        stored = StoredEvent(row.originator_id, row.version, row.topic, row.state)
        return cast(DomainEvent, ledger.mapper.to_domain_event(stored)).timestamp

    return recorded_at


def _take_in(stores: Stores, repair: Repair) -> bool:
    """Rebuild the read models when they passed over rows now chained; whether they were."""
    view = stores.views
    if not repair.chained or view is None or not view.installed():
        return False
    if (view.position() or 0) < repair.tail.chainable[0].notification_id:
        return False  # the next catch-up applies them
    rebuild(stores.ledger, view)
    return True
