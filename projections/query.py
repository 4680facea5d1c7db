"""A query's three time axes and its minimum tier, and which recorded actions they make visible (DESIGN §1, §2)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from regledger.domain.actions import ActionBase
from regledger.domain.history import Entry
from regledger.domain.values import Reliability

__all__ = ["Query"]

_RANK = {tier: tier.rank for tier in Reliability}


def _tier(action: ActionBase) -> Reliability:
    """`action.tier`, with ranks from the table (items.tier_of; not imported: items imports this module)."""
    return max((source.reliability for source in action.sources), key=_RANK.__getitem__)


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

    def admits(self, entry: Entry, action: ActionBase) -> bool:
        """Visible: published by P, recorded by T, and its tier meets the minimum."""
        return (
            (self.published_by is None or action.published_on <= self.published_by)
            and (self.known_at is None or entry.recorded_at <= self.known_at)
            and (self.min_reliability is None or _RANK[_tier(action)] >= _RANK[self.min_reliability])
        )

    def on(self, day: date) -> Query:
        """The same axes, as of another day."""
        return replace(self, as_of=day)
