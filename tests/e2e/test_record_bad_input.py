"""Bad input to `regledger record`: one clear message naming the place and the problem, exit 1, nothing stored."""

from __future__ import annotations

import json

import pytest

from tests.conftest import listed, source

GOOD = listed("hisilicon", name="HiSilicon", id="good-1")


def _stored(run_cli, db: str) -> list[dict]:
    result = run_cli("log", "--db", db, "--format", "json")
    assert result.code == 0, result
    return json.loads(result.out)


def _refused(run_cli, db: str, *paths) -> str:
    result = run_cli("record", "--db", db, *(p.as_posix() for p in paths))
    assert result.code == 1, result
    assert result.out == ""
    assert "Traceback" not in result.err
    assert len(result.err.strip().splitlines()) == 1, result.err
    return result.err.strip()


def test_invalid_yaml_is_refused_naming_the_file(run_cli, write_timeline, db) -> None:
    path = write_timeline(None, text="- kind: entity_listed\n  party: {key: [unclosed\n")

    message = _refused(run_cli, db, path)

    assert f"{path}: not valid YAML" in message
    assert _stored(run_cli, db) == []


def test_invalid_json_is_refused_naming_the_file(run_cli, write_timeline, db) -> None:
    path = write_timeline(None, suffix=".json", text='[{"kind": "entity_listed",')

    message = _refused(run_cli, db, path)

    assert f"{path}: not valid JSON" in message


def test_unknown_kind_names_the_action_and_the_kinds(run_cli, write_timeline, db) -> None:
    path = write_timeline([GOOD, {**listed("huawei", id="x1"), "kind": "entity_blacklisted"}])

    message = _refused(run_cli, db, path)

    assert message.startswith(f"regledger: error: {path}: action 2 [id=x1]: kind: unknown kind 'entity_blacklisted'")
    assert "entity_listed" in message
    assert _stored(run_cli, db) == []


@pytest.mark.parametrize(
    ("value", "problem"),
    [("2019-02-30", "'2019-02-30' is not a calendar date"), ("16/05/2019", "not a date in the form YYYY-MM-DD")],
)
def test_malformed_date_names_the_field(run_cli, write_timeline, db, value, problem) -> None:
    path = write_timeline([GOOD, listed("huawei", effective=value)])

    message = _refused(run_cli, db, path)

    assert f"{path}: action 2: effective_on: " in message
    assert problem in message
    assert _stored(run_cli, db) == []


def test_missing_date_names_the_field(run_cli, write_timeline, db) -> None:
    action = listed("huawei", id="x2")
    del action["published_on"]

    message = _refused(run_cli, db, write_timeline([action]))

    assert "action 1 [id=x2]: published_on: missing (required)" in message


def test_unknown_reliability_tier_names_the_source(run_cli, write_timeline, db) -> None:
    action = listed("huawei", sources=[source(), source("Reuters", reliability="rumour")])

    message = _refused(run_cli, db, write_timeline([GOOD, action]))

    assert "action 2: sources[2].reliability: " in message
    assert "'official', 'statement', 'attributed' or 'anonymous'" in message
    assert _stored(run_cli, db) == []


def test_unknown_field_is_an_error(run_cli, write_timeline, db) -> None:
    message = _refused(run_cli, db, write_timeline([listed("huawei", efective_on="2019-05-16")]))

    assert "action 1: efective_on: unknown field" in message


def test_correction_naming_an_unknown_id_is_refused(run_cli, write_timeline, db) -> None:
    correction = {"kind": "correction", "id": "c1", "corrects": "nope", "fields": {"party.name": "X"},
                  "published_on": "2019-06-01", "sources": [source()]}

    message = _refused(run_cli, db, write_timeline([GOOD, correction]))

    assert "action 2 [id=c1]: corrects: no action with id 'nope' has been recorded" in message
    assert _stored(run_cli, db) == []


