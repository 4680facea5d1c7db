"""`regledger screen` end to end on both stores: the bundled case's names, statuses on the row's date and whether
they were public by then, the JSON checked against the schema in docs/screening.md, the CSV, and bad files."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from tests.conftest import EXAMPLE, ROOT, listed, source


def _schema() -> dict[str, Any]:
    text = (ROOT / "docs" / "screening.md").read_text(encoding="utf-8")
    blocks = re.findall(r"^## JSON Schema\n.*?^```json\n(.*?)^```", text, flags=re.DOTALL | re.MULTILINE)
    assert len(blocks) == 1
    schema: dict[str, Any] = json.loads(blocks[0])
    return schema


def _closed(schema: Any) -> Any:
    """Every object that lists its keys accepts no other: nothing is output without being documented."""
    if isinstance(schema, list):
        return [_closed(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    found = {key: _closed(value) for key, value in schema.items()}
    if "properties" in found and "additionalProperties" not in found:
        found["additionalProperties"] = False
    return found


SCHEMA = _schema()


def _valid(document: dict[str, Any]) -> None:
    Draft202012Validator(SCHEMA).validate(document)
    Draft202012Validator(_closed(SCHEMA)).validate(document)


def _screen(run_cli: Any, db: str, *args: str) -> dict[str, Any]:
    result = run_cli("screen", *args, "--format", "json", "--db", db)
    assert result.code == 0, result.err
    document: dict[str, Any] = json.loads(result.out)
    _valid(document)
    return document


def _one(run_cli: Any, db: str, name: str, on: str) -> dict[str, Any]:
    row: dict[str, Any] = _screen(run_cli, db, "--name", name, "--on", on)["results"][0]
    return row


def _hit(row: dict[str, Any], party: str) -> dict[str, Any]:
    found = [m for m in row["matches"] if m["party"] == party]
    assert found, f"{party} not among {[m['party'] for m in row['matches']]}"
    return found[0]


@pytest.fixture
def bundled(run_cli: Any, db: str) -> str:
    assert run_cli("record", EXAMPLE.as_posix(), "--db", db).code == 0
    return db


def test_the_bundled_case(run_cli: Any, bundled: str) -> None:
    row = _one(run_cli, bundled, "Huawei Technologies Co. Ltd", "2019-05-17")
    assert row["decision"] == "match"
    best = row["matches"][0]
    assert best["party"] == "huawei-technologies"
    el = best["lists"][0]
    assert (el["list"], el["status"], el["listed_on"], el["public_by_date"]) == (
        "us-bis-entity-list", "in_force", "2019-05-16", True)
    assert any(c["kind"] == "public_inspection" for c in el["citations"])
    assert best["explanation"]["features"]
    assert best["explanation"]["summary"]

    before = _one(run_cli, bundled, "Huawei Technologies Co. Ltd", "2019-05-10")
    assert before["decision"] != "match"  # not listed yet: a strong name match is for review only
    assert _hit(before, "huawei-technologies")["lists"][0]["status"] == "not_listed"
    announced = _one(run_cli, bundled, "Huawei Technologies Co. Ltd", "2019-05-15")
    assert _hit(announced, "huawei-technologies")["lists"][0]["status"] == "announced"

    found = {"華為技術": "huawei-technologies", "HUAWEI TECHS CO": "huawei-technologies",
             "Technologies Huawei": "huawei-technologies", "Hisilicon Shanghai": "shanghai-hisilicon-technologies",
             "华为云计算技术有限公司": "huawei-cloud-computing-technology"}
    for name, party in found.items():
        row = _one(run_cli, bundled, name, "2020-09-01")
        assert row["matches"][0]["party"] == party, name
        assert row["decision"] in {"match", "possible"}, name
    assert _one(run_cli, bundled, "華為技術", "2019-05-17")["decision"] == "match"

    marine = _one(run_cli, bundled, "Huawei Marine", "2019-08-20")
    status = _hit(marine, "huawei-marine-networks")["lists"][0]
    assert (status["status"], status["listed_on"], status["public_by_date"]) == ("in_force", "2019-08-19", False)
    assert marine["decision"] == "match"
    assert _hit(_one(run_cli, bundled, "Huawei Marine", "2019-08-18"),
                "huawei-marine-networks")["lists"][0]["status"] == "not_listed"

    assert _one(run_cli, bundled, "Hawaii Technologies", "2019-05-17")["decision"] != "match"


def test_file_rows_dates_order_and_formats(run_cli: Any, bundled: str, tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    path.write_text("id,name,country,date,note\n"
                    "c-1,Huawei Technologies Co. Ltd,CN,,x\n"
                    "c-2,Huawei Technologies Co. Ltd,cn,2019-05-10,\n"
                    "c-3,Acme Widgets Plc,GB,,\n", encoding="utf-8")
    document = _screen(run_cli, bundled, path.as_posix(), "--on", "2019-05-17")
    rows = document["results"]
    assert [r["row"] for r in rows] == [1, 2, 3]
    assert [r["id"] for r in rows] == ["c-1", "c-2", "c-3"]
    assert [r["decision"] for r in rows] == ["match", "possible", "clear"]
    assert (rows[0]["date"], rows[0]["date_given"], rows[1]["date"], rows[1]["date_given"]) == (
        "2019-05-17", False, "2019-05-10", True)
    assert rows[1]["country"] == "CN"
    assert document["on"] == "2019-05-17"
    assert document["on_default"] is False
    assert document["ledger"]["size"] > 0
    assert document["matcher"]["version"]

    out = run_cli("screen", path.as_posix(), "--on", "2019-05-17", "--format", "csv", "--db", bundled)
    assert out.code == 0, out.err
    lines = list(csv.reader(io.StringIO(out.out)))
    assert lines[0] == ["row", "id", "name", "date", "decision", "party", "party_name", "matched_name", "score",
                        "list", "status", "public_by_date"]
    assert lines[1][:5] == ["1", "c-1", "Huawei Technologies Co. Ltd", "2019-05-17", "match"]
    assert lines[-1] == ["3", "c-3", "Acme Widgets Plc", "2019-05-17", "clear", "", "", "", "", "", "", ""]

    text = run_cli("screen", path.as_posix(), "--on", "2019-05-17", "--db", bundled)
    assert text.code == 0
    assert "Row 1: Huawei Technologies Co. Ltd" in text.out
    assert "MATCH" in text.out
    assert "2019-05-10 (the row's own date)" in text.out

    written = tmp_path / "out.json"
    assert run_cli("screen", "--name", "Huawei", "-o", written.as_posix(), "--format", "json",
                   "--db", bundled).code == 0
    today = json.loads(written.read_text(encoding="utf-8"))
    _valid(today)
    assert today["on_default"] is True


def test_removed_and_list_option(run_cli: Any, db: str, write_timeline: Any) -> None:
    gone = {"kind": "entity_delisted", "list": "us-bis-entity-list", "party": {"key": "acme"},
            "effective_on": "2020-01-10", "published_on": "2020-01-12", "sources": [source("85 FR 1")]}
    path = write_timeline([listed("acme", name="Acme Rocket Works Ltd", effective="2019-01-01",
                                  published="2019-01-01"), gone])
    assert run_cli("record", path.as_posix(), "--db", db).code == 0
    row = _one(run_cli, db, "Acme Rocket Works", "2020-02-01")
    status = row["matches"][0]["lists"][0]
    assert (row["decision"], status["status"], status["listed_on"], status["public_by_date"]) == (
        "possible", "removed", "2019-01-01", True)
    # on 2020-01-11 the removal was in effect but not yet published: the public record still showed it in force
    early = _one(run_cli, db, "Acme Rocket Works", "2020-01-11")["matches"][0]["lists"][0]
    assert (early["status"], early["public_by_date"]) == ("removed", False)
    assert _one(run_cli, db, "Acme Rocket Works", "2019-06-01")["decision"] == "match"
    # as published by 2019-12-31 (--published-by filters the whole screening) the removal is not visible
    later = _screen(run_cli, db, "--name", "Acme Rocket Works", "--on", "2020-02-01", "--published-by",
                    "2019-12-31")
    assert later["results"][0]["decision"] == "match"
    assert later["published_by"] == "2019-12-31"
    # known at a moment before anything was recorded: no name to match, the row is clear
    unknown_then = _screen(run_cli, db, "--name", "Acme Rocket Works", "--on", "2019-06-01", "--known-at",
                           "2000-01-01")
    assert unknown_then["results"][0]["decision"] == "clear"
    assert unknown_then["results"][0]["matches"] == []
    assert unknown_then["known_at"] == "2000-01-01T23:59:59.999999Z"
    only = _screen(run_cli, db, "--name", "Acme Rocket Works", "--on", "2019-06-01", "--list", "us-bis-entity-list")
    assert only["lists"] == ["us-bis-entity-list"]
    assert only["results"][0]["decision"] == "match"
    unknown = run_cli("screen", "--name", "Acme", "--list", "no-such-list", "--db", db)
    assert unknown.code == 1
    assert unknown.err.startswith("regledger: error: --list:")


def test_refusals(run_cli: Any, db: str, tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    path.write_text("name\nAcme\n", encoding="utf-8")
    cases = [
        (("screen", path.as_posix(), "--name", "Acme"), "not both"),
        (("screen",), "give FILE"),
        (("screen", "--name", "Acme", "--country", "China"), "--country:"),
        (("screen", "--name", "Acme", "--on", "2019-02-30"), "--on:"),
        (("screen", "--name", "Acme", "--threshold", "0.5", "--review-threshold", "0.7"), "--review-threshold"),
        (("screen", "--name", "Acme", "--threshold", "1.5"), "--threshold"),
        (("screen", "--name", "Ac\x00me"), "--name:"),
        (("screen", (tmp_path / "missing.csv").as_posix()), "cannot read"),
    ]
    for args, words in cases:
        result = run_cli(*args, "--db", db)
        assert result.code == 1, args
        assert result.err.count("\n") == 1, (args, result.err)
        assert words in result.err, (args, result.err)


def _bad_file(path: Path) -> int:
    """5,000 bad rows of five kinds (and two good ones); returns the count of bad rows."""
    lines = ["id,name,country,date"]
    kinds = [",,CN,", ",Acme,CN,2019-13-45", ",Acme,China,", ",{big},,", ",Ac\x00me,,"]
    big = "A" * 1_000_000
    for number in range(5_000):
        lines.append(f"b-{number}" + kinds[number % 5].format(big=big if number == 3 else "B" * 1_001))
    lines.insert(2, "g-1,Good Company,,")
    lines.append("g-2,Other Good Company,,")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 5_000


def test_bad_rows_refused_whole_or_skipped(run_cli: Any, bundled: str, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    _bad_file(path)
    result = run_cli("screen", path.as_posix(), "--db", bundled)
    assert result.code == 1
    assert result.err.count("\n") == 1
    assert "5,000 bad rows" in result.err
    assert "nothing screened" in result.err
    report = result.out.splitlines()
    assert len(report) == 5_000
    assert report[0] == f"{path}: row 1: name: missing (required)"
    assert "row 3: date: '2019-13-45' is not a calendar date" in report[1]
    assert "row 4: country:" in report[2]
    assert "row 5: name: 1,000,000 characters, more than the limit of 1,000" in report[3]
    assert "row 6: name: a control character (U+0000)" in report[4]
    assert "Screening" not in result.out

    as_json = run_cli("screen", path.as_posix(), "--format", "json", "--db", bundled)
    assert as_json.code == 1
    assert len(json.loads(as_json.out)["bad_rows"]) == 5_000

    skipped = _screen(run_cli, bundled, path.as_posix(), "--skip-bad-rows", "--on", "2019-05-17")
    assert [r["row"] for r in skipped["results"]] == [2, 5_002]
    assert len(skipped["bad_rows"]) == 5_000
    memo = run_cli("screen", path.as_posix(), "--skip-bad-rows", "--on", "2019-05-17", "--db", bundled)
    assert memo.code == 0
    assert "Bad rows left out (--skip-bad-rows): 5,000." in memo.out
    assert "row 6: name: a control character (U+0000)" in memo.out
    assert "\x00" not in memo.out
    assert skipped["bad_rows"][0] == {
        "row": 1, "column": "name", "problem": "missing (required)"}


def test_the_text_memo_cites_in_the_style_asked(run_cli: Any, bundled: str) -> None:
    def memo(*style: str) -> str:
        result = run_cli("screen", "--name", "Huawei Technologies Co. Ltd", "--on", "2019-05-17", *style,
                         "--db", bundled)
        assert result.code == 0, result.err
        return str(result.out)

    plain, bluebook = memo(), memo("--citation-style", "bluebook")
    assert "84 FR 22961" in plain
    assert "Fed. Reg." not in plain
    assert "84 Fed. Reg. 22,961 (May 21, 2019) (codified at 15 C.F.R. pt. 744, supp. 4)" in bluebook
    assert plain == memo("--citation-style", "plain")
    refused = run_cli("screen", "--name", "Huawei", "--citation-style", "apa", "--db", bundled)
    assert refused.code == 2
