"""One tier ranking, `Reliability.rank`: every place that orders tiers (a query's minimum, an item's best tier, a
stored event's label, a report's tier class) orders them by it."""

from __future__ import annotations

from datetime import date

import pytest

from regledger.adapters.integrity.labels import best_citation
from regledger.adapters.render.reports.filters import tier_rank
from regledger.domain import action_adapter
from regledger.domain.values import Reliability, Source, best_source
from regledger.projections.items import best_tier
from regledger.projections.query import Query
from tests.unit.fold_kit import listed, src


def test_ranks_run_from_anonymous_0_to_official_3_and_back() -> None:
    assert [tier.rank for tier in Reliability] == [3, 2, 1, 0]
    assert [Reliability.from_rank(rank) for rank in (3, 2, 1, 0)] == list(Reliability)


@pytest.mark.parametrize("rank", [-1, 4])
def test_no_tier_has_a_rank_outside_0_to_3(rank: int) -> None:
    with pytest.raises(ValueError, match=f"no tier has rank {rank}"):
        Reliability.from_rank(rank)


@pytest.mark.parametrize(("value", "tier"), [
    ("official", Reliability.OFFICIAL), (Reliability.ANONYMOUS, Reliability.ANONYMOUS), ("OFFICIAL", None),
    ("rumour", None), (None, None), (3, None), (["official"], None), ({"reliability": "official"}, None),
])
def test_named_reads_a_raw_tier_or_nothing(value: object, tier: Reliability | None) -> None:
    assert Reliability.named(value) is tier


def test_the_best_source_is_the_most_reliable_and_the_first_of_equals() -> None:
    first, second = Source(reliability="statement", title="first"), Source(reliability="statement", title="second")
    weaker = Source(reliability="attributed", title="weaker")

    assert best_source([weaker, first, second]) is first
    with pytest.raises(ValueError, match="empty"):
        best_source([])


def test_an_items_best_tier_is_that_of_the_best_source_of_its_actions() -> None:
    actions = [action_adapter.validate_python(listed("a", sources=[src("x", "anonymous")])),
               action_adapter.validate_python(listed("b", sources=[src("y", "attributed"), src("z", "statement")]))]

    assert best_tier(actions) == "statement"
    assert best_tier([]) is None


@pytest.mark.parametrize(("minimum", "rank"), [(None, 0), *((tier, tier.rank) for tier in Reliability)])
def test_a_querys_minimum_rank_is_its_minimum_tiers_and_0_when_open(minimum: Reliability | None, rank: int) -> None:
    assert Query(date(2020, 1, 1), min_reliability=minimum).min_rank == rank


def test_a_stored_events_label_cites_its_most_reliable_source_whatever_the_raw_tiers() -> None:
    sources = [{"reliability": "rumour", "citation": "unknown tier"}, {"citation": "no tier"},
               {"reliability": "attributed", "citation": "attributed"}, {"reliability": "statement", "title": "best"},
               {"reliability": "statement", "citation": "later equal"}, "not a source"]

    assert best_citation(sources) == "best"
    assert best_citation([{"reliability": "rumour", "citation": "only"}]) == "only"


def test_a_reports_tier_class_counts_from_official_0_and_puts_the_unknown_last() -> None:
    assert [tier_rank(t) for t in ("official", "statement", "attributed", "anonymous", None, "rumour")] == [
        0, 1, 2, 3, 4, 4]
