"""The JSON output of `as-of`, `diff` and `history` (a contract: docs/query-output.md gives its JSON Schema)."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from copy import deepcopy
from datetime import date, datetime
from functools import lru_cache
from typing import Any, NoReturn

from regledger.adapters.render.citations import bluebook
from regledger.domain.values import Reliability
from regledger.projections import Change, Diff, History, HistoryItem, PartyMatch, Query
from regledger.projections.diff import Transition
from regledger.projections.items import Citation, Item, ListEntry, MeasureView, MeetingView, PositionView, State

__all__ = [
    "SourceJSON",
    "attribution",
    "axes_json",
    "citation_json",
    "codified_at",
    "diff_json",
    "entry_json",
    "history_json",
    "item_json",
    "measure_json",
    "meeting_json",
    "plain",
    "position_json",
    "state_json",
    "transition_json",
]


def plain(value: Any) -> Any:
    """Dates as YYYY-MM-DD, timestamps as RFC 3339 with Z, tuples as lists, recursively."""
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def axes_json(query: Query) -> dict[str, Any]:
    """The other axes of a query: published_by, known_at, min_reliability (None when open)."""
    return {
        "published_by": plain(query.published_by),
        "known_at": plain(query.known_at),
        "min_reliability": query.min_reliability.value if query.min_reliability else None,
    }


def _filter(list_key: str | None, party: str | None, matches: Sequence[PartyMatch]) -> dict[str, Any]:
    return {"list": list_key, "party": party,
            "matches": [{"party": m.party, "name": m.name, "rule": m.rule} for m in matches]}


def state_json(state: State, list_key: str | None = None, party: str | None = None,
               matches: Sequence[PartyMatch] = ()) -> dict[str, Any]:
    """The `as-of` answer."""
    return {
        "as_of": plain(state.query.as_of),
        **axes_json(state.query),
        "filter": _filter(list_key, party, matches),
        "lists": {key: [entry_json(e) for e in entries] for key, entries in state.lists.items()},
        "measures": [measure_json(m) for m in state.measures],
        "meetings": [meeting_json(m) for m in state.meetings],
        "positions": [position_json(p) for p in state.positions],
        "notes": list(state.notes),
    }


class SourceJSON(dict[str, Any]):
    """A source's JSON as `citation_json` gives it, made once per source and shared by every answer that cites it
    (a page of 200 items cites some 500 sources, most of them several times; building each again, and formatting it
    again for every item, was a fifth of the page's work). Being shared, it refuses to change: `dict(source)` is a
    copy to change (and `copy`, `deepcopy` and `pickle` give a plain dict). What renderers work out from it (its
    line in a citation style, its place in memo order) they keep in `kept`, under keys of their own: threads may
    each work one out once, the same value."""

    __slots__ = ("kept",)

    def __init__(self, fields: Mapping[str, Any]) -> None:
        super().__init__(fields)
        self.kept: dict[Hashable, Any] = {}

    def _refuse(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise TypeError("a source's JSON is shared by every answer that cites it: change a copy (dict(source))")

    __setitem__ = __delitem__ = __ior__ = update = setdefault = pop = popitem = clear = _refuse

    def __reduce__(self) -> tuple[type[dict[str, Any]], tuple[dict[str, Any]]]:
        return dict, (dict(self),)

    def __copy__(self) -> dict[str, Any]:
        return dict(self)

    def __deepcopy__(self, memo: dict[int, Any]) -> dict[str, Any]:
        return {key: deepcopy(value, memo) for key, value in self.items()}


@lru_cache(maxsize=8192)
def citation_json(citation: Citation) -> SourceJSON:
    """A source: citation, document_number, url, title, publisher, reliability, published_on, kind, cfr (where the
    citing actions say the change is codified) and `bluebook`, the source as a legal memo cites it. Made once per
    source and shared (`SourceJSON`: it cannot be changed)."""
    fields = _fields(citation)
    return SourceJSON({**fields, "bluebook": bluebook(fields)})


def _fields(citation: Citation) -> dict[str, Any]:
    return {
        "citation": citation.citation, "document_number": citation.document_number, "url": citation.url,
        "title": citation.title, "publisher": citation.publisher, "reliability": citation.reliability,
        "published_on": plain(citation.published_on), "kind": citation.kind, "cfr": list(citation.cfr),
    }


def codified_at(citations: Sequence[Citation]) -> list[str]:
    """The CFR places the sources of an item name, each once, in order (an entry's or measure's `cfr`)."""
    return list(dict.fromkeys(place for c in citations for place in c.cfr))


def _cites(citations: Sequence[Citation]) -> list[dict[str, Any]]:
    return [citation_json(c) for c in citations]


def _pending(item: ListEntry | MeasureView) -> list[dict[str, Any]]:
    return [{"kind": p.kind, "effective_on": plain(p.effective_on), "published_on": plain(p.published_on),
             "citations": _cites(p.citations)} for p in item.pending]


def _announced(item: ListEntry | MeasureView) -> list[dict[str, Any]]:
    return [{"kind": a.kind, **({"change": a.change} if a.change else {}), "published_on": plain(a.published_on),
             "effective_on": None, "citations": _cites(a.citations)} for a in item.announced]


def attribution(provenance: Mapping[str, Any] | None, name: str, item_tier: str | None) -> str:
    """` (TIER: ACTION)` when the value `name` was set by an action of a tier below the item's own, else empty."""
    found = (provenance or {}).get(name)
    own, set_tier = Reliability.named(item_tier), Reliability.named(found and found.get("reliability"))
    if found is None or own is None or set_tier is None or set_tier.rank >= own.rank:
        return ""
    return f" ({set_tier.value}: {found['set_by']})"


def _provenance(found: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    return {name: {"set_by": p["set_by"], "reliability": p["reliability"]} for name, p in found.items()}


def entry_json(entry: ListEntry) -> dict[str, Any]:
    """A list entry."""
    return {
        "party": entry.party, "name": entry.name, "aliases": list(entry.aliases), "country": entry.country,
        "status": entry.status, "listed_on": plain(entry.listed_on), "details": plain(entry.details),
        "details_provenance": _provenance(entry.details_provenance),
        "reliability": entry.reliability, "citations": _cites(entry.citations), "pending": _pending(entry),
        "affiliate_of": entry.affiliate_of, "announced": _announced(entry), "cfr": codified_at(entry.citations),
    }


def measure_json(measure: MeasureView) -> dict[str, Any]:
    """A measure with its status."""
    return {
        "key": measure.key, "title": measure.title, "status": measure.status,
        "proposed_on": plain(measure.proposed_on), "effective_on": plain(measure.effective_on),
        "expires_on": plain(measure.expires_on), "withdrawn_on": plain(measure.withdrawn_on),
        "comments_close_on": plain(measure.comments_close_on), "parameters": plain(measure.parameters),
        "parameters_provenance": _provenance(measure.parameters_provenance),
        "reliability": measure.reliability, "citations": _cites(measure.citations), "pending": _pending(measure),
        "drafted_on": plain(measure.drafted_on), "revoked_on": plain(measure.revoked_on),
        "applies_to": list(measure.applies_to), "include_affiliates": measure.include_affiliates,
        "announced": _announced(measure), "cfr": codified_at(measure.citations),
    }


def meeting_json(meeting: MeetingView) -> dict[str, Any]:
    """A meeting, upcoming or past."""
    return {
        "key": meeting.key, "title": meeting.title, "status": meeting.status, "date": plain(meeting.date),
        "timing": meeting.timing, "outcome": meeting.outcome, "citations": _cites(meeting.citations),
    }


def position_json(position: PositionView) -> dict[str, Any]:
    """An actor's current position on a subject."""
    return {
        "actor": position.actor, "actor_name": position.actor_name, "subject": position.subject,
        "stance": position.stance, "certainty": position.certainty, "stated_on": plain(position.stated_on),
        "published_on": plain(position.published_on), "reliability": position.reliability,
        "citations": _cites(position.citations),
    }


_ITEM_JSON: dict[type, Callable[[Any], dict[str, Any]]] = {
    ListEntry: entry_json, MeasureView: measure_json, MeetingView: meeting_json, PositionView: position_json,
}


def item_json(item: Item | None, *, with_list: bool = False) -> dict[str, Any] | None:
    """A list entry, measure, meeting or position as the answers write it; None stays None. `with_list` puts a list
    entry's list first, for a report that shows the entry outside its list."""
    if item is None:
        return None
    found = _ITEM_JSON[type(item)](item)
    return {"list": item.list_key, **found} if with_list and isinstance(item, ListEntry) else found


def _change(change: Change) -> dict[str, Any]:
    return {"key": change.key, "before": item_json(change.before), "after": item_json(change.after),
            "citations": _cites(change.citations)}


def diff_json(result: Diff, list_key: str | None = None, party: str | None = None,
              matches: Sequence[PartyMatch] = ()) -> dict[str, Any]:
    """The `diff` answer for the window (from, to]."""
    return {
        "from": plain(result.start), "to": plain(result.end), **axes_json(result.query),
        "filter": _filter(list_key, party, matches),
        "took_effect": [
            {"subject": t.subject, "kind": t.kind, "id": t.id, "effective_on": plain(t.effective_on),
             "published_on": plain(t.published_on), "recorded_at": plain(t.recorded_at),
             "reliability": t.reliability, "citations": _cites(t.citations)}
            for t in result.took_effect
        ],
        "lists": {key: {name: [_change(c) for c in group] for name, group in changes.groups()}
                  for key, changes in result.lists.items()},
        "measures": [_change(c) for c in result.measures],
        "meetings": [_change(c) for c in result.meetings],
        "positions": [_change(c) for c in result.positions],
        "transitions": [transition_json(t) for t in result.transitions],
        "notes": list(result.notes),
    }


def transition_json(transition: Transition) -> dict[str, Any]:
    """A status transition inside a diff's window: date, subject, kind, from, to (null: no item), citations."""
    return {"date": plain(transition.on), "subject": transition.subject, "kind": transition.kind,
            "from": transition.before, "to": transition.after, "citations": _cites(transition.citations)}


def history_json(result: History) -> dict[str, Any]:
    """The `history` answer."""
    notes = {"notes": list(result.notes)} if result.notes else {}
    return {"subjects": list(result.subjects), **axes_json(result.query), "items": [_item(i) for i in result.items],
            **notes}


def _item(item: HistoryItem) -> dict[str, Any]:
    return {
        "subject": item.subject, "kind": item.kind, "id": item.id, "effective_on": plain(item.effective_on),
        "published_on": plain(item.published_on), "recorded_at": plain(item.recorded_at),
        "reliability": item.reliability, "status": item.status, "fields": plain(item.fields), "note": item.note,
        "citations": _cites(item.citations),
        "amendments": [
            {"kind": a.kind, "id": a.id, "published_on": plain(a.published_on), "recorded_at": plain(a.recorded_at),
             "reliability": a.reliability, "retracted": a.retracted, "reason": a.reason,
             "changes": [{"path": c.path, "before": plain(c.before), "after": plain(c.after)} for c in a.changes],
             "citations": _cites(a.citations)}
            for a in item.amendments
        ],
    }
