"""The statuses of the law (issue 15): draft, revoked and withdrawn measures, announcements that change nothing in
force, and meetings whose date passed unheld."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from regledger.domain.actions import action_adapter
from regledger.domain.errors import MeasureNotAdoptedError, MeasureWithdrawnError
from regledger.domain.listing import ListingState, listing_step
from regledger.domain.measure import Measure, MeasureState, measure_status, measure_step, withdraws_adopted
from regledger.domain.meeting import MeetingState, meeting_status, meeting_step

from .domain_kit import act, mapping


def measure_on(on: str, *actions: object) -> MeasureState:
    state = MeasureState()
    for action in actions:
        if action.legal_on <= date.fromisoformat(on):  # type: ignore[attr-defined]
            state = measure_step(state, action, strict=True)  # type: ignore[arg-type]
    return state


def status(on: str, *actions: object) -> str | None:
    return measure_status(measure_on(on, *actions), date.fromisoformat(on))


def test_a_draft_sent_for_review_is_draft_until_proposed() -> None:
    drafted = act("measure_drafted", on="2020-01-14")
    proposed = act("measure_proposed", on="2020-03-01")

    assert status("2020-01-20", drafted) == "draft"
    assert status("2020-03-01", drafted, proposed) == "proposed"


def test_a_draft_withdrawn_from_review_is_withdrawn() -> None:
    assert status("2020-01-24", act("measure_drafted", on="2020-01-14"),
                  act("measure_withdrawn", on="2020-01-24")) == "withdrawn"


def test_a_revoked_measure_is_revoked_and_takes_no_further_change() -> None:
    adopted, revoked = act("measure_adopted", on="2019-05-20"), act("measure_revoked", on="2020-08-17")
    state = measure_on("2020-08-17", adopted, revoked)

    assert measure_status(state, date(2020, 8, 17)) == "revoked"
    assert state.revoked_on == date(2020, 8, 17)
    with pytest.raises(MeasureWithdrawnError, match="was revoked on 2020-08-17"):
        measure_step(state, act("measure_amended", on="2020-09-01", expires_on="2020-12-31"), strict=True)


def test_revoking_a_measure_never_adopted_is_refused_naming_measure_withdrawn() -> None:
    with pytest.raises(MeasureNotAdoptedError, match="measure_withdrawn") as caught:
        measure_on("2020-01-24", act("measure_drafted", on="2020-01-14"), act("measure_revoked", on="2020-01-24"))

    assert caught.value.field == "kind"


def test_a_lapse_then_a_revocation_reads_expired_then_revoked() -> None:
    adopted = act("measure_adopted", on="2019-05-20", expires_on="2020-08-13")
    revoked = act("measure_revoked", on="2020-08-17")

    assert status("2020-08-13", adopted, revoked) == "in_force"
    assert status("2020-08-14", adopted, revoked) == "expired"
    assert status("2020-08-17", adopted, revoked) == "revoked"


def test_withdraws_adopted_tells_a_withdrawal_read_as_a_revocation() -> None:
    adopted = measure_on("2019-06-01", act("measure_adopted", on="2019-05-20"))

    assert withdraws_adopted(adopted, act("measure_withdrawn", on="2019-09-01"))
    assert not withdraws_adopted(MeasureState(), act("measure_withdrawn", on="2019-09-01"))
    assert not withdraws_adopted(adopted, act("measure_revoked", on="2019-09-01"))


def test_applies_to_is_replaced_by_an_amendment_that_gives_it() -> None:
    adopted = act("measure_adopted", on="2019-05-20", applies_to=["huawei"], include_affiliates=True)
    amended = act("measure_amended", on="2019-08-19", applies_to=["huawei", "hisilicon"])
    renamed = act("measure_amended", on="2019-09-01", title="New title")

    state = measure_on("2019-09-01", adopted, amended, renamed)

    assert state.applies_to == ("huawei", "hisilicon")
    assert state.include_affiliates is True


@pytest.mark.parametrize("kind", ["listing_announced", "measure_announced"])
def test_an_announcement_has_no_effective_date(kind: str) -> None:
    with pytest.raises(ValidationError, match="an announcement has no effective date"):
        action_adapter.validate_python({**mapping(kind), "effective_on": "2019-05-16"})


def test_an_announcement_counts_from_its_publication_and_changes_nothing_in_force() -> None:
    listing = act("listing_announced", on="2019-05-15")
    measure = act("measure_announced", on="2019-05-15")

    assert listing.legal_on == date(2019, 5, 15)
    assert listing.effective_on is None
    assert listing_step(ListingState(), listing, strict=True) == ListingState()
    assert measure_step(MeasureState(), measure, strict=True) == MeasureState()


def test_an_announced_removal_says_remove_and_an_unknown_change_is_refused() -> None:
    assert act("listing_announced", change="remove").change == "remove"  # type: ignore[union-attr]
    with pytest.raises(ValidationError, match="change"):
        act("listing_announced", change="suspend")


def test_an_announcement_is_recorded_on_its_measure() -> None:
    subject = Measure.register("tgl-huawei")
    subject.record(act("measure_announced", on="2019-05-15"))

    assert isinstance(subject.pending_events[-1], Measure.Announced)


def test_a_party_cannot_be_its_own_affiliate() -> None:
    with pytest.raises(ValidationError, match="cannot be an affiliate of itself"):
        act("entity_listed", party={"key": "huawei", "name": "Huawei", "affiliate_of": "huawei"})


def meeting(*actions: object) -> MeetingState:
    state = MeetingState()
    for action in actions:
        state = meeting_step(state, action, strict=True)  # type: ignore[arg-type]
    return state


def test_a_meeting_whose_date_passed_unheld_is_not_held() -> None:
    state = meeting(act("meeting_scheduled", on="2020-02-05", date="2020-02-28"))

    assert meeting_status(state, date(2020, 2, 28)) == "scheduled"
    assert meeting_status(state, date(2020, 2, 29)) == "not_held"


def test_a_meeting_postponed_before_its_date_stays_postponed() -> None:
    state = meeting(act("meeting_scheduled", on="2020-02-05", date="2020-02-28"),
                    act("meeting_postponed", on="2020-02-20"))

    assert meeting_status(state, date(2020, 12, 31)) == "postponed"


def test_a_meeting_postponed_on_or_after_its_date_is_not_held_once_the_date_passed() -> None:
    state = meeting(act("meeting_scheduled", on="2020-02-05", date="2020-02-28"),
                    act("meeting_rescheduled", on="2020-02-28", date="2020-03-11"),
                    act("meeting_postponed", on="2020-03-11"))

    assert meeting_status(state, date(2020, 3, 11)) == "postponed"
    assert meeting_status(state, date(2020, 12, 31)) == "not_held"
    assert state.set_for == date(2020, 3, 11)


def test_a_held_meeting_stays_held() -> None:
    state = meeting(act("meeting_scheduled", on="2020-02-05", date="2020-02-20"),
                    act("meeting_held", on="2020-02-20"))

    assert meeting_status(state, date(2020, 12, 31)) == "held"
