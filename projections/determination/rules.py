"""The rules a determination reads, found in a state by their role (the measure parameter `rule`), never by key.

`Ledger` wraps one `State` (the answer of every query for the date and axes): the measures of a role, split into
those that apply (in force, and naming one of the transaction's parties where they name any) and those that do not
(with the reason); the list entries of a party; the facts each item carries, with the actions that set them.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from regledger.projections.items import Citation, ListEntry, MeasureView, State

from .answer import NotApplied, Read, Step

__all__ = ["ENTITY_LIST", "Found", "Ledger", "as_tuple", "step_from"]

ENTITY_LIST = "us-bis-entity-list"
_TIERS = ("official", "statement", "attributed", "anonymous")


def as_tuple(value: Any) -> tuple[Any, ...]:
    """A parameter's list value as a tuple (the fold keeps tuples; nothing else is expected)."""
    if value is None:
        return ()
    return tuple(value) if isinstance(value, list | tuple) else (value,)


@dataclass(frozen=True)
class Found:
    """The rules of one role: those that apply, and those found that do not, with why."""

    applied: tuple[MeasureView, ...]
    not_applied: tuple[NotApplied, ...]


@dataclass(frozen=True)
class Ledger:
    """The state a determination reads, the parties of the transaction (keys resolved from the file) and the
    parties its item is related to (`developed_by`, `incorporated_into_items_of`: keys where the lookup found one)."""

    state: State
    parties: Collection[str]
    assumed_keys: frozenset[str] = frozenset()
    related: Collection[str] = ()
    _parents: dict[str, str] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        parents = {e.party: e.affiliate_of for entries in self.state.lists.values() for e in entries if e.affiliate_of}
        object.__setattr__(self, "_parents", parents)

    def parent(self, party: str) -> str | None:
        """The party `party` is recorded as an affiliate of, if any."""
        return self._parents.get(party)

    def reaches(self, measure: MeasureView, party: str) -> bool:
        """Whether `measure` names `party` (or, with include_affiliates, a party it is an affiliate of)."""
        if party in measure.applies_to:
            return True
        seen = {party}
        parent = self._parents.get(party)
        while measure.include_affiliates and parent is not None and parent not in seen:
            if parent in measure.applies_to:
                return True
            seen.add(parent)
            parent = self._parents.get(parent)
        return False

    def rules(self, role: str, *, status: Sequence[str] = ("in_force",), related: bool = False) -> Found:
        """The measures whose `rule` is `role`: those with a status in `status` that name no party or one of the
        transaction's (with `related`, also one its item is related to), and those found that do not apply."""
        applied, skipped = [], []
        parties = [*self.parties, *self.related] if related else list(self.parties)
        for measure in self.state.measures:
            if measure.parameters.get("rule") != role:
                continue
            if measure.status not in status:
                skipped.append(NotApplied(measure.key, f"{measure.status} on {self.state.query.as_of}"))
            elif measure.applies_to and not any(self.reaches(measure, p) for p in parties):
                skipped.append(NotApplied(measure.key, "names none of the transaction's parties"))
            else:
                applied.append(measure)
        return Found(tuple(applied), tuple(skipped))

    def entry(self, party: str, list_key: str = ENTITY_LIST) -> ListEntry | None:
        """The party's own entry on the list (never an affiliate's: only named entries are covered)."""
        return next((e for e in self.state.lists.get(list_key, ()) if e.party == party), None)

    def measure(self, key: str) -> MeasureView | None:
        """The measure `key` as the state shows it, if visible."""
        return next((m for m in self.state.measures if m.key == key), None)


def measure_read(measure: MeasureView, used: Iterable[str]) -> Read:
    """The read of `measure`'s parameters `used` (and the actions that set them)."""
    names = tuple(dict.fromkeys(n for n in used if n in measure.parameters))
    setters = [measure.parameters_provenance.get(n, {}).get("set_by") for n in (*names, "rule")]
    return Read("measure", measure.key, tuple(dict.fromkeys(s for s in setters if s)), names)


def entry_read(entry: ListEntry, used: Iterable[str]) -> Read:
    """The read of `entry`'s details `used` (and the actions that set them)."""
    names = tuple(dict.fromkeys(n for n in used if n in entry.details))
    setters = [entry.details_provenance.get(n, {}).get("set_by") for n in names]
    return Read("entry", f"{entry.list_key}/{entry.party}", tuple(dict.fromkeys(s for s in setters if s)), names)


def gaps_of(item: MeasureView | ListEntry, used: Iterable[str]) -> tuple[str, ...]:
    """The names among `used` that the item marks as gaps."""
    values = item.parameters if isinstance(item, MeasureView) else item.details
    marked = set(as_tuple(values.get("gaps")))
    return tuple(n for n in used if n in marked)


def step_from(check: str, basis: str, result: str, items: Sequence[tuple[MeasureView | ListEntry, Iterable[str]]],
              *, gaps: Iterable[str] = (), not_applied: Iterable[NotApplied] = (),
              assumed: frozenset[str] = frozenset(), extra: Iterable[Read] = ()) -> Step:
    """A step reading `items` (each with the parameters or details it used): reads, citations, cfr, reliability
    (the weakest of the items' tiers) and gaps gathered from them."""
    reads, tiers, found_gaps = list(extra), [], list(gaps)
    citations: list[Citation] = []
    for item, names in items:
        used = tuple(names)
        reads.append(measure_read(item, used) if isinstance(item, MeasureView) else entry_read(item, used))
        citations.extend(item.citations)
        if item.reliability:
            tiers.append(item.reliability)
        found_gaps.extend(gaps_of(item, used))
    cited = tuple(dict.fromkeys(citations))
    cfr = tuple(dict.fromkeys(ref for c in cited for ref in getattr(c, "cfr", ())))
    weakest = max(tiers, key=_TIERS.index) if tiers else None
    keys = {getattr(item, "key", None) for item, _ in items}
    return Step(check, basis, result, tuple(reads), cfr, cited, weakest, tuple(dict.fromkeys(found_gaps)),
                tuple(not_applied), assumed=bool(keys & assumed))


def citations(steps: Iterable[Step]) -> tuple[Citation, ...]:
    """Every citation of `steps`, each once."""
    return tuple(dict.fromkeys(c for s in steps for c in s.citations))
