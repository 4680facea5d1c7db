"""Items and effects survive the read models' JSON exactly: a decoded one equals the fold's, whatever it holds."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from regledger.adapters.readmodels.sql import dump, load
from regledger.projections.codec import effect_data, effect_of, item_data, item_of
from regledger.projections.diff import TookEffect
from regledger.projections.items import Citation, Item, ListEntry, MeasureView, MeetingView, PendingChange, PositionView

CITE = Citation("84 FR 22961", "2019-10616", None, None, "Federal Register", "official", date(2019, 5, 21),
                "federal_register")
KINDS = {ListEntry: "listing", MeasureView: "measure", MeetingView: "meeting", PositionView: "position"}


@pytest.mark.parametrize("item", [
    ListEntry("us-bis-entity-list", "huawei", "Huawei", ("華為", "Хуавэй", "هواوي"), "CN", "pending",
              date(2019, 5, 16), {"policy": "Presumption of denial", "addresses": ("Shenzhen", "Bantian")},
              None, (CITE,), (PendingChange("entity_delisted", date(2020, 1, 1), date(2019, 12, 1), (CITE,)),)),
    MeasureView("fdp", "Rule", "pending", None, date(2020, 9, 15), None, None, date(2020, 7, 1),
                {"wind_down_ends_on": date(2020, 9, 14), "de_minimis_percent": 25.0, "entries_designated": 2**70,
                 "note": "2020-01-01", "flag": True, "small": -3}, "official", (CITE,)),
    MeetingView("wassenaar-plenary", None, "postponed", None, "past", "Postponed \"sine die\"", ()),
    PositionView("us-commerce", "Department of Commerce", "measure:fdp", "supports", None, date(2020, 5, 15),
                 date(2020, 5, 19), "statement", (CITE, CITE)),
])
def test_an_item_decodes_equal_to_itself_with_its_types(item: Item) -> None:
    decoded = item_of(KINDS[type(item)], load(dump(item_data(item))))

    assert decoded == item
    assert [type(v) for v in vars(decoded).values()] == [type(v) for v in vars(item).values()]
    for name in ("details", "parameters"):
        mapping = getattr(item, name, {})
        assert [type(v) for v in getattr(decoded, name, {}).values()] == [type(v) for v in mapping.values()]


def test_an_effect_decodes_equal_to_itself() -> None:
    effect = TookEffect("us-bis-entity-list/huawei", "entity_listed", None, date(2019, 5, 16), date(2019, 5, 21),
                        datetime(2024, 2, 29, 23, 59, 59, 123456, tzinfo=UTC), "official", (CITE,))

    decoded = effect_of(load(dump(effect_data(effect))))

    assert decoded == effect
    assert decoded.recorded_at.tzinfo is not None


_KEYS = st.from_regex(r"[a-z0-9][a-z0-9._-]{0,12}", fullmatch=True)
_SUBJECTS = st.one_of(st.tuples(st.just("listing"), _KEYS, _KEYS),
                      st.tuples(st.sampled_from(["measure", "meeting"]), _KEYS),
                      st.tuples(st.just("position"), _KEYS, _KEYS | _KEYS.map("measure:{}".format)))


@given(st.lists(_SUBJECTS, max_size=30))
def test_subjects_order_as_their_stored_texts_order(subjects: list[tuple[str, ...]]) -> None:
    """A diff page's subjects are put in order by their stored JSON texts (`ViewReader.window_subjects`) and by the
    keys themselves in the fold: the same order, for every key a key may be (`check_key`)."""
    assert sorted(subjects) == sorted(subjects, key=lambda subject: dump(list(subject)))
