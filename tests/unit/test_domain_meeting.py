"""Meeting: scheduled, rescheduled, postponed, held once, cancelled; and the guards on its history."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from regledger.domain import HistoryError, Meeting, MeetingState, meeting_step
from regledger.domain.actions import Action
from regledger.domain.errors import MeetingClosedError, MeetingNotScheduledError
from regledger.domain.meeting import meeting_id

from .domain_kit import act, fold


def meeting(*actions: Action) -> Meeting:
    subject = Meeting.register("huawei-interagency")
    for action in actions:
        subject.record(action)
    return subject


def scheduled(on: str = "2020-02-10", day: str = "2020-02-28") -> Action:
    return act("meeting_scheduled", on=on, date=day)


def rescheduled(on: str, day: str) -> Action:
    return act("meeting_rescheduled", on=on, date=day)


def held(on: str, **fields: Any) -> Action:
    return act("meeting_held", on=on, **fields)


def state_of(subject: Meeting) -> MeetingState:
    state = fold(subject)
    assert isinstance(state, MeetingState)
    return state


def test_a_meetings_id_derives_from_its_key() -> None:
    assert Meeting.register("huawei-interagency").id == meeting_id("huawei-interagency") != meeting_id("other")


def test_a_scheduled_meeting_has_its_date_and_title() -> None:
    state = state_of(meeting(scheduled()))

    assert (state.status, state.date, state.title) == ("scheduled", date(2020, 2, 28), "Interagency meeting on Huawei")


def test_a_rescheduled_meeting_moves_to_its_new_date() -> None:
    state = state_of(meeting(scheduled(), rescheduled("2020-02-20", "2020-03-06")))

    assert (state.status, state.date) == ("rescheduled", date(2020, 3, 6))


def test_a_postponed_meeting_has_no_date_until_rescheduled() -> None:
    postponed = meeting(scheduled(), act("meeting_postponed", on="2020-02-25"))
    moved = meeting(scheduled(), act("meeting_postponed", on="2020-02-25"), rescheduled("2020-03-01", "2020-03-13"))

    assert (state_of(postponed).status, state_of(postponed).date) == ("postponed", None)
    assert (state_of(moved).status, state_of(moved).date) == ("rescheduled", date(2020, 3, 13))


def test_a_held_meeting_records_its_date_and_outcome() -> None:
    state = state_of(meeting(scheduled(), held("2020-03-02", date="2020-02-28", outcome="no decision")))

    assert (state.status, state.date, state.outcome) == ("held", date(2020, 2, 28), "no decision")


def test_a_meeting_held_without_being_scheduled_is_accepted() -> None:
    assert state_of(meeting(held("2020-02-28"))).status == "held"


def test_holding_a_meeting_twice_is_refused() -> None:
    subject = meeting(scheduled(), held("2020-02-28"))

    with pytest.raises(MeetingClosedError, match=r"'huawei-interagency' was held .* cannot be held twice") as caught:
        subject.record(held("2020-03-01"))

    assert caught.value.field == "kind"
    assert len(subject.entries) == 2


def test_holding_a_cancelled_meeting_is_refused() -> None:
    subject = meeting(scheduled(), act("meeting_cancelled", on="2020-02-26"))

    with pytest.raises(MeetingClosedError, match="was cancelled on or before 2020-02-28"):
        subject.record(held("2020-02-28"))


@pytest.mark.parametrize(
    "change",
    [rescheduled("2020-03-01", "2020-03-06"), act("meeting_postponed", on="2020-03-01"), scheduled("2020-03-01")],
    ids=["rescheduling", "postponing", "scheduling"],
)
def test_moving_a_meeting_after_it_was_held_is_refused(change: Action) -> None:
    subject = meeting(scheduled(), held("2020-02-28"))

    with pytest.raises(MeetingClosedError, match="after that"):
        subject.record(change)


@pytest.mark.parametrize(
    "change",
    [rescheduled("2020-02-20", "2020-03-06"), act("meeting_postponed", on="2020-02-20")],
    ids=["rescheduling", "postponing"],
)
def test_moving_an_unscheduled_meeting_is_refused(change: Action) -> None:
    subject = meeting()

    with pytest.raises(MeetingNotScheduledError, match="is not scheduled on 2020-02-20") as caught:
        subject.record(change)

    assert caught.value.field == "kind"


def test_rescheduling_before_the_scheduling_took_effect_is_refused() -> None:
    subject = meeting(scheduled(on="2020-02-10"))

    with pytest.raises(MeetingNotScheduledError):
        subject.record(rescheduled("2020-02-05", "2020-03-06"))


def test_a_rescheduling_recorded_after_the_meeting_was_held_but_effective_before_is_accepted() -> None:
    subject = meeting(scheduled(), held("2020-03-06"))

    subject.record(rescheduled("2020-02-20", "2020-03-06"))

    assert isinstance(subject.pending_events[-1], Meeting.Rescheduled)
    assert state_of(subject).status == "held"


def test_a_holding_effective_before_an_earlier_recorded_holding_is_a_history_error() -> None:
    subject = meeting(scheduled(), held("2020-03-06", id="held-1"))

    with pytest.raises(HistoryError, match=r"action 'held-1' impossible: .* held twice"):
        subject.record(held("2020-02-28"))


def test_a_lenient_step_ignores_holding_a_meeting_twice() -> None:
    state = meeting_step(MeetingState(), held("2020-02-28"), strict=True)

    assert meeting_step(state, held("2020-03-01"), strict=False) == state
