"""A page of an as-of answer (`page_state`): every section (list entries, measures, positions, meetings) cut to the
same rows in the answer's order, with how many rows each section of the whole answer holds; a party's answer is cut
the same way. The web's `Page` of several sections goes on while any section has rows."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

import pytest

from regledger.adapters.web.inputs import Paging
from regledger.adapters.web.views import page_ahead, page_at
from regledger.projections import State, page_state, select_state
from regledger.projections.select import counted, seen
from tests.unit.fold_kit import Book, adopted, listed, position


@pytest.fixture
def book() -> Book:
    """Five entries on two lists, four measures (one applying to huawei), three positions."""
    found = Book()
    found.record(*(listed(p, "2019-05-16", list_key=k)
                   for p, k in [("huawei", "l1"), ("zte", "l1"), ("abc", "l2"), ("huawei", "l2"), ("xyz", "l2")]),
                 *(adopted(key, "2019-05-20", applies_to=["huawei"] if key == "b" else ["zte"])
                   for key in ("c", "a", "b", "a.b")),
                 *(position("supports", "2019-05-21", "official", actor=actor) for actor in ("us-dod", "b", "a")))
    return found


def _rows(state: State) -> list[tuple[str, str]]:
    return [(key, e.party) for key, entries in state.lists.items() for e in entries]


@pytest.mark.parametrize(("start", "size"), [(0, 2), (2, 2), (3, 2), (4, 2), (6, 2), (0, 10)])
def test_every_section_is_cut_to_the_same_rows(book: Book, start: int, size: int) -> None:
    whole = book.state("2019-06-01")

    page = page_state(whole, start, size)

    assert _rows(page.state) == _rows(whole)[start:start + size]
    assert page.state.measures == whole.measures[start:start + size]
    assert page.state.positions == whole.positions[start:start + size]
    assert [m.key for m in whole.measures] == ["a", "a.b", "b", "c"]
    assert page.total == 5
    assert page.totals == {"lists": 5, "measures": 4, "meetings": 0, "positions": 3}
    assert page.longest == 5
    assert page.more == (start + size < 5)
    assert page.state.notes == whole.notes
    assert page.state.query == whole.query


def test_a_partys_answer_is_cut_the_same_way(book: Book) -> None:
    whole = select_state(book.state("2019-06-01"), None, {"huawei"})

    first, second = page_state(whole, 0, 1), page_state(whole, 1, 1)

    assert first.totals == {"lists": 2, "measures": 1, "meetings": 0, "positions": 0}
    assert [m.key for m in first.state.measures] == ["b"]
    assert second.state.measures == ()
    assert _rows(second.state) == [("l2", "huawei")]


def test_a_page_with_totals_that_do_not_match_is_refused(book: Book) -> None:
    page = page_state(book.state("2019-06-01"), 0, 2)

    with pytest.raises(ValueError, match="totals"):
        type(page)(page.state, 0, 2, 5, {"lists": 4, "measures": 0, "meetings": 0, "positions": 0}, True)
    with pytest.raises(ValueError, match="totals"):
        type(page)(page.state, 0, 2, 5, {"lists": 5}, True)
    with pytest.raises(ValueError, match="more"):
        type(page)(page.state, 0, 2, 5, {"lists": 5, "measures": 0, "meetings": 0, "positions": 0}, False)
    with pytest.raises(ValueError, match="more"):
        type(page)(page.state, 4, 2, 5, {"lists": 5, "measures": 0, "meetings": 0, "positions": 0}, True)


@pytest.mark.parametrize(("total", "start", "size", "said"), [
    (0, 0, 2, 0), (0, 2, 2, None), (1, 0, 2, 1), (2, 0, 2, 2), (3, 0, 2, None), (3, 2, 2, 3), (4, 2, 2, 4),
    (5, 2, 2, None), (2, 2, 2, None), (1, 4, 2, None)])
def test_a_page_not_counted_says_a_sections_number_only_where_it_shows_its_last_row(
        total: int, start: int, size: int, said: int | None) -> None:
    assert seen(total, start, size) == said


@pytest.mark.parametrize("axes", [{"published_by": date(2019, 6, 1)},
                                  {"known_at": datetime(2024, 3, 2, tzinfo=UTC)}])
@pytest.mark.parametrize(("start", "size", "totals", "more"), [
    (0, 2, {"lists": None, "measures": None, "meetings": 0, "positions": None}, True),
    (2, 2, {"lists": None, "measures": 4, "meetings": None, "positions": 3}, True),
    (4, 2, {"lists": 5, "measures": None, "meetings": None, "positions": None}, False),
    (6, 2, {"lists": None, "measures": None, "meetings": None, "positions": None}, False),
    (0, 10, {"lists": 5, "measures": 4, "meetings": 0, "positions": 3}, False)])
def test_a_page_published_by_p_or_known_at_t_is_not_counted(book: Book, axes: dict[str, Any], *, start: int,
                                                             size: int, totals: dict[str, int | None],
                                                             more: bool) -> None:
    whole = book.state("2019-06-01")
    whole = replace(whole, query=replace(whole.query, **axes))
    assert not counted(whole.query)
    assert counted(replace(whole.query, published_by=None, known_at=None))

    page = page_state(whole, start, size)

    assert (page.total, dict(page.totals), page.more) == (totals["lists"], totals, more)
    assert page.longest == (5 if None not in totals.values() else None)
    assert _rows(page.state) == _rows(whole)[start:start + size]


@pytest.mark.parametrize(("number", "more"), [(1, True), (2, True), (3, False)])
def test_a_page_of_sections_goes_on_while_any_section_has_rows(number: int, more: bool) -> None:
    sections = {"lists": 3, "measures": 9, "meetings": 0, "positions": 1}

    page = page_at([], 3, Paging(number, 4), "/as-of/2020-09-01", {}, sections=sections)

    assert page.pages == 3
    assert (page.next is not None) == more
    assert page.json()["total"] == 3
    assert page.json()["sections"] == sections
    assert page.shown["measures"] == {"first": 4 * number - 3, "last": min(4 * number, 9), "total": 9}
    assert page.shown["lists"]["first"] == (1 if number == 1 else 0)
    assert "sections" not in page_at([], 3, Paging(1, 4), "/log", {}).json()


@pytest.mark.parametrize(("number", "more", "sections", "held", "pages"), [
    (1, True, {"lists": None, "measures": 2, "meetings": 0, "positions": None}, {"lists": 4, "measures": 2}, None),
    (3, False, {"lists": 9, "measures": None, "meetings": None, "positions": None}, {"lists": 1}, 3),
    (4, False, {"lists": None, "measures": None, "meetings": None, "positions": None}, {}, None)])
def test_a_page_not_counted_shows_what_it_holds(number: int, more: bool, sections: dict[str, int | None],
                                                held: dict[str, int], pages: int | None) -> None:
    """Without a section's number, a page says the rows it holds of it (a full page, or none), and how many pages
    there are only on the last page that holds rows."""
    page = page_ahead(sections["lists"], more, Paging(number, 4), "/as-of/2020-09-01", {"published_by": "2020-08-31"},
                      sections=sections, held=held)

    assert page.pages == pages
    assert page.json()["sections"] == sections
    assert (page.next is not None) == more
    for name, n in sections.items():
        shown = page.shown[name]
        if n is not None:
            assert shown["total"] == n
        elif held.get(name):
            assert shown == {"first": 4 * number - 3, "last": 4 * number - 4 + held[name], "total": None}
        else:
            assert shown == {"first": 0, "last": 0, "total": None}
