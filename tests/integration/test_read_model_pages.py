"""A page of an as-of answer, read as a page, on each store: the read models give exactly the slice of the whole
answer's list entries (every list, or one), with the whole answer's measures, meetings, positions and notes and how
many entries it lists, for random histories, query points and pages; the service gives the same page from either
source. A party's whole position reads only the measures and positions that may concern it (`concerns`).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from regledger.adapters import Located, open_ledger
from regledger.adapters.readmodels.lifecycle import views_of
from regledger.adapters.readmodels.source import FoldSource, ModelSource, open_source, stored_entries
from regledger.adapters.services import Selection, queries
from regledger.adapters.wiring import SET_UP_LOCK, open_stores
from regledger.domain import action_adapter
from regledger.projections import Query, page_state, select_state, state_as_of
from regledger.projections.answers import model_state, model_state_page
from tests.integration.test_read_model_contract import SETTINGS, feed
from tests.unit.fold_kit import adopted, listed, position
from tests.unit.views_kit import as_logged, histories
from tests.unit.views_kit import queries as points

PAGES = [(0, 1), (0, 2), (1, 2), (2, 3), (0, 50), (3, 50), (50, 50)]  # (start, size)


class PageContract:
    """The contract; subclasses give the store."""

    store = ""

    @pytest.fixture
    def view(self, request: pytest.FixtureRequest) -> Iterator[Any]:
        db = request.getfixturevalue(f"{self.store}_db")
        with open_ledger(db) as ledger:
            found = views_of(ledger, SET_UP_LOCK)
            found.install()
            yield found

    @SETTINGS
    @given(data=st.data())
    def test_a_page_is_the_slice_of_the_whole_answer(self, view: Any, data: st.DataObject) -> None:
        history = data.draw(histories(), label="history")
        view.drop()
        view.install()
        feed(view, history, data.draw(st.lists(st.integers(0, 60), max_size=3)), data.draw(st.booleans()))
        entries = as_logged(history.entries())

        for _ in range(3):
            query = data.draw(points(history), label="query")
            for list_key in (None, "l1", "l2"):
                whole = select_state(state_as_of(entries, query), list_key, None)
                for start, size in PAGES:
                    page = model_state_page(view, query, list_key, start, size).value
                    assert page == page_state(whole, start, size), (list_key, start, size)
                    assert page == page_state(model_state(view, query, (list_key, None)).value, start, size)


class TestSQLitePages(PageContract):
    store = "sqlite"


@pytest.mark.postgres
class TestPostgresPages(PageContract):
    store = "postgres"


def _record(ledger: Any, *actions: dict[str, Any]) -> None:
    ledger.record([Located(f"action {i}", action_adapter.validate_python(a)) for i, a in enumerate(actions)])


def _named(action: dict[str, Any], name: str) -> dict[str, Any]:
    return {**action, "party": {"key": action["party"]["key"], "name": name}}


@pytest.fixture
def recorded(db: str) -> str:
    """Two lists of parties, a measure that applies to one of them (and its affiliates), positions about it and
    about a party, recorded through the ledger."""
    affiliate = listed("hisilicon", "2019-05-16")
    affiliate["party"] = {"key": "hisilicon", "name": "HiSilicon", "affiliate_of": "huawei"}
    about_tgl = {**position("supports", "2019-05-21", "official", actor="commerce"), "measure": {"key": "tgl"}}
    del about_tgl["topic"]
    with open_ledger(db) as ledger:
        _record(ledger, *(_named(listed(f"p{n:02d}", "2019-05-16", list_key=list_key), f"Party {n}")
                          for n in range(12) for list_key in ("eu-sanctions-list", "us-bis-entity-list")[: 1 + n % 2]),
                _named(listed("huawei", "2019-05-16"), "Huawei"), affiliate,
                adopted("tgl", "2019-05-20", applies_to=["huawei"], include_affiliates=True),
                adopted("other", "2019-05-20", applies_to=["p01"]), about_tgl,
                position("opposes", "2019-05-22", "official", actor="mofcom", topic="huawei"))
    return db


def test_the_service_pages_the_same_from_the_read_models_and_the_fold(recorded: str) -> None:
    with open_stores(recorded, write=False) as stores:
        assert isinstance(open_source(stores.ledger, stores.views), ModelSource)
        fold = FoldSource(stored_entries(stores.ledger))
        for day in ("2019-05-15", "2019-06-01"):
            query = Query(date.fromisoformat(day))
            for chosen in (Selection(), Selection(list_key="us-bis-entity-list"), Selection(party="huawei")):
                whole = queries.as_of(stores, query, chosen)
                for start, size in [(0, 5), (5, 5), (30, 5), (0, 100)]:
                    page = queries.as_of_page(stores, query, chosen, start, size)
                    assert page.answer == page_state(whole.answer, start, size), (day, chosen, start)
                    assert (page.list_key, page.party, page.matches) == (whole.list_key, whole.party, whole.matches)
                    if chosen.party is None:
                        assert page.answer == fold.state_page(query, chosen.list_key, start, size)


@pytest.mark.parametrize(("party", "measures", "about", "read"), [
    ("huawei", ["tgl"], ["huawei", "measure:tgl"], 3), ("hisilicon", ["tgl"], ["measure:tgl"], 3),
    ("p01", ["other"], [], 1), ("p02", [], [], 0)])
def test_a_partys_position_reads_only_what_may_concern_it(recorded: str, party: str, measures: list[str],
                                                           about: list[str], read: int) -> None:
    """The measures that apply to the party (its own, or its parent's when they include affiliates) and the positions
    about it or them are the fold's, read through `concerns`: what names the party or its parent, and the positions
    about those (HiSilicon's read takes in the position about Huawei, which its answer leaves out); nothing else."""
    with open_stores(recorded, write=False) as stores:
        model = open_source(stores.ledger, stores.views)
        assert isinstance(model, ModelSource)
        fold = FoldSource(stored_entries(stores.ledger))
        query = Query(date(2019, 6, 1))

        answer = model.state(query, (None, {party}))
        concerning = model.view.concerning(query, {party, *(["huawei"] if party == "hisilicon" else [])})

        assert answer == fold.state(query, (None, {party}))
        assert [m.key for m in answer.measures] == measures
        assert sorted(p.subject for p in answer.positions) == about
        assert {subject[0] for subject, _ in concerning} <= {"measure", "position"}
        assert len(concerning) == read
