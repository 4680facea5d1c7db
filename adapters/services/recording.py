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

__all__ = ["WRITES", "read_actions", "record"]

WRITES: Final = True


def read_actions(files: Sequence[Path]) -> list[Located]:
    """Every action of the timeline files (YAML or JSON), each validated on its own; InputError naming the file,
    the action and the field otherwise."""
    return read_timelines(list(files))


def record(stores: Stores, actions: Sequence[Located]) -> RecordResult:
    """Validate `actions` against the ledger and those before them, then store them all, or nothing; actions
    already recorded (same id, or same content without an id) are skipped."""
    return stores.ledger.record(actions)
