"""Items survive the read models' JSON exactly: a decoded item equals the fold's, whatever its values hold."""

from __future__ import annotations

from datetime import date

import pytest

from regledger.adapters.readmodels.sql import dump, load
from regledger.projections.codec import item_data, item_of
from regledger.projections.items import Citation, ListEntry, MeasureView, PendingChange

CITE = Citation("84 FR 22961", "2019-10616", None, None, "Federal Register", "official")


@pytest.mark.parametrize("item", [
    ListEntry("us-bis-entity-list", "huawei", "Huawei", ("華為", "Хуавэй", "هواوي"), "CN", "pending",
              date(2019, 5, 16), {"policy": "Presumption of denial", "addresses": ("Shenzhen", "Bantian")},
              None, (CITE,), (PendingChange("entity_delisted", date(2020, 1, 1), date(2019, 12, 1), (CITE,)),)),
    MeasureView("fdp", "Rule", "pending", None, date(2020, 9, 15), None, None, date(2020, 7, 1),
                {"wind_down_ends_on": date(2020, 9, 14), "de_minimis_percent": 25.0, "entries_designated": 2**70,
                 "note": "2020-01-01", "flag": True, "small": -3}, "official", (CITE,)),
])
def test_an_item_decodes_equal_to_itself_with_its_types(item: ListEntry | MeasureView) -> None:
    kind = "listing" if isinstance(item, ListEntry) else "measure"

    decoded = item_of(kind, load(dump(item_data(item))))

    assert decoded == item
    assert [type(v) for v in vars(decoded).values()] == [type(v) for v in vars(item).values()]
    for name in ("details", "parameters"):
        mapping = getattr(item, name, {})
        assert [type(v) for v in getattr(decoded, name, {}).values()] == [type(v) for v in mapping.values()]
