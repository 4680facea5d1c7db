"""Temporal rows of one unit: the fold's answers for every (minimum tier, published by P, as of D), as boxes.

A *unit* is a measure, a meeting, a position, or a party with all its listings (the fold names a listing's party
from the party's other listings, so they are recomputed together). Its entries are self-contained: corrections and
retractions are recorded on the subject of the action they name.

For one set of entries (one version in transaction time), the fold's answer is piecewise constant:

- P matters only at the dates the unit's sources carry (a source's own published_on, else its action's), as written
  or as a correction sets them (an action is seen through its sources dated by P, `ActionBase.seen`); an open P
  behaves like one after all of them;
- the minimum tier only at the tiers its sources carry (an open minimum behaves like `anonymous`);
- D only where the fold compares it with a visible action's date (`sweep.cuts`).

`unit_model` resolves the unit's facts for each (tier, P) level (a *layer*) and sweeps D with the fold's own item
builders (`sweep`), then merges equal neighbours along D, then P, then tier. Consecutive layers share work: where a
layer's facts differ from the one before only in facts neither in force nor pending before some day θ (and that
carry no party name or measure title the fold falls back on), the answers before θ are the earlier layer's. Every
layer's spans along D are maximal (equal neighbours always merged), so a layer is a function of its facts alone and is
made once per unit however many (tier, P) cells and versions see those facts (`Shared`). A unit
whose grid is larger than `GRID_LIMIT` evaluations is modelled for P after its last publication only
(`UnitModel.floor`); a query published by an earlier P falls back to the fold for that unit.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar, cast

from regledger.domain.actions import (
    Correction,
    EntityDelisted,
    EntityListed,
    EntryAmended,
    ListingAnnounced,
    PositionStated,
    recorded_key,
    set_by_corrections,
)
from regledger.domain.history import Entry, legal_order, resolve
from regledger.domain.values import Reliability

from .diff import TookEffect, took_effect
from .fold import is_announcement
from .items import Item
from .query import Query
from .subjects import Fact, Resolved, SubjectKey, group_by_subject, target_of
from .sweep import Folds, Span, cuts, items_along, items_of

__all__ = ["GRID_LIMIT", "Box", "Effect", "Item", "Shared", "UnitModel", "items_of", "unit_model"]

GRID_LIMIT = 20_000  # fold evaluations per unit version before P is modelled after the last publication only
K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


@dataclass(frozen=True)
class Box:
    """`item` is the fold's answer for `subject` when tier rank ∈ [tiers], P ∈ [published) and D ∈ [effective)."""

    subject: SubjectKey
    tiers: tuple[int, int]  # lowest and highest rank of the minimum tier, inclusive
    published: Span
    effective: Span
    item: Item


@dataclass(frozen=True)
class Effect:
    """A visible action as a diff lists it, for tier rank ∈ [tiers] and P ∈ [published)."""

    subject: SubjectKey
    seq: int
    tiers: tuple[int, int]
    published: Span
    item: TookEffect


@dataclass(frozen=True)
class UnitModel:
    """Every box and effect of a unit; `floor` is the lowest P they answer (None: every P)."""

    boxes: tuple[Box, ...]
    effects: tuple[Effect, ...]
    floor: date | None = None


@dataclass(frozen=True)
class _Layer:
    """The answers for one (tier, P): the visible facts by seq, items by (subject, D span), effects by (subject,
    seq)."""

    facts: dict[int, Fact]
    items: dict[tuple[SubjectKey, Span], Item]
    effects: dict[tuple[SubjectKey, int], TookEffect]


