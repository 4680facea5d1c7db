"""`diff` and the changes report by legal effect, on SQLite and PostgreSQL: an entry is added, removed or amended by
whether it is in force on each end of the window (never by a filter or a tier), and every status transition inside
the window is listed in date order with its citations; the read models answer as the reference fold does."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from regledger.adapters import Located, open_ledger
from regledger.adapters.readmodels.lifecycle import views_of
from regledger.adapters.readmodels.source import FoldSource, ModelSource, open_source, stored_entries
from regledger.adapters.wiring import SET_UP_LOCK
from regledger.domain import action_adapter
from regledger.domain.values import Reliability
from regledger.projections import Query
from tests.conftest import EXAMPLE, source

LIST, PARTY, TGL = "us-bis-entity-list", "huawei-technologies", "us-bis-huawei-tgl"
NAMED = {"key": PARTY, "name": "Huawei Technologies Co., Ltd."}
PRESS_LISTING = {  # a press report of the listing, read as a listing from the day it was said to bind
    "kind": "entity_listed", "id": "reuters", "list": LIST, "party": NAMED, "effective_on": "2019-05-16",
    "published_on": "2019-05-15", "sources": [source("Reuters, 2019-05-15", "attributed", kind="press")]}
PRESS_ANNOUNCEMENT = {  # the same report as what it is: an announcement, with no effective date
    "kind": "listing_announced", "id": "reuters", "list": LIST, "party": NAMED, "published_on": "2019-05-15",
    "sources": [source("Reuters, 2019-05-15", "attributed", kind="press")]}
RULE = {"kind": "entity_listed", "id": "el", "list": LIST, "party": NAMED, "effective_on": "2019-05-16",
        "published_on": "2019-05-21", "details": {"license_policy": "Presumption of denial"},
        "sources": [source("84 FR 22961", kind="federal_register")]}
LICENCE = [
    {"kind": "measure_adopted", "id": "tgl", "measure": {"key": TGL, "title": "Temporary General License"},
     "effective_on": "2019-05-20", "published_on": "2019-05-22", "expires_on": "2019-08-19",
     "sources": [source("84 FR 23468")]},
    {"kind": "measure_amended", "id": "tgl-last", "measure": {"key": TGL}, "effective_on": "2020-05-15",
     "published_on": "2020-05-19", "expires_on": "2020-08-13", "sources": [source("85 FR 29610")]},
    {"kind": "measure_revoked", "id": "tgl-end", "measure": {"key": TGL}, "effective_on": "2020-08-17",
     "published_on": "2020-08-20", "sources": [source("85 FR 51596")]},
]
REPORTS = {"press listing": PRESS_LISTING, "press announcement": PRESS_ANNOUNCEMENT}


def _record(run_cli, write_timeline, db: str, *actions: dict[str, Any]) -> None:
    result = run_cli("record", "--db", db, write_timeline(list(actions)).as_posix())
    assert result.code == 0, result


def _json(run_cli, *args: str) -> Any:
    result = run_cli(*args, "--format", "json")
    assert result.code == 0, result
    return json.loads(result.out)


def _groups(answer: dict[str, Any]) -> dict[str, list[str]]:
    return {name: [c["key"] for c in changes] for name, changes in answer["lists"].get(LIST, {}).items() if changes}


def _moves(answer: dict[str, Any]) -> list[tuple[str, str, str, str | None, str | None]]:
    return [(t["date"], t["kind"], t["subject"], t["from"], t["to"]) for t in answer["transitions"]]


@pytest.mark.parametrize("report", list(REPORTS))
def test_the_listing_is_added_in_the_window_with_and_without_a_minimum_tier(run_cli, write_timeline, db: str,
                                                                               report: str) -> None:
    _record(run_cli, write_timeline, db, REPORTS[report], RULE)

    every_tier = _json(run_cli, "diff", "2019-05-15", "2019-05-21", "--db", db)
    official = _json(run_cli, "diff", "2019-05-15", "2019-05-21", "--min-reliability", "official", "--db", db)

    assert _groups(every_tier) == _groups(official) == {"added": [PARTY]}
    assert set(every_tier["lists"][LIST]) == {"added", "amended", "removed", "pending", "announced"}
    assert _moves(official) == [("2019-05-16", "entry", f"{LIST}/{PARTY}", None, "in_force")]
    [(_, _, _, before, after)] = _moves(every_tier)
    assert (before, after) == ("pending" if report == "press listing" else "announced", "in_force")


def test_the_text_memo_says_added_and_shows_the_transition(run_cli, write_timeline, db: str) -> None:
    _record(run_cli, write_timeline, db, PRESS_LISTING, RULE)

    result = run_cli("diff", "2019-05-15", "2019-05-21", "--db", db)

    assert result.code == 0, result
    assert ("Added: Huawei Technologies Co., Ltd. [huawei-technologies]: now listed since 2019-05-16 (at the "
            "window's start: listing pending, effective 2019-05-16).") in result.out
    assert "Amended" not in result.out
    assert f"- 2019-05-16  entry  {LIST}/{PARTY}: pending → in force" in result.out


def test_a_lapse_between_the_ends_of_the_window_is_listed_day_by_day(run_cli, write_timeline, db: str) -> None:
    _record(run_cli, write_timeline, db, *LICENCE)

    answer = _json(run_cli, "diff", "2020-08-13", "2020-08-17", "--db", db)
    text = run_cli("diff", "2020-08-13", "2020-08-17", "--db", db).out

    assert _moves(answer) == [("2020-08-14", "measure", TGL, "in_force", "expired"),
                              ("2020-08-17", "measure", TGL, "expired", "revoked")]
    assert [c["citation"] for c in answer["transitions"][1]["citations"]] == ["85 FR 51596"]
    assert [c["citation"] for c in answer["transitions"][0]["citations"]] == ["84 FR 23468", "85 FR 29610"]
    assert text.index(f"- 2020-08-14  measure  {TGL}: in force → expired") < text.index(
        f"- 2020-08-17  measure  {TGL}: expired → revoked")


def test_a_party_selection_keeps_only_its_entrys_transitions(run_cli, write_timeline, db: str) -> None:
    _record(run_cli, write_timeline, db, PRESS_LISTING, RULE, *LICENCE)

    answer = _json(run_cli, "diff", "2019-05-14", "2020-08-31", "--party", PARTY, "--db", db)

    assert _moves(answer) == [("2019-05-15", "entry", f"{LIST}/{PARTY}", None, "pending"),
                              ("2019-05-16", "entry", f"{LIST}/{PARTY}", "pending", "in_force")]
    assert answer["measures"] == []


def test_the_changes_report_counts_entries_by_legal_effect_and_lists_the_transitions(
        run_cli, write_timeline, db: str) -> None:
    _record(run_cli, write_timeline, db, PRESS_LISTING, RULE, *LICENCE)
    window = ("report", "changes", "--from", "2019-05-15", "--to", "2020-08-31", "--db", db)

    data = _json(run_cli, *window)
    markdown = run_cli(*window, "--format", "markdown").out

    net = {row["what"].split(" (")[0]: row["count"] for row in data["summary"]["net"]}
    assert (net["list entries added"], net["list entries amended"]) == (1, 0)
    assert data["lists"][0]["subjects"][0]["over_window"]["change"] == "added"
    assert [(t["date"], t["subject"], t["from"], t["to"]) for t in data["transitions"]] == [
        ("2019-05-16", f"{LIST}/{PARTY}", "pending", "in_force"), ("2019-05-20", TGL, None, "in_force"),
        ("2019-08-20", TGL, "in_force", "expired"), ("2020-05-15", TGL, "expired", "in_force"),  # a gap
        ("2020-08-14", TGL, "in_force", "expired"), ("2020-08-17", TGL, "expired", "revoked")]
    assert data["summary"]["transitions"] == 6
    assert "## Status transitions in the window, day by day" in markdown
    assert f"**2020-08-14** measure Temporary General License \\[{TGL}\\]: in force → **expired**" in markdown


# -- the read models answer as the fold does -------------------------------------------------------------------------


@pytest.fixture
def ledger(db: str) -> Iterator[Any]:
    with open_ledger(db) as opened:
        yield opened


def _sources(ledger: Any, *runs: list[dict[str, Any]]) -> tuple[ModelSource, FoldSource]:
    for number, run in enumerate(runs):
        ledger.record([Located(f"run {number}: action {i}", action_adapter.validate_python(a))
                       for i, a in enumerate(run)])
    model, fold = open_source(ledger, views_of(ledger, SET_UP_LOCK)), FoldSource(stored_entries(ledger))
    assert isinstance(model, ModelSource)
    return model, fold


@pytest.mark.parametrize("report", list(REPORTS))
def test_the_read_models_give_the_folds_groups_and_transitions(ledger: Any, report: str) -> None:
    model, fold = _sources(ledger, [REPORTS[report], *LICENCE[:2]], [RULE, LICENCE[2]])
    days = [date.fromisoformat(d) for d in ("2019-05-14", "2019-05-15", "2019-05-16", "2019-05-21", "2020-08-13",
                                            "2020-08-14", "2020-08-17", "2020-08-31")]
    published = [None, date(2019, 5, 15), date(2019, 5, 20), date(2020, 8, 19)]
    tiers = [None, Reliability.ATTRIBUTED, Reliability.OFFICIAL]

    for (start, end), p, tier in itertools.product(itertools.combinations(days, 2), published, tiers):
        query = Query(end, p, None, tier)
        for selection in ((None, None), (LIST, {PARTY})):
            assert model.diff(query, (start, end), selection) == fold.diff(query, (start, end), selection), (
                start, end, p, tier, selection)
    answer = model.diff(Query(date(2020, 8, 17)), (date(2020, 8, 13), date(2020, 8, 17)), (None, None))
    assert [(t.on.isoformat(), t.after) for t in answer.transitions] == [("2020-08-14", "expired"),
                                                                         ("2020-08-17", "revoked")]


# -- the bundled case ------------------------------------------------------------------------------------------------


def test_the_bundled_case_adds_huawei_and_shows_the_tgls_lapse(run_cli, db: str) -> None:
    assert run_cli("record", EXAMPLE.as_posix(), "--db", db).code == 0

    every_tier = _json(run_cli, "diff", "2019-05-15", "2019-05-21", "--db", db)
    official = _json(run_cli, "diff", "2019-05-15", "2019-05-21", "--min-reliability", "official", "--db", db)
    lapse = _json(run_cli, "diff", "2020-08-13", "2020-08-17", "--db", db)

    assert PARTY in _groups(every_tier)["added"]
    assert PARTY in _groups(official)["added"]
    assert [(d, s, f, t) for d, _, s, f, t in _moves(lapse) if s == TGL] == [
        ("2020-08-14", TGL, "in_force", "expired"), ("2020-08-17", TGL, "expired", "revoked")]
