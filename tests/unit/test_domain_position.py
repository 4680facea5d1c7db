"""Position: an actor's stance on a topic or measure; the latest statement in legal order is the current one."""

from __future__ import annotations

from typing import Any

from regledger.domain import Position, PositionState, position_step
from regledger.domain.actions import Action, PositionStated
from regledger.domain.position import position_id

from .domain_kit import act, fold


def stated(stance: str, effective_on: str, published_on: str | None = None, **fields: Any) -> Action:
    return act("position_stated", stance=stance, effective_on=effective_on,
               published_on=published_on or effective_on, **fields)


def current(*actions: Action) -> str | None:
    """The current stance after recording `actions` in the order given."""
    subject = Position.register("us-dod", "restrict-chip-sales-to-huawei")
    for action in actions:
        subject.record(action)
    state = fold(subject)
    assert isinstance(state, PositionState)
    return state.current.stance if state.current else None


def test_a_positions_id_derives_from_the_actor_and_the_subject() -> None:
    on_topic = Position.register("us-dod", "exclude-huawei-from-5g")
    on_measure = Position.register("us-dod", "measure:fdpr-2020")

    assert on_topic.id == position_id("us-dod", "exclude-huawei-from-5g")
    assert on_topic.id != on_measure.id
    assert on_measure.key == "us-dod/measure:fdpr-2020"


def test_no_statement_means_no_position() -> None:
    assert current() is None


def test_the_latest_statement_by_effective_date_wins_whatever_the_recording_order() -> None:
    assert current(stated("opposes", "2020-02-10"), stated("supports", "2020-01-15")) == "opposes"
    assert current(stated("supports", "2020-01-15"), stated("opposes", "2020-02-10")) == "opposes"


def test_on_the_same_effective_date_the_later_published_statement_wins() -> None:
    later_published = stated("undecided", "2020-02-10", "2020-02-12")
    earlier_published = stated("opposes", "2020-02-10", "2020-02-11")

    assert current(later_published, earlier_published) == "undecided"


def test_on_the_same_dates_the_later_recorded_statement_wins() -> None:
    assert current(stated("opposes", "2020-02-10"), stated("neutral", "2020-02-10", note="second report")) == "neutral"


def test_a_retracted_statement_gives_way_to_the_one_before() -> None:
    subject = Position.register("us-dod", "restrict-chip-sales-to-huawei")
    subject.record(stated("opposes", "2020-01-15"))
    subject.record(stated("supports", "2020-02-10", id="report-1"))

    subject.retract(act("retraction", on="2020-02-20", retracts="report-1"))

    state = fold(subject)
    assert isinstance(state.current, PositionStated)
    assert state.current.stance == "opposes"
    assert isinstance(subject.pending_events[-1], Position.Retracted)


def test_a_position_step_takes_the_statement_as_the_current_one() -> None:
    statement = stated("supports", "2020-02-10", certainty="likely")

    state = position_step(PositionState(), statement, strict=True)

    assert state.current == statement
