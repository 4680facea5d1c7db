"""Adapters: storage, the timeline format, the command line and the wiring that builds them."""

from regledger.adapters.errors import ConflictError, InputError, RegledgerError, StoreError
from regledger.adapters.store.ledger import Ledger, Located, RecordResult, StoredAction
from regledger.adapters.wiring import open_ledger

__all__ = [
    "ConflictError",
    "InputError",
    "Ledger",
    "Located",
    "RecordResult",
    "RegledgerError",
    "StoreError",
    "StoredAction",
    "open_ledger",
]
