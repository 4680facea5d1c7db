"""Each importer's refusal names the file, the item and the field the way it always has (docs/importers.md): the
timeline and screening lists count list positions from 1, Federal Register documents spell pydantic's path; the
actions that importers build keep their own spelling."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from regledger.adapters.errors import InputError
from regledger.adapters.importers.federal_register import FederalRegisterImport, read_documents, read_links
from regledger.adapters.importers.screening_diff import Plan
from regledger.adapters.importers.screening_read import read_snapshot
from regledger.adapters.importers.timeline import read_timeline

OFFICIAL = [{"reliability": "official", "citation": "84 FR 22961"}]
LISTED = {"kind": "entity_listed", "list": "el", "party": {"key": "huawei"}, "effective_on": "2019-05-16",
          "published_on": "2019-05-21", "sources": OFFICIAL}
DOCUMENT = {"document_number": "2019-10616", "type": "Rule", "title": "Addition of Entities",
            "publication_date": "2019-05-21"}
ENTRY = {"source": "EL", "name": "Acme", "start_date": "2019-01-01"}


def _file(tmp_path: Path, content: Any, name: str = "in.json") -> Path:
    path = tmp_path / name
    path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    return path


def _refusal(read: Any, path: Path) -> str:
    with pytest.raises(InputError) as refused:
        read(path)
    return str(refused.value).replace(f"{path.parent}/", "")


@pytest.mark.parametrize(("action", "message"), [
    ({**LISTED, "sources": [*OFFICIAL, {"citation": "x"}]}, "action 1: sources[2].reliability: missing (required)"),
    ({**LISTED, "party": {"key": "huawei", "aliases": ["a", 5]}}, "action 1: party.aliases[2]: Input should be a "
                                                                   "valid string"),
    ({**LISTED, "id": "x1", "efective_on": "2019-05-16"}, "action 1 [id=x1]: efective_on: unknown field"),
    ({"kind": "correction", "corrects": "x", "published_on": "2020-01-01", "sources": OFFICIAL,
      "fields": {"kind": "y"}}, "action 1: action: fields.kind: a correction cannot change kind or id"),
    (["not", "a", "mapping"], "action 1: an action is a mapping of fields, not list"),
])
def test_a_timeline_names_the_action_and_its_field_counting_from_one(tmp_path: Path, action: Any,
                                                                      message: str) -> None:
    assert _refusal(read_timeline, _file(tmp_path, [action])) == f"in.json: {message}"


@pytest.mark.parametrize(("document", "message"), [
    ({**DOCUMENT, "type": "Sunshine"}, "type: unknown document type 'Sunshine' (one of: Rule, RULE, Proposed Rule, "
                                       "PRORULE, Notice, NOTICE, Presidential Document, PRESDOCU)"),
    ({**DOCUMENT, "agencies": [{"name": "BIS"}, {"name": 5}]}, "agencies.1.name: Input should be a valid string"),
    ({k: v for k, v in DOCUMENT.items() if k != "title"}, "title: missing (required)"),
])
def test_a_federal_register_document_names_its_field_as_pydantic_spells_it(tmp_path: Path, document: Any,
                                                                            message: str) -> None:
    expected = f"in.json: document 1 [2019-10616]: {message}"

    assert _refusal(read_documents, _file(tmp_path, [document])) == expected


def test_an_action_made_from_a_document_names_the_innermost_field_in_pydantics_words(tmp_path: Path) -> None:
    importer = FederalRegisterImport(measure_known=lambda _key: False, recorded=lambda _id: None, measure="Bad Key")
    reads = read_documents(_file(tmp_path, [DOCUMENT]))

    with pytest.raises(InputError) as refused:
        importer.actions(reads)

    assert str(refused.value).endswith("document 1 [2019-10616]: key: Value error, 'Bad Key' is not a key: use "
                                       "lowercase letters, digits, '-', '_' or '.', starting with a letter or digit "
                                       "(at most 200 characters)")


@pytest.mark.parametrize(("entries", "message"), [
    ([{**ENTRY, "alt_names": ["a", "y" * 10_001]}], "record 1 [Acme]: alt_names[2]: String should have at most "
                                                    "10000 characters"),
    ([{**ENTRY, "name": " "}], "record 1: name: missing (required)"),
    ([7], "record 1: an entry is an object of fields, not int"),
    ({"results": 5}, "expected a list of entries, or a search response with 'results'"),
])
def test_a_screening_list_names_the_record_and_its_field_counting_from_one(tmp_path: Path, entries: Any,
                                                                          message: str) -> None:
    assert _refusal(read_snapshot, _file(tmp_path, entries)) == f"in.json: {message}"


def test_a_blank_csv_cell_where_text_is_required_is_missing(tmp_path: Path) -> None:
    header = "source,name,alt_names,addresses,federal_register_notice,start_date,license_requirement,license_policy"
    path = _file(tmp_path, f"{header}\nEL,,,,,,,\n", "in.csv")

    assert _refusal(read_snapshot, path) == "in.csv: row 2: name: missing (required)"


def test_a_listing_action_made_from_a_snapshot_names_its_dotted_path_after_the_kind() -> None:
    plan = Plan(date(2020, 1, 1), {}, counts={"el": dict.fromkeys(("entries", "listed", "amended", "delisted"), 0)})
    data = {"kind": "entity_listed", "party": {"key": "acme", "aliases": ["a", ""]}, "effective_on": "2020-01-01"}

    with pytest.raises(InputError) as refused:
        plan.add("snapshot.json: record 3 [Acme]", "el", data, OFFICIAL)

    assert str(refused.value) == ("snapshot.json: record 3 [Acme]: party.aliases.1: String should have at least 1 "
                                  "character")


@pytest.mark.parametrize("read", [read_timeline, read_documents, read_snapshot, read_links])
def test_every_reader_names_a_file_it_cannot_read_or_parse(tmp_path: Path, read: Any) -> None:
    unreadable = tmp_path / "latin1.json"
    unreadable.write_bytes(b'[{"name": "\xff"}]')

    assert _refusal(read, unreadable).startswith("latin1.json: cannot read the file: 'utf-8' codec can't decode")
    assert _refusal(read, tmp_path / "gone.json").startswith("gone.json: cannot read the file: [Errno 2]")
    assert _refusal(read, _file(tmp_path, '[{"a": ')) == (
        "in.json: not valid JSON: Expecting value: line 1 column 8 (char 7)")


@pytest.mark.parametrize("read", [read_timeline, read_links])
def test_a_key_given_twice_is_refused_in_timeline_and_links_files(tmp_path: Path, read: Any) -> None:
    assert _refusal(read, _file(tmp_path, '{"a": "1", "a": "2"}')) == "in.json: not valid JSON: duplicate key 'a'"
    assert _refusal(read, _file(tmp_path, "a: 1\na: 2\n", "in.yaml")).startswith(
        "in.yaml: not valid YAML: duplicate key 'a' (line 2)")
