"""What a determination answers with: the verdict, and the steps that reached it, each naming what it read.

A step's `result` is three-valued (`yes`, `no`, `unknown`); `reads` names each ledger item it read (a measure or a
list entry), the actions that set what it used and the parameters it used; `citations`, `cfr` and `reliability` come
from those items; `gaps` the facts the record marks as not confirmed that the step met; `not_applied` the rules of
its role it found and did not apply, with the reason. Under a what-if, `assumed` says the step read an assumed
action and `before` what the step said without the assumptions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from regledger.projections.items import Citation
from regledger.projections.query import Query

__all__ = ["DETERMINATIONS", "LIMITS", "Before", "Determination", "NotApplied", "Read", "Step"]

DETERMINATIONS = ("not_subject_to_ear", "no_licence_required", "authorized", "licence_required", "cannot_determine")
LIMITS = (
    "Commerce Control List licence requirements by ECCN and destination (other than EAR99) are not evaluated",
    "end-use controls (15 CFR part 744 other than the Entity List) are not evaluated",
    "items ineligible for de minimis treatment (15 CFR 734.4(a)) are not identified",
    "the national-security foreign direct product rule in force before May 2020 (15 CFR 736.2(b)(3)) is not "
    "evaluated",
    "savings clauses (items aboard a carrier on a listing date) are not evaluated; the May 2020 wind-down only "
    "makes an answer undecided (its conditions are a gap)",
    "other agencies' rules (OFAC sanctions, ITAR and others) are not evaluated",
    "EAR99 items to Cuba, Iran, North Korea or Syria (15 CFR part 746) are not evaluated",
)


@dataclass(frozen=True)
class Read:
    """One ledger item a step read: `kind` measure | entry | party, its key, the actions that set what it used."""

    kind: str
    key: str
    action_ids: tuple[str, ...]
    parameters_used: tuple[str, ...]


@dataclass(frozen=True)
class NotApplied:
    """A rule of the step's role that the step found and did not apply, and why."""

    key: str
    reason: str


@dataclass(frozen=True)
class Before:
    """What a step said without the assumptions of a what-if (`result` absent: the step did not exist)."""

    result: str | None
    basis: str | None


@dataclass(frozen=True)
class Step:
    """One check of a determination, in order."""

    check: str
    basis: str
    result: str  # yes | no | unknown
    reads: tuple[Read, ...] = ()
    cfr: tuple[str, ...] = ()
    citations: tuple[Citation, ...] = ()
    reliability: str | None = None
    gaps: tuple[str, ...] = ()
    not_applied: tuple[NotApplied, ...] = ()
    assumed: bool = False
    before: Before | None = None


@dataclass(frozen=True)
class Determination:
    """The answer for one transaction on its date under the query's axes."""

    on: date
    query: Query
    determination: str
    reason: str
    review_policy: str | None
    warnings: tuple[str, ...]
    steps: tuple[Step, ...]
    limits: tuple[str, ...] = LIMITS
    assumptions: tuple[str, ...] = ()
    determination_before: str | None = None
