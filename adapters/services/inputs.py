"""What a request to the services names, typed, and the errors about what it names.

A shell parses its own input (command-line options, a web form) into these, and turns the errors below into its own
words: each error says which input it is about, so that the shell can name its own option or field.

    InputError (adapters.errors)
    ├── UnknownNameError       a list, party or subject the request names is not in the ledger
    └── BackwardWindowError    a window whose end is before its start
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Final, Literal

from regledger.adapters.errors import InputError
from regledger.domain.values import Reliability
from regledger.projections import Query

__all__ = ["EVERYTHING", "Axes", "BackwardWindowError", "Named", "Selection", "UnknownNameError", "Window"]

Named = Literal["list", "party", "subject"]


class UnknownNameError(InputError):
    """A list, party or subject the request names is not in the ledger; `named` says which input named it."""

    def __init__(self, named: Named, problem: str) -> None:
        super().__init__(problem)
        self.named, self.problem = named, problem


class BackwardWindowError(InputError):
    """A window (start, end] whose end is before its start."""

    def __init__(self, start: date, end: date) -> None:
        super().__init__(f"the window ends ({end}) before it starts ({start}): it must run forward")
        self.start, self.end = start, end


@dataclass(frozen=True)
class Axes:
    """A query's axes other than its legal-effect date: published by P, known at T, minimum tier (each may be open)."""

    published_by: date | None = None
    known_at: datetime | None = None
    min_reliability: Reliability | None = None

    def on(self, day: date) -> Query:
        """The query of these axes as of `day`."""
        return Query(as_of=day, published_by=self.published_by, known_at=self.known_at,
                     min_reliability=self.min_reliability)


@dataclass(frozen=True)
class Selection:
    """Which part of an answer to keep: one list (its key), one party (key, name or alias, or part of one)."""

    list_key: str | None = None
    party: str | None = None


EVERYTHING: Final = Selection()  # the whole answer


@dataclass(frozen=True)
class Window:
    """The dates (start, end] a change log or a diff covers; BackwardWindowError when it runs backward."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise BackwardWindowError(self.start, self.end)
