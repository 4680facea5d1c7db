"""What an import would change, shown as `diff` shows changes: for `--dry-run`.

The ledger's recorded actions are folded twice for the same query — as they are, and with the actions the import
would record (those not recorded yet) — and the two states are compared the way `diff` compares two dates.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime

from regledger.adapters.render.answers_text import diff_text
from regledger.adapters.store.ledger import Ledger, Located
from regledger.domain.history import Entry, legal_order
from regledger.projections import Query, group_by_subject, resolve_all, state_at
from regledger.projections.diff import assemble, took_effect

__all__ = ["preview"]


def preview(ledger: Ledger, located: Sequence[Located], as_of: date | None = None,
            published_by: date | None = None) -> str:
    """The memo of what recording `located` would change, as of `as_of` (default: the latest effective date)."""
    stored = [Entry(s.position, s.recorded_at, s.action) for s in ledger.stored_actions()]
    known = {e.action.id or e.action.content_hash() for e in stored}
    new = [item.action for item in located if (item.action.id or item.action.content_hash()) not in known]
    top = max((e.seq for e in stored), default=0)
    now = datetime.now(UTC)
    added = [Entry(top + n, now, action) for n, action in enumerate(new, start=1)]
    day = as_of or max((a.effective_on for a in new if a.effective_on), default=now.date())
    query = Query(as_of=day, published_by=published_by)
    before = state_at(resolve_all(group_by_subject(stored), query), query)
    resolved = resolve_all(group_by_subject(stored + added), query)
    pairs = sorted(((s, e, a) for s, found in resolved.items() for e, a in found if e.seq > top),
                   key=lambda t: legal_order(t[1:]))
    took = [(subject, took_effect(subject, entry, action)) for subject, entry, action in pairs]
    result = assemble(query, (day, day), (before, state_at(resolved, query)), took, lambda _query: ())
    lines = diff_text(result).splitlines()
    lines[0] = f"DRY RUN: what recording {len(new)} new action(s) would change in the state as of {day}"
    return "\n".join("Would be recorded (visible to this query)" if line == "Took effect in the window" else line
                     for line in lines)
