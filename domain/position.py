"""Position: an actor's stance on a measure or a proposition; the latest visible statement is the current one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .actions import Action, PositionStated
from .events import natural_id
from .subject import Subject

__all__ = ["Position", "PositionState", "position_id", "position_step"]


def position_id(actor: str, subject: str) -> Any:
    """The deterministic id of an actor's position on a subject (a topic, or `measure:KEY`)."""
    return natural_id(f"/positions/{actor}/{subject}")


@dataclass(frozen=True)
class PositionState:
    """The statement in force: the latest in legal order."""

    current: PositionStated | None = None


def position_step(state: PositionState, action: Action, *, strict: bool) -> PositionState:
    """The position after a statement: the statement itself."""
    if not isinstance(action, PositionStated):
        raise TypeError(f"not a position action: {action.kind}")
    return PositionState(current=action)


class Position(Subject):
    """One actor's stance on one subject."""

    class Stated(Subject.Recorded):
        """The actor stated (or was reported to hold) a stance."""

        action: PositionStated

    EVENTS = {"position_stated": "Stated"}  # noqa: RUF012

    @classmethod
    def register(cls, actor: str, subject: str) -> Position:
        """A new position stream for (actor, subject)."""
        return cls._create(cls.Registered, id=position_id(actor, subject), key=f"{actor}/{subject}")

    def initial_state(self) -> PositionState:
        return PositionState()

    def step(self, state: PositionState, action: Action, *, strict: bool) -> PositionState:
        return position_step(state, action, strict=strict)
