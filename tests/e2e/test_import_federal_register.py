"""`regledger import federal-register`: the API's documents become measure actions, tier official."""

from __future__ import annotations

import json
import shutil

import pytest

from tests.conftest import ROOT
from tests.e2e.refusal_kit import event_count, refused

FIXTURES = ROOT / "tests" / "fixtures" / "federal-register"
GOOD = ["search-2019.json", "tgl-2020-notices.json", "eo-13873.json", "synthetic-proposed-and-correction.json"]


def _import(run_cli, db, *names, options=()):
    return run_cli("import", "federal-register", "--db", db, *options, *(str(FIXTURES / n) for n in names))


def _log(run_cli, db) -> dict[str, dict]:
    result = run_cli("log", "--db", db, "--format", "json")
    assert result.code == 0, result
    return {item["id"]: item for item in json.loads(result.out)}


def test_each_document_type_becomes_its_action(run_cli, db) -> None:
    result = _import(run_cli, db, *GOOD, options=("--mapping", str(FIXTURES / "links.yaml")))

    assert result.code == 0, result
    stored = _log(run_cli, db)
    listing_rule = stored["fr-2019-10616"]
    assert listing_rule["kind"] == "measure_adopted"
    assert listing_rule["measure"] == {"key": "fr-2019-10616", "title": "Addition of Entities to the Entity List"}
    assert (listing_rule["effective_on"], listing_rule["published_on"]) == ("2019-05-16", "2019-05-21")
    assert stored["fr-2019-10538"]["kind"] == "measure_adopted"
    assert stored["fr-2019-10538"]["effective_on"] == "2019-05-15"  # presidential: effective on signing
    assert stored["fr-2099-00001"]["kind"] == "measure_proposed"
    assert stored["fr-2099-00001"]["comments_close_on"] == "2099-03-06"
    assert stored["fr-2020-05194"]["kind"] == "comment_period_opened"
    assert stored["fr-2020-05194"]["measure"] == {"key": "us-bis-huawei-tgl"}
    assert "fr-2099-00002" not in stored  # a notice without a comment period records nothing
    assert "a notice without a comment period records nothing" in result.err


def test_every_action_cites_its_document_at_tier_official(run_cli, sqlite_db) -> None:
    _import(run_cli, sqlite_db, "search-2019.json")

    source = _log(run_cli, sqlite_db)["fr-2019-10616"]["sources"][0]

    assert source == {
        "citation": "84 FR 22961", "document_number": "2019-10616", "publisher": "Federal Register",
        "reliability": "official", "title": "Addition of Entities to the Entity List",
        "url": "https://www.federalregister.gov/documents/2019/05/21/2019-10616/addition-of-entities-to-the-entity-list",
    }


def test_a_linked_document_adopts_a_new_measure_and_amends_a_known_one(run_cli, sqlite_db) -> None:
    _import(run_cli, sqlite_db, "search-2019.json", options=("--measure", "us-bis-entity-list-rules"))

    stored = _log(run_cli, sqlite_db)

    assert stored["fr-2019-10616"]["kind"] == "measure_adopted"
    assert stored["fr-2019-17920"]["kind"] == "measure_amended"
    assert stored["fr-2019-17920"]["measure"] == {"key": "us-bis-entity-list-rules"}


def test_a_rin_in_the_mapping_links_documents(run_cli, sqlite_db, tmp_path) -> None:
    mapping = tmp_path / "rins.yaml"
    mapping.write_text('"0694-ZA02": us-bis-huawei-tgl\n', encoding="utf-8")

    _import(run_cli, sqlite_db, "tgl-2020-notices.json", options=("--mapping", str(mapping)))

    stored = _log(run_cli, sqlite_db)
    assert {stored[i]["measure"]["key"] for i in ("fr-2020-05194", "fr-2020-06545")} == {"us-bis-huawei-tgl"}


def test_a_correction_document_corrects_the_document_adding_its_citation(run_cli, sqlite_db) -> None:
    _import(run_cli, sqlite_db, "synthetic-proposed-and-correction.json")

    correction = _log(run_cli, sqlite_db)["fr-C1-2099-00001"]

    assert correction["kind"] == "correction"
    assert correction["corrects"] == "fr-2099-00001"
    assert [s["citation"] for s in correction["fields"]["sources"]] == ["999 FR 1", "999 FR 50"]


def test_importing_the_fixture_set_twice_stores_it_once(run_cli, db) -> None:
    options = ("--mapping", str(FIXTURES / "links.yaml"))
    first = _import(run_cli, db, *GOOD, options=options)

    second = _import(run_cli, db, *GOOD, options=options)

    assert "recorded 8 action(s); skipped 0 as known; refused 0 file(s)" in first.out
    assert "recorded 0 action(s); skipped 8 as known; refused 0 file(s)" in second.out
    assert len(_log(run_cli, db)) == 8


