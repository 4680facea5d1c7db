"""Measure: a rule, general licence, programme or guidance — announced, drafted, proposed, commented on, adopted,
amended, expired, revoked, withdrawn.

On a date its status is the strongest that applies: revoked > withdrawn > expired > in force > pending > proposed >
draft (announced, the weakest, is read by the projections from announcements, never folded here). A licence is valid
through its `expires_on`; an extension (a new `expires_on`) after a lapse leaves an expired gap. `measure_withdrawn`
on an adopted measure (written before `measure_revoked` existed) is read as a revocation.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, cast

from .actions import (
    Action,
    MeasureAdopted,
    MeasureAmended,
    MeasureAnnounced,
    MeasureDrafted,
    MeasureExpired,
    MeasureProposed,
    MeasureRevoked,
    MeasureWithdrawn,
)
from .actions import CommentPeriodOpened as CommentPeriodOpenedAction
from .errors import MeasureNotAdoptedError, MeasureWithdrawnError
from .events import natural_id
from .history import resolve
from .subject import Subject

__all__ = ["STATUSES", "Measure", "MeasureState", "measure_id", "measure_status", "measure_step",
           "withdraws_adopted"]

STATUSES = ("announced", "draft", "proposed", "pending", "in_force", "expired", "revoked", "withdrawn")


def measure_id(key: str) -> Any:
    """The deterministic id of a measure."""
    return natural_id(f"/measures/{key}")


@dataclass(frozen=True)
class MeasureState:
    """What a measure's actions up to some date established."""

    title: str | None = None
    drafted_on: date | None = None
    proposed_on: date | None = None
    adopted_on: date | None = None
    expires_on: date | None = None
    expired_on: date | None = None  # an explicit expiry, until an extension revives the measure
    withdrawn_on: date | None = None  # a draft or proposal abandoned before adoption
    revoked_on: date | None = None  # an adopted measure ended by a later rule
    comment_periods: tuple[tuple[date, date], ...] = ()  # (opened on, closes on)
    parameters: dict[str, Any] = field(default_factory=dict)
    applies_to: tuple[str, ...] = ()
    include_affiliates: bool = False
    actions: tuple[Action, ...] = ()

    @property
    def ended_on(self) -> date | None:
        """The day the measure was revoked or withdrawn, if it was."""
        return self.revoked_on or self.withdrawn_on


def withdraws_adopted(state: MeasureState, action: Action) -> bool:
    """True when `action` is a `measure_withdrawn` of a measure already adopted: read as a revocation."""
    return isinstance(action, MeasureWithdrawn) and state.adopted_on is not None


def measure_step(state: MeasureState, action: Action, *, strict: bool) -> MeasureState:
    """The measure after `action`. Strict refuses changing a measure withdrawn or revoked on or before that date,
    and revoking one never adopted. An announcement changes nothing in force (the projections read it)."""
    if isinstance(action, MeasureAnnounced):
        return state
    ended = state.ended_on
    if ended is not None and not isinstance(action, MeasureWithdrawn | MeasureExpired | MeasureRevoked):
        if strict:
            verb = "revoked" if state.revoked_on is not None else "withdrawn"
            raise MeasureWithdrawnError(
                f"measure {action.measure.key!r} was {verb} on {ended}; "  # type: ignore[union-attr]
                f"it cannot take a {action.kind} effective {action.effective_on}",
                "kind",
            )
        return state
    if isinstance(action, MeasureRevoked) and state.adopted_on is None:
        if strict:
            raise MeasureNotAdoptedError(
                f"measure {action.measure.key!r} was never adopted by {action.effective_on}, so it cannot be "
                "revoked; a draft or proposal that is abandoned is a measure_withdrawn",
                "kind",
            )
        return state
    title = action.measure.title or state.title  # type: ignore[union-attr]
    apply = _STEPS.get(type(action))
    if apply is None:
        raise TypeError(f"not a measure action: {action.kind}")
    return cast(MeasureState, apply(replace(state, title=title, actions=(*state.actions, action)), action))


def _applies(state: MeasureState, action: Any) -> MeasureState:
    """`applies_to` and `include_affiliates`, each replaced when the action gives it."""
    return replace(
        state,
        applies_to=action.applies_to if action.applies_to is not None else state.applies_to,
        include_affiliates=action.include_affiliates if action.include_affiliates is not None
        else state.include_affiliates,
    )


def _drafted(state: MeasureState, action: MeasureDrafted) -> MeasureState:
    return _applies(replace(
        state, drafted_on=state.drafted_on or action.effective_on,
        parameters={**state.parameters, **(action.parameters or {})},
        expires_on=action.expires_on or state.expires_on,
    ), action)


