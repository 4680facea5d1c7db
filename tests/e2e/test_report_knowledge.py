"""`regledger report knowledge D`: the law in force on D beside what the public record showed on D, on the bundled
case (both stores): the issue's two dates, the three groups, `--known-at`, and the rendered formats."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

import pytest

from regledger.adapters.importers.timeline import read_timeline
from regledger.adapters.services import reports
from regledger.adapters.wiring import open_stores
from regledger.projections import Query
from tests.conftest import EXAMPLE, POSTGRES_URL, drop_schema, require_postgres


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def recorded(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The bundled case recorded once per store for this module."""
    schema = None
    if request.param == "postgres":
        require_postgres()
        schema = f"t_{uuid.uuid4().hex[:12]}"
    db = f"{POSTGRES_URL}?schema={schema}" if schema else str(tmp_path_factory.mktemp("knowledge") / "ledger.db")
    with open_stores(db) as stores:
        stores.ledger.record(read_timeline(EXAMPLE))
    yield db
    if schema:
        drop_schema(schema)


def _knowledge(db: str, query: Query) -> dict[str, Any]:
    with open_stores(db, write=reports.WRITES) as stores:
        return reports.knowledge(stores, query, "regledger report knowledge").data


def _find(data: dict[str, Any], subject: str) -> tuple[str, dict[str, Any]]:
    """The group an entry or measure fell in, and its row."""
    found = [(g["group"], i) for g in data["groups"] for i in g["items"] if i["subject"] == subject]
    assert len(found) == 1, (subject, found)
    return found[0]


def _cited(citations: list[dict[str, Any]]) -> list[tuple[str | None, str, str]]:
    return [(c["citation"], c["kind"], c["published_on"]) for c in citations]


def test_on_2019_05_17_huawei_is_in_force_and_public_through_public_inspection_before_its_issue(
        recorded: str) -> None:
    data = _knowledge(recorded, Query(date(2019, 5, 17)))

    group, huawei = _find(data, "us-bis-entity-list/huawei-technologies")

    assert (group, huawei["law_status"], huawei["public_status"]) == ("agreed", "in_force", "in_force")
    assert huawei["in_force_since"] == "2019-05-16"
    assert huawei["public_since"] == "2019-05-16"
    assert ("FR Doc. 2019-10616 (public inspection)", "public_inspection", "2019-05-16") in _cited(
        huawei["public_through"])
    assert "84 FR 22961" not in [c["citation"] for c in huawei["public_through"]]
    assert ("84 FR 22961", "federal_register", "2019-05-21") in _cited(huawei["not_yet_published"])
    assert huawei["not_yet_published"][0]["bluebook"] == (
        "84 Fed. Reg. 22,961 (May 21, 2019) (codified at 15 C.F.R. pt. 744, supp. 4)")
    assert data["public_record_cut"] == "2019-05-17"


def test_on_2020_05_15_the_fdp_rule_is_public_through_the_announcement_and_public_inspection_that_day(
        recorded: str) -> None:
    data = _knowledge(recorded, Query(date(2020, 5, 15)))

    group, rule = _find(data, "us-bis-fdp-rule-huawei")

    assert (group, rule["law_status"], rule["public_status"]) == ("agreed", "in_force", "in_force")
    public = _cited(rule["public_through"])
    assert {kind for _, kind, _ in public} == {"public_inspection", "agency_announcement"}
    assert {day for _, _, day in public} == {"2020-05-15"}
    assert ("85 FR 29849", "federal_register", "2020-05-19") in _cited(rule["not_yet_published"])
    assert next(c["kind"] for c in rule["public_through"]) == "public_inspection"  # official first
    assert "15 CFR 736.2(b)(3)(vi)" in rule["cfr"]


def test_a_listing_announced_but_not_yet_in_force_is_public_but_not_in_force(recorded: str) -> None:
    data = _knowledge(recorded, Query(date(2019, 5, 15)))

    group, huawei = _find(data, "us-bis-entity-list/huawei-technologies")

    assert (group, huawei["law_status"], huawei["public_status"]) == ("public_not_in_force", "announced", "announced")
    assert huawei["public_through"][0]["kind"] == "agency_announcement"


