"""Measure: a rule, general licence or programme — proposed, commented on, adopted, amended, withdrawn, expired.

On a date its status is the strongest that applies: withdrawn > expired > in force > pending > proposed. A licence
is valid through its `expires_on`; an extension (a new `expires_on`) after a lapse leaves an expired gap.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, cast

from .actions import (
    Action,
    MeasureAdopted,
    MeasureAmended,
    MeasureExpired,
    MeasureProposed,
    MeasureWithdrawn,
)
from .actions import CommentPeriodOpened as CommentPeriodOpenedAction
from .errors import MeasureWithdrawnError
from .events import natural_id
from .subject import Subject

__all__ = ["STATUSES", "Measure", "MeasureState", "measure_id", "measure_status", "measure_step"]

STATUSES = ("proposed", "pending", "in_force", "expired", "withdrawn")


def measure_id(key: str) -> Any:
    """The deterministic id of a measure."""
    return natural_id(f"/measures/{key}")


@dataclass(frozen=True)
class MeasureState:
    """What a measure's actions up to some date established."""

    title: str | None = None
    proposed_on: date | None = None
    adopted_on: date | None = None
    expires_on: date | None = None
    expired_on: date | None = None  # an explicit expiry, until an extension revives the measure
    withdrawn_on: date | None = None
    comment_periods: tuple[tuple[date, date], ...] = ()  # (opened on, closes on)
    parameters: dict[str, Any] = field(default_factory=dict)
    actions: tuple[Action, ...] = ()


def measure_step(state: MeasureState, action: Action, *, strict: bool) -> MeasureState:
    """The measure after `action`. Strict refuses changing a measure withdrawn on or before that date."""
    if state.withdrawn_on is not None and not isinstance(action, MeasureWithdrawn | MeasureExpired):
        if strict:
            raise MeasureWithdrawnError(
                f"measure {action.measure.key!r} was withdrawn on {state.withdrawn_on}; "  # type: ignore[union-attr]
                f"it cannot take a {action.kind} effective {action.effective_on}",
                "kind",
            )
        return state
    title = action.measure.title or state.title  # type: ignore[union-attr]
    apply = _STEPS.get(type(action))
    if apply is None:
        raise TypeError(f"not a measure action: {action.kind}")
    return cast(MeasureState, apply(replace(state, title=title, actions=(*state.actions, action)), action))


def _proposed(state: MeasureState, action: MeasureProposed) -> MeasureState:
    periods = state.comment_periods
    if action.comments_close_on:
        periods = (*periods, (action.effective_on, action.comments_close_on))
    return replace(
        state, proposed_on=state.proposed_on or action.effective_on, comment_periods=periods,
        parameters={**state.parameters, **(action.parameters or {})},
        expires_on=action.expires_on or state.expires_on,
    )


def _comment_period(state: MeasureState, action: CommentPeriodOpenedAction) -> MeasureState:
    return replace(state, comment_periods=(*state.comment_periods, (action.effective_on, action.comments_close_on)))


def _adopted(state: MeasureState, action: MeasureAdopted) -> MeasureState:
    return replace(
        state, adopted_on=state.adopted_on or action.effective_on, expires_on=action.expires_on,
        expired_on=None, parameters={**state.parameters, **(action.parameters or {})},
    )


def _amended(state: MeasureState, action: MeasureAmended) -> MeasureState:
    extended = action.expires_on is not None  # an extension also revives a measure that had expired
    return replace(
        state, title=action.title or state.title,
        expires_on=action.expires_on if extended else state.expires_on,
        expired_on=None if extended else state.expired_on,
        parameters={**state.parameters, **(action.parameters or {})},
    )


def _expired(state: MeasureState, action: MeasureExpired) -> MeasureState:
    return replace(state, expired_on=state.expired_on or action.effective_on)


def _withdrawn(state: MeasureState, action: MeasureWithdrawn) -> MeasureState:
    return replace(state, withdrawn_on=state.withdrawn_on or action.effective_on)


_STEPS: dict[type, Any] = {
    MeasureProposed: _proposed,
    CommentPeriodOpenedAction: _comment_period,
    MeasureAdopted: _adopted,
    MeasureAmended: _amended,
    MeasureExpired: _expired,
    MeasureWithdrawn: _withdrawn,
}


def measure_status(state: MeasureState, on: date, *, adoption_pending: bool = False) -> str | None:
    """The measure's status on `on`, from its state built of the actions effective by then.

    `adoption_pending` says a visible adoption was published by `on` but takes effect later.
    """
    if state.withdrawn_on is not None:
        return "withdrawn"
    if state.adopted_on is not None:
        lapsed = state.expires_on is not None and on > state.expires_on
        return "expired" if lapsed or state.expired_on is not None else "in_force"
    if state.expired_on is not None:
        return "expired"
    if adoption_pending:
        return "pending"
    if state.proposed_on is not None or state.comment_periods:
        return "proposed"
    return None


class Measure(Subject):
    """A rule, general licence or programme; its id derives from its key."""

    class Proposed(Subject.Recorded):
        """The measure was proposed."""

        action: MeasureProposed

    class CommentPeriodOpened(Subject.Recorded):
        """A comment period opened (again, when reopened)."""

        action: CommentPeriodOpenedAction

    class Adopted(Subject.Recorded):
        """The measure was adopted."""

        action: MeasureAdopted

    class Amended(Subject.Recorded):
        """The measure was amended (an extension, new parameters, a new title)."""

        action: MeasureAmended

    class Withdrawn(Subject.Recorded):
        """The measure was withdrawn or removed."""

        action: MeasureWithdrawn

    class Expired(Subject.Recorded):
        """The measure stopped being in force."""

        action: MeasureExpired

    EVENTS = {  # noqa: RUF012
        "measure_proposed": "Proposed",
        "comment_period_opened": "CommentPeriodOpened",
        "measure_adopted": "Adopted",
        "measure_amended": "Amended",
        "measure_withdrawn": "Withdrawn",
        "measure_expired": "Expired",
    }

    @classmethod
    def register(cls, key: str) -> Measure:
        """A new measure stream."""
        return cls._create(cls.Registered, id=measure_id(key), key=key)

    def initial_state(self) -> MeasureState:
        return MeasureState()

    def step(self, state: MeasureState, action: Action, *, strict: bool) -> MeasureState:
        return measure_step(state, action, strict=strict)
