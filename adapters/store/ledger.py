"""The ledger application: records validated runs of actions in one transaction, and reads them back.

A run is validated whole against the stored ledger (through the domain's `RecordRun`), then saved with one
`recorded_at`. When another writer got there first (a version or index-stream collision), the run is rebuilt from
the new state and tried again: actions the other writer stored are then skipped as already recorded.

On a SQL store the ledger's recorder is regledger's own (`sqlite_recorder`, `pg_recorder`): given a `ChainKeeper`
(`keep_chain`, see wiring), it writes the hash chain of a run's events in the transaction that stores them. The
ledger then reads only rows the chain covers: a row regledger did not write (`foreign_rows`) is left out of every
read, and `record` refuses to store anything while one is there.
"""

from __future__ import annotations

import gc
import random
import time
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from typing import Any, cast
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application, ProcessingEvent
from eventsourcing.persistence import IntegrityError, Notification, Recording, StoredEvent
from eventsourcing.utils import Environment, EnvType

from regledger.adapters.errors import ConflictError, InputError, StoreError
from regledger.adapters.store.mapper import PydanticMapper
from regledger.adapters.store.sql import NO_FOREIGN_ROWS, ChainedRecorder, ChainKeeper, ForeignRows, SQLStore, sql_store
from regledger.domain import ActionIndex, DomainError, RecordRun, Subject, recording_at
from regledger.domain.actions import Action
from regledger.domain.events import DomainEvent, SubjectAggregate
from regledger.domain.index import index_id

__all__ = ["Ledger", "Located", "RecordResult", "StoredAction"]

PAGE = 500
BATCH = 2000  # actions validated per bulk load of the streams they read
IDS_PER_QUERY = 500  # under SQLite's limit on parameters
_STREAMS = "SELECT {nid} AS nid, originator_id, originator_version, topic, state FROM {events} WHERE originator_id "
RECORDERS = {  # regledger's application recorder on each SQL store: it chains a run's events as it stores them
    "eventsourcing.sqlite": "regledger.adapters.store.sqlite_recorder:ChainedSQLiteApplicationRecorder",
    "eventsourcing.postgres": "regledger.adapters.store.pg_recorder:BulkPostgresApplicationRecorder",
}

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


