"""The change-log report for the window (D1, D2]: what took effect, grouped by list and by measure (then meetings and
positions), each action with its three dates, tier, citations and what it changed; the net change of each item
over the window; every status transition inside it, in date order; changes published in the window that take effect
later (and announcements, which have no effective date); corrections in the window.

What one action changed is its subject's state on the action's effective date, folded without and with it (the
actions before it in legal order, then it too); the net change is the subject's state on D1 → on D2, from `diff`. A
list entry's net change is named by legal effect, as `diff` groups it: added (not in force on D1, in force on D2),
removed, amended, pending or announced.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date
from typing import Any

from regledger.adapters.render.answers_json import citation_json, plain, transition_json
from regledger.adapters.render.reports.data import Produced, change_json, header, item_of
from regledger.adapters.render.reports.filters import KIND_WORDS
from regledger.domain.history import Entry, legal_order
from regledger.projections import (
    Change,
    Diff,
    HistoryItem,
    Query,
    SubjectKey,
    diff,
    group_by_subject,
    history,
    resolve_all,
    state_at,
)
from regledger.projections.items import citations_of
from regledger.projections.subjects import Fact, Resolved

__all__ = ["action_json", "changes_report"]

_NET_LABELS = (
    ("listing", "added", "list entries added (in force at the end, not at the start)"),
    ("listing", "amended", "list entries amended (in force throughout, terms changed)"),
    ("listing", "removed", "list entries removed (in force at the start, not at the end)"),
    ("listing", "pending", "list entries with a change pending at the end"),
    ("listing", "announced", "list entries with a change announced at the end"),
    ("measure", None, "measures whose status or terms changed"),
    ("meeting", None, "meetings changed"), ("position", None, "positions changed"),
)


def changes_report(entries: Iterable[Entry], query: Query, start: date, end: date,
                   produced: Produced) -> dict[str, Any]:
    """The change log of (start, end] under `query`'s other axes."""
    entries = list(entries)
    result = diff(entries, query, start, end)
    resolved = resolve_all(group_by_subject(entries), query)
    blocks = _blocks(resolved, _net(result), query, start, end)
    transitions = _transitions(result, blocks)
    pending = _pending(resolved, start, end)
    corrections = _corrections(entries, query, start, end)
    legal = f"Legal effect: changes that took effect after {start} through {end}, the window ({start}, {end}]."
    return {
        **header("changes", f"Changes after {start} through {end}", produced, query.on(end),
                 window={"from": start, "to": end}, legal=legal),
        "summary": _summary(result, blocks, pending, corrections),
        "transitions": transitions,
        "lists": _by_list([b for b in blocks if b["type"] == "listing"]),
        **{f"{kind}s": [b for b in blocks if b["type"] == kind] for kind in ("measure", "meeting", "position")},
        "pending": pending,
        "corrections": corrections,
        "notes": list(result.notes),
    }


def action_json(entry: Entry, action: Any) -> dict[str, Any]:
    """An action's kind, id, three dates, tier, sources and note."""
    return {
        "kind": action.kind, "id": action.id, "effective_on": plain(action.effective_on),  # None: an announcement
        "published_on": plain(action.published_on), "recorded_at": plain(entry.recorded_at),
        "reliability": action.tier.value, "citations": [citation_json(c) for c in citations_of([action])],
        "note": action.note,
    }


def _net(result: Diff) -> dict[SubjectKey, tuple[Change, str | None]]:
    """Each subject's change over the window, with its group when it is a list entry (see `diff`)."""
    net: dict[SubjectKey, tuple[Change, str | None]] = {}
    for list_key, changes in result.lists.items():
        net.update({("listing", list_key, c.key): (c, name) for name, group in changes.groups() for c in group})
    others: dict[SubjectKey, Change] = {}
    others.update({("measure", c.key): c for c in result.measures})
    others.update({("meeting", c.key): c for c in result.meetings})
    for change in result.positions:
        item = change.after or change.before
        others[("position", item.actor, item.subject)] = change
    return {**net, **{subject: (change, None) for subject, change in others.items()}}


def _blocks(resolved: Resolved, net: dict[SubjectKey, tuple[Change, str | None]], query: Query, start: date,
            end: date) -> list[dict[str, Any]]:
    """One block per subject that changed: its actions in the window and its net change; in legal-effect order."""
    ordered = []
    for subject in sorted({*resolved, *net}):
        pairs = resolved.get(subject, [])
        taken = [k for k, (_, action) in enumerate(pairs)
                 if action.effective_on is not None and start < action.effective_on <= end]
        if not taken and subject not in net:
            continue
        first = legal_order(pairs[taken[0]]) if taken else (date.max,)
        ordered.append((first, subject, _block(subject, pairs, taken, net.get(subject), query)))
    return [block for _, _, block in sorted(ordered, key=lambda t: (t[0], t[1]))]


