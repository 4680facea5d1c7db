"""A record run: validate actions one by one against the ledger and the run so far, collecting the changes.

The run never writes: it loads aggregates through the `load` function it is given and returns the aggregates it
changed, for the application to save in one transaction. An action already recorded (same id and content, or the
same content without an id) is skipped; the same id with other content is refused.

Ids derive from natural keys, so a caller can ask which streams a batch of actions will read (`wanted`), load them
all at once and hand them over (`prime`), instead of one `load` per stream.

A party made an affiliate of another (`party.affiliate_of`, on a listing action or by a correction of one) is
refused when that would close a cycle of affiliation (A an affiliate of B, an affiliate of ..., an affiliate of A),
counting every affiliation ever recorded (the `Party` aggregates keep them) and those earlier in the run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import lru_cache
from typing import Any, TypeVar, cast
from uuid import UUID

from .actions import (
    Action,
    Correction,
    EntityDelisted,
    EntityListed,
    EntryAmended,
    ListingAnnounced,
    PositionStated,
    Retraction,
)
from .errors import (
    ActionRefusedError,
    DuplicateActionError,
    NotListedError,
    UnknownActionError,
    UnknownSubjectError,
)
from .events import SubjectAggregate
from .history import apply_fields
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

# uuid5 is slow next to a dict look-up, and each id is asked for again when the action is added (and by later actions)
_cached = lru_cache(maxsize=1 << 16)
_index_id, _listing_id, _party_id = index_id, _cached(listing_id), _cached(party_id)  # index_id caches itself
_measure_id, _meeting_id, _position_id = _cached(measure_id), _cached(meeting_id), _cached(position_id)


class RecordRun:
    """The changes one `record` run makes, validated as they are added."""

    def __init__(self, load: Loader) -> None:
        self._load = load
        self._touched: dict[UUID, SubjectAggregate | None] = {}  # in the order first read: the order of saving
        self._primed: dict[UUID, SubjectAggregate | None] = {}  # loaded ahead, not yet read
        self.recorded = 0
        self.skipped = 0

    def add(self, action: Action) -> bool:
        """Validate and take `action`; False when it was already recorded (and so is skipped)."""
        known = self._get(_index_id(index_key(action)))
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
            self._corrected_affiliation(subject, action)
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

    def wanted(self, actions: Iterable[Action]) -> set[UUID]:
        """The ids of streams that adding `actions` reads and this run has not read yet, as far as they can be told
        now: first each action's index (and the index of the action a correction names), then, once those are
        primed, what an action not yet recorded touches (subject, party, measure, the corrected action's subject).
        """
        return {i for action in actions for i in self._lookups(action) if not self._has(i)}

    def prime(self, found: Mapping[UUID, SubjectAggregate | None]) -> None:
        """Take aggregates loaded ahead (None: nothing stored under that id), as if `load` had returned them."""
        for aggregate_id, aggregate in found.items():
            if not self._has(aggregate_id):
                self._primed[aggregate_id] = aggregate

    def _lookups(self, action: Action) -> Iterator[UUID]:
        own = _index_id(index_key(action))
        target = _target(action)
        named = None if target is None else _index_id(target)
        indexes = [i for i in (own, named) if i is not None and not self._has(i)]
        if indexes:
            yield from indexes
        elif self._peek(own) is None:  # not recorded before (else it is skipped, and reads nothing more)
            yield from self._reads(action)

    def _reads(self, action: Action) -> Iterator[UUID]:
        """The streams adding `action` reads besides indexes."""
        if isinstance(action, Correction | Retraction):
            index = self._peek(_index_id(_target(action)))
            if isinstance(index, ActionIndex):
                yield index.subject_id
        elif isinstance(action, EntityListed | EntryAmended | EntityDelisted | ListingAnnounced):
            yield _party_id(action.party.key)
            yield _listing_id(action.list, action.party.key)
            if action.party.affiliate_of is not None:
                yield _party_id(action.party.affiliate_of)
        elif isinstance(action, PositionStated):
            if action.measure is not None:
                yield _measure_id(action.measure.key)
            yield _position_id(action.actor, action.subject)
        elif hasattr(action, "measure"):
            yield _measure_id(action.measure.key)
        else:
            yield _meeting_id(action.meeting.key)

    # -- finding the subject ---------------------------------------------------------------------------------

    def _subject_for(self, action: Action) -> Subject:
        if isinstance(action, Correction | Retraction):
            return self._subject_of_target(action)
        if isinstance(action, EntityListed | EntryAmended | EntityDelisted | ListingAnnounced):
            self._party(action)
            return self._get_or(_listing_id(action.list, action.party.key),
                                lambda: Listing.register(action.list, action.party.key))
        if isinstance(action, PositionStated):
            if action.measure is not None and self._get(_measure_id(action.measure.key)) is None:
                raise UnknownSubjectError(f"no measure {action.measure.key!r} has been recorded", "measure.key")
            return self._get_or(_position_id(action.actor, action.subject),
                                lambda: Position.register(action.actor, action.subject))
        if hasattr(action, "measure"):
            ref = action.measure
            return self._get_or(_measure_id(ref.key), lambda: Measure.register(_titled(ref, "measure")))
        ref = action.meeting
        return self._get_or(_meeting_id(ref.key), lambda: Meeting.register(_titled(ref, "meeting")))

    def _subject_of_target(self, action: Correction | Retraction) -> Subject:
        if isinstance(action, Correction):
            field, target = "corrects", action.corrects
        else:
            field, target = "retracts", action.retracts
        index = self._get(_index_id(target))
        if not isinstance(index, ActionIndex):
            raise UnknownActionError(f"no action with id {target!r} has been recorded", field)
        subject = self._get(index.subject_id)
        assert isinstance(subject, Subject), subject
        return subject

    def _party(self, action: EntityListed | EntryAmended | EntityDelisted | ListingAnnounced) -> None:
        party = self._get(_party_id(action.party.key))
        if action.party.affiliate_of is not None:
            self._check_affiliation(action.party.key, action.party.affiliate_of, "party.affiliate_of")
        if isinstance(party, Party):
            party.describe(action.party)
        elif isinstance(action, EntityListed | ListingAnnounced):
            self._keep(Party.register(action.party))
        else:
            verb = "delist" if isinstance(action, EntityDelisted) else "amend the entry of"
            raise NotListedError(f"cannot {verb} {action.party.key!r}: that party was never listed", "party.key")

    # -- affiliations ------------------------------------------------------------------------------------------

    def _corrected_affiliation(self, subject: Subject, correction: Correction) -> None:
        """When `correction` sets the party.affiliate_of of a listing action, check and keep that affiliation."""
        path = next((p for p in correction.fields if p == "party" or p.startswith("party.")), None)
        if path is None or not isinstance(subject, Listing):
            return
        target = subject.find(correction.corrects, "corrects")
        corrected = apply_fields(subject.resolved_action(target), correction.fields, as_input=True)
        party = getattr(corrected, "party", None)
        if party is None or party.affiliate_of is None:
            return
        self._check_affiliation(party.key, party.affiliate_of, f"fields.{path}")
        aggregate = self._get(_party_id(party.key))
        if isinstance(aggregate, Party):
            aggregate.affiliate(party.affiliate_of)

    def _check_affiliation(self, party: str, parent: str, field: str) -> None:
        """Refuse making `party` an affiliate of `parent` when `parent` is already, through affiliations ever
        recorded, an affiliate of `party`."""
        path = self._affiliation_path(parent, party)
        if path is not None:
            cycle = " → ".join([party, *path])
            raise ActionRefusedError(
                f"{party!r} cannot be an affiliate of {parent!r}: that would make a cycle of affiliation ({cycle})",
                field)

    def _affiliation_path(self, start: str, goal: str) -> list[str] | None:
        """The parties from `start` to `goal`, each an affiliate of the next, when there is such a chain."""
        came_from: dict[str, str | None] = {start: None}
        waiting = [start]
        while waiting:
            key = waiting.pop(0)
            if key == goal:
                path = [key]
                while (before := came_from[path[-1]]) is not None:
                    path.append(before)
                return path[::-1]
            party = self._get(_party_id(key))
            for parent in party.affiliations if isinstance(party, Party) else ():
                if parent not in came_from:
                    came_from[parent] = key
                    waiting.append(parent)
        return None

    # -- loading and keeping ---------------------------------------------------------------------------------

    def _get(self, aggregate_id: UUID) -> SubjectAggregate | None:
        if aggregate_id not in self._touched:
            primed = aggregate_id in self._primed
            self._touched[aggregate_id] = self._primed.pop(aggregate_id) if primed else self._load(aggregate_id)
        return self._touched[aggregate_id]

    def _has(self, aggregate_id: UUID) -> bool:
        return aggregate_id in self._touched or aggregate_id in self._primed

    def _peek(self, aggregate_id: UUID) -> SubjectAggregate | None:
        """What the run knows of a stream it has read or loaded ahead, without reading it."""
        return self._touched[aggregate_id] if aggregate_id in self._touched else self._primed[aggregate_id]

    def _get_or(self, aggregate_id: UUID, create: Callable[[], S]) -> S:
        found = self._get(aggregate_id)
        return cast(S, found) if found is not None else self._keep(create())

    def _keep(self, aggregate: T) -> T:
        self._primed.pop(aggregate.id, None)
        self._touched[aggregate.id] = aggregate
        return aggregate


def _target(action: Action) -> str | None:
    """The id of the action a correction or retraction names."""
    if isinstance(action, Correction):
        return action.corrects
    return action.retracts if isinstance(action, Retraction) else None


def _titled(ref: Any, kind: str) -> str:
    """The key of a subject seen for the first time, which must come with its title."""
    if not ref.title:
        raise UnknownSubjectError(f"{kind} {ref.key!r} appears for the first time: give its title", f"{kind}.title")
    return str(ref.key)
