"""The read models' contract, run on each store: fed random histories in random batches (applied exactly once,
settled in between or not), they answer random query points on all three axes and tiers exactly as the reference
fold does: the whole state, one party's, a diff and a history, notes included.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from eventsourcing.persistence import IntegrityError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from regledger.adapters import open_ledger
from regledger.adapters.readmodels.lifecycle import views_of
from regledger.adapters.wiring import SET_UP_LOCK
from regledger.domain.history import Entry
from regledger.projections import (
    ProjectionError,
    Query,
    diff,
    find_subjects,
    history,
    select_diff,
    select_state,
    state_as_of,
)
from regledger.projections.answers import (
    model_diff,
    model_find_subjects,
    model_history,
    model_match_parties,
    model_state,
)
from regledger.projections.parties import directory, match_parties
from tests.unit.views_kit import History, as_logged, assert_cites_nothing_after, events_of, histories, queries

# The store is the same for every example (each example drops and reinstalls the tables), and one contract runs
# in a subclass per store: hence the function-scoped fixture and the differing executors.
SETTINGS = settings(deadline=None, max_examples=25, suppress_health_check=[
    HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.differing_executors])


def feed(view: Any, history: History, cuts: list[int], settle_between: bool) -> None:
    """Apply the history's events in batches cut at `cuts`, exactly once; settle at the end (or after each)."""
    events = list(events_of(history.entries()))
    bounds = sorted({c % (len(events) + 1) for c in cuts} | {0, len(events)})
    for start, end in itertools.pairwise(bounds):
        view.apply(view.position(), events[start:end])
        if settle_between:
            view.settle(2)
    while view.settle(3):
        pass


def fed_afresh(view: Any, data: st.DataObject, history: History, max_cuts: int) -> list[Entry]:
    """The read models emptied, then fed `history` in batches drawn from `data` (at most `max_cuts` cuts); its
    entries as logged, for the fold."""
    view.drop()
    view.install()
    feed(view, history, data.draw(st.lists(st.integers(0, 60), max_size=max_cuts)), data.draw(st.booleans()))
    return as_logged(history.entries())


class StoreViews:
    """The read models of the store a subclass names (`store`: sqlite or postgres), installed, as `view`."""

    store = ""

    @pytest.fixture
    def view(self, request: pytest.FixtureRequest) -> Iterator[Any]:
        db = request.getfixturevalue(f"{self.store}_db")
        with open_ledger(db) as ledger:
            found = views_of(ledger, SET_UP_LOCK)
            found.install()
            yield found


def check(view: Any, entries: list[Entry], query: Query, other_day: date) -> None:
    """Every answer the read models give for `query` is the fold's."""
    assert model_state(view, query).value == state_as_of(entries, query)
    for party in ("p1", "p2"):
        chosen = (None, {party})
        assert model_state(view, query, chosen).value == select_state(state_as_of(entries, query), *chosen)
    start, end = sorted((query.as_of, other_day))
    assert model_diff(view, query, (start, end)).value == diff(entries, query, start, end)
    chosen = ("l1", {"p1"})
    assert model_diff(view, query, (start, end), chosen).value == select_diff(diff(entries, query, start, end),
                                                                                *chosen)
    for text in ("p1", "m1", "g1", "Alpha Co", "a1/t1"):
        try:
            subjects = find_subjects(entries, text)
        except ProjectionError as error:  # the model must fail the same way, with the same suggestions
            with pytest.raises(ProjectionError, match=re.escape(str(error))):
                model_find_subjects(view, text)
            continue
        assert model_find_subjects(view, text) == subjects
        asked = Query(date.max, query.published_by, query.known_at, query.min_reliability)
        assert model_history(view, subjects, asked) == history(entries, subjects, asked)


class ReadModelContract(StoreViews):
    """The contract; subclasses give the store."""

    @SETTINGS
    @given(data=st.data())
    def test_answers_equal_the_folds_whatever_the_batches(self, view: Any, data: st.DataObject) -> None:
        history = data.draw(histories(), label="history")
        entries = fed_afresh(view, data, history, 4)

        for _ in range(3):
            query = data.draw(queries(history), label="query")
            check(view, entries, query, data.draw(queries(history)).as_of)

    @settings(SETTINGS, max_examples=15)
    @given(data=st.data())
    def test_sources_dated_on_their_own_answer_as_the_fold_does_citing_nothing_after_p(
            self, view: Any, data: st.DataObject) -> None:
        history = data.draw(histories(dated=True), label="history")
        entries = fed_afresh(view, data, history, 2)

        for _ in range(3):
            query = data.draw(queries(history), label="query")
            check(view, entries, query, data.draw(queries(history)).as_of)
            assert_cites_nothing_after(model_state(view, query).value, query.published_by)
            assert_cites_nothing_after(model_diff(view, query, (date.min, query.as_of)).value, query.published_by)

    def test_a_batch_applied_again_is_refused_as_already_done(self, view: Any) -> None:
        events = [(1, None), (2, None)]
        view.apply(None, events)

        with pytest.raises(IntegrityError):
            view.apply(None, events)
        with pytest.raises(IntegrityError):
            view.apply(1, [(2, None)])
        assert view.position() == 2

    def test_party_names_are_looked_up_by_key_name_alias_or_part(self, view: Any) -> None:
        history = History([(0, {"kind": "entity_listed", "id": "a1", "list": "l1", "effective_on": "2020-01-01",
                                "published_on": "2020-01-01", "sources": [{"citation": "c", "reliability": "official"}],
                                "party": {"key": "huawei", "name": "Huawei Technologies", "aliases": ["華為"]}})])
        feed(view, history, [], settle_between=False)
        parties = directory(as_logged(history.entries()))

        for text in ("huawei", "HUAWEI TECHNOLOGIES", "華為", "technolog", "huawai"):
            try:
                expected = match_parties(parties, text)
            except ProjectionError as error:
                with pytest.raises(ProjectionError, match=re.escape(str(error))):
                    model_match_parties(view, text)
                continue
            assert model_match_parties(view, text) == expected


class TestSQLiteReadModels(ReadModelContract):
    store = "sqlite"


@pytest.mark.postgres
class TestPostgresReadModels(ReadModelContract):
    store = "postgres"
