"""`regledger determine` on the bundled case, on both stores: each Done-when case of issue 19 asserts the
determination and the rule it cites; what-ifs answer without recording; bad input files are refused, naming the
place, with exit status 1 and nothing written. The JSON is checked against the schema in docs/determination.md."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from jsonschema import Draft202012Validator

from tests.conftest import EXAMPLE, POSTGRES_URL, ROOT, drop_schema, require_postgres

HUAWEI = "Huawei Technologies Co., Ltd."
NOBODY = {"purchaser": [], "intermediate_consignee": []}


def _us_item(**extra: Any) -> dict[str, Any]:
    return {"type": "commodity", "eccn": "EAR99", "reasons_for_control": [], "origin": "us", **extra}


def _foreign_item(content: float, direct: tuple[str, ...] = ()) -> dict[str, Any]:
    return {"type": "commodity", "eccn": "EAR99", "reasons_for_control": [], "origin": "foreign",
            "controlled_us_content_percent": content, "direct_product_of": list(direct),
            "plant_direct_product_of": [], "developed_by": [], "incorporated_into_items_of": []}


def _to_huawei(day: str, item: dict[str, Any], ship_from: str = "US", **extra: Any) -> dict[str, Any]:
    return {"date": day, "ship_from": ship_from, "destination": "CN", "item": item,
            "parties": {**NOBODY, "ultimate_consignee": HUAWEI, "end_user": HUAWEI}, **extra}


def _bought_by_huawei(day: str, item: dict[str, Any], ship_from: str = "US") -> dict[str, Any]:
    return {"date": day, "ship_from": ship_from, "destination": "CN", "item": item,
            "parties": {"purchaser": HUAWEI, "intermediate_consignee": [], "ultimate_consignee": "Acme Trading Ltd",
                        "end_user": "Acme Trading Ltd"}}


# (name, transaction, determination, the check that cites the rule, a citation label it carries)
CASES: list[tuple[str, dict[str, Any], str, str, str]] = [
    ("announced-2019-05-15", _to_huawei("2019-05-15", _us_item()), "no_licence_required", "", ""),
    ("listed-2019-05-17", _to_huawei("2019-05-17", _us_item()), "licence_required", "entity_list.end_user",
     "84 FR 22961"),
    ("tgl-2019-06-01", _to_huawei("2019-06-01", _us_item(activity="existing_network_operation"),
                                  contract_executed_on="2019-05-01"), "authorized",
     "general_authorization.us-bis-huawei-tgl", "84 FR 23468"),
    ("tgl-lapsed-2020-08-15", _to_huawei("2020-08-15", _us_item(activity="existing_network_operation"),
                                         contract_executed_on="2019-05-01"), "licence_required",
     "entity_list.end_user", "84 FR 22961"),
    ("purchaser-2020-06-01", _bought_by_huawei("2020-06-01", _us_item()), "cannot_determine",
     "entity_list.purchaser", ""),
    ("purchaser-2020-09-01", _bought_by_huawei("2020-09-01", _us_item()), "licence_required",
     "entity_list.purchaser", "85 FR 51335"),
    ("content-20", _to_huawei("2019-06-01", _foreign_item(20), "TW"), "not_subject_to_ear",
     "subject_to_ear.de_minimis", "De Minimis Guidelines"),
    ("content-25", _to_huawei("2019-06-01", _foreign_item(25), "TW"), "not_subject_to_ear",
     "subject_to_ear.de_minimis", "De Minimis Guidelines"),
    ("content-30", _to_huawei("2019-06-01", _foreign_item(30), "TW"), "licence_required",
     "subject_to_ear.de_minimis", "De Minimis Guidelines"),
    ("fdp-2020-09-15", _bought_by_huawei("2020-09-15", _foreign_item(0, ("3E001",)), "TW"), "licence_required",
     "subject_to_ear.foreign_direct_product", "85 FR 51596"),
    ("fdp-2020-08-16", _bought_by_huawei("2020-08-16", _foreign_item(0, ("3E001",)), "TW"), "not_subject_to_ear",
     "subject_to_ear.foreign_direct_product", "85 FR 29849"),
    ("fdp-and-content-2020-09-15", _to_huawei("2020-09-15", _foreign_item(20, ("3E001",)), "TW"),
     "licence_required", "subject_to_ear.foreign_direct_product", "85 FR 51596"),
    ("content-20-2020-02-01", _to_huawei("2020-02-01", _foreign_item(20), "TW"), "not_subject_to_ear",
     "subject_to_ear.de_minimis", "De Minimis Guidelines"),
]


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def recorded(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The bundled case recorded once per store."""
    if request.param == "sqlite":
        db = str(tmp_path_factory.mktemp("determine") / "ledger.db")
        schema = None
    else:
        require_postgres()
        schema = f"t_{uuid.uuid4().hex[:12]}"
        db = f"{POSTGRES_URL}?schema={schema}"
    _run("record", EXAMPLE.as_posix(), "--db", db)
    yield db
    if schema is not None:
        drop_schema(schema)


