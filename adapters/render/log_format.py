"""How `log` shows the stored actions: one line each (position, recording time, the three dates, kind, subject and
best source; stored text shown safely), or JSON (the exact data); and moments in RFC 3339 with `Z` for UTC."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from regledger.adapters.safe_text import safe_lines
from regledger.adapters.store.ledger import StoredAction
from regledger.domain.actions import Action, Correction, ListingAction, MeasureAction, PositionStated, Retraction
from regledger.domain.values import best_source

__all__ = ["log_item", "log_json", "log_text", "rfc3339", "subject_label"]


def rfc3339(moment: datetime) -> str:
    """`moment` in RFC 3339, UTC written `Z`."""
    return moment.isoformat().replace("+00:00", "Z")


def log_json(stored: Sequence[StoredAction]) -> str:
    """The stored actions as a JSON list, in recording order."""
    return json.dumps([log_item(s) for s in stored], indent=2, ensure_ascii=False)


def log_text(stored: Sequence[StoredAction]) -> str:
    """The stored actions one a line, in recording order, stored text shown safely (`safe_text`: a control
    character, escape sequence or bidi override in a name shows escaped); a sentence when there are none."""
    return safe_lines(_line(s) for s in stored) if stored else "the ledger is empty"


def log_item(stored: StoredAction) -> dict[str, Any]:
    """One stored action as `regledger log --format json` writes it."""
    data = stored.action.as_data()
    return {
        "position": stored.position,
        "id": stored.action.id,
        "kind": data.pop("kind"),
        "effective_on": data.pop("effective_on", None),
        "published_on": data.pop("published_on"),
        "recorded_at": rfc3339(stored.recorded_at),
        **data,
    }


def _line(stored: StoredAction) -> str:
    action = stored.action
    effective = action.effective_on.isoformat() if action.effective_on else "-"
    best = best_source(action.sources)
    return (
        f"{stored.position:>6}  recorded {rfc3339(stored.recorded_at)}  effective {effective:<10}  "
        f"published {action.published_on}  {action.kind:<21}  {subject_label(action)}  "
        f"[{best.label()}; {best.reliability.value}]"
    )


def subject_label(action: Action) -> str:
    """The subject in a few words: list/party, measure, meeting, actor on subject, or the action named."""
    if isinstance(action, ListingAction):
        return f"{action.list}/{action.party.key}"
    if isinstance(action, PositionStated):
        return f"{action.actor} on {action.subject}"
    if isinstance(action, Correction):
        return f"corrects {action.corrects}"
    if isinstance(action, Retraction):
        return f"retracts {action.retracts}"
    return str(action.measure.key if isinstance(action, MeasureAction) else action.meeting.key)
