"""Screening counterparties: the rows to screen, the results, and the decision rules (pure; `matching` scores names).

A row is screened on its date (its own `date`, else the screening's `on`). Each party a name of the row matched is
reported with its status on each of its lists on that date:

    in_force     on the list on that date
    pending      published, taking effect later
    announced    said to be coming, no date yet
    removed      not on the list on that date, though it was listed before it
    not_listed   not on the list on that date, nor before it (listed only later, or never in force)

and `public_by_date`: whether the same status shows with the public record cut at the row's date (sources dated on
or before it), whatever `--published-by` cut the screening as a whole at.

A row's decision is about a listing hit on its date: `match` when a name scores at or above the threshold against a
party in force, pending or announced on that date; `possible` (for review) when a name scores at or above the review
threshold against any party but is not a match (between the thresholds, or strong against a party removed or not yet
listed on that date); `clear` otherwise.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Final

from regledger.domain.actions import EntityDelisted, EntityListed, EntryAmended, ListingAnnounced
from regledger.domain.history import Entry, resolve
from regledger.domain.values import Reliability

from .items import Citation, ListEntry
from .matching import Match, Name
from .subjects import group_by_subject

__all__ = [
    "ACTIVE",
    "DECISIONS",
    "STATUSES",
    "BadRow",
    "CounterpartyRow",
    "ListStatus",
    "PartyHit",
    "RowResult",
    "ScreenOptions",
    "Screening",
    "ScreeningDirectory",
    "decide",
    "list_status",
    "screening_directory",
]

STATUSES: Final = ("in_force", "pending", "announced", "removed", "not_listed")
ACTIVE: Final = frozenset({"in_force", "pending", "announced"})  # a listing hit: a strong name match is a `match`
DECISIONS: Final = ("match", "possible", "clear")


@dataclass(frozen=True)
class CounterpartyRow:
    """One counterparty to screen, as read: its data row (from 1), and its own date when it gave one."""

    row: int
    name: str
    id: str | None = None
    country: str | None = None
    address: str | None = None
    date: date | None = None


@dataclass(frozen=True)
class BadRow:
    """A row that could not be read: its data row (from 1; 0 for the header), the column, and the problem."""

    row: int
    column: str
    problem: str


@dataclass(frozen=True)
class ScreenOptions:
    """How to screen: the date for rows without one (None: today, UTC), the as-of axes, one list, the thresholds
    (None: the matcher's defaults)."""

    on: date | None = None
    published_by: date | None = None
    known_at: datetime | None = None
    min_reliability: Reliability | None = None
    list_key: str | None = None
    threshold: float | None = None
    review_threshold: float | None = None


@dataclass(frozen=True)
class ListStatus:
    """A matched party's status on one list on the row's date, and whether it was public by then."""

    list: str
    status: str  # in_force | pending | announced | removed | not_listed
    public_by_date: bool
    listed_on: date | None
    citations: tuple[Citation, ...]


@dataclass(frozen=True)
class PartyHit:
    """A party one of the row's names matched (its best-scoring name or alias), with its lists' statuses."""

    match: Match
    party_name: str | None
    lists: tuple[ListStatus, ...]

    @property
    def party(self) -> str:
        """The party's key."""
        return self.match.name.party


@dataclass(frozen=True)
class RowResult:
    """One screened row: as given, its date (and whether the row gave it), the decision, and the parties matched."""

    row: int
    id: str | None
    name: str
    country: str | None
    address: str | None
    date: date
    date_given: bool
    decision: str  # match | possible | clear
    matches: tuple[PartyHit, ...]


@dataclass(frozen=True)
class Screening:
    """A screening: every row's result in input order, the options as applied, and what it was run against."""

    rows: tuple[RowResult, ...]
    on: date
    as_of_default: bool  # True when `on` was not given (today, UTC)
    published_by: date | None
    known_at: datetime | None
    min_reliability: Reliability | None
    lists: tuple[str, ...]  # the one list screened against, or () for every list
    threshold: float
    review_threshold: float
    matcher_version: str
    libraries: dict[str, str]
    ledger_size: int
    ledger_head: str | None  # the hash-chain head (hex), None for a store that keeps no chain
    bad_rows: tuple[BadRow, ...] = ()
    notes: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class ScreeningDirectory:
    """Every name and alias of every party on a list (as `matching.Name`s), each party's display name and lists."""

    names: tuple[Name, ...]
    party_names: dict[str, str | None]
    lists: dict[str, tuple[str, ...]]


def screening_directory(entries: Iterable[Entry], known_at: datetime | None = None,
                        list_key: str | None = None) -> ScreeningDirectory:
    """Every party on a list (only `list_key` when given) among the entries recorded by `known_at`: each name and
    alias it was recorded under (as recorded and as corrected), its country (the latest given) and addresses."""
    kept = [e for e in entries if known_at is None or e.recorded_at <= known_at]
    found: dict[str, tuple[dict[tuple[str, str], None], list[str | None], dict[str, None], dict[str, None]]] = {}
    for subject, group in group_by_subject(kept).items():
        if subject[0] != "listing" or (list_key is not None and subject[1] != list_key):
            continue
        names, countries, addresses, lists = found.setdefault(subject[2], ({}, [], {}, {}))
        lists[subject[1]] = None
        for action in [e.action for e in group] + [a for _, a in resolve(group)]:
            if not isinstance(action, EntityListed | EntryAmended | EntityDelisted | ListingAnnounced):
                continue
            party = action.party
            if party.name:
                names[(party.name, "name")] = None
            names.update(dict.fromkeys((alias, "alias") for alias in party.aliases or ()))
            countries.append(party.country)
            addresses.update(dict.fromkeys(party.addresses or ()))
    result: list[Name] = []
    party_names: dict[str, str | None] = {}
    party_lists: dict[str, tuple[str, ...]] = {}
    for key, (names, countries, addresses, lists) in sorted(found.items()):
        country = next((c for c in reversed(countries) if c), None)
        recorded = [text for text, kind in names if kind == "name"]
        party_names[key] = recorded[-1] if recorded else None
        party_lists[key] = tuple(sorted(lists))
        result.extend(Name(key, text, kind, country, tuple(addresses)) for text, kind in names)
    return ScreeningDirectory(tuple(result), party_names, party_lists)


def list_status(entry: ListEntry | None, *, listed_before: bool) -> str:
    """The status on the date: the entry's when the party is on the list (in force, pending or announced), else
    `removed` when it was listed before the date, else `not_listed`."""
    if entry is not None:
        return entry.status
    return "removed" if listed_before else "not_listed"


def decide(hits: Sequence[PartyHit], threshold: float, review_threshold: float) -> str:
    """`match` when a hit scores at or above `threshold` on a party in force, pending or announced on a list on the
    date; `possible` when a hit scores at or above `review_threshold` (and is not a match); `clear` otherwise."""
    if any(h.match.score >= threshold and any(s.status in ACTIVE for s in h.lists) for h in hits):
        return "match"
    if any(h.match.score >= review_threshold for h in hits):
        return "possible"
    return "clear"
