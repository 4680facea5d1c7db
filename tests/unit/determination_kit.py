"""The bundled case as fold entries, and the Done-when transactions of issue 19, for the determination's unit tests
(pure: the reference fold and the engine, no store)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any

from regledger.adapters.importers.timeline import read_timeline
from regledger.domain.history import Entry
from regledger.projections import Query, state_as_of
from regledger.projections.determination import Determination, Party, Transaction, determine
from tests.conftest import EXAMPLE

__all__ = ["CASES", "RUN", "answer", "case_entries", "fingerprint"]

RUN = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)
HUAWEI = "huawei-technologies"


def _tx(day: str, origin: str, *, content: float | None = None, direct: tuple[str, ...] = (),
        activity: str | None = None, contract: str | None = None) -> Transaction:
    item: dict[str, Any] = {"type": "commodity", "eccn": "EAR99", "reasons_for_control": [], "origin": origin}
    if origin == "foreign":
        item |= {"controlled_us_content_percent": content, "direct_product_of": list(direct),
                 "plant_direct_product_of": [], "developed_by": [], "incorporated_into_items_of": []}
    if activity:
        item["activity"] = activity
    data: dict[str, Any] = {"date": day, "ship_from": "US" if origin == "us" else "TW", "destination": "CN",
                            "item": item, "parties": {"purchaser": [], "intermediate_consignee": [],
                                                      "ultimate_consignee": [], "end_user": []}}
    if contract:
        data["contract_executed_on"] = contract
    return Transaction.model_validate(data)


# (transaction, the roles Huawei holds in it)
CASES: list[tuple[Transaction, tuple[str, ...]]] = [
    (_tx("2019-05-15", "us"), ("ultimate_consignee", "end_user")),
    (_tx("2019-05-17", "us"), ("ultimate_consignee", "end_user")),
    (_tx("2019-06-01", "us", activity="existing_network_operation", contract="2019-05-01"), ("end_user",)),
    (_tx("2020-08-15", "us", activity="existing_network_operation", contract="2019-05-01"), ("end_user",)),
    (_tx("2020-06-01", "us"), ("purchaser",)),
    (_tx("2020-09-01", "us"), ("purchaser",)),
    (_tx("2019-06-01", "foreign", content=20), ("end_user",)),
    (_tx("2019-06-01", "foreign", content=30), ("end_user",)),
    (_tx("2020-09-15", "foreign", content=0, direct=("3E001",)), ("purchaser",)),
    (_tx("2020-08-16", "foreign", content=0, direct=("3E001",)), ("purchaser",)),
    (_tx("2020-02-01", "foreign", content=20), ("end_user",)),
    (_tx("2020-07-01", "foreign", content=20, direct=("3E001",)), ("end_user",)),
]


@cache
def case_entries() -> tuple[Entry, ...]:
    """The bundled case, each action recorded a second after the one before (so that known-at can cut it)."""
    actions = read_timeline(EXAMPLE)
    return tuple(Entry(n, RUN + timedelta(seconds=n), located.action) for n, located in enumerate(actions, start=1))


def answer(entries: Sequence[Entry], tx: Transaction, roles: tuple[str, ...], query: Query) -> Determination:
    """The determination of `tx` (Huawei in `roles`) under `query` from `entries` by the reference fold."""
    parties = [Party(role, "Huawei Technologies Co., Ltd.", HUAWEI, "Huawei Technologies Co., Ltd.",
                     matched_by="name") for role in roles]
    return determine(state_as_of(entries, query), tx, parties)


def fingerprint(found: Determination) -> dict[str, Any]:
    """What an answer says, without the query it answers."""
    data = asdict(found)
    data.pop("query")
    return data
