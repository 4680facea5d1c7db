"""The licence determination: may this item go to these parties on that date, and under which rule?

Pure reasoning over the state a query answers (`projections.fold` or the read models, on the same axes): rules are
found by their role (the measure parameter `rule`), never by key, so a rule changing is a recorded action, never a
code change. docs/determination.md describes the vocabulary, the steps and the limits.
"""

from .answer import DETERMINATIONS, LIMITS, Before, Determination, NotApplied, Read, Step
from .engine import determine
from .licences import Party
from .transaction import EMBARGOED, Transaction, TransactionItem, TransactionParties

__all__ = [
    "DETERMINATIONS",
    "EMBARGOED",
    "LIMITS",
    "Before",
    "Determination",
    "NotApplied",
    "Party",
    "Read",
    "Step",
    "Transaction",
    "TransactionItem",
    "TransactionParties",
    "determine",
]
