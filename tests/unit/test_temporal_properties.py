"""Property tests: the temporal rows of every unit answer each query point exactly as the reference fold does.

The rows are read here as a store would read them (the version known at T, then the box holding the tier, P and
D), without a database: the stores' contract tests (tests/integration/test_read_model_contract.py) do the same
through SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from regledger.domain.history import Entry
from regledger.projections import Query
from regledger.projections.diff import took_in
from regledger.projections.fold import state_at
from regledger.projections.subjects import group_by_subject, resolve_all
from regledger.projections.temporal import items_of
from regledger.projections.units import Version, unit_of, versions
from tests.unit.views_kit import assert_cites_nothing_after, histories, queries

SETTINGS = settings(deadline=None, max_examples=60, suppress_health_check=[HealthCheck.too_slow])


def models(entries: list[Entry], limit: int | None = None) -> dict[str, list[Version]]:
    """Each unit's versions."""
    units: dict[str, list[Entry]] = defaultdict(list)
    for subject, group in group_by_subject(entries).items():
        units[unit_of(subject)].extend(group)
    extra = {} if limit is None else {"limit": limit}
    return {unit: versions(sorted(group, key=lambda e: e.seq), **extra) for unit, group in units.items()}


def _inside(span: tuple[Any, Any], value: Any) -> bool:
    low, high = span
    return (low is None or low <= value) and (high is None or value < high)


def _version(found: list[Version], known_at: datetime | None) -> Version | None:
    for version in found:
        if known_at is None and version.until is None:
            return version
        if known_at is not None and version.recorded_at <= known_at and (version.until is None
                                                                         or known_at < version.until):
            return version
    return None


def answer(units: dict[str, list[Version]], query: Query) -> dict[Any, Any]:
    """The items the rows hold for `query`, by subject (a box found twice is a failure)."""
    rank = query.min_reliability.rank if query.min_reliability else 0
    published = query.published_by or date.max
    found: dict[Any, Any] = {}
    for unit_versions in units.values():
        version = _version(unit_versions, query.known_at)
        if version is None:
            continue
        for box in version.model.boxes:
            if box.tiers[0] <= rank <= box.tiers[1] and _inside(box.published, published) and _inside(
                    box.effective, query.as_of):
                assert box.subject not in found, box
                found[box.subject] = box.item
    return found


def effects(units: dict[str, list[Version]], query: Query, start: date, end: date) -> list[Any]:
    rank = query.min_reliability.rank if query.min_reliability else 0
    published = query.published_by or date.max
    found = []
    for unit_versions in units.values():
        version = _version(unit_versions, query.known_at)
        for effect in version.model.effects if version else ():
            if effect.tiers[0] <= rank <= effect.tiers[1] and _inside(effect.published, published) and (
                    start < effect.item.effective_on <= end):
                found.append((effect.item.effective_on, effect.item.published_on, effect.seq, effect.subject,
                              effect.item))
    return [(subject, item) for *_, subject, item in sorted(found, key=lambda t: t[:3])]


def fold(entries: list[Entry], query: Query) -> dict[Any, Any]:
    return items_of(state_at(resolve_all(group_by_subject(entries), query), query))


@SETTINGS
@given(data=st.data())
def test_the_rows_answer_every_query_point_as_the_fold_does(data: st.DataObject) -> None:
    history = data.draw(histories(), label="history")
    entries = history.entries()
    units = models(entries)

    for _ in range(10):
        query = data.draw(queries(history), label="query")
        assert answer(units, query) == fold(entries, query), query


@SETTINGS
@given(data=st.data())
def test_the_effect_rows_give_a_windows_actions_in_legal_order_as_the_fold_does(data: st.DataObject) -> None:
    history = data.draw(histories(), label="history")
    entries = history.entries()
    units = models(entries)
    query = data.draw(queries(history), label="query")
    start, end = sorted((query.as_of, data.draw(queries(history)).as_of))

    expected = took_in(resolve_all(group_by_subject(entries), query), start, end)

    assert effects(units, query, start, end) == expected


@settings(deadline=None, max_examples=30, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_unit_over_the_grid_limit_is_modelled_exactly_after_its_last_publication(data: st.DataObject) -> None:
    history = data.draw(histories(), label="history")
    entries = history.entries()
    units = models(entries, limit=0)
    query = data.draw(queries(history), label="query")
    open_query = Query(query.as_of, None, query.known_at, query.min_reliability)

    assert all(v.model.floor is not None for found in units.values() for v in found)
    assert answer(units, open_query) == fold(entries, open_query)


@settings(deadline=None, max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_with_sources_dated_on_their_own_the_rows_answer_as_the_fold_does_citing_nothing_after_p(
        data: st.DataObject) -> None:
    history = data.draw(histories(dated=True), label="history")
    entries = history.entries()
    units = models(entries)

    for _ in range(10):
        query = data.draw(queries(history), label="query")
        folded = fold(entries, query)
        assert answer(units, query) == folded, query
        assert_cites_nothing_after(folded, query.published_by)
    start, end = sorted((query.as_of, data.draw(queries(history)).as_of))
    window = took_in(resolve_all(group_by_subject(entries), query), start, end)
    assert effects(units, query, start, end) == window
    assert_cites_nothing_after(window, query.published_by)