def _block(subject: SubjectKey, pairs: list[tuple[Entry, Fact]], taken: list[int],
           net: tuple[Change, str | None] | None, query: Query) -> dict[str, Any]:
    actions = [_effect(subject, pairs, k, query) for k in taken]
    change, group = net or (None, None)
    over = change_json(subject, change.before, change.after) if change else None
    if over is not None and group is not None:
        over["change"] = group  # a list entry's by legal effect: added even when pending on D1
    names = [over["name"] if over else None, *(a["change"]["name"] for a in actions if a["change"])]
    return {
        "subject": "/".join(subject[1:]), "type": subject[0], "list": subject[1] if subject[0] == "listing" else None,
        "name": next((n for n in reversed(names) if n), None),
        "over_window": over,
        "over_window_citations": [citation_json(c) for c in change.citations] if change else [],
        "by_dates_alone": not actions,
        "actions": actions,
    }


def _effect(subject: SubjectKey, pairs: list[tuple[Entry, Fact]], k: int, query: Query) -> dict[str, Any]:
    """Action k with what it changed: the subject on its effective date without it, then with it."""
    entry, action = pairs[k]
    on_day = query.on(action.effective_on)  # type: ignore[arg-type]  # `_blocks` takes only actions with one
    before = item_of(state_at({subject: pairs[:k]}, on_day), subject)
    after = item_of(state_at({subject: pairs[: k + 1]}, on_day), subject)
    return {**action_json(entry, action), "change": change_json(subject, before, after) if before != after else None}


def _by_list(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    lists: dict[str, list[dict[str, Any]]] = {}
    for block in blocks:
        lists.setdefault(block["list"], []).append(block)
    return [{"list": key, "subjects": found} for key, found in sorted(lists.items())]


def _pending(resolved: Resolved, start: date, end: date) -> list[dict[str, Any]]:
    """Visible actions published in the window that take effect after it, and announcements published in it (they
    have no effective date), in legal order."""
    found = [(s, e, a) for s, pairs in resolved.items() for e, a in pairs
             if start < a.published_on <= end and (a.effective_on is None or end < a.effective_on)]
    found.sort(key=lambda t: legal_order((t[1], t[2])))
    return [{"subject": "/".join(s[1:]), "type": s[0], **action_json(e, a)} for s, e, a in found]


def _transitions(result: Diff, blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every status transition in the window, in date order, as `diff` gives it, with the subject's name."""
    names = {(b["type"], b["subject"]): b["name"] for b in blocks}
    kinds = {"entry": "listing"}
    return [{**transition_json(t), "name": names.get((kinds.get(t.kind, t.kind), t.subject))}
            for t in result.transitions]


def _corrections(entries: list[Entry], query: Query, start: date, end: date) -> list[dict[str, Any]]:
    """Visible corrections and retractions published or recorded (UTC day) in the window, with what they changed."""
    found = []
    for item in history(entries, sorted(group_by_subject(entries)), query).items:
        for amendment in item.amendments:
            when = [name for name, day in (("published", amendment.published_on),
                                           ("recorded", amendment.recorded_at.date())) if start < day <= end]
            if when:
                found.append(_correction(item, amendment, when))
    return sorted(found, key=lambda c: (c["published_on"], c["recorded_at"], c["id"] or ""))


def _correction(item: HistoryItem, amendment: Any, when: list[str]) -> dict[str, Any]:
    return {
        "kind": amendment.kind, "id": amendment.id, "subject": item.subject, "target": item.id,
        "target_kind": item.kind, "target_effective_on": plain(item.effective_on),
        "published_on": plain(amendment.published_on), "recorded_at": plain(amendment.recorded_at),
        "reliability": amendment.reliability, "retracted": amendment.retracted, "reason": amendment.reason,
        "changes": [{"field": c.path, "before": plain(c.before), "after": plain(c.after)} for c in amendment.changes],
        "citations": [citation_json(c) for c in amendment.citations], "in_window": when,
    }


def _kind_order(kind: str) -> tuple[int, str]:
    """Listings, then measures, meetings and positions, each in the order of its life."""
    order = list(KIND_WORDS)
    return (order.index(kind) if kind in order else len(order), kind)


def _summary(result: Diff, blocks: list[dict[str, Any]], pending: list[Any], corrections: list[Any]) -> dict[str, Any]:
    kinds = Counter(t.kind for t in result.took_effect)
    net = []
    for kind, change, label in _NET_LABELS:
        count = sum(1 for b in blocks if b["type"] == kind and b["over_window"]
                    and (change is None or b["over_window"]["change"] == change))
        net.append({"what": label, "count": count})
    return {
        "took_effect": len(result.took_effect),
        "by_kind": [{"kind": kind, "count": kinds[kind]} for kind in sorted(kinds, key=_kind_order)],
        "net": net,
        "by_dates_alone": sum(1 for b in blocks if b["by_dates_alone"]),
        "transitions": len(result.transitions),
        "pending": len(pending),
        "corrections": len(corrections),
    }
