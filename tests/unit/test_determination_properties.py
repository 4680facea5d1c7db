"""Property: a determination never depends on actions recorded after --known-at, published after --published-by,
or below --min-reliability. Each axis is checked by comparing the answer on the whole case with the answer on the
case without those actions (the same axes asked), over random cuts and transactions."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from regledger.domain.values import Reliability
from regledger.projections import Query
from tests.unit.determination_kit import CASES, RUN, answer, case_entries, fingerprint

SETTINGS = settings(deadline=None, max_examples=12, suppress_health_check=[HealthCheck.too_slow])
cases = st.sampled_from(CASES)
days = st.dates(min_value=date(2019, 5, 1), max_value=date(2020, 12, 31))


@SETTINGS
@given(case=cases, cut=st.integers(min_value=0, max_value=200))
def test_no_dependence_on_actions_recorded_after_known_at(case: tuple, cut: int) -> None:
    tx, roles = case
    entries = case_entries()
    query = Query(as_of=tx.date, known_at=RUN + timedelta(seconds=cut))
    kept = [e for e in entries if e.recorded_at <= query.known_at]  # type: ignore[operator]
    assert fingerprint(answer(entries, tx, roles, query)) == fingerprint(answer(kept, tx, roles, query))


@SETTINGS
@given(case=cases, by=days)
def test_no_dependence_on_actions_published_after_published_by(case: tuple, by: date) -> None:
    tx, roles = case
    entries = case_entries()
    query = Query(as_of=tx.date, published_by=by)
    kept = [e for e in entries if min(e.action.source_dates()) <= by]
    assert fingerprint(answer(entries, tx, roles, query)) == fingerprint(answer(kept, tx, roles, query))


@SETTINGS
@given(case=cases, tier=st.sampled_from(list(Reliability)))
def test_no_dependence_on_actions_below_min_reliability(case: tuple, tier: Reliability) -> None:
    tx, roles = case
    entries = case_entries()
    query = Query(as_of=tx.date, min_reliability=tier)
    kept = [e for e in entries if e.action.tier.rank >= tier.rank]
    assert fingerprint(answer(entries, tx, roles, query)) == fingerprint(answer(kept, tx, roles, query))
