"""A page of a diff, read as a page, on each store: the read models give exactly the fold's page (the changes,
transitions and actions taken effect of the window's subjects [start, start + size), in subject order, whether more
follow, and on the last page how many subjects the window holds) for random histories, windows, axes, selections and
pages, reading only the page's items; and the fold's pages, followed one to the next, are together the whole diff:
every change, transition and action once, nothing else.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from regledger.domain.history import Entry
from regledger.projections import Diff, Query, diff, select_diff
from regledger.projections.answers import diff_page, model_diff_page
from regledger.projections.model_store import Selection
from tests.integration.test_read_model_contract import SETTINGS, StoreViews, fed_afresh
from tests.unit.fold_kit import Book, adopted, listed
from tests.unit.views_kit import dates_of, histories
from tests.unit.views_kit import queries as points

PAGES = [(0, 1), (1, 1), (0, 2), (2, 2), (0, 3), (0, 50), (50, 50)]  # (start, size)
SELECTIONS: list[Selection] = [(None, None), ("l1", None), (None, {"p1"}), ("l2", {"p1", "p2"})]


def _contents(result: Diff) -> Counter[tuple[str, str]]:
    """Every change (by list and group, or by section), transition and action taken effect of a diff, counted (by
    its text: an item's details are a mapping, so items do not hash)."""
    found: Counter[tuple[str, str]] = Counter()
    for key, changes in result.lists.items():
        found.update((f"{key}/{group}", repr(change)) for group, items in changes.groups() for change in items)
    for section in ("measures", "meetings", "positions", "transitions", "took_effect"):
        found.update((section, repr(item)) for item in getattr(result, section))
    return found


def _window(data: st.DataObject, entries: list[Entry]) -> tuple[date, date]:
    days = dates_of(entries)
    start, end = sorted((data.draw(st.sampled_from(days)), data.draw(st.sampled_from(days))))
    return start, end


class DiffPageContract(StoreViews):
    """The contract; subclasses give the store."""

    @SETTINGS
    @given(data=st.data())
    def test_a_diff_page_is_the_folds(self, view: Any, data: st.DataObject) -> None:
        history = data.draw(histories(), label="history")
        entries = fed_afresh(view, data, history, 3)
        # SQLite: walk every window's subjects in order (0), or read every one whole (these histories are sparse)
        view.walk_density = data.draw(st.sampled_from([0, 4_000]), label="walk_density")

        for _ in range(2):
            start, end = _window(data, entries)
            query = data.draw(points(history), label="axes").on(end)
            for selection in SELECTIONS:
                for at, size in PAGES:
                    expected = diff_page(entries, query, (start, end), selection, start=at, size=size)
                    found = model_diff_page(view, query, (start, end), selection, start=at, size=size).value
                    assert found == expected, (start, end, selection, at, size)

    @SETTINGS
    @given(data=st.data())
    def test_the_pages_together_are_the_whole_diff(self, view: Any, data: st.DataObject) -> None:
        history = data.draw(histories(), label="history")
        entries = fed_afresh(view, data, history, 1)
        start, end = _window(data, entries)
        query = data.draw(points(history), label="axes").on(end)
        size = data.draw(st.integers(1, 3), label="size")

        for selection in SELECTIONS:
            whole = select_diff(diff(entries, query, start, end), *selection)
            first = diff_page(entries, query, (start, end), selection, start=0, size=size)
            if first.total == 0:
                assert first.diff == whole
                assert not first.more
                continue
            pages = [first]
            while pages[-1].more:  # the next link, while more subjects follow
                pages.append(diff_page(entries, query, (start, end), selection, start=len(pages) * size, size=size))
            together: Counter[tuple[str, str]] = Counter()
            for page in pages:
                assert (page.total is None) == page.more  # only the last page counts the subjects
                assert page.diff.notes == ()
                together.update(_contents(page.diff))
            assert together == _contents(whole), selection
            last = pages[-1]
            assert last.total is not None
            assert (len(pages) - 1) * size < last.total <= len(pages) * size
            assert last.total == diff_page(entries, query, (start, end), selection, start=0, size=10**6).total
            beyond = diff_page(entries, query, (start, end), selection, start=len(pages) * size, size=size)
            assert _contents(beyond.diff) == Counter()
            assert (beyond.total, beyond.more, beyond.diff.notes) == (None, False, ())


class TestSQLiteDiffPages(DiffPageContract):
    store = "sqlite"


@pytest.mark.postgres
class TestPostgresDiffPages(DiffPageContract):
    store = "postgres"


def test_a_page_holds_the_subjects_in_order_and_each_section_keeps_its_order() -> None:
    """Two listings and a measure change in the window: page 1 of size 2 holds the listings (list order, then
    party), page 2 the measure; the change log keeps legal order within a page."""
    book = Book()
    book.record(listed("p2", "2019-05-16"), listed("p1", "2019-05-20"), adopted("m1", "2019-05-18", applies_to=["p1"]))
    entries = book.entries
    query = Query(date(2019, 6, 1))

    first = diff_page(entries, query, (date(2019, 5, 1), date(2019, 6, 1)), (None, None), start=0, size=2)
    second = diff_page(entries, query, (date(2019, 5, 1), date(2019, 6, 1)), (None, None), start=2, size=2)

    assert (first.total, first.more, second.total, second.more) == (None, True, 3, False)  # counted on the last page
    assert [t.subject for t in first.diff.took_effect] == ["us-bis-entity-list/p2", "us-bis-entity-list/p1"]
    assert [c.key for c in first.diff.lists["us-bis-entity-list"].added] == ["p1", "p2"]
    assert (first.diff.measures, second.diff.lists) == ((), {})
    assert [m.key for m in second.diff.measures] == ["m1"]
    assert [t.subject for t in second.diff.took_effect] == ["m1"]


def prepared_statements(stores: Any) -> list[str]:
    """The statements PostgreSQL keeps prepared on a connection taken from the read models' pool."""
    from psycopg.rows import tuple_row  # noqa: PLC0415

    pool = stores.views.datastore.pool
    connection = pool.getconn()
    try:
        with connection.cursor(row_factory=tuple_row) as cursor:
            return [text for text, in cursor.execute("SELECT statement FROM pg_prepared_statements")]
    finally:
        pool.putconn(connection)


@pytest.mark.postgres
def test_postgres_plans_a_windows_subjects_for_the_window_asked(postgres_db: str) -> None:
    """PostgreSQL prepares the read models' statements, and a prepared statement may come to run one plan for any
    parameters; the page of a window's subjects is never prepared (walking a dense window and reading a sparse one
    need different plans), while the statements read with it are."""
    from regledger.adapters.services import queries  # noqa: PLC0415
    from regledger.adapters.services.inputs import EVERYTHING, Axes, Window  # noqa: PLC0415
    from regledger.adapters.wiring import open_stores  # noqa: PLC0415
    from tests.conftest import EXAMPLE  # noqa: PLC0415
    from tests.web.web_kit import cli_text  # noqa: PLC0415

    cli_text(postgres_db, "record", str(EXAMPLE))
    with open_stores(postgres_db, write=False) as stores:
        for month in range(1, 9):  # more runs than psycopg's prepare threshold (5)
            window = Window(date(2019, month, 1), date(2020, month, 1))
            queries.diff_page(stores, window, Axes(), EVERYTHING, start=0, size=5)
        prepared = prepared_statements(stores)

    assert any("regledger_view_effects" in text for text in prepared)  # the others are prepared
    assert not [text for text in prepared if "SELECT DISTINCT subject" in text]