def test_a_dry_run_shows_what_would_be_recorded_and_stores_nothing(run_cli, sqlite_db) -> None:
    result = _import(run_cli, sqlite_db, *GOOD, options=("--dry-run", "--mapping", str(FIXTURES / "links.yaml")))

    assert result.code == 0, result
    assert "DRY RUN: what recording 8 new action(s) would change in the state as of 2099-01-05" in result.out
    assert "- 2019-05-16  measure_adopted  fr-2019-10616 [fr-2019-10616] (published 2019-05-21; official)" in result.out
    assert "- 2020-03-27  comment_period_opened  us-bis-huawei-tgl [fr-2020-06545]" in result.out
    assert "2. Measures" in result.out
    assert "would record 8 action(s)" in result.out
    assert _log(run_cli, sqlite_db) == {}


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("bad-truncated.json", "bad-truncated.json: not valid JSON"),
        ("bad-type.json", "bad-type.json: document 1 [2099-00003]: type: unknown document type 'Sunshine Act Notice'"),
        ("bad-date.json", "bad-date.json: document 1 [2099-00004]: effective_on: '02/15/2099' is not a date"),
    ],
)
def test_a_bad_file_is_refused_whole_naming_file_record_and_field(run_cli, sqlite_db, tmp_path, name, problem) -> None:
    mixed = tmp_path / name
    shutil.copy(FIXTURES / name, mixed)

    result = run_cli("import", "federal-register", "--db", sqlite_db, str(FIXTURES / "eo-13873.json"), str(mixed))

    assert result.code == 1
    assert problem in result.err
    assert "Traceback" not in result.err
    assert list(_log(run_cli, sqlite_db)) == ["fr-2019-10538"]  # the good file is still imported
    assert "recorded 1 action(s); skipped 0 as known; refused 1 file(s)" in result.out


def test_a_document_number_seen_before_with_different_content_is_refused(run_cli, db) -> None:
    _import(run_cli, db, "search-2019.json")

    result = _import(run_cli, db, "bad-changed-2019-10616.json")

    assert result.code == 1
    assert "document 1 [2019-10616]: id: an action with id 'fr-2019-10616' was recorded before" in result.err
    assert _log(run_cli, db)["fr-2019-10616"]["effective_on"] == "2019-05-16"


def test_a_correction_of_a_document_never_imported_is_refused(run_cli, sqlite_db, tmp_path) -> None:
    lone = tmp_path / "lone.json"
    lone.write_text(json.dumps([{"title": "X; Correction", "type": "RULE", "document_number": "C1-2099-09999",
                                 "publication_date": "2099-02-01", "correction_of": "2099-09999"}]), encoding="utf-8")

    result = run_cli("import", "federal-register", "--db", sqlite_db, str(lone))

    assert result.code == 1
    assert "document 1 [C1-2099-09999]: correction_of: document 2099-09999 has not been imported" in result.err


def test_many_documents_show_progress_on_stderr(run_cli, sqlite_db, tmp_path) -> None:
    documents = [{"title": f"Rule {n}", "type": "RULE", "document_number": f"2099-1{n:04d}",
                  "publication_date": "2099-02-01"} for n in range(25)]
    many = tmp_path / "many.json"
    many.write_text(json.dumps({"results": documents}), encoding="utf-8")

    result = run_cli("import", "federal-register", "--db", sqlite_db, str(many))

    assert result.code == 0, result
    assert "recorded 25 action(s)" in result.out


# -- a bad file is refused and named, and the others still import (issue 13) -------------------------------------

DOCUMENT = {"document_number": "2099-00010", "type": "Rule", "title": "A rule", "publication_date": "2099-01-02"}


def _with(**changes) -> str:
    return json.dumps([{**DOCUMENT, **changes}])


BAD_FILES = [  # (case, the file's bytes, what the refusal says after `FILE: `)
    ("malformed-json", b'[{"document_number":', "not valid JSON: Expecting value"),
    ("document-number-missing", json.dumps([{k: v for k, v in DOCUMENT.items() if k != "document_number"}]).encode(),
     "document 1: document_number: missing (required)"),
    ("document-number-integer", _with(document_number=5).encode(), "document 1: document_number: Input should be a "
                                                                   "valid string"),
    ("unknown-type", _with(type="Memo").encode(), "document 1 [2099-00010]: type: unknown document type 'Memo'"),
    ("slashed-date", _with(publication_date="01/02/2099").encode(),
     "document 1 [2099-00010]: publication_date: '01/02/2099' is not a date in the form YYYY-MM-DD"),
    ("agencies-string", _with(agencies="BIS").encode(), "document 1 [2099-00010]: agencies: Input should be a valid "
                                                        "list"),
    ("results-string", b'{"results": "x"}', "expected a document, a list of documents, or a search result with "
                                            "'results'"),
    ("scalar", b"42", "expected a document, a list of documents, or a search result with 'results'"),
    ("not-utf-8", b'[{"document_number": "\xff"}]', "cannot read the file: 'utf-8' codec can't decode byte 0xff"),
    ("nan-in-an-ignored-field", _with(executive_order_number="@").replace('"@"', "NaN").encode(),
     "not valid JSON: NaN is not a number JSON can carry (JSON has no NaN or Infinity)"),
    ("1e999-in-an-ignored-field", _with(executive_order_number="@").replace('"@"', "1e999").encode(),
     "not valid JSON: 1e999 is beyond the range of numbers (it would read as Infinity)"),
    ("deep", b"[" * 5000 + b"]" * 5000, "nested more than 100 levels deep"),
    ("nul-in-title", _with(title="A\x00rule").encode(),
     "document 1 [2099-00010]: title: a control character (U+0000) at character 2"),
    ("newline-in-document-number", _with(document_number="2099-1\nregledger: error: forged").encode(),
     "document 1 ['2099-1\\nregledger: error: forged']: document_number: a line break (U+000A) at character 7"),
]


