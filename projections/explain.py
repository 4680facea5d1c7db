"""Why a query's state is empty: which axis left nothing visible, said in words."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from regledger.domain.actions import Correction, Retraction
from regledger.domain.history import Entry

from .query import Query

__all__ = ["why_empty"]


def why_empty(entries: Sequence[Entry], query: Query) -> tuple[str, ...]:
    """One sentence on why nothing is in the state for `query`: the first axis that leaves nothing."""
    if not entries:
        return ("the ledger is empty: nothing has been recorded",)
    recorded = [e for e in entries if query.known_at is None or e.recorded_at <= query.known_at]
    if not recorded:
        first = min(e.recorded_at for e in entries)
        return (f"nothing had been recorded by {rfc3339(query.known_at)}: the first action was recorded at "
                f"{rfc3339(first)}",)
    published = [e for e in recorded if query.published_by is None or e.action.published_on <= query.published_by]
    if not published:
        first_day = min(e.action.published_on for e in recorded)
        return (f"nothing recorded had been published by {query.published_by}: the earliest publication is "
                f"{first_day}",)
    visible = [e.action for e in published
               if e.action.tier.meets(query.min_reliability) and not isinstance(e.action, Correction | Retraction)]
    if not visible:
        tier = query.min_reliability.value if query.min_reliability else "any"
        return (f"no visible action rests on a source of tier {tier} or stronger",)
    day = query.as_of
    if any(a.effective_on <= day or a.published_on <= day for a in visible):
        return (f"the visible actions up to {day} leave nothing in force or pending (ended, or retracted)",)
    first_day = min(min(a.effective_on, a.published_on) for a in visible)
    return (f"nothing visible had taken effect or been published by {day}: the earliest date is {first_day}",)


def rfc3339(moment: datetime | None) -> str:
    """A timestamp as RFC 3339 with `Z` for UTC."""
    return moment.isoformat().replace("+00:00", "Z") if moment else ""
