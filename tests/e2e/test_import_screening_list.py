"""`regledger import screening-list`: snapshots of the Consolidated Screening List become listings, amendments and
delistings, published on the snapshot's date, citing the snapshot and the notices it names."""

from __future__ import annotations

import json
import shutil

import pytest

from tests.conftest import EXAMPLE, ROOT
from tests.e2e.refusal_kit import event_count, refused

FIXTURES = ROOT / "tests" / "fixtures" / "screening-list"
JUNE, JUNE_CSV, SEPTEMBER = "csl-2019-06-03.json", "csl-2019-06-03.csv", "csl-2019-09-02.csv"
JUNE_DAY, SEPTEMBER_DAY = "2019-06-03", "2019-09-02"


def _import(run_cli, db, name, day, *options):
    return run_cli("import", "screening-list", "--db", db, *options, "--as-published", day, str(FIXTURES / name))


def _log(run_cli, db) -> dict[str, dict]:
    result = run_cli("log", "--db", db, "--format", "json")
    assert result.code == 0, result
    return {item["id"]: item for item in json.loads(result.out)}


def _entries(run_cli, db, day, list_key) -> dict[str, dict]:
    result = run_cli("as-of", day, "--published-by", day, "--list", list_key, "--db", db, "--format", "json")
    assert result.code == 0, result
    return {entry["party"]: entry for entry in json.loads(result.out)["lists"][list_key]}


def test_a_first_snapshot_lists_every_entry_from_its_start_date(run_cli, db) -> None:
    result = _import(run_cli, db, JUNE, JUNE_DAY)

    assert result.code == 0, result
    assert "recorded 4 action(s); skipped 0 as known; refused 0 file(s)" in result.out
    stored = _log(run_cli, db)
    huawei = stored["csl-us-bis-entity-list-huawei-technologies-co-ltd-listed-2019-06-03"]
    assert (huawei["effective_on"], huawei["published_on"]) == ("2019-05-16", JUNE_DAY)
    assert huawei["party"] == {"key": "huawei-technologies-co-ltd", "name": "Huawei Technologies Co., Ltd.",
                               "aliases": [], "addresses": ["Bantian, Longgang District, Shenzhen, CN"],
                               "country": "CN"}
    assert huawei["details"] == {"license_requirement": "For all items subject to the EAR",
                                 "license_policy": "Presumption of denial"}
    shipping = stored["csl-us-ofac-sdn-example-shipping-llc-listed-2019-06-03"]
    assert shipping["effective_on"] == JUNE_DAY  # no start_date: effective on the snapshot's date


def test_every_action_cites_the_snapshot_and_the_notice_at_tier_official(run_cli, sqlite_db) -> None:
    _import(run_cli, sqlite_db, JUNE, JUNE_DAY)

    sources = _log(run_cli, sqlite_db)["csl-us-bis-entity-list-example-trading-co-listed-2019-06-03"]["sources"]

    assert sources == [
        {"reliability": "official", "publisher": "International Trade Administration, Consolidated Screening List",
         "title": "Consolidated Screening List as published 2019-06-03",
         "url": "https://www.bis.doc.gov/index.php/policy-guidance/lists-of-parties-of-concern/entity-list"},
        {"reliability": "official", "citation": "999 FR 100", "publisher": "Federal Register"},
    ]


def test_a_later_snapshot_lists_amends_and_delists(run_cli, db) -> None:
    _import(run_cli, db, JUNE, JUNE_DAY)

    result = _import(run_cli, db, SEPTEMBER, SEPTEMBER_DAY)

    assert result.code == 0, result
    assert "us-bis-entity-list: 3 entries; 1 listed, 1 amended, 1 delisted" in result.out
    assert "us-ofac-sdn: 2 entries; 1 listed, 1 amended, 0 delisted" in result.out
    stored = _log(run_cli, db)
    amended = stored["csl-us-bis-entity-list-example-trading-co-amended-2019-09-02"]
    assert amended["details"] == {"license_policy": "Case-by-case review"}
    assert amended["party"]["addresses"] == ["1 Example Road, Dubai, AE", "2 Example Avenue, Sharjah, AE"]
    assert stored["csl-us-bis-entity-list-example-components-gmbh-listed-2019-09-02"]["effective_on"] == "2019-08-19"
    delisted = stored["csl-us-bis-entity-list-example-microelectronics-ltd-delisted-2019-09-02"]
    assert (delisted["effective_on"], delisted["published_on"]) == (SEPTEMBER_DAY, SEPTEMBER_DAY)
    entries = _entries(run_cli, db, SEPTEMBER_DAY, "us-bis-entity-list")
    assert set(entries) == {"huawei-technologies-co-ltd", "example-trading-co", "example-components-gmbh"}
    assert entries["example-trading-co"]["details"]["license_policy"] == "Case-by-case review"
    assert set(_entries(run_cli, db, JUNE_DAY, "us-bis-entity-list")) == {  # the June view is unchanged
        "huawei-technologies-co-ltd", "example-trading-co", "example-microelectronics-ltd"}


