"""Meeting: scheduled, rescheduled (a new date), postponed (no new date), held (once), cancelled.

Not held is read, not recorded: a meeting whose date has passed with no record of it being held (see
`meeting_status`); a meeting put off before its date, with no new one, stays postponed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from .actions import (
    Action,
    MeetingCancelled,
    MeetingHeld,
    MeetingPostponed,
    MeetingRescheduled,
    MeetingScheduled,
)
from .errors import MeetingClosedError, MeetingNotScheduledError
from .events import natural_id
from .subject import Subject

__all__ = ["Meeting", "MeetingState", "meeting_id", "meeting_status", "meeting_step"]


def meeting_id(key: str) -> Any:
    """The deterministic id of a meeting."""
    return natural_id(f"/meetings/{key}")


_day = date  # the field `date` shadows the type inside the class


@dataclass(frozen=True)
class MeetingState:
    """A meeting as its actions up to some date leave it."""

    status: str | None = None  # scheduled | rescheduled | postponed | held | cancelled
    date: date | None = None
    title: str | None = None
    outcome: str | None = None
    set_for: _day | None = None  # a postponed meeting: the date it had been set for
    postponed_on: _day | None = None
    actions: tuple[Action, ...] = ()


def meeting_status(state: MeetingState, on: date) -> str | None:
    """The meeting's status on `on`: as recorded, or `not_held` once the date it was set for has passed with no
    record of it being held (scheduled or rescheduled for a day before `on`, or postponed only on or after the day
    it was set for)."""
    if state.status in {"scheduled", "rescheduled"} and state.date is not None and state.date < on:
        return "not_held"
    if (state.status == "postponed" and state.set_for is not None and state.postponed_on is not None
            and state.postponed_on >= state.set_for and state.set_for < on):
        return "not_held"
    return state.status


def meeting_step(state: MeetingState, action: Action, *, strict: bool) -> MeetingState:
    """The meeting after `action`; strict refuses holding or moving a meeting held or cancelled."""
    problem = _refusal(state, action)
    if problem is not None:
        if strict:
            raise problem
        return state
    state = replace(state, title=action.meeting.title or state.title, actions=(*state.actions, action))  # type: ignore[union-attr]
    if isinstance(action, MeetingScheduled):
        return replace(state, status="scheduled", date=action.date, set_for=None, postponed_on=None)
    if isinstance(action, MeetingRescheduled):
        return replace(state, status="rescheduled", date=action.date, set_for=None, postponed_on=None)
    if isinstance(action, MeetingPostponed):
        return replace(state, status="postponed", date=None, set_for=state.date, postponed_on=action.effective_on)
    if isinstance(action, MeetingHeld):
        return replace(state, status="held", date=action.held_on, outcome=action.outcome)
    if isinstance(action, MeetingCancelled):
        return replace(state, status="cancelled")
    raise TypeError(f"not a meeting action: {action.kind}")


def _refusal(state: MeetingState, action: Action) -> Exception | None:
    key = action.meeting.key  # type: ignore[union-attr]
    if state.status in {"held", "cancelled"}:
        again = "twice" if state.status == "held" and isinstance(action, MeetingHeld) else "after that"
        return MeetingClosedError(
            f"meeting {key!r} was {state.status} on or before {action.effective_on}: "
            f"it cannot be {_verb(action)} {again}",
            "kind",
        )
    if isinstance(action, MeetingRescheduled | MeetingPostponed) and state.status is None:
        return MeetingNotScheduledError(
            f"meeting {key!r} is not scheduled on {action.effective_on}, so it cannot be {_verb(action)}", "kind"
        )
    return None


def _verb(action: Action) -> str:
    return action.kind.removeprefix("meeting_")


class Meeting(Subject):
    """An interagency or other meeting; its id derives from its key."""

    class Scheduled(Subject.Recorded):
        """The meeting was set for a date."""

        action: MeetingScheduled

    class Rescheduled(Subject.Recorded):
        """The meeting moved to a new date."""

        action: MeetingRescheduled

    class Postponed(Subject.Recorded):
        """The meeting was put off with no new date."""

        action: MeetingPostponed

    class Held(Subject.Recorded):
        """The meeting took place."""

        action: MeetingHeld

    class Cancelled(Subject.Recorded):
        """The meeting was called off."""

        action: MeetingCancelled

    EVENTS = {  # noqa: RUF012
        "meeting_scheduled": "Scheduled",
        "meeting_rescheduled": "Rescheduled",
        "meeting_postponed": "Postponed",
        "meeting_held": "Held",
        "meeting_cancelled": "Cancelled",
    }

    @classmethod
    def register(cls, key: str) -> Meeting:
        """A new meeting stream."""
        return cls._create(cls.Registered, id=meeting_id(key), key=key)

    def initial_state(self) -> MeetingState:
        return MeetingState()

    def step(self, state: MeetingState, action: Action, *, strict: bool) -> MeetingState:
        return meeting_step(state, action, strict=strict)
