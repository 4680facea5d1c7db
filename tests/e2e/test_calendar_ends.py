"""The calendar's ends: a moment that falls outside it in UTC is refused in one line naming its option, and dates
on its first and last day are recorded, answered and compared on either store without overflowing."""

from __future__ import annotations

import json

import pytest

from tests.conftest import source
from tests.e2e.refusal_kit import refused

FIRST, LAST = "0001-01-01", "9999-12-31"
OUTSIDE = ("0001-01-01T00:00:00+01:00", "9999-12-31T23:00:00-05:00")


@pytest.mark.parametrize("moment", OUTSIDE, ids=["before-the-first-day", "after-the-last-day"])
@pytest.mark.parametrize("query", [("as-of", "2019-06-01"), ("diff", "2019-01-01", "2019-06-01"),
                                   ("history", "huawei"), ("report", "snapshot", "2019-06-01")],
                         ids=["as-of", "diff", "history", "report-snapshot"])
def test_a_known_at_outside_the_calendar_is_refused_naming_the_option(run_cli, sqlite_db, query, moment) -> None:
    message = refused(run_cli(*query, "--known-at", moment, "--db", sqlite_db))

    assert message == (f"--known-at: {moment!r} falls outside the calendar in UTC (0001-01-01T00:00:00Z to "
                       "9999-12-31T23:59:59.999999Z)")


@pytest.mark.parametrize("command", [("report", "replay"), ("export", "bundle.db")], ids=["replay", "export"])
@pytest.mark.parametrize("moment", OUTSIDE, ids=["before-the-first-day", "after-the-last-day"])
def test_an_until_outside_the_calendar_is_refused_in_one_line(run_cli, sqlite_db, tmp_path, command, moment) -> None:
    args = [part.replace("bundle.db", str(tmp_path / "bundle.db")) for part in command]

    message = refused(run_cli(*args, "--until", moment, "--db", sqlite_db))

    assert f"{moment!r} falls outside the calendar in UTC" in message
    assert not (tmp_path / "bundle.db").exists()


def _listed(party: str, effective: str, published: str, **extra) -> dict:
    return {"kind": "entity_listed", "list": "el", "party": {"key": party, "name": party.title()},
            "effective_on": effective, "published_on": published, "sources": [source()], **extra}


ENDS = [
    _listed("early", FIRST, FIRST, id="early"),
    _listed("late", LAST, LAST),
    {"kind": "entity_delisted", "list": "el", "party": {"key": "early"}, "effective_on": LAST, "published_on": LAST,
     "sources": [source()]},
    {"kind": "measure_adopted", "measure": {"key": "always", "title": "Always"}, "effective_on": FIRST,
     "expires_on": LAST, "published_on": FIRST, "parameters": {"wind_down_ends_on": LAST}, "sources": [source()]},
    {"kind": "measure_proposed", "measure": {"key": "open", "title": "Open"}, "effective_on": FIRST,
     "published_on": FIRST, "comments_close_on": LAST, "sources": [source()]},
    {"kind": "meeting_scheduled", "meeting": {"key": "someday", "title": "Someday"}, "date": LAST,
     "effective_on": FIRST, "published_on": FIRST, "sources": [source()]},
    {"kind": "correction", "corrects": "early", "fields": {"party.name": "Early Co"}, "published_on": LAST,
     "sources": [source()]},
]


def _json(run_cli, *args: str) -> dict:
    result = run_cli(*args, "--format", "json")
    assert result.code == 0, result
    return json.loads(result.out)


def test_dates_on_the_calendars_first_and_last_day_are_answered_on_either_store(run_cli, write_timeline, db) -> None:
    assert run_cli("record", "--db", db, str(write_timeline(ENDS))).code == 0

    first = _json(run_cli, "as-of", FIRST, "--db", db)
    last = _json(run_cli, "as-of", LAST, "--published-by", LAST, "--known-at", LAST, "--db", db)
    window = _json(run_cli, "diff", FIRST, LAST, "--db", db)

    assert [entry["party"] for entry in first["lists"]["el"]] == ["early"]
    assert [(entry["party"], entry["status"]) for entry in last["lists"]["el"]] == [("late", "in_force")]
    assert "always" in json.dumps(last["measures"])
    assert window["lists"]
    for subject in ("early", "late", "always", "someday"):
        assert _json(run_cli, "history", subject, "--db", db)["subjects"], subject
    assert run_cli("check-views", "--db", db).code == 0
