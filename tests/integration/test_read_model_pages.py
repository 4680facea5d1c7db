"""A page of an as-of answer, read as a page, on each store: the read models give exactly the slice of each section
of the whole answer (its list entries, on every list or one; its measures, meetings and positions), with the whole
answer's notes and how many rows each section holds, for random histories, query points and pages; the service gives
the same page from either source. Each kind of the other items is read in the fold's subject order, keys that are
prefixes of each other included. A party's whole position reads only the measures and positions that may concern it
(`concerns`). The counts the writer keeps are the rows counted, on every day, for every section and tier.
"""

from __future__ import annotations

import itertools
import re
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from regledger.adapters import Located, open_ledger
from regledger.adapters.readmodels.reader import ViewReader
from regledger.adapters.readmodels.source import FoldSource, ModelSource, open_source, stored_entries
from regledger.adapters.readmodels.sql import OPEN_DAY, OPEN_TIME
from regledger.adapters.services import Selection, queries
from regledger.adapters.wiring import open_stores
from regledger.domain import action_adapter
from regledger.domain.values import Reliability
from regledger.projections import Query, page_state, select_state, state_as_of
from regledger.projections.answers import model_state, model_state_page
from tests.integration.test_read_model_contract import SETTINGS, StoreViews, fed_afresh
from tests.unit.fold_kit import adopted, listed, position, src
from tests.unit.views_kit import dates_of, histories
from tests.unit.views_kit import queries as points

PAGES = [(0, 1), (0, 2), (1, 2), (2, 3), (0, 50), (3, 50), (50, 50)]  # (start, size)
# `ViewReader.gather_bound`s that make a page's sections always walked in order, or always gathered along a range
WAYS = {"walked": 0, "gathered": 10**9}