def test_delisting_a_party_never_listed_is_refused(run_cli, write_timeline, db) -> None:
    delisting = {"kind": "entity_delisted", "list": "us-bis-entity-list", "party": {"key": "huawei", "name": "Huawei"},
                 "effective_on": "2020-01-01", "published_on": "2020-01-02", "sources": [source()]}

    message = _refused(run_cli, db, write_timeline([GOOD, delisting]))

    assert "action 2: party.key: cannot delist 'huawei': that party was never listed" in message
    assert _stored(run_cli, db) == []


def test_delisting_a_known_party_from_a_list_it_is_not_on_is_refused(run_cli, write_timeline, db) -> None:
    delisting = {"kind": "entity_delisted", "list": "us-bis-meu-list", "party": {"key": "hisilicon"},
                 "effective_on": "2020-01-01", "published_on": "2020-01-02", "sources": [source()]}

    message = _refused(run_cli, db, write_timeline([GOOD, delisting]))

    assert "action 2: party.key: cannot delist 'hisilicon': not listed on us-bis-meu-list on 2020-01-01" in message


def test_duplicate_id_with_different_content_is_refused_against_the_ledger(run_cli, write_timeline, db) -> None:
    run_cli("record", "--db", db, write_timeline([listed("huawei", id="dup")]).as_posix())
    changed = listed("huawei", id="dup", published="2019-05-22")

    message = _refused(run_cli, db, write_timeline([GOOD, changed]))

    assert "action 2 [id=dup]: id: an action with id 'dup' was recorded before with different content" in message
    assert [item["id"] for item in _stored(run_cli, db)] == ["dup"]


def test_duplicate_id_with_different_content_within_one_file_is_refused(run_cli, write_timeline, db) -> None:
    path = write_timeline([listed("huawei", id="dup"), listed("huawei", id="dup", published="2019-05-22")])

    message = _refused(run_cli, db, path)

    assert "action 2 [id=dup]: id: " in message
    assert _stored(run_cli, db) == []


def test_an_error_in_a_later_file_stores_nothing_of_the_earlier_ones(run_cli, write_timeline, db) -> None:
    first = write_timeline([GOOD])
    second = write_timeline([listed("huawei", effective="yesterday")])

    message = _refused(run_cli, db, first, second)

    assert f"{second}: action 1: effective_on:" in message
    assert _stored(run_cli, db) == []


def test_a_file_that_is_not_a_list_of_actions_is_refused(run_cli, write_timeline, db) -> None:
    message = _refused(run_cli, db, write_timeline({"entries": []}))

    assert "a timeline mapping holds only 'actions'" in message


def test_an_action_that_is_not_a_mapping_is_refused(run_cli, write_timeline, db) -> None:
    message = _refused(run_cli, db, write_timeline([GOOD, "entity_listed"]))

    assert "action 2: an action is a mapping of fields, not str" in message


def test_duplicate_yaml_keys_are_refused(run_cli, write_timeline, db) -> None:
    text = "- kind: entity_listed\n  kind: entity_delisted\n"

    message = _refused(run_cli, db, write_timeline(None, text=text))

    assert "duplicate key 'kind'" in message


def test_a_missing_file_is_refused(run_cli, tmp_path, db) -> None:
    message = _refused(run_cli, db, tmp_path / "absent.yaml")

    assert "absent.yaml: cannot read the file" in message


def test_first_appearance_without_a_name_is_refused(run_cli, write_timeline, db) -> None:
    message = _refused(run_cli, db, write_timeline([listed("huawei", name=None)]))

    assert "action 1: party.name: party 'huawei' appears for the first time: give its name" in message


def test_a_wrong_command_line_exits_2(run_cli) -> None:
    result = run_cli("record", "--no-such-option", "x.yaml")

    assert result.code == 2
    assert "No such option" in result.err


def test_an_unusable_store_setting_is_reported(run_cli, write_timeline) -> None:
    result = run_cli("log", "--db", "mysql://localhost/x")

    assert result.code == 1
    assert "use a file path, sqlite:///PATH or postgresql://" in result.err
