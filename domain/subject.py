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
from .history import Entry, apply_fields, legal_order, resolve

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
        self._tail: tuple[tuple[Any, ...], Any] | None = None  # (legal key, state) after the last action; derived

    # -- commands ---------------------------------------------------------------------------------------------

    def record(self, action: Action) -> None:
        """Record `action` (one of this subject's kinds) after checking the history it joins."""
        event_class = getattr(self, self.EVENTS[action.kind])
        tail = self.check_history(action)
        self.trigger_event(event_class, action=action)
        self._tail = tail

    def correct(self, correction: Correction) -> None:
        """Record a correction of one of this subject's actions."""
        target = self.find(correction.corrects, "corrects")
        apply_fields(self.resolved_action(target), correction.fields, as_input=True)
        tail = self.check_history(correction)
        self.trigger_event(self.Corrected, action=correction)
        self._tail = tail

    def retract(self, retraction: Retraction) -> None:
        """Record the retraction of one of this subject's actions."""
        self.find(retraction.retracts, "retracts")
        tail = self.check_history(retraction)
        self.trigger_event(self.Retracted, action=retraction)
        self._tail = tail

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

    def check_history(self, action: Action) -> tuple[tuple[Any, ...], Any] | None:
        """Refuse `action` when the history with it does not replay; name the action it would break.

        Returns the (legal key, state) after the last action, so that an action landing after every other in
        legal order (the usual case) is checked with one step instead of a replay.
        """
        candidate = Entry(self.version + 1, self.modified_on, action)
        tail = self._tail if self._tail is not None or not self.entries else None
        if not candidate.is_amendment and (not self.entries or tail is not None):
            last_key, state = tail if tail is not None else ((), self.initial_state())
            key = legal_order((candidate, action))
            if key > last_key:
                return key, self.step(state, action, strict=True)
        return self._replay([*self.entries, candidate], candidate)

    def _replay(self, entries: list[Entry], candidate: Entry) -> tuple[tuple[Any, ...], Any] | None:
        stepping, key = candidate, None
        try:
            state = self.initial_state()
            for stepping, resolved_action in resolve(entries):
                state = self.step(state, resolved_action, strict=True)
                key = legal_order((stepping, resolved_action))
        except CorrectionError:
            raise
        except DomainError as error:
            if stepping is candidate:
                raise
            raise HistoryError(
                f"this would leave {describe(stepping.action)} impossible: {error.message}", error.field
            ) from None
        return (key, state) if key is not None else None

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
