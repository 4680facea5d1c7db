"""The ledger application: records validated runs of actions in one transaction, and reads them back.

A run is validated whole against the stored ledger (through the domain's `RecordRun`), then saved with one
`recorded_at`. When another writer got there first (a version or index-stream collision), the run is rebuilt from
the new state and tried again: actions the other writer stored are then skipped as already recorded.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import IntegrityError

from regledger.domain import ActionIndex, DomainError, RecordRun, Subject, recording_at
from regledger.domain.actions import Action
from regledger.domain.events import SubjectAggregate
from regledger.domain.index import index_id

from .errors import ConflictError, InputError
from .mapper import PydanticMapper

__all__ = ["Ledger", "Located", "RecordResult", "StoredAction"]

PAGE = 500

Also = Callable[[Callable[[UUID], SubjectAggregate | None]], Sequence[SubjectAggregate]]


@dataclass(frozen=True)
class Located:
    """An action and where it was read: `where` reads like `FILE: action N [id=…]`."""

    where: str
    action: Action


@dataclass(frozen=True)
class RecordResult:
    """What a record run did."""

    recorded: int
    skipped: int
    recorded_at: datetime | None
    attempts: int


@dataclass(frozen=True)
class StoredAction:
    """An action as the ledger holds it: its position in recording order and when it was recorded."""

    position: int
    recorded_at: datetime
    subject_id: UUID
    subject_type: str
    action: Action


class Ledger(Application[UUID]):
    """regledger's event store. The name is pinned: PostgreSQL table names derive from it."""

    name = "regledger"
    max_attempts = 20
    on_recorded: Callable[[], object] | None = None  # set by wiring: brings the chain up to date (see integrity)

    def construct_mapper(self) -> PydanticMapper:
        return PydanticMapper()

    def record(self, located: Sequence[Located], *, dry_run: bool = False, also: Also | None = None) -> RecordResult:
        """Validate every action against the ledger and those before it, then store them all, or nothing.

        With `dry_run`, validate only: the result says what would be recorded, and nothing is stored. `also(load)`
        returns further changed aggregates (e.g. a list's snapshot stream) to save in the same transaction; it is
        called again on every try, so that it changes what it loads then.
        """
        for attempt in range(1, self.max_attempts + 1):
            moment = datetime.now(UTC)
            with recording_at(moment):
                run = self._validated_run(located)
                extra = list(also(self._load)) if also is not None else []
            aggregates = [*run.aggregates(), *extra]
            if not aggregates or dry_run:
                return RecordResult(run.recorded, run.skipped, None, attempt)
            try:
                self.save(*aggregates)
            except IntegrityError:
                time.sleep(random.uniform(0.01, 0.05) * attempt)  # noqa: S311 - jitter, not security
                continue
            if self.on_recorded is not None:
                self.on_recorded()  # the chain covers the run before record returns
            return RecordResult(run.recorded, run.skipped, moment, attempt)
        raise ConflictError(f"other writers kept changing the same records; gave up after {self.max_attempts} tries")

    def _validated_run(self, located: Sequence[Located]) -> RecordRun:
        run = RecordRun(self._load)
        for item in located:
            try:
                run.add(item.action)
            except DomainError as error:
                raise InputError(f"{item.where}: {error.field}: {error.message}") from None
        return run

    def _load(self, aggregate_id: UUID) -> SubjectAggregate | None:
        try:
            return self.repository.get(aggregate_id)  # type: ignore[no-any-return]
        except AggregateNotFoundError:
            return None

    def find_action(self, action_id: str) -> Action | None:
        """The action recorded with `action_id`, as written (corrections not applied), or None."""
        index = self._load(index_id(action_id))
        subject = self._load(index.subject_id) if isinstance(index, ActionIndex) else None
        if not isinstance(subject, Subject):
            return None
        return next((e.action for e in subject.entries if e.action.id == action_id), None)

    def knows(self, aggregate_id: UUID) -> bool:
        """True when a stream with that id has been recorded."""
        return self._load(aggregate_id) is not None

    def stored_actions(self, after: int = 0) -> Iterator[StoredAction]:
        """Every recorded action after notification `after`, in recording order."""
        for position, event in self.stored_events(after):
            if isinstance(event, Subject.Recorded):
                subject_type = type(event).__qualname__.split(".")[0]
                yield StoredAction(position, event.timestamp, event.originator_id, subject_type, event.action)

    def stored_events(self, after: int = 0) -> Iterator[tuple[int, Any]]:
        """Every stored event after notification `after`, with its notification id."""
        start = after
        while True:
            page = self.recorder.select_notifications(start=start, limit=PAGE, inclusive_of_start=False)
            for notification in page:
                yield notification.id, self.mapper.to_domain_event(notification)
            if len(page) < PAGE:
                return
            start = page[-1].id