class Shared:
    """What the models of one unit share across its layers and versions (pass one to each `unit_model` call for the
    unit's versions): each layer by the facts it sees, each fact as corrected once (equal corrections are one
    object), each effect, and the fold's states and items (`sweep.Folds`). A layer is a function of its facts, and
    a later version sees the facts of an earlier one wherever P or the tier hides what was recorded since."""

    def __init__(self) -> None:
        self.folds = Folds()
        self.layers: dict[tuple[int, ...], _Layer] = {}
        self.corrected: dict[int, list[tuple[Entry, Fact, date, int]]] = {}
        self.resolved: dict[tuple[Any, ...], list[tuple[Entry, Fact, date, int]]] = {}
        self.effects: dict[tuple[int, int], TookEffect] = {}
        self.views: dict[tuple[Any, ...], tuple[Fact, Fact | None]] = {}  # keeps the viewed fact alive for its id

    def fact(self, entry: Entry, action: Fact) -> tuple[Entry, Fact, date, int]:
        """The one object for `action` as resolved for `entry` (the entry's own action, or an equal correction
        made before), with its published_on and tier rank."""
        known = self.corrected.setdefault(entry.seq, [])
        same = next((t for t in known if t[1] is action or (t[1] == action and _marks(t[1]) == _marks(action))), None)
        if same is None:
            same = (entry, action, action.published_on, action.tier.rank)
            known.append(same)
        return same

    def seen(self, entry: Entry, action: Fact, query: Query) -> Fact | None:
        """`action` as `query` sees it (`Query.sees`), as the one object for that fact (`fact`)."""
        key = (entry.seq, id(action), query.published_by, query.min_rank)
        if key not in self.views:
            shown = query.sees(entry, action)
            self.views[key] = (action, None if shown is None else self.fact(entry, shown)[1])
        return self.views[key][1]


def _marks(action: Fact) -> dict[str, tuple[str, str]]:
    """Which correction set which field, and its tier: part of what makes two resolved facts the same."""
    return {path: (recorded_key(c), c.tier.value) for path, c in set_by_corrections(action).items()}


def unit_model(entries: Sequence[Entry], limit: int = GRID_LIMIT, shared: Shared | None = None) -> UnitModel:
    """The boxes and effects of a unit from all its entries (those of one version in transaction time); `shared`
    carries what the unit's other versions computed."""
    shared = shared or Shared()
    groups = _Groups(group_by_subject(entries), shared)
    levels, tiers = published_levels(entries), tier_levels(entries)
    floor = None
    if len(levels) * (len(cuts(e.action for e in entries if not e.is_amendment)) + 1) * len(tiers) > limit:
        levels, floor = levels[-1:], levels[-1]
    layers: list[list[_Layer]] = []
    for rank in tiers:
        row: list[_Layer] = []
        for level in levels:
            base = row[-1] if row else layers[-1][0] if layers else None
            row.append(_layer(groups, Query(date.min, level, None, Reliability.from_rank(rank)), base, shared))
        layers.append(row)
    ranges = _tier_ranges(tiers)
    boxes = _merge_tiers(ranges, [_merge_levels([layer.items for layer in row]) for row in layers])
    effects = _merge_tiers(ranges, [_merge_levels([layer.effects for layer in row]) for row in layers])
    return UnitModel(
        tuple(Box(subject, tier, _span(levels, p), span, item) for (subject, span), tier, p, item in boxes),
        tuple(Effect(subject, seq, tier, _span(levels, p), item) for (subject, seq), tier, p, item in effects),
        floor,
    )


class _Groups:
    """The unit's entries by subject, resolving a query's visible facts as `resolve_all` does. A subject without
    corrections or retractions resolves to its facts in legal order that the query admits: those are sorted once.
    A subject whose corrections and retractions name only its facts resolves, whatever the query, to its facts as
    the visible amendments leave them, less those the query does not admit: resolved once per set of visible
    amendments (`_Amended`)."""

    def __init__(self, groups: dict[SubjectKey, list[Entry]], shared: Shared) -> None:
        self.groups, self.shared = groups, shared
        self.plain: dict[SubjectKey, list[tuple[Entry, Fact, date, int]]] = {}
        self.amended: dict[SubjectKey, _Amended] = {}
        for subject, entries in groups.items():
            if not any(e.is_amendment for e in entries):
                self.plain[subject] = sorted(((e, cast(Fact, e.action), e.action.published_on, e.action.tier.rank)
                                              for e in entries), key=lambda t: legal_order((t[0], t[1])))
            elif not _chained(entries):
                self.amended[subject] = _Amended(subject, entries, shared)

    def resolve(self, query: Query) -> Resolved:
        """The visible facts of each subject, in legal order, for `query`'s P and tier (T is open), each as the
        query sees it (`Query.sees`: its visible sources only; one object per distinct fact, `Shared.fact`)."""
        found: Resolved = {}
        for subject, entries in self.groups.items():
            plain = self.plain.get(subject)
            if plain is None:
                amended = self.amended.get(subject)
                plain = amended.facts(query) if amended is not None else self._resolve(entries, query)
            pairs = [(e, seen) for e, a, _, _ in plain if (seen := self.shared.seen(e, a, query)) is not None]
            if pairs:
                found[subject] = sorted(pairs, key=legal_order)
        return found

    def _resolve(self, entries: list[Entry], query: Query) -> list[tuple[Entry, Fact, date, int]]:
        return [self.shared.fact(e, cast(Fact, a)) for e, a in resolve(entries, query.admits, query.sees)]


