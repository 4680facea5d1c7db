"""The read-model commands: `rebuild`, `project` (once, or `--follow` until interrupted) and `check-views`.

Progress goes to standard error; results to standard output. See docs/read-models.md.
"""

from __future__ import annotations

import signal
import threading
from types import FrameType

import click

from regledger.adapters.cli.groups import cli
from regledger.adapters.cli.options import db_option, ledger_stores
from regledger.adapters.cli.progress import StepBars
from regledger.adapters.safe_text import safe_text
from regledger.adapters.services import checks, projection
from regledger.adapters.wiring import Stores

__all__ = ["check_views_command", "project_command", "rebuild_command"]

_BATCH = click.option("--batch", type=click.IntRange(min=1), default=projection.PAGE, show_default=True,
                      help="Events applied per transaction (a tenth as many subjects recomputed per transaction).")
_STEPS = {"events": "applying events", "subjects": "recomputing subjects"}


def _bars() -> StepBars:
    """Progress bars on standard error: the events applied, then the subjects recomputed."""
    return StepBars(lambda step: _STEPS.get(step, step))


@cli.command("rebuild")
@_BATCH
@db_option
def rebuild_command(batch: int) -> None:
    """Drop the read models and build them again from every stored event, with a progress bar on standard
    error. Queries answer from the reference fold (and say so) until it is done."""
    with ledger_stores(write=projection.WRITES) as stores, _bars() as bars:
        done = projection.rebuild(stores, batch=batch, progress=bars)
    click.echo(f"rebuilt the read models from {done.applied:,} event(s); they cover notification {done.position}")


@cli.command("project")
@click.option("--follow", "follow_", is_flag=True,
              help="Keep the read models current until interrupted (SIGINT/SIGTERM).")
@click.option("--interval", type=click.FloatRange(min=0.05), default=1.0, show_default=True,
              help="SQLite: seconds between polls of the log (PostgreSQL is woken by notifications).")
@_BATCH
@db_option
def project_command(follow_: bool, interval: float, batch: int) -> None:
    """Bring the read models up to date with the log (exactly once: safe to interrupt and run again); with
    --follow, keep them current for other writers until interrupted."""
    with ledger_stores(write=projection.WRITES) as stores:
        if not follow_:
            _catch_up(stores, batch)
            return
        _follow(stores, interval, batch)


def _catch_up(stores: Stores, batch: int) -> None:
    """Bring the read models up to date, with progress bars; say where they stand."""
    with _bars() as bars:
        done = projection.project(stores, batch=batch, progress=bars)
    click.echo(f"applied {done.applied:,} event(s); the read models cover notification {done.position}")


def _follow(stores: Stores, interval: float, batch: int) -> None:
    """Catch up, then follow the log, until SIGINT or SIGTERM. Either signal is heard from the start: during the
    catch-up it stops the catch-up where it is, as Ctrl-C would (the events applied stay applied, exactly once);
    while following, the follower stops between batches. Either way the command ends saying where the read
    models stand, with status 0 (before, a SIGTERM during the catch-up killed the process)."""
    stop, following = threading.Event(), threading.Event()

    def interrupted(_signum: int, _frame: FrameType | None) -> None:
        stop.set()
        if not following.is_set():
            raise KeyboardInterrupt

    previous = {s: signal.signal(s, interrupted) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        try:
            _catch_up(stores, batch)
            following.set()
        except KeyboardInterrupt:
            if not stop.is_set():
                raise
        if not stop.is_set():
            click.echo("following the log; stop with Ctrl-C (SIGINT) or SIGTERM", err=True)
        position = projection.follow(stores, stop, interval=interval, batch=batch,  # at once when stopped
                                     report=lambda message: click.echo(message, err=True))
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
    click.echo(f"stopped; the read models cover notification {position}")


@cli.command("check-views")
@click.option("--samples", type=click.IntRange(min=1), default=25, show_default=True,
              help="How many draws of the axes (P, T, tier) to check; each checks several answers.")
@click.option("--seed", type=int, default=0, show_default=True, help="The sampling's seed (same seed, same sample).")
@db_option
def check_views_command(samples: int, seed: int) -> None:
    """Compare the read models' answers with the reference fold's on a sample of dates, axes and parties (see
    docs/read-models.md); report every difference. Exit status 1 on any difference (or when the read models are
    behind), 0 when they agree."""
    with ledger_stores(write=checks.WRITES) as stores:
        found = checks.check_views(stores, samples, seed)
    if found.checked is None:
        click.echo(f"{found.behind}: bring them up to date first")
        raise click.exceptions.Exit(1)
    checked = found.checked
    for line in checked.differences:
        click.echo(f"DIFFERENCE: {safe_text(line)}")
    verdict = "no difference" if not checked.differences else f"{len(checked.differences)} difference(s)"
    click.echo(f"compared {checked.compared} answer(s) with the reference fold (seed {seed}): {verdict}")
    if checked.differences:
        raise click.exceptions.Exit(1)
