"""`regledger import …`: public sources become actions. Each file is one transaction: a bad file is refused whole
(its message names the file, the record and the field) while the other files are still imported; the exit status
is 1 when any file was refused."""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import click

from regledger.adapters.errors import RegledgerError
from regledger.adapters.importers import FederalRegisterImport, read_documents, read_links
from regledger.adapters.store.ledger import Ledger, Located
from regledger.adapters.wiring import open_ledger
from regledger.domain.measure import measure_id

__all__ = ["import_group"]

_PROGRESS_FROM = 20  # show a progress bar from this many documents on


@click.group("import")
def import_group() -> None:
    """Import Federal Register documents or screening-list snapshots as actions."""


@import_group.command("federal-register")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--measure", "measure", metavar="KEY", help="Link every document to this measure (it then amends it).")
@click.option("--mapping", "mapping", type=click.Path(path_type=Path, dir_okay=False), metavar="FILE",
              help="YAML/JSON mapping from document number or RIN to a measure key.")
@click.option("--dry-run", is_flag=True, help="Show what would be recorded; store nothing.")
@click.option("--db", "db", metavar="STORE", default=None, help="The ledger (see regledger --help).")
@click.pass_context
def federal_register(context: click.Context, files: tuple[Path, ...], *, measure: str | None,
                     mapping: Path | None, dry_run: bool, db: str | None) -> None:
    """Import Federal Register API documents (JSON: one document, a list, or a search result with `results`).

    Rules and presidential documents become measures adopted, proposed rules measures proposed with their comment
    period, notices with a comment period comment periods opened, correction documents corrections. Each document
    is its own measure (key fr-DOCUMENT_NUMBER) unless --measure or --mapping links it to one.
    """
    links = read_links(mapping) if mapping else {}
    with open_ledger(db or context.obj.get("db")) as ledger:
        importer = FederalRegisterImport(
            measure_known=lambda key: ledger.knows(measure_id(key)),
            recorded=lambda action_id: _data(ledger, action_id), measure=measure, links=links,
        )
        tally = _import_files(ledger, files, lambda path: importer.actions(_documents(path)), importer.keep, dry_run)
        for line in importer.not_applicable:
            click.echo(f"not recorded: {line}", err=True)
    _finish(tally, dry_run)


def _documents(path: Path) -> list[Any]:
    reads = read_documents(path)
    if len(reads) < _PROGRESS_FROM:
        return reads
    with click.progressbar(reads, label=f"reading {path.name}", file=sys.stderr) as bar:
        return list(bar)


def _data(ledger: Ledger, action_id: str) -> dict[str, Any] | None:
    action = ledger.find_action(action_id)
    return action.as_data() if action is not None else None


def _import_files(ledger: Ledger, files: tuple[Path, ...], convert: Callable[[Path], list[Located]],
                  keep: Callable[[bool], None], dry_run: bool) -> dict[str, int]:
    """Record each file in its own transaction. A dry run validates each file after the files accepted before it
    (as a real run would see them) and stores nothing."""
    tally = {"recorded": 0, "skipped": 0, "refused": 0}
    accepted: list[Located] = []
    for path in files:
        try:
            located = convert(path)
            before = ledger.record(accepted, dry_run=True) if dry_run and accepted else None
            result = ledger.record([*accepted, *located] if dry_run else located, dry_run=dry_run)
        except RegledgerError as error:
            click.echo(f"regledger: error: {error}", err=True)
            tally["refused"] += 1
            keep(False)
            continue
        keep(True)
        tally["recorded"] += result.recorded - (before.recorded if before else 0)
        tally["skipped"] += result.skipped - (before.skipped if before else 0)
        if dry_run:
            accepted.extend(located)
    if dry_run and accepted:
        _show(ledger, accepted)
    return tally


def _show(ledger: Ledger, located: list[Located], as_of: date | None = None, published_by: date | None = None) -> None:
    """A dry run's answer: what recording `located` would change, as `diff` shows changes."""
    from regledger.adapters.importers.preview import preview  # noqa: PLC0415 - only dry runs fold the ledger

    click.echo(preview(ledger, located, as_of, published_by))


def _finish(tally: dict[str, int], dry_run: bool) -> None:
    verb = "would record" if dry_run else "recorded"
    click.echo(f"{verb} {tally['recorded']} action(s); skipped {tally['skipped']} as known; "
               f"refused {tally['refused']} file(s)")
    if tally["refused"]:
        raise click.exceptions.Exit(1)


# The screening-list command lives in its own module and registers itself on the group above.
from regledger.adapters.cli import screening  # noqa: E402, F401