class _Amended:
    """A subject with corrections or retractions that name only its facts (never another amendment): each
    amendment as written is visible or not, and the facts they leave are resolved once for each such pattern."""

    def __init__(self, subject: SubjectKey, entries: list[Entry], shared: Shared) -> None:
        self.entries, self.shared = entries, shared
        self.amendments = [e for e in entries if e.is_amendment]
        self.key = (subject, tuple(e.seq for e in entries))

    def facts(self, query: Query) -> list[tuple[Entry, Fact, date, int]]:
        """Every fact the amendments visible for (P, tier) leave, in legal order, whether the query admits it
        or not."""
        seen = tuple(query.admits(e, e.action) for e in self.amendments)
        key = (*self.key, seen)
        found = self.shared.resolved.get(key)
        if found is None:
            visible = {e.seq: shown for e, shown in zip(self.amendments, seen, strict=True)}
            found = self.shared.resolved[key] = [self.shared.fact(e, cast(Fact, a)) for e, a in resolve(
                self.entries, lambda entry, _action: visible.get(entry.seq, True))]
        return found


def _chained(entries: list[Entry]) -> bool:
    """True when an amendment names another amendment (as `resolve` finds the entries it names)."""
    by_id = {e.action.id: e for e in sorted(entries, key=lambda e: e.seq) if e.action.id is not None}
    return any((target := by_id.get(target_of(e.action) or "")) is not None and target.is_amendment
               for e in entries if e.is_amendment)


def published_levels(entries: Iterable[Entry]) -> list[date]:
    """Every date the unit's actions and their sources carry, as written or as a correction sets it, in order."""
    found: set[date] = set()
    for entry in entries:
        found.update(entry.action.source_dates())
        found.add(entry.action.published_on)
        if isinstance(entry.action, Correction):
            fields = entry.action.fields
            values = [fields.get("published_on")]
            values += [s.get("published_on") for s in fields.get("sources") or () if isinstance(s, dict)]
            found.update(_day(v) for v in values if v is not None)
    return sorted(found)


