"""Importers: public sources (Federal Register documents, screening-list snapshots) turned into timeline actions."""

from .federal_register import FederalRegisterImport, read_documents, read_links
from .screening_list import SOURCES, SnapshotImport, import_snapshot, read_snapshot

__all__ = [
    "SOURCES",
    "FederalRegisterImport",
    "SnapshotImport",
    "import_snapshot",
    "read_documents",
    "read_links",
    "read_snapshot",
]