def _run(*args: str, code: int = 0) -> Any:
    from regledger.adapters.cli.main import cli  # noqa: PLC0415

    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == code, (result.output, result.exception)
    return result


def _determine(db: str, transactions: Any, tmp_path: Path, *extra: str) -> Any:
    path = tmp_path / f"tx-{uuid.uuid4().hex[:6]}.yaml"
    path.write_text(yaml.safe_dump(transactions, sort_keys=False), encoding="utf-8")
    return json.loads(_run("determine", path.as_posix(), "--format", "json", "--db", db, *extra).stdout)


def _schema() -> dict[str, Any]:
    text = (ROOT / "docs" / "determination.md").read_text(encoding="utf-8")
    blocks = re.findall(r"^## JSON Schema\n.*?^```json\n(.*?)^```", text, flags=re.DOTALL | re.MULTILINE)
    assert len(blocks) == 1
    schema: dict[str, Any] = json.loads(blocks[0])
    return schema


@pytest.fixture(scope="module")
def answers(recorded: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Every Done-when case answered in one run (a list answers `results` in order)."""
    found = _determine(recorded, [t for _, t, *_ in CASES], tmp_path_factory.mktemp("cases"))
    return {name: answer for (name, *_), answer in zip(CASES, found["results"], strict=True)}


@pytest.mark.parametrize(("name", "expected", "check", "cited"), [(n, d, c, x) for n, _, d, c, x in CASES])
def test_each_case_gives_its_determination_and_cites_its_rule(answers: dict[str, Any], name: str, expected: str,
                                                              check: str, cited: str) -> None:
    answer = answers[name]
    assert answer["determination"] == expected, answer["reason"]
    if check:
        steps = [s for s in answer["steps"] if s["check"] == check]
        assert steps, [s["check"] for s in answer["steps"]]
        labels = {c["citation"] or c["title"] or c["url"] for s in steps for c in s["citations"]}
        assert not cited or cited in labels, labels


def test_the_announced_listing_is_a_warning_the_day_before_it_took_effect(answers: dict[str, Any]) -> None:
    warnings = answers["announced-2019-05-15"]["warnings"]
    assert any("announced" in w and "Huawei" in w for w in warnings), warnings
    assert answers["listed-2019-05-17"]["review_policy"] == "presumption_of_denial"


def test_the_party_roles_rule_is_cited_on_both_dates(answers: dict[str, Any]) -> None:
    before = next(s for s in answers["purchaser-2020-06-01"]["steps"] if s["check"] == "entity_list.purchaser")
    after = next(s for s in answers["purchaser-2020-09-01"]["steps"] if s["check"] == "entity_list.purchaser")
    assert {r["key"] for r in before["reads"]} >= {"us-bis-el-party-roles-notices"}
    assert "licence_scope" in before["gaps"]  # the entry wording of May-June 2020 is a gap: it decides the answer
    assert {r["key"] for r in after["reads"]} >= {"us-bis-el-party-to-transaction-rule-2020"}
    assert after["result"] == "yes"


def test_a_licence_required_by_the_foreign_direct_product_rule_alone_has_an_unknown_review_policy(
        answers: dict[str, Any]) -> None:
    assert answers["fdp-2020-09-15"]["review_policy"] == "unknown"
    assert answers["fdp-and-content-2020-09-15"]["review_policy"] == "unknown"
    assert answers["content-30"]["review_policy"] == "presumption_of_denial"


def test_every_step_that_read_the_ledger_names_the_actions_and_cites_them(answers: dict[str, Any]) -> None:
    for name, answer in answers.items():
        for step in answer["steps"]:
            ledger_reads = [r for r in step["reads"] if r["kind"] in {"measure", "entry"}]
            if ledger_reads:
                assert step["citations"], (name, step["check"])
                used = [r for r in ledger_reads if r["parameters_used"]]
                assert all(r["action_ids"] for r in used), (name, step["check"], used)


def test_answers_follow_the_documented_schema(answers: dict[str, Any]) -> None:
    validator = Draft202012Validator(_schema())
    for name, answer in answers.items():
        problems = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(answer)]
        assert problems == [], name


def test_assuming_the_de_minimis_draft_adopted_makes_20_percent_need_a_licence(recorded: str,
                                                                              tmp_path: Path) -> None:
    transaction = _to_huawei("2020-02-01", _foreign_item(20), "TW")
    answer = _determine(recorded, transaction, tmp_path, "--assume-adopted", "us-bis-huawei-de-minimis-draft-rule")
    assert answer["determination"] == "licence_required"
    assert answer["determination_before"] == "not_subject_to_ear"
    minimis = next(s for s in answer["steps"] if s["check"] == "subject_to_ear.de_minimis")
    assert minimis["assumed"] is True
    assert minimis["before"]["result"] == "no"
    assert minimis["result"] == "yes"
    assert any("us-bis-huawei-de-minimis-draft-rule" in a for a in answer["assumptions"])
    log = json.loads(_run("log", "--format", "json", "--db", recorded).stdout)
    assert not any((a.get("id") or "").startswith("assumed") for a in log)  # nothing recorded


def test_assume_file_overlays_a_listing_for_this_answer_only(recorded: str, tmp_path: Path) -> None:
    listing = [{"kind": "entity_listed", "id": "assumed-example", "effective_on": "2020-01-01",
                "published_on": "2020-01-01", "list": "us-bis-entity-list",
                "party": {"key": "example-trading", "name": "Example Trading Co."},
                "details": {"licence_scope": "all_items_subject_to_ear"},
                "sources": [{"reliability": "official", "citation": "Hypothetical rule"}]}]
    assumed = tmp_path / "assume.yaml"
    assumed.write_text(yaml.safe_dump(listing), encoding="utf-8")
    transaction = {"date": "2020-02-01", "ship_from": "US", "destination": "CN", "item": _us_item(),
                   "parties": {**NOBODY, "ultimate_consignee": "Example Trading Co.", "end_user": []}}
    answer = _determine(recorded, [transaction], tmp_path, "--assume", assumed.as_posix())["results"][0]
    assert (answer["determination"], answer["determination_before"]) == ("licence_required", "no_licence_required")
    assert answer["review_policy"] == "unknown"  # the assumed entry gives none: never copied from another rule
    plain = _determine(recorded, [transaction], tmp_path)["results"][0]
    assert plain["determination"] == "no_licence_required"


def test_assume_adopted_refuses_a_measure_the_axes_hide(recorded: str, tmp_path: Path, run_cli: Any) -> None:
    path = tmp_path / "one.yaml"
    path.write_text(yaml.safe_dump(_to_huawei("2020-02-01", _foreign_item(20), "TW")), encoding="utf-8")
    result = run_cli("determine", path.as_posix(), "--db", recorded, "--min-reliability", "official",
                     "--assume-adopted", "us-bis-huawei-de-minimis-draft-rule")
    assert result.code == 1
    assert "--assume-adopted: us-bis-huawei-de-minimis-draft-rule" in result.err
    adopted = run_cli("determine", path.as_posix(), "--db", recorded, "--assume-adopted", "us-ear-de-minimis")
    assert adopted.code == 1
    assert "us-ear-de-minimis: no draft, proposal or announcement" in adopted.err


def test_a_near_miss_party_name_cannot_be_determined_and_names_the_candidate(recorded: str, tmp_path: Path) -> None:
    transaction = {"date": "2019-06-01", "ship_from": "US", "destination": "CN", "item": _us_item(),
                   "parties": {**NOBODY, "ultimate_consignee": "Huawei Technologies Company Limted", "end_user": []}}
    answer = _determine(recorded, transaction, tmp_path)
    assert answer["determination"] == "cannot_determine"
    step = next(s for s in answer["steps"] if s["check"] == "entity_list.ultimate_consignee")
    assert step["result"] == "unknown"
    assert "huawei" in step["basis"].lower()


def test_a_licence_exclusion_and_the_later_authorization_lift_the_requirement(recorded: str, tmp_path: Path) -> None:
    standards = _to_huawei("2020-07-01", _us_item(type="technology", activity="standards_contribution"))
    research = _to_huawei("2020-09-01", _us_item(type="technology", activity="security_vulnerability_disclosure"))
    found = _determine(recorded, [standards, research], tmp_path)["results"]
    assert found[0]["determination"] == "no_licence_required"
    excluded = next(s for s in found[0]["steps"] if s["check"].startswith("licence_exclusion."))
    assert excluded["result"] == "yes"
    assert {r["key"] for r in excluded["reads"]} == {"us-bis-standards-rule-2020-huawei"}
    assert found[1]["determination"] == "authorized"
    assert "us-bis-huawei-security-research-authorization" in found[1]["reason"]


def test_the_may_2020_wind_down_leaves_an_item_in_production_before_the_rule_undecided(recorded: str,
                                                                                         tmp_path: Path) -> None:
    def made(started: str | None) -> dict[str, Any]:
        item = {**_foreign_item(0, ("3E001",)), "developed_by": [HUAWEI]}
        return _to_huawei("2020-07-01", {**item, "production_started_on": started} if started else item, "TW")

    after, before, unsaid = _determine(recorded, [made("2020-06-01"), made("2020-05-01"), made(None)],
                                       tmp_path)["results"]
    assert (after["determination"], after["review_policy"]) == ("licence_required", "unknown")
    for undecided in (before, unsaid):
        assert undecided["determination"] == "cannot_determine"
        fdp = next(s for s in undecided["steps"] if s["check"] == "subject_to_ear.foreign_direct_product")
        assert fdp["result"] == "unknown"
        assert "wind-down" in fdp["basis"]
        assert "fdp-2020-05-15-wind-down-reported" in fdp["reads"][0]["action_ids"]


def test_knowledge_of_incorporation_into_a_footnote_entitys_equipment_reaches_a_transaction_without_it(
        recorded: str, tmp_path: Path) -> None:
    item = {**_foreign_item(0, ("3E001",)), "incorporated_into_items_of": [HUAWEI]}
    transaction = {"date": "2020-09-15", "ship_from": "TW", "destination": "KR", "item": item,
                   "parties": {"purchaser": "Acme Trading Ltd", "intermediate_consignee": [],
                               "ultimate_consignee": "Acme Trading Ltd", "end_user": "Acme Trading Ltd"}}
    answer = _determine(recorded, transaction, tmp_path)
    assert (answer["determination"], answer["review_policy"]) == ("licence_required", "unknown")
    assert "us-bis-fdp-rule-huawei" in answer["reason"]
    earlier = _determine(recorded, {**transaction, "date": "2020-08-16"}, tmp_path)  # the May rule: destined to
    assert earlier["determination"] == "not_subject_to_ear"


def test_ear99_to_an_embargoed_destination_is_not_determined(recorded: str, tmp_path: Path) -> None:
    transaction = {"date": "2020-09-01", "ship_from": "US", "destination": "IR", "item": _us_item(),
                   "parties": {**NOBODY, "ultimate_consignee": [], "end_user": []}}
    answer = _determine(recorded, transaction, tmp_path)
    assert answer["determination"] == "cannot_determine"
    assert "part 746" in answer["reason"]


def test_text_output_reads_as_a_memo(recorded: str, tmp_path: Path) -> None:
    path = tmp_path / "one.yaml"
    path.write_text(yaml.safe_dump(CASES[1][1]), encoding="utf-8")
    text = _run("determine", path.as_posix(), "--db", recorded).stdout
    assert text.startswith("Transaction on 2019-05-17: LICENCE REQUIRED")
    assert "84 FR 22961" in text
    assert "Not evaluated:" in text


def test_a_json_file_with_null_is_refused_naming_the_field(recorded: str, tmp_path: Path, run_cli: Any) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps([{"date": "2019-05-17"}, {"date": "2019-05-17", "parties": {"end_user": None}}]),
                    encoding="utf-8")
    result = run_cli("determine", path.as_posix(), "--db", recorded)
    assert result.code == 1
    assert "transaction 2: parties.end_user: null is refused" in result.err


BAD = [
    ("date: 2019-05-17\nitem: {eccn: null}\n", "transaction 1: item.eccn: null is refused"),
    ("- {date: 2019-05-17}\n- {date: 2019-05-17, item: {eccn: 3E0}}\n", "transaction 2: item.eccn:"),
    ("- {date: 2019-05-17, item: {colour: red}}\n", "transaction 1: item.colour: unknown field"),
    ("- {date: 2019-05-17, parties: {owner: x}}\n", "transaction 1: parties.owner: unknown field"),
    ("- {item: {origin: us}}\n", "transaction 1: date: missing"),
    ("- {date: 2019-02-30}\n", "transaction 1: date:"),
    ("[]\n", "a transaction file holds"),
    ("- {date: 2019-05-17, item: {activity: smuggling}}\n", "transaction 1: item.activity:"),
]


@pytest.mark.parametrize(("text", "message"), BAD)
def test_a_bad_file_is_refused_naming_the_place(recorded: str, tmp_path: Path, run_cli: Any, text: str,
                                                message: str) -> None:
    before = _run("log", "--format", "json", "--db", recorded).stdout
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    result = run_cli("determine", path.as_posix(), "--db", recorded)
    assert result.code == 1
    assert message in result.err, result.err
    assert len(result.err.strip().splitlines()) == 1
    assert _run("log", "--format", "json", "--db", recorded).stdout == before
