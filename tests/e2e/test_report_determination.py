"""`regledger report determination FILE`: the determination as a memo in every report format, on the bundled case
(both stores): golden files in HTML, Markdown and JSON (one golden for both stores) and, on SQLite, as PDF text and
Word XML; the JSON's `answer` is exactly `regledger determine --format json`'s; a what-if states its assumption and
what the answer was without it; bad input is refused as `determine` refuses it.

After an intended change, rewrite the goldens with
`REGLEDGER_UPDATE_GOLDEN=1 .venv/bin/pytest tests/e2e/test_report_determination.py` and review `git diff tests/golden`.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator
from contextlib import chdir
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from regledger.adapters.cli.main import cli
from tests.conftest import EXAMPLE, POSTGRES_URL, drop_schema, require_postgres
from tests.e2e.report_kit import HOSTILE_NAME, PINNED_EPOCH, assert_golden, normalise, parsed
from tests.e2e.test_report_documents import pages_of, word_xml

HUAWEI = "Huawei Technologies Co., Ltd."
SUFFIX = {"html": "html", "markdown": "md", "json": "json"}
SHIPMENTS: list[dict[str, Any]] = [  # three Done-when cases of issue 19: listed, authorized, the August 2020 FDP rule
    {"date": "2019-05-17", "ship_from": "US", "destination": "CN",
     "item": {"description": "network routers", "type": "commodity", "eccn": "EAR99", "reasons_for_control": [],
              "origin": "us"},
     "parties": {"purchaser": [], "intermediate_consignee": [], "ultimate_consignee": HUAWEI, "end_user": HUAWEI}},
    {"date": "2019-06-01", "ship_from": "US", "destination": "CN", "contract_executed_on": "2019-05-01",
     "item": {"type": "commodity", "eccn": "EAR99", "reasons_for_control": [], "origin": "us",
              "activity": "existing_network_operation"},
     "parties": {"purchaser": [], "intermediate_consignee": [], "ultimate_consignee": HUAWEI, "end_user": HUAWEI}},
    {"date": "2020-09-15", "ship_from": "TW", "destination": "CN",
     "item": {"type": "commodity", "eccn": "EAR99", "reasons_for_control": [], "origin": "foreign",
              "controlled_us_content_percent": 0, "direct_product_of": ["3E001"], "plant_direct_product_of": [],
              "developed_by": [], "incorporated_into_items_of": []},
     "parties": {"purchaser": HUAWEI, "intermediate_consignee": [], "ultimate_consignee": "Acme Trading Ltd",
                 "end_user": "Acme Trading Ltd"}},
]
_HEAD = re.compile(r"\b[0-9a-f]{64}\b|\b[0-9a-f]{12}…")  # as test_report_documents normalises documents
_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z| UTC|\+00:00)?")
DRAFT = "us-bis-huawei-de-minimis-draft-rule"
CONTENT_20 = {"date": "2020-02-01", "ship_from": "TW", "destination": "CN",
              "item": {"type": "commodity", "eccn": "EAR99", "reasons_for_control": [], "origin": "foreign",
                       "controlled_us_content_percent": 20, "direct_product_of": [], "plant_direct_product_of": [],
                       "developed_by": [], "incorporated_into_items_of": []},
              "parties": {"purchaser": [], "intermediate_consignee": [], "ultimate_consignee": HUAWEI,
                          "end_user": HUAWEI}}


class Case:
    """The bundled case recorded once on one store, and the shipment files beside it (named relatively, so that
    the command line each report states is the same on every machine)."""

    def __init__(self, db: str, folder: Path) -> None:
        self.db = db
        self.folder = folder
        (folder / "shipments.yaml").write_text(yaml.safe_dump(SHIPMENTS, sort_keys=False), encoding="utf-8")
        (folder / "content-20.yaml").write_text(yaml.safe_dump(CONTENT_20, sort_keys=False), encoding="utf-8")
        (folder / "bad.yaml").write_text("date: 2019-05-17\nitem:\n  origin: mars\n", encoding="utf-8")
        assert self.cli("record", str(EXAMPLE)).exit_code == 0

    def cli(self, *args: str) -> Any:
        """`regledger ARGS --db THE_LEDGER` in the case's folder, produced at the pinned moment."""
        with chdir(self.folder):
            return CliRunner().invoke(cli, [*args, "--db", self.db], env={"SOURCE_DATE_EPOCH": PINNED_EPOCH},
                                      catch_exceptions=True)

    def ok(self, *args: str) -> str:
        """What a successful command prints."""
        result = self.cli(*args)
        assert result.exit_code == 0, (result.output, result.exception)
        return str(result.stdout)


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def case(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Case]:
    """The bundled case recorded once per store for this module."""
    folder = tmp_path_factory.mktemp("determination-report")
    schema = None
    if request.param == "postgres":
        require_postgres()
        schema = f"t_{uuid.uuid4().hex[:12]}"
    db = f"{POSTGRES_URL}?schema={schema}" if schema else str(folder / "ledger.db")
    yield Case(db, folder)
    if schema:
        drop_schema(schema)


@pytest.mark.parametrize("output", ["html", "markdown", "json"])
def test_the_report_on_three_done_when_shipments_matches_its_golden_file(case: Case, output: str) -> None:
    text = case.ok("report", "determination", "shipments.yaml", "--format", output)

    assert_golden(f"report-determination.{SUFFIX[output]}", normalise(text, case.db))


