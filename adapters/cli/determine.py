"""`regledger determine FILE`: does each shipment the file describes need a licence on its date, and under which
rule? A cited determination per transaction, as a text memo or JSON (docs/determination.md); `--assume FILE` and
`--assume-adopted MEASURE_KEY` answer what-ifs without recording anything."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import click

from regledger.adapters.cli.groups import cli
from regledger.adapters.cli.options import AxisOptions, Command, axis_options, db_option, ledger_stores, parse_day
from regledger.adapters.render.determination_json import determinations_json
from regledger.adapters.render.determination_text import determinations_text
from regledger.adapters.services import determination
from regledger.adapters.services.recording import read_actions

__all__ = ["determine_command", "transaction_options"]


def transaction_options(product: str) -> Callable[[Command], Command]:
    """FILE, `--on D`, `--assume FILE` and `--assume-adopted MEASURE_KEY`, declared once for `determine` and
    `report determination`; `product` names what the what-if is overlaid for ("answer", "report")."""
    def apply(command: Command) -> Command:
        command = click.option(
            "--assume-adopted", "assume_adopted", metavar="MEASURE_KEY", multiple=True,
            help="Treat this drafted, proposed, announced or withdrawn measure as adopted on its last terms from "
                 "each transaction's date.")(command)
        command = click.option(
            "--assume", "assume", metavar="FILE", multiple=True, type=click.Path(path_type=Path, dir_okay=False),
            help=f"A timeline file of hypothetical actions, overlaid for this {product} only (nothing is "
                 "recorded).")(command)
        command = click.option("--on", "on", metavar="D",
                               help="The date of transactions that give none (YYYY-MM-DD).")(command)
        return click.argument("file", metavar="FILE", type=click.Path(path_type=Path, dir_okay=False))(command)
    return apply


@cli.command("determine")
@transaction_options("answer")
@axis_options()
@db_option
def determine_command(file: Path, on: str | None, assume: tuple[Path, ...], assume_adopted: tuple[str, ...],
                      axes: AxisOptions) -> None:
    """Whether each transaction in FILE needs a licence on its date: not subject to the EAR, no licence required,
    authorized (a general authorization named), licence required (with the review policy) or cannot determine
    (naming the missing fact), with every step, what it read in the ledger, and its citations."""
    day = parse_day(on, "--on") if on is not None else None
    parsed = axes.parsed()
    transactions, single = determination.read_transactions(file, day)
    assumed = read_actions(list(assume)) if assume else []
    with ledger_stores(write=determination.WRITES) as stores:
        found = determination.determine_all(stores, transactions, parsed, on=day, assume=assumed,
                                            assume_adopted=assume_adopted, single=single)
    if axes.format == "json":
        click.echo(json.dumps(determinations_json(found.answers, single=found.single), indent=2, ensure_ascii=False))
    else:
        click.echo(determinations_text(found.answers, single=found.single))
