"""Keeping the read models current: `project` (catch up with the log, exactly once), `rebuild` (drop and build
again from every event) and `follow` (keep catching up until stopped).

These write: call them on stores opened with `open_stores(db, write=True)` (`WRITES`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from regledger.adapters.progress import Progress, silent
from regledger.adapters.readmodels import runner
from regledger.adapters.readmodels.lifecycle import ReadModels, bring_up_to_date
from regledger.adapters.services.stores import read_models_of
from regledger.adapters.store.ledger import Ledger
from regledger.adapters.wiring import Stores

__all__ = ["PAGE", "WRITES", "Projected", "follow", "project", "rebuild"]

WRITES: Final = True
PAGE: Final = runner.PAGE  # events applied per transaction, unless asked otherwise


@dataclass(frozen=True)
class Projected:
    """How many events a pass applied, and the notification the read models cover after it."""

    applied: int
    position: int


def project(stores: Stores, *, batch: int = PAGE, progress: Progress = silent) -> Projected:
    """Bring the read models up to date with the log (creating them where missing, rebuilding those another version
    built). `progress("events" | "subjects", done, total)` hears the events applied, then the subjects recomputed."""
    view = read_models_of(stores)
    start = (view.position() or 0) if view.installed() else 0
    applied = bring_up_to_date(stores.ledger, view, progress=_Totals(progress, stores.ledger, view, start), page=batch)
    return Projected(applied, view.position() or 0)


def rebuild(stores: Stores, *, batch: int = PAGE, progress: Progress = silent) -> Projected:
    """Drop the read models and build them again from every stored event (progress as for `project`)."""
    view = read_models_of(stores)
    applied = runner.rebuild(stores.ledger, view, page=batch, progress=_Totals(progress, stores.ledger, view, 0))
    return Projected(applied, view.position() or 0)


def follow(stores: Stores, stop: threading.Event, *, interval: float = 1.0, batch: int = PAGE,
           report: Callable[[str], None] = lambda _message: None) -> int:
    """Keep the read models current until `stop` is set (PostgreSQL: woken by notifications; SQLite: polling every
    `interval` seconds); `report` hears each failure and retry. The notification they cover when stopped."""
    view = read_models_of(stores)
    runner.follow(stores.ledger, view, stop, interval=interval, page=batch, report=report)
    return view.position() or 0


class _Totals:
    """`progress`, told each step's total, asked of the store once, at the step's first report: the events after
    `start`, then the subjects recomputed so far and still waiting."""

    def __init__(self, progress: Progress, ledger: Ledger, view: ReadModels, start: int) -> None:
        self.progress, self.ledger, self.view, self.start = progress, ledger, view, start
        self.totals: dict[str, int] = {}

    def __call__(self, step: str, done: int, total: int | None = None) -> None:
        if total is None:
            if step not in self.totals:
                self.totals[step] = self._total(step, done)
            total = self.totals[step]
        self.progress(step, done, total)

    def _total(self, step: str, done: int) -> int:
        if step == "events":
            return (self.ledger.recorder.max_notification_id() or 0) - self.start
        return done + self.view.unsettled()
