"""Listing: listed, confirmed, relisted, amended, delisted; and the guards that keep its history possible."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from regledger.domain import HistoryError, Listing, ListingState, listing_step
from regledger.domain.actions import Action
from regledger.domain.errors import CorrectionError, NotListedError, UnknownActionError
from regledger.domain.listing import listing_id

from .domain_kit import act, fold

ENTITY_LIST = "us-bis-entity-list"


def listing(*actions: Action) -> Listing:
    """Huawei's Entity List listing with `actions` recorded in the order given."""
    subject = Listing.register(ENTITY_LIST, "huawei")
    for action in actions:
        subject.record(action)
    return subject


def listed(on: str = "2019-05-16", **fields: Any) -> Action:
    return act("entity_listed", on=on, **fields)


def delisted(on: str, **fields: Any) -> Action:
    return act("entity_delisted", on=on, **fields)


def amended(on: str, **fields: Any) -> Action:
    return act("entry_amended", on=on, **fields)


def state_on(subject: Listing, day: str | None = None) -> ListingState:
    state = fold(subject, date.fromisoformat(day) if day else None)
    assert isinstance(state, ListingState)
    return state


def test_a_listings_id_derives_from_the_list_and_the_party() -> None:
    first = Listing.register(ENTITY_LIST, "huawei")
    again = Listing.register(ENTITY_LIST, "huawei")
    other = Listing.register(ENTITY_LIST, "honor")

    assert first.id == again.id == listing_id(ENTITY_LIST, "huawei")
    assert other.id != first.id
    assert first.key == "us-bis-entity-list/huawei"


def test_a_listed_party_is_listed_from_the_effective_date() -> None:
    subject = listing(listed("2019-05-16", details={"license_policy": "presumption of denial"}))

    before, on_the_day = state_on(subject, "2019-05-15"), state_on(subject, "2019-05-16")

    assert not before.listed
    assert (on_the_day.listed, on_the_day.listed_on) == (True, date(2019, 5, 16))
    assert on_the_day.name == "Huawei Technologies Co., Ltd."
    assert on_the_day.details == {"license_policy": "presumption of denial"}


def test_a_second_listing_while_listed_is_a_confirmation_that_keeps_the_listed_since_date() -> None:
    first = listed("2019-05-16")
    confirmation = listed("2019-08-19", party={"key": "huawei", "aliases": ["華為"]},
                          sources=[{"reliability": "official", "citation": "84 FR 43493"}])
    subject = listing(first, confirmation)

    state = state_on(subject)

    assert (state.listed, state.listed_on) == (True, date(2019, 5, 16))
    assert state.actions == (first, confirmation)
    assert state.aliases == ("華為",)


def test_a_confirmation_recorded_later_but_effective_earlier_moves_the_listed_since_date() -> None:
    subject = listing(listed("2019-05-16"), listed("2019-05-10"))

    assert state_on(subject).listed_on == date(2019, 5, 10)


def test_a_listing_after_a_delisting_is_a_relisting() -> None:
    subject = listing(listed("2019-05-16"), delisted("2020-01-01"), listed("2020-06-01"))

    gap, relisted = state_on(subject, "2020-03-01"), state_on(subject, "2020-06-01")

    assert (gap.listed, gap.delisted_on) == (False, date(2020, 1, 1))
    assert (relisted.listed, relisted.listed_on, relisted.delisted_on) == (True, date(2020, 6, 1), None)
    assert relisted.name == "Huawei Technologies Co., Ltd."


def test_an_entry_amendment_merges_details_and_replaces_aliases() -> None:
    subject = listing(
        listed("2019-05-16", details={"license_requirement": "all items", "license_policy": "case by case"},
               party={"key": "huawei", "name": "Huawei", "aliases": ["Huawei Tech"]}),
        amended("2019-08-19", details={"license_policy": "presumption of denial"},
                party={"key": "huawei", "aliases": ["華為"]}),
    )

    state = state_on(subject)

    assert state.details == {"license_requirement": "all items", "license_policy": "presumption of denial"}
    assert state.aliases == ("華為",)
    assert state.name == "Huawei"


def test_delisting_a_party_not_listed_on_that_date_is_refused() -> None:
    subject = listing(listed("2019-05-16"))

    with pytest.raises(NotListedError, match="cannot delist 'huawei': not listed on us-bis-entity-list on 2019-05-10") \
            as caught:
        subject.record(delisted("2019-05-10"))

    assert caught.value.field == "party.key"
    assert len(subject.entries) == 1


def test_delisting_a_party_never_listed_is_refused() -> None:
    subject = listing()

    with pytest.raises(NotListedError):
        subject.record(delisted("2020-01-01"))


def test_delisting_a_party_twice_is_refused() -> None:
    subject = listing(listed("2019-05-16"), delisted("2020-01-01"))

    with pytest.raises(NotListedError):
        subject.record(delisted("2020-02-01"))


def test_amending_an_entry_not_listed_on_that_date_is_refused() -> None:
    subject = listing(listed("2019-05-16"), delisted("2020-01-01"))

    with pytest.raises(NotListedError, match="cannot amend the entry of 'huawei'") as caught:
        subject.record(amended("2020-02-01"))

    assert caught.value.field == "party.key"


