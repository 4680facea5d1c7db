"""The checks: `verify` (the hash chain recomputed from the stored events, and optionally a checkpoint the ledger
must extend) and `check_views` (the read models' answers against the reference fold's).

Checks read only: call them on stores opened with `open_stores(db, write=False)` (`WRITES` is False).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Final

from regledger.adapters.errors import InputError, read_input
from regledger.adapters.integrity.checkpoint import Checkpoint, load_public_key, parse_checkpoint
from regledger.adapters.integrity.verify import Verification, checkpoint_findings, verify_chain
from regledger.adapters.progress import Progress, silent
from regledger.adapters.readmodels.check import Checked
from regledger.adapters.readmodels.check import check_views as compare_with_fold
from regledger.adapters.readmodels.lifecycle import behind
from regledger.adapters.readmodels.source import stored_entries
from regledger.adapters.services.stores import chain_of, read_models_of, store_failures
from regledger.adapters.wiring import Stores

__all__ = [
    "WRITES",
    "CheckpointCheck",
    "Verified",
    "ViewsChecked",
    "check_views",
    "read_checkpoint",
    "read_public_key",
    "verify",
]

WRITES: Final = False
NO_READ_MODELS: Final = "the ledger has no read models yet (`regledger project`)"


@dataclass(frozen=True)
class CheckpointCheck:
    """A checkpoint, and what stops the ledger from extending it (nothing when it does)."""

    checkpoint: Checkpoint
    findings: tuple[str, ...]


@dataclass(frozen=True)
class Verified:
    """What verifying found: the chain's verification, and the checkpoint's check when one was given."""

    verification: Verification
    checkpoint: CheckpointCheck | None

    @property
    def holds(self) -> bool:
        """Whether everything held: the chain, and the checkpoint when one was given."""
        return self.verification.divergence is None and not (self.checkpoint and self.checkpoint.findings)


@dataclass(frozen=True)
class ViewsChecked:
    """What `check_views` found: why the read models could not be checked now, or what comparing them found."""

    behind: str | None
    checked: Checked | None


def read_checkpoint(path: Path) -> Checkpoint:
    """The checkpoint in the file at `path`; InputError when it cannot be read (not a regular file, larger than
    errors.MAX_FILE_BYTES, not UTF-8) or is not a checkpoint."""
    data = read_input(path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InputError(f"{path}: cannot read: {error}") from None
    return parse_checkpoint(text, str(path))


def read_public_key(path: Path) -> bytes:
    """The public key in the PEM file at `path` (as `keygen` writes it); InputError otherwise."""
    return load_public_key(path)


def verify(stores: Stores, checkpoint: Checkpoint | None = None, trusted: bytes | None = None,
           progress: Progress = silent) -> Verified:
    """Recompute every digest of the chain from the stored events; with `checkpoint`, also prove that the ledger
    extends it (signed by `trusted`, when given). `progress("verify", events, total)` hears the pass."""
    store = chain_of(stores)
    with store_failures():
        verification = verify_chain(store, progress, mark=checkpoint.size if checkpoint else None)
        if checkpoint is None:
            return Verified(verification, None)
        findings = checkpoint_findings(store, verification, checkpoint, trusted)
    return Verified(verification, CheckpointCheck(checkpoint, tuple(findings)))


def check_views(stores: Stores, samples: int, seed: int) -> ViewsChecked:
    """Compare the read models' answers with the reference fold's on `samples` draws of the axes (seeded by
    `seed`), once they are current; `behind` says why not when they are not."""
    view = read_models_of(stores)
    reason = behind(stores.ledger, view) if view.installed() else NO_READ_MODELS
    if reason is not None:
        return ViewsChecked(reason, None)
    return ViewsChecked(None, compare_with_fold(stored_entries(stores.ledger), view, samples, seed))
