"""Screening counterparties (`screen`): each row's name against every name and alias of every party, each match
with the party's status on each of its lists on the row's date, and a decision (projections/screening.py).

The names are those recorded by `known_at` (every party ever on a list, only the one list when `list_key` is given).
When the read models are current, a row's candidates come from their screening index (the parties with a name
holding one of the row's rare tokens or enough of its 3-grams, known by `known_at`: two statements per row, see
`ViewReader.screening_candidates`), and only those parties' names are loaded (from the read models' entries, each
party once per screening) and scored; when they are absent or behind, every name is read from the ledger and indexed
in memory (projections/matching.py `Matcher`), as the queries fall back to the fold. Both paths score with the same
scorer; the in-memory index does not leave out frequent tokens, so on a large ledger it finds more candidates. The
statuses come from the same as-of answers as `regledger as-of` (`queries.as_of`): with the read models current, each
matched party's answer alone (its rows only: a screening's memory does not grow with the ledger), else the fold's
whole answer once per distinct date; `removed` from the party's history on that list (`queries.history`). Reads only
(`WRITES` is False).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Final, Protocol

from regledger.adapters.errors import InputError
from regledger.adapters.readmodels.lifecycle import ReadModels, standing
from regledger.adapters.readmodels.source import stored_entries
from regledger.adapters.services import queries
from regledger.adapters.services.inputs import Axes, Selection
from regledger.adapters.wiring import Stores
from regledger.projections import State
from regledger.projections.history import History
from regledger.projections.items import Citation, ListEntry
from regledger.projections.matching import (
    DEFAULT_REVIEW,
    DEFAULT_THRESHOLD,
    MATCHER_VERSION,
    Counterparty,
    Form,
    Match,
    Matcher,
    Name,
    best_per_party,
    forms_of,
    library_versions,
    query_keys,
)
from regledger.projections.screening import (
    BadRow,
    CounterpartyRow,
    ListStatus,
    PartyHit,
    RowResult,
    Screening,
    ScreeningDirectory,
    ScreenOptions,
    decide,
    list_status,
    screening_directory,
)

__all__ = ["WRITES", "InMemory", "Indexed", "NamesToScreen", "check_thresholds", "ledger_position", "names_to_screen",
           "screen", "today"]

WRITES: Final = False


def today() -> date:
    """Today in UTC: the date of rows without one when `--on` is not given."""
    return datetime.now(UTC).date()


def check_thresholds(threshold: float, review: float) -> None:
    """InputError unless 0 <= review <= threshold <= 1."""
    for label, value in (("threshold", threshold), ("review threshold", review)):
        if not 0.0 <= value <= 1.0:
            raise InputError(f"the {label} ({value}) must lie between 0 and 1 (scores run from 0 to 1)")
    if review > threshold:
        raise InputError(f"the review threshold ({review}) is above the threshold ({threshold}): a score between "
                         "them is a possible match, so the review threshold must be the lower")


def ledger_position(stores: Stores) -> tuple[int, str | None]:
    """The ledger's size (events in its hash chain) and the chain's head digest (hex); without a chain (in memory)
    the events stored and None."""
    if stores.chain is None:
        return sum(1 for _ in stores.ledger.stored_events()), None
    head = stores.chain.head()
    return (head.position, head.digest.hex()) if head is not None else (0, None)


def screen(stores: Stores, rows: Sequence[CounterpartyRow], options: ScreenOptions,
           bad_rows: Iterable[BadRow] = ()) -> Screening:
    """Screen `rows` (in their order) under `options`; `bad_rows`, left out by the caller, are carried into the
    result. InputError for thresholds out of order or an unknown list (`UnknownNameError`, naming the list)."""
    threshold = DEFAULT_THRESHOLD if options.threshold is None else options.threshold
    review = DEFAULT_REVIEW if options.review_threshold is None else options.review_threshold
    check_thresholds(threshold, review)
    on = options.on or today()
    axes = Axes(options.published_by, options.known_at, options.min_reliability)
    indexed = _indexed(stores)
    statuses = _Statuses(stores, axes, options.list_key, per_party=indexed)
    statuses.check(on)  # an unknown list is refused before anything is matched
    names = names_to_screen(stores, options.known_at, options.list_key)
    results = []
    for row in rows:
        day = row.date or on
        matches = names.match(Counterparty(row.name, row.country, row.address), review)
        hits = tuple(PartyHit(m, names.party_name(m.name.party), statuses.of(names.lists(m.name.party), m.name.party,
                                                                             day))
                     for m in matches)
        results.append(RowResult(row.row, row.id, row.name, row.country, row.address, day, row.date is not None,
                                 decide(hits, threshold, review), hits))
    size, head = ledger_position(stores)
    return Screening(
        rows=tuple(results), on=on, as_of_default=options.on is None, published_by=options.published_by,
        known_at=options.known_at, min_reliability=options.min_reliability,
        lists=(options.list_key,) if options.list_key else (), threshold=threshold, review_threshold=review,
        matcher_version=MATCHER_VERSION, libraries=library_versions(), ledger_size=size, ledger_head=head,
        bad_rows=tuple(bad_rows), notes=statuses.notes(),
    )


class NamesToScreen(Protocol):
    """Where a screening's candidates come from: the names of the parties a row's name may match, each party's
    display name and lists (under the screening's known-at and list)."""

    source: str  # "read models" | "memory"

    def match(self, row: Counterparty, floor: float) -> list[Match]: ...

    def party_name(self, party: str) -> str | None: ...

    def lists(self, party: str) -> tuple[str, ...]: ...


@dataclass
class InMemory:
    """Every name of every party, read from the ledger and indexed in memory (`matching.Matcher`): the path when
    the read models are absent or behind."""

    found: ScreeningDirectory
    source: str = "memory"

    def __post_init__(self) -> None:
        self.matcher = Matcher(self.found.names)

    def match(self, row: Counterparty, floor: float) -> list[Match]:
        """The best match per party among the index's candidates."""
        return self.matcher.match(row, floor)

    def party_name(self, party: str) -> str | None:
        """The party's display name."""
        return self.found.party_names.get(party)

    def lists(self, party: str) -> tuple[str, ...]:
        """The lists the party is on (under the known-at and list)."""
        return self.found.lists.get(party, ())


@dataclass(frozen=True)
class _Loaded:
    """One party as a screening holds it: its names and their forms, its display name and its lists."""

    names: tuple[Name, ...]
    forms: dict[str, Form]
    party_name: str | None
    lists: tuple[str, ...]


@dataclass
class Indexed:
    """The candidates from the read models' screening index (two statements per row), and only their names, loaded
    from the read models' entries and read as the in-memory path reads them (`screening_directory`), scored by the
    same scorer. The parties loaded are kept, with their names' forms, for the rows after (the `HELD` most recently
    used: a long file's memory stays bounded)."""

    view: ReadModels
    known_at: datetime | None
    list_key: str | None
    source: str = "read models"
    _held: OrderedDict[str, _Loaded] = field(default_factory=OrderedDict)

    def candidates(self, row: Counterparty) -> list[Name]:
        """Every name (under the known-at and list) of each party the index points to for the row."""
        return [name for party in self._parties(row) for name in party.names]

    def match(self, row: Counterparty, floor: float) -> list[Match]:
        """The best match per party among the index's candidates."""
        parties = self._parties(row)
        forms = {text: form for party in parties for text, form in party.forms.items()}
        return best_per_party(row, [name for party in parties for name in party.names], floor, forms)

    def party_name(self, party: str) -> str | None:
        """The party's display name."""
        return self._party(party).party_name

    def lists(self, party: str) -> tuple[str, ...]:
        """The lists the party is on (under the known-at and list)."""
        return self._party(party).lists

    def _party(self, party: str) -> _Loaded:
        if party not in self._held:
            self._load([party])
        return self._held[party]

    def _parties(self, row: Counterparty) -> list[_Loaded]:
        keys = sorted(self.view.screening_candidates(query_keys(row.name), self.known_at))
        self._load([p for p in keys if p not in self._held])
        found = []
        for key in keys:
            self._held.move_to_end(key)
            found.append(self._held[key])
        while len(self._held) > max(HELD, len(keys)):
            self._held.popitem(last=False)
        return found

    def _load(self, parties: list[str]) -> None:
        for start in range(0, len(parties), LOAD_PAGE):
            page = parties[start:start + LOAD_PAGE]
            found = screening_directory(self.view.unit_entries([f"party:{p}" for p in page]), self.known_at,
                                        self.list_key)
            grouped: dict[str, list[Name]] = {p: [] for p in page}
            for name in found.names:
                grouped.setdefault(name.party, []).append(name)
            for party, names in grouped.items():
                self._held[party] = _Loaded(tuple(names), forms_of(names), found.party_names.get(party),
                                            found.lists.get(party, ()))


def _indexed(stores: Stores) -> bool:
    """Whether the read models are current: a screening then reads them, candidates and statuses alike."""
    found = standing(stores.ledger, stores.views)
    return found.installed and found.behind is None


HELD = 20_000  # parties a screening keeps loaded between rows (about 60,000 names and their forms)
LOAD_PAGE = 500  # parties whose entries are read in one statement


def names_to_screen(stores: Stores, known_at: datetime | None, list_key: str | None) -> NamesToScreen:
    """The read models' screening index when they are current, else every name read from the ledger and indexed in
    memory (the read models absent, or behind the ledger: `regledger project` brings them up to date)."""
    if stores.views is not None and _indexed(stores):
        return Indexed(stores.views, known_at, list_key)
    return InMemory(screening_directory(stored_entries(stores.ledger), known_at, list_key))


class _Statuses:
    """A party's status on its lists on a date, from the as-of answers and, for a party not on a list on the date,
    its history on that list (asked once per list and party). With `per_party` (the read models current), each
    matched party's answer is asked on its own (`queries.as_of` narrowed to its key: its rows only), and a date's
    notes come from a page of no entries of the whole answer (`queries.as_of_page`, counting, not reading); else the
    whole answer is asked once per date (the fold reads every entry either way)."""

    def __init__(self, stores: Stores, axes: Axes, list_key: str | None, *, per_party: bool = False) -> None:
        self.stores, self.axes, self.list_key, self.per_party = stores, axes, list_key, per_party
        self._states: dict[tuple[date, bool, str | None], dict[tuple[str, str], ListEntry]] = {}
        self._checked: set[date] = set()
        self._histories: dict[tuple[str, str], History] = {}
        self._notes: dict[str, None] = {}

    def check(self, day: date) -> None:
        """Ask `day`'s answer once for its notes: UnknownNameError when the list is unknown."""
        if day in self._checked:
            return
        self._checked.add(day)
        if self.per_party:
            page = queries.as_of_page(self.stores, self.axes.on(day), Selection(self.list_key), 0, 0).answer
            self._notes.update(dict.fromkeys(page.state.notes))
        else:
            self._entries(day, public=False, party=None)

    def _entries(self, day: date, *, public: bool, party: str | None) -> dict[tuple[str, str], ListEntry]:
        """(list, party) → entry on `day` (of `party` alone, or of every party); with `public`, the public record
        cut at `day` instead of `published_by`."""
        key = (day, public, party)
        if key not in self._states:
            axes = Axes(day, self.axes.known_at, self.axes.min_reliability) if public else self.axes
            answer: State = queries.as_of(self.stores, axes.on(day), Selection(self.list_key, party)).answer
            if not public and party is None:
                self._notes.update(dict.fromkeys(answer.notes))
            self._states[key] = {(e.list_key, e.party): e for es in answer.lists.values() for e in es
                                 if party is None or e.party == party}
        return self._states[key]

    def _entry(self, list_key: str, party: str, day: date, *, public: bool = False) -> ListEntry | None:
        self.check(day)
        return self._entries(day, public=public, party=party if self.per_party else None).get((list_key, party))

    def of(self, lists: Iterable[str], party: str, day: date) -> tuple[ListStatus, ...]:
        """The party's status on each of its lists on `day`, and whether the public record showed it by then."""
        result = []
        for list_key in lists:
            entry = self._entry(list_key, party, day)
            public = self._entry(list_key, party, day, public=True)
            listed_on, citations = (entry.listed_on, entry.citations) if entry is not None else (None, ())
            before = self._listed_before(list_key, party, day) if entry is None else None
            status = list_status(entry, listed_before=before is not None)
            public_before = self._listed_before(list_key, party, day, public=True) if public is None else None
            public_status = list_status(public, listed_before=public_before is not None)
            if before is not None:
                listed_on, citations = before
            result.append(ListStatus(list_key, status, public_status == status, listed_on, citations))
        return tuple(result)

    def _listed_before(self, list_key: str, party: str, day: date, *,
                       public: bool = False) -> tuple[date, tuple[Citation, ...]] | None:
        """When the party was last listed before `day` (effective), with the citations of that listing and of what
        ended it by `day`; None when it was never listed before `day` (under the axes, or the public record cut at
        `day`)."""
        history = self._history(list_key, party, day if public else None)
        items = [i for i in history.items if i.status != "retracted" and i.effective_on is not None
                 and i.effective_on <= day]
        listings = [i for i in items if i.kind == "entity_listed" and i.effective_on is not None
                    and i.effective_on < day]
        if not listings:
            return None
        last = listings[-1]
        assert last.effective_on is not None
        ended = [i for i in items if i.kind == "entity_delisted" and i.effective_on is not None
                 and i.effective_on >= last.effective_on]
        citations = tuple(dict.fromkeys(c for i in (last, *ended) for c in i.citations))
        return last.effective_on, citations

    def _history(self, list_key: str, party: str, published_by: date | None) -> History:
        key = (f"{list_key}/{party}", str(published_by))
        if key not in self._histories:
            axes = self.axes if published_by is None else Axes(published_by, self.axes.known_at,
                                                               self.axes.min_reliability)
            self._histories[key] = queries.history(self.stores, key[0], axes)
        return self._histories[key]

    def notes(self) -> tuple[str, ...]:
        """What the as-of answers noted (where they came from, rows left out), each once."""
        return tuple(self._notes)
