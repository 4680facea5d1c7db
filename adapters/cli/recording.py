"""`regledger record` (timeline files stored in one transaction) and `regledger log` (the stored actions)."""

from __future__ import annotations

from pathlib import Path

import click

from regledger.adapters.cli.groups import cli
from regledger.adapters.cli.options import db_option, format_option, ledger_stores
from regledger.adapters.render.log_format import log_json, log_text, rfc3339
from regledger.adapters.safe_text import safe_text
from regledger.adapters.services import queries, recording

__all__ = ["log", "record"]


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
@db_option
def record(files: tuple[Path, ...]) -> None:
    """Validate every action of FILES and store them all in one transaction, or nothing.

    Actions already recorded (same id, or same content without an id) are skipped.
    """
    actions = recording.read_actions(files)
    with ledger_stores(write=recording.WRITES) as stores:
        result = recording.record(stores, actions)
        warnings = recording.withdrawal_warnings(stores, actions)
    for warning in warnings:
        click.echo(f"regledger: warning: {safe_text(warning)}", err=True)
    when = f" at {rfc3339(result.recorded_at)}" if result.recorded_at else ""
    retried = f" (after {result.attempts} tries: other writers were recording)" if result.attempts > 1 else ""
    click.echo(f"recorded {result.recorded} action(s){when}; skipped {result.skipped} already recorded{retried}")


@cli.command()
@format_option()
@db_option
def log(output: str) -> None:
    """List the stored actions in recording order, with their three dates, kind, subject and citation."""
    with ledger_stores(write=queries.WRITES) as stores:
        stored, note = queries.log(stores), queries.foreign_note(stores)
    click.echo(log_json(stored) if output == "json" else log_text(stored))
    if note:
        click.echo(f"regledger: note: {note}", err=True)
