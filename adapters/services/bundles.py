"""Bundles: `export` writes a ledger's events up to a moment, their hash chain and a signed checkpoint as one
self-contained SQLite file; `verify_bundle` checks such a file on its own, read-only.

`export` reads the ledger only: call it on stores opened with `open_stores(db, write=False)` (`WRITES`);
`verify_bundle` opens the bundle file itself.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Final

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from regledger.adapters.integrity.bundle import BundleCheck, Exported, export_bundle
from regledger.adapters.integrity.bundle import verify_bundle as check_bundle
from regledger.adapters.integrity.checkpoint import load_public_key
from regledger.adapters.progress import Progress, silent
from regledger.adapters.services.stores import chain_of, store_failures
from regledger.adapters.wiring import Stores

__all__ = ["WRITES", "BundleCheck", "Exported", "export", "verify_bundle"]

WRITES: Final = False


def export(stores: Stores, bundle: Path, until: datetime, key: Ed25519PrivateKey | None = None, *,
           force: bool = False, progress: Progress = silent, include_screenings: bool = False) -> Exported:
    """Write `bundle`: the events recorded up to `until` (a prefix of the ledger), their chain and a checkpoint
    signed with `key` (default: a key made for this bundle only). InputError when `bundle` exists and not `force`.
    `progress("copy" | "chain", events, total)` hears the two passes. Screening runs (they name clients) are left
    out unless `include_screenings`."""
    store = chain_of(stores)
    with store_failures():
        return export_bundle(store, until, bundle, key, force=force, progress=progress,
                             include_screenings=include_screenings)


def verify_bundle(bundle: Path, public_key: Path | None = None, progress: Progress = silent) -> BundleCheck:
    """Verify the bundle file on its own: recompute its chain from its events and check that its checkpoint
    (signed by the key in the file `public_key`, when given) covers exactly those events."""
    trusted = load_public_key(public_key) if public_key else None
    return check_bundle(bundle, trusted, progress)
