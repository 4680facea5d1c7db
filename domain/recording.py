"""A record run: validate actions one by one against the ledger and the run so far, collecting the changes.

The run never writes: it loads aggregates through the `load` function it is given and returns the aggregates it
changed, for the application to save in one transaction. An action already recorded (same id and content, or the
same content without an id) is skipped; the same id with other content is refused.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast
from uuid import UUID

from .actions import (
    Action,
    Correction,
    EntityDelisted,
    EntityListed,
    EntryAmended,
    PositionStated,
    Retraction,
)
from .errors import DuplicateActionError, NotListedError, UnknownActionError, UnknownSubjectError
from .events import SubjectAggregate
from .index import ActionIndex, index_id, index_key
from .listing import Listing, listing_id
from .measure import Measure, measure_id
from .meeting import Meeting, meeting_id
from .party import Party, party_id
from .position import Position, position_id
from .subject import Subject

__all__ = ["RecordRun"]

Loader = Callable[[UUID], SubjectAggregate | None]
T = TypeVar("T", bound=SubjectAggregate)
S = TypeVar("S", bound=Subject)


class RecordRun:
    """The changes one `record` run makes, validated as they are added."""

    def __init__(self, load: Loader) -> None:
        self._load = load
        self._touched: dict[UUID, SubjectAggregate | None] = {}
        self.recorded = 0
        self.skipped = 0

    def add(self, action: Action) -> bool:
        """Validate and take `action`; False when it was already recorded (and so is skipped)."""
        known = self._get(index_id(index_key(action)))
        if isinstance(known, ActionIndex):
            if known.content_hash != action.content_hash():
                raise DuplicateActionError(
                    f"an action with id {action.id!r} was recorded before with different content", "id"
                )
            self.skipped += 1
            return False
        subject = self._subject_for(action)
        if isinstance(action, Correction):
            subject.correct(action)
        elif isinstance(action, Retraction):
            subject.retract(action)
        else:
            subject.record(action)
        self._keep(ActionIndex.register(action, subject.id))
        self.recorded += 1
        return True

    def aggregates(self) -> list[SubjectAggregate]:
        """The aggregates with pending events, to be saved together."""
        return [a for a in self._touched.values() if a is not None and a.pending_events]

    # -- finding the subject ---------------------------------------------------------------------------------

    def _subject_for(self, action: Action) -> Subject:
        if isinstance(action, Correction | Retraction):
            return self._subject_of_target(action)
        if isinstance(action, EntityListed | EntryAmended | EntityDelisted):
            self._party(action)
            return self._get_or(listing_id(action.list, action.party.key),
                                lambda: Listing.register(action.list, action.party.key))
        if isinstance(action, PositionStated):
            if action.measure is not None and self._get(measure_id(action.measure.key)) is None:
                raise UnknownSubjectError(f"no measure {action.measure.key!r} has been recorded", "measure.key")
            return self._get_or(position_id(action.actor, action.subject),
                                lambda: Position.register(action.actor, action.subject))
        if hasattr(action, "measure"):
            ref = action.measure
            return self._get_or(measure_id(ref.key), lambda: Measure.register(_titled(ref, "measure")))
        ref = action.meeting
        return self._get_or(meeting_id(ref.key), lambda: Meeting.register(_titled(ref, "meeting")))

    def _subject_of_target(self, action: Correction | Retraction) -> Subject:
        if isinstance(action, Correction):
            field, target = "corrects", action.corrects
        else:
            field, target = "retracts", action.retracts
        index = self._get(index_id(target))
        if not isinstance(index, ActionIndex):
            raise UnknownActionError(f"no action with id {target!r} has been recorded", field)
        subject = self._get(index.subject_id)
        assert isinstance(subject, Subject), subject
        return subject

    def _party(self, action: EntityListed | EntryAmended | EntityDelisted) -> None:
        party = self._get(party_id(action.party.key))
        if isinstance(party, Party):
            party.describe(action.party)
        elif isinstance(action, EntityListed):
            self._keep(Party.register(action.party))
        else:
            verb = "delist" if isinstance(action, EntityDelisted) else "amend the entry of"
            raise NotListedError(f"cannot {verb} {action.party.key!r}: that party was never listed", "party.key")

    # -- loading and keeping ---------------------------------------------------------------------------------

    def _get(self, aggregate_id: UUID) -> SubjectAggregate | None:
        if aggregate_id not in self._touched:
            self._touched[aggregate_id] = self._load(aggregate_id)
        return self._touched[aggregate_id]

    def _get_or(self, aggregate_id: UUID, create: Callable[[], S]) -> S:
        found = self._get(aggregate_id)
        return cast(S, found) if found is not None else self._keep(create())

    def _keep(self, aggregate: T) -> T:
        self._touched[aggregate.id] = aggregate
        return aggregate


def _titled(ref: Any, kind: str) -> str:
    """The key of a subject seen for the first time, which must come with its title."""
    if not ref.title:
        raise UnknownSubjectError(f"{kind} {ref.key!r} appears for the first time: give its title", f"{kind}.title")
    return str(ref.key)
