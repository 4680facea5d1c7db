"""The fold's answers along D for one set of visible facts: evaluated at the days where they can change (`cuts`),
as `state_at` would give them, with equal neighbours merged (see `temporal`).

Each subject's facts are in legal order, effective date first, so those in force on a day are a prefix: the sweep
folds that prefix one step at a time with the domain's step functions, and builds each item with the fold's own
builders (`listing_item`, `measure_item`, `meeting_item`, `position_item`), so the items are the fold's.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable
from datetime import date, timedelta
from typing import Any, ClassVar

from regledger.domain.actions import MeetingHeld, PartyRef
from regledger.domain.listing import ListingState, listing_step
from regledger.domain.measure import MeasureState, measure_step
from regledger.domain.meeting import MeetingState, meeting_step

from .fold import listing_item, measure_item, meeting_item, naming, party_actions, position_item
from .subjects import Fact, Resolved, SubjectKey
from .views import ListEntry, MeasureView, MeetingView, PositionView, State

__all__ = ["Item", "Span", "cuts", "items_along", "items_of"]

Item = ListEntry | MeasureView | MeetingView | PositionView
Span = tuple[date | None, date | None]  # [from, to); None is unbounded


def cuts(actions: Iterable[Any]) -> list[date]:
    """The days on which the fold's answer can change, in order. The fold compares D with effective_on
    (`<=`, `<`, `>`), published_on (`<=`), a measure's expires_on (`D > expires_on`) and a meeting's date
    (`date >= D`, a meeting held without a date: its effective_on): a cut at each of the first two, and the day
    after each of the last two."""
    found: set[date] = set()
    for action in actions:
        found.update(_action_cuts(action))
    return sorted(found)


def _action_cuts(action: Any) -> tuple[date, ...]:
    data = action.__dict__  # the model's fields (a missing field is not an attribute lookup that fails)
    days = [action.effective_on, action.published_on]
    later = (data.get("expires_on"), data.get("date"), action.effective_on if isinstance(action, MeetingHeld) else None)
    days += [value + timedelta(days=1) for value in later if isinstance(value, date) and value < date.max]
    return tuple(days)


def items_along(resolved: Resolved, base: dict[tuple[SubjectKey, Span], Item] | None,
                theta: date | None) -> dict[tuple[SubjectKey, Span], Item]:
    """The answers along D: each subject's items on the spans between cuts, equal neighbours merged. With the
    answers of a `base` layer, those before `theta` are kept and only the cuts from `theta` on are evaluated."""
    found_cuts = cuts(action for pairs in resolved.values() for _, action in pairs)
    found: dict[tuple[SubjectKey, Span], Item] = {}
    open_: dict[SubjectKey, tuple[date | None, Item]] = {}
    starts: list[date | None]
    if base is not None and theta is not None:
        for (subject, (began, ended)), item in base.items():
            if ended is not None and ended <= theta:
                found[(subject, (began, ended))] = item
            elif began is None or began < theta:
                open_[subject] = (began, item)
        starts = [theta, *(cut for cut in found_cuts if cut > theta)]
    else:
        starts = [None, *found_cuts] if not found_cuts or found_cuts[0] > date.min else list(found_cuts)
    sweeps = [_Sweep(subject, [action for _, action in pairs]) for subject, pairs in resolved.items()]
    names = _Names(party_actions(resolved))
    for start in starts:
        day = start or date.min
        now = {sweep.subject: found_item for sweep in sweeps if (found_item := sweep.at(day, names)) is not None}
        for subject in [s for s in open_ if now.get(s) != open_[s][1]]:
            began, item = open_.pop(subject)
            found[(subject, (began, start))] = item
        for subject, item in now.items():
            open_.setdefault(subject, (start, item))
    found.update({(subject, (began, None)): item for subject, (began, item) in open_.items()})
    return found


class _Names:
    """The parties' names on a day, as `naming` gives them: they depend only on how many of the party's actions (in
    legal order, effective date first) are in force, so each count is named once."""

    def __init__(self, parties: dict[str, list[Any]]) -> None:
        self.parties = parties
        self.effective = {key: [a.effective_on for a in actions] for key, actions in parties.items()}
        self.known: dict[tuple[str, int], PartyRef] = {}

    def on(self, key: str, day: date) -> PartyRef | None:
        """The party's name, aliases and country on `day` (None: no visible listing action names it)."""
        if key not in self.parties:
            return None
        count = bisect_right(self.effective[key], day)
        found = self.known.get((key, count))
        if found is None:
            found = self.known[(key, count)] = naming(key, self.parties[key], day)
        return found


class _Sweep:
    """One subject's items on increasing days, as the fold gives them. Its facts are in legal order, effective date
    first, so those in force on a day are a prefix: the fold of that prefix grows one step at a time."""

    _START: ClassVar[dict[str, tuple[Callable[..., Any], Any]]] = {
        "listing": (listing_step, ListingState()), "measure": (measure_step, MeasureState()),
        "meeting": (meeting_step, MeetingState()), "position": (lambda state, _a, strict: state, None),
    }

    def __init__(self, subject: SubjectKey, facts: list[Fact]) -> None:
        self.subject, self.facts, self.done = subject, facts, 0
        self.step, self.state = self._START[subject[0]]
        self.last: tuple[Any, Item | None] = (None, None)  # (what a listing's or position's item depends on, item)

    def at(self, day: date, names: _Names) -> Item | None:
        """The item on `day` (no earlier than the last day asked)."""
        facts = self.facts
        while self.done < len(facts) and facts[self.done].effective_on <= day:
            self.state = self.step(self.state, facts[self.done], strict=False)
            self.done += 1
        pending = [a for a in facts[self.done:] if a.published_on <= day]  # published by `day`, effective after it
        kind = self.subject[0]
        if kind == "listing":
            known = names.on(self.subject[2], day)
            return self._unless_same((self.done, *map(id, pending), id(known)), lambda: listing_item(
                self.subject, self.state, pending, {known.key: known} if known else {}))
        if kind == "position":
            return self._unless_same(self.done, lambda: position_item(facts[:self.done]))
        if kind == "measure":
            return measure_item(self.subject[1], facts, self.state, pending, day)
        return meeting_item(self.subject[1], self.state, day)

    def _unless_same(self, inputs: Any, make: Callable[[], Item | None]) -> Item | None:
        """The item made from `inputs`: the last one when they are the same (the fold is a function of them)."""
        if self.last[0] != inputs:
            self.last = (inputs, make())
        return self.last[1]


def items_of(state: State) -> dict[SubjectKey, Item]:
    """Every item of a state by its subject."""
    items: dict[SubjectKey, Item] = {}
    for list_key, entries in state.lists.items():
        items.update({("listing", list_key, entry.party): entry for entry in entries})
    items.update({("measure", m.key): m for m in state.measures})
    items.update({("meeting", m.key): m for m in state.meetings})
    items.update({("position", p.actor, p.subject): p for p in state.positions})
    return items

