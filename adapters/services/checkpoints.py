"""Signing: `keygen` (an Ed25519 key pair for checkpoints) and `checkpoint` (the ledger verified, then its size and
head digest signed), which `verify --checkpoint` later holds the ledger to.

`checkpoint` is called on stores opened with `open_stores(db, write=True)` (`WRITES`), as it always was; `keygen`
needs no store.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Final

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from regledger.adapters.errors import InputError
from regledger.adapters.integrity.chain import ChainStore
from regledger.adapters.integrity.checkpoint import (
    Checkpoint,
    default_key_path,
    load_private_key,
    sign_checkpoint,
    write_key_pair,
)
from regledger.adapters.integrity.labels import recorded_at
from regledger.adapters.integrity.verify import Verification, verify_chain
from regledger.adapters.progress import Progress, silent
from regledger.adapters.services.stores import chain_of, store_failures
from regledger.adapters.wiring import Stores

__all__ = ["WRITES", "KeyPair", "Signed", "checkpoint", "keygen", "read_private_key"]

WRITES: Final = True


@dataclass(frozen=True)
class KeyPair:
    """Where `keygen` wrote the key pair, and the public key's fingerprint."""

    private: Path
    public: Path
    fingerprint: str


@dataclass(frozen=True)
class Signed:
    """What `checkpoint` found and signed: the verification, and the checkpoint (None: the ledger does not
    verify, and nothing was signed)."""

    verification: Verification
    checkpoint: Checkpoint | None


def keygen(private: Path | None = None, *, force: bool = False) -> KeyPair:
    """Write a new key pair: the private key at `private` (default: $REGLEDGER_KEY, else the user's config folder),
    readable by its owner only, and the public key beside it (`.pub`); InputError when one exists and not `force`."""
    path = private or default_key_path()
    try:
        public, fingerprint = write_key_pair(path, force=force)
    except OSError as error:
        raise InputError(f"{path}: cannot write the key: {error.strerror or error}") from None
    return KeyPair(path, public, fingerprint)


def read_private_key(path: Path | None = None) -> Ed25519PrivateKey:
    """The private key at `path` (default as for `keygen`); InputError naming the file otherwise."""
    return load_private_key(path or default_key_path())


def checkpoint(stores: Stores, key: Ed25519PrivateKey, progress: Progress = silent) -> Signed:
    """Verify the ledger, then sign a checkpoint of it with `key`: its size, head digest, the time, the signing key
    and when its last event was recorded. Nothing is signed when the ledger does not verify."""
    store = chain_of(stores)
    with store_failures():
        verification = verify_chain(store, progress)
        if verification.divergence is not None:
            return Signed(verification, None)
        last = _last_recorded_at(store, verification.verified)
    return Signed(verification, sign_checkpoint(key, verification.verified, verification.head, last))


def _last_recorded_at(store: ChainStore, size: int) -> datetime | None:
    """When the last of the first `size` events was recorded."""
    head = store.link_at(size) if size else None
    event = store.event_by_key(head.key) if head else None
    return recorded_at(event.state) if event else None
