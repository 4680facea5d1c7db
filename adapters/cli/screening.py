"""`regledger import screening-list FILE --as-published D`: a Consolidated Screening List snapshot becomes listing
actions (registered on the `import` group by `cli_import`)."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import click

from regledger.adapters.cli.imports import _PROGRESS_FROM, _finish, _show, import_group
from regledger.adapters.errors import RegledgerError
from regledger.adapters.importers import import_snapshot
from regledger.adapters.wiring import open_ledger
from regledger.domain.values import parse_legal_date

__all__ = ["screening_list"]

T = TypeVar("T")


def _day(_context: click.Context, _param: click.Parameter, value: str) -> date:
    try:
        return parse_legal_date(value)  # type: ignore[no-any-return]
    except ValueError as error:
        raise click.BadParameter(str(error)) from None


def _progress(items: Sequence[T], label: str) -> Iterable[T]:
    if len(items) < _PROGRESS_FROM:
        yield from items
        return
    with click.progressbar(items, label=label, file=sys.stderr) as bar:
        yield from bar


@import_group.command("screening-list")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--as-published", "day", required=True, metavar="DATE", callback=_day,
              help="The day the snapshot was published (YYYY-MM-DD): the date it is compared at, and every "
                   "action's published_on.")
@click.option("--dry-run", is_flag=True, help="Show what would be recorded; store nothing.")
@click.option("--db", "db", metavar="STORE", default=None, help="The ledger (see regledger --help).")
@click.pass_context
def screening_list(context: click.Context, file: Path, *, day: date, dry_run: bool, db: str | None) -> None:
    """Import a Consolidated Screening List snapshot (trade.gov JSON, or its CSV) as published on DATE.

    The lists it covers are the sources it contains (docs/importers.md). Compared with the ledger as of DATE,
    published by DATE: new parties are listed, changed names, aliases, addresses or licence terms amended, parties
    gone from a covered list delisted. Importing the same snapshot again adds nothing; a snapshot older than one
    already imported for a list it covers is refused.
    """
    tally = {"recorded": 0, "skipped": 0, "refused": 0}
    with open_ledger(db or context.obj.get("db")) as ledger:
        try:
            done: Any = import_snapshot(ledger, file, day, dry_run=dry_run, progress=_progress)
        except RegledgerError as error:
            click.echo(f"regledger: error: {error}", err=True)
            tally["refused"] = 1
        else:
            if done.result is None:
                click.echo(f"{file}: this snapshot as published {day} was imported before; nothing to do", err=True)
            elif dry_run:
                _show(ledger, done.located, as_of=day, published_by=day)
            for line in done.lines():
                click.echo(line)
            tally["recorded"], tally["skipped"] = done.recorded, done.skipped
    _finish(tally, dry_run)
