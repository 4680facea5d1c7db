"""What changed in the window (D1, D2]: the actions that took effect in it, and every item whose state differs
between D1 and D2 (which also catches changes that follow from dates alone: an expiry, a pending change coming
into force, a meeting passing), each with before → after and its citations.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from regledger.domain.history import Entry, legal_order

from .errors import ProjectionError
from .explain import why_empty
from .fold import state_at
from .items import Citation, State, citations_of
from .query import Query
from .subjects import Fact, Resolved, SubjectKey, group_by_subject, label, resolve_all

__all__ = ["Change", "Diff", "ListChanges", "TookEffect", "assemble", "check_window", "diff", "took_effect"]


@dataclass(frozen=True)
class TookEffect:
    """A visible action whose legal effect falls in the window."""

    subject: str
    kind: str
    id: str | None
    effective_on: date
    published_on: date
    recorded_at: datetime
    reliability: str
    citations: tuple[Citation, ...]


@dataclass(frozen=True)
class Change:
    """One item before → after (None where it is absent), with the citations of what changed it."""

    key: str
    before: Any
    after: Any
    citations: tuple[Citation, ...]


@dataclass(frozen=True)
class ListChanges:
    """A list's entries added, amended and removed in the window."""

    added: tuple[Change, ...] = ()
    amended: tuple[Change, ...] = ()
    removed: tuple[Change, ...] = ()


@dataclass(frozen=True)
class Diff:
    """The changes in (start, end] for the query's other axes."""

    query: Query
    start: date
    end: date
    took_effect: tuple[TookEffect, ...] = ()
    lists: dict[str, ListChanges] = field(default_factory=dict)
    measures: tuple[Change, ...] = ()
    meetings: tuple[Change, ...] = ()
    positions: tuple[Change, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        """True when nothing changed."""
        return not (self.took_effect or self.lists or self.measures or self.meetings or self.positions)


def diff(entries: Iterable[Entry], query: Query, start: date, end: date) -> Diff:
    """The changes in (start, end] as seen through `query`'s published-by, known-at and tier (its as-of is unused)."""
    check_window(start, end)
    entries = list(entries)
    resolved = resolve_all(group_by_subject(entries), query)
    before, after = state_at(resolved, query.on(start)), state_at(resolved, query.on(end))
    return assemble(query, (start, end), (before, after), _window(resolved, start, end),
                    lambda asked: why_empty(entries, asked))


def check_window(start: date, end: date) -> None:
    """ProjectionError when the window (start, end] runs backwards."""
    if end < start:
        msg = f"the window ends ({end}) before it starts ({start})"
        raise ProjectionError(msg)


def took_effect(subject: SubjectKey, entry: Entry, action: Fact) -> TookEffect:
    """A visible action of `subject` as a diff lists it."""
    return TookEffect(label(subject), action.kind, action.id, action.effective_on, action.published_on,
                      entry.recorded_at, action.tier.value, citations_of([action]))


def assemble(query: Query, window: tuple[date, date], states: tuple[State, State],
             took: Sequence[tuple[SubjectKey, TookEffect]], explain: Callable[[Query], tuple[str, ...]]) -> Diff:
    """The diff over the window (start, end] from the states on its two ends and the actions effective in it (in
    legal order, each with its subject); `explain` says why a state is empty."""
    (start, end), (before, after) = window, states
    by_subject: dict[SubjectKey, list[TookEffect]] = {}
    for subject, item in took:
        by_subject.setdefault(subject, []).append(item)
    cited = _citer(by_subject)
    result = Diff(
        query.on(end), start, end, tuple(item for _, item in took),
        _lists(before, after, cited),
        _changes(before.measures, after.measures, lambda m: m.key, lambda m: ("measure", m.key), cited),
        _changes(before.meetings, after.meetings, lambda m: m.key, lambda m: ("meeting", m.key), cited),
        _changes(before.positions, after.positions, lambda p: f"{p.actor}/{p.subject}",
                 lambda p: ("position", p.actor, p.subject), cited),
    )
    return _with_notes(result, explain, query.on(end), after)


def _window(resolved: Resolved, start: date, end: date) -> list[tuple[SubjectKey, TookEffect]]:
    """The actions effective in (start, end], in legal order, each with its subject."""
    pairs = sorted(((s, e, a) for s, ps in resolved.items() for e, a in ps), key=lambda t: legal_order(t[1:]))
    return [(subject, took_effect(subject, entry, action)) for subject, entry, action in pairs
            if start < action.effective_on <= end]


def _citer(window: dict[SubjectKey, list[TookEffect]]) -> Callable[[SubjectKey, Any, Any], tuple[Citation, ...]]:
    def cite(subject: SubjectKey, before: Any, after: Any) -> tuple[Citation, ...]:
        found = tuple(dict.fromkeys(c for t in window.get(subject, ()) for c in t.citations))
        return found or (after or before).citations  # a change from dates alone: the item's own sources

    return cite


def _lists(before: State, after: State, cite: Callable[..., tuple[Citation, ...]]) -> dict[str, ListChanges]:
    result = {}
    for list_key in sorted({*before.lists, *after.lists}):
        changes = _changes(before.lists.get(list_key, ()), after.lists.get(list_key, ()), lambda e: e.party,
                           lambda e: ("listing", e.list_key, e.party), cite)
        grouped = ListChanges(
            added=tuple(c for c in changes if c.before is None),
            amended=tuple(c for c in changes if c.before is not None and c.after is not None),
            removed=tuple(c for c in changes if c.after is None),
        )
        if changes:
            result[list_key] = grouped
    return result


def _changes(before: Sequence[Any], after: Sequence[Any], key: Callable[[Any], str],
             subject: Callable[[Any], SubjectKey], cite: Callable[..., tuple[Citation, ...]]) -> tuple[Change, ...]:
    old = {key(item): item for item in before}
    new = {key(item): item for item in after}
    changes = []
    for name in sorted({*old, *new}):
        was, now = old.get(name), new.get(name)
        if was != now:
            changes.append(Change(name, was, now, cite(subject(now or was), was, now)))
    return tuple(changes)


def _with_notes(result: Diff, explain: Callable[[Query], tuple[str, ...]], query: Query, after: State) -> Diff:
    if not result.is_empty:
        return result
    notes: tuple[str, ...] = (f"nothing changed between {result.start} and {result.end} under these axes",)
    if after.is_empty:
        notes += explain(query)
    return replace(result, notes=notes)