@pytest.fixture(params=sorted(WAYS))
def way(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Each test that takes it runs twice: every page walked, every page gathered (the read models' two ways)."""
    monkeypatch.setattr(ViewReader, "gather_bound", WAYS[request.param])
    return str(request.param)


class PageContract(StoreViews):
    """The contract; subclasses give the store."""

    @SETTINGS
    @given(data=st.data())
    def test_a_page_is_the_slice_of_the_whole_answer(self, view: Any, data: st.DataObject) -> None:
        history = data.draw(histories(), label="history")
        entries = fed_afresh(view, data, history, 3)

        for _ in range(3):
            query = data.draw(points(history), label="query")
            for list_key in (None, "l1", "l2"):
                whole = select_state(state_as_of(entries, query), list_key, None)
                for (way, bound), (start, size) in itertools.product(WAYS.items(), PAGES):
                    view.gather_bound = bound
                    page = model_state_page(view, query, list_key, start, size).value
                    assert page == page_state(whole, start, size), (way, list_key, start, size)
                    assert page == page_state(model_state(view, query, (list_key, None)).value, start, size)

    @SETTINGS
    @given(data=st.data())
    def test_the_kept_counts_are_the_current_rows_counted(self, view: Any, data: st.DataObject) -> None:
        """`counts`, kept by the writer as rows are written, closed and deleted, sums on every day to the current
        rows published now that hold it, for each section and minimum tier: those of each kind, of each list."""
        history = data.draw(histories(), label="history")
        fed_afresh(view, data, history, 4)
        sections = [("listing", ""), ("listing", "l1"), ("listing", "l2"), ("measure", ""), ("meeting", ""),
                    ("position", "")]
        held = ("t_to = ? AND p_from <= ? AND ? < p_to AND tier_lo <= ? AND ? <= tier_hi AND d_from <= ? AND ? < d_to "
                "AND kind = ? AND (? = '' OR list_key = ?)")

        for day in dates_of(history.entries()):
            for tier in range(4):
                for kind, list_key in sections:
                    point = (day.toordinal(), tier)
                    counted = view.rows(f"SELECT COUNT(*) AS n FROM {{items}} WHERE {held}",
                                        (OPEN_TIME, OPEN_DAY - 1, OPEN_DAY - 1, tier, tier, *[point[0]] * 2, kind,
                                         list_key, list_key))[0]["n"]
                    kept = view.rows("SELECT COALESCE(SUM(n), 0) AS n FROM {counts} WHERE kind = ? AND list_key = ? "
                                     "AND tier = ? AND day <= ?", (kind, list_key, tier, point[0]))[0]["n"]
                    assert kept == counted, (day, tier, kind, list_key)


    @SETTINGS
    @given(data=st.data())
    def test_a_sections_number_remembered_is_its_kept_counts_summed(self, view: Any, data: st.DataObject) -> None:
        """Where the position an answer reads is known (`standing`), each section's number comes from the running
        sums of its kept counts, read once at that position (`_summed`): on every day, for every list (one that
        holds nothing too) and minimum tier, it is the sum the statement reads where the position is unknown. A
        recording moves the position: the sums are read again."""
        history = data.draw(histories(), label="history")
        fed_afresh(view, data, history, 4)
        days = dates_of(history.entries()) or [date(2019, 5, 16)]
        for day in sorted({*days, min(days) - timedelta(days=400), max(days) + timedelta(days=400)}):
            for tier in (None, *Reliability):
                for list_key in (None, "l1", "l2", "absent"):
                    query = Query(day, min_reliability=tier)
                    view.position_unknown()
                    counted = view._numbers(query, list_key)
                    view.standing("1 AS one")
                    assert view._numbers(query, list_key) == counted, (day, tier, list_key)
        # every list, l1, l2 and absent, and each other kind, at each rank
        assert len(view._remembered("sums")) == 4 * 4 + 3 * 4


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


def test_the_service_pages_the_same_from_the_read_models_and_the_fold(recorded: str, way: str) -> None:
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


KEYS = ("a", "a.b", "a-b", "ab", "a0", "b")  # prefixes of each other: `"` < `-` < `.` < `0` < `b` in code points


@pytest.fixture
def prefixed(db: str) -> str:
    """Two list entries; a measure and a meeting under each of `KEYS`; positions of actors under four of them about
    topics and measures with those keys (24 of them)."""
    actions = [_named(listed(f"p{n}", "2019-05-16"), f"Party {n}") for n in range(2)]
    actions += [adopted(key, "2019-05-20") for key in KEYS]
    actions += [{"kind": "meeting_scheduled", "meeting": {"key": key, "title": f"Meeting {key}"}, "date": "2019-07-01",
                 "effective_on": "2019-05-21", "published_on": "2019-05-21", "sources": [src()]} for key in KEYS]
    for actor in KEYS[:4]:
        actions += [position("supports", "2019-05-22", "official", actor=actor, topic=topic) for topic in KEYS[:3]]
        actions += [{**position("opposes", "2019-05-22", "official", actor=actor), "topic": None,
                     "measure": {"key": key}} for key in ("a", "ab", "a-b")]
    with open_ledger(db) as ledger:
        _record(ledger, *({k: v for k, v in a.items() if v is not None} for a in actions))
    return db


def _sections(state: Any) -> dict[str, list[Any]]:
    return {"measures": list(state.measures), "meetings": list(state.meetings), "positions": list(state.positions)}


def test_each_kind_is_read_in_the_folds_subject_order(prefixed: str, way: str) -> None:
    """The read models' page of one row from each place of each kind is the fold's row there: the order by the
    `subject` column's text (code point order) is the subject tuples' order."""
    with open_stores(prefixed, write=False) as stores:
        model = open_source(stores.ledger, stores.views)
        assert isinstance(model, ModelSource)
        whole = _sections(state_as_of(stored_entries(stores.ledger), Query(date(2019, 6, 1))))
        assert [m.key for m in whole["measures"]] == sorted(KEYS) == ["a", "a-b", "a.b", "a0", "ab", "b"]
        assert len(whole["positions"]) == 24

        for start in range(25):
            found, counts = model.view.others_page(Query(date(2019, 6, 1)), start, 1)

            assert counts == {"measure": 6, "meeting": 6, "position": 24}
            assert [item for _, item in found] == [rows[start] for rows in whole.values() if start < len(rows)]


@pytest.mark.parametrize(("start", "size"), [(0, 4), (4, 4), (5, 2), (6, 10), (20, 4), (24, 4), (0, 100)])
def test_each_section_of_a_page_is_the_folds_sliced(prefixed: str, start: int, size: int, way: str) -> None:
    """Pages past the end of the entries (2) and of the measures and meetings (6) but not of the positions (24) hold
    the positions' rows alone; past every section, nothing."""
    with open_stores(prefixed, write=False) as stores:
        fold = FoldSource(stored_entries(stores.ledger))
        for day in ("2019-05-17", "2019-06-01"):
            query = Query(date.fromisoformat(day))
            whole = queries.as_of(stores, query, Selection()).answer

            page = queries.as_of_page(stores, query, Selection(), start, size).answer

            assert page == page_state(whole, start, size) == fold.state_page(query, None, start, size), (day, start)
            assert _sections(page.state) == {name: rows[start:start + size] for name, rows in
                                             _sections(whole).items()}
            assert page.totals == {"lists": 2, **{name: len(rows) for name, rows in _sections(whole).items()}}
            assert page.total == 2


def _statements(stores: Any, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The statements the read models run from now on (a list the caller may clear)."""
    read: list[str] = []
    fetch = stores.views._fetch

    def spied(statement: str, *args: Any, **named: Any) -> Any:
        read.append(statement)
        return fetch(statement, *args, **named)

    monkeypatch.setattr(stores.views, "_fetch", spied)
    return read


@pytest.mark.parametrize(("start", "size"), [(0, 1), (0, 2), (1, 1), (2, 4), (4, 2), (5, 2), (6, 10), (20, 4),
                                             (23, 1), (24, 4), (0, 100)])
def test_a_page_published_by_p_or_known_at_t_reads_one_row_past_it_and_counts_none(
        prefixed: str, start: int, size: int, monkeypatch: pytest.MonkeyPatch, way: str) -> None:
    """Such a page is the fold's page (each section's number only where the page shows its last row, `seen`;
    whether more rows follow), read without a statement that counts the rows holding it: the read models keep no
    count for it (gathering counts the rows of its ranges up to a bound, `_RANGE_ROWS`)."""
    with open_stores(prefixed, write=False) as stores:
        fold = FoldSource(stored_entries(stores.ledger))
        known = max(s.recorded_at for s in stores.ledger.stored_actions())
        read = _statements(stores, monkeypatch)
        for day in ("2019-05-17", "2019-06-01"):
            for query in (Query(date.fromisoformat(day), published_by=date(2019, 6, 1)),
                          Query(date.fromisoformat(day), known_at=known)):
                whole = queries.as_of(stores, query, Selection()).answer
                numbers = {"lists": 2, **{name: len(rows) for name, rows in _sections(whole).items()}}
                read.clear()

                page = queries.as_of_page(stores, query, Selection(), start, size).answer

                counting = [s for s in read if "view_counts" in s or ("view_items" in s and "COUNT(" in s.upper()
                                                                       and " LIMIT " not in s.upper())]
                assert read
                assert not counting, counting
                assert page == page_state(whole, start, size) == fold.state_page(query, None, start, size), (day, start)
                assert _sections(page.state) == {name: rows[start:start + size] for name, rows in
                                                 _sections(whole).items()}
                assert dict(page.totals) == {name: n if start < n <= start + size or (n == 0 and start == 0) else None
                                             for name, n in numbers.items()}
                assert page.more == (start + size < max(numbers.values()))


def test_a_point_before_anything_was_recorded_or_published_reads_no_row(prefixed: str,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Known at a time before the first recording, or published by a day before the first publication, the answer
    and its page are the fold's (empty, saying why), told by the evidence alone: no statement reads `items`."""
    with open_stores(prefixed, write=False) as stores:
        fold = FoldSource(stored_entries(stores.ledger))
        first = min(s.recorded_at for s in stores.ledger.stored_actions())
        read = _statements(stores, monkeypatch)
        for query in (Query(date(2019, 6, 1), known_at=first - timedelta(microseconds=1)),
                      Query(date(2019, 6, 1), published_by=date(2019, 5, 15))):
            read.clear()

            whole = queries.as_of(stores, query, Selection()).answer
            page = queries.as_of_page(stores, query, Selection(), 0, 4).answer

            assert whole == fold.state(query, (None, None))
            assert whole.is_empty
            assert whole.notes
            assert page == fold.state_page(query, None, 0, 4)
            assert not [s for s in read if "view_items" in s], read


def _way(read: list[str]) -> str:
    """How the page's sections were read, by its statements: gathered along a range, walked, or walked without
    counting any range (a counted page whose every section holds more rows than the page reaches)."""
    if any(s.startswith("SELECT list_key, subject FROM") for s in read):
        return "gathered"
    return "walked" if any(" AS arm, COUNT(*)" in s for s in read) else "walked, no range counted"


@pytest.mark.parametrize(("query", "page", "expected"), [
    (Query(date(2019, 5, 17)), (0, 50), "gathered"),  # 2 rows hold it, 2 current rows start by then (the listings)
    (Query(date(2019, 6, 1)), (0, 50), "walked, no range counted"),  # 38 rows hold it: its ranges hold as many
    (Query(date(2019, 6, 1)), (1, 1), "walked, no range counted"),
    (Query(date(2019, 6, 1), published_by=date(2019, 5, 16)), (0, 50), "gathered"),  # 2 rows published by then
    (Query(date(2019, 6, 1), published_by=date(2019, 6, 1)), (0, 1), "walked"),  # not counted: its ranges are, 38
])
def test_a_page_is_gathered_where_one_of_its_ranges_holds_fewer_rows_than_the_bound(
        prefixed: str, monkeypatch: pytest.MonkeyPatch, query: Query, page: tuple[int, int], expected: str) -> None:
    """With `gather_bound` 5: a page one of whose ranges (`reader._ranges`) holds fewer rows is read along it, a
    page whose ranges all hold more is walked, and a counted page holding more rows is walked without counting its
    ranges; either way it is the fold's."""
    monkeypatch.setattr(ViewReader, "gather_bound", 5)
    with open_stores(prefixed, write=False) as stores:
        fold = FoldSource(stored_entries(stores.ledger))
        read = _statements(stores, monkeypatch)

        answer = queries.as_of_page(stores, query, Selection(), *page).answer

        assert _way(read) == expected, read
        assert answer == fold.state_page(query, None, *page)


@pytest.mark.parametrize("way", sorted(WAYS), indirect=True)
def test_a_page_known_now_of_a_day_no_row_holds_does_not_read_the_whole_answer(
        prefixed: str, monkeypatch: pytest.MonkeyPatch, way: str) -> None:
    """A day before the history, known now: the page is the fold's (empty, saying why), and the whole answer is not
    read to say it (that read passes every current row along an index that does not bound the day)."""
    with open_stores(prefixed, write=False) as stores:
        fold = FoldSource(stored_entries(stores.ledger))
        query = Query(date(2019, 1, 1))
        read = _statements(stores, monkeypatch)

        page = queries.as_of_page(stores, query, Selection(), 0, 4).answer

        assert page == fold.state_page(query, None, 0, 4)
        assert page.state.notes
        whole = [s for s in read if re.match(r"SELECT kind, item FROM \S*regledger_view_items WHERE t_to", s)
                 and "LIMIT" not in s]  # the whole answer's statement (reader's _ALL), not a page's walk
        assert not whole, whole


def test_a_range_found_wide_is_not_counted_again_at_the_same_position(prefixed: str,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Once a range is found to hold `gather_bound` rows, a later page asking it as wide or wider (a later P, a later
    day) walks without counting it; a narrower one is counted; after a recording (another position) all are again."""
    monkeypatch.setattr(ViewReader, "gather_bound", 5)
    later = Query(date(2019, 6, 2), published_by=date(2019, 6, 2))
    with open_stores(prefixed) as stores:
        fold = FoldSource(stored_entries(stores.ledger))
        queries.as_of_page(stores, Query(date(2019, 6, 1)), Selection(), 0, 1)  # the read models seen installed
        read = _statements(stores, monkeypatch)
        asked = []
        for query in (Query(date(2019, 6, 1), published_by=date(2019, 6, 1)), later,
                      Query(date(2019, 5, 17), published_by=date(2019, 5, 16))):
            read.clear()
            page = queries.as_of_page(stores, query, Selection(), 0, 1).answer
            assert page == fold.state_page(query, None, 0, 1)
            asked.append(_way(read))

        stores.ledger.record([Located("test", action_adapter.validate_python(position(
            "supports", "2019-05-23", "official", actor="other", topic="a")))])
        read.clear()
        queries.as_of_page(stores, later, Selection(), 0, 1)

        assert asked == ["walked", "walked, no range counted", "gathered"]
        assert _way(read) == "walked"


def test_a_pages_numbers_are_read_once_at_a_position_and_again_after_a_recording(
        prefixed: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The service's pages read the kept counts once at a position (the running sums, `_summed`): a later page of
    another day reads none; after a recording, the next page reads them again and counts what was recorded."""
    with open_stores(prefixed) as stores:
        queries.as_of_page(stores, Query(date(2019, 6, 1)), Selection(), 0, 1)  # the read models seen installed
        read = _statements(stores, monkeypatch)
        first = queries.as_of_page(stores, Query(date(2019, 6, 1)), Selection(), 0, 1).answer
        counted = [s for s in read if "view_counts" in s]
        read.clear()
        later = queries.as_of_page(stores, Query(date(2019, 5, 21)), Selection(), 0, 1).answer
        remembered = [s for s in read if "view_counts" in s]

        stores.ledger.record([Located("test", action_adapter.validate_python(position(
            "supports", "2019-05-23", "official", actor="other", topic="a")))])
        read.clear()
        after = queries.as_of_page(stores, Query(date(2019, 6, 1)), Selection(), 0, 1).answer

        assert len(counted) == 1
        assert counted[0].startswith("SELECT kind, list_key, tier, day, n FROM")
        assert remembered == []
        assert [s for s in read if "view_counts" in s] == counted
        assert first.totals == {"lists": 2, "measures": 6, "meetings": 6, "positions": 24}
        assert later.totals == {"lists": 2, "measures": 6, "meetings": 6, "positions": 0}  # stated on 05-22
        assert after.totals == {**first.totals, "positions": 25}


@pytest.mark.parametrize(("party", "by_name"), [("huawei", False), ("Huawei", True), ("Party 3", True)])
def test_a_party_named_by_its_key_is_not_looked_up_by_name(recorded: str, monkeypatch: pytest.MonkeyPatch,
                                                            party: str, by_name: bool) -> None:
    """A party asked by its key is found by the key alone; the names are read only when no key matches (they had
    been read on every party's answer: one statement in five of the party as-of)."""
    with open_stores(recorded, write=False) as stores:
        fold = FoldSource(stored_entries(stores.ledger))
        read = _statements(stores, monkeypatch)

        answer = queries.as_of(stores, Query(date(2019, 6, 1)), Selection(party=party))

        assert answer.matches == fold.match_parties(party)
        assert any("regledger_view_names" in s for s in read) == by_name, read


@pytest.mark.postgres
def test_postgres_plans_a_pages_walk_for_the_point_asked(postgres_db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """PostgreSQL prepares the read models' statements, and a prepared statement may come to run one plan for any
    parameters. A page's walks (its list entries in order, and each other kind's) are never prepared: the plan that
    walks the index in the answer's order for one point and the one that reads a point's few rows for another differ
    (at 1,000,000 events the generic plan read every row holding the day and sorted them: 0.1-1.1 s a page, against
    3.5-6.5 ms). The statements read with them are prepared."""
    from tests.conftest import EXAMPLE  # noqa: PLC0415
    from tests.integration.test_read_model_diff_pages import prepared_statements  # noqa: PLC0415
    from tests.web.web_kit import cli_text  # noqa: PLC0415

    monkeypatch.setattr(ViewReader, "gather_bound", 0)  # every page walked
    cli_text(postgres_db, "record", str(EXAMPLE))
    with open_stores(postgres_db, write=False) as stores:
        for month in range(1, 9):  # more runs than psycopg's prepare threshold (5), on each axis
            for query in (Query(date(2020, month, 1)), Query(date(2021, month, 1), published_by=date(2020, month, 1))):
                assert queries.as_of_page(stores, query, Selection(), 0, 5).answer.state.lists
        prepared = prepared_statements(stores)

    assert any("regledger_view_runs" in text for text in prepared)  # the others are prepared (the evidence)
    assert not [text for text in prepared if "ORDER BY list_key" in text or "ORDER BY subject" in text]
