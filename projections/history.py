"""The timeline of one party, listing, measure, meeting or position: every visible action in legal-effect order,
with its three dates, its sources, and what each correction changed (or why it was retracted).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, cast

from regledger.domain.actions import Action, Correction, Retraction
from regledger.domain.errors import CorrectionError
from regledger.domain.history import Entry, apply_fields, legal_order, resolve

from .errors import NotFoundError
from .items import Citation, citations_of
from .parties import closest, directory, match_parties
from .query import Query
from .subjects import Fact, SubjectKey, group_by_subject, label, target_of

__all__ = ["Amendment", "FieldChange", "History", "HistoryItem", "find_subjects", "history"]

_COMMON = {"kind", "id", "effective_on", "published_on", "sources", "note"}


@dataclass(frozen=True)
class FieldChange:
    """One field a correction replaced: its value before and after (None: absent)."""

    path: str
    before: Any
    after: Any


@dataclass(frozen=True)
class Amendment:
    """A visible correction or retraction of an item, with its own dates and sources."""

    kind: str  # correction | retraction
    id: str | None
    published_on: date
    recorded_at: datetime
    reliability: str
    changes: tuple[FieldChange, ...]
    reason: str | None
    citations: tuple[Citation, ...]
    retracted: bool = False  # a correction itself retracted (it no longer applies)


@dataclass(frozen=True)
class HistoryItem:
    """One action as the visible corrections leave it: status recorded | corrected | retracted."""

    subject: str
    kind: str
    id: str | None
    effective_on: date | None  # None for an announcement: it has no legal effect of its own
    published_on: date
    recorded_at: datetime
    reliability: str
    status: str
    fields: dict[str, Any]
    note: str | None
    citations: tuple[Citation, ...]
    amendments: tuple[Amendment, ...]


@dataclass(frozen=True)
class History:
    """The timeline of the subjects a search named."""

    query: Query
    subjects: tuple[str, ...]
    items: tuple[HistoryItem, ...]
    notes: tuple[str, ...] = ()  # where the answer came from, when that needs saying


def find_subjects(entries: Iterable[Entry], text: str) -> tuple[SubjectKey, ...]:
    """The subjects `text` names: `LIST/PARTY` or `ACTOR/SUBJECT`, a measure or meeting key, a party (all its
    listings) by key, name or alias; NotFoundError with the closest names otherwise."""
    entries = list(entries)
    subjects = sorted(group_by_subject(entries))
    direct = tuple(s for s in subjects if label(s) == text.strip())
    if direct:
        return direct
    try:
        parties = {m.party for m in match_parties(directory(entries), text)}
    except NotFoundError:
        labels = sorted({label(s) for s in subjects} | {s[2] for s in subjects if s[0] == "listing"})
        raise NotFoundError("subject", text, closest(text, labels)) from None
    return tuple(s for s in subjects if s[0] == "listing" and s[2] in parties)


def history(entries: Iterable[Entry], subjects: Iterable[SubjectKey], query: Query) -> History:
    """The visible actions of `subjects` in legal-effect order, each with its corrections and retractions."""
    groups = group_by_subject(entries)
    wanted = tuple(subjects)
    pairs: list[tuple[Entry, Fact, HistoryItem]] = []
    for subject in wanted:
        pairs.extend(_items(subject, groups.get(subject, []), query))
    pairs.sort(key=lambda t: legal_order((t[0], t[1])))
    return History(query, tuple(label(s) for s in wanted), tuple(item for _, _, item in pairs))


def _items(subject: SubjectKey, entries: list[Entry], query: Query) -> list[tuple[Entry, Fact, HistoryItem]]:
    current = {e.seq: cast(Fact, a) for e, a in resolve(entries, query.admits, query.sees)}  # no amendments
    amendments = [Entry(e.seq, e.recorded_at, seen) for e in entries
                  if e.is_amendment and (seen := query.sees(e, e.action)) is not None]
    found = []
    for entry in entries:
        if isinstance(entry.action, Correction | Retraction):
            continue
        own = [e for e in amendments if target_of(e.action) == entry.action.id and entry.action.id is not None]
        retraction = _live_retraction(own, amendments)
        if entry.seq not in current and retraction is None:
            continue  # not visible under the query's axes
        action = current.get(entry.seq) or query.sees(entry, entry.action) or entry.action
        status = "retracted" if retraction is not None else "corrected" if own else "recorded"
        found.append((entry, action, _item(subject, entry, action, status, _amendments(entry, own, amendments))))
    return found


def _live_retraction(own: list[Entry], amendments: list[Entry]) -> Entry | None:
    return next((e for e in own if isinstance(e.action, Retraction) and not _retracted(e, amendments)), None)


def _retracted(entry: Entry, amendments: list[Entry]) -> bool:
    return entry.action.id is not None and any(
        isinstance(e.action, Retraction) and e.action.retracts == entry.action.id for e in amendments
    )


def _amendments(entry: Entry, own: list[Entry], amendments: list[Entry]) -> tuple[Amendment, ...]:
    action, result = entry.action, []
    for amending in own:
        changes: tuple[FieldChange, ...] = ()
        retracted = _retracted(amending, amendments)
        if isinstance(amending.action, Correction):
            changes, action = _changes(action, amending.action, applies=not retracted)
        reason = amending.action.reason if isinstance(amending.action, Retraction) else None
        result.append(Amendment(
            amending.action.kind, amending.action.id, amending.action.published_on, amending.recorded_at,
            amending.action.tier.value, changes, reason, citations_of([amending.action]), retracted,
        ))
    return tuple(result)


def _changes(action: Action, correction: Correction, *, applies: bool) -> tuple[tuple[FieldChange, ...], Action]:
    data = action.as_data()
    changes = tuple(FieldChange(path, _get(data, path), value) for path, value in correction.fields.items())
    if not applies:
        return changes, action
    try:
        return changes, apply_fields(action, correction.fields)
    except CorrectionError:
        return changes, action


def _get(data: dict[str, Any], path: str) -> Any:
    value: Any = data
    for part in path.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def _item(subject: SubjectKey, entry: Entry, action: Fact, status: str,
          amendments: tuple[Amendment, ...]) -> HistoryItem:
    data = action.as_data()
    return HistoryItem(
        label(subject), action.kind, action.id, action.effective_on, action.published_on, entry.recorded_at,
        action.tier.value, status, {k: v for k, v in data.items() if k not in _COMMON}, action.note,
        citations_of([action]), amendments,
    )
