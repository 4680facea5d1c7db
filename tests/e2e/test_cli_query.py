"""`regledger as-of`, `diff` and `history` through the real entry point, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

import pytest

from tests.conftest import EXAMPLE, listed, source

ENTRY_KEYS = {"party", "name", "aliases", "status", "listed_on", "details", "citations"}
MEASURE_KEYS = {"key", "title", "status", "effective_on", "expires_on", "parameters", "citations"}
MEETING_KEYS = {"key", "title", "status", "date"}
POSITION_KEYS = {"actor", "subject", "stance", "reliability", "citations"}
CITATION_KEYS = {"citation", "document_number", "url", "title", "publisher", "reliability", "published_on", "kind",
                 "cfr", "bluebook"}

TGL = {"kind": "measure_adopted", "id": "tgl",
       "measure": {"key": "us-bis-huawei-tgl", "title": "Temporary General License"},
       "effective_on": "2019-05-20", "published_on": "2019-05-22", "expires_on": "2019-08-19",
       "sources": [source("84 FR 23468")]}
MEETING = {"kind": "meeting_scheduled", "meeting": {"key": "cabinet", "title": "Cabinet meeting on Huawei"},
           "effective_on": "2019-05-18", "published_on": "2019-05-18", "date": "2019-06-01",
           "sources": [source("Reuters report", "anonymous")]}
POSITION = {"kind": "position_stated", "actor": "us-dod", "topic": "restrict-huawei", "stance": "opposes",
            "effective_on": "2019-05-18", "published_on": "2019-05-18",
            "sources": [source("DoD statement", "statement")]}
CORRECTION = {"kind": "correction", "corrects": "el-1", "fields": {"details.affiliates": "68"},
              "published_on": "2019-05-22", "sources": [source("84 FR 22961")]}


def _record(run_cli, write_timeline, db: str, *actions: dict) -> None:
    result = run_cli("record", "--db", db, write_timeline(list(actions)).as_posix())
    assert result.code == 0, result


def _json(run_cli, *args: str) -> dict:
    result = run_cli(*args, "--format", "json")
    assert result.code == 0, result
    return json.loads(result.out)


def _huawei(**extra) -> dict:
    return listed("huawei", id="el-1", details={"affiliates": "70"}, **extra)


def test_as_of_json_carries_every_key_of_the_contract(run_cli, write_timeline, db: str) -> None:
    _record(run_cli, write_timeline, db, _huawei(), TGL, MEETING, POSITION)

    answer = _json(run_cli, "as-of", "2019-06-01", "--db", db)

    assert {"as_of", "published_by", "known_at", "min_reliability", "lists", "measures", "meetings",
            "positions"} <= set(answer)
    assert (answer["as_of"], answer["published_by"], answer["known_at"], answer["min_reliability"]) == (
        "2019-06-01", None, None, None)
    [entry] = answer["lists"]["us-bis-entity-list"]
    [measure], [meeting], [position] = answer["measures"], answer["meetings"], answer["positions"]
    assert set(entry) >= ENTRY_KEYS
    assert set(measure) >= MEASURE_KEYS
    assert set(meeting) >= MEETING_KEYS
    assert set(position) >= POSITION_KEYS
    assert set(entry["citations"][0]) == CITATION_KEYS
    assert (entry["party"], entry["status"], entry["listed_on"]) == ("huawei", "in_force", "2019-05-16")
    assert (measure["status"], measure["effective_on"], measure["expires_on"]) == ("in_force", "2019-05-20",
                                                                                   "2019-08-19")
    assert (meeting["status"], meeting["date"], meeting["timing"]) == ("scheduled", "2019-06-01", "upcoming")
    assert (position["stance"], position["reliability"]) == ("opposes", "statement")


def test_as_of_echoes_the_axes_it_was_given(run_cli, write_timeline, db: str) -> None:
    _record(run_cli, write_timeline, db, _huawei())

    answer = _json(run_cli, "as-of", "2019-06-01", "--db", db, "--published-by", "2019-05-31",
                   "--known-at", "2030-01-01T12:00:00+02:00", "--min-reliability", "statement")

    assert (answer["published_by"], answer["known_at"], answer["min_reliability"]) == (
        "2019-05-31", "2030-01-01T10:00:00Z", "statement")


def test_as_of_text_reads_like_a_memo_with_since_date_and_citation(run_cli, write_timeline, db: str) -> None:
    _record(run_cli, write_timeline, db, _huawei(), TGL)

    result = run_cli("as-of", "2019-06-01", "--db", db)

    assert result.code == 0, result
    assert result.out.startswith("MEMORANDUM: the rules as of 2019-06-01")
    assert "Huawei Technologies Co., Ltd. [huawei]: listed since 2019-05-16." in result.out
    assert "84 FR 22961 (official)" in result.out
    assert "In force" in result.out
    assert "valid through 2019-08-19" in result.out


def test_effective_before_publication_is_listed_as_of_but_not_as_published_by(run_cli, write_timeline, db) -> None:
    _record(run_cli, write_timeline, db, _huawei())

    as_of = _json(run_cli, "as-of", "2019-05-17", "--db", db)
    published = _json(run_cli, "as-of", "2019-05-17", "--published-by", "2019-05-17", "--db", db)

    assert as_of["lists"]["us-bis-entity-list"][0]["status"] == "in_force"
    assert published["lists"] == {}
    assert published["notes"] == [
        "nothing recorded had been published by 2019-05-17: the earliest publication is 2019-05-21"]


def test_known_at_before_anything_was_recorded_answers_empty_and_says_why(run_cli, write_timeline, db) -> None:
    _record(run_cli, write_timeline, db, _huawei())

    result = run_cli("as-of", "2019-06-01", "--known-at", "2019-06-01", "--db", db)

    assert result.code == 0, result
    assert "Note: nothing had been recorded by 2019-06-01T23:59:59.999999Z" in result.out
    assert "No entry is in force or pending." in result.out


def test_known_at_replays_what_was_recorded_by_that_moment(run_cli, write_timeline, sqlite_db: str) -> None:
    _record(run_cli, write_timeline, sqlite_db, _huawei())
    _record(run_cli, write_timeline, sqlite_db, CORRECTION)
    first, second = (item["recorded_at"] for item in _json(run_cli, "log", "--db", sqlite_db))
    just_before = (datetime.fromisoformat(second) - timedelta(microseconds=1)).isoformat().replace("+00:00", "Z")

    def affiliates(known_at: str) -> str:
        answer = _json(run_cli, "as-of", "2019-06-01", "--known-at", known_at, "--db", sqlite_db)
        return answer["lists"]["us-bis-entity-list"][0]["details"]["affiliates"]

    assert affiliates(first) == "70"
    assert affiliates(just_before) == "70"
    assert affiliates(second) == "68"


def test_party_is_found_by_alias_and_the_rule_is_named(run_cli, write_timeline, sqlite_db: str) -> None:
    party = {"key": "huawei", "name": "Huawei Technologies Co., Ltd.", "aliases": ["華為"]}
    _record(run_cli, write_timeline, sqlite_db, {**_huawei(), "party": party}, listed("zte", name="ZTE Corporation"))

    answer = _json(run_cli, "as-of", "2019-06-01", "--party", "華為", "--db", sqlite_db)
    text = run_cli("as-of", "2019-06-01", "--party", "華為", "--db", sqlite_db).out

    assert answer["filter"]["matches"] == [{"party": "huawei", "name": "Huawei Technologies Co., Ltd.",
                                            "rule": "alias"}]
    assert [e["party"] for e in answer["lists"]["us-bis-entity-list"]] == ["huawei"]
    assert answer["measures"] == []
    assert 'Party "華為": huawei (Huawei Technologies Co., Ltd.), matched by an alias.' in text


def test_diff_json_gives_what_took_effect_and_before_after(run_cli, write_timeline, db: str) -> None:
    _record(run_cli, write_timeline, db, _huawei(), TGL)

    answer = _json(run_cli, "diff", "2019-05-16", "2019-08-20", "--db", db)

    assert {"from", "to", "published_by", "known_at", "min_reliability", "took_effect", "lists", "measures",
            "meetings", "positions"} <= set(answer)
    assert [(t["kind"], t["effective_on"]) for t in answer["took_effect"]] == [("measure_adopted", "2019-05-20")]
    [change] = answer["measures"]
    assert (change["before"], change["after"]["status"]) == (None, "expired")
    assert set(change["citations"][0]) == CITATION_KEYS
    assert answer["lists"] == {}


def test_diff_text_shows_entries_added_with_their_sources(run_cli, write_timeline, db: str) -> None:
    _record(run_cli, write_timeline, db, _huawei())

    result = run_cli("diff", "2019-05-15", "2019-05-16", "--db", db)

    assert result.code == 0, result
    assert "Added: Huawei Technologies Co., Ltd. [huawei]: now listed since 2019-05-16." in result.out
    assert "Sources: 84 FR 22961 (official)." in result.out


def test_history_gives_three_dates_and_what_each_correction_changed(run_cli, write_timeline, db: str) -> None:
    _record(run_cli, write_timeline, db, _huawei(), CORRECTION)

    answer = _json(run_cli, "history", "huawei", "--db", db)
    text = run_cli("history", "huawei", "--db", db).out

    [item] = answer["items"]
    assert (item["effective_on"], item["published_on"], item["status"]) == ("2019-05-16", "2019-05-21", "corrected")
    assert item["recorded_at"].endswith("Z")
    assert item["amendments"][0]["changes"] == [{"path": "details.affiliates", "before": "70", "after": "68"}]
    assert "details.affiliates: 70 → 68" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["as-of", "2019-02-30"], "regledger: error: D: '2019-02-30' is not a calendar date"),
        (["as-of", "17/05/2019"], "regledger: error: D: '17/05/2019' is not a date in the form YYYY-MM-DD"),
        (["as-of", "2019-05-17", "--published-by", "2019-13-01"], "--published-by: '2019-13-01' is not a calendar"),
        (["as-of", "2019-05-17", "--known-at", "2019-05-17T10:00"], "--known-at: '2019-05-17T10:00' is not an RFC"),
        (["as-of", "2019-05-17", "--known-at", "2019-05-17T25:00:00Z"], "--known-at: '2019-05-17T25:00:00Z' is not a"),
        (["diff", "2019-06-01", "2019-05-01"], "D2 (2019-05-01) is before D1 (2019-06-01)"),
        (["as-of", "2019-05-17", "--list", "us-bis-entity"],
         "--list: no list 'us-bis-entity' in the ledger; did you mean 'us-bis-entity-list'?"),
        (["history", "us-bis-huawei-tg"], "SUBJECT: no subject 'us-bis-huawei-tg' in the ledger; did you mean"),
    ],
)
def test_bad_input_gets_one_clear_message_and_exit_1(run_cli, write_timeline, sqlite_db, args, message) -> None:
    _record(run_cli, write_timeline, sqlite_db, _huawei(), TGL)

    result = run_cli(*args, "--db", sqlite_db)

    assert result.code == 1, result
    assert result.out == ""
    assert "Traceback" not in result.err
    assert len(result.err.strip().splitlines()) == 1, result.err
    assert message in result.err


@pytest.mark.parametrize(
    ("args", "notes"),
    [
        (["as-of", "2019-05-17", "--party", "huawai"],
         ['"huawai": not on any list on 2019-05-17 (no party by that name in the ledger)',
          'did you mean "huawei (Huawei Technologies Co., Ltd.)"? (the closest names in the ledger)']),
        (["diff", "2019-05-01", "2019-06-01", "--party", "zte"],
         ['"zte": not on any list between 2019-05-01 and 2019-06-01 (no party by that name in the ledger)']),
    ],
)
def test_an_unknown_party_is_an_answer_not_an_error(run_cli, write_timeline, sqlite_db, args, notes) -> None:
    """A party text that names no party answers, exit status 0: nothing matches, nothing is shown, and the notes say
    the party is on no list (no party by that name in the ledger), with the closest names when there are any."""
    _record(run_cli, write_timeline, sqlite_db, _huawei(), TGL)

    text = run_cli(*args, "--db", sqlite_db)
    answer = _json(run_cli, *args, "--db", sqlite_db)

    assert text.code == 0, text
    assert "Traceback" not in text.err
    assert text.err == ""
    assert answer["filter"]["matches"] == []
    assert answer["lists"] == {}
    assert answer["measures"] == answer["meetings"] == answer["positions"] == []
    assert answer["notes"] == notes
    for note in notes:
        assert f"Note: {note}." in text.out
    assert f'Party "{args[-1]}": no party by that name in the ledger.' in text.out


def test_unknown_party_suggests_the_closest_names(run_cli, write_timeline, sqlite_db: str) -> None:
    _record(run_cli, write_timeline, sqlite_db, _huawei(), listed("zte", name="ZTE Corporation"))

    result = run_cli("as-of", "2019-05-17", "--party", "huawai", "--db", sqlite_db)
    answer = _json(run_cli, "as-of", "2019-05-17", "--party", "huawai", "--db", sqlite_db)

    assert result.code == 0, result
    suggestion = 'did you mean "huawei (Huawei Technologies Co., Ltd.)"? (the closest names in the ledger)'
    assert answer["notes"][1:] == [suggestion]  # the closest party, by key and name; not ZTE
    assert f"Note: {suggestion}." in result.out


@pytest.mark.parametrize(
    "args",
    [["as-of"], ["diff", "2019-05-01"], ["as-of", "2019-05-17", "--min-reliability", "rumour"],
     ["as-of", "2019-05-17", "--format", "xml"], ["history"], ["as-of", "2019-05-17", "--bogus"]],
)
def test_a_wrong_command_line_exits_2(run_cli, args) -> None:
    result = run_cli(*args)

    assert result.code == 2, result
    assert "Traceback" not in result.err


@pytest.mark.parametrize("command", ["as-of", "diff", "history"])
def test_every_query_command_has_help_naming_its_options(run_cli, command: str) -> None:
    result = run_cli(command, "--help")

    assert result.code == 0
    for option in ("--db", "--published-by", "--known-at", "--min-reliability", "--format"):
        assert option in result.out


# -- the bundled case ----------------------------------------------------------------------------------------------


HUAWEI_MATCH = {"party": "huawei-technologies", "name": "Huawei Technologies Co., Ltd."}
PUBLIC_INSPECTION = ("FR Doc. 2019-10616 (public inspection)", "2019-05-16", "public_inspection")
FEDERAL_REGISTER = ("84 FR 22961", "2019-05-21", "federal_register")


def _one_entry(answer: dict) -> tuple[Any, Any, list[tuple[str, str, str]]]:
    [entry] = answer["lists"]["us-bis-entity-list"]
    assert entry["party"] == "huawei-technologies"
    return entry["status"], entry["listed_on"], [(c["citation"], c["published_on"], c["kind"])
                                                 for c in entry["citations"]]


def test_bundled_case_lists_huawei_as_of_2019_05_17_with_its_citation(run_cli, db: str) -> None:
    """`--party "Huawei Technologies"` (its name, legal form left out) and `--party huawei-technologies` (its key)
    find the one party; bare `huawei` would find every affiliate too."""
    assert run_cli("record", EXAMPLE.as_posix(), "--db", db).code == 0

    result = run_cli("as-of", "2019-05-17", "--party", "Huawei Technologies", "--db", db)
    by_name = _json(run_cli, "as-of", "2019-05-17", "--party", "Huawei Technologies", "--db", db)
    by_key = _json(run_cli, "as-of", "2019-05-17", "--party", "huawei-technologies", "--db", db)

    assert result.code == 0, result
    assert "Huawei Technologies Co., Ltd. [huawei-technologies]" in result.out
    assert "listed since 2019-05-16" in result.out
    assert "84 FR 22961" in result.out
    assert by_name["filter"]["matches"] == [{**HUAWEI_MATCH, "rule": "name"}]
    assert by_key["filter"]["matches"] == [{**HUAWEI_MATCH, "rule": "key"}]
    for answer in (by_name, by_key):
        status, listed_on, cited = _one_entry(answer)
        assert (status, listed_on) == ("in_force", "2019-05-16")
        assert FEDERAL_REGISTER in cited
        assert PUBLIC_INSPECTION in cited


def test_bundled_case_published_by_2019_05_17_lists_huawei_through_public_inspection_only(run_cli, db: str) -> None:
    """The rule took effect on 2019-05-16, the day it was filed for public inspection; the Federal Register printed
    it on 2019-05-21. Published by 2019-05-17, Huawei is listed, citing the public-inspection document and never the
    Federal Register page."""
    assert run_cli("record", EXAMPLE.as_posix(), "--db", db).code == 0

    result = run_cli("as-of", "2019-05-17", "--party", "Huawei Technologies", "--published-by", "2019-05-17",
                     "--db", db)
    official = _json(run_cli, "as-of", "2019-05-17", "--party", "Huawei Technologies", "--published-by", "2019-05-17",
                     "--min-reliability", "official", "--db", db)

    assert result.code == 0, result
    assert "listed since 2019-05-16" in result.out
    assert "FR Doc. 2019-10616 (public inspection)" in result.out
    assert "84 FR 22961" not in result.out  # the Federal Register issue of 2019-05-21 was not yet out
    assert _one_entry(official) == ("in_force", "2019-05-16", [PUBLIC_INSPECTION])
    assert official["notes"] == []


def _without_recorded_at(value):
    if isinstance(value, dict):
        return {k: _without_recorded_at(v) for k, v in value.items() if k != "recorded_at"}
    if isinstance(value, list):
        return [_without_recorded_at(v) for v in value]
    return value


@pytest.mark.postgres
def test_bundled_case_answers_the_same_on_sqlite_and_postgresql(run_cli, sqlite_db: str, postgres_db: str) -> None:
    queries = [["as-of", "2019-05-17"], ["as-of", "2020-02-15", "--published-by", "2020-02-13"],
               ["as-of", "2020-06-01", "--min-reliability", "statement"], ["diff", "2019-05-15", "2020-08-20"],
               ["history", "us-bis-huawei-tgl"], ["history", "huawei"]]
    answers = []
    for db in (sqlite_db, postgres_db):
        assert run_cli("record", EXAMPLE.as_posix(), "--db", db).code == 0
        answers.append([_without_recorded_at(_json(run_cli, *query, "--db", db)) for query in queries])

    assert answers[0] == answers[1]


DATED = listed("huawei", id="el-dated", published=None, sources=[
    source("Reuters, 2019-05-15", "attributed", published_on="2019-05-15", kind="press"),
    source("Public inspection 2019-10616", published_on="2019-05-16", kind="public_inspection"),
    source("84 FR 22961", published_on="2019-05-21", kind="federal_register"),
])


def _cited(run_cli, db: str, *axes: str) -> tuple[Any, list[tuple[str, str, str, str]]]:
    answer = _json(run_cli, "as-of", "2019-05-17", *axes, "--db", db)
    entries = answer["lists"].get("us-bis-entity-list", [])
    if not entries:
        return None, []
    [entry] = entries
    return entry["status"], [(c["citation"], c["published_on"], c["kind"], c["reliability"])
                             for c in entry["citations"]]


def test_as_of_published_by_reads_each_sources_own_date(run_cli, write_timeline, db: str) -> None:
    _record(run_cli, write_timeline, db, {k: v for k, v in DATED.items() if k != "published_on"})
    press = ("Reuters, 2019-05-15", "2019-05-15", "press", "attributed")
    inspection = ("Public inspection 2019-10616", "2019-05-16", "public_inspection", "official")
    register = ("84 FR 22961", "2019-05-21", "federal_register", "official")

    assert _cited(run_cli, db, "--published-by", "2019-05-14") == (None, [])
    assert _cited(run_cli, db, "--published-by", "2019-05-15") == ("in_force", [press])
    assert _cited(run_cli, db, "--published-by", "2019-05-15", "--min-reliability", "official") == (None, [])
    assert _cited(run_cli, db, "--published-by", "2019-05-16", "--min-reliability", "official") == (
        "in_force", [inspection])
    assert _cited(run_cli, db, "--published-by", "2019-05-20") == ("in_force", [press, inspection])
    assert _cited(run_cli, db, "--published-by", "2019-05-21") == ("in_force", [press, inspection, register])
    assert _cited(run_cli, db) == ("in_force", [press, inspection, register])
    text = run_cli("as-of", "2019-05-17", "--published-by", "2019-05-16", "--min-reliability", "official",
                   "--db", db)
    assert "public inspection 2019-05-16" in text.out
    assert "84 FR 22961" not in text.out
    assert run_cli("check-views", "--db", db).code == 0