@contextmanager
def _cycle_collection_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a run is validated and saved.

    A run allocates hundreds of thousands of objects (events, aggregates, stored events) that live until it is
    saved and are then freed by reference counting; meanwhile the collector would scan the growing heap again and
    again (a third of a 10,000-action run's time, measured). Cycles made during the run are collected after it.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class Ledger(Application[UUID]):
    """regledger's event store. The name is pinned: PostgreSQL table names derive from it."""

    name = "regledger"
    max_attempts = 20
    on_recorded: Callable[[], object] | None = None  # set by wiring: brings the read models up to date
    keeper: ChainKeeper | None = None  # set by wiring (`keep_chain`): the ledger's hash chain (see integrity)
    _left_out: frozenset[int] = frozenset()  # the foreign rows last found: reads leave them out

    def construct_env(self, name: str, env: EnvType | None = None) -> Environment:
        """The library's environment, with regledger's recorder for a SQL store (unless one is named)."""
        environment = super().construct_env(name, env)
        recorder = RECORDERS.get(environment.get("PERSISTENCE_MODULE") or "")
        if recorder and not environment.get("APPLICATION_RECORDER_TOPIC"):
            environment["APPLICATION_RECORDER_TOPIC"] = recorder
        return environment

    def construct_mapper(self) -> PydanticMapper:
        return PydanticMapper()

    def keep_chain(self, keeper: ChainKeeper) -> None:
        """Have `keeper` chain every run's events in the transaction that stores them, and tell the rows it does not
        cover, which reads then leave out."""
        self.keeper = keeper
        if isinstance(self.recorder, ChainedRecorder):
            self.recorder.keeper = keeper

    def foreign_rows(self) -> ForeignRows:
        """The rows of the events table the chain does not cover: rows regledger did not write (none without a
        chain). Cheap on a sound ledger: the chain's head and the ends of the events table (index lookups; a count
        too where PostgreSQL left gaps in the notification ids)."""
        store = self.sql
        if self.keeper is None or store is None:
            return NO_FOREIGN_ROWS
        with store.transaction(commit=False) as cursor:
            found = self.keeper.foreign(cursor)
        self._left_out = found.notification_ids
        return found

    def glance(self) -> str | None:
        """The ledger's head (the recorder's `max_notification_id`, column `ledger_head`) and what `foreign_rows`
        reads first (see `ChainKeeper.glance`), as a SELECT list of scalar subqueries that a statement reads with
        other facts of the same database; None when the store is not SQL."""
        store = self.sql
        if store is None:
            return None
        head = store.dialect.sql("(SELECT MAX({nid}) FROM {events}) AS ledger_head")
        return head if self.keeper is None else f"{head}, {self.keeper.glance()}"

    def glanced(self, row: Mapping[str, Any]) -> tuple[int, ForeignRows] | None:
        """The ledger's head (0 when empty) and `foreign_rows`' answer from a row of `glance`'s columns; None when
        there may be foreign rows (then `foreign_rows` finds them)."""
        if self.keeper is None:
            return row["ledger_head"] or 0, NO_FOREIGN_ROWS
        found = self.keeper.glanced(row)
        if found is None:
            return None
        self._left_out = found.notification_ids
        return row["ledger_head"] or 0, found

    def _refuse_foreign_rows(self) -> None:
        """StoreError naming the rows regledger did not write, when there are any."""
        found = self.foreign_rows()
        if found:
            raise StoreError(found.refusal())

    @cached_property
    def sql(self) -> SQLStore | None:
        """Where the events are and how to query them, when the store is SQL (None: e.g. in memory)."""
        return sql_store(self)

    def save(self, *objs: Any, **kwargs: Any) -> list[Recording[UUID]]:
        """`Application.save`, collecting our aggregates' events directly: the library's collector makes two
        runtime-protocol checks per aggregate, which cost more than mapping the aggregate's events."""
        if kwargs or not all(isinstance(obj, SubjectAggregate) for obj in objs):
            return super().save(*objs, **kwargs)
        processing: ProcessingEvent[UUID] = ProcessingEvent()
        for aggregate in objs:
            processing.events.extend(aggregate.collect_events())
            processing.aggregates[aggregate.id] = aggregate
        recordings = self._record(processing)
        self._take_snapshots(processing)
        self._notify(recordings)
        self.notify(processing.events)  # the library's deprecated hook, called as its save does
        return recordings

    def record(self, located: Sequence[Located], *, dry_run: bool = False, also: Also | None = None) -> RecordResult:
        """Validate every action against the ledger and those before it, then store them all, or nothing.

        With `dry_run`, validate only: the result says what would be recorded, and nothing is stored. `also(load)`
        returns further changed aggregates (e.g. a list's snapshot stream) to save in the same transaction; it is
        called again on every try, so that it changes what it loads then. StoreError, and nothing stored, while the
        ledger holds rows regledger did not write (they could decide what is skipped as already recorded).
        """
        self._refuse_foreign_rows()
        for attempt in range(1, self.max_attempts + 1):
            moment = datetime.now(UTC)
            with _cycle_collection_paused():
                with recording_at(moment):
                    run = self._validated_run(located)
                    extra = list(also(self._load)) if also is not None else []
                aggregates = [*run.aggregates(), *extra]
                if not aggregates or dry_run:
                    self._refuse_foreign_rows()  # one planted while the run was validated (storing checks itself)
                    return RecordResult(run.recorded, run.skipped, None, attempt)
                try:
                    self.save(*aggregates)
                except IntegrityError:
                    time.sleep(random.uniform(0.01, 0.05) * attempt)  # noqa: S311 - jitter, not security
                    continue
            if self.on_recorded is not None:
                self.on_recorded()  # the read models cover the run before record returns
            return RecordResult(run.recorded, run.skipped, moment, attempt)
        raise ConflictError(f"other writers kept changing the same records; gave up after {self.max_attempts} tries")

    def _validated_run(self, located: Sequence[Located]) -> RecordRun:
        run = RecordRun(self._load)
        for start in range(0, len(located), BATCH):
            batch = located[start:start + BATCH]
            for _ in range(2):  # the indexes first, then what the actions not yet recorded read
                run.prime(self._load_many(run.wanted(item.action for item in batch)))
            for item in batch:
                try:
                    run.add(item.action)
                except DomainError as error:
                    raise InputError(f"{item.where}: {error.field}: {error.message}") from None
        return run

    def _load_many(self, ids: Collection[UUID]) -> dict[UUID, SubjectAggregate | None]:
        """The aggregates `ids` name (None where nothing is stored): one query per chunk of ids where the store is
        SQL, instead of one `repository.get` each."""
        store = self.sql
        if store is None or self.snapshots is not None:
            return {aggregate_id: self._get(aggregate_id) for aggregate_id in ids}
        return self._streams(store, ids)

    def _streams(self, store: SQLStore, ids: Collection[UUID]) -> dict[UUID, SubjectAggregate | None]:
        """The aggregates `ids` name, from their rows that regledger wrote: rows at notification ids below 1 and the
        foreign rows last found are left out."""
        streams: dict[UUID, list[StoredEvent]] = {aggregate_id: [] for aggregate_id in ids}
        dialect, chunk, left_out = store.dialect, list(streams), self._left_out
        for start in range(0, len(chunk), IDS_PER_QUERY):
            some = dialect.oids(chunk[start:start + IDS_PER_QUERY])
            where = f"IN ({', '.join('?' * len(some))})" if dialect.hex_ids else "= ANY(?)"
            with store.transaction(commit=False) as cursor:
                cursor.execute(dialect.sql(_STREAMS + where), some if dialect.hex_ids else (some,))
                for row in cursor.fetchall():
                    if row["nid"] < 1 or row["nid"] in left_out:
                        continue
                    oid = row["originator_id"]
                    streams[oid if isinstance(oid, UUID) else UUID(oid)].append(
                        StoredEvent(oid, row["originator_version"], row["topic"], bytes(row["state"])))
        return {aggregate_id: self._project(stored) for aggregate_id, stored in streams.items()}

    def _project(self, stored: list[StoredEvent]) -> SubjectAggregate | None:
        """The aggregate of one stream's events (the library's projector, without its runtime-protocol check of
        every event, which costs more than the event)."""
        aggregate: SubjectAggregate | None = None
        for event in sorted(stored, key=lambda event: event.originator_version):
            aggregate = self._event(event).mutate(aggregate)
        return aggregate

    def _event(self, stored: StoredEvent | Notification) -> DomainEvent:
        """The domain event of a stored one (every event this ledger stores is one of the domain's)."""
        return cast(DomainEvent, self.mapper.to_domain_event(stored))

    def _load(self, aggregate_id: UUID) -> SubjectAggregate | None:
        """The aggregate `aggregate_id` names, or None (on a SQL store, from the rows regledger wrote only)."""
        store = self.sql
        if store is None or self.snapshots is not None:
            return self._get(aggregate_id)
        return self._streams(store, [aggregate_id])[aggregate_id]

    def _get(self, aggregate_id: UUID) -> SubjectAggregate | None:
        try:
            return self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            return None

    def find_action(self, action_id: str) -> Action | None:
        """The action recorded with `action_id`, as written (corrections not applied), or None."""
        index = self._load(index_id(action_id))
        subject = self._load(index.subject_id) if isinstance(index, ActionIndex) else None
        if not isinstance(subject, Subject):
            return None
        return next((e.action for e in subject.entries if e.action.id == action_id), None)

    def subject(self, aggregate_id: UUID) -> SubjectAggregate | None:
        """The aggregate `aggregate_id` names, as stored, or None."""
        return self._load(aggregate_id)

    def knows(self, aggregate_id: UUID) -> bool:
        """True when a stream with that id has been recorded."""
        return self._load(aggregate_id) is not None

    def stored_actions(self, after: int = 0) -> Iterator[StoredAction]:
        """Every recorded action after notification `after`, in recording order (rows regledger did not write left
        out)."""
        for position, event in self.stored_events(after):
            if isinstance(event, Subject.Recorded):
                subject_type = type(event).__qualname__.split(".")[0]
                yield StoredAction(position, event.timestamp, event.originator_id, subject_type,
                                   cast(Action, event.action))

    def stored_events(self, after: int = 0) -> Iterator[tuple[int, DomainEvent]]:
        """Every stored event after notification `after`, with its notification id (rows regledger did not write
        left out)."""
        start, left_out = after, self.foreign_rows().notification_ids
        while True:
            page = self.recorder.select_notifications(start=start, limit=PAGE, inclusive_of_start=False)
            for notification in page:
                if notification.id not in left_out:
                    yield notification.id, self._event(notification)
            if len(page) < PAGE:
                return
            start = page[-1].id
