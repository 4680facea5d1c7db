"""Property test: a unit's versions computed together (sharing their work, `temporal.Shared`) are those computed one
by one, so that the rows stay a function of the entries however the versions were computed."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from regledger.domain.history import Entry
from regledger.projections.subjects import group_by_subject
from regledger.projections.temporal import Shared, UnitModel, unit_model
from regledger.projections.units import unit_of
from tests.unit.views_kit import histories


def _units(entries: list[Entry]) -> dict[str, list[Entry]]:
    units: dict[str, list[Entry]] = defaultdict(list)
    for subject, group in group_by_subject(entries).items():
        units[unit_of(subject)].extend(group)
    return {unit: sorted(group, key=lambda e: e.seq) for unit, group in units.items()}


def _rows(model: UnitModel) -> tuple[Any, ...]:
    return (sorted(map(repr, model.boxes)), sorted(map(repr, model.effects)), model.floor)


@settings(deadline=None, max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), limit=st.sampled_from([20_000, 40]))
def test_versions_sharing_their_work_equal_versions_computed_alone(data: st.DataObject, limit: int) -> None:
    entries = data.draw(histories(), label="history").entries()

    for group in _units(entries).values():
        moments = sorted({e.recorded_at for e in group})
        shared = Shared()
        together = [unit_model([e for e in group if e.recorded_at <= m], limit, shared) for m in moments]
        alone = [unit_model([e for e in group if e.recorded_at <= m], limit) for m in reversed(moments)][::-1]

        assert [_rows(m) for m in together] == [_rows(m) for m in alone]
