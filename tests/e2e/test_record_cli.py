"""`regledger record` and `regledger log` through the real entry point, on SQLite and PostgreSQL."""

from __future__ import annotations

import json

import pytest

from tests.conftest import EXAMPLE, listed, source


def _log(run_cli, db: str) -> list[dict]:
    result = run_cli("log", "--db", db, "--format", "json")
    assert result.code == 0, result
    return json.loads(result.out)


def test_recording_stores_every_action_with_one_recorded_at(run_cli, write_timeline, db: str) -> None:
    path = write_timeline([listed("huawei", id="a1"), listed("hisilicon", name="HiSilicon", id="a2")])

    result = run_cli("record", path.as_posix(), "--db", db)

    assert result.code == 0, result
    assert "recorded 2 action(s)" in result.out
    stored = _log(run_cli, db)
    assert [item["id"] for item in stored] == ["a1", "a2"]
    assert len({item["recorded_at"] for item in stored}) == 1
    assert stored[0]["recorded_at"].endswith("Z")


def test_recording_the_same_file_twice_stores_it_once(run_cli, write_timeline, db: str) -> None:
    path = write_timeline([listed("huawei", id="a1"), listed("hisilicon", name="HiSilicon")])
    run_cli("record", "--db", db, path.as_posix())

    again = run_cli("record", "--db", db, path.as_posix())

    assert again.code == 0, again
    assert "recorded 0 action(s); skipped 2 already recorded" in again.out
    assert len(_log(run_cli, db)) == 2


def test_db_given_before_the_command_name_is_used(run_cli, write_timeline, sqlite_db: str) -> None:
    path = write_timeline([listed("huawei")])

    assert run_cli("--db", sqlite_db, "record", path.as_posix()).code == 0

    assert len(_log(run_cli, sqlite_db)) == 1


def test_regledger_db_environment_variable_chooses_the_store(run_cli, write_timeline, sqlite_db, monkeypatch) -> None:
    monkeypatch.setenv("REGLEDGER_DB", f"sqlite:///{sqlite_db}")
    path = write_timeline([listed("huawei")])

    assert run_cli("record", path.as_posix()).code == 0

    assert len(_log(run_cli, sqlite_db)) == 1


def test_log_json_carries_dates_kind_subject_and_sources(run_cli, write_timeline, db: str) -> None:
    path = write_timeline([listed("huawei", id="a1", details={"license_policy": "Presumption of denial"})])
    run_cli("record", "--db", db, path.as_posix())

    [item] = _log(run_cli, db)

    assert item["kind"] == "entity_listed"
    assert (item["effective_on"], item["published_on"]) == ("2019-05-16", "2019-05-21")
    assert item["list"] == "us-bis-entity-list"
    assert item["party"]["key"] == "huawei"
    assert item["sources"] == [{"citation": "84 FR 22961", "reliability": "official"}]
    assert item["details"] == {"license_policy": "Presumption of denial"}


def test_log_text_shows_the_three_dates_and_the_citation(run_cli, write_timeline, db: str) -> None:
    run_cli("record", "--db", db, write_timeline([listed("huawei")]).as_posix())

    result = run_cli("log", "--db", db)

    assert "effective 2019-05-16" in result.out
    assert "published 2019-05-21" in result.out
    assert "us-bis-entity-list/huawei" in result.out
    assert "84 FR 22961; official" in result.out


def test_a_country_code_no_stays_norway(run_cli, write_timeline, sqlite_db: str) -> None:
    text = """
- kind: entity_listed
  list: us-bis-entity-list
  party: {key: telenor, name: Telenor, country: NO}
  effective_on: 2019-05-16
  published_on: 2019-05-21
  sources: [{citation: 84 FR 22961, reliability: official}]
"""
    run_cli("record", "--db", sqlite_db, write_timeline(None, text=text).as_posix())

    [item] = _log(run_cli, sqlite_db)

    assert item["party"]["country"] == "NO"


def test_a_mapping_with_actions_is_accepted_and_json_files_too(run_cli, write_timeline, sqlite_db: str) -> None:
    as_mapping = write_timeline({"actions": [listed("huawei")]})
    as_json = write_timeline([listed("hisilicon", name="HiSilicon")], suffix=".json")

    result = run_cli("record", "--db", sqlite_db, as_mapping.as_posix(), as_json.as_posix())

    assert result.code == 0, result
    assert len(_log(run_cli, sqlite_db)) == 2


def test_two_runs_get_distinct_recorded_at_in_recording_order(run_cli, write_timeline, sqlite_db: str) -> None:
    run_cli("record", "--db", sqlite_db, write_timeline([listed("huawei")]).as_posix())
    run_cli("record", "--db", sqlite_db, write_timeline([listed("hisilicon", name="HiSilicon")]).as_posix())

    first, second = _log(run_cli, sqlite_db)

    assert first["recorded_at"] < second["recorded_at"]
    assert first["position"] < second["position"]


@pytest.mark.parametrize("command", ["record", "log"])
def test_every_command_has_help(run_cli, command: str) -> None:
    result = run_cli(command, "--help")

    assert result.code == 0
    assert "--db" in result.out


def test_correction_is_logged_as_an_action(run_cli, write_timeline, db: str) -> None:
    correction = {"kind": "correction", "id": "c1", "corrects": "a1", "fields": {"party.name": "Huawei Tech"},
                  "published_on": "2019-06-01", "sources": [source("84 FR 99999")]}
    run_cli("record", "--db", db, write_timeline([listed("huawei", id="a1"), correction]).as_posix())

    stored = _log(run_cli, db)

    assert [item["kind"] for item in stored] == ["entity_listed", "correction"]
    assert stored[1]["corrects"] == "a1"
    assert stored[1]["effective_on"] is None


def test_the_bundled_case_records_once_and_logs_with_citations(run_cli, db: str) -> None:
    first = run_cli("record", "--db", db, str(EXAMPLE))
    second = run_cli("record", "--db", db, str(EXAMPLE))

    log = run_cli("log", "--db", db)

    assert first.code == 0, first
    assert "skipped 0 already recorded" in first.out
    assert "recorded 0 action(s)" in second.out
    assert "us-bis-entity-list/huawei-technologies" in log.out
    assert "[84 FR 22961; official]" in log.out
    assert "[84 FR 43487; official]" in log.out
    assert len(_log(run_cli, db)) == len(log.out.strip().splitlines())
