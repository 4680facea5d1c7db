"""A transaction to determine: what the `determine` input file describes, typed and validated.

Absent means unknown (None), `[]` means none, and `null` is refused, naming the field: a file that writes `null`
has not said which of the two it means. Party roles are those of 15 CFR 748.5(c)-(f); each takes a name or key, or a
list of them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from regledger.domain.actions import PARTY_ROLES, Activity, Country, Eccn, ItemType, Percent
from regledger.domain.values import LegalDate, Line

__all__ = ["EMBARGOED", "Transaction", "TransactionItem", "TransactionParties"]

EMBARGOED = ("CU", "IR", "KP", "SY")  # EAR99 to these is governed by part 746, which is not evaluated


class _Input(BaseModel):
    """A frozen input model that refuses unknown fields and explicit nulls."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    @field_validator("*", mode="before")
    @classmethod
    def _no_null(cls, value: Any) -> Any:
        if value is None:
            msg = "null is refused: leave the field out when it is unknown, or give [] for none"
            raise ValueError(msg)
        return value


Names = tuple[Line, ...]


class TransactionItem(_Input):
    """The item shipped, as the exporter classifies it (every field optional: absent is unknown)."""

    description: Line | None = None
    type: ItemType | None = None
    eccn: Eccn | None = None
    reasons_for_control: Names | None = None
    origin: Literal["us", "foreign"] | None = None
    controlled_us_content_percent: Percent | None = None
    direct_product_of: tuple[Eccn, ...] | None = None
    plant_direct_product_of: tuple[Eccn, ...] | None = None
    developed_by: Names | None = None
    incorporated_into_items_of: Names | None = None
    activity: Activity | None = None
    certification_obtained: bool = False
    aboard_carrier_on: LegalDate | None = None
    production_started_on: LegalDate | None = None


class TransactionParties(_Input):
    """The parties by their role in the transaction: a name or key, or a list of them."""

    purchaser: Line | Names | None = None
    intermediate_consignee: Line | Names | None = None
    ultimate_consignee: Line | Names | None = None
    end_user: Line | Names | None = None

    def named(self) -> list[tuple[str, str]]:
        """(role, name) for every party named, in the order of the roles."""
        found = []
        for role in PARTY_ROLES:
            value = getattr(self, role)
            for name in (value,) if isinstance(value, str) else value or ():
                found.append((role, name))
        return found

    def unknown_roles(self) -> list[str]:
        """The roles the file leaves out (unknown, unlike [] which says none)."""
        return [role for role in PARTY_ROLES if getattr(self, role) is None]


class Transaction(_Input):
    """One shipment: its date (else the command's --on), where from and to, its contract, item and parties."""

    date: LegalDate | None = None
    ship_from: Country | None = None
    destination: Country | None = None
    contract_executed_on: LegalDate | None = None
    item: TransactionItem = Field(default_factory=TransactionItem)
    parties: TransactionParties = Field(default_factory=TransactionParties)

    def on(self, day: dt.date) -> Transaction:
        """The transaction dated `day` when it has no date of its own."""
        return self if self.date is not None else self.model_copy(update={"date": day})

