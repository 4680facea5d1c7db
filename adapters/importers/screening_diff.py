"""A screening-list snapshot compared with the ledger becomes listing actions (docs/importers.md).

For each list the snapshot covers, the ledger's state as of the snapshot's date D, published by D, is the list
before; the snapshot is the list after. A party new to the list is listed (effective on its `start_date` when that
is given, not after D and not before the party's last delisting from the list, else on D); a party whose name,
aliases, addresses or licence terms changed gets an entry amendment effective D; a party gone from the list is
delisted effective D. Every action is published on D and cites the snapshot and the Federal Register notices its
entry names, tier official. Ids derive from (list, party, kind, D), so importing the same snapshot again adds nothing.

Entries are matched to known parties by key (the name is a party's key), then by normalised name, then by name
against alias (either way), then alias against alias; a party on the same list wins a tie, and a party is matched
by one entry per list at most. Entries that match no one become new parties, keyed by the slug of their name (with
the country, then a number, when that key is taken).
"""

from __future__ import annotations

import hashlib
import itertools
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import reduce
from typing import Any

from regledger.adapters.errors import InputError, dotted, pydantic_message, validated
from regledger.adapters.importers.screening_read import Read, Record, Snapshot
from regledger.adapters.progress import Progress, silent
from regledger.adapters.store.ledger import Located
from regledger.domain import action_adapter
from regledger.domain.actions import EntityDelisted
from regledger.domain.history import Entry
from regledger.domain.listing import ListingState, listing_step
from regledger.projections import PartyNames, Query, directory, group_by_subject, normalise, resolve_all, state_at

__all__ = ["PUBLISHER", "Current", "LedgerView", "Plan", "ledger_view", "plan", "slug"]

PUBLISHER = "International Trade Administration, Consolidated Screening List"
TERMS = ("license_requirement", "license_policy")
_CITATION = re.compile(r"\b(\d+)\s+FR\s+(\d+)\b")
_SLUG_UNSAFE = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class Current:
    """A party's entry in force on a list on D, as the ledger holds it."""

    name: str | None
    aliases: frozenset[str]
    addresses: frozenset[str]
    terms: dict[str, str]


@dataclass(frozen=True)
class LedgerView:
    """The ledger as of D, published by D: each covered list's entries in force, the date of each listing's last
    delisting in force, and every party the ledger names."""

    lists: dict[str, dict[str, Current]]
    delisted_on: dict[tuple[str, str], date]
    parties: dict[str, PartyNames]


def ledger_view(entries: Sequence[Entry], day: date, list_keys: Iterable[str]) -> LedgerView:
    """What the ledger says of `list_keys` as of `day`, published by `day`."""
    query = Query(as_of=day, published_by=day)
    resolved = resolve_all(group_by_subject(entries), query)
    state = state_at(resolved, query)
    lists: dict[str, dict[str, Current]] = {key: {} for key in list_keys}
    delisted_on = {}
    for subject, pairs in resolved.items():
        ends = [a.effective_on for _, a in pairs if isinstance(a, EntityDelisted) and a.effective_on <= day]
        if subject[0] == "listing" and ends:
            delisted_on[subject[1], subject[2]] = max(ends)
    for list_key, found in lists.items():
        for entry in state.lists.get(list_key, ()):
            if entry.status != "in_force":
                continue  # pending: not on the list on D
            actions = [a for _, a in resolved[("listing", list_key, entry.party)] if a.legal_on <= day]
            folded = reduce(lambda s, a: listing_step(s, a, strict=False), actions, ListingState())
            terms = {k: v for k in TERMS if isinstance(v := entry.details.get(k), str) and v}
            found[entry.party] = Current(entry.name, frozenset(folded.aliases), frozenset(folded.addresses), terms)
    return LedgerView(lists, delisted_on, directory(entries))


