"""The determination: from the state on the transaction's date (on the query's axes) and the parties the lookup
resolved, the verdict and its steps, in order — subject to the EAR, each party's listing and whether it reaches the
party's role, the foreign direct product requirement, each exclusion and authorization.

Three-valued: a step is `yes`, `no` or `unknown`; an unknown (a missing fact, a gap, a missing or conflicting rule)
makes the answer `cannot_determine` only where it decides it. Pure: it reads the state it is given and nothing else.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from regledger.projections.items import State

from .answer import Determination, Read, Step
from .licences import Party, Requirement, authorization_steps, exclusion_step, listing_step
from .rules import Ledger, as_tuple, step_from
from .subject import FdpFinding, de_minimis_step, fdp_step, footnote_parties, leaving_us_step, origin_step
from .transaction import EMBARGOED, Transaction

__all__ = ["determine"]

_WATCHED = ("announced", "pending", "draft", "proposed")


@dataclass(frozen=True)
class _Subject:
    """Whether the item is subject to the EAR, why, the foreign direct product finding, whether that rule is the
    only ground, and the required rules found missing or in conflict."""

    result: str
    why: str
    fdp: FdpFinding | None
    fdp_only: bool
    missing: tuple[str, ...]


def determine(state: State, tx: Transaction, parties: Sequence[Party],
              assumed: frozenset[str] = frozenset()) -> Determination:
    """The determination for `tx` on `state.query.as_of`, `parties` as the lookup resolved the file's names;
    `assumed`: the keys of the measures and entries a what-if assumed (their steps say so)."""
    related = (*(tx.item.developed_by or ()), *(tx.item.incorporated_into_items_of or ()))
    ledger = Ledger(state, [p.key for p in parties if p.key is not None], assumed, related)
    roles: dict[str, list[str]] = {}
    for party in parties:
        if party.key is not None:
            roles.setdefault(party.role, []).append(party.key)
    steps: list[Step] = [_party_step(p) for p in parties]
    warnings: list[str] = []
    subject = _subject(ledger, tx, roles, steps)
    _watch(ledger, warnings)
    finish = _Finish(ledger, steps, warnings)
    if tx.item.eccn == "EAR99" and tx.destination in EMBARGOED:
        steps.append(Step("destination.part_746", f"EAR99 to {tx.destination}: part 746 governs, which is not "
                          "evaluated", "unknown", cfr=("15 CFR part 746",)))
        return finish("cannot_determine", f"EAR99 items to {tx.destination} fall under 15 CFR part 746, "
                      "which is not evaluated", None)
    if subject.result == "no":
        return finish("not_subject_to_ear", subject.why, None)
    missing = list(subject.missing)
    requirements = _requirements(ledger, parties, (steps, warnings, missing), subject.fdp)
    return _verdict(ledger, tx, subject, requirements, finish=finish, missing=missing)


def _party_step(party: Party) -> Step:
    """How the lookup resolved a name the file gives."""
    if party.key is not None:
        basis = f"{party.text!r} is {party.key} ({party.name or 'no name recorded'}; matched by {party.matched_by})"
        return Step(f"party.{party.role}", basis, "yes", reads=(Read("party", party.key, (), ()),))
    if party.candidate is not None:
        return Step(f"party.{party.role}", f"{party.text!r} is not one party in the ledger; to review: "
                    f"{party.candidate} ({party.name})", "unknown", reads=(Read("party", party.candidate, (), ()),))
    return Step(f"party.{party.role}", f"{party.text!r} is not in the ledger", "no")


def _subject(ledger: Ledger, tx: Transaction, roles: dict[str, list[str]], steps: list[Step]) -> _Subject:
    """Subject to the EAR on any ground: U.S. origin, leaving the United States, above de minimis, a foreign
    direct product (the last two evaluated for an item not known to be of U.S. origin)."""
    origin, leaving = origin_step(tx), leaving_us_step(tx)
    steps += [origin, leaving]
    missing: list[str] = []
    grounds = {"U.S. origin": origin, "leaving the United States": leaving}
    fdp = None
    if origin.result != "yes":
        minimis, lacking = de_minimis_step(ledger, tx)
        fdp = fdp_step(ledger, tx, roles)
        steps += [minimis, fdp.step]
        missing += [*lacking, *fdp.missing]
        grounds |= {"above de minimis": minimis, "foreign direct product": fdp.step}
    yes = [g for g, step in grounds.items() if step.result == "yes"]
    unknown = [f"{g} ({_undecided(step)})" for g, step in grounds.items() if step.result == "unknown"]
    if yes:
        return _Subject("yes", f"subject to the EAR: {', '.join(yes)}", fdp, yes == ["foreign direct product"],
                        tuple(missing))
    if unknown:
        named = f" (missing or conflicting rules: {', '.join(missing)})" if missing else ""
        return _Subject("unknown", f"whether the item is subject to the EAR is unknown: {'; '.join(unknown)}{named}",
                        fdp, False, tuple(missing))
    return _Subject("no", "not subject to the EAR: " + "; ".join(f"{g}: no" for g in grounds), fdp, False,
                    tuple(missing))


def _requirements(ledger: Ledger, parties: Sequence[Party],
                  gathered: tuple[list[Step], list[str], list[str]], fdp: FdpFinding | None) -> list[Requirement]:
    """The licence requirements found (each listed party's in its role, the footnote rule's), adding their steps,
    warnings and missing rules to `gathered`."""
    steps, warnings, missing = gathered
    found = []
    for party in parties:
        step, requirement, lacking = listing_step(ledger, party, warnings)
        steps.append(step)
        if lacking is not None:
            missing.append(lacking)
        if requirement is not None:
            found.append(replace(requirement, step=len(steps) - 1))
    if fdp is not None and fdp.rule is not None and fdp.step.result != "no":
        rule = fdp.rule
        policy = rule.parameters.get("licence_review_policy")
        gap = "licence_review_policy" in as_tuple(rule.parameters.get("gaps"))
        policy_text = "unknown" if policy is None or gap else str(policy)
        steps.append(step_from(f"footnote_licence_requirement.{rule.key}",
                               f"a licence is required for the foreign direct product under footnote "
                               f"{rule.parameters.get('fdp_footnote')} (review policy {policy_text})",
                               fdp.step.result, [(rule, ("fdp_footnote", "licence_review_policy"))],
                               assumed=ledger.assumed_keys))
        designated = tuple(sorted(footnote_parties(ledger, str(rule.parameters.get("fdp_footnote", "")))))
        found.append(Requirement(rule.key, designated, fdp.step.result, policy_text, len(steps) - 1,
                                 footnote=True))
    return found


def _outcome(ledger: Ledger, tx: Transaction, requirements: list[Requirement],
             steps: list[Step]) -> tuple[list[tuple[Requirement, str]], list[str]]:
    """Each requirement's state (yes, unknown, lifted by an exclusion, authorized) and the authorizations that
    cover the transaction, adding their steps."""
    listed = {p for r in requirements for p in r.parties}
    authorizations = authorization_steps(ledger, tx, listed) if requirements else []
    steps += [s for s, _, _ in authorizations]
    outcome = []
    for requirement in requirements:
        state = requirement.result
        excluded = exclusion_step(ledger, requirement, tx)
        if excluded is not None:
            steps.append(excluded)
            state = {"yes": "lifted", "no": state}.get(excluded.result, "unknown")
        covering = [r for _, m, r in authorizations
                    if m is not None and any(ledger.reaches(m, p) for p in requirement.parties or listed)]
        if state in {"yes", "unknown"} and "yes" in covering:
            state = "authorized"
        elif state == "yes" and "unknown" in covering:
            state = "unknown"
        outcome.append((requirement, state))
    names = [m.key for _, m, r in authorizations if r == "yes" and m is not None]
    return outcome, names


def _verdict(ledger: Ledger, tx: Transaction, subject: _Subject, requirements: list[Requirement], *,
             finish: _Finish, missing: list[str]) -> Determination:
    """The answer from the subject finding and the requirements' outcome (three-valued)."""
    outcome, authorized_by = _outcome(ledger, tx, requirements, finish.steps)
    why = subject.why
    if subject.result == "unknown":
        return finish("cannot_determine", why, None)
    required = [r for r, s in outcome if s == "yes"]
    if required:
        footnote = [r for r in required if r.footnote]
        policies = {r.review_policy for r in (footnote if subject.fdp_only and footnote else required)}
        policy = policies.pop() if len(policies) == 1 else "unknown"
        named = "; ".join(dict.fromkeys(r.source for r in required))
        return finish("licence_required", f"{why}; a licence is required under {named}", policy)
    unknown = [f"{r.source} ({_undecided(finish.steps[r.step])})" for r, s in outcome if s == "unknown"]
    if unknown or missing:
        named = ", ".join(dict.fromkeys(unknown + missing))
        return finish("cannot_determine", f"{why}; undecided: {named}", None)
    if any(s == "authorized" for _, s in outcome):
        return finish("authorized", f"{why}; authorized by {', '.join(authorized_by)}", None)
    lifted = [r.source for r, s in outcome if s == "lifted"]
    if lifted:
        return finish("no_licence_required", f"{why}; the requirement of {', '.join(dict.fromkeys(lifted))} is "
                      "lifted by a licence exclusion written into the entry", None)
    return finish("no_licence_required", f"{why}; no licence requirement of the rules evaluated reaches it", None)


