"""Action validation: every kind parses from a timeline-like mapping, and every error names its field."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from pydantic import ValidationError

from regledger.domain import KINDS, Reliability, action_adapter
from regledger.domain.actions import MeetingHeld, PositionStated

from .domain_kit import MINIMAL, act, mapping, source


def errors_of(data: dict[str, Any]) -> list[tuple[tuple[Any, ...], str]]:
    """(location without the kind tag, message) of every error validating `data`."""
    with pytest.raises(ValidationError) as caught:
        action_adapter.validate_python(data)
    return [(tuple(e["loc"][1:]), e["msg"]) for e in caught.value.errors()]


def locations(data: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [loc for loc, _msg in errors_of(data)]


# -- every kind ------------------------------------------------------------------------------------------------


def test_every_kind_has_a_minimal_example() -> None:
    assert set(MINIMAL) == set(KINDS)


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_parses_from_a_minimal_mapping_of_strings(kind: str) -> None:
    data = mapping(kind)

    action = action_adapter.validate_python(data)

    assert action.kind == kind
    assert action.published_on == date(2019, 5, 16)
    assert action.sources[0].reliability is Reliability.OFFICIAL


def test_dates_are_parsed_from_iso_strings() -> None:
    action = act("entity_listed", effective_on="2019-05-16", published_on="2019-05-21")

    assert (action.effective_on, action.published_on) == (date(2019, 5, 16), date(2019, 5, 21))


def test_an_unknown_kind_is_refused() -> None:
    with pytest.raises(ValidationError, match="does not match any of the expected tags"):
        action_adapter.validate_python({**mapping("entity_listed"), "kind": "entity_added"})


def test_an_action_is_immutable() -> None:
    action = act("entity_listed")

    with pytest.raises(ValidationError, match="frozen"):
        action.note = "changed"  # type: ignore[misc]


# -- dates ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["effective_on", "published_on"])
def test_a_missing_date_is_refused_naming_the_field(field: str) -> None:
    data = mapping("entity_listed")
    del data[field]

    assert errors_of(data) == [((field,), "Field required")]


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("2019-02-30", "is not a calendar date"),
        ("2019", "is not a date in the form YYYY-MM-DD"),
        (20190516, "is not a date in the form YYYY-MM-DD"),
        ("16/05/2019", "is not a date in the form YYYY-MM-DD"),
        ("2019-05-16T00:00:00", "is not a date in the form YYYY-MM-DD"),
    ],
)
def test_a_malformed_date_is_refused_naming_the_field(value: Any, problem: str) -> None:
    [(loc, msg)] = errors_of(mapping("entity_listed", effective_on=value))

    assert loc == ("effective_on",)
    assert problem in msg


def test_a_malformed_nested_date_names_its_field() -> None:
    assert locations(mapping("comment_period_opened", comments_close_on="2019-06-31")) == [("comments_close_on",)]


# -- sources and tiers --------------------------------------------------------------------------------------------


# An invalid source also fails the `sources` length check ("at least 1 item after validation, not 0"); the first
# error, which is the one reported to the user, names the source's field.
def test_an_unknown_reliability_tier_is_refused_naming_the_field() -> None:
    data = mapping("entity_listed", sources=[source(reliability="rumour")])

    loc, msg = errors_of(data)[0]

    assert loc == ("sources", 0, "reliability")
    assert "'official', 'statement', 'attributed' or 'anonymous'" in msg


def test_an_action_needs_a_source() -> None:
    assert locations(mapping("entity_listed", sources=[])) == [("sources",)]


def test_a_source_without_citation_url_or_title_is_refused() -> None:
    data = mapping("entity_listed", sources=[{"reliability": "official", "publisher": "BIS", "document_number": "1"}])

    loc, msg = errors_of(data)[0]

    assert loc == ("sources", 0)
    assert "at least one of citation, url, title" in msg


@pytest.mark.parametrize("reference", ["citation", "url", "title"])
def test_a_source_with_any_one_reference_is_accepted(reference: str) -> None:
    action = act("entity_listed", sources=[{"reliability": "attributed", reference: "Reuters, 2019-05-16"}])

    assert getattr(action.sources[0], reference) == "Reuters, 2019-05-16"


@pytest.mark.parametrize(
    ("tiers", "best"),
    [
        (["anonymous"], Reliability.ANONYMOUS),
        (["anonymous", "attributed"], Reliability.ATTRIBUTED),
        (["attributed", "statement", "anonymous"], Reliability.STATEMENT),
        (["statement", "official"], Reliability.OFFICIAL),
    ],
)
def test_an_actions_tier_is_that_of_its_best_source(tiers: list[str], best: Reliability) -> None:
    action = act("entity_listed", sources=[source(f"source {i}", tier) for i, tier in enumerate(tiers)])

    assert action.tier is best


@pytest.mark.parametrize(
    ("tier", "minimum", "meets"),
    [
        (Reliability.OFFICIAL, Reliability.ANONYMOUS, True),
        (Reliability.STATEMENT, Reliability.STATEMENT, True),
        (Reliability.ATTRIBUTED, Reliability.STATEMENT, False),
        (Reliability.ANONYMOUS, None, True),
    ],
)
def test_a_tier_meets_a_minimum_at_or_below_it(tier: Reliability, minimum: Reliability | None, meets: bool) -> None:
    assert tier.meets(minimum) is meets


# -- unknown fields, keys, ids, countries ------------------------------------------------------------------------


def test_an_unknown_field_is_refused_naming_it() -> None:
    [(loc, msg)] = errors_of(mapping("entity_listed", effective="2019-05-16"))

    assert loc == ("effective",)
    assert msg == "Extra inputs are not permitted"


@pytest.mark.parametrize(
    ("fields", "loc"),
    [
        ({"party": {"key": "huawei", "nickname": "HW"}}, ("party", "nickname")),
        ({"sources": [source(pages="3")]}, ("sources", 0, "pages")),
    ],
)
def test_an_unknown_nested_field_is_refused_naming_its_path(fields: dict[str, Any], loc: tuple[Any, ...]) -> None:
    assert locations(mapping("entity_listed", **fields))[0] == loc


def test_a_field_of_another_kind_is_refused() -> None:
    assert locations(mapping("entity_delisted", details={"license_policy": "presumption of denial"})) == [("details",)]


@pytest.mark.parametrize("key", ["Huawei", "huawei technologies", "-huawei", "華為", ""])
def test_a_bad_party_key_is_refused_naming_the_field(key: str) -> None:
    assert locations(mapping("entity_listed", party={"key": key, "name": "Huawei"})) == [("party", "key")]


def test_a_bad_list_key_is_refused_naming_the_field() -> None:
    assert locations(mapping("entity_listed", list="US Entity List")) == [("list",)]


def test_an_action_id_with_a_space_is_refused() -> None:
    assert locations(mapping("entity_listed", id="huawei listing")) == [("id",)]


@pytest.mark.parametrize("country", ["cn", "CHN", "C1", "C"])
def test_a_country_code_that_is_not_two_capitals_is_refused(country: str) -> None:
    [(loc, msg)] = errors_of(mapping("entity_listed", party={"key": "huawei", "country": country}))

    assert loc == ("party", "country")
    assert "two capital letters" in msg


def test_a_country_code_stays_a_string() -> None:
    action = act("entity_listed", party={"key": "telenor", "name": "Telenor ASA", "country": "NO"})

    assert action.party.country == "NO"  # type: ignore[union-attr]


def test_details_names_must_be_snake_case() -> None:
    [(loc, msg)] = errors_of(mapping("entity_listed", details={"License-Policy": "presumption of denial"}))

    assert loc == ("details",)
    assert "'License-Policy' is not a snake_case name" in msg


# -- positions ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "subject",
    [{"topic": None}, {"topic": "restrict-chip-sales-to-huawei", "measure": {"key": "fdpr-2020"}}],
    ids=["neither", "both"],
)
def test_a_position_names_exactly_one_of_topic_or_measure(subject: dict[str, Any]) -> None:
    data = {k: v for k, v in {**mapping("position_stated"), **subject}.items() if v is not None}

    [(_loc, msg)] = errors_of(data)

    assert "exactly one of topic or measure" in msg


def test_a_positions_subject_is_its_topic_or_its_measure() -> None:
    on_topic = act("position_stated")
    on_measure = act("position_stated", topic=None, measure={"key": "fdpr-2020"})

    assert isinstance(on_topic, PositionStated)
    assert isinstance(on_measure, PositionStated)
    assert (on_topic.subject, on_measure.subject) == ("restrict-chip-sales-to-huawei", "measure:fdpr-2020")


def test_an_unknown_stance_is_refused_naming_the_field() -> None:
    assert locations(mapping("position_stated", stance="maybe")) == [("stance",)]


# -- meetings -----------------------------------------------------------------------------------------------------


def test_a_meeting_is_held_on_its_date_else_on_effective_on() -> None:
    dated = act("meeting_held", on="2020-03-02", date="2020-02-28")
    undated = act("meeting_held", on="2020-03-02")

    assert isinstance(dated, MeetingHeld)
    assert isinstance(undated, MeetingHeld)
    assert (dated.held_on, undated.held_on) == (date(2020, 2, 28), date(2020, 3, 2))


# -- corrections and retractions ----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["kind", "id", "id.suffix"])
def test_a_correction_cannot_touch_kind_or_id(path: str) -> None:
    [(_loc, msg)] = errors_of(mapping("correction", fields={path: "other"}))

    assert f"fields.{path}: a correction cannot change kind or id" in msg


def test_a_correction_without_fields_is_refused() -> None:
    assert locations(mapping("correction", fields={})) == [("fields",)]


@pytest.mark.parametrize("field", ["published_on", "sources"])
def test_a_correction_needs_its_publication_date_and_sources(field: str) -> None:
    data = mapping("correction")
    del data[field]

    assert locations(data) == [(field,)]


def test_a_correction_accepts_an_effective_on() -> None:
    correction = act("correction", effective_on="2019-05-16")

    assert correction.effective_on == date(2019, 5, 16)


def test_a_retraction_needs_a_reason() -> None:
    data = mapping("retraction")
    del data["reason"]

    assert locations(data) == [("reason",)]


# -- typed parameters ---------------------------------------------------------------------------------------------


def test_a_de_minimis_percentage_is_parsed_to_a_number() -> None:
    action = act("measure_adopted", parameters={"de_minimis_percent": "25"})

    assert action.parameters == {"de_minimis_percent": 25.0}  # type: ignore[union-attr]
    assert isinstance(action.parameters["de_minimis_percent"], float)  # type: ignore[union-attr]


@pytest.mark.parametrize("value", ["-1", "100.5", "a quarter"])
def test_a_de_minimis_percentage_out_of_range_is_refused_naming_the_parameter(value: str) -> None:
    [(loc, msg)] = errors_of(mapping("measure_adopted", parameters={"de_minimis_percent": value}))

    assert loc == ("parameters",)
    assert "de_minimis_percent:" in msg


@pytest.mark.parametrize(
    ("name", "given", "parsed"),
    [
        ("wind_down_ends_on", "2020-08-13", date(2020, 8, 13)),
        ("entries_designated", "38", 38),
        ("foreign_direct_product_footnote", "footnote 1", "footnote 1"),
    ],
)
def test_typed_parameters_are_parsed(name: str, given: str, parsed: Any) -> None:
    action = act("measure_amended", parameters={name: given})

    assert action.parameters == {name: parsed}  # type: ignore[union-attr]


def test_an_unknown_snake_case_parameter_keeps_its_value_as_given() -> None:
    action = act("measure_proposed", parameters={"fdpr_scope_percent": "25"})

    assert action.parameters == {"fdpr_scope_percent": "25"}  # type: ignore[union-attr]


def test_a_parameter_name_that_is_not_snake_case_is_refused() -> None:
    assert locations(mapping("measure_adopted", parameters={"DeMinimis": "25"})) == [("parameters",)]


def test_a_parameter_value_that_is_a_mapping_is_refused() -> None:
    [(loc, msg)] = errors_of(mapping("measure_adopted", parameters={"scope": {"chips": "yes"}}))

    assert loc == ("parameters",)
    assert "scope: a parameter value is a single string or number" in msg


# -- content hash --------------------------------------------------------------------------------------------------


def test_equal_content_has_an_equal_hash() -> None:
    first = act("entity_listed", details={"license_requirement": "all items", "license_policy": "denial"})
    second = act("entity_listed", details={"license_policy": "denial", "license_requirement": "all items"})

    assert first is not second
    assert first.content_hash() == second.content_hash()


def test_a_typed_parameter_written_differently_has_the_same_hash() -> None:
    as_integer = act("measure_adopted", parameters={"de_minimis_percent": "25"})
    as_decimal = act("measure_adopted", parameters={"de_minimis_percent": "25.0"})

    assert as_integer.content_hash() == as_decimal.content_hash()


def test_surrounding_whitespace_does_not_change_the_hash() -> None:
    assert act("entity_listed", note=" listed ").content_hash() == act("entity_listed", note="listed").content_hash()


@pytest.mark.parametrize(
    "change",
    [
        {"note": "another note"},
        {"id": "listing-1"},
        {"effective_on": "2019-05-17"},
        {"sources": [source("84 FR 22962")]},
        {"party": {"key": "huawei", "name": "Huawei Technologies Co., Ltd", "aliases": ["華為"]}},
    ],
)
def test_different_content_has_a_different_hash(change: dict[str, Any]) -> None:
    assert act("entity_listed", **change).content_hash() != act("entity_listed").content_hash()


def test_a_boolean_is_not_a_typed_number_parameter() -> None:
    data = mapping("measure_adopted", parameters={"affiliates_added": True})

    [(loc, message)] = errors_of(data)

    assert loc == ("parameters",)
    assert "affiliates_added" in message
    assert "not true/false" in message


def test_an_id_spelled_like_a_content_hash_key_is_refused() -> None:
    data = mapping("entity_listed", id="sha256:abc")

    [(loc, message)] = errors_of(data)

    assert loc == ("id",)
    assert "kept for actions recorded without an id" in message
