"""Does a licence requirement reach this transaction, and does an exclusion or a general authorization lift it?

Each party named in the file is looked up on the Entity List under its own key: `include_affiliates` never extends an
Entity List requirement (in 2019-2021 only named entries were covered). A listed party's requirement reaches the
transaction when its role is among those the `party_roles` rule in force names.
"""

from __future__ import annotations

from dataclasses import dataclass

from regledger.projections.items import ListEntry, MeasureView

from .answer import NotApplied, Read, Step
from .rules import ENTITY_LIST, Ledger, as_tuple, step_from
from .transaction import Transaction

__all__ = ["Party", "Requirement", "authorization_steps", "exclusion_step", "listing_step"]


@dataclass(frozen=True)
class Party:
    """A party the file names in a role, as the party lookup resolved it: its key, or none (not in the ledger),
    or a near miss to review (`candidate`)."""

    role: str
    text: str
    key: str | None
    name: str | None = None
    candidate: str | None = None
    matched_by: str | None = None


@dataclass(frozen=True)
class Requirement:
    """A licence requirement found: whose (an entry's party, or a footnote rule's), yes or unknown, its policy."""

    source: str
    parties: tuple[str, ...]
    result: str
    review_policy: str
    step: int  # the index of the step that found it
    exclusions: tuple[str, ...] = ()
    footnote: bool = False  # the foreign direct product rule's own requirement


def listing_step(ledger: Ledger, party: Party, warnings: list[str]) -> tuple[Step, Requirement | None, str | None]:
    """The party's Entity List entry on the date, and whether its requirement reaches the party's role; with the
    requirement found and the required rule missing (`party_roles`), if any."""
    check = f"entity_list.{party.role}"
    if party.key is None:
        if party.candidate is not None:
            return _near_miss(ledger, party, check)
        return Step(check, f"{party.text!r} is not in the ledger: not on any list recorded", "no"), None, None
    entry = ledger.entry(party.key)
    label = f"{party.name or party.key} as {party.role}"
    if entry is None or entry.status != "in_force":
        if entry is not None:
            warnings.append(f"{party.name or party.key}: its Entity List listing is {entry.status} on "
                            f"{ledger.state.query.as_of} ({_cites(entry)}); once in force it would require a "
                            "licence for items subject to the EAR")
        basis = f"{label}: not listed on the Entity List on this date" + _affiliate_note(ledger, party.key)
        return step_from(check, basis, "no", [(entry, ("licence_scope",))] if entry else [],
                         extra=(Read("party", party.key, (), ()),)), None, None
    return _listed(ledger, party, entry, check, label)


def _near_miss(ledger: Ledger, party: Party, check: str) -> tuple[Step, Requirement | None, str | None]:
    """A name close to a party's (or shared by several): undecided when that party is listed on the date."""
    candidate = party.candidate or ""
    entry = ledger.entry(candidate)
    if entry is None or entry.status != "in_force":
        basis = f"{party.text!r} is close to {candidate} ({party.name}), which is not listed on this date"
        return Step(check, basis, "no", reads=(Read("party", candidate, (), ()),)), None, None
    basis = (f"{party.text!r} is not one party in the ledger, but it is close to {candidate} ({party.name}), "
             f"listed since {entry.listed_on}: review the name")
    step = step_from(check, basis, "unknown", [(entry, ("licence_scope",))],
                     extra=(Read("party", candidate, (), ()),))
    return step, Requirement(f"{ENTITY_LIST}/{candidate} (near miss: {party.text})", (), "unknown", "unknown",
                             -1), None


def _listed(ledger: Ledger, party: Party, entry: ListEntry, check: str,
            label: str) -> tuple[Step, Requirement | None, str | None]:
    """A listed party: its entry's scope and policy, and whether the `party_roles` rule reaches its role."""
    roles = ledger.rules("party_roles")
    scope = entry.details.get("licence_scope")
    gaps = set(as_tuple(entry.details.get("gaps")))
    scope_result = "unknown" if "licence_scope" in gaps or scope is None else "yes"
    policy = entry.details.get("licence_review_policy")
    policy = "unknown" if policy is None or "licence_review_policy" in gaps else str(policy)
    items: list[tuple[MeasureView | ListEntry, tuple[str, ...]]] = [
        (entry, ("licence_scope", "licence_review_policy", "licence_exclusions"))]
    missing = None
    if not roles.applied:
        reach, why = "unknown", "no rule says which transaction roles a listing reaches (rule: party_roles)"
        missing = "party_roles"
    elif len({tuple(as_tuple(m.parameters.get("party_roles"))) for m in roles.applied}) > 1:
        reach = "unknown"
        why = f"conflicting party_roles rules in force: {', '.join(m.key for m in roles.applied)}"
        missing = why
        items += [(m, ("party_roles",)) for m in roles.applied]
    else:
        rule = roles.applied[0]
        named = as_tuple(rule.parameters.get("party_roles"))
        reach = "unknown" if "party_roles" in as_tuple(rule.parameters.get("gaps")) else (
            "yes" if party.role in named else "no")
        why = f"the requirement reaches the roles {', '.join(named)} ({rule.key})"
        items.append((rule, ("party_roles",)))
    result = "no" if "no" in (reach, scope_result) else "unknown" if "unknown" in (reach, scope_result) else "yes"
    scope_text = "for all items subject to the EAR" if scope_result == "yes" else "licence scope not confirmed"
    basis = f"{label}: listed since {entry.listed_on} ({scope_text}; review policy {policy}); {why}"
    step = step_from(check, basis, result, items, not_applied=roles.not_applied, assumed=ledger.assumed_keys)
    requirement = None if result == "no" else Requirement(
        f"{ENTITY_LIST}/{entry.party}", (entry.party,), result, policy, -1,
        tuple(str(k) for k in as_tuple(entry.details.get("licence_exclusions"))))
    return step, requirement, missing


