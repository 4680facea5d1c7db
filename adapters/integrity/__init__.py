"""Integrity: the hash chain over every stored event (`chain`), written with the events in the transaction that stores
them (`keeper`), the append-only guards (`guards`), `verify` (every digest recomputed over every row, the first
divergence named), the repair of a chain an earlier release left short (`repair`), signed checkpoints
(`checkpoint`), self-contained bundles (`bundle`) and short labels of stored events (`labels`)."""

from regledger.adapters.integrity.bundle import BundleCheck, Exported, export_bundle, verify_bundle
from regledger.adapters.integrity.chain import ChainRow, ChainStore, StoredRow, catch_up
from regledger.adapters.integrity.checkpoint import Checkpoint, parse_checkpoint, sign_checkpoint
from regledger.adapters.integrity.keeper import LedgerChain
from regledger.adapters.integrity.repair import Repair, Tail, repair_chain
from regledger.adapters.integrity.verify import (
    Divergence,
    Verification,
    chain_store,
    checkpoint_findings,
    install_integrity,
    keeper_of,
    verify_chain,
)

__all__ = [
    "BundleCheck",
    "ChainRow",
    "ChainStore",
    "Checkpoint",
    "Divergence",
    "Exported",
    "LedgerChain",
    "Repair",
    "StoredRow",
    "Tail",
    "Verification",
    "catch_up",
    "chain_store",
    "checkpoint_findings",
    "export_bundle",
    "install_integrity",
    "keeper_of",
    "parse_checkpoint",
    "repair_chain",
    "sign_checkpoint",
    "verify_bundle",
    "verify_chain",
]
