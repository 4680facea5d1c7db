"""`regledger import federal-register`: Federal Register documents become actions. Each file is one transaction: a
bad file is refused whole (its message names the file, the record and the field) while the other files are still
imported; the exit status is 1 when any file was refused. (`import screening-list` lives in `screening`.)"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click

from regledger.adapters.cli.groups import import_group
from regledger.adapters.cli.options import db_option, error_line, ledger_stores
from regledger.adapters.cli.progress import StepBars
from regledger.adapters.errors import InputError, one_line
from regledger.adapters.services import imports
from regledger.domain.values import check_key

__all__ = ["PROGRESS_FROM", "federal_register", "finish_import"]

PROGRESS_FROM = 20  # show a progress bar from this many documents or entries on


@import_group.command("federal-register")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--measure", "measure", metavar="KEY", help="Link every document to this measure (it then amends it).")
@click.option("--mapping", "mapping", type=click.Path(path_type=Path, dir_okay=False), metavar="FILE",
              help="YAML/JSON mapping from document number or RIN to a measure key.")
@click.option("--dry-run", is_flag=True, help="Show what would be recorded; store nothing.")
@db_option
def federal_register(files: tuple[Path, ...], *, measure: str | None, mapping: Path | None, dry_run: bool) -> None:
    """Import Federal Register API documents (JSON: one document, a list, or a search result with `results`).

    Rules and presidential documents become measures adopted, proposed rules measures proposed with their comment
    period, notices with a comment period comment periods opened, correction documents corrections. Each document
    is its own measure (key fr-DOCUMENT_NUMBER) unless --measure or --mapping links it to one.
    """
    links = imports.read_links(mapping) if mapping else {}
    options = imports.FederalRegisterOptions(_measure_key(measure), links, dry_run)
    with ledger_stores(write=imports.WRITES) as stores:
        run = imports.FederalRegisterRun(stores, options)
        for path in files:
            with StepBars(_reading(path), PROGRESS_FROM) as bars:
                refusal = run.add(path, bars)
            if refusal is not None:
                click.echo(error_line(refusal), err=True)
        done = run.finish()
        if done.preview is not None:
            click.echo(done.preview)
        for line in done.not_recorded:
            click.echo(one_line(f"not recorded: {line}"), err=True)
    finish_import(done)


def _measure_key(value: str | None) -> str | None:
    """`--measure KEY`, a measure key; InputError naming the option otherwise."""
    if value is None:
        return None
    try:
        return check_key(value)
    except ValueError as error:
        raise InputError(f"--measure: {error}") from None


def _reading(path: Path) -> Callable[[str], str]:
    """The label of the bar while `path`'s documents are read."""
    return lambda _step: f"reading {path.name}"


def finish_import(done: imports.Imported) -> None:
    """The last line of an import: what was (or would be) recorded, skipped and refused; exit 1 on any refusal."""
    verb = "would record" if done.dry_run else "recorded"
    click.echo(f"{verb} {done.recorded} action(s); skipped {done.skipped} as known; refused {done.refused} file(s)")
    if done.refused:
        raise click.exceptions.Exit(1)
