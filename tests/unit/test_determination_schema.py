"""The typed rule parameters and entry details the determination reads, and the transaction file's model: values
checked and typed, errors naming the field, nothing stored that was not given (so stored hashes do not change)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from pydantic import ValidationError

from regledger.domain import action_adapter
from regledger.projections.determination import Transaction

SOURCE = [{"reliability": "official", "citation": "85 FR 51596"}]


def _measure(kind: str = "measure_adopted", **extra: Any) -> dict[str, Any]:
    dates = {"published_on": "2020-08-17"} if kind == "measure_announced" else {
        "effective_on": "2020-08-17", "published_on": "2020-08-17"}
    return {"kind": kind, "measure": {"key": "m"}, "sources": SOURCE, **dates, **extra}


def _problem(data: dict[str, Any]) -> str:
    with pytest.raises(ValidationError) as refused:
        action_adapter.validate_python(data)
    detail = refused.value.errors()[0]
    return f"{'.'.join(str(p) for p in detail['loc'][1:])}: {detail['msg']}"


def test_list_and_mapping_parameters_are_typed() -> None:
    action = action_adapter.validate_python(_measure(parameters={
        "rule": "de_minimis", "de_minimis_percent": "25", "de_minimis_country_groups": {"E:1": "10"},
        "countries": ["IR", "KP"], "authorized_activities": ["standards_5g"], "certification_required": "true",
        "contract_executed_on_or_before": "2019-05-16", "fdp_plant_eccns": ["3E001", "5A992.c"],
        "gaps": ["fdp_plant_eccns"]}))
    parameters = action.parameters  # type: ignore[union-attr]
    assert parameters["de_minimis_country_groups"] == {"E:1": 10.0}
    assert parameters["countries"] == ("IR", "KP")
    assert parameters["certification_required"] is True
    assert parameters["contract_executed_on_or_before"] == date(2019, 5, 16)
    assert action.as_data()["parameters"]["countries"] == ["IR", "KP"]


@pytest.mark.parametrize(("parameters", "named"), [
    ({"rule": "de_minimus"}, "parameters: Value error, rule: Input should be"),
    ({"countries": ["china"]}, "parameters: Value error, countries: 'china' is not an ISO 3166-1"),
    ({"party_roles": ["shipper"]}, "parameters: Value error, party_roles: Input should be"),
    ({"fdp_technology_eccns": ["3E0"]}, "parameters: Value error, fdp_technology_eccns: '3E0' is not an ECCN"),
    ({"de_minimis_country_groups": {"E:1": 120}}, "parameters: Value error, de_minimis_country_groups:"),
    ({"gaps": ["Not Snake"]}, "parameters: Value error, gaps: 'Not Snake' is not a snake_case name"),
    ({"free_text": ["a", "b"]}, "parameters: Value error, free_text: a parameter value is a single string or number"),
])
def test_a_bad_parameter_is_refused_naming_it(parameters: dict[str, Any], named: str) -> None:
    assert _problem(_measure(parameters=parameters)).startswith(named)


@pytest.mark.parametrize("kind", ["measure_drafted", "measure_proposed", "measure_announced", "measure_adopted"])
def test_applies_to_and_rule_parameters_are_accepted_on_every_measure_that_states_terms(kind: str) -> None:
    action = action_adapter.validate_python(_measure(kind, parameters={"rule": "de_minimis", "de_minimis_percent": 10},
                                                     applies_to=["huawei-technologies"], include_affiliates=True))
    assert action.applies_to == ("huawei-technologies",)  # type: ignore[union-attr]


def test_entry_details_for_the_determination_are_typed() -> None:
    listed = {"kind": "entity_listed", "list": "us-bis-entity-list", "party": {"key": "p"},
              "effective_on": "2019-05-16", "published_on": "2019-05-16", "sources": SOURCE}
    action = action_adapter.validate_python({**listed, "details": {
        "licence_scope": "all_items_subject_to_ear", "licence_review_policy": "presumption_of_denial",
        "licence_exclusions": ["us-bis-standards-rule-2020-huawei"], "footnotes": ["1"], "gaps": []}})
    assert action.details["footnotes"] == ("1",)  # type: ignore[union-attr]
    assert _problem({**listed, "details": {"licence_review_policy": "lenient"}}).startswith(
        "details: Value error, licence_review_policy:")


def test_an_action_without_the_new_fields_keeps_its_content() -> None:
    data = _measure(parameters={"de_minimis_percent": 10})
    action = action_adapter.validate_python(data)
    assert set(action.as_data()) == {"kind", "measure", "sources", "effective_on", "published_on", "parameters"}


def test_a_transaction_refuses_null_and_unknown_fields_naming_them() -> None:
    with pytest.raises(ValidationError) as refused:
        Transaction.model_validate({"item": {"eccn": None}})
    assert [e["loc"] for e in refused.value.errors()] == [("item", "eccn")]
    with pytest.raises(ValidationError) as extra:
        Transaction.model_validate({"parties": {"shipper": "x"}})
    assert extra.value.errors()[0]["loc"] == ("parties", "shipper")


def test_a_transaction_keeps_absent_apart_from_none() -> None:
    unknown = Transaction.model_validate({"parties": {"purchaser": "Huawei"}})
    none = Transaction.model_validate({"item": {"developed_by": []}, "parties": {"purchaser": [], "end_user": []}})
    assert unknown.item.developed_by is None
    assert none.item.developed_by == ()
    assert unknown.parties.named() == [("purchaser", "Huawei")]
    assert "end_user" in unknown.parties.unknown_roles()
    assert "end_user" not in none.parties.unknown_roles()
