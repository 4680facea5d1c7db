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
from typing import Any, ClassVar, cast

from regledger.domain.actions import MeasureAdopted, MeetingHeld, PartyRef
from regledger.domain.listing import ListingState, listing_step
from regledger.domain.measure import MeasureState, measure_status, measure_step
from regledger.domain.meeting import MeetingState, meeting_status, meeting_step

from .fold import (
    is_announcement,
    listing_item,
    measure_item,
    meeting_item,
    meeting_timing,
    naming,
    open_announcements,
    party_actions,
    position_item,
)
from .items import Item, State
from .subjects import Fact, Resolved, SubjectKey

__all__ = ["Folds", "Item", "Span", "cuts", "items_along", "items_of"]

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
    days = [action.legal_on, action.published_on]
    later = (data.get("expires_on"), data.get("date"), action.effective_on if isinstance(action, MeetingHeld) else None)
    days += [value + timedelta(days=1) for value in later if isinstance(value, date) and value < date.max]
    return tuple(days)


def items_along(resolved: Resolved, base: dict[tuple[SubjectKey, Span], Item] | None,
                theta: date | None, folds: Folds | None = None) -> dict[tuple[SubjectKey, Span], Item]:
    """The answers along D: each subject's items on the spans between cuts, equal neighbours merged. With the
    answers of a `base` layer, those before `theta` are kept and only the cuts from `theta` on are evaluated.
    `folds` holds the states and items already made for the unit (see `Folds`)."""
    folds = folds or Folds()
    found_cuts = folds.cuts(action for pairs in resolved.values() for _, action in pairs)
    found: dict[tuple[SubjectKey, Span], Item] = {}
    open_: dict[SubjectKey, tuple[date | None, Item]] = {}
    starts: list[date | None]
    if base is not None and theta is not None:
        for (subject, (began, ended)), item in base.items():
            if ended is not None and ended < theta:
                found[(subject, (began, ended))] = item
            elif began is None or began < theta:  # it may go on from theta: kept open (one span per subject)
                open_[subject] = (began, item)
        starts = [theta, *(cut for cut in found_cuts if cut > theta)]
    else:
        starts = [None, *found_cuts] if not found_cuts or found_cuts[0] > date.min else list(found_cuts)
    sweeps = [_Sweep(subject, [action for _, action in pairs], folds) for subject, pairs in resolved.items()]
    names = _Names(party_actions(resolved), folds) if any(s[0] == "listing" for s in resolved) else None
    for subject in [s for s in open_ if s not in resolved]:  # no longer visible: it ends where evaluation starts
        opened, last = open_.pop(subject)
        found[(subject, (opened, starts[0]))] = last
    for start in starts:
        day = start or date.min
        for sweep in sweeps:
            now = sweep.at(day, names)
            was = open_.get(sweep.subject)
            if was is not None and (now is None or (now is not was[1] and now != was[1])):
                del open_[sweep.subject]
                found[(sweep.subject, (was[0], start))] = was[1]
                was = None
            if was is None and now is not None:
                open_[sweep.subject] = (start, now)
    found.update({(subject, (began, None)): item for subject, (began, item) in open_.items()})
    return found


class Folds:
    """The fold's states and items for one unit, each made once however many layers (and versions) ask: a state
    by the state before and the action folded into it, an item by what its builder reads. States and actions are
    keyed by identity, so every action given must stay alive as long as this (`temporal` keeps them)."""

    def __init__(self) -> None:
        self.states: dict[tuple[int, int], Any] = {}
        self.items: dict[tuple[Any, ...], Item | None] = {}
        self.names: dict[tuple[Any, ...], PartyRef] = {}
        self.days: dict[int, tuple[date, ...]] = {}

    def cuts(self, actions: Iterable[Fact]) -> list[date]:
        """`cuts(actions)`, each action's days found once."""
        found: set[date] = set()
        days = self.days
        for action in actions:
            known = days.get(id(action))
            if known is None:
                known = days[id(action)] = _action_cuts(action)
            found.update(known)
        return sorted(found)

    def item(self, key: tuple[Any, ...], make: Callable[[], Item | None]) -> Item | None:
        """The item that `key` (everything its builder reads) gives, made once."""
        found = self.items.get(key, _MISSING)
        if found is _MISSING:
            found = self.items[key] = make()
        return cast(Item | None, found)


_MISSING: Any = object()


