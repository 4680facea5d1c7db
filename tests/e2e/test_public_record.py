"""On both stores, the bundled case: what the public record showed on a date, source by source (issue 14).

Public inspection is legal notice days before the Federal Register issue; BIS announced the TGL's extension and the
foreign direct product rule the day they took effect; the listing of Huawei was announced the day before it took
effect. Each answer cites only the sources dated by `--published-by`.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.conftest import EXAMPLE
from tests.e2e.test_query_schema import problems

HUAWEI = "huawei-technologies"
TGL = "us-bis-huawei-tgl"
FDP = "us-bis-fdp-rule-huawei"


@pytest.fixture
def case(db: str, run_cli: Any) -> Any:
    """A query on the bundled case, recorded once: `case(*args)` is the as-of JSON answer (schema-checked)."""
    recorded = run_cli("record", str(EXAMPLE), "--db", db)
    assert recorded.code == 0, recorded.err

    def ask(*args: str) -> dict[str, Any]:
        result = run_cli("as-of", *args, "--format", "json", "--db", db)
        assert result.code == 0, result.err
        answer = json.loads(result.out)
        assert problems(answer, "asOf", strict=True) == []
        return answer

    return ask


def _entry(answer: dict[str, Any], party: str = HUAWEI) -> dict[str, Any]:
    [entry] = [e for e in answer["lists"]["us-bis-entity-list"] if e["party"] == party]
    return entry


def _measure(answer: dict[str, Any], key: str) -> dict[str, Any]:
    [measure] = [m for m in answer["measures"] if m["key"] == key]
    return measure


def _kinds(item: dict[str, Any]) -> set[str]:
    return {c["kind"] for c in item["citations"]}


def _cited(item: dict[str, Any]) -> set[str | None]:
    return {c["citation"] for c in item["citations"]}


def test_public_inspection_is_notice_before_the_federal_register(case: Any) -> None:
    answer = case("2019-05-17", "--published-by", "2019-05-17", "--min-reliability", "official", "--party", HUAWEI)

    entry = _entry(answer)
    assert entry["status"] == "in_force"
    assert entry["listed_on"] == "2019-05-16"
    assert _kinds(entry) == {"public_inspection"}
    assert "84 FR 22961" not in _cited(entry)
    assert all(c["published_on"] <= "2019-05-17" for c in entry["citations"])


def test_the_day_before_the_listing_it_was_announced_with_no_effective_date(case: Any) -> None:
    answer = case("2019-05-15", "--published-by", "2019-05-15", "--party", HUAWEI)

    entry = _entry(answer)
    assert entry["status"] == "announced"
    assert entry["listed_on"] is None
    assert entry["pending"] == []
    assert [a["effective_on"] for a in entry["announced"]] == [None]
    assert entry["announced"][0]["kind"] == "listing_announced"
    assert all(c["published_on"] == "2019-05-15" for c in entry["citations"])


def test_the_federal_register_citation_appears_on_its_issue_date(case: Any) -> None:
    before = _entry(case("2019-05-20", "--published-by", "2019-05-20", "--party", HUAWEI))
    after = _entry(case("2019-05-21", "--published-by", "2019-05-21", "--party", HUAWEI))

    assert before["status"] == after["status"] == "in_force"
    assert "84 FR 22961" not in _cited(before)
    assert "84 FR 22961" in _cited(after)


def test_the_tgl_extension_is_in_force_through_the_announcement_of_2020_02_13(case: Any) -> None:
    every_tier = _measure(case("2020-02-17", "--published-by", "2020-02-13"), TGL)
    official = _measure(case("2020-02-17", "--published-by", "2020-02-17", "--min-reliability", "official"), TGL)
    published = _measure(case("2020-02-18", "--published-by", "2020-02-18", "--min-reliability", "official"), TGL)

    assert (every_tier["status"], every_tier["expires_on"]) == ("in_force", "2020-04-01")
    assert "agency_announcement" in _kinds(every_tier)
    assert "85 FR 8722" not in _cited(every_tier)
    assert (official["status"], official["expires_on"]) == ("expired", "2020-02-16")
    assert (published["status"], published["expires_on"]) == ("in_force", "2020-04-01")
    assert "85 FR 8722" in _cited(published)


def test_the_foreign_direct_product_rule_is_in_force_through_the_announcement_of_2020_05_15(case: Any) -> None:
    measure = _measure(case("2020-05-15", "--published-by", "2020-05-15"), FDP)

    assert measure["status"] == "in_force"
    assert _kinds(measure) == {"agency_announcement", "public_inspection"}  # both dated the day it took effect
    assert "85 FR 29849" not in _cited(measure)


def test_the_omb_withdrawal_cites_the_reuters_story_only_from_its_own_date(case: Any) -> None:
    draft = "us-bis-huawei-de-minimis-draft-rule"
    on_the_24th = _measure(case("2020-01-25", "--published-by", "2020-01-25"), draft)
    on_the_26th = _measure(case("2020-01-26", "--published-by", "2020-01-26"), draft)

    assert on_the_24th["status"] == on_the_26th["status"] == "withdrawn"
    assert all(c["published_on"] <= "2020-01-25" for c in on_the_24th["citations"])
    assert any(c["publisher"] == "Reuters" and c["published_on"] == "2020-01-26" for c in on_the_26th["citations"])


def test_a_secondary_value_on_an_official_rule_says_it_is_secondary(case: Any, db: str, run_cli: Any) -> None:
    measure = _measure(case("2020-06-01"), FDP)

    assert measure["reliability"] == "official"
    assert measure["parameters_provenance"]["wind_down_ends_on"]["reliability"] == "attributed"
    text = run_cli("as-of", "2020-06-01", "--db", db).out
    assert "wind_down_ends_on = 2020-09-14 (attributed: fdp-2020-05-15-wind-down-reported)" in text