def test_the_json_report_holds_exactly_the_determine_json_under_the_report_header(case: Case) -> None:
    report = json.loads(case.ok("report", "determination", "shipments.yaml", "--format", "json"))
    answer = json.loads(case.ok("determine", "shipments.yaml", "--format", "json"))

    assert report["answer"] == answer
    assert [r["determination"] for r in answer["results"]] == ["licence_required", "authorized", "licence_required"]
    assert report["report"] == "determination"
    assert report["ledger_size"] > 0
    assert len(report["ledger_head"]) == 64
    assert report["produced_at"] == "2026-01-01T00:00:00Z"
    assert report["axes"] == {"on": None, "published_by": None, "known_at": None, "min_reliability": None}
    assert {s["determination"]: s["count"] for s in report["summary"]} == {
        "not_subject_to_ear": 0, "no_licence_required": 0, "authorized": 1, "licence_required": 2,
        "cannot_determine": 0}
    assert report["title"] == "Licence determinations for 3 shipments"


def test_each_memo_gives_the_determination_policy_and_the_rule_it_cites(case: Case) -> None:
    text = case.ok("report", "determination", "shipments.yaml", "--format", "markdown", "--citation-style", "plain")

    listed, authorized, fdp = text.split("\n## ")[1:4]
    assert "**licence required**" in listed
    assert "Licence review policy: **presumption of denial**" in listed
    assert "84 FR 22961" in listed
    assert "entity\\_list.end\\_user" in listed
    assert "**authorized**" in authorized
    assert "84 FR 23468" in authorized
    assert "**licence required**" in fdp
    assert "Licence review policy: **unknown**" in fdp
    assert "85 FR 51596" in fdp
    assert "Not evaluated: " in fdp


def test_a_what_if_report_states_the_assumption_and_the_answer_without_it(case: Case) -> None:
    text = case.ok("report", "determination", "content-20.yaml", "--assume-adopted", DRAFT, "--format", "markdown")
    data = json.loads(case.ok("report", "determination", "content-20.yaml", "--assume-adopted", DRAFT,
                              "--format", "json"))

    assert data["answer"]["determination"] == "licence_required"
    assert data["answer"]["determination_before"] == "not_subject_to_ear"
    assert data["assumptions"]
    assert DRAFT in data["assumptions"][0]
    assert "## Assumptions" in text
    assert "Without the assumptions: **not subject to ear**" in text
    assert f"--assume-adopted {DRAFT}" in data["command"]


def test_the_on_date_fills_the_header_and_transactions_without_a_date(case: Case) -> None:
    undated = {k: v for k, v in CONTENT_20.items() if k != "date"}
    (case.folder / "undated.yaml").write_text(yaml.safe_dump(undated), encoding="utf-8")

    data = json.loads(case.ok("report", "determination", "undated.yaml", "--on", "2019-06-01", "--format", "json"))

    assert data["axes"]["on"] == "2019-06-01"
    assert data["answer"]["date"] == "2019-06-01"
    assert data["axes_text"][0].endswith("(2019-06-01 for those that give none).")


def test_bad_input_is_refused_as_determine_refuses_it(case: Case) -> None:
    report = case.cli("report", "determination", "bad.yaml", "--format", "html")
    determine = case.cli("determine", "bad.yaml")

    assert report.exit_code == determine.exit_code == 1
    assert str(report.exception) == "bad.yaml: transaction 1: item.origin: Input should be 'us' or 'foreign'"
    assert str(report.exception) == str(determine.exception)


def test_a_hostile_name_in_the_file_renders_escaped_and_intact(case: Case) -> None:
    hostile = {**SHIPMENTS[0], "item": {**SHIPMENTS[0]["item"], "description": HOSTILE_NAME},
               "parties": {**SHIPMENTS[0]["parties"], "end_user": HOSTILE_NAME}}
    (case.folder / "hostile.yaml").write_text(yaml.safe_dump(hostile), encoding="utf-8")

    html = case.ok("report", "determination", "hostile.yaml", "--format", "html")
    markdown = case.ok("report", "determination", "hostile.yaml", "--format", "markdown")

    assert "<script" not in html
    assert "<b>bold</b>" not in html
    assert HOSTILE_NAME in "".join(parsed(html).text)
    assert "<script>" not in markdown
    assert "[link](javascript:x)" not in markdown


@pytest.mark.parametrize("output", ["pdf", "docx"])
def test_the_report_as_a_document_matches_its_golden(case: Case, output: str) -> None:
    path = case.folder / f"report.{output}"
    case.ok("report", "determination", "shipments.yaml", "--format", output, "-o", str(path))

    data = path.read_bytes()
    if output == "pdf":
        pages = pages_of(data)
        text = "".join(f"--- page {n} ---\n{page.rstrip()}\n" for n, page in enumerate(pages, 1))
        assert "84 Fed. Reg. 22,961" in text
        assert len(pages) <= 12
        assert_golden("documents/report-determination.pdf.txt", _document(text, case.db))
    else:
        assert_golden("documents/report-determination.docx.xml", _document(word_xml(data), case.db))


def _document(text: str, db: str) -> str:
    """A document's text with what changes from run to run replaced (stamps, version, ledger, head digest)."""
    return _MOMENT.sub("<TIME>", _HEAD.sub("<HEAD>", normalise(text, db)))
