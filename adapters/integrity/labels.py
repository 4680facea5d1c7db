"""Short names for stored events, read from their raw JSON so that even a damaged or unknown event can be named.

An event that records an action reads `entity_listed us-bis-entity-list/huawei (id el-1) [84 FR 22961]`: kind,
subject, id and the best source's citation. Any other event reads as its class and key, e.g.
`Listing.Registered us-bis-entity-list/huawei`. The chain keeps each event's label, so that a deleted event can
still be named.

A label is one line that a terminal shows as it is: stored text that holds control characters, escape sequences or
bidi overrides is escaped in it (`errors.one_line`), so that `verify`, the chain and any message naming an event
never pass them on.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from regledger.adapters.errors import one_line
from regledger.domain import Reliability

__all__ = ["best_citation", "describe", "recorded_at"]


def describe(topic: str, state: bytes) -> str:
    """The event in a few words, on one line, safe to print; never raises, whatever the bytes hold."""
    return one_line(_words(topic, state))


def _words(topic: str, state: bytes) -> str:
    """The event in a few words, as the stored text spells them."""
    name = topic.rpartition(":")[2] or topic
    try:
        data = json.loads(state)
    except (ValueError, UnicodeDecodeError):
        return f"{name} (content is not JSON)"
    if not isinstance(data, dict):
        return f"{name} (content is not a JSON object)"
    action = data.get("action")
    if isinstance(action, dict):
        return _action(action)
    detail = " ".join(str(data[k]) for k in ("key", "kind") if isinstance(data.get(k), str))
    return f"{name} {detail}".strip()


def _action(action: dict[str, Any]) -> str:
    kind = str(action.get("kind", "action"))
    ident = f" (id {action['id']})" if action.get("id") else ""
    citation = best_citation(action.get("sources"))
    cited = f" [{citation}]" if citation else ""
    return f"{kind} {_subject(action)}{ident}{cited}".replace("  ", " ")


def _subject(action: dict[str, Any]) -> str:
    if isinstance(action.get("party"), dict):
        return f"{action.get('list')}/{action['party'].get('key')}"
    if action.get("actor"):
        measure = action.get("measure")
        return f"{action['actor']} on {measure.get('key') if isinstance(measure, dict) else action.get('topic')}"
    for field in ("measure", "meeting"):
        if isinstance(action.get(field), dict):
            return str(action[field].get("key"))
    for field, verb in (("corrects", "corrects"), ("retracts", "retracts")):
        if action.get(field):
            return f"{verb} {action[field]}"
    return ""


def best_citation(sources: Any) -> str:
    """The label of the most reliable source: citation, else document number, title or URL."""
    if not isinstance(sources, list):
        return ""
    usable = [s for s in sources if isinstance(s, dict)]
    if not usable:
        return ""
    best = max(usable, key=_rank)
    for field in ("citation", "document_number", "title", "url"):
        if best.get(field):
            return str(best[field])
    return ""


def _rank(source: dict[str, Any]) -> int:
    """The rank of a raw source's tier (`Reliability.rank`); -1, below every tier, when it names none."""
    tier = Reliability.named(source.get("reliability"))
    return tier.rank if tier is not None else -1


def recorded_at(state: bytes) -> datetime | None:
    """When the event was recorded (its `timestamp`), or None when the content does not say."""
    try:
        moment = json.loads(state).get("timestamp")
        return datetime.fromisoformat(moment) if isinstance(moment, str) else None
    except (ValueError, UnicodeDecodeError, AttributeError):
        return None