def _undecided(step: Step) -> str:
    """What leaves a step undecided: its gaps, else its basis."""
    return f"gaps: {', '.join(step.gaps)}" if step.gaps else step.basis


class _Finish:
    """Builds the determination from the steps and warnings gathered."""

    def __init__(self, ledger: Ledger, steps: list[Step], warnings: list[str]) -> None:
        self.ledger, self.steps, self.warnings = ledger, steps, warnings

    def __call__(self, determination: str, reason: str, policy: str | None) -> Determination:
        assumed = self.ledger.assumed_keys
        steps = tuple(replace(s, assumed=bool({r.key for r in s.reads} & assumed)) for s in self.steps)
        query = self.ledger.state.query
        return Determination(query.as_of, query, determination, reason, policy, tuple(dict.fromkeys(self.warnings)),
                             steps)


def _watch(ledger: Ledger, warnings: list[str]) -> None:
    """Warn of rules of any role announced, pending, drafted or proposed that name the parties or no party."""
    for role in ("de_minimis", "country_group", "party_roles", "fdp_entity_list", "general_authorization",
                 "licence_exclusion"):
        for rule in ledger.rules(role, status=_WATCHED).applied:
            cites = "; ".join(c.label() for c in rule.citations) or "no citation"
            warnings.append(f"{rule.key} ({role}) is {rule.status} on {ledger.state.query.as_of} ({cites}): "
                            "if adopted it could change this answer")
