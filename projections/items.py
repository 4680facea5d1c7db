"""What a query answers with: plain frozen records, each item carrying its citations."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field, fields, replace
from datetime import date
from typing import Any

from regledger.domain.actions import ActionBase, recorded_key, set_by_corrections
from regledger.domain.values import best_source

from .query import Query

__all__ = [
    "Announced",
    "Citation",
    "Item",
    "ListEntry",
    "MeasureView",
    "MeetingView",
    "PendingChange",
    "PositionView",
    "Provenance",
    "State",
    "best_tier",
    "changed_fields",
    "citations_of",
    "name_of",
    "provenance_of",
]


@dataclass(frozen=True)
class Citation:
    """One source of an item: where it is written down and how far it can be trusted."""

    citation: str | None
    document_number: str | None
    url: str | None
    title: str | None
    publisher: str | None
    reliability: str
    published_on: date  # the source's, else its action's
    kind: str  # the source's kind, else "other"
    cfr: tuple[str, ...] = ()  # where the citing actions say the change is codified (`15 CFR 744.11`), canonical

    def label(self) -> str:
        """The shortest human reference."""
        return self.citation or self.document_number or self.title or self.url or ""


def citations_of(actions: Iterable[ActionBase]) -> tuple[Citation, ...]:
    """The sources of `actions`, in order, each once (the first of those with the same reference and tier)."""
    seen: dict[tuple[Any, ...], Citation] = {}
    for action in actions:
        codified = tuple(ref.text() for ref in getattr(action, "cfr", None) or ())
        for s, day in zip(action.sources, action.source_dates(), strict=True):
            reference = (s.citation, s.document_number, s.url, s.title, s.publisher, s.reliability.value)
            found = seen.setdefault(reference, Citation(*reference, day, s.kind or "other", codified))
            if not set(codified) <= set(found.cfr):  # the same source cited by actions codified elsewhere
                seen[reference] = replace(found, cfr=tuple(dict.fromkeys((*found.cfr, *codified))))
    return tuple(seen.values())


def best_tier(actions: Iterable[ActionBase]) -> str | None:
    """The tier of the best source among `actions`' sources, or None when there are no actions."""
    sources = [source for action in actions for source in action.sources]
    return best_source(sources).reliability.value if sources else None


Provenance = dict[str, dict[str, str]]  # per detail or parameter name: {"set_by": ACTION_KEY, "reliability": TIER}


def provenance_of(actions: Iterable[ActionBase], field_name: str, names: Collection[str]) -> Provenance:
    """Per name in `names`, the action that set the value of `field_name` (details | parameters) as it stands, the
    last of `actions` (in the order they were applied) to give it, and that action's tier as seen; a correction
    that set the value (the name, or the whole mapping) in its place."""
    found: Provenance = {}
    for action in actions:
        values = getattr(action, field_name, None)
        if not isinstance(values, dict):
            continue
        marks = set_by_corrections(action)
        for name in values:
            setter = marks.get(f"{field_name}.{name}") or marks.get(field_name) or action
            found[name] = {"set_by": recorded_key(setter), "reliability": setter.tier.value}
    return {name: found[name] for name in names if name in found}


@dataclass(frozen=True)
class Announced:
    """A visible announcement, open on the as-of date: something said to be coming (`change`: add | remove for a
    list entry, None for a measure), with no effective date."""

    kind: str
    change: str | None
    published_on: date
    citations: tuple[Citation, ...]


@dataclass(frozen=True)
class PendingChange:
    """A visible action published by the as-of date that takes effect later."""

    kind: str
    effective_on: date
    published_on: date
    citations: tuple[Citation, ...]


@dataclass(frozen=True)
class ListEntry:
    """A party's entry on a list: in force (listed since `listed_on`), pending (listed from `listed_on`) or announced
    (said to be coming, no date yet); `announced` holds the announcements still open on the date."""

    list_key: str
    party: str
    name: str | None
    aliases: tuple[str, ...]
    country: str | None
    status: str  # in_force | pending | announced
    listed_on: date | None
    details: dict[str, Any]
    reliability: str | None
    citations: tuple[Citation, ...]
    pending: tuple[PendingChange, ...] = ()
    details_provenance: Provenance = field(default_factory=dict)
    affiliate_of: str | None = None
    announced: tuple[Announced, ...] = ()


@dataclass(frozen=True)
class MeasureView:
    """A measure's status on the as-of date: announced | draft | proposed | pending | in_force | expired | revoked |
    withdrawn; `applies_to` the parties it names (with their affiliates when `include_affiliates`)."""

    key: str
    title: str | None
    status: str
    proposed_on: date | None
    effective_on: date | None
    expires_on: date | None
    withdrawn_on: date | None
    comments_close_on: date | None
    parameters: dict[str, Any]
    reliability: str | None
    citations: tuple[Citation, ...]
    pending: tuple[PendingChange, ...] = ()
    parameters_provenance: Provenance = field(default_factory=dict)
    applies_to: tuple[str, ...] = ()
    include_affiliates: bool = False
    revoked_on: date | None = None
    drafted_on: date | None = None
    announced: tuple[Announced, ...] = ()


@dataclass(frozen=True)
class MeetingView:
    """A meeting as its actions in force leave it; `timing` is upcoming or past relative to the as-of date."""

    key: str
    title: str | None
    status: str  # scheduled | rescheduled | postponed | held | cancelled | not_held
    date: date | None
    timing: str  # upcoming | past
    outcome: str | None
    citations: tuple[Citation, ...]


@dataclass(frozen=True)
class PositionView:
    """An actor's current stance on a subject: the latest visible statement in force."""

    actor: str
    actor_name: str | None
    subject: str
    stance: str
    certainty: str | None
    stated_on: date
    published_on: date
    reliability: str
    citations: tuple[Citation, ...]


Item = ListEntry | MeasureView | MeetingView | PositionView  # what a state holds of one subject


def name_of(item: Item | None) -> str | None:
    """What people call the item: a party's name, a measure's or meeting's title, an actor's name."""
    return getattr(item, "name", None) or getattr(item, "title", None) or getattr(item, "actor_name", None)


def changed_fields(before: Item, after: Item, same: Collection[str]) -> list[tuple[str, Any, Any]]:
    """(field, before, after) for each field of two versions of one item that differs, in declared order, the fields
    named in `same` left out; a mapping field gives one per key that differs (`details.license_policy`)."""
    changes: list[tuple[str, Any, Any]] = []
    for declared in fields(before):
        if declared.name in same:
            continue
        old, new = getattr(before, declared.name), getattr(after, declared.name)
        if isinstance(old, dict) and isinstance(new, dict):
            changes += [(f"{declared.name}.{k}", old.get(k), new.get(k)) for k in {**old, **new}
                        if old.get(k) != new.get(k)]
        elif old != new:
            changes.append((declared.name, old, new))
    return changes


@dataclass(frozen=True)
class State:
    """The rules for a query: list entries by list key, measures, meetings, positions, and why it may be empty."""

    query: Query
    lists: dict[str, tuple[ListEntry, ...]] = field(default_factory=dict)
    measures: tuple[MeasureView, ...] = ()
    meetings: tuple[MeetingView, ...] = ()
    positions: tuple[PositionView, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        """True when nothing at all is in the state."""
        return not (any(self.lists.values()) or self.measures or self.meetings or self.positions)