def _affiliate_note(ledger: Ledger, key: str) -> str:
    """Why an unlisted affiliate of a listed party is not treated as listed."""
    parent = ledger._parents.get(key)
    if parent is None:
        return ""
    entry = ledger.entry(parent)
    if entry is None or entry.status != "in_force":
        return ""
    return (f"; it is an affiliate of {parent}, which is listed, but only named entries are covered "
            "(include_affiliates never extends an Entity List requirement)")


def _cites(entry: ListEntry) -> str:
    """The entry's citations, shortest form."""
    return "; ".join(c.label() for c in entry.citations) or "no citation"


def exclusion_step(ledger: Ledger, requirement: Requirement, tx: Transaction) -> Step | None:
    """Whether a licence exclusion the entry names (rule: licence_exclusion, in force) covers this item."""
    if not requirement.exclusions:
        return None
    rules = [m for k in requirement.exclusions if (m := ledger.measure(k)) is not None]
    applied = [m for m in rules if m.status == "in_force" and m.parameters.get("rule") == "licence_exclusion"]
    skipped = [NotApplied(m.key, f"{m.status} on {ledger.state.query.as_of}") for m in rules if m not in applied]
    check = f"licence_exclusion.{requirement.source}"
    if not applied:
        return Step(check, "no exclusion the entry names is in force", "no", not_applied=tuple(skipped))
    results = [(_excludes(m, tx), m) for m in applied]
    result = "yes" if any(r == "yes" for r, _ in results) else "unknown" if any(
        r == "unknown" for r, _ in results) else "no"
    used = ("excluded_item_types", "excluded_eccns", "excluded_reasons_for_control", "excluded_activities")
    basis = "; ".join(f"{m.key}: {r}" for r, m in results)
    return step_from(check, f"the item falls under an exclusion of the entry: {basis}", result,
                     [(m, used) for m in applied], not_applied=skipped, assumed=ledger.assumed_keys)


def _excludes(rule: MeasureView, tx: Transaction) -> str:
    """Whether the exclusion covers the item: its type, ECCN or reasons for control, and activity."""
    p, item = rule.parameters, tx.item
    checks = []
    types = as_tuple(p.get("excluded_item_types"))
    if types:
        checks.append("unknown" if item.type is None else "yes" if item.type in types else "no")
    eccns, reasons = set(as_tuple(p.get("excluded_eccns"))), set(as_tuple(p.get("excluded_reasons_for_control")))
    if eccns or reasons:
        by_eccn = "unknown" if item.eccn is None else "yes" if item.eccn in eccns else "no"
        given = item.reasons_for_control
        by_reason = "unknown" if given is None else "yes" if given and set(given) <= reasons else "no"
        checks.append("yes" if "yes" in (by_eccn, by_reason) else "unknown" if "unknown" in (by_eccn, by_reason)
                      else "no")
    activities = as_tuple(p.get("excluded_activities"))
    if activities:
        checks.append("yes" if item.activity in activities else "no")
    return "no" if "no" in checks else "unknown" if "unknown" in checks or not checks else "yes"


def authorization_steps(ledger: Ledger, tx: Transaction,
                        listed: set[str]) -> list[tuple[Step, MeasureView | None, str]]:
    """Each general authorization in force that names a listed party of the transaction: whether it covers this
    transaction (activity, contract date, certification)."""
    found = ledger.rules("general_authorization")
    steps: list[tuple[Step, MeasureView | None, str]] = []
    for rule in found.applied:
        if not any(ledger.reaches(rule, p) for p in listed):
            continue
        result, why = _covers(rule, tx)
        used = ("authorized_activities", "contract_executed_on_or_before", "certification_required")
        step = step_from(f"general_authorization.{rule.key}", f"{rule.title or rule.key}: {why}", result,
                         [(rule, used)], not_applied=found.not_applied, assumed=ledger.assumed_keys)
        steps.append((step, rule, result))
    if not steps and listed:
        steps.append((Step("general_authorization", "no general authorization in force names a listed party",
                           "no", not_applied=found.not_applied), None, "no"))
    return steps


def _covers(rule: MeasureView, tx: Transaction) -> tuple[str, str]:
    """Whether the authorization covers the transaction, and why: activity, contract date, certification."""
    p, item = rule.parameters, tx.item
    activities = as_tuple(p.get("authorized_activities"))
    if item.activity is None or item.activity not in activities:
        return "no", f"the activity ({item.activity or 'none'}) is not among those authorized ({', '.join(activities)})"
    results, reasons = [], [f"{item.activity} is authorized"]
    before = p.get("contract_executed_on_or_before")
    if before is not None:
        if tx.contract_executed_on is None:
            results.append("unknown")
            reasons.append(f"contracts executed on or before {before}; the file gives no contract_executed_on")
        else:
            ok = tx.contract_executed_on <= before
            results.append("yes" if ok else "no")
            reasons.append(f"contract executed {tx.contract_executed_on} "
                           f"{'on or before' if ok else 'after'} {before}")
    if "certification_required" in as_tuple(p.get("gaps")):
        results.append("yes" if item.certification_obtained else "unknown")
        reasons.append("whether a certification is required is a gap")
    elif p.get("certification_required"):
        results.append("yes" if item.certification_obtained else "no")
        reasons.append("a certification statement is required" + (" and was obtained" if
                                                                     item.certification_obtained else ", not obtained"))
    result = "no" if "no" in results else "unknown" if "unknown" in results else "yes"
    return result, "; ".join(reasons)