def _proposed(state: MeasureState, action: MeasureProposed) -> MeasureState:
    periods = state.comment_periods
    if action.comments_close_on:
        periods = (*periods, (action.effective_on, action.comments_close_on))
    return _applies(replace(
        state, proposed_on=state.proposed_on or action.effective_on, comment_periods=periods,
        parameters={**state.parameters, **(action.parameters or {})},
        expires_on=action.expires_on or state.expires_on,
    ), action)


def _comment_period(state: MeasureState, action: CommentPeriodOpenedAction) -> MeasureState:
    return replace(state, comment_periods=(*state.comment_periods, (action.effective_on, action.comments_close_on)))


def _adopted(state: MeasureState, action: MeasureAdopted) -> MeasureState:
    return _applies(replace(
        state, adopted_on=state.adopted_on or action.effective_on, expires_on=action.expires_on,
        expired_on=None, parameters={**state.parameters, **(action.parameters or {})},
    ), action)


def _amended(state: MeasureState, action: MeasureAmended) -> MeasureState:
    extended = action.expires_on is not None  # an extension also revives a measure that had expired
    return _applies(replace(
        state, title=action.title or state.title,
        expires_on=action.expires_on if extended else state.expires_on,
        expired_on=None if extended else state.expired_on,
        parameters={**state.parameters, **(action.parameters or {})},
    ), action)


def _expired(state: MeasureState, action: MeasureExpired) -> MeasureState:
    return replace(state, expired_on=state.expired_on or action.effective_on)


def _withdrawn(state: MeasureState, action: MeasureWithdrawn) -> MeasureState:
    if state.adopted_on is not None:  # an adopted measure ended by a later rule: a revocation
        return replace(state, revoked_on=state.revoked_on or action.effective_on)
    return replace(state, withdrawn_on=state.withdrawn_on or action.effective_on)


def _revoked(state: MeasureState, action: MeasureRevoked) -> MeasureState:
    return replace(state, revoked_on=state.revoked_on or action.effective_on)


_STEPS: dict[type, Any] = {
    MeasureDrafted: _drafted,
    MeasureProposed: _proposed,
    CommentPeriodOpenedAction: _comment_period,
    MeasureAdopted: _adopted,
    MeasureAmended: _amended,
    MeasureExpired: _expired,
    MeasureWithdrawn: _withdrawn,
    MeasureRevoked: _revoked,
}


def measure_status(state: MeasureState, on: date, *, adoption_pending: bool = False) -> str | None:
    """The measure's status on `on`, from its state built of the actions effective by then.

    `adoption_pending` says a visible adoption was published by `on` but takes effect later.
    """
    lapsed = state.expired_on is not None or (state.expires_on is not None and on > state.expires_on)
    found = (
        (state.revoked_on is not None, "revoked"),
        (state.withdrawn_on is not None, "withdrawn"),
        (state.adopted_on is not None and lapsed, "expired"),
        (state.adopted_on is not None, "in_force"),
        (state.expired_on is not None, "expired"),
        (adoption_pending, "pending"),
        (state.proposed_on is not None or bool(state.comment_periods), "proposed"),
        (state.drafted_on is not None, "draft"),
    )
    return next((status for holds, status in found if holds), None)


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
        """The draft or proposal was withdrawn (an adopted measure: read as revoked)."""

        action: MeasureWithdrawn

    class Expired(Subject.Recorded):
        """The measure stopped being in force."""

        action: MeasureExpired

    class Announced(Subject.Recorded):
        """An agency or the press said the measure would be made or changed."""

        action: MeasureAnnounced

    class Drafted(Subject.Recorded):
        """A draft was sent for review without being published as a proposal."""

        action: MeasureDrafted

    class Revoked(Subject.Recorded):
        """The adopted measure was ended by a later rule."""

        action: MeasureRevoked

    EVENTS = {  # noqa: RUF012
        "measure_proposed": "Proposed",
        "comment_period_opened": "CommentPeriodOpened",
        "measure_adopted": "Adopted",
        "measure_amended": "Amended",
        "measure_withdrawn": "Withdrawn",
        "measure_expired": "Expired",
        "measure_announced": "Announced",
        "measure_drafted": "Drafted",
        "measure_revoked": "Revoked",
    }

    @classmethod
    def register(cls, key: str) -> Measure:
        """A new measure stream."""
        return cls._create(cls.Registered, id=measure_id(key), key=key)

    def initial_state(self) -> MeasureState:
        return MeasureState()

    def revocations_by_withdrawal(self) -> list[MeasureWithdrawn]:
        """The `measure_withdrawn` actions of this measure (as corrected) that end it after its adoption: read as
        revocations (`withdraws_adopted`)."""
        found, state = [], MeasureState()
        for _, action in resolve(self.entries):
            if withdraws_adopted(state, action):
                found.append(cast(MeasureWithdrawn, action))
            state = measure_step(state, action, strict=False)
        return found

    def step(self, state: MeasureState, action: Action, *, strict: bool) -> MeasureState:
        return measure_step(state, action, strict=strict)
