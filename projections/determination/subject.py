"""Is the item subject to the EAR? U.S. origin; leaving the United States; above de minimis for this destination
and these parties; a foreign direct product under the version of the rule in force. De minimis and the foreign
direct product rule are separate grounds, both evaluated for a foreign-made item.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from regledger.projections.items import ListEntry, MeasureView

from .answer import Step
from .rules import Ledger, as_tuple, step_from
from .transaction import Transaction

__all__ = ["FdpFinding", "de_minimis_step", "fdp_step", "footnote_parties", "leaving_us_step", "origin_step"]

_YES_NO = {True: "yes", False: "no", None: "unknown"}
DESTINED_ROLES = ("ultimate_consignee", "end_user")


def origin_step(tx: Transaction) -> Step:
    """U.S.-origin items are subject to the EAR wherever they are (15 CFR 734.3(a)(2))."""
    origin = tx.item.origin
    basis = {"us": "the item is of U.S. origin", "foreign": "the item is foreign-made",
             None: "the file does not say where the item was made (item.origin)"}[origin]
    return Step("subject_to_ear.us_origin", basis, _YES_NO[None if origin is None else origin == "us"],
                cfr=("15 CFR 734.3(a)(2)",))


def leaving_us_step(tx: Transaction) -> Step:
    """Items in the United States are subject to the EAR (15 CFR 734.3(a)(1)): a shipment leaving it is."""
    if tx.ship_from is None:
        return Step("subject_to_ear.leaving_united_states", "the file does not say where the shipment leaves from "
                    "(ship_from)", "unknown", cfr=("15 CFR 734.3(a)(1)",))
    leaving = tx.ship_from == "US"
    return Step("subject_to_ear.leaving_united_states",
                f"the shipment leaves {'the United States' if leaving else tx.ship_from}", _YES_NO[leaving],
                cfr=("15 CFR 734.3(a)(1)",))


def de_minimis_step(ledger: Ledger, tx: Transaction) -> tuple[Step, tuple[str, ...]]:
    """Above de minimis: the controlled U.S. content exceeds the lowest threshold that applies to this destination
    and these parties; with the rules it misses (`de_minimis`, `country_group`) named."""
    found = ledger.rules("de_minimis")
    check = "subject_to_ear.de_minimis"
    general = [m for m in found.applied if not m.applies_to]
    specific = [m for m in found.applied if m.applies_to]
    if not general:
        return Step(check, "no de minimis rule (rule: de_minimis) applies on this date", "unknown",
                    not_applied=found.not_applied), ("de_minimis",)
    if len({_terms(m) for m in general}) > 1:
        keys = ", ".join(m.key for m in general)
        return step_from(check, f"conflicting de minimis rules in force: {keys}", "unknown",
                         [(m, ("de_minimis_percent", "de_minimis_country_groups")) for m in general],
                         not_applied=found.not_applied), tuple(m.key for m in general)
    groups = ledger.rules("country_group")
    thresholds: list[tuple[float, MeasureView, tuple[str, ...]]] = []
    used: list[MeasureView] = []
    missing: list[str] = []
    unknown_group: list[str] = []
    for rule in (*general, *specific):
        percent, names = _threshold(rule, tx.destination, groups.applied, missing=missing, unknown=unknown_group,
                                    used=used)
        if percent is not None:
            thresholds.append((percent, rule, names))
    items: list[tuple[MeasureView | ListEntry, Sequence[str]]] = [(r, n) for _, r, n in thresholds]
    items += [(g, ("country_group", "countries")) for g in used]
    not_applied = (*found.not_applied, *groups.not_applied)
    if unknown_group or missing:
        why = ("the file does not say the destination" if tx.destination is None
               else f"no country group rule (rule: country_group) for {', '.join(missing)}")
        return step_from(check, why, "unknown", items, not_applied=not_applied), (
            ("country_group",) if missing else ())
    percent, rule, _ = min(thresholds, key=lambda t: t[0])
    content = tx.item.controlled_us_content_percent
    if content is None:
        return step_from(check, f"threshold {percent:g}% ({rule.key}); the file does not give "
                         "item.controlled_us_content_percent", "unknown", items, not_applied=not_applied), ()
    above = content > percent
    basis = (f"controlled U.S. content {content:g}% {'exceeds' if above else 'does not exceed'} the {percent:g}% "
             f"threshold for {tx.destination} ({rule.key}; the lowest threshold that applies wins)")
    return step_from(check, basis, _YES_NO[above], items, not_applied=not_applied,
                     assumed=ledger.assumed_keys), ()


def _terms(rule: MeasureView) -> tuple[object, ...]:
    """What a general de minimis rule says: two that differ in it conflict."""
    groups = rule.parameters.get("de_minimis_country_groups") or {}
    return rule.parameters.get("de_minimis_percent"), tuple(sorted(groups.items()))


def _threshold(rule: MeasureView, destination: str | None, groups: Sequence[MeasureView], *, missing: list[str],
               unknown: list[str], used: list[MeasureView]) -> tuple[float | None, tuple[str, ...]]:
    """The threshold `rule` sets for `destination` (its country group's, else its general one)."""
    by_group = rule.parameters.get("de_minimis_country_groups") or {}
    best = rule.parameters.get("de_minimis_percent")
    for group, percent in by_group.items():
        members = [g for g in groups if g.parameters.get("country_group") == group]
        if not members:
            missing.append(group)
            continue
        used.extend(m for m in members if m not in used)
        if destination is None:
            unknown.append(group)
        elif any(destination in as_tuple(m.parameters.get("countries")) for m in members):
            best = percent if best is None else min(best, percent)
    names = ("de_minimis_percent", *(("de_minimis_country_groups",) if by_group else ()))
    return (float(best) if best is not None else None), names


@dataclass(frozen=True)
class FdpFinding:
    """The foreign direct product step, the rule it applied (if any) and whom it reaches."""

    step: Step
    rule: MeasureView | None
    missing: tuple[str, ...] = ()


def footnote_parties(ledger: Ledger, footnote: str) -> set[str]:
    """The parties of the transaction or its item whose own entry, in force, carries the footnote designation."""
    found = set()
    for party in {*ledger.parties, *ledger.related}:
        entry = ledger.entry(party)
        if entry is not None and entry.status == "in_force" and footnote in as_tuple(entry.details.get("footnotes")):
            found.add(party)
    return found


def fdp_step(ledger: Ledger, tx: Transaction, roles: dict[str, list[str]]) -> FdpFinding:
    """A foreign direct product under the footnote rule in force: the product scope, then the knowledge condition."""
    check = "subject_to_ear.foreign_direct_product"
    found = ledger.rules("fdp_entity_list", related=True)
    if not found.applied:
        return FdpFinding(Step(check, "no foreign direct product rule for Entity List footnote entities "
                               "(rule: fdp_entity_list) is in force", "no", not_applied=found.not_applied), None)
    if len(found.applied) > 1:
        keys = ", ".join(m.key for m in found.applied)
        return FdpFinding(step_from(check, f"conflicting rules in force: {keys}", "unknown",
                                    [(m, ("rule",)) for m in found.applied]), None, tuple(m.key for m in found.applied))
    rule = found.applied[0]
    p = rule.parameters
    footnote = str(p.get("fdp_footnote", ""))
    designated = footnote_parties(ledger, footnote)
    entries = [(e, ("footnotes",)) for k in sorted(designated) if (e := ledger.entry(k)) is not None]
    scope, scope_why, used = _product_scope(p, tx, designated)
    knows, knows_why = _knowledge(p, tx, designated, roles)
    result = _and(scope, knows)
    basis = f"{scope_why}; {knows_why} ({rule.key})"
    gaps: list[str] = []
    if result == "yes" and (wind := _wind_down(rule, tx)) is not None:
        result, basis = "unknown", f"{basis}; {wind}"
        used.append("wind_down_ends_on")
        gaps.append("wind_down_conditions")
    step = step_from(check, basis, result, [(rule, (*used, "fdp_knowledge", "fdp_footnote")), *entries],
                     not_applied=found.not_applied, assumed=ledger.assumed_keys, gaps=gaps)
    return FdpFinding(step, rule)


def _wind_down(rule: MeasureView, tx: Transaction) -> str | None:
    """Why the wind-down the rule's record gives (`wind_down_ends_on`) may cover the item, or None when it cannot:
    its conditions were never seen, so an item in production before the rule, or one whose production start the
    file does not give, shipped by the end of the wind-down, is undecided."""
    ends = rule.parameters.get("wind_down_ends_on")
    if ends is None or tx.date is None or tx.date > ends:
        return None
    started = tx.item.production_started_on
    if started is None:
        return (f"the wind-down to {ends} may cover the item: the file does not give "
                "item.production_started_on")
    if rule.effective_on is not None and started < rule.effective_on:
        return (f"the item was in production before {rule.effective_on} and ships by {ends}: the wind-down's "
                "conditions are a gap in the record")
    return None


def _and(*results: str) -> str:
    """Three-valued and."""
    return "no" if "no" in results else "unknown" if "unknown" in results else "yes"


def _or(*results: str) -> str:
    """Three-valued or."""
    return "yes" if "yes" in results else "unknown" if "unknown" in results else "no"


def _product_scope(p: dict[str, object], tx: Transaction, designated: set[str]) -> tuple[str, str, list[str]]:
    """Whether the item is a direct product of the listed technology or software, or of a plant that is one."""
    item, gaps = tx.item, set(as_tuple(p.get("gaps")))
    eccns = set(as_tuple(p.get("fdp_technology_eccns"))) | set(as_tuple(p.get("fdp_software_eccns")))
    used = ["fdp_technology_eccns", "fdp_software_eccns", "fdp_technology_origin"]
    needs_design = bool(p.get("fdp_requires_footnote_development"))
    developed = _developed(item.developed_by, designated) if needs_design else "yes"
    if needs_design:
        used.append("fdp_requires_footnote_development")
    if item.direct_product_of is None:
        direct = "unknown"
    elif not eccns:
        direct = "unknown" if item.direct_product_of else "no"
    else:
        direct = "yes" if eccns & set(item.direct_product_of) else "no"
    plant_eccns = set(as_tuple(p.get("fdp_plant_eccns")))
    used.append("fdp_plant_eccns")
    if item.plant_direct_product_of is None:
        plant = "unknown"
    elif not item.plant_direct_product_of:
        plant = "no"
    elif "fdp_plant_eccns" in gaps or not plant_eccns:
        plant = "unknown"
    else:
        plant = "yes" if plant_eccns & set(item.plant_direct_product_of) else "no"
    scope = _and(_or(direct, plant), developed)
    why = (f"direct product of listed technology or software: {direct}; of a plant that is one: {plant}"
           + (f"; produced or developed by a footnote entity: {developed}" if needs_design else ""))
    return scope, why, used


def _developed(developers: tuple[str, ...] | None, designated: set[str]) -> str:
    """Whether a footnote entity produced or developed the item (unknown when the file does not say)."""
    if developers is None:
        return "unknown"
    return "yes" if set(developers) & designated else "no"


def _knowledge(p: dict[str, object], tx: Transaction, designated: set[str],
               roles: dict[str, list[str]]) -> tuple[str, str]:
    """Whether one of the rule's knowledge conditions holds: destined to, incorporated into, or a party."""
    results = []
    for kind in as_tuple(p.get("fdp_knowledge")):
        if kind == "destined_to":
            parties = {k for r in DESTINED_ROLES for k in roles.get(r, [])}
            known = not any(r in tx.parties.unknown_roles() for r in DESTINED_ROLES)
            results.append("yes" if parties & designated else "no" if known else "unknown")
        elif kind == "party":
            parties = {k for keys in roles.values() for k in keys}
            results.append("yes" if parties & designated else "unknown" if tx.parties.unknown_roles() else "no")
        elif kind == "incorporated_into":
            into = tx.item.incorporated_into_items_of
            results.append("unknown" if into is None else "yes" if set(into) & designated else "no")
    conditions = ", ".join(str(k) for k in as_tuple(p.get("fdp_knowledge"))) or "none recorded"
    found = _or(*results) if results else "unknown"
    who = ", ".join(sorted(designated)) or "no party of the transaction"
    return found, f"knowledge conditions ({conditions}) about footnote entities ({who}): {found}"
