"""The base of every aggregate whose history is a list of actions: listings, measures, meetings, positions.

A subject keeps its recorded entries. Each command checks that the subject's whole history, with the new action,
still replays in legal order without a refusal (so an action recorded out of order is checked where it lands),
then triggers its event. Corrections and retractions are events on the subject of the action they name.
"""

from __future__ import annotations

from typing import Any, cast

from .actions import Action, ActionBase, Correction, Retraction
from .errors import CorrectionError, DomainError, HistoryError, UnknownActionError
from .events import InitEvent, SubjectAggregate
from .history import Entry, apply_fields, resolve

__all__ = ["Subject"]


class Subject(SubjectAggregate):
    """An aggregate whose state is the fold of its actions; subclasses define `step` and their events."""

    class Registered(InitEvent):
        """The subject is first recorded (its key and name/title travel with its first action)."""

        key: str

    class Recorded(SubjectAggregate.Event):
        """Base of the events that record one action."""

        action: ActionBase

        def apply(self, aggregate: Any) -> None:
            aggregate.entries.append(Entry(self.originator_version, self.timestamp, cast(Action, self.action)))

    class Corrected(Recorded):
        """An earlier action's fields were corrected."""

        action: Correction

    class Retracted(Recorded):
        """An earlier action was retracted."""

        action: Retraction

    # kind -> name of the event class; looked up by name because the aggregate metaclass redefines event classes
    # per subclass. No annotation: the metaclass would turn an annotated class into a dataclass.
    EVENTS = {}  # type: dict[str, str]  # noqa: RUF012

    def __init__(self, key: str) -> None:
        self.key = key
        self.entries: list[Entry] = []

    # -- commands ---------------------------------------------------------------------------------------------

    def record(self, action: Action) -> None:
        """Record `action` (one of this subject's kinds) after checking the history it joins."""
        event_class = getattr(self, self.EVENTS[action.kind])
        self.check_history(action)
        self.trigger_event(event_class, action=action)

    def correct(self, correction: Correction) -> None:
        """Record a correction of one of this subject's actions."""
        target = self.find(correction.corrects, "corrects")
        apply_fields(self.resolved_action(target), correction.fields)
        self.check_history(correction)
        self.trigger_event(self.Corrected, action=correction)

    def retract(self, retraction: Retraction) -> None:
        """Record the retraction of one of this subject's actions."""
        self.find(retraction.retracts, "retracts")
        self.check_history(retraction)
        self.trigger_event(self.Retracted, action=retraction)

    # -- queries and guards -----------------------------------------------------------------------------------

    def find(self, action_id: str, field: str) -> Entry:
        """The entry recorded with `action_id`."""
        for entry in self.entries:
            if entry.action.id == action_id:
                return entry
        raise UnknownActionError(f"no action with id {action_id!r} has been recorded", field)

    def resolved_action(self, entry: Entry) -> Action:
        """The action of `entry` as every correction so far leaves it."""
        actions = {e.seq: a for e, a in resolve(self.entries)}
        return actions.get(entry.seq, entry.action)

    def check_history(self, action: Action) -> None:
        """Refuse `action` when the history with it does not replay; name the action it would break."""
        candidate = Entry(self.version + 1, self.modified_on, action)
        stepping = candidate
        try:
            state = self.initial_state()
            for stepping, resolved_action in resolve([*self.entries, candidate]):  # noqa: B007 - named on error
                state = self.step(state, resolved_action, strict=True)
        except CorrectionError:
            raise
        except DomainError as error:
            if stepping is candidate:
                raise
            raise HistoryError(
                f"this would leave {describe(stepping.action)} impossible: {error.message}", error.field
            ) from None

    def initial_state(self) -> Any:
        """The state before any action (subclasses)."""
        raise NotImplementedError

    def step(self, state: Any, action: Action, *, strict: bool) -> Any:
        """The state after `action`; with `strict`, refuse an action the state does not allow (subclasses)."""
        raise NotImplementedError


def describe(action: ActionBase) -> str:
    """A short name for an action in messages: its id, else its kind and dates."""
    if action.id:
        return f"action {action.id!r}"
    return f"the {action.model_dump()['kind']} effective {action.effective_on}"
