"""Builders shared by the domain unit tests.

`act(kind, ...)` parses an action from a minimal YAML-like mapping (every scalar a string), so tests exercise the
same validation as a timeline file. `FakeStore` keeps the events of a `RecordRun` in memory and loads aggregates by
replaying them, as the application's repository does.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

from regledger.domain import RecordRun, action_adapter, recording_at, resolve
from regledger.domain.actions import Action
from regledger.domain.events import DomainEvent, SubjectAggregate
from regledger.domain.subject import Subject

__all__ = ["FIRST_RUN", "MINIMAL", "FakeStore", "act", "fold", "mapping", "source"]

FIRST_RUN = datetime(2024, 3, 1, 9, 30, tzinfo=UTC)

# The kind-specific fields of a minimal valid action of each kind, as a timeline file would spell them.
MINIMAL: dict[str, dict[str, Any]] = {
    "entity_listed": {"list": "us-bis-entity-list",
                      "party": {"key": "huawei", "name": "Huawei Technologies Co., Ltd."}},
    "entry_amended": {"list": "us-bis-entity-list", "party": {"key": "huawei"}},
    "entity_delisted": {"list": "us-bis-entity-list", "party": {"key": "huawei"}},
    "measure_proposed": {"measure": {"key": "tgl-huawei", "title": "Temporary general license for Huawei"}},
    "comment_period_opened": {"measure": {"key": "tgl-huawei"}, "comments_close_on": "2019-06-30"},
    "measure_adopted": {"measure": {"key": "tgl-huawei", "title": "Temporary general license for Huawei"}},
    "measure_amended": {"measure": {"key": "tgl-huawei"}},
    "measure_withdrawn": {"measure": {"key": "tgl-huawei"}},
    "measure_expired": {"measure": {"key": "tgl-huawei"}},
    "meeting_scheduled": {"meeting": {"key": "huawei-interagency", "title": "Interagency meeting on Huawei"},
                          "date": "2020-02-28"},
    "meeting_rescheduled": {"meeting": {"key": "huawei-interagency"}, "date": "2020-03-06"},
    "meeting_postponed": {"meeting": {"key": "huawei-interagency"}},
    "meeting_held": {"meeting": {"key": "huawei-interagency"}},
    "meeting_cancelled": {"meeting": {"key": "huawei-interagency"}},
    "position_stated": {"actor": "us-dod", "topic": "restrict-chip-sales-to-huawei", "stance": "opposes"},
    "correction": {"corrects": "listing-1", "fields": {"note": "corrected"}},
    "retraction": {"retracts": "listing-1", "reason": "recorded in error"},
    "listing_announced": {"list": "us-bis-entity-list",
                          "party": {"key": "huawei", "name": "Huawei Technologies Co., Ltd."}},
    "measure_announced": {"measure": {"key": "tgl-huawei", "title": "Temporary general license for Huawei"}},
    "measure_drafted": {"measure": {"key": "tgl-huawei", "title": "Temporary general license for Huawei"}},
    "measure_revoked": {"measure": {"key": "tgl-huawei"}},
}

_AMENDMENTS = {"correction", "retraction"}
_ANNOUNCEMENTS = {"listing_announced", "measure_announced"}  # published, never effective


def source(citation: str = "84 FR 22961", reliability: str = "official", **extra: Any) -> dict[str, Any]:
    """A source mapping."""
    return {"citation": citation, "reliability": reliability, **extra}


def mapping(kind: str, on: str = "2019-05-16", **fields: Any) -> dict[str, Any]:
    """A minimal valid mapping of `kind`, effective and published `on` (a correction or retraction: published),
    with `fields` replacing or adding top-level fields."""
    dates = {"published_on": on} if kind in _AMENDMENTS | _ANNOUNCEMENTS else {"effective_on": on, "published_on": on}
    return {"kind": kind, **dates, "sources": [source()], **MINIMAL[kind], **fields}


def act(kind: str, on: str = "2019-05-16", **fields: Any) -> Action:
    """A validated action of `kind` (see `mapping`)."""
    return action_adapter.validate_python(mapping(kind, on, **fields))


def fold(subject: Subject, on: date | None = None) -> Any:
    """The subject's state from its resolved actions effective by `on` (all of them when None), in legal order."""
    state = subject.initial_state()
    for _entry, action in resolve(subject.entries):
        if on is None or action.legal_on <= on:
            state = subject.step(state, action, strict=False)
    return state


class FakeStore:
    """An in-memory event store: `record` runs actions through a RecordRun and keeps the events it produced."""

    def __init__(self) -> None:
        self.events: dict[UUID, list[DomainEvent]] = {}
        self.saved: list[SubjectAggregate] = []  # the aggregates the last run saved
        self.runs = 0

    def load(self, aggregate_id: UUID) -> SubjectAggregate | None:
        """The aggregate rebuilt from its stored events, or None when nothing was stored for it."""
        aggregate = None
        for event in self.events.get(aggregate_id, []):
            aggregate = event.mutate(aggregate)
        return aggregate

    def record(self, *actions: Action) -> RecordRun:
        """Add `actions` to a new run (all of them, or raise and store nothing), then store its events."""
        self.runs += 1
        with recording_at(FIRST_RUN.replace(day=self.runs)):
            run = RecordRun(self.load)
            for action in actions:
                run.add(action)
        self.saved = run.aggregates()
        for aggregate in self.saved:
            self.events.setdefault(aggregate.id, []).extend(aggregate.collect_events())  # type: ignore[arg-type]
        return run

    def get(self, aggregate_id: UUID) -> Any:
        """The stored aggregate `aggregate_id`, which must exist."""
        aggregate = self.load(aggregate_id)
        assert aggregate is not None, f"nothing stored for {aggregate_id}"
        return aggregate
