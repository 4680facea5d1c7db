"""Why a query's state is empty: which axis left nothing visible, said in words.

The sentences need only a few facts about the ledger (`Evidence`): the reference fold reads them off the entries,
a read model off its indexes; both say the same.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from datetime import date, datetime

from regledger.domain.actions import Correction, Retraction
from regledger.domain.history import Entry

from .query import Query

__all__ = ["EntriesEvidence", "Evidence", "explain", "rfc3339", "why_empty", "why_nothing_visible"]


class Evidence(ABC):
    """What the explanation of an empty answer needs to know about the ledger."""

    @abstractmethod
    def first_recorded(self) -> datetime | None:
        """The earliest recorded_at; None when nothing has been recorded."""

    @abstractmethod
    def first_published(self, known_at: datetime | None) -> date | None:
        """The earliest published_on among the actions recorded by `known_at` (corrections included)."""

    @abstractmethod
    def first_day(self, query: Query) -> date | None:
        """Among the actions other than corrections and retractions, as written, that `query`'s P, T and tier admit:
        the earliest of their effective and published dates; None when there is none."""


class EntriesEvidence(Evidence):
    """The evidence read off recorded entries."""

    def __init__(self, entries: Sequence[Entry]) -> None:
        self.entries = entries

    def first_recorded(self) -> datetime | None:
        return min((e.recorded_at for e in self.entries), default=None)

    def first_published(self, known_at: datetime | None) -> date | None:
        recorded = [e for e in self.entries if known_at is None or e.recorded_at <= known_at]
        return min((day for e in recorded for day in e.action.source_dates()), default=None)

    def first_day(self, query: Query) -> date | None:
        visible = [seen for e in self.entries if not isinstance(e.action, Correction | Retraction)
                   and (seen := query.sees(e, e.action)) is not None]
        return min((min(a.legal_on, a.published_on) for a in visible), default=None)


def why_empty(entries: Sequence[Entry], query: Query) -> tuple[str, ...]:
    """One sentence on why nothing is in the state for `query`: the first axis that leaves nothing."""
    return explain(EntriesEvidence(entries), query)


def explain(evidence: Evidence, query: Query) -> tuple[str, ...]:
    """One sentence on why nothing is in the state for `query`, from `evidence`."""
    hidden = why_nothing_visible(evidence, query)
    if hidden is not None:
        return (hidden,)
    first_day = evidence.first_day(query)
    if first_day is None:
        tier = query.min_reliability.value if query.min_reliability else "any"
        return (f"no visible action rests on a source of tier {tier} or stronger",)
    day = query.as_of
    if first_day <= day:
        return (f"the visible actions up to {day} leave nothing in force or pending (ended, or retracted)",)
    return (f"nothing visible had taken effect or been published by {day}: the earliest date is {first_day}",)


def why_nothing_visible(evidence: Evidence, query: Query) -> str | None:
    """`explain`'s sentence when `evidence` alone shows that nothing is in the state for `query`: nothing has been
    recorded, or by its T, or published by its P (corrections included: a correction applies only once published
    itself); None when something may be. The later sentences of `explain` (tier, dates) read the actions as
    written, which a correction may change: they say why a state found empty is, not that it is."""
    first = evidence.first_recorded()
    if first is None:
        return "the ledger is empty: nothing has been recorded"
    if query.known_at is not None and first > query.known_at:
        return (f"nothing had been recorded by {rfc3339(query.known_at)}: the first action was recorded at "
                f"{rfc3339(first)}")
    first_published = evidence.first_published(query.known_at)
    if query.published_by is not None and first_published is not None and first_published > query.published_by:
        return (f"nothing recorded had been published by {query.published_by}: the earliest publication is "
                f"{first_published}")
    return None


def rfc3339(moment: datetime | None) -> str:
    """A timestamp as RFC 3339 with `Z` for UTC."""
    return moment.isoformat().replace("+00:00", "Z") if moment else ""
