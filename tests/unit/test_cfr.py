"""The action-level `cfr` field (domain/cfr.py, domain/actions.py): parsed into a typed reference, stored as one
canonical line, absent at rest when not given, refused naming the field when it is not a CFR reference, and carried
to the citations of the answers."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from regledger.domain.actions import action_adapter
from regledger.domain.cfr import CfrReference
from regledger.projections.items import citations_of


def _listing(**given: Any) -> dict[str, Any]:
    return {"kind": "entity_listed", "list": "us-bis-entity-list", "party": {"key": "example-party"},
            "effective_on": "2019-05-16", "published_on": "2019-05-21",
            "sources": [{"citation": "84 FR 22961", "reliability": "official", "kind": "federal_register"}], **given}


@pytest.mark.parametrize(("written", "fields"), [
    ("15 CFR 744.11", {"title": 15, "part": 744, "section": "11"}),
    ("15 C.F.R. § 736.2(b)(3)(vi)", {"title": 15, "part": 736, "section": "2", "paragraph": "(b)(3)(vi)"}),
    ("15 CFR part 744, supplement no. 4", {"title": 15, "part": 744, "supplement": 4}),
    ("15 C.F.R. pt. 744, supp. 4", {"title": 15, "part": 744, "supplement": 4}),
    ("15 CFR Supp. No. 4 to part 744", {"title": 15, "part": 744, "supplement": 4}),
    ("15 CFR part 744, supplement no. 4, footnote 1", {"title": 15, "part": 744, "supplement": 4, "footnote": 1}),
])
def test_a_cfr_reference_is_parsed_into_its_parts(written: str, fields: dict[str, Any]) -> None:
    found = CfrReference.model_validate(written)

    assert found == CfrReference(**fields)


def test_the_same_place_written_two_ways_is_stored_as_one_canonical_line() -> None:
    one = action_adapter.validate_python(_listing(cfr=["15 C.F.R. pt. 744, supp. 4"]))
    two = action_adapter.validate_python(_listing(cfr=["15 CFR Supplement No. 4 to part 744"]))

    assert one.as_data()["cfr"] == ["15 CFR part 744, supplement no. 4"]
    assert one.content_hash() == two.content_hash()


def test_a_stored_cfr_reads_back_to_the_same_hash() -> None:
    action = action_adapter.validate_python(_listing(cfr=["15 CFR 744.11", "15 CFR part 744, supplement no. 4"]))

    again = action_adapter.validate_python(action.as_data())

    assert again.content_hash() == action.content_hash()


def test_an_action_without_cfr_stores_no_cfr_key_so_its_hash_is_unchanged() -> None:
    action = action_adapter.validate_python(_listing())

    assert "cfr" not in action.as_data()


@pytest.mark.parametrize("written", ["744.11", "15 CFR", "CFR 744.11", "15 CFR part 744, section 11",
                                     "15 CFR 744.11, supplement no. 4"])
def test_a_bad_reference_is_refused_naming_the_field(written: str) -> None:
    with pytest.raises(ValidationError) as refused:
        action_adapter.validate_python(_listing(cfr=[written]))

    error = refused.value.errors()[0]
    assert error["loc"][:2] == ("entity_listed", "cfr")
    assert "is not a CFR reference" in error["msg"]


def test_cfr_is_refused_on_a_meeting() -> None:
    meeting = {"kind": "meeting_held", "meeting": {"key": "m"}, "effective_on": "2020-02-20",
               "published_on": "2020-02-20", "sources": [{"title": "t", "reliability": "attributed"}],
               "cfr": ["15 CFR 744.11"]}

    with pytest.raises(ValidationError, match="cfr"):
        action_adapter.validate_python(meeting)


def test_the_citations_of_an_action_carry_its_cfr_places() -> None:
    action = action_adapter.validate_python(_listing(cfr=["15 CFR part 744, supplement no. 4"]))

    (citation,) = citations_of([action])

    assert citation.cfr == ("15 CFR part 744, supplement no. 4",)
