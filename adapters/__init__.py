"""Adapters: storage, the timeline format, the command line and the wiring that builds them."""

from .errors import ConflictError, InputError, RegledgerError, StoreError
from .ledger import Ledger, Located, RecordResult, StoredAction
from .wiring import open_ledger

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
