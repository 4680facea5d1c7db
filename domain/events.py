"""Base event and aggregate classes: frozen pydantic events with the recording clock.

`recorded_at` is the event's `timestamp`, set by the system: a record run sets one time for all its actions with
`recording_at(...)`; outside one, the time is now (UTC). Naive times are refused.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import BaseAggregate, CanInitAggregate, CanMutateAggregate
from pydantic import BaseModel, ConfigDict, field_validator

__all__ = ["DomainEvent", "InitEvent", "SubjectAggregate", "natural_id", "recording_at"]

_clock: ContextVar[datetime | None] = ContextVar("regledger_recording_time", default=None)


@contextmanager
def recording_at(moment: datetime) -> Iterator[datetime]:
    """Within the block, every event created is stamped `moment` (one record run, one recorded_at)."""
    if moment.tzinfo is None:
        msg = "recorded_at must carry a time zone"
        raise ValueError(msg)
    token = _clock.set(moment.astimezone(UTC))
    try:
        yield moment
    finally:
        _clock.reset(token)


def natural_id(path: str) -> UUID:
    """The deterministic id of the thing at `path` (e.g. `/listings/us-bis-entity-list/huawei`)."""
    return uuid5(NAMESPACE_URL, f"regledger:{path}")


class DomainEvent(BaseModel, CanMutateAggregate[UUID]):
    """An immutable fact about one aggregate; business fields are declared by subclasses."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    originator_id: UUID
    originator_version: int
    timestamp: datetime

    @staticmethod
    def create_timestamp() -> datetime:
        """The current record run's time, else now in UTC."""
        return _clock.get() or datetime.now(UTC)

    @field_validator("timestamp")
    @classmethod
    def _aware(cls, value: datetime) -> datetime:
        if value.tzinfo is None:
            msg = "timestamp must carry a time zone"
            raise ValueError(msg)
        return value


class InitEvent(DomainEvent, CanInitAggregate[UUID]):
    """The first event of an aggregate."""

    originator_topic: str


class SubjectAggregate(BaseAggregate[UUID]):
    """Base of our aggregates: their events are pydantic `DomainEvent`s."""

    class Event(DomainEvent):
        """Any event of this aggregate."""
