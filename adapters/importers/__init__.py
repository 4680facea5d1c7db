"""Importers: public sources (Federal Register documents, screening-list snapshots) turned into timeline actions."""

from .federal_register import FederalRegisterImport, read_documents, read_links

__all__ = ["FederalRegisterImport", "read_documents", "read_links"]
