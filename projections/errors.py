"""Projection errors: a query naming something the ledger does not hold.

    ProjectionError
    └── NotFoundError       a list, party or subject named by a query is not in the ledger (with close names)
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["NotFoundError", "ProjectionError"]


class ProjectionError(Exception):
    """Root of the projections' errors."""


class NotFoundError(ProjectionError):
    """A list, party or subject named by a query is not in the ledger."""

    def __init__(self, what: str, name: str, suggestions: Sequence[str] = ()) -> None:
        self.what = what
        self.name = name
        self.suggestions = tuple(suggestions)
        hint = f"; did you mean {', '.join(repr(s) for s in self.suggestions)}?" if self.suggestions else ""
        super().__init__(f"no {what} {name!r} in the ledger{hint}")