def test_one_party_on_two_lists_is_one_party(run_cli, sqlite_db) -> None:
    _import(run_cli, sqlite_db, JUNE, JUNE_DAY)
    _import(run_cli, sqlite_db, SEPTEMBER, SEPTEMBER_DAY)

    sdn = _entries(run_cli, sqlite_db, SEPTEMBER_DAY, "us-ofac-sdn")

    assert set(sdn) == {"example-shipping-llc", "example-trading-co"}


def test_a_known_party_is_matched_by_name_never_duplicated(run_cli, db) -> None:
    run_cli("record", "--db", db, str(EXAMPLE))

    result = _import(run_cli, db, JUNE, JUNE_DAY)

    assert result.code == 0, result
    entries = _entries(run_cli, db, JUNE_DAY, "us-bis-entity-list")
    assert "huawei-technologies" in entries
    assert not any(key.startswith("huawei-technologies-co") for key in entries)
    amended = _log(run_cli, db)["csl-us-bis-entity-list-huawei-technologies-amended-2019-06-03"]
    assert amended["party"]["addresses"] == ["Bantian, Longgang District, Shenzhen, CN"]
    assert "details" not in amended  # the licence terms recorded by hand are the snapshot's


def test_importing_the_same_snapshot_twice_stores_it_once(run_cli, db) -> None:
    first = _import(run_cli, db, JUNE, JUNE_DAY)

    again = _import(run_cli, db, JUNE, JUNE_DAY)
    as_csv = _import(run_cli, db, JUNE_CSV, JUNE_DAY)

    assert "recorded 4 action(s)" in first.out
    for result in (again, as_csv):  # the CSV form of the same snapshot is the same snapshot
        assert result.code == 0, result
        assert "recorded 0 action(s); skipped 4 as known; refused 0 file(s)" in result.out
        assert "was imported before; nothing to do" in result.err
    assert len(_log(run_cli, db)) == 4


def test_the_csv_form_records_what_the_json_form_records(run_cli, tmp_path) -> None:
    from_json, from_csv = str(tmp_path / "json.db"), str(tmp_path / "csv.db")
    _import(run_cli, from_json, JUNE, JUNE_DAY)
    _import(run_cli, from_csv, JUNE_CSV, JUNE_DAY)

    def content(db):
        return {k: {f: v for f, v in a.items() if f not in {"position", "recorded_at"}}
                for k, a in _log(run_cli, db).items()}

    assert content(from_json) == content(from_csv)


def test_a_snapshot_that_changed_nothing_still_counts_for_the_order(run_cli, sqlite_db) -> None:
    _import(run_cli, sqlite_db, JUNE, JUNE_DAY)
    unchanged = _import(run_cli, sqlite_db, JUNE, "2019-07-01")

    older = _import(run_cli, sqlite_db, JUNE, "2019-06-15")

    assert "recorded 0 action(s); skipped 0 as known; refused 0 file(s)" in unchanged.out
    assert older.code == 1
    assert "older than the snapshot as published 2019-07-01" in older.err


def test_an_older_snapshot_after_a_newer_one_is_refused(run_cli, db) -> None:
    _import(run_cli, db, SEPTEMBER, SEPTEMBER_DAY)

    result = _import(run_cli, db, JUNE, JUNE_DAY)

    assert result.code == 1
    assert ("csl-2019-06-03.json: --as-published: us-bis-entity-list: a snapshot as published 2019-06-03 is "
            "older than the snapshot as published 2019-09-02 already imported; import snapshots in date order"
            ) in result.err
    assert "recorded 0 action(s); skipped 0 as known; refused 1 file(s)" in result.out
    assert not any(key.endswith("2019-06-03") for key in _log(run_cli, db))