@dataclass
class Plan:
    """The actions a snapshot yields, and per list its entries and what it lists, amends and delists."""

    day: date
    suffixes: dict[str, str]
    located: list[Located] = field(default_factory=list)
    counts: dict[str, dict[str, int]] = field(default_factory=dict)

    def add(self, where: str, list_key: str, data: dict[str, Any], sources: list[dict[str, Any]]) -> None:
        """Add the action `data` on `list_key` (validated; its id from list, party, kind and date)."""
        verb = data["kind"].split("_")[-1]
        action_id = f"csl-{list_key}-{data['party']['key']}-{verb}-{self.day}{self.suffixes.get(list_key, '')}"
        if len(action_id) > 200:
            action_id = f"csl-{hashlib.sha256(action_id.encode()).hexdigest()[:24]}-{verb}-{self.day}"
        data = {"id": action_id, "list": list_key, "published_on": self.day.isoformat(), "sources": sources, **data}
        # a refusal names the dotted path after the kind, in pydantic's words, as it always has
        action = validated(where, action_adapter.validate_python, data, skip=1, spell=dotted, explain=pydantic_message)
        self.located.append(Located(where, action))
        self.counts[list_key][verb] += 1


def plan(snapshot: Snapshot, view: LedgerView, day: date, suffixes: dict[str, str],
         progress: Progress = silent) -> Plan:
    """The actions that turn the lists as the ledger holds them on `day` into the snapshot's lists. `suffixes`
    (per list, usually empty) tell apart the ids of a second, different snapshot of the same day. `progress` hears
    step `comparing FILE_NAME`, done the entries compared so far, of the snapshot's entries."""
    _refuse_duplicates(snapshot.reads)
    keys = _Matcher(view).assign(snapshot.reads)
    result = Plan(day, suffixes, counts={k: dict.fromkeys(("entries", "listed", "amended", "delisted"), 0)
                                         for k in snapshot.lists})
    urls: dict[str, str] = {}
    step, total = f"comparing {snapshot.path.name}", len(snapshot.reads)
    progress(step, 0, total)
    for done, read in enumerate(snapshot.reads, start=1):
        record, list_key, party = read.record, read.record.list_key, keys[id(read)]
        if record.source_list_url:
            urls.setdefault(list_key, record.source_list_url)
        result.counts[list_key]["entries"] += 1
        current = view.lists[list_key].get(party)
        data = _listed(record, party, view, day) if current is None else _amended(record, party, current, day)
        if data is not None:
            result.add(read.where, list_key, data, _sources(day, record))
        progress(step, done, total)
    for list_key in snapshot.lists:
        kept = {keys[id(r)] for r in snapshot.reads if r.record.list_key == list_key}
        for party in sorted(set(view.lists[list_key]) - kept):
            data = {"kind": "entity_delisted", "party": {"key": party}, "effective_on": day.isoformat()}
            where = f"{snapshot.path}: {list_key}/{party} (not in the snapshot)"
            result.add(where, list_key, data, _sources(day, None, urls.get(list_key)))
    return result


def _listed(record: Record, party: str, view: LedgerView, day: date) -> dict[str, Any]:
    start, ended = record.start_date, view.delisted_on.get((record.list_key, party))
    effective = start if start and start <= day and (ended is None or start >= ended) else day
    ref = {"key": party, "name": record.name, "aliases": list(record.alt_names),
           "addresses": list(record.addresses), "country": record.country}
    data = {"kind": "entity_listed", "party": {k: v for k, v in ref.items() if v is not None},
            "effective_on": effective.isoformat()}
    return data | ({"details": record.terms} if record.terms else {}) | _note(record)


def _amended(record: Record, key: str, current: Current, day: date) -> dict[str, Any] | None:
    party: dict[str, Any] = {"key": key}
    if record.name != current.name:
        party["name"] = record.name
    if set(record.alt_names) != current.aliases:
        party["aliases"] = list(record.alt_names)
    if set(record.addresses) != current.addresses:
        party["addresses"] = list(record.addresses)
        party |= {"country": record.country} if record.country else {}
    details: dict[str, Any] = {k: record.terms.get(k, []) for k in TERMS if record.terms.get(k) != current.terms.get(k)}
    if len(party) == 1 and not details:
        return None
    data = {"kind": "entry_amended", "party": party, "effective_on": day.isoformat()}
    return data | ({"details": details} if details else {})


def _note(record: Record) -> dict[str, str]:
    parts = [f"Consolidated Screening List: {record.source}"]
    parts += [f"entity number {record.entity_number}"] if record.entity_number else []
    parts += [f"programs {', '.join(record.programs)}"] if record.programs else []
    parts += [f"remarks: {record.remarks}"] if record.remarks else []
    return {"note": "; ".join(parts) + "."}


