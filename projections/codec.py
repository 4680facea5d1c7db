"""The items of a read model as plain JSON data and back, so that a decoded item equals the fold's.

Each item is a positional JSON array (field order as declared); dates are ISO strings, tuples arrays. Inside a
list entry's details or a measure's parameters (free-form mappings) a date is `{"$date": "YYYY-MM-DD"}`, an integer
beyond 64 bits `{"$int": "DIGITS"}` (so that any JSON reader reads it exactly) and an array is a tuple; detail and
parameter names are snake_case, so neither key can clash with one.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from .diff import TookEffect
from .items import Announced, Citation, Item, ListEntry, MeasureView, MeetingView, PendingChange, PositionView

__all__ = ["effect_data", "effect_of", "item_data", "item_of"]


def _day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _undate(value: str | None) -> date | None:
    return date.fromisoformat(value) if value is not None else None


def _free(value: Any) -> Any:
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, int) and not isinstance(value, bool) and not -(2**63) <= value < 2**63:
        return {"$int": str(value)}  # beyond 64 bits: some JSON readers would make it a float
    if isinstance(value, tuple | list):
        return [_free(v) for v in value]
    if isinstance(value, dict):
        return {k: _free(v) for k, v in value.items()}
    return value


def _unfree(value: Any) -> Any:
    if type(value) is str:  # most details are text: nothing to undo
        return value
    if isinstance(value, list):
        return tuple(_unfree(v) for v in value)
    if isinstance(value, dict):
        if len(value) == 1 and "$date" in value:
            return date.fromisoformat(value["$date"])
        if len(value) == 1 and "$int" in value:
            return int(value["$int"])
        return {k: _unfree(v) for k, v in value.items()}
    return value


def _cites(citations: tuple[Citation, ...]) -> list[list[Any]]:
    return [[c.citation, c.document_number, c.url, c.title, c.publisher, c.reliability, _day(c.published_on), c.kind,
             *([list(c.cfr)] if c.cfr else [])] for c in citations]


def _uncites(data: list[list[Any]]) -> tuple[Citation, ...]:
    return tuple(Citation(c[0], c[1], c[2], c[3], c[4], c[5], date.fromisoformat(c[6]), c[7],
                          tuple(c[8]) if len(c) > 8 else ()) for c in data)  # no 9th element: nothing codified


def _pending(changes: tuple[PendingChange, ...]) -> list[list[Any]]:
    return [[p.kind, _day(p.effective_on), _day(p.published_on), _cites(p.citations)] for p in changes]


def _unpending(data: list[list[Any]]) -> tuple[PendingChange, ...]:
    return tuple(PendingChange(kind, date.fromisoformat(eff), date.fromisoformat(pub), _uncites(cites))
                 for kind, eff, pub, cites in data)


def _announced(found: tuple[Announced, ...]) -> list[list[Any]]:
    return [[a.kind, a.change, _day(a.published_on), _cites(a.citations)] for a in found]


def _unannounced(data: list[list[Any]]) -> tuple[Announced, ...]:
    return tuple(Announced(kind, change, date.fromisoformat(pub), _uncites(cites)) for kind, change, pub, cites in data)


def _entry(e: ListEntry) -> list[Any]:
    return [e.list_key, e.party, e.name, list(e.aliases), e.country, e.status, _day(e.listed_on), _free(e.details),
            e.reliability, _cites(e.citations), _pending(e.pending), e.details_provenance, e.affiliate_of,
            _announced(e.announced)]


def _unentry(d: list[Any]) -> ListEntry:
    return ListEntry(d[0], d[1], d[2], tuple(d[3]), d[4], d[5], _undate(d[6]), _unfree(d[7]), d[8], _uncites(d[9]),
                     _unpending(d[10]), d[11], d[12], _unannounced(d[13]))


def _measure(m: MeasureView) -> list[Any]:
    return [m.key, m.title, m.status, _day(m.proposed_on), _day(m.effective_on), _day(m.expires_on),
            _day(m.withdrawn_on), _day(m.comments_close_on), _free(m.parameters), m.reliability, _cites(m.citations),
            _pending(m.pending), m.parameters_provenance, list(m.applies_to), m.include_affiliates,
            _day(m.revoked_on), _day(m.drafted_on), _announced(m.announced)]


def _unmeasure(d: list[Any]) -> MeasureView:
    return MeasureView(d[0], d[1], d[2], _undate(d[3]), _undate(d[4]), _undate(d[5]), _undate(d[6]), _undate(d[7]),
                       _unfree(d[8]), d[9], _uncites(d[10]), _unpending(d[11]), d[12], tuple(d[13]), d[14],
                       _undate(d[15]), _undate(d[16]), _unannounced(d[17]))


def _meeting(m: MeetingView) -> list[Any]:
    return [m.key, m.title, m.status, _day(m.date), m.timing, m.outcome, _cites(m.citations)]


def _unmeeting(d: list[Any]) -> MeetingView:
    return MeetingView(d[0], d[1], d[2], _undate(d[3]), d[4], d[5], _uncites(d[6]))


def _position(p: PositionView) -> list[Any]:
    return [p.actor, p.actor_name, p.subject, p.stance, p.certainty, _day(p.stated_on), _day(p.published_on),
            p.reliability, _cites(p.citations)]


def _unposition(d: list[Any]) -> PositionView:
    return PositionView(d[0], d[1], d[2], d[3], d[4], date.fromisoformat(d[5]), date.fromisoformat(d[6]), d[7],
                        _uncites(d[8]))


_ENCODERS: dict[type, Callable[[Any], list[Any]]] = {
    ListEntry: _entry, MeasureView: _measure, MeetingView: _meeting, PositionView: _position,
}
_DECODERS: dict[str, Callable[[list[Any]], Item]] = {
    "listing": _unentry, "measure": _unmeasure, "meeting": _unmeeting, "position": _unposition,
}


def item_data(item: Item) -> list[Any]:
    """An item as plain JSON data (its kind is stored beside it)."""
    return _ENCODERS[type(item)](item)


def item_of(kind: str, data: list[Any]) -> Item:
    """The item of `kind` (listing | measure | meeting | position) from `item_data`'s data."""
    return _DECODERS[kind](data)


def effect_data(item: TookEffect) -> list[Any]:
    """An action as a diff lists it, as plain JSON data."""
    return [item.subject, item.kind, item.id, _day(item.effective_on), _day(item.published_on),
            item.recorded_at.isoformat(), item.reliability, _cites(item.citations)]


def effect_of(d: list[Any]) -> TookEffect:
    """The action from `effect_data`'s data."""
    return TookEffect(d[0], d[1], d[2], date.fromisoformat(d[3]), date.fromisoformat(d[4]),
                      datetime.fromisoformat(d[5]), d[6], _uncites(d[7]))