def test_a_rule_in_force_before_anything_public_said_so_had_retroactive_effect(recorded: str) -> None:
    data = _knowledge(recorded, Query(date(2019, 5, 16), published_by=date(2019, 5, 15)))

    group, huawei = _find(data, "us-bis-entity-list/huawei-technologies")

    assert (group, huawei["law_status"], huawei["public_status"]) == ("retroactive", "in_force", "announced")
    assert ("FR Doc. 2019-10616 (public inspection)", "public_inspection", "2019-05-16") in _cited(
        huawei["not_yet_published"])
    assert data["public_record_cut"] == "2019-05-15"
    assert data["summary"]["retroactive"] == len(data["groups"][0]["items"]) >= 1


def test_known_at_says_what_regledger_had_recorded_then(recorded: str) -> None:
    before = _knowledge(recorded, Query(date(2019, 5, 17), known_at=datetime(2000, 1, 1, tzinfo=UTC)))
    now = _knowledge(recorded, Query(date(2019, 5, 17), known_at=datetime.now(UTC)))

    rows = [i for g in before["groups"] for i in g["items"]]
    assert rows
    assert all(i["known_at_status"] is None for i in rows)
    _, huawei = _find(now, "us-bis-entity-list/huawei-technologies")
    assert huawei["known_at_status"] == "in_force"
    assert "known_at_status" not in _find(_knowledge(recorded, Query(date(2019, 5, 17))),
                                          "us-bis-entity-list/huawei-technologies")[1]


def test_the_command_renders_each_format_with_memo_citations(recorded: str, run_cli) -> None:
    markdown = run_cli("report", "knowledge", "2019-05-17", "--format", "markdown", "--db", recorded)
    html = run_cli("report", "knowledge", "2019-05-17", "--db", recorded)
    plain = run_cli("report", "knowledge", "2019-05-17", "--citation-style", "plain", "--format", "json",
                    "--db", recorded)

    assert (markdown.code, html.code, plain.code) == (0, 0, 0), (markdown.err, html.err, plain.err)
    (row,) = [line for line in markdown.out.splitlines()
              if line.startswith("| Huawei Technologies Co., Ltd. (us-bis-entity-list/huawei-technologies)")]
    public, later = row.split(" | ")[-2:]
    assert "Federal Register Public Inspection, Doc. No. 2019-10616 (filed May 16, 2019)" in public
    assert later.startswith("[84 Fed. Reg. 22,961 (May 21, 2019) (codified at 15 C.F.R. pt. 744, supp. 4)]")
    assert "<i>Addition of Entities to the Entity List</i>, Federal Register Public Inspection" in html.out
    data = json.loads(plain.out)
    assert data["report"] == "knowledge"
    assert data["citation_style"] == "plain"
    assert "--citation-style plain" in data["command"]


def test_the_text_memos_take_citation_style_and_default_to_plain(recorded: str, run_cli) -> None:
    asked = ("as-of", "2019-05-17", "--party", "huawei-technologies", "--published-by", "2019-05-17", "--db", recorded)

    plain = run_cli(*asked)
    memo = run_cli(*asked, "--citation-style", "bluebook")
    history = run_cli("history", "huawei-technologies", "--citation-style", "bluebook", "--db", recorded)

    assert (plain.code, memo.code, history.code) == (0, 0, 0), (plain.err, memo.err, history.err)
    assert "Sources: FR Doc. 2019-10616 (public inspection) (official; public inspection 2019-05-16;" in plain.out
    assert ("Sources: Addition of Entities to the Entity List, Federal Register Public Inspection, Doc. No. "
            "2019-10616 (filed May 16, 2019) (to be codified at 15 C.F.R. pt. 744, supp. 4) (official).") in memo.out
    assert "84 Fed. Reg. 22,961 (May 21, 2019) (codified at 15 C.F.R. pt. 744, supp. 4) (official)" in history.out