def _sources(day: date, record: Record | None, url: str | None = None) -> list[dict[str, Any]]:
    """The snapshot, then each Federal Register notice the entry names; all official."""
    url = (record.source_list_url if record else url) or None
    snapshot = {"reliability": "official", "publisher": PUBLISHER,
                "title": f"Consolidated Screening List as published {day}", "url": url}
    notice = record.federal_register_notice if record else None
    citations = [f"{v} FR {p}" for v, p in _CITATION.findall(notice or "")] or ([notice] if notice else [])
    return [{k: v for k, v in snapshot.items() if v}] + [
        {"reliability": "official", "citation": c, "publisher": "Federal Register"} for c in dict.fromkeys(citations)
    ]


def _refuse_duplicates(reads: Sequence[Read]) -> None:
    first: dict[tuple[str, str], Read] = {}
    for read in reads:
        seen = first.setdefault((read.record.list_key, normalise(read.record.name)), read)
        if seen is not read:
            raise InputError(f"{read.where}: name: a duplicate entry: {read.record.list_key} already has "
                             f"{seen.record.name!r} ({seen.where.split(': ', 1)[-1]})")


class _Matcher:
    """Finds each entry's party among the known ones, or makes a new one (see the module's docstring)."""

    def __init__(self, view: LedgerView) -> None:
        self.view = view
        self.keys = set(view.parties)
        self.by_name: dict[str, set[str]] = defaultdict(set)
        self.by_alias: dict[str, set[str]] = defaultdict(set)
        for party in view.parties.values():
            self._index(party.key, party.names, party.aliases)
        self.claimed: dict[str, set[str]] = defaultdict(set)

    def _index(self, key: str, names: Iterable[str], aliases: Iterable[str]) -> None:
        for name in names:
            self.by_name[normalise(name)].add(key)
        for alias in aliases:
            self.by_alias[normalise(alias)].add(key)

    def assign(self, reads: Sequence[Read]) -> dict[int, str]:
        """The party key of each entry (by `id` of its Read)."""
        found: dict[int, str] = {}
        waiting = list(reads)
        for tier in range(4):
            waiting = [read for read in waiting if not self._take(read, tier, found)]
        for read in waiting:  # new parties; a later entry (on another list) may match one made here
            if not any(self._take(read, tier, found) for tier in range(4)):
                record = read.record
                key = self._new_key(record.name, record.country)
                self.keys.add(key)
                self._index(key, [record.name], record.alt_names)
                self.claimed[record.list_key].add(key)
                found[id(read)] = key
        return found

    def _take(self, read: Read, tier: int, found: dict[int, str]) -> bool:
        record = read.record
        candidates = self._candidates(record, tier) - self.claimed[record.list_key]
        if not candidates:
            return False
        listed = self.view.lists.get(record.list_key, {})
        here = {key for key in candidates if key in listed}
        chosen = sorted(here or candidates)
        if len(chosen) > 1:
            raise InputError(f"{read.where}: name: {record.name!r} matches several known parties "
                             f"({', '.join(chosen)}); record this entry by hand with the party's key")
        self.claimed[record.list_key].add(chosen[0])
        found[id(read)] = chosen[0]
        return True

    def _candidates(self, record: Record, tier: int) -> set[str]:
        name, aliases = normalise(record.name), [normalise(a) for a in record.alt_names]
        if tier == 0:
            return {record.name} & self.keys
        if tier == 1:
            return set(self.by_name.get(name, ()))
        if tier == 2:
            return set(self.by_alias.get(name, ())).union(*(self.by_name.get(a, ()) for a in aliases))
        return set().union(*(self.by_alias.get(a, ()) for a in aliases))

    def _new_key(self, name: str, country: str | None) -> str:
        base = slug(name) or f"party-{hashlib.sha256(name.encode()).hexdigest()[:8]}"
        tries = [base, *([f"{base}-{country.lower()}"] if country else [])]
        stem = tries[-1]
        numbered = (f"{stem}-{n}" for n in itertools.count(2))
        return next(k for k in itertools.chain(tries, numbered) if k not in self.keys)


def slug(name: str) -> str:
    """A key from a name: ASCII letters and digits joined by '-', at most 60 characters, cut at a word."""
    ascii_ = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    words = _SLUG_UNSAFE.sub("-", ascii_).strip("-")
    if len(words) > 60:
        words = words[:60].rsplit("-", 1)[0]
    return words
