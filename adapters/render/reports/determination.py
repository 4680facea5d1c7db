"""The determination report (`report determination FILE`): `regledger determine`'s answer as a memo to file — for
each shipment, what it is, the determination and why, the licence review policy, warnings, assumptions (and what
the answer was without them), then every step with its basis, result, what it read in the ledger, its CFR places,
its sources and their tier, the gaps and the rules not applied; and what was not evaluated.

Its data is the report header every report has (title, axes, ledger size and head, when it was produced), a summary
(how many shipments fell in each determination), each shipment as the file described it (`shipments`, in words),
and `answer`: exactly the JSON `regledger determine --format json` prints for the same file (one object for one
transaction, `{"results": [...]}` for a list).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, Final

from regledger.adapters.render.determination_json import determinations_json
from regledger.adapters.render.reports.data import Produced, header
from regledger.projections import Query
from regledger.projections.determination import Determination, Transaction

__all__ = ["DETERMINATIONS", "DETERMINATION_METHOD", "determination_report", "shipment_words"]

DETERMINATIONS: Final = (
    ("not_subject_to_ear", "Not subject to the EAR"),
    ("no_licence_required", "Subject to the EAR, no licence required under the rules evaluated"),
    ("authorized", "Authorized by a general authorization in force"),
    ("licence_required", "Licence required"),
    ("cannot_determine", "Cannot determine (a missing fact or a gap decides it)"),
)
DETERMINATION_METHOD: Final = (
    "Each shipment is answered from the rules in force on its own date (its date, else --on), read from the ledger "
    "under the axes stated above, the rules found by their role, never by name. Each step says what it checked, on "
    "what basis, what it read in the ledger (the rule, the parameters used, the actions that set them), the CFR place "
    "and the sources it rests on with their tier; a fact the record leaves open is a gap, and decides the answer only "
    "where it is needed (then: cannot determine). What-if assumptions are stated, with what each step said without "
    "them; nothing assumed is recorded."
)
_ROLES: Final = ("purchaser", "intermediate_consignee", "ultimate_consignee", "end_user")


def determination_report(answers: Sequence[Determination], transactions: Sequence[Transaction], *, single: bool,
                         query: Query, on: date | None, produced: Produced) -> dict[str, Any]:
    """The report of `answers` (one per transaction of the file, in order) under `query`'s axes; `on` is the date
    given for transactions without their own (--on)."""
    answer = determinations_json(tuple(answers), single=single)
    count = len(answers)
    title = (f"Licence determination for the shipment on {answers[0].on}" if count == 1 else
             f"Licence determinations for {count} shipments")
    legal = ("Legal effect: each shipment is answered from the rules in force on its own date"
             + (f" ({on} for those that give none)." if on is not None else "."))
    head = header("determination", title, produced, query, window={"on": on}, legal=legal)
    assumed = sorted({a for found in answers for a in found.assumptions})
    return {
        **head,
        "method": DETERMINATION_METHOD,
        "assumptions": assumed,
        "summary": [{"determination": name, "what": what, "count": sum(a.determination == name for a in answers)}
                    for name, what in DETERMINATIONS],
        "shipments": [shipment_words(t) for t in transactions],
        "answer": answer,
    }


def shipment_words(tx: Transaction) -> list[dict[str, str]]:
    """A transaction as the file described it, field by field in words (absent fields are unknown, `[]` none)."""
    rows: list[tuple[str, Any]] = [("date", tx.date), ("ship from", tx.ship_from), ("destination", tx.destination),
                                   ("contract executed on", tx.contract_executed_on)]
    item = tx.item
    rows += [("item", item.description), ("item type", item.type), ("ECCN", item.eccn),
             ("reasons for control", item.reasons_for_control), ("origin", item.origin),
             ("controlled U.S. content (%)", item.controlled_us_content_percent),
             ("direct product of", item.direct_product_of), ("plant a direct product of", item.plant_direct_product_of),
             ("developed by", item.developed_by), ("incorporated into items of", item.incorporated_into_items_of),
             ("activity", item.activity),
             ("certification obtained", "yes" if item.certification_obtained else None),
             ("aboard the carrier on", item.aboard_carrier_on), ("production started on", item.production_started_on)]
    rows += [(role.replace("_", " "), getattr(tx.parties, role)) for role in _ROLES]
    return [{"field": label, "value": _words(value)} for label, value in rows if value is not None]


def _words(value: Any) -> str:
    """A field's value in words: a list joined (`none` when empty), a date or number as written."""
    if isinstance(value, str):
        return value
    if isinstance(value, tuple | list):
        return "; ".join(str(v) for v in value) if value else "none"
    return str(value)
