"""Screening counterparties (`screen`): each row's name against every name and alias of every party, each match
with the party's status on each of its lists on the row's date, and a decision (projections/screening.py).

The names come from the ledger as recorded by `known_at` (every party ever on a list, only the one list when
`list_key` is given); the matcher's index over them is built in memory for each run (projections/matching.py). The
statuses come from the same as-of answers as `regledger as-of` (`queries.as_of`, read models or fold), asked once per
distinct date; `removed` from the party's history on that list (`queries.history`). Reads only (`WRITES` is False).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from typing import Final

from regledger.adapters.errors import InputError
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
    Matcher,
    library_versions,
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

__all__ = ["WRITES", "check_thresholds", "ledger_position", "screen", "today"]

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
    statuses = _Statuses(stores, axes, options.list_key)
    statuses.state(on)  # an unknown list is refused before anything is matched
    found = screening_directory(stored_entries(stores.ledger), options.known_at, options.list_key)
    matcher = Matcher(found.names)
    results = []
    for row in rows:
        day = row.date or on
        matches = matcher.match(Counterparty(row.name, row.country, row.address), review)
        hits = tuple(PartyHit(m, found.party_names.get(m.name.party), statuses.of(found, m.name.party, day))
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


class _Statuses:
    """A party's status on its lists on a date, from the as-of answers (asked once per date) and, for a party not
    on a list on the date, its history on that list (asked once per list and party)."""

    def __init__(self, stores: Stores, axes: Axes, list_key: str | None) -> None:
        self.stores, self.axes, self.selection = stores, axes, Selection(list_key)
        self._states: dict[tuple[date, bool], dict[tuple[str, str], ListEntry]] = {}
        self._histories: dict[tuple[str, str], History] = {}
        self._notes: dict[str, None] = {}

    def state(self, day: date, *, public: bool = False) -> dict[tuple[str, str], ListEntry]:
        """(list, party) → entry on `day`; with `public`, the public record cut at `day` instead of `published_by`."""
        if (day, public) not in self._states:
            axes = Axes(day, self.axes.known_at, self.axes.min_reliability) if public else self.axes
            answer: State = queries.as_of(self.stores, axes.on(day), self.selection).answer
            if not public:
                self._notes.update(dict.fromkeys(answer.notes))
            self._states[(day, public)] = {(e.list_key, e.party): e for es in answer.lists.values() for e in es}
        return self._states[(day, public)]

    def of(self, found: ScreeningDirectory, party: str, day: date) -> tuple[ListStatus, ...]:
        """The party's status on each of its lists on `day`, and whether the public record showed it by then."""
        result = []
        for list_key in found.lists.get(party, ()):
            entry = self.state(day).get((list_key, party))
            public = self.state(day, public=True).get((list_key, party))
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
