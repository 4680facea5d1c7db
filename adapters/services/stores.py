"""What the services ask of `Stores` beyond the ledger: its hash chain and its read models, or a StoreError saying
that the store keeps none; and a store failing half-way, told as a StoreError."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from eventsourcing.persistence import PersistenceError

from regledger.adapters.errors import StoreError
from regledger.adapters.integrity.chain import ChainStore
from regledger.adapters.integrity.verify import NO_CHAIN
from regledger.adapters.readmodels.lifecycle import ReadModels
from regledger.adapters.wiring import Stores

__all__ = ["chain_of", "read_models_of", "store_failures"]


def chain_of(stores: Stores) -> ChainStore:
    """The hash chain of the ledger; StoreError for a store that keeps none (in memory)."""
    if stores.chain is None:
        raise StoreError(NO_CHAIN)
    return stores.chain


def read_models_of(stores: Stores) -> ReadModels:
    """The read models of the ledger (installed or not); StoreError for a store that keeps none (in memory)."""
    if stores.views is None:
        raise StoreError("this store keeps no read models: use a SQLite file or PostgreSQL")
    return stores.views


@contextmanager
def store_failures() -> Iterator[None]:
    """Turn the store failing while a service reads it (a lost connection, a locked file) into a StoreError."""
    try:
        yield
    except PersistenceError as error:
        raise StoreError(f"the store failed: {error}") from None