def test_a_dry_run_shows_what_would_be_recorded_and_stores_nothing(run_cli, db) -> None:
    _import(run_cli, db, JUNE, JUNE_DAY)

    result = _import(run_cli, db, SEPTEMBER, SEPTEMBER_DAY, "--dry-run")

    assert result.code == 0, result
    assert "DRY RUN: what recording 5 new action(s) would change in the state as of 2019-09-02" in result.out
    assert ("- 2019-09-02  entity_delisted  us-bis-entity-list/example-microelectronics-ltd "
            "[csl-us-bis-entity-list-example-microelectronics-ltd-delisted-2019-09-02]") in result.out
    assert "Removed: " in result.out
    assert "Amended: " in result.out
    assert "would record 5 action(s); skipped 0 as known; refused 0 file(s)" in result.out
    assert len(_log(run_cli, db)) == 4
    assert _import(run_cli, db, JUNE, JUNE_DAY).code == 0  # the dry run did not count as an import


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("bad-truncated.json", "bad-truncated.json: not valid JSON: Unterminated string"),
        ("bad-missing-column.csv", "bad-missing-column.csv: row 1 (header): addresses: column missing"),
        ("bad-date.json", "bad-date.json: record 2 [Example Microelectronics Ltd.]: start_date: '08/01/2018' is "
                          "not a date in the form YYYY-MM-DD"),
        ("bad-duplicate.json", "bad-duplicate.json: record 3 [EXAMPLE TRADING CO.]: name: a duplicate entry: "
                               "us-bis-entity-list already has 'Example Trading Co.' (record 1"),
        ("bad-source.json", "bad-source.json: record 2 [Example Trading Co.]: source: unknown source "
                            "'Example Sanctions List (XSL) - Example Agency'"),
    ],
)
def test_a_bad_snapshot_is_refused_whole_naming_file_record_and_field(run_cli, db, tmp_path, name, problem) -> None:
    copy = tmp_path / name
    shutil.copy(FIXTURES / name, copy)

    result = run_cli("import", "screening-list", "--db", db, "--as-published", JUNE_DAY, str(copy))

    assert result.code == 1
    assert problem in result.err
    assert "Traceback" not in result.err
    assert "recorded 0 action(s); skipped 0 as known; refused 1 file(s)" in result.out
    assert _log(run_cli, db) == {}


def test_a_csv_row_with_missing_cells_is_refused(run_cli, sqlite_db, tmp_path) -> None:
    short = tmp_path / "short.csv"
    lines = (FIXTURES / JUNE_CSV).read_text(encoding="utf-8").splitlines()
    short.write_text("\n".join([*lines[:2], lines[2].rsplit(",", 3)[0]]) + "\n", encoding="utf-8")

    result = run_cli("import", "screening-list", "--db", sqlite_db, "--as-published", JUNE_DAY, str(short))

    assert result.code == 1
    assert "short.csv: row 3 [Example Trading Co.]: the row has 26 cells, the header 29" in result.err


def test_a_wrong_as_published_date_is_a_usage_error(run_cli, sqlite_db) -> None:
    result = _import(run_cli, sqlite_db, JUNE, "06/03/2019")

    assert result.code == 2
    assert "'06/03/2019' is not a date in the form YYYY-MM-DD" in result.err


def test_a_large_snapshot_shows_progress_on_stderr(run_cli, sqlite_db, tmp_path) -> None:
    entries = [{"source": "EL", "name": f"Example Party {n}", "start_date": "2019-01-01"} for n in range(30)]
    big = tmp_path / "big.json"
    big.write_text(json.dumps(entries), encoding="utf-8")

    result = run_cli("import", "screening-list", "--db", sqlite_db, "--as-published", JUNE_DAY, str(big))

    assert result.code == 0, result
    assert "comparing big.json" in result.err
    assert "recorded 30 action(s)" in result.out


def test_a_second_snapshot_of_the_same_day_records_its_changes_under_ids_of_their_own(run_cli, sqlite_db,
                                                                                         tmp_path) -> None:
    _import(run_cli, sqlite_db, JUNE, JUNE_DAY)
    results = json.loads((FIXTURES / JUNE).read_text(encoding="utf-8"))["results"]
    corrected = tmp_path / "corrected.json"
    corrected.write_text(json.dumps([results[0], results[3]]), encoding="utf-8")

    result = run_cli("import", "screening-list", "--db", sqlite_db, "--as-published", JUNE_DAY, str(corrected))

    assert result.code == 0, result
    stored = _log(run_cli, sqlite_db)
    assert "csl-us-bis-entity-list-example-trading-co-delisted-2019-06-03-2" in stored
    assert set(_entries(run_cli, sqlite_db, JUNE_DAY, "us-bis-entity-list")) == {"huawei-technologies-co-ltd"}