@pytest.mark.parametrize(("content", "says"), [case[1:] for case in BAD_FILES], ids=[case[0] for case in BAD_FILES])
def test_a_bad_file_first_is_refused_and_named_and_the_next_file_imports(run_cli, sqlite_db, tmp_path, content,
                                                                          says) -> None:
    bad = tmp_path / "bad.json"
    bad.write_bytes(content)

    result = run_cli("import", "federal-register", "--db", sqlite_db, str(bad), str(FIXTURES / "eo-13873.json"))

    assert refused(result).startswith(f"{bad}: {says}"), result
    assert result.out == "recorded 1 action(s); skipped 0 as known; refused 1 file(s)\n"
    assert list(_log(run_cli, sqlite_db)) == ["fr-2019-10538"]


def test_a_missing_file_is_refused_and_the_others_import_on_either_store(run_cli, db, tmp_path) -> None:
    missing = tmp_path / "missing.json"

    result = run_cli("import", "federal-register", "--db", db, str(missing), str(FIXTURES / "eo-13873.json"),
                     str(FIXTURES / "bad-type.json"), str(FIXTURES / "search-2019.json"))

    assert result.code == 1
    assert "Traceback" not in result.err
    errors = result.err.splitlines()
    assert errors[0] == f"regledger: error: {missing}: cannot read the file: [Errno 2] No such file or directory: " \
                        f"{str(missing)!r}"
    assert errors[1].startswith(f"regledger: error: {FIXTURES / 'bad-type.json'}: document 1 [2099-00003]: type:")
    assert len(errors) == 2
    assert "recorded 4 action(s); skipped 0 as known; refused 2 file(s)" in result.out
    assert len(_log(run_cli, db)) == 4


def test_a_refused_file_does_not_make_a_dry_run_forget_the_files_before_it(run_cli, sqlite_db, tmp_path) -> None:
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    first.write_text(json.dumps([{**DOCUMENT, "document_number": "2099-00011"}]), encoding="utf-8")
    second.write_text(json.dumps([{**DOCUMENT, "document_number": "2099-00012"}]), encoding="utf-8")

    result = run_cli("import", "federal-register", "--db", sqlite_db, "--dry-run", "--measure", "one-rule",
                     str(first), str(tmp_path / "missing.json"), str(second))

    assert result.code == 1
    assert "Traceback" not in result.err
    assert "would record 2 action(s); skipped 0 as known; refused 1 file(s)" in result.out
    assert "measure_amended  one-rule [fr-2099-00012]" in result.out  # the first file's measure is still known


@pytest.mark.parametrize(("options", "says"), [
    (("--measure", "Bad Key"), "--measure: 'Bad Key' is not a key"),
    (("--measure", "tgl\n\x1b]0;pwned\x07"), "--measure: 'tgl\\n\\x1b]0;pwned\\x07' is not a key"),
    (("--mapping", "{MAPPING}"), "{MAPPING}: 2019-10538: 'tgl\\x00' is not a key"),
], ids=["measure-not-a-key", "measure-hostile", "mapping-value-not-a-key"])
def test_a_measure_that_is_not_a_key_refuses_the_command_naming_where_it_came_from(run_cli, sqlite_db, tmp_path,
                                                                                    options, says) -> None:
    mapping = tmp_path / "links.json"
    mapping.write_text(json.dumps({"2019-10538": "tgl\x00"}), encoding="utf-8")
    options = tuple(o.replace("{MAPPING}", str(mapping)) for o in options)

    result = run_cli("import", "federal-register", "--db", sqlite_db, *options, str(FIXTURES / "eo-13873.json"))

    assert refused(result).startswith(says.replace("{MAPPING}", str(mapping)))
    assert result.out == ""
    assert event_count(sqlite_db) == 0


def test_a_mapping_nested_too_deep_is_refused_naming_it(run_cli, sqlite_db, tmp_path) -> None:
    mapping = tmp_path / "links.yaml"
    mapping.write_text("a: " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")

    result = run_cli("import", "federal-register", "--db", sqlite_db, "--mapping", str(mapping),
                     str(FIXTURES / "eo-13873.json"))

    assert refused(result) == f"{mapping}: nested more than 100 levels deep (the limit for lists and mappings inside " \
                              "one another) (line 1)"
