"""Integrity: the hash chain over every stored event (`chain`), the append-only guards (`guards`), `verify` (every
digest recomputed, the first divergence named), signed checkpoints (`checkpoint`), self-contained bundles (`bundle`)
and short labels of stored events (`labels`)."""

from regledger.adapters.integrity.bundle import BundleCheck, Exported, export_bundle, verify_bundle
from regledger.adapters.integrity.chain import ChainRow, ChainStore, StoredRow, catch_up
from regledger.adapters.integrity.checkpoint import Checkpoint, parse_checkpoint, sign_checkpoint
from regledger.adapters.integrity.verify import (
    Divergence,
    Verification,
    chain_store,
    checkpoint_findings,
    install_integrity,
    verify_chain,
)

__all__ = [
    "BundleCheck",
    "ChainRow",
    "ChainStore",
    "Checkpoint",
    "Divergence",
    "Exported",
    "StoredRow",
    "Verification",
    "catch_up",
    "chain_store",
    "checkpoint_findings",
    "export_bundle",
    "install_integrity",
    "parse_checkpoint",
    "sign_checkpoint",
    "verify_bundle",
    "verify_chain",
]
