"""The reference fold at the calendar's ends: actions effective, published, expiring or held on 0001-01-01 and
9999-12-31, asked about on those days and at the first and last moments, never step off the calendar (no
`date + timedelta` overflows in the state, diff, history, explanations or read-model rows)."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime
from typing import Any

import pytest

from regledger.domain import action_adapter
from regledger.domain.history import Entry
from regledger.projections import Query, diff, group_by_subject, history, resolve_all, state_at, unit_model
from regledger.projections.explain import why_empty

FIRST, LAST = "0001-01-01", "9999-12-31"
SOURCES = [{"citation": "84 FR 22961", "reliability": "official"}]
MOMENTS = [None, datetime.min.replace(tzinfo=UTC), datetime.max.replace(tzinfo=UTC)]
DAYS = [date.min, date(2020, 1, 1), date.max]


def _actions(effective: str, published: str) -> list[dict[str, Any]]:
    tag = f"{effective[:4]}-{published[:4]}"  # p0001-9999: effective on the first day, published on the last
    dated = {"effective_on": effective, "published_on": published, "sources": SOURCES}
    return [
        {"kind": "entity_listed", "list": "el", "party": {"key": f"p{tag}", "name": "P"}, **dated},
        {"kind": "measure_adopted", "measure": {"key": f"m{tag}", "title": "M"}, "expires_on": LAST,
         "parameters": {"wind_down_ends_on": LAST}, **dated},
        {"kind": "measure_proposed", "measure": {"key": f"q{tag}", "title": "Q"}, "comments_close_on": LAST,
         "expires_on": LAST, **dated},
        {"kind": "meeting_scheduled", "meeting": {"key": f"s{tag}", "title": "S"}, "date": LAST, **dated},
        {"kind": "meeting_held", "meeting": {"key": f"h{tag}", "title": "H"}, "date": FIRST, **dated},
        {"kind": "position_stated", "actor": "a", "topic": f"t{tag}", "stance": "supports", **dated},
    ]


def _entries() -> list[Entry]:
    actions = [a for effective, published in [(FIRST, FIRST), (FIRST, LAST), (LAST, LAST)]
               for a in _actions(effective, published)]
    actions += [{"kind": "entity_delisted", "list": "el", "party": {"key": "p0001-0001"}, "effective_on": LAST,
                 "published_on": LAST, "sources": SOURCES},
                {"kind": "measure_expired", "measure": {"key": "m0001-0001"}, "effective_on": LAST,
                 "published_on": LAST, "sources": SOURCES}]
    moments = itertools.cycle([datetime.min.replace(tzinfo=UTC), datetime(2020, 1, 1, tzinfo=UTC),
                               datetime.max.replace(tzinfo=UTC)])
    return [Entry(n, next(moments), action_adapter.validate_python(a)) for n, a in enumerate(actions, start=1)]


ENTRIES = _entries()


@pytest.mark.parametrize("known_at", MOMENTS, ids=["always", "first-moment", "last-moment"])
@pytest.mark.parametrize("published_by", [None, *DAYS], ids=["unbounded", "first-day", "2020", "last-day"])
def test_every_answer_at_the_calendars_ends_is_computed(published_by: date | None, known_at: datetime | None) -> None:
    for day in DAYS:
        query = Query(day, published_by, known_at, None)
        state_at(resolve_all(group_by_subject(ENTRIES), query), query)
        why_empty(ENTRIES, query)
        history(ENTRIES, list(group_by_subject(ENTRIES)), query)
        for start, end in [(date.min, date.max), (date.min, date.min), (date.max, date.max)]:
            diff(ENTRIES, query, start, end)


def test_the_read_models_rows_are_computed_for_subjects_at_the_ends() -> None:
    for entries in group_by_subject(ENTRIES).values():
        unit_model(entries)


def test_what_is_in_force_on_the_last_day_is_there() -> None:
    query = Query(date.max, None, None, None)

    state = state_at(resolve_all(group_by_subject(ENTRIES), query), query)

    assert {entry.party for entry in state.lists["el"]} == {"p0001-9999", "p9999-9999"}  # p0001-0001: delisted
