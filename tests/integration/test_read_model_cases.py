"""The named hard cases of the as-of work, recorded through the ledger on each store: the read models answer them
as the reference fold does on every axis (a grid of days, publication dates, known-at moments and tiers), and the
answer that makes each case hard is the expected one.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest

from regledger.adapters import Located, open_ledger
from regledger.adapters.readmodels.lifecycle import views_of
from regledger.adapters.readmodels.source import FoldSource, ModelSource, open_source, stored_entries
from regledger.adapters.wiring import SET_UP_LOCK
from regledger.domain import action_adapter
from regledger.domain.values import Reliability
from regledger.projections import Query
from tests.unit.fold_kit import adopted, amended, delisted, listed, position, src

TIERS = [None, Reliability.STATEMENT, Reliability.OFFICIAL]


def named(action: dict[str, Any]) -> dict[str, Any]:
    """A listing action that names its party (the first one must)."""
    return {**action, "party": {"key": action["party"]["key"], "name": "Huawei Technologies Co., Ltd."}}


def _record(ledger: Any, *runs: list[dict[str, Any]]) -> list[Any]:
    moments = []
    for number, run in enumerate(runs):
        located = [Located(f"run {number}: action {i}", action_adapter.validate_python(a)) for i, a in enumerate(run)]
        moments.append(ledger.record(located).recorded_at)
    return moments


@pytest.fixture
def ledger(db: str) -> Iterator[Any]:
    with open_ledger(db) as opened:
        yield opened


def _agree(ledger: Any, moments: list[Any], days: list[str], published: list[str | None]) -> ModelSource:
    """The read models answer every query of the grid as the fold does; returns them."""
    model, fold = open_source(ledger, views_of(ledger, SET_UP_LOCK)), FoldSource(stored_entries(ledger))
    assert isinstance(model, ModelSource)
    knowns = [None, *(m - timedelta(microseconds=1) for m in moments[1:])]
    for day, p, known, tier in itertools.product(days, published, knowns, TIERS):
        query = Query(date.fromisoformat(day), date.fromisoformat(p) if p else None, known, tier)
        for selection in ((None, None), (None, {"huawei"})):
            assert model.state(query, selection) == fold.state(query, selection), (query, selection)
    first, last = date.fromisoformat(days[0]), date.fromisoformat(days[-1])
    for known, tier in itertools.product(knowns, TIERS):
        query = Query(last, None, known, tier)
        assert model.diff(query, (first, last), (None, None)) == fold.diff(query, (first, last), (None, None))
    return model


def _entry(model: ModelSource, day: str, **axes: Any) -> Any:
    state = model.state(Query(date.fromisoformat(day), **axes), (None, {"huawei"}))
    return next(iter(e for entries in state.lists.values() for e in entries), None)


def _measure(model: ModelSource, day: str) -> Any:
    return next(iter(model.state(Query(date.fromisoformat(day)), (None, None)).measures), None)


def test_listed_and_delisted_the_same_day(ledger: Any) -> None:
    moments = _record(ledger, [named(listed("huawei", "2019-05-16")), delisted("huawei", "2019-05-16")])

    model = _agree(ledger, moments, ["2019-05-15", "2019-05-16", "2019-05-17"], [None])

    assert _entry(model, "2019-05-16") is None


def test_effective_before_publication(ledger: Any) -> None:
    moments = _record(ledger, [named(listed("huawei", "2019-05-16", "2019-05-21", sources=[src("84 FR 22961")]))])

    model = _agree(ledger, moments, ["2019-05-15", "2019-05-16", "2019-05-17", "2019-05-21"],
                   [None, "2019-05-17", "2019-05-21"])

    assert _entry(model, "2019-05-17").status == "in_force"
    assert _entry(model, "2019-05-17", published_by=date(2019, 5, 17)) is None


def test_a_licence_extended_on_the_day_it_expires(ledger: Any) -> None:
    moments = _record(ledger, [adopted("tgl", "2019-05-20", "2019-05-22", expires_on="2019-08-19"),
                               amended("tgl", "2019-08-19", "2019-08-21", expires_on="2019-11-18")])

    model = _agree(ledger, moments, ["2019-08-18", "2019-08-19", "2019-08-20", "2019-11-18", "2019-11-19"],
                   [None, "2019-08-20"])

    assert [_measure(model, d).status for d in ("2019-08-19", "2019-08-20", "2019-11-19")] == [
        "in_force", "in_force", "expired"]


def test_a_gap_between_expiry_and_extension(ledger: Any) -> None:
    moments = _record(ledger, [adopted("tgl", "2019-05-20", expires_on="2019-08-19")],
                      [amended("tgl", "2019-08-25", "2019-08-27", expires_on="2019-11-18")])

    model = _agree(ledger, moments, ["2019-08-19", "2019-08-20", "2019-08-24", "2019-08-25", "2019-08-27"],
                   [None, "2019-08-26"])

    assert [_measure(model, d).status for d in ("2019-08-20", "2019-08-25")] == ["expired", "in_force"]


def test_a_pending_future_date(ledger: Any) -> None:
    moments = _record(ledger, [named(listed("huawei", "2019-06-01", "2019-05-21"))])

    model = _agree(ledger, moments, ["2019-05-20", "2019-05-21", "2019-05-31", "2019-06-01"], [None, "2019-05-25"])

    assert (_entry(model, "2019-05-25").status, _entry(model, "2019-06-01").status) == ("pending", "in_force")


def test_a_correction_recorded_later_seen_through_known_at(ledger: Any) -> None:
    report = named(listed("huawei", "2019-05-16", "2019-05-15", id="report", details={"affiliates": "70"}))
    correction = {"kind": "correction", "id": "fix", "corrects": "report", "fields": {"details.affiliates": "68"},
                  "published_on": "2019-05-21", "sources": [src("84 FR 22961")]}
    moments = _record(ledger, [report], [correction])

    model = _agree(ledger, moments, ["2019-05-16", "2019-05-21", "2019-06-01"], [None, "2019-05-20"])

    before = _entry(model, "2019-06-01", known_at=moments[1] - timedelta(microseconds=1))
    assert (before.details, _entry(model, "2019-06-01").details) == ({"affiliates": "70"}, {"affiliates": "68"})


def test_a_retracted_press_report(ledger: Any) -> None:
    report = named(listed("huawei", "2019-05-16", "2019-05-15", id="report", sources=[src("Reuters", "attributed")]))
    retraction = {"kind": "retraction", "id": "r", "retracts": "report", "reason": "not borne out",
                  "published_on": "2019-05-20", "sources": [src("Reuters correction", "attributed")]}
    moments = _record(ledger, [report], [retraction])

    model = _agree(ledger, moments, ["2019-05-15", "2019-05-16", "2019-05-20"], [None, "2019-05-19"])

    assert _entry(model, "2019-05-16") is None
    assert _entry(model, "2019-05-16", published_by=date(2019, 5, 19)).status == "in_force"


def test_a_position_reported_anonymously_then_contradicted_by_a_statement(ledger: Any) -> None:
    moments = _record(ledger, [position("supports", "2019-05-01", "anonymous"),
                               position("opposes", "2019-05-10", "statement")])

    model = _agree(ledger, moments, ["2019-05-01", "2019-05-09", "2019-05-10"], [None, "2019-05-05"])

    def stance(day: str, tier: Reliability | None) -> Any:
        found = model.state(Query(date.fromisoformat(day), min_reliability=tier), (None, None)).positions
        return found[0].stance if found else None

    assert [stance("2019-05-09", None), stance("2019-05-09", Reliability.STATEMENT)] == ["supports", None]
    assert stance("2019-05-10", Reliability.STATEMENT) == "opposes"
