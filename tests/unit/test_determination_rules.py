"""The determination reads its rules from the ledger: removing any one rule of the bundled case from a copy of it
changes the answer or its steps for some Done-when transaction, never silently leaves them the same."""

from __future__ import annotations

import pytest

from regledger.domain.actions import EntityListed, EntryAmended
from regledger.domain.history import Entry
from regledger.projections import Query
from tests.unit.determination_kit import CASES, answer, case_entries, fingerprint

DETAILS = {"licence_scope", "licence_review_policy", "licence_exclusions", "footnotes"}


def _rules() -> list[str]:
    """Each rule of the case: a measure with a role (`rule` parameter), or an entry action giving licence terms."""
    found: dict[str, None] = {}
    for entry in case_entries():
        action = entry.action
        parameters = getattr(action, "parameters", None) or {}
        if "rule" in parameters:
            found[f"measure:{action.measure.key}"] = None  # type: ignore[union-attr]
        if isinstance(action, EntityListed | EntryAmended) and DETAILS & set(action.details or {}):
            found[f"action:{action.id}"] = None
    return list(found)


def _without(rule: str) -> list[Entry]:
    kind, key = rule.split(":", 1)
    if kind == "measure":
        return [e for e in case_entries() if getattr(getattr(e.action, "measure", None), "key", None) != key]
    return [e for e in case_entries() if getattr(e.action, "id", None) != key]


def _answers(entries: list[Entry]) -> list[dict[str, object]]:
    return [fingerprint(answer(entries, tx, roles, Query(as_of=tx.date))) for tx, roles in CASES  # type: ignore[arg-type]
            ]


@pytest.fixture(scope="module")
def full() -> list[dict[str, object]]:
    return _answers(list(case_entries()))


def test_the_case_holds_every_role_of_the_vocabulary() -> None:
    roles = {getattr(e.action, "parameters", None) and e.action.parameters.get("rule")  # type: ignore[union-attr]
             for e in case_entries()}
    assert roles >= {"de_minimis", "country_group", "party_roles", "fdp_entity_list", "general_authorization",
                     "licence_exclusion"}


@pytest.mark.parametrize("rule", _rules())
def test_removing_a_rule_changes_an_answer_or_its_steps(full: list[dict[str, object]], rule: str) -> None:
    changed = _answers(_without(rule))
    assert changed != full, f"removing {rule} changed no answer and no step"


def test_removing_a_required_rule_makes_the_answer_undecided_and_names_it() -> None:
    entries = [e for e in case_entries()
               if getattr(getattr(e.action, "measure", None), "key", None) != "us-bis-el-party-roles-notices"]
    tx, roles = CASES[1]
    found = answer(entries, tx, roles, Query(as_of=tx.date))  # type: ignore[arg-type]
    assert found.determination == "cannot_determine"
    assert "party_roles" in found.reason


def _extra(*actions: dict[str, object]) -> list[Entry]:
    from datetime import timedelta  # noqa: PLC0415

    from regledger.domain import action_adapter  # noqa: PLC0415

    base = list(case_entries())
    last = base[-1]
    return base + [Entry(last.seq + n, last.recorded_at + timedelta(seconds=n), action_adapter.validate_python(a))
                   for n, a in enumerate(actions, start=1)]


def _rule(key: str, parameters: dict[str, object], **extra: object) -> dict[str, object]:
    return {"kind": "measure_adopted", "measure": {"key": key}, "effective_on": "2019-01-01",
            "published_on": "2019-01-01", "sources": [{"reliability": "official", "citation": "test"}],
            "parameters": parameters, **extra}


def test_two_conflicting_de_minimis_rules_in_force_make_the_answer_undecided_naming_both() -> None:
    entries = _extra(_rule("test-de-minimis", {"rule": "de_minimis", "de_minimis_percent": 20}))
    tx, roles = CASES[6]  # 20 % content on 2019-06-01
    found = answer(entries, tx, roles, Query(as_of=tx.date))  # type: ignore[arg-type]
    assert found.determination == "cannot_determine"
    assert "test-de-minimis" in found.reason
    assert "us-ear-de-minimis" in found.reason


def test_two_conflicting_party_roles_rules_make_a_listing_undecided() -> None:
    entries = _extra(_rule("test-roles", {"rule": "party_roles", "party_roles": ["end_user"]}))
    tx, roles = CASES[1]  # Huawei as consignee and end user on 2019-05-17
    found = answer(entries, tx, roles, Query(as_of=tx.date))  # type: ignore[arg-type]
    assert found.determination == "cannot_determine"
    assert "conflicting party_roles rules" in found.reason


def test_a_party_specific_threshold_applies_only_to_its_parties_and_the_lowest_wins() -> None:
    entries = _extra(_rule("test-huawei-threshold", {"rule": "de_minimis", "de_minimis_percent": 15},
                           applies_to=["huawei-technologies"]))
    tx, roles = CASES[6]  # 20 % content on 2019-06-01
    assert answer(entries, tx, roles, Query(as_of=tx.date)).determination == "licence_required"  # type: ignore[arg-type]
    assert answer(entries, tx, (), Query(as_of=tx.date)).determination == "not_subject_to_ear"  # type: ignore[arg-type]


def test_include_affiliates_never_extends_an_entity_list_requirement() -> None:
    from regledger.projections import state_as_of  # noqa: PLC0415
    from regledger.projections.determination import Party, determine  # noqa: PLC0415

    entries = _extra({"kind": "entity_listed", "list": "test-other-list", "effective_on": "2019-01-01",
                      "published_on": "2019-01-01", "sources": [{"reliability": "official", "citation": "test"}],
                      "party": {"key": "test-affiliate", "name": "Test Affiliate",
                                "affiliate_of": "huawei-technologies"}})
    tx, _ = CASES[1]
    state = state_as_of(entries, Query(as_of=tx.date))  # type: ignore[arg-type]
    found = determine(state, tx, [Party("end_user", "Test Affiliate", "test-affiliate", "Test Affiliate",
                                        matched_by="name")])
    assert found.determination == "no_licence_required"
    step = next(s for s in found.steps if s.check == "entity_list.end_user")
    assert "only named entries are covered" in step.basis


def test_a_gap_makes_the_answer_undecided_only_where_it_decides_it() -> None:
    entries = [e for e in _extra(_rule("test-roles", {"rule": "party_roles", "party_roles": ["end_user"],
                                                      "gaps": ["party_roles"]}))
               if getattr(getattr(e.action, "measure", None), "key", None) != "us-bis-el-party-roles-notices"]
    tx, roles = CASES[1]  # U.S.-origin EAR99 on 2019-05-17
    listed = answer(entries, tx, roles, Query(as_of=tx.date))  # type: ignore[arg-type]
    assert listed.determination == "cannot_determine"
    assert "party_roles" in next(s for s in listed.steps if s.check == "entity_list.end_user").gaps
    nobody = answer(entries, tx, (), Query(as_of=tx.date))  # type: ignore[arg-type]
    assert nobody.determination == "no_licence_required"  # no listed party: the gap decides nothing
