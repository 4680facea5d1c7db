"""`regledger import screening-list FILE --as-published D`: a Consolidated Screening List snapshot becomes listing
actions."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from regledger.adapters.cli.groups import import_group
from regledger.adapters.cli.imports import PROGRESS_FROM, finish_import
from regledger.adapters.cli.options import db_option, error_line, ledger_stores
from regledger.adapters.cli.progress import StepBars
from regledger.adapters.errors import one_line
from regledger.adapters.services import imports
from regledger.domain.values import parse_legal_date

__all__ = ["screening_list"]


def _day(_context: click.Context, _param: click.Parameter, value: str) -> date:
    try:
        day: date = parse_legal_date(value)
    except ValueError as error:
        raise click.BadParameter(str(error)) from None
    return day


@import_group.command("screening-list")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--as-published", "day", required=True, metavar="DATE", callback=_day,
              help="The day the snapshot was published (YYYY-MM-DD): the date it is compared at, and every "
                   "action's published_on.")
@click.option("--dry-run", is_flag=True, help="Show what would be recorded; store nothing.")
@db_option
def screening_list(file: Path, *, day: date, dry_run: bool) -> None:
    """Import a Consolidated Screening List snapshot (trade.gov JSON, or its CSV) as published on DATE.

    The lists it covers are the sources it contains (docs/importers.md). Compared with the ledger as of DATE,
    published by DATE: new parties are listed, changed names, aliases, addresses or licence terms amended, parties
    gone from a covered list delisted. Importing the same snapshot again adds nothing; a snapshot older than one
    already imported for a list it covers is refused.
    """
    with ledger_stores(write=imports.WRITES) as stores:
        with StepBars(lambda _step: f"comparing {file.name}", PROGRESS_FROM) as bars:
            done = imports.import_screening_list(stores, file, day, dry_run=dry_run, progress=bars)
        for refusal in done.refusals:
            click.echo(error_line(refusal), err=True)
        if done.imported_before:
            before = f"{file}: this snapshot as published {day} was imported before; nothing to do"
            click.echo(one_line(before), err=True)
        elif done.preview is not None:
            click.echo(done.preview)
        for line in done.lists:
            click.echo(line)
    finish_import(done)