def _day(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def tier_levels(entries: Iterable[Entry]) -> list[int]:
    """Every rank a source of the unit carries, as written or as a correction sets it, in order."""
    found: set[int] = set()
    for entry in entries:
        found.update(source.reliability.rank for source in entry.action.sources)
        if isinstance(entry.action, Correction):
            replaced = entry.action.fields.get("sources")
            found.update(Reliability(s["reliability"]).rank for s in replaced or () if isinstance(s, dict))
    return sorted(found)


def _tier_ranges(tiers: list[int]) -> list[tuple[int, int]]:
    """The ranks of the minimum tier that each level answers: up to the lowest rank present, then each next."""
    return [(0 if i == 0 else tiers[i - 1] + 1, rank) for i, rank in enumerate(tiers)]


def _layer(groups: _Groups, query: Query, base: _Layer | None, shared: Shared) -> _Layer:
    """The layer for `query`'s tier and P (made once per unit for the facts it sees, `Shared`). Where its visible
    facts differ from `base`'s only in facts that are neither in force nor pending before some day θ (and carry no
    name or title the fold falls back on), the answers before θ are `base`'s: only the days from θ on are evaluated
    again."""
    resolved = groups.resolve(query)
    seen = tuple(id(action) for pairs in resolved.values() for _, action in pairs)  # one object per fact
    known = shared.layers.get(seen)
    if known is not None:
        return known
    facts = {entry.seq: action for pairs in resolved.values() for entry, action in pairs}
    folds = shared.folds
    if base is None:
        made = _Layer(facts, items_along(resolved, None, None, folds), _effects(resolved, shared))
    elif not (changed := _changed(base.facts, facts)):
        made = base
    else:
        theta = None if any(_falls_back_on(a) for a in changed) else min(_first_day(a) for a in changed)
        made = _Layer(facts, items_along(resolved, base.items if theta else None, theta, folds),
                      _effects(resolved, shared))
    shared.layers[seen] = made
    return made


def _changed(old: dict[int, Fact], new: dict[int, Fact]) -> list[Fact]:
    """Every version of a fact that is in one set and not the other (a fact corrected differently counts twice; so
    does one whose value a correction set to what it was, since the correction is then the value's provenance)."""
    found = []
    for seq in old.keys() | new.keys():
        before, after = old.get(seq), new.get(seq)
        if before is not after and (before != after or _marks(before) != _marks(after)):  # type: ignore[arg-type]
            found += [a for a in (before, after) if a is not None]
    return found


def _first_day(action: Fact) -> date:
    """The first day the fold lets `action` count: in force from effective_on, pending from published_on."""
    return min(action.legal_on, action.published_on)


def _falls_back_on(action: Fact) -> bool:
    """True when the fold may read `action` on days it is neither in force nor pending: a listing action that
    names its party (other listings of the party take names from it), a measure action with a title."""
    if isinstance(action, EntityListed | EntryAmended | EntityDelisted | ListingAnnounced):
        party = action.party
        return bool(party.name or party.aliases or party.country or party.affiliate_of)
    return not isinstance(action, PositionStated) and bool(getattr(getattr(action, "measure", None), "title", None))


def _effects(resolved: Resolved, shared: Shared) -> dict[tuple[SubjectKey, int], TookEffect]:
    """The diff's item of each visible fact (each made once per unit)."""
    found = {}
    known = shared.effects
    for subject, pairs in resolved.items():
        for entry, action in pairs:
            if is_announcement(action):  # no legal effect: never among the actions that took effect
                continue
            item = known.get((entry.seq, id(action)))
            if item is None:
                item = known[(entry.seq, id(action))] = took_effect(subject, entry, action)
            found[(subject, entry.seq)] = item
    return found


def _merge_levels(levels: list[dict[K, V]]) -> list[tuple[K, tuple[int, int | None], V]]:
    """Runs of equal values across consecutive P levels: (key, (first level, level after the last)), value."""
    found: list[tuple[K, tuple[int, int | None], V]] = []
    open_: dict[K, tuple[int, V]] = {}
    for index, level in enumerate(levels):
        for key in [k for k, (_, v) in open_.items() if (now := level.get(k, _NONE)) is not v and now != v]:
            began, value = open_.pop(key)
            found.append((key, (began, index), value))
        for key, value in level.items():
            if key not in open_:
                open_[key] = (index, value)
    found.extend((key, (began, None), value) for key, (began, value) in open_.items())
    return found


_NONE: Any = object()  # no value at a key (never equal to one)


def _merge_tiers(ranges: list[tuple[int, int]], rows: list[list[tuple[K, tuple[int, int | None], V]]],
                 ) -> list[tuple[K, tuple[int, int], tuple[int, int | None], V]]:
    """Boxes equal across consecutive tier levels become one, spanning their ranks."""
    found: list[tuple[K, tuple[int, int], tuple[int, int | None], V]] = []
    open_: dict[tuple[K, tuple[int, int | None]], tuple[int, V]] = {}
    last = 0
    for (low, high), row in zip(ranges, rows, strict=True):
        now = {(key, levels): value for key, levels, value in row}
        for place in [p for p, (_, v) in open_.items() if (was := now.get(p, _NONE)) is not v and was != v]:
            began, value = open_.pop(place)
            found.append((place[0], (began, low - 1), place[1], value))
        for place, value in now.items():
            if place not in open_:
                open_[place] = (low, value)
        last = high
    found.extend((key, (began, last), levels, value) for (key, levels), (began, value) in open_.items())
    return found


def _span(levels: list[date], indices: tuple[int, int | None]) -> Span:
    first, after = indices
    return levels[first], levels[after] if after is not None else None