def test_a_delisted_event_records_the_delisting() -> None:
    subject = listing(listed("2019-05-16"))

    subject.record(delisted("2020-01-01"))

    assert isinstance(subject.pending_events[-1], Listing.Delisted)


# -- out-of-order recording ---------------------------------------------------------------------------------------


def test_an_amendment_recorded_after_a_delisting_but_effective_before_it_is_accepted() -> None:
    subject = listing(listed("2019-05-16"), delisted("2020-01-01"))

    subject.record(amended("2019-08-19", details={"license_policy": "presumption of denial"}))

    assert state_on(subject, "2019-12-31").details == {"license_policy": "presumption of denial"}


def test_a_listing_recorded_after_a_delisting_but_effective_earlier_is_a_confirmation() -> None:
    subject = listing(listed("2019-05-16"), delisted("2020-01-01"))

    subject.record(listed("2019-08-19"))

    state = state_on(subject)
    assert (state.listed, state.listed_on, state.delisted_on) == (False, date(2019, 5, 16), date(2020, 1, 1))


def test_a_delisting_effective_before_an_earlier_recorded_delisting_is_a_history_error() -> None:
    # Recorded: listing (2019), delisting (2020-06), then a second delisting effective earlier (2020-01). In legal
    # order the 2020-01 delisting comes first and leaves the earlier-recorded 2020-06 delisting impossible.
    subject = listing(listed("2019-05-16"), delisted("2020-06-01", id="delisting-2020-06"))

    with pytest.raises(HistoryError, match="this would leave action 'delisting-2020-06' impossible") as caught:
        subject.record(delisted("2020-01-01"))

    assert caught.value.field == "party.key"
    assert len(subject.entries) == 2


def test_an_action_that_would_make_an_earlier_recorded_one_impossible_is_named_by_kind_and_date() -> None:
    subject = listing(listed("2019-05-16"), amended("2019-08-19"))

    with pytest.raises(HistoryError, match="the entry_amended effective 2019-08-19"):
        subject.record(delisted("2019-06-01"))


def test_a_relisting_recorded_late_can_make_a_later_delisting_possible() -> None:
    subject = listing(listed("2019-05-16"), delisted("2020-01-01"))

    subject.record(listed("2020-03-01"))
    subject.record(delisted("2020-06-01"))

    assert state_on(subject).delisted_on == date(2020, 6, 1)


# -- corrections and retractions on a listing --------------------------------------------------------------------


def test_retracting_a_listing_that_a_delisting_relies_on_is_refused() -> None:
    subject = listing(listed("2019-05-16", id="listing-1"), delisted("2020-01-01", id="delisting-1"))

    with pytest.raises(HistoryError, match="action 'delisting-1' impossible"):
        subject.retract(act("retraction", retracts="listing-1"))


def test_correcting_a_listing_date_past_its_delisting_is_refused() -> None:
    subject = listing(listed("2019-05-16", id="listing-1"), delisted("2020-01-01", id="delisting-1"))

    with pytest.raises(HistoryError, match="action 'delisting-1' impossible"):
        subject.correct(act("correction", corrects="listing-1", fields={"effective_on": "2020-02-01"}))


def test_a_correction_recorded_on_a_listing_changes_its_state() -> None:
    subject = listing(listed("2019-05-16", id="listing-1"))

    subject.correct(act("correction", corrects="listing-1", fields={"effective_on": "2019-05-17"}))

    assert state_on(subject).listed_on == date(2019, 5, 17)
    assert isinstance(subject.pending_events[-1], Listing.Corrected)


def test_a_retracted_listing_no_longer_lists_the_party() -> None:
    subject = listing(listed("2019-05-16", id="listing-1"))

    subject.retract(act("retraction", retracts="listing-1"))

    assert not state_on(subject).listed
    assert isinstance(subject.pending_events[-1], Listing.Retracted)


def test_a_correction_of_the_partys_key_is_refused() -> None:
    subject = listing(listed("2019-05-16", id="listing-1"))

    with pytest.raises(CorrectionError) as caught:
        subject.correct(act("correction", corrects="listing-1", fields={"party.key": "honor"}))

    assert caught.value.field == "fields.party.key"
    assert len(subject.entries) == 1


def test_a_correction_that_makes_the_action_invalid_is_refused() -> None:
    subject = listing(listed("2019-05-16", id="listing-1"))

    with pytest.raises(CorrectionError, match=r"party\.country") as caught:
        subject.correct(act("correction", corrects="listing-1", fields={"party.country": "China"}))

    assert caught.value.field == "fields"


def test_a_correction_of_an_unknown_id_is_refused_naming_corrects() -> None:
    subject = listing(listed("2019-05-16", id="listing-1"))

    with pytest.raises(UnknownActionError, match="no action with id 'listing-2'") as caught:
        subject.correct(act("correction", corrects="listing-2"))

    assert caught.value.field == "corrects"


# -- the step function, not strict -----------------------------------------------------------------------------------


def test_a_lenient_step_ignores_a_delisting_of_a_party_not_listed() -> None:
    state = listing_step(ListingState(), delisted("2020-01-01"), strict=False)

    assert state == ListingState()
