"""What changed in the window (D1, D2], by legal effect: the actions that took effect in it; every item whose state
differs between D1 and D2 (which also catches changes that follow from dates alone: an expiry, a pending change
coming into force, a meeting passing), each with before → after and its citations; and every status transition
inside the window, in date order.

A list entry is *added* when it is not in force on D1 and in force on D2, *removed* in the reverse case, *amended*
when in force on both with different terms; an entry that changed without being in force on D2 (or on either end)
is grouped by what it is on D2: *pending* (published, taking effect later) or *announced* (said to be coming). These
groups read only the two end states, never the query's filters or tier, so the same event is in the same group
whatever they are.

A *transition* is a day in the window on which a subject's status differs from the day before: an entry's
(`announced`, `pending`, `in_force`; `removed` on the day it leaves its list), a measure's or a meeting's status, a
position's stance; `None` where the subject has no item. They are read off each subject's items along D (its spans
of equal answers), so a status that lasted only days inside the window is shown too.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any, TypeVar

from regledger.domain.history import Entry, legal_order

from .errors import ProjectionError
from .explain import why_empty
from .fold import state_at
from .items import Citation, Item, ListEntry, PositionView, State, citations_of
from .query import Query
from .subjects import Fact, Resolved, SubjectKey, group_by_subject, label, resolve_all
from .sweep import items_along

__all__ = [
    "LIST_GROUPS",
    "Along",
    "Change",
    "Diff",
    "DiffPage",
    "ListChanges",
    "TookEffect",
    "Transition",
    "assemble",
    "check_window",
    "diff",
    "listings_only",
    "page_cut",
    "took_effect",
    "took_in",
    "transitions",
    "window_subjects",
]

LIST_GROUPS = ("added", "amended", "removed", "pending", "announced")
# Each subject's items along D: (subject, from, to, item) for the span [from, to) (None: unbounded).
Along = Iterable[tuple[SubjectKey, date | None, date | None, Item]]
_KINDS = {"listing": "entry"}  # a transition's kind: the subject's, but a listing's is its entry


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
    """A list's entries that changed in the window, by legal effect (see the module's docstring)."""

    added: tuple[Change, ...] = ()
    amended: tuple[Change, ...] = ()
    removed: tuple[Change, ...] = ()
    pending: tuple[Change, ...] = ()
    announced: tuple[Change, ...] = ()

    def groups(self) -> Iterable[tuple[str, tuple[Change, ...]]]:
        """(group name, its changes), in `LIST_GROUPS` order."""
        return ((name, getattr(self, name)) for name in LIST_GROUPS)

    @property
    def is_empty(self) -> bool:
        """True when no group holds a change."""
        return not any(changes for _, changes in self.groups())


@dataclass(frozen=True)
class Transition:
    """A subject's status on `on` (a day in the window) differs from the day before: `before` → `after`, each a
    status word (a position's stance) or None where the subject has no item; `citations` are the sources of the
    subject's actions effective that day, else of its item's sources dated that day, else its item's own."""

    on: date
    subject: str  # as `took_effect` writes it: LIST/PARTY, a measure or meeting key, ACTOR/SUBJECT
    kind: str  # entry | measure | meeting | position
    before: str | None
    after: str | None
    citations: tuple[Citation, ...]


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
    transitions: tuple[Transition, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        """True when nothing changed."""
        return not (self.took_effect or self.lists or self.measures or self.meetings or self.positions
                    or self.transitions)


@dataclass(frozen=True)
class DiffPage:
    """A page of a diff: the diff of the window's subjects [start, start + size) in subject order (`window_subjects`:
    their changes, transitions and actions taken effect; no notes when the window has any subject), and whether more
    subjects follow (`more`). How many subjects the window holds (`total`) is given where the page knows it without
    reading the window whole: on the page that holds the last subject, and for a window with none (then `diff` is
    the whole diff, its notes saying why nothing changed); before the last page, and past it, it is None."""

    diff: Diff
    start: int
    size: int
    total: int | None
    more: bool = False


_T = TypeVar("_T")


def page_cut(ordered: Sequence[_T], start: int, size: int) -> tuple[list[_T], bool]:
    """The page [start, start + size) of `ordered` (a window's subjects, in order), and whether more follow it."""
    return list(ordered[start:start + size]), len(ordered) > start + size


def window_subjects(along: Along, took: Iterable[tuple[SubjectKey, TookEffect]],
                    window: tuple[date, date]) -> list[SubjectKey]:
    """The subjects a diff over the window (start, end] can show anything of, in subject order: those with an action
    effective in it (`took`), and those whose item changes on a day inside it, where one of their spans along D
    (`along`, equal neighbours merged, as `items_along` and the read models' rows keep them) starts or ends. Every
    change, transition and action taken effect of the diff is one of theirs (some show nothing: an item changed and
    changed back, its status the same)."""
    start, end = window
    found = {subject for subject, _ in took}
    found.update(subject for subject, began, ended, _ in along
                 if (began is not None and start < began <= end) or (ended is not None and start < ended <= end))
    return sorted(found)


def diff(entries: Iterable[Entry], query: Query, start: date, end: date) -> Diff:
    """The changes in (start, end] as seen through `query`'s published-by, known-at and tier (its as-of is unused)."""
    check_window(start, end)
    entries = list(entries)
    resolved = resolve_all(group_by_subject(entries), query)
    before, after = state_at(resolved, query.on(start)), state_at(resolved, query.on(end))
    along = ((subject, *span, item) for (subject, span), item in items_along(resolved, None, None).items())
    return assemble(query, (start, end), (before, after), took_in(resolved, start, end),
                    lambda asked: why_empty(entries, asked), along=along)


def check_window(start: date, end: date) -> None:
    """ProjectionError when the window (start, end] runs backwards."""
    if end < start:
        msg = f"the window ends ({end}) before it starts ({start})"
        raise ProjectionError(msg)


def took_effect(subject: SubjectKey, entry: Entry, action: Fact) -> TookEffect:
    """A visible action of `subject` as a diff lists it."""
    return TookEffect(label(subject), action.kind, action.id, action.effective_on, action.published_on,  # type: ignore[arg-type]
                      entry.recorded_at, action.tier.value, citations_of([action]))


def assemble(query: Query, window: tuple[date, date], states: tuple[State, State],
             took: Sequence[tuple[SubjectKey, TookEffect]], explain: Callable[[Query], tuple[str, ...]], *,
             along: Along = ()) -> Diff:
    """The diff over the window (start, end] from the states on its two ends, the actions effective in it (in
    legal order, each with its subject) and the subjects' items along D (at least those whose spans start or end
    inside the window; none: no transitions); `explain` says why a state is empty."""
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
        transitions(along, window, by_subject),
    )
    return _with_notes(result, explain, query.on(end), after)


def listings_only(result: Diff, wanted: Callable[[str, str], bool]) -> Diff:
    """The diff's list changes, actions that took effect and transitions of the listings (list key, party key)
    that `wanted` keeps; measures, meetings and positions left out (what `select_diff` narrows a diff to)."""
    lists = {
        key: ListChanges(**{name: tuple(c for c in group if wanted(key, c.key)) for name, group in changes.groups()})
        for key, changes in result.lists.items()
    }
    kinds = {"entity_listed", "entry_amended", "entity_delisted", "listing_announced"}
    took = tuple(t for t in result.took_effect if t.kind in kinds and wanted(*t.subject.split("/", 1)))
    moved = tuple(t for t in result.transitions if t.kind == "entry" and wanted(*t.subject.split("/", 1)))
    kept = {key: changes for key, changes in lists.items() if not changes.is_empty}
    return replace(result, took_effect=took, lists=kept, measures=(), meetings=(), positions=(), transitions=moved)


def took_in(resolved: Resolved, start: date, end: date) -> list[tuple[SubjectKey, TookEffect]]:
    """The actions effective in (start, end], in legal order, each with its subject (an announcement, which has no
    effective date, never takes effect)."""
    pairs = sorted(((s, e, a) for s, ps in resolved.items() for e, a in ps), key=lambda t: legal_order(t[1:]))
    return [(subject, took_effect(subject, entry, action)) for subject, entry, action in pairs
            if action.effective_on is not None and start < action.effective_on <= end]


def _citer(window: dict[SubjectKey, list[TookEffect]]) -> Callable[[SubjectKey, Any, Any], tuple[Citation, ...]]:
    """A change's citations: the sources of its subject's actions effective in the window; else those of the
    changes pending or announced on D2 that were not on D1 (published in the window); else, for a change from dates
    alone, the item's own."""
    def cite(subject: SubjectKey, before: Any, after: Any) -> tuple[Citation, ...]:
        found = [c for t in window.get(subject, ()) for c in t.citations]
        for name in ("pending", "announced") if not found else ():
            known = getattr(before, name, ())
            found += [c for change in getattr(after, name, ()) if change not in known for c in change.citations]
        return tuple(dict.fromkeys(found)) or (after or before).citations

    return cite


# -- list entries by legal effect ----------------------------------------------------------------------------------


def _lists(before: State, after: State, cite: Callable[..., tuple[Citation, ...]]) -> dict[str, ListChanges]:
    result = {}
    for list_key in sorted({*before.lists, *after.lists}):
        changes = _changes(before.lists.get(list_key, ()), after.lists.get(list_key, ()), lambda e: e.party,
                           lambda e: ("listing", e.list_key, e.party), cite)
        grouped: dict[str, list[Change]] = defaultdict(list)
        for change in changes:
            grouped[_list_group(change.before, change.after)].append(change)
        if changes:
            result[list_key] = ListChanges(**{name: tuple(grouped[name]) for name in LIST_GROUPS})
    return result


def _list_group(before: ListEntry | None, after: ListEntry | None) -> str:
    """The group of an entry that differs between D1 (`before`) and D2 (`after`): added, removed or amended by
    whether it is in force on each end; otherwise pending or announced, by what it is (or carries) on D2."""
    was, now = _in_force(before), _in_force(after)
    if was != now:
        return "added" if now else "removed"
    if was and _terms(before) != _terms(after):
        return "amended"
    if after is not None and not now:
        return "announced" if after.status == "announced" else "pending"
    if after is None:  # a pending or announced entry that is no longer either
        return "announced" if before is not None and before.status == "announced" else "pending"
    return "pending" if before is None or before.pending != after.pending else "announced"


def _in_force(entry: ListEntry | None) -> bool:
    return entry is not None and entry.status == "in_force"


def _terms(entry: ListEntry | None) -> Any:
    """The entry less what is only coming (its pending and announced changes)."""
    return replace(entry, pending=(), announced=()) if entry is not None else None


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


# -- transitions ---------------------------------------------------------------------------------------------------


def transitions(along: Along, window: tuple[date, date],
                took: dict[SubjectKey, list[TookEffect]]) -> tuple[Transition, ...]:
    """Every day in the window (start, end] on which a subject's status differs from the day before, in date
    order (then subject order), from the subjects' items along D (at least those whose spans start or end inside the
    window: both sides of each such day); `took` holds each subject's actions effective in the window (for the
    citations)."""
    start, end = window
    spans: dict[SubjectKey, list[tuple[date | None, date | None, Item]]] = defaultdict(list)
    for subject, began, ended, item in along:
        spans[subject].append((began, ended, item))
    found: list[tuple[date, SubjectKey, Transition]] = []
    for subject, runs in spans.items():
        runs.sort(key=lambda run: run[0] or date.min)
        for day, was, now in _boundaries(runs):
            if start < day <= end and (moved := _transition(subject, day, was, now, took.get(subject, ()))):
                found.append((day, subject, moved))
    return tuple(t for _, _, t in sorted(found, key=lambda f: (f[0], f[1])))


def _boundaries(runs: list[tuple[date | None, date | None, Item]]) -> Iterable[tuple[date, Item | None, Item | None]]:
    """(day, item the day before, item on the day) where one span of a subject starts or ends."""
    for k, (began, ended, item) in enumerate(runs):
        previous = runs[k - 1] if k else None
        if began is not None:
            yield began, previous[2] if previous is not None and previous[1] == began else None, item
        following = runs[k + 1] if k + 1 < len(runs) else None
        if ended is not None and (following is None or following[0] != ended):
            yield ended, item, None


def _transition(subject: SubjectKey, day: date, was: Item | None, now: Item | None,
                took: Iterable[TookEffect]) -> Transition | None:
    item = now or was
    if item is None:
        return None
    before, after = _status(was), _status(now)
    if subject[0] == "listing" and before == "in_force" and after is None:
        after = "removed"
    if before == after:
        return None
    return Transition(day, label(subject), _KINDS.get(subject[0], subject[0]), before, after,
                      _transition_citations(day, item, took))


def _status(item: Item | None) -> str | None:
    """An item's status word (a position's: its stance); None for no item."""
    if item is None:
        return None
    return item.stance if isinstance(item, PositionView) else item.status


def _transition_citations(day: date, item: Item, took: Iterable[TookEffect]) -> tuple[Citation, ...]:
    """The sources of the subject's actions effective on `day`; else the sources of `item` (the subject on the
    day, else the day before) dated `day` (it became pending or announced); else the item's own (a change from
    dates alone: an expiry, a meeting's date passing)."""
    effective = [c for t in took if t.effective_on == day for c in t.citations]
    if effective:
        return tuple(dict.fromkeys(effective))
    every = [*item.citations, *(c for change in (*getattr(item, "pending", ()), *getattr(item, "announced", ()))
                                for c in change.citations)]
    dated = [c for c in every if c.published_on == day]
    return tuple(dict.fromkeys(dated)) or item.citations


def _with_notes(result: Diff, explain: Callable[[Query], tuple[str, ...]], query: Query, after: State) -> Diff:
    if not result.is_empty:
        return result
    notes: tuple[str, ...] = (f"nothing changed between {result.start} and {result.end} under these axes",)
    if after.is_empty:
        notes += explain(query)
    return replace(result, notes=notes)
