"""Recording timeline files: every action validated, then all stored in one transaction, or none.

`read_actions` reads and validates the files on their own (no store needed, so a bad file is refused before the
ledger is opened); `record` validates them against the ledger and stores them. Recording writes: call it on stores
opened with `open_stores(db, write=True)` (`WRITES`).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Final

from regledger.adapters.importers.timeline import read_timelines
from regledger.adapters.store.ledger import Located, RecordResult
from regledger.adapters.wiring import Stores
from regledger.domain.actions import MeasureWithdrawn
from regledger.domain.measure import Measure, measure_id

__all__ = ["WRITES", "read_actions", "record", "withdrawal_warnings"]

WRITES: Final = True


def read_actions(files: Sequence[Path]) -> list[Located]:
    """Every action of the timeline files (YAML or JSON), each validated on its own; InputError naming the file,
    the action and the field otherwise."""
    return read_timelines(list(files))


def record(stores: Stores, actions: Sequence[Located]) -> RecordResult:
    """Validate `actions` against the ledger and those before them, then store them all, or nothing; actions
    already recorded (same id, or same content without an id) are skipped."""
    return stores.ledger.record(actions)


def withdrawal_warnings(stores: Stores, actions: Sequence[Located]) -> list[str]:
    """For each `measure_withdrawn` among `actions` that ends a measure already adopted, a warning that it is read as
    a revocation (status `revoked`) and that `measure_revoked` says so. Reads the measures only when there is one."""
    keys = {item.action.measure.key for item in actions if isinstance(item.action, MeasureWithdrawn)}
    warnings = []
    for key in sorted(keys):
        measure = stores.ledger.subject(measure_id(key))
        if not isinstance(measure, Measure):
            continue
        for action in measure.revocations_by_withdrawal():
            named = f"action {action.id!r}" if action.id else f"the measure_withdrawn effective {action.effective_on}"
            warnings.append(f"{named} ends measure {key!r} after its adoption: it is read as a revocation (status "
                            "'revoked'); record such an end as measure_revoked (measure_withdrawn is for drafts and "
                            "proposals abandoned before adoption)")
    return warnings
