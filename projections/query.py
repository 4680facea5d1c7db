"""A query's three time axes and its minimum tier, and which recorded actions they make visible (DESIGN §1, §2)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import TypeVar

from regledger.domain.actions import ActionBase
from regledger.domain.history import Entry
from regledger.domain.values import Reliability

__all__ = ["Query"]

A = TypeVar("A", bound=ActionBase)


@dataclass(frozen=True)
class Query:
    """As of D (legal effect), published by P, known at T (our record), minimum tier; P, T and tier may be open."""

    as_of: date
    published_by: date | None = None
    known_at: datetime | None = None
    min_reliability: Reliability | None = None

    def __post_init__(self) -> None:
        if self.known_at is not None and self.known_at.tzinfo is None:
            msg = "known_at must carry a time zone"
            raise ValueError(msg)

    @property
    def min_rank(self) -> int:
        """The rank an action's tier must reach: the minimum tier's, 0 when the minimum is open."""
        return self.min_reliability.rank if self.min_reliability is not None else 0

    def sees(self, entry: Entry, action: A) -> A | None:
        """`action` as this query sees it: recorded by T, and through its sources of the minimum tier or better
        dated by P (`ActionBase.seen`: those sources only, published_on the earliest of their dates); None when
        it is not visible."""
        if self.known_at is not None and entry.recorded_at > self.known_at:
            return None
        return action.seen(self.published_by, self.min_rank)

    def admits(self, entry: Entry, action: ActionBase) -> bool:
        """Visible: recorded by T, with a source of the minimum tier or better dated by P (`sees`)."""
        return self.sees(entry, action) is not None

    def on(self, day: date) -> Query:
        """The same axes, as of another day."""
        return replace(self, as_of=day)
