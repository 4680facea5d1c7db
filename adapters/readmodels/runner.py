"""Keeping the read models current: catch-up (exactly once), rebuild, and following the log until stopped.

`catch_up` reads the log after the views' tracking position in pages, decodes only the events that record actions
(rows regledger did not write, which the chain does not cover, are passed over undecoded like events that record
none: the read models never hold them), applies each page as one batch (one transaction, one tracking record: the
page's last notification id), treating a tracking IntegrityError as "another catch-up did it" (it reads the new
position and goes on), then settles the dirty units. Killed at any point, it loses nothing and applies nothing
twice: the next catch-up starts from the last committed tracking record, and settling is a function of the applied
entries.

`follow` keeps doing so until `stop` is set: on PostgreSQL woken by the library's LISTEN/NOTIFY subscription
(reconnecting with a back-off when the connection is lost), on SQLite (which has no subscriptions) by polling.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from functools import cache
from typing import Protocol

from eventsourcing.persistence import IntegrityError, Notification, PersistenceError
from eventsourcing.utils import resolve_topic

from regledger.adapters.progress import Progress
from regledger.adapters.store.ledger import Ledger
from regledger.adapters.store.sql import PostgresStore
from regledger.domain import Subject

__all__ = ["PAGE", "TrackedModels", "catch_up", "follow", "rebuild"]

PAGE = 5000  # events per batch (one transaction)
SETTLE = 500  # units recomputed per transaction (at most; a tenth of the page for small pages)


class TrackedModels(Protocol):
    """Read models that a catch-up applies the log to, exactly once (both stores' read models are)."""

    def position(self) -> int | None: ...

    def apply(self, expected: int | None, events: Sequence[tuple[int, object]]) -> int: ...

    def settle(self, limit: int = ...) -> int: ...

    def drop(self) -> None: ...

    def install(self) -> None: ...

    def refresh_statistics(self) -> None: ...


@cache
def _records_an_action(topic: str) -> bool:
    cls = resolve_topic(topic)
    return isinstance(cls, type) and issubclass(cls, Subject.Recorded)


def _decoded(ledger: Ledger, page: list[Notification], left_out: frozenset[int]) -> list[tuple[int, object]]:
    """Each notification with its domain event, decoded only when it records an action and is not `left_out`."""
    return [(n.id, ledger.mapper.to_domain_event(n) if n.id not in left_out and _records_an_action(n.topic) else None)
            for n in page]


def catch_up(ledger: Ledger, view: TrackedModels, *, page: int = PAGE, progress: Progress | None = None) -> int:
    """Apply every event after the views' position, then settle every dirty unit; how many events were applied
    here (by this call). `progress` hears steps "events" (applied so far) and "subjects" (recomputed so far)."""
    applied, left_out = 0, None
    while True:
        position = view.position()
        found = list(ledger.recorder.select_notifications(start=position or 0, limit=page, inclusive_of_start=False))
        if not found:
            break
        if left_out is None:  # asked once there is something to apply: a poll that finds nothing stays one query
            left_out = ledger.foreign_rows().notification_ids
        try:
            view.apply(position, _decoded(ledger, found, left_out))
        except IntegrityError:
            continue  # another catch-up applied these first: go on from where it got to
        applied += len(found)
        if progress:
            progress("events", applied)
    settled = 0
    while count := view.settle(max(1, min(SETTLE, page // 10))):
        settled += count
        if progress:
            progress("subjects", settled)
    return applied


def rebuild(ledger: Ledger, view: TrackedModels, *, page: int = PAGE, progress: Progress | None = None) -> int:
    """Drop the read models and build them again from every stored event, then refresh the store's statistics of
    their tables (its planner's); how many events."""
    view.drop()
    view.install()
    applied = catch_up(ledger, view, page=page, progress=progress)
    view.refresh_statistics()
    return applied


def follow(ledger: Ledger, view: TrackedModels, stop: threading.Event, *, interval: float = 1.0, page: int = PAGE,
           report: Callable[[str], None] = print) -> None:
    """Keep the read models current until `stop` is set."""
    backoff = interval
    while not stop.is_set():
        try:
            catch_up(ledger, view, page=page)
            if isinstance(ledger.sql, PostgresStore):  # it has subscriptions (LISTEN/NOTIFY); SQLite has none
                _listen(ledger, view, stop, page)
            else:
                stop.wait(interval)
            backoff = interval
        except PersistenceError as error:  # a lost connection, a server restart: try again a little later
            report(f"regledger project: {type(error).__name__}: {error}; trying again in {backoff:.0f}s")
            stop.wait(backoff)
            backoff = min(backoff * 2, 30.0)


def _listen(ledger: Ledger, view: TrackedModels, stop: threading.Event, page: int) -> None:
    """Catch up whenever the subscription sees a notification beyond the views' position."""
    position = view.position() or 0
    done = threading.Event()
    with ledger.recorder.subscribe(gt=position) as subscription:
        threading.Thread(target=_stop_when, args=(stop, done, subscription.stop), daemon=True).start()
        try:
            for notification in subscription:
                if stop.is_set():
                    break
                if notification.id > position:
                    catch_up(ledger, view, page=page)
                    position = view.position() or 0
        finally:
            done.set()


def _stop_when(stop: threading.Event, done: threading.Event, action: Callable[[], None]) -> None:
    """Call `action` once `stop` is set, unless `done` is set first."""
    while not stop.wait(0.2):
        if done.is_set():
            return
    action()
