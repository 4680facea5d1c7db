"""history.resolve: corrections and retractions applied to a subject's actions, and legal order."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from regledger.domain import Entry, resolve
from regledger.domain.actions import Action, ActionBase
from regledger.domain.errors import CorrectionError
from regledger.domain.history import apply_fields

from .domain_kit import act

RECORDED = datetime(2024, 3, 1, tzinfo=UTC)


def entries(*actions: Action) -> list[Entry]:
    """The actions as entries recorded in the order given (seq 1, 2, ...)."""
    return [Entry(seq, RECORDED, action) for seq, action in enumerate(actions, start=1)]


def resolved(*actions: Action, visible: Any = None) -> list[Action]:
    """The resolved actions, in the order resolve returns them."""
    chosen = resolve(entries(*actions)) if visible is None else resolve(entries(*actions), visible)
    return [action for _entry, action in chosen]


LISTING = act("entity_listed", id="listing-1", note="as first recorded")


def correction(fields: dict[str, Any], corrects: str = "listing-1", on: str = "2019-06-01", **extra: Any) -> Action:
    return act("correction", on=on, corrects=corrects, fields=fields, **extra)


def retraction(retracts: str, on: str = "2019-06-01", **extra: Any) -> Action:
    return act("retraction", on=on, retracts=retracts, **extra)


# -- corrections ----------------------------------------------------------------------------------------------------


def test_an_uncorrected_action_is_returned_as_written() -> None:
    assert resolved(LISTING) == [LISTING]


def test_a_correction_replaces_the_fields_it_names() -> None:
    [action] = resolved(LISTING, correction({"note": "corrected"}))

    assert action.note == "corrected"
    assert action.effective_on == LISTING.effective_on


def test_corrections_are_not_returned_themselves() -> None:
    result = resolved(LISTING, correction({"note": "corrected"}, id="fix-1"))

    assert [a.kind for a in result] == ["entity_listed"]


def test_a_later_recorded_correction_of_the_same_field_wins() -> None:
    # The later-recorded correction was published earlier: recording order decides, not publication.
    first = correction({"note": "first fix"}, on="2019-07-01")
    second = correction({"note": "second fix"}, on="2019-06-01")

    [action] = resolved(LISTING, first, second)

    assert action.note == "second fix"


def test_corrections_of_different_fields_both_apply() -> None:
    [action] = resolved(LISTING, correction({"note": "fixed"}), correction({"published_on": "2019-05-21"}))

    assert (action.note, action.published_on) == ("fixed", date(2019, 5, 21))


def test_a_dotted_path_corrects_a_nested_field() -> None:
    listing = act("entity_listed", id="listing-1", details={"license_policy": "case by case"})

    [action] = resolved(listing, correction({"party.name": "Huawei Technologies Co., Ltd", "details.license_policy":
                                             "presumption of denial"}))

    assert action.party.name == "Huawei Technologies Co., Ltd"  # type: ignore[union-attr]
    assert action.party.key == "huawei"  # type: ignore[union-attr]
    assert action.details == {"license_policy": "presumption of denial"}  # type: ignore[union-attr]


def test_a_dotted_path_creates_a_missing_mapping() -> None:
    [action] = resolved(LISTING, correction({"details.license_requirement": "all items subject to the EAR"}))

    assert action.details == {"license_requirement": "all items subject to the EAR"}  # type: ignore[union-attr]


def test_a_correction_to_null_removes_an_optional_field() -> None:
    [action] = resolved(LISTING, correction({"note": None}))

    assert action.note is None


def test_a_correction_of_a_correction_changes_what_the_first_one_applies() -> None:
    first = correction({"note": "wrong fix"}, id="fix-1")
    second = correction({"fields.note": "right fix"}, corrects="fix-1")

    [action] = resolved(LISTING, first, second)

    assert action.note == "right fix"


def test_a_correction_of_a_corrected_correction_applies_the_newest() -> None:
    first = correction({"note": "wrong fix"}, id="fix-1")
    second = correction({"fields.note": "better fix"}, corrects="fix-1", id="fix-2")
    third = correction({"fields.fields.note": "best fix"}, corrects="fix-2")

    [action] = resolved(LISTING, first, second, third)

    assert action.note == "best fix"


def test_a_correction_naming_an_unknown_id_changes_nothing() -> None:
    assert resolved(LISTING, correction({"note": "elsewhere"}, corrects="listing-2")) == [LISTING]


# -- retractions ----------------------------------------------------------------------------------------------------


def test_a_retracted_action_is_left_out() -> None:
    other = act("entity_listed", id="listing-2", party={"key": "honor"})

    result = resolved(LISTING, other, retraction("listing-1"))

    assert result == [other]


def test_a_retracted_correction_brings_the_original_back() -> None:
    result = resolved(LISTING, correction({"note": "wrong fix"}, id="fix-1"), retraction("fix-1"))

    assert result == [LISTING]


def test_a_retracted_retraction_brings_the_action_back() -> None:
    result = resolved(LISTING, retraction("listing-1", id="retraction-1"), retraction("retraction-1"))

    assert result == [LISTING]


def test_a_correction_of_a_retracted_action_does_not_bring_it_back() -> None:
    result = resolved(LISTING, retraction("listing-1"), correction({"note": "too late"}))

    assert result == []


# -- visibility -----------------------------------------------------------------------------------------------------


def published_by(day: str) -> Any:
    limit = date.fromisoformat(day)
    return lambda _entry, action: action.published_on <= limit


def test_a_correction_not_yet_visible_leaves_the_original() -> None:
    fix = correction({"note": "corrected"}, on="2019-07-01")

    [before] = resolved(LISTING, fix, visible=published_by("2019-06-30"))
    [after] = resolved(LISTING, fix, visible=published_by("2019-07-01"))

    assert (before.note, after.note) == ("as first recorded", "corrected")


def test_a_retraction_not_yet_visible_leaves_the_action() -> None:
    result = resolved(LISTING, retraction("listing-1", on="2019-07-01"), visible=published_by("2019-06-30"))

    assert result == [LISTING]


def test_an_action_counts_when_visible_as_corrected() -> None:
    # The correction moves the listing's publication date after the query's date: the corrected listing is hidden.
    fix = correction({"published_on": "2019-08-01"}, on="2019-06-01")

    assert resolved(LISTING, fix, visible=published_by("2019-07-01")) == []


def test_a_visible_correction_of_a_hidden_correction_changes_nothing() -> None:
    first = correction({"note": "first fix"}, id="fix-1", on="2019-08-01")
    second = correction({"fields.note": "second fix"}, corrects="fix-1", on="2019-06-01")

    [action] = resolved(LISTING, first, second, visible=published_by("2019-07-01"))

    assert action.note == "as first recorded"


# -- legal order ----------------------------------------------------------------------------------------------------


def test_actions_come_in_effective_published_and_recording_order() -> None:
    late = act("entity_delisted", id="a", effective_on="2020-01-01", published_on="2019-12-01")
    early_published_late = act("entry_amended", id="b", effective_on="2019-06-01", published_on="2019-07-01")
    early_published_early = act("entry_amended", id="c", effective_on="2019-06-01", published_on="2019-06-15")
    same_as_c_recorded_later = act("entry_amended", id="d", effective_on="2019-06-01", published_on="2019-06-15")
    first = act("entity_listed", id="e", effective_on="2019-05-16", published_on="2019-05-21")

    result = resolved(late, early_published_late, same_as_c_recorded_later, early_published_early, first)

    assert [a.id for a in result] == ["e", "d", "c", "b", "a"]


def test_a_correction_of_effective_on_moves_the_action_in_legal_order() -> None:
    amended = act("entry_amended", id="amendment-1", on="2019-06-01")
    listed = act("entity_listed", id="listing-1", on="2019-05-16")

    result = resolved(listed, amended, correction({"effective_on": "2019-05-01"}, corrects="amendment-1"))

    assert [a.id for a in result] == ["amendment-1", "listing-1"]


# -- apply_fields ---------------------------------------------------------------------------------------------------


def test_a_correction_that_makes_the_action_invalid_is_refused_naming_fields() -> None:
    with pytest.raises(CorrectionError, match="effective_on") as caught:
        apply_fields(LISTING, {"effective_on": "2019-02-30"})

    assert caught.value.field == "fields"


@pytest.mark.parametrize("path", ["party.key", "list"])
def test_a_correction_cannot_change_the_subjects_key(path: str) -> None:
    with pytest.raises(CorrectionError, match="retract the action") as caught:
        apply_fields(LISTING, {path: "honor"})

    assert caught.value.field == f"fields.{path}"


def test_a_dotted_path_through_a_scalar_is_refused() -> None:
    with pytest.raises(CorrectionError) as caught:
        apply_fields(LISTING, {"note.text": "x"})

    assert caught.value.field == "fields.note.text"


def test_apply_fields_leaves_the_original_unchanged() -> None:
    corrected = apply_fields(LISTING, {"party.name": "Huawei"})

    assert (LISTING.party.name, corrected.party.name) == ("Huawei Technologies Co., Ltd.", "Huawei")  # type: ignore[union-attr]


def test_the_actions_returned_keep_their_class() -> None:
    [action] = resolved(LISTING, correction({"note": "x"}))

    assert type(action) is type(LISTING)
    assert isinstance(action, ActionBase)
