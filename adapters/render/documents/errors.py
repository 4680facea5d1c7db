"""The documents' one error: a report that cannot be laid out as PDF or Word.

    RegledgerError
    └── DocumentError      a report cannot be made into a PDF or Word document (exit 1)
"""

from __future__ import annotations

from regledger.adapters.errors import RegledgerError

__all__ = ["DocumentError"]


class DocumentError(RegledgerError):
    """A report cannot be made into a PDF or Word document."""