def test_a_name_matching_several_known_parties_is_refused_naming_them(run_cli, sqlite_db, write_timeline,
                                                                      tmp_path) -> None:
    common = {"effective_on": "2019-01-02", "published_on": "2019-01-02",
              "sources": [{"reliability": "official", "citation": "999 FR 9"}]}
    run_cli("record", "--db", sqlite_db, str(write_timeline([
        {"kind": "entity_listed", "list": "us-bis-unverified-list", **common,
         "party": {"key": "acme-one", "name": "Acme One Ltd.", "aliases": ["ACME"]}},
        {"kind": "entity_listed", "list": "us-bis-unverified-list", **common,
         "party": {"key": "acme-two", "name": "Acme Two Ltd.", "aliases": ["ACME"]}},
    ])))
    snapshot = tmp_path / "acme.json"
    snapshot.write_text(json.dumps([{"source": "EL", "name": "Acme"}]), encoding="utf-8")

    result = run_cli("import", "screening-list", "--db", sqlite_db, "--as-published", JUNE_DAY, str(snapshot))

    assert result.code == 1
    assert ("acme.json: record 1 [Acme]: name: 'Acme' matches several known parties (acme-one, acme-two)"
            in result.err)


# -- text is text, numbers are JSON's, the limits of a file (issue 13) -------------------------------------------

ENTRY = {"source": "EL", "name": "Acme", "start_date": "2019-01-02"}

BAD_ENTRIES = [  # (case, the entry's changes or the file's text, what the refusal says after `FILE: `)
    ("numbers-as-addresses", {"addresses": [1, 2]}, "record 1 [Acme]: addresses[1]: Input should be a valid string"),
    ("number-as-name", {"name": 5}, "record 1: name: Input should be a valid string"),
    ("number-as-source", {"source": 5}, "record 1 [Acme]: source: Input should be a valid string"),
    ("number-as-alias", {"alt_names": ["A", 7]}, "record 1 [Acme]: alt_names[2]: Input should be a valid string"),
    ("object-as-alias", {"alt_names": [{"a": 1}]}, "record 1 [Acme]: alt_names[1]: Input should be a valid string"),
    ("number-as-licence-term", {"license_policy": 3}, "record 1 [Acme]: license_policy: Input should be a valid "
                                                      "string"),
    ("list-in-an-address", {"addresses": [{"address": "1 Road", "city": ["Shenzhen"]}]},
     "record 1 [Acme]: addresses: address 1: city: expected text, not list"),
    ("fraction-as-postal-code", {"addresses": [{"address": "1 Road", "postal_code": 5.5}]},
     "record 1 [Acme]: addresses: address 1: postal_code: expected text, not float"),
    ("nul-in-name", {"name": "Ac\x00me"},
     "record 1 ['Ac\\x00me']: name: a control character (U+0000) at character 3: this field takes one line of text "
     "without control characters"),
    ("escape-in-remarks", {"remarks": "x\x1b[2J"}, "record 1 [Acme]: remarks: a control character (U+001B)"),
    ("nan-anywhere", '{"results": [{"source": "EL", "name": "Acme", "score": NaN}]}',
     "not valid JSON: NaN is not a number JSON can carry (JSON has no NaN or Infinity)"),
    ("1e999-anywhere", '[{"source": "EL", "name": "Acme", "entity_number": 1e999}]',
     "not valid JSON: 1e999 is beyond the range of numbers (it would read as Infinity)"),
    ("deep", "[" * 5000 + "]" * 5000, "nested more than 100 levels deep"),
]


@pytest.mark.parametrize(("content", "says"), [case[1:] for case in BAD_ENTRIES],
                         ids=[case[0] for case in BAD_ENTRIES])
def test_a_value_that_is_not_what_its_field_takes_refuses_the_snapshot(run_cli, sqlite_db, tmp_path, content,
                                                                      says) -> None:
    snapshot = tmp_path / "snapshot.json"
    text = content if isinstance(content, str) else json.dumps([{**ENTRY, **content}])
    snapshot.write_text(text, encoding="utf-8")

    result = run_cli("import", "screening-list", "--db", sqlite_db, "--as-published", JUNE_DAY, str(snapshot))

    assert refused(result).startswith(f"{snapshot}: {says}"), result
    assert event_count(sqlite_db) == 0


def test_numbers_are_kept_where_a_number_is_an_identifier(run_cli, db, tmp_path) -> None:
    entry = {**ENTRY, "entity_number": 77, "addresses": [{"address": "1 Road", "postal_code": 518129, "country": "CN"}]}
    snapshot = tmp_path / "snapshot.json"
    snapshot.write_bytes(b"\xef\xbb\xbf" + json.dumps([entry]).encode())  # a byte-order mark is ignored

    result = run_cli("import", "screening-list", "--db", db, "--as-published", JUNE_DAY, str(snapshot))

    assert result.code == 0, result
    (listing,) = _log(run_cli, db).values()
    assert listing["party"]["addresses"] == ["1 Road, 518129, CN"]