class _Names:
    """The parties' names on a day, as `naming` gives them: they depend only on how many of the party's actions (in
    legal order, effective date first) are in force, so each count is named once, and equal names are one object
    for the unit (`Folds.names`), so that items made from them are found again."""

    def __init__(self, parties: dict[str, list[Any]], folds: Folds) -> None:
        self.parties, self.folds = parties, folds
        self.effective = {key: [a.legal_on for a in actions] for key, actions in parties.items()}
        self.known: dict[tuple[str, int], PartyRef] = {}

    def on(self, key: str, day: date) -> PartyRef | None:
        """The party's name, aliases and country on `day` (None: no visible listing action names it)."""
        if key not in self.parties:
            return None
        count = bisect_right(self.effective[key], day)
        found = self.known.get((key, count))
        if found is None:
            refs = [a.party for a in self.parties[key]]
            order = [*refs[:count][::-1], *refs[count:]]  # `naming`: the latest in force, else the first to come
            values = (key, *(next((v for ref in order if (v := getattr(ref, name))), None)
                             for name in ("name", "aliases", "country", "affiliate_of")))
            found = self.folds.names.get(values)
            if found is None:
                found = self.folds.names[values] = naming(key, self.parties[key], day)
            self.known[(key, count)] = found
        return found


def _position_step(state: tuple[Fact, ...], action: Fact, strict: bool) -> tuple[Fact, ...]:
    """A position's "state": the statements in force, in legal order (`position_item` reads them)."""
    return (*state, action)


class _Sweep:
    """One subject's items on increasing days, as the fold gives them. Its facts are in legal order, effective date
    first, so those in force on a day are a prefix: the fold of that prefix grows one step at a time (each step
    made once per unit, `Folds`), and each item is made once per distinct input."""

    _START: ClassVar[dict[str, tuple[Callable[..., Any], Any]]] = {
        "listing": (listing_step, ListingState()), "measure": (measure_step, MeasureState()),
        "meeting": (meeting_step, MeetingState()), "position": (_position_step, ()),
    }

    def __init__(self, subject: SubjectKey, facts: list[Fact], folds: Folds) -> None:
        self.subject, self.facts, self.done, self.folds = subject, facts, 0, folds
        self.kind = subject[0]
        self.step, self.state = self._START[self.kind]
        self.title = next((t for a in facts if (t := a.measure.title)), None) if self.kind == "measure" else None  # type: ignore[union-attr]
        self.announces = any(is_announcement(a) for a in facts)

    def at(self, day: date, names: _Names | None) -> Item | None:
        """The item on `day` (no earlier than the last day asked)."""
        facts, done, state = self.facts, self.done, self.state
        if done < len(facts) and facts[done].legal_on <= day:
            states, step = self.folds.states, self.step
            while done < len(facts) and facts[done].legal_on <= day:
                key = (id(state), id(facts[done]))
                found = states.get(key)
                if found is None:
                    found = states[key] = step(state, facts[done], strict=False)
                state, done = found, done + 1
            self.done, self.state = done, state
        pending = [a for a in facts[done:] if a.published_on <= day]  # published by `day`, effective after it
        subject, kind = self.subject, self.kind
        said = open_announcements(facts, day) if self.announces else []
        if kind == "listing":
            known = names.on(subject[2], day) if names is not None else None
            return self.folds.item((subject, id(state), id(known), *map(id, pending), "said", *map(id, said)),
                                   lambda: listing_item(subject, state, pending, {known.key: known} if known else {},
                                                        said))
        if kind == "position":
            return self.folds.item((subject, id(state)), lambda: position_item(list(state)))
        if kind == "measure":  # the day counts only through the status it gives
            adoption = any(isinstance(a, MeasureAdopted) for a in pending)
            status = measure_status(state, day, adoption_pending=adoption)
            return self.folds.item((subject, id(state), status, self.title, *map(id, pending), "said", *map(id, said)),
                                   lambda: measure_item(subject[1], facts, state, pending, day, announced=said))
        # the day counts only through the status and timing it gives
        on = meeting_status(state, day)
        timing = meeting_timing(on, state.date, day) if on is not None else None
        return self.folds.item((subject, id(state), on, timing), lambda: meeting_item(subject[1], state, day))


def items_of(state: State) -> dict[SubjectKey, Item]:
    """Every item of a state by its subject."""
    items: dict[SubjectKey, Item] = {}
    for list_key, entries in state.lists.items():
        items.update({("listing", list_key, entry.party): entry for entry in entries})
    items.update({("measure", m.key): m for m in state.measures})
    items.update({("meeting", m.key): m for m in state.meetings})
    items.update({("position", p.actor, p.subject): p for p in state.positions})
    return items

