"""A query's three time axes and its minimum tier, and which recorded actions they make visible (DESIGN §1, §2)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from regledger.domain.actions import ActionBase
from regledger.domain.history import Entry
from regledger.domain.values import Reliability

__all__ = ["Query"]


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

    def admits(self, entry: Entry, action: ActionBase) -> bool:
        """Visible: published by P, recorded by T, and its tier meets the minimum (worked out only when one is set)."""
        return (
            (self.published_by is None or action.published_on <= self.published_by)
            and (self.known_at is None or entry.recorded_at <= self.known_at)
            and (self.min_reliability is None or action.tier.meets(self.min_reliability))
        )

    def on(self, day: date) -> Query:
        """The same axes, as of another day."""
        return replace(self, as_of=day)
