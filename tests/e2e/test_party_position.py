"""A party's whole position and finding parties, through the real entry point on SQLite and PostgreSQL: `as-of
--party` shows the measures that apply to a party or to the party it is an affiliate of; `--party` finds a party
by key, name or alias after folding (case, punctuation, legal forms, Traditional/Simplified Chinese); a name that
matches no party is an answer (exit 0), not an error; a cycle of affiliation is refused when recorded."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.conftest import EXAMPLE, source

HUAWEI = {"key": "huawei-technologies", "name": "Huawei Technologies Co., Ltd.",
          "aliases": ["华为", "華為技術有限公司"]}
HISILICON = {"key": "hisilicon", "name": "HiSilicon Technologies Co., Ltd.", "affiliate_of": "huawei-technologies"}
CLOUD = {"key": "huawei-cloud", "name": "Huawei Cloud Computing Technologies Co., Ltd.",
         "affiliate_of": "huawei-technologies"}
TGL = "us-bis-huawei-tgl"


def _listed(party: dict[str, Any], effective: str = "2019-05-16", published: str = "2019-05-21",
            **extra: Any) -> dict[str, Any]:
    return {"kind": "entity_listed", "list": "us-bis-entity-list", "party": party, "effective_on": effective,
            "published_on": published, "sources": [source()], **extra}


TIMELINE = [
    _listed(HUAWEI, id="el-huawei"),
    _listed(HISILICON, id="el-hisilicon"),
    _listed(CLOUD, "2020-08-17", "2020-08-20", id="el-cloud"),
    {"kind": "measure_adopted", "id": "tgl", "measure": {"key": TGL, "title": "Temporary General License"},
     "applies_to": ["huawei-technologies"], "include_affiliates": True, "effective_on": "2019-05-20",
     "published_on": "2019-05-22", "expires_on": "2019-08-19", "sources": [source("84 FR 23468")]},
    {"kind": "measure_amended", "measure": {"key": TGL}, "effective_on": "2019-08-19", "published_on": "2019-08-21",
     "expires_on": "2019-11-18", "sources": [source("84 FR 43487")]},
    {"kind": "measure_adopted", "measure": {"key": "us-eo-13873", "title": "Executive Order 13873"},
     "effective_on": "2019-05-15", "published_on": "2019-05-17", "sources": [source("84 FR 22689")]},
    {"kind": "position_stated", "actor": "us-dod", "measure": {"key": TGL}, "stance": "opposes",
     "effective_on": "2019-08-01", "published_on": "2019-08-01", "sources": [source("DoD statement", "statement")]},
]


@pytest.fixture
def ledger(run_cli, write_timeline, db: str) -> str:
    """The small timeline above, recorded on each store."""
    result = run_cli("record", "--db", db, write_timeline(TIMELINE).as_posix())
    assert result.code == 0, result
    return db


def _json(run_cli, *args: str) -> dict[str, Any]:
    result = run_cli(*args, "--format", "json")
    assert result.code == 0, result
    return json.loads(result.out)


def test_as_of_a_party_shows_the_tgl_in_force_for_it(run_cli, ledger: str) -> None:
    answer = _json(run_cli, "as-of", "2019-08-20", "--party", "huawei", "--db", ledger)

    assert {m["party"] for m in answer["filter"]["matches"]} == {"huawei-technologies", "huawei-cloud"}
    assert [e["party"] for e in answer["lists"]["us-bis-entity-list"]] == ["huawei-technologies"]
    assert [(m["key"], m["status"]) for m in answer["measures"]] == [(TGL, "in_force")]
    assert [p["subject"] for p in answer["positions"]] == [f"measure:{TGL}"]
    assert answer["meetings"] == []


def test_an_affiliate_has_the_measures_that_include_affiliates(run_cli, ledger: str) -> None:
    answer = _json(run_cli, "as-of", "2019-08-20", "--party", "hisilicon", "--db", ledger)

    [entry] = answer["lists"]["us-bis-entity-list"]
    assert entry["affiliate_of"] == "huawei-technologies"
    assert [m["key"] for m in answer["measures"]] == [TGL]


@pytest.mark.parametrize(
    ("text", "party", "rule"),
    [("hisilicon", "hisilicon", "key"),
     ("Huawei Cloud Computing", "huawei-cloud", "substring"),
     ("華為技術", "huawei-technologies", "alias"),
     ("huawei technologies co ltd", "huawei-technologies", "name")],
)
def test_party_is_found_by_what_people_type(run_cli, ledger: str, text: str, party: str, rule: str) -> None:
    answer = _json(run_cli, "as-of", "2020-09-01", "--party", text, "--db", ledger)
    memo = run_cli("as-of", "2020-09-01", "--party", text, "--db", ledger)

    assert [(m["party"], m["rule"]) for m in answer["filter"]["matches"]] == [(party, rule)]
    assert [e["party"] for e in answer["lists"]["us-bis-entity-list"]] == [party]
    assert memo.code == 0
    assert f'Party "{text}": {party} (' in memo.out


def test_an_unknown_name_is_an_empty_answer_with_close_names(run_cli, ledger: str) -> None:
    answer = _json(run_cli, "as-of", "2019-08-20", "--party", "huawai", "--db", ledger)
    memo = run_cli("as-of", "2019-08-20", "--party", "huawai", "--db", ledger)

    assert answer["filter"] == {"list": None, "party": "huawai", "matches": []}
    assert (answer["lists"], answer["measures"], answer["positions"]) == ({}, [], [])
    assert answer["notes"][0] == '"huawai": not on any list on 2019-08-20 (no party by that name in the ledger)'
    assert answer["notes"][1].startswith("did you mean ")
    assert '"huawei-technologies (Huawei Technologies Co., Ltd.)"' in answer["notes"][1]
    assert (memo.code, memo.err) == (0, "")
    assert 'Party "huawai": no party by that name in the ledger.' in memo.out
    assert "did you mean" in memo.out


def test_an_unknown_name_in_a_diff_is_an_empty_answer(run_cli, ledger: str) -> None:
    answer = _json(run_cli, "diff", "2019-05-01", "2019-08-20", "--party", "nokia", "--db", ledger)

    assert answer["filter"]["matches"] == []
    assert answer["took_effect"] == []
    assert answer["notes"][0] == ('"nokia": not on any list between 2019-05-01 and 2019-08-20 (no party by that '
                                  "name in the ledger)")


def test_an_unknown_list_and_an_unknown_history_subject_stay_errors(run_cli, ledger: str) -> None:
    listing = run_cli("as-of", "2019-08-20", "--list", "no-such-list", "--party", "huawai", "--db", ledger)
    subject = run_cli("history", "huawai", "--db", ledger)

    assert listing.code == 1
    assert "--list: no list 'no-such-list'" in listing.err
    assert subject.code == 1
    assert "SUBJECT: no subject 'huawai' in the ledger" in subject.err


def test_the_dossier_of_an_affiliate_lists_the_measures_that_apply_to_it(run_cli, ledger: str) -> None:
    data = _json(run_cli, "report", "party", "hisilicon", "--as-of", "2019-08-20", "--db", ledger)

    assert data["party"]["affiliate_of"] == ["huawei-technologies"]
    [measure] = data["measures"]
    assert (measure["key"], measure["status"]) == (TGL, "in_force")
    assert measure["reasons"] == [{"rule": "affiliate_of", "action": "tgl", "where": "applies_to",
                                   "what": "huawei-technologies"}]


def test_the_dossier_of_an_unknown_name_says_it_is_on_no_list(run_cli, ledger: str) -> None:
    data = _json(run_cli, "report", "party", "huawai", "--as-of", "2019-08-20", "--db", ledger)
    markdown = run_cli("report", "party", "huawai", "--as-of", "2019-08-20", "--format", "markdown",
                       "--db", ledger)
    html = run_cli("report", "party", "huawai", "--as-of", "2019-08-20", "--db", ledger)

    assert (data["party"]["found"], data["party"]["key"], data["listings"], data["measures"]) == (False, None, [], [])
    assert "huawei-technologies (Huawei Technologies Co., Ltd.)" in data["party"]["suggestions"]
    assert data["notes"][0] == '"huawai": not on any list on 2019-08-20 (no party by that name in the ledger)'
    assert markdown.code == html.code == 0
    assert "No party by that name" in markdown.out
    assert "no party by that name in the ledger" in html.out


def test_a_cycle_of_affiliation_is_refused_naming_the_field_and_the_cycle(run_cli, write_timeline,
                                                                           ledger: str) -> None:
    cycle = {"kind": "entry_amended", "list": "us-bis-entity-list",
             "party": {"key": "huawei-technologies", "affiliate_of": "hisilicon"}, "effective_on": "2019-09-01",
             "published_on": "2019-09-01", "sources": [source()]}

    result = run_cli("record", "--db", ledger, write_timeline([cycle]).as_posix())

    assert result.code == 1
    assert "party.affiliate_of" in result.err
    assert "(huawei-technologies → hisilicon → huawei-technologies)" in result.err


# -- the bundled case ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "party"),
    [("huawei technologies co ltd", "huawei-technologies"), ("華為技術", "huawei-technologies"),
     ("hisilicon", "shanghai-hisilicon-technologies")],
)
def test_bundled_case_finds_huawei_and_hisilicon(run_cli, db: str, text: str, party: str) -> None:
    assert run_cli("record", EXAMPLE.as_posix(), "--db", db).code == 0

    answer = _json(run_cli, "as-of", "2020-09-01", "--party", text, "--db", db)

    assert party in {m["party"] for m in answer["filter"]["matches"]}


def test_bundled_case_shows_the_tgl_for_huawei_as_of_2019_08_20(run_cli, db: str) -> None:
    assert run_cli("record", EXAMPLE.as_posix(), "--db", db).code == 0

    answer = _json(run_cli, "as-of", "2019-08-20", "--party", "huawei", "--db", db)

    assert TGL in {m["key"] for m in answer["measures"] if m["status"] == "in_force"}


def test_an_unknown_hostile_name_is_answered_escaped(run_cli, ledger: str) -> None:
    hostile = "\x1b]0;pwned\x07\x1b[2J\nforged"

    memo = run_cli("as-of", "2019-08-20", "--party", hostile, "--db", ledger)
    answer = _json(run_cli, "as-of", "2019-08-20", "--party", hostile, "--db", ledger)

    assert memo.code == 0
    assert "\x1b" not in memo.out
    assert "\nforged" not in memo.out
    assert answer["filter"]["party"] == hostile
    assert answer["notes"][0].startswith(f'"{hostile}": not on any list')
