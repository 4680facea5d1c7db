"""Bad input to `regledger record`: one clear message naming the place and the problem, exit 1, nothing stored."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from tests.conftest import listed, source
from tests.e2e.refusal_kit import event_count, refused

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


# -- values JSON carries exactly, text without control characters, the limits of a file (issue 13) ----------------

NAN, INF = float("nan"), float("inf")
MEASURE = {"kind": "measure_adopted", "id": "ma-1", "measure": {"key": "tgl", "title": "A licence"},
           "effective_on": "2019-05-20", "published_on": "2019-05-22", "sources": [source()]}


def _measure(**parameters) -> dict:
    return {**MEASURE, "parameters": parameters}


def _correction(fields: dict, corrects: str = "ma-1") -> dict:
    return {"kind": "correction", "id": "c-1", "corrects": corrects, "fields": fields, "published_on": "2019-06-01",
            "sources": [source()]}


def _party(**ref) -> dict:
    return {**listed("huawei", id="el-1"), "party": {"key": "huawei", "name": "Huawei", **ref}}


def _json(actions: list, **literals: str) -> str:
    """A JSON timeline; each `"@NAME@"` string in it becomes the raw JSON text `literals[NAME]` (e.g. `1e999`)."""
    text = json.dumps(actions)  # NaN and the infinities come out as the literals NaN, Infinity, -Infinity
    for name, literal in literals.items():
        text = text.replace(f'"@{name}@"', literal)
    return text


def _refused_whole(run_cli, db: str, path) -> str:
    """The refusal of recording `path` into a ledger holding GOOD, after checking that no event was stored."""
    assert run_cli("record", "--db", db, write_json(path.parent, [GOOD]).as_posix()).code == 0
    before = event_count(db)
    result = run_cli("record", "--db", db, path.as_posix())
    message = refused(result)
    assert event_count(db) == before
    return message


def write_json(folder, actions: list):
    path = folder / "good-seed.json"
    path.write_text(json.dumps(actions), encoding="utf-8")
    return path


VALUE_CASES = [  # (case, JSON text of the timeline, what the message says after `FILE: `)
    ("nan-parameter", _json([_measure(weird=NAN)]),
     "action 1 [id=ma-1]: parameters: weird: NaN is not a finite number (JSON cannot carry it)"),
    ("infinity-parameter", _json([_measure(big=INF)]), "parameters: big: Infinity is not a finite number"),
    ("minus-infinity-parameter", _json([_measure(small=-INF)]), "parameters: small: -Infinity is not a finite"),
    ("1e999-parameter", _json([_measure(big="@X@")], X="1e999"), "parameters: big: Infinity is not a finite number"),
    ("minus-1e999-parameter", _json([_measure(big="@X@")], X="-1e999"), "parameters: big: -Infinity is not"),
    ("integer-beyond-2-53", _json([_measure(count=2**53)]),
     "parameters: count: a whole number of 16 digits is out of range: whole numbers must lie within "
     "±9007199254740991"),
    ("typed-integer-beyond-2-53", _json([_measure(entries_designated=10**20)]),
     "parameters: entries_designated: a whole number of 21 digits is out of range"),
    ("typed-percent-nan", _json([_measure(de_minimis_percent=NAN)]),
     "parameters: de_minimis_percent: Input should be a finite number"),
    ("nan-in-correction", _json([MEASURE, _correction({"parameters.weird": NAN})]),
     "action 2 [id=c-1]: fields.parameters.weird: NaN is not a finite number"),
    ("infinity-inside-a-corrected-mapping", _json([MEASURE, _correction({"parameters": {"p": INF}})]),
     "action 2 [id=c-1]: fields.parameters: p: Infinity is not a finite number"),
    ("nul-in-name", _json([_party(name="Hua\x00wei")]),
     "action 1 [id=el-1]: party.name: a control character (U+0000) at character 4: this field takes one line of "
     "text without control characters"),
    ("escape-in-note", _json([{**GOOD, "note": "a\x1b[2J"}]),
     "action 1 [id=good-1]: note: a control character (U+001B) at character 2: this field takes text without "
     "control characters but tab and newline"),
    ("newline-in-title", _json([{**MEASURE, "measure": {"key": "tgl", "title": "A\nlicence"}}]),
     "measure.title: a line break (U+000A) at character 2"),
    ("line-separator-in-alias", _json([_party(aliases=["a\u2028b"])]), "party.aliases[1]: a line break (U+2028)"),
    ("c1-in-citation", _json([{**GOOD, "sources": [source("84 FR\x9b1")]}]),
     "sources[1].citation: a control character (U+009B) at character 6"),
    ("del-in-address", _json([_party(addresses=["Bantian\x7f"])]), "party.addresses[1]: a control character (U+007F)"),
    ("nul-in-id", _json([{**GOOD, "id": "el\x001"}]), "id: a control character (U+0000) at character 3"),
    ("bell-in-reason", _json([GOOD, {"kind": "retraction", "retracts": "good-1", "reason": "wrong\x07",
                                     "published_on": "2019-06-01", "sources": [source()]}]),
     "action 2: reason: a control character (U+0007)"),
    ("control-in-correction-path", _json([MEASURE, _correction({"party.na\x00me": "x"})]),
     "action 2 [id=c-1]: action: fields: the path 'party.na\\x00me': a control character (U+0000)"),
    ("control-in-correction-value", _json([GOOD, _correction({"party.name": "a\x00b"}, "good-1")]),
     "action 2 [id=c-1]: fields.party.name: a control character (U+0000) at character 2"),
]


@pytest.mark.parametrize(("text", "says"), [case[1:] for case in VALUE_CASES], ids=[case[0] for case in VALUE_CASES])
def test_a_value_json_cannot_carry_or_text_with_a_control_character_is_refused_naming_the_field(
        run_cli, write_timeline, sqlite_db, text, says) -> None:
    path = write_timeline(None, suffix=".json", text=text)

    message = _refused_whole(run_cli, sqlite_db, path)

    assert message.startswith(f"{path}: "), message
    assert says in message


@pytest.mark.parametrize(("text", "says"), [
    ("- kind: measure_adopted\n  measure: {key: tgl, title: A licence}\n  parameters: {de_minimis_percent: nan}\n"
     "  effective_on: 2019-05-20\n  published_on: 2019-05-22\n  sources: [{citation: x, reliability: official}]\n",
     "action 1: parameters: de_minimis_percent: Input should be a finite number"),
    ("- kind: measure_adopted\n  measure: {key: tgl, title: A licence}\n  parameters: {entries_designated: "
     "99999999999999999999}\n  effective_on: 2019-05-20\n  published_on: 2019-05-22\n"
     "  sources: [{citation: x, reliability: official}]\n",
     "action 1: parameters: entries_designated: a whole number of 20 digits is out of range"),
    ("- kind: entity_listed\n  list: el\n  party: {key: p, name: \"Evil \\e]0;pwned\\a Co\"}\n"
     "  effective_on: 2019-05-16\n  published_on: 2019-05-21\n  sources: [{citation: x, reliability: official}]\n",
     "action 1: party.name: a control character (U+001B) at character 6"),
], ids=["yaml-nan-where-a-number-is-expected", "yaml-integer-beyond-2-53", "yaml-escape-in-name"])
def test_yaml_values_are_held_to_the_same_rules(run_cli, write_timeline, sqlite_db, text, says) -> None:
    path = write_timeline(None, text=text)

    message = _refused_whole(run_cli, sqlite_db, path)

    assert message == f"{path}: {says}" or message.startswith(f"{path}: {says}"), message


@pytest.mark.parametrize(("actions", "says"), [
    ([_party(name="Hua\x00wei")], "party.name: a control character (U+0000)"),
    ([MEASURE, _correction({"parameters.weird": NAN})], "fields.parameters.weird: NaN is not a finite number"),
    ([GOOD, _correction({"party.name": "Hi\nSilicon"}, "good-1")],
     "action 2 [id=c-1]: fields: the corrected action is invalid: party.name: a line break (U+000A) at character 3"),
], ids=["nul-in-name", "nan-in-correction", "line-break-in-a-corrected-name"])
def test_refused_values_store_nothing_on_either_store(run_cli, write_timeline, db, actions, says) -> None:
    path = write_timeline(None, suffix=".json", text=_json(actions))

    message = _refused_whole(run_cli, db, path)

    assert says in message
    assert [item["id"] for item in _stored(run_cli, db)] == ["good-1"]
    assert run_cli("check-views", "--db", db).code == 0  # the read models were never asked to hold it


def test_what_the_rules_allow_is_recorded_as_written(run_cli, write_timeline, sqlite_db) -> None:
    note = "first line\n\tindented second line"
    action = {**_measure(largest=2**53 - 1, smallest=-(2**53 - 1), share=12.5), "note": note}
    path = write_timeline(None, suffix=".json", text="\ufeff" + _json([action]))  # a byte-order mark is ignored

    result = run_cli("record", "--db", sqlite_db, path.as_posix())

    assert result.code == 0, result
    stored = _stored(run_cli, sqlite_db)[0]
    assert stored["parameters"] == {"largest": 2**53 - 1, "smallest": -(2**53 - 1), "share": 12.5}
    assert stored["note"] == note


def test_in_yaml_an_untyped_nan_is_text(run_cli, write_timeline, sqlite_db) -> None:
    text = ("- kind: measure_adopted\n  measure: {key: tgl, title: A licence}\n  parameters: {label: .nan}\n"
            "  effective_on: 2019-05-20\n  published_on: 2019-05-22\n"
            "  sources: [{citation: x, reliability: official}]\n")

    assert run_cli("record", "--db", sqlite_db, write_timeline(None, text=text).as_posix()).code == 0

    assert _stored(run_cli, sqlite_db)[0]["parameters"] == {"label": ".nan"}


def _laughs(levels: int) -> str:
    """A YAML correction whose aliases expand tenfold per level (a "billion laughs")."""
    lines = ["- kind: correction", "  corrects: x", "  published_on: 2020-01-01",
             "  sources: [{citation: x, reliability: official}]", "  fields:", "    a0: &a0 [x,x,x,x,x,x,x,x,x,x]"]
    lines += [f"    a{n}: &a{n} [{','.join([f'*a{n - 1}'] * 10)}]" for n in range(1, levels)]
    return "\n".join(lines) + "\n"


FILE_CASES = [  # (case, suffix, text, what the message says after `FILE: `)
    ("deep-json", ".json", "[" * 5000 + "]" * 5000,
     "nested more than 100 levels deep (the limit for lists and mappings inside one another)"),
    ("json-one-level-too-deep", ".json", "[" * 101 + "]" * 101, "nested more than 100 levels deep"),
    ("deep-json-in-a-field", ".json", json.dumps([{**MEASURE, "parameters": {"p": "@D@"}}]).replace(
        '"@D@"', "[" * 5000 + "]" * 5000), "nested more than 100 levels deep"),
    ("deep-yaml-flow", ".yaml", "a: " + "[" * 5000 + "]" * 5000 + "\n", "nested more than 100 levels deep"),
    ("deep-yaml-block", ".yaml", "- " * 5000 + "x\n", "nested more than 100 levels deep"),
    ("deep-yaml-indented", ".yaml", "".join("  " * i + "a:\n" for i in range(1000)) + "  " * 1000 + "b\n",
     "nested more than 100 levels deep"),
    ("yaml-billion-laughs", ".yaml", _laughs(9), "its aliases expand it beyond 268,435,456 characters (the limit)"),
    ("yaml-list-as-key", ".yaml", "? [a]\n: b\n",
     "not valid YAML: a key is a list or a mapping (line 1); keys are text"),
    ("not-utf-8", ".json", None, "cannot read the file: 'utf-8' codec can't decode byte 0xff in position 2"),
    ("json-integer-of-5000-digits", ".json", "[" + "9" * 5000 + "]", "not valid JSON: Exceeds the limit"),
]


@pytest.mark.parametrize("case", FILE_CASES, ids=[case[0] for case in FILE_CASES])
def test_a_file_beyond_the_limits_is_refused_naming_it(run_cli, tmp_path, sqlite_db, case) -> None:
    _name, suffix, text, says = case
    path = tmp_path / f"input{suffix}"
    path.write_bytes(text.encode() if text is not None else b'["\xff"]')

    message = _refused_whole(run_cli, sqlite_db, path)

    assert message.startswith(f"{path}: {says}"), message


def _fifo(tmp_path):
    path = tmp_path / "pipe.yaml"
    os.mkfifo(path)
    return path


def _sparse(tmp_path):
    path = tmp_path / "huge.json"
    with path.open("wb") as file:
        file.truncate(256 * 1024 * 1024 + 1)  # sparse: nothing is written
    return path


@pytest.mark.parametrize(("make", "says"), [
    (_fifo, "cannot read the file: it is a FIFO (named pipe), not a regular file"),
    (lambda _tmp: Path("/dev/zero"), "cannot read the file: it is a character device, not a regular file"),
    (_sparse, "cannot read the file: it is larger than the limit of 268,435,456 bytes (256 MB)"),
], ids=["fifo", "dev-zero", "over-256-mb"])
def test_a_file_that_is_not_a_regular_file_of_at_most_256_mb_is_refused_at_once(
        run_cli, tmp_path, sqlite_db, make, says) -> None:
    if make is _fifo and not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this system")
    path = make(tmp_path)

    started = time.monotonic()
    message = _refused_whole(run_cli, sqlite_db, path)

    assert message == f"{path}: {says}"
    assert time.monotonic() - started < 10  # nothing waited on the pipe or read the device
