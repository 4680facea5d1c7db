"""`regledger repair-chain`: the rows the chain does not hold, those a crash of an earlier release can have left
told apart from the others, and, with --yes, chained.

It prints what it found on standard output and exits 1 while any row remains unchained, 0 when the chain holds every
row. A label that holds anything but plain text is quoted with escapes, so that each row is one line.
"""

from __future__ import annotations

import click

from regledger.adapters.cli.groups import cli
from regledger.adapters.cli.options import db_option, ledger_stores
from regledger.adapters.errors import shown
from regledger.adapters.integrity.chain import StoredRow
from regledger.adapters.integrity.repair import Repair, Run, Tail, repair_note
from regledger.adapters.render.log_format import rfc3339
from regledger.adapters.services import repair as service

__all__ = ["repair_chain_command"]

SHOWN = 20  # rows named per list; the others are counted


def _row(row: StoredRow) -> str:
    return f"notification id {row.notification_id}: {shown(row.label())}"


def _run(run: Run) -> list[str]:
    first, last = run.rows[0].notification_id, run.rows[-1].notification_id
    ids = f"notification id {first}" if first == last else f"notification ids {first}-{last}"
    lines = [f"  {ids}: {len(run.rows)} event(s) recorded at {rfc3339(run.recorded_at)}"]
    lines += [f"    {_row(row)}" for row in run.rows[:SHOWN]]
    if len(run.rows) > SHOWN:
        lines.append(f"    and {len(run.rows) - SHOWN} more")
    return lines


def _head(tail: Tail) -> str:
    if tail.head is None:
        return "the chain is empty"
    return f"the chain ends at position {tail.head.position} (notification id {tail.head.notification_id})"


def _found(tail: Tail) -> list[str]:
    count = len(tail.chainable) + len(tail.refused)
    lines = [f"{_head(tail)}; {count} row(s) of the events table are not chained"]
    if tail.chainable:
        lines.append(f"can be chained: {len(tail.chainable)} row(s) of {len(tail.runs)} record run(s) that an earlier "
                     "release stored and was stopped before chaining:")
        for run in tail.runs:
            lines += _run(run)
    if tail.refused:
        lines.append(f"never chained: {len(tail.refused)} row(s) regledger did not write:")
        lines += [f"  {_row(refused.row)}: {refused.reason}" for refused in tail.refused[:SHOWN]]
        if len(tail.refused) > SHOWN:
            lines.append(f"  and {len(tail.refused) - SHOWN} more")
    return lines


def _done(repair: Repair, rebuilt: bool) -> list[str]:
    tail = repair.tail
    if not repair.chained:
        if not tail.chainable:
            return []
        return [f"run `regledger repair-chain --yes` to chain the {len(tail.chainable)} row(s) that can be chained"]
    first = (tail.head.position if tail.head else 0) + 1
    lines = [f"chained {repair.chained} row(s) at positions {first}-{first + repair.chained - 1}; their chain rows "
             f"say so (labels ending in {repair_note(repair.at).strip()})"]
    if rebuilt:
        lines.append("the read models were rebuilt, to take them in")
    return lines


@cli.command("repair-chain")
@click.option("--yes", "apply", is_flag=True,
              help="Chain the rows listed as chainable (never the others), noting in their chain rows that they were "
                   "chained by this repair.")
@db_option
def repair_chain_command(apply: bool) -> None:
    """List the rows of the events table that the hash chain does not hold, telling apart those a record run of an
    earlier release left unchained when it was stopped between storing and chaining them (a tail of whole record
    runs after the chain's head) from the rows regledger did not write, which are never chained. With --yes, chain
    the first. Exit status 1 while any row remains unchained, 0 when the chain holds every row."""
    with ledger_stores(write=service.WRITES) as stores:
        repaired = service.repair_chain(stores, apply=apply)
    repair = repaired.repair
    tail = repair.tail
    if not tail.chainable and not tail.refused:
        click.echo(f"nothing to repair: {_head(tail)}, and it holds every row of the events table")
        return
    for line in [*_found(tail), *_done(repair, repaired.views_rebuilt)]:
        click.echo(line)  # labels come from integrity.labels.describe: one safe line each
    if repair.unchained:
        raise click.exceptions.Exit(1)
