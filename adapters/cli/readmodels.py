"""The read-model commands: `rebuild`, `project` (once, or `--follow` until interrupted) and `check-views`.

Progress goes to standard error; results to standard output. See docs/read-models.md.
"""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

import click

from regledger.adapters.errors import StoreError
from regledger.adapters.readmodels.check import check_views
from regledger.adapters.readmodels.lifecycle import behind, bring_up_to_date
from regledger.adapters.readmodels.runner import PAGE, follow, rebuild
from regledger.adapters.readmodels.source import stored_entries
from regledger.adapters.wiring import open_stores

__all__ = ["check_views_command", "project_command", "rebuild_command"]

_DB = click.option("--db", "db", metavar="STORE", default=None,
                   help="The ledger, as for `record` (default ./regledger.db; env REGLEDGER_DB).")
_BATCH = click.option("--batch", type=click.IntRange(min=1), default=PAGE, show_default=True,
                      help="Events applied per transaction (a tenth as many subjects recomputed per transaction).")


@contextmanager
def _views(context: click.Context, db: str | None) -> Iterator[tuple[Any, Any]]:
    """The ledger and its read models; StoreError for a store that keeps none."""
    with open_stores(db or (context.obj or {}).get("db")) as stores:
        if stores.views is None:
            raise StoreError("this store keeps no read models: use a SQLite file or PostgreSQL")
        yield stores.ledger, stores.views


class _Bars:
    """Progress bars on standard error: the events applied, then the subjects recomputed."""

    def __init__(self, ledger: Any, view: Any, start: int) -> None:
        self.ledger, self.view, self.start = ledger, view, start
        self.bar: Any = None
        self.phase = ""
        self.done = 0

    def __call__(self, phase: str, done: int) -> None:
        if phase != self.phase:
            self.close()
            total = (self.ledger.recorder.max_notification_id() or 0) - self.start if phase == "events" else (
                done + self.view.unsettled())
            label = "applying events" if phase == "events" else "recomputing subjects"
            self.bar = click.progressbar(length=max(total, 1), label=label, file=sys.stderr)
            self.bar.__enter__()
            self.phase, self.done = phase, 0
        self.bar.update(done - self.done)
        self.done = done

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


@click.command("rebuild")
@_BATCH
@_DB
@click.pass_context
def rebuild_command(context: click.Context, batch: int, db: str | None) -> None:
    """Drop the read models and build them again from every stored event, with a progress bar on standard
    error. Queries answer from the reference fold (and say so) until it is done."""
    with _views(context, db) as (ledger, view):
        bars = _Bars(ledger, view, 0)
        try:
            applied = rebuild(ledger, view, page=batch, progress=bars)
        finally:
            bars.close()
        click.echo(f"rebuilt the read models from {applied:,} event(s); they cover notification "
                   f"{view.position() or 0}")


@click.command("project")
@click.option("--follow", "follow_", is_flag=True,
              help="Keep the read models current until interrupted (SIGINT/SIGTERM).")
@click.option("--interval", type=click.FloatRange(min=0.05), default=1.0, show_default=True,
              help="SQLite: seconds between polls of the log (PostgreSQL is woken by notifications).")
@_BATCH
@_DB
@click.pass_context
def project_command(context: click.Context, follow_: bool, interval: float, batch: int, db: str | None) -> None:
    """Bring the read models up to date with the log (exactly once: safe to interrupt and run again); with
    --follow, keep them current for other writers until interrupted."""
    with _views(context, db) as (ledger, view):
        start = view.position() or 0 if view.installed() else 0
        bars = _Bars(ledger, view, start)
        try:
            applied = bring_up_to_date(ledger, view, progress=bars, page=batch)
        finally:
            bars.close()
        click.echo(f"applied {applied:,} event(s); the read models cover notification {view.position() or 0}")
        if follow_:
            _follow(ledger, view, interval, batch)


def _follow(ledger: Any, view: Any, interval: float, batch: int) -> None:
    stop = threading.Event()

    def interrupted(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    previous = {s: signal.signal(s, interrupted) for s in (signal.SIGINT, signal.SIGTERM)}
    click.echo("following the log; stop with Ctrl-C (SIGINT) or SIGTERM", err=True)
    try:
        follow(ledger, view, stop, interval=interval, page=batch,
               report=lambda message: click.echo(message, err=True))
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
    click.echo(f"stopped; the read models cover notification {view.position() or 0}")


@click.command("check-views")
@click.option("--samples", type=click.IntRange(min=1), default=25, show_default=True,
              help="How many draws of the axes (P, T, tier) to check; each checks several answers.")
@click.option("--seed", type=int, default=0, show_default=True, help="The sampling's seed (same seed, same sample).")
@_DB
@click.pass_context
def check_views_command(context: click.Context, samples: int, seed: int, db: str | None) -> None:
    """Compare the read models' answers with the reference fold's on a sample of dates, axes and parties (see
    docs/read-models.md); report every difference. Exit status 1 on any difference (or when the read models are
    behind), 0 when they agree."""
    with _views(context, db) as (ledger, view):
        reason = behind(ledger, view) if view.installed() else "the ledger has no read models yet (`regledger project`)"
        if reason is not None:
            click.echo(f"{reason}: bring them up to date first")
            context.exit(1)
        checked = check_views(stored_entries(ledger), view, samples, seed)
    for line in checked.differences:
        click.echo(f"DIFFERENCE: {line}")
    verdict = "no difference" if not checked.differences else f"{len(checked.differences)} difference(s)"
    click.echo(f"compared {checked.compared} answer(s) with the reference fold (seed {seed}): {verdict}")
    if checked.differences:
        context.exit(1)
