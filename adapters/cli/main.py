"""The `regledger` command line: thin over the ledger application.

Errors become one message on standard error and exit status 1; a wrong command line exits 2 (click's usage
errors). Every command accepts `--db` (a path, `sqlite:///…`, or `postgresql://…`), before or after its name.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path
from typing import Any, TypeVar

import click

from regledger.adapters.errors import RegledgerError
from regledger.adapters.importers.timeline import read_timelines
from regledger.adapters.store.ledger import StoredAction
from regledger.adapters.wiring import open_ledger

__all__ = ["main"]

F = TypeVar("F", bound=Callable[..., Any])

DB_HELP = (
    "The ledger: a file path or sqlite:///PATH (default ./regledger.db), "
    "or postgresql://USER@HOST/DB[?schema=S]. Env: REGLEDGER_DB."
)


def db_option(command: F) -> F:
    """`--db` on a command; it overrides the one given before the command name."""
    return click.option("--db", "db", metavar="STORE", default=None, help=DB_HELP)(command)


def _db(context: click.Context, db: str | None) -> str | None:
    return db or context.obj.get("db")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(version("regledger"), prog_name="regledger")
@click.option("--db", "db", metavar="STORE", default=None, help=DB_HELP)
@click.pass_context
def cli(context: click.Context, db: str | None) -> None:
    """regledger: an event-sourced ledger of regulatory change.

    Record actions from timeline files, then ask what the rules were on any date, as published by any date,
    as known at any time.
    """
    context.ensure_object(dict)
    context.obj["db"] = db


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
@db_option
@click.pass_context
def record(context: click.Context, files: tuple[Path, ...], db: str | None) -> None:
    """Validate every action of FILES and store them all in one transaction, or nothing.

    Actions already recorded (same id, or same content without an id) are skipped.
    """
    located = read_timelines(list(files))
    with open_ledger(_db(context, db)) as ledger:
        result = ledger.record(located)
    when = f" at {_rfc3339(result.recorded_at)}" if result.recorded_at else ""
    retried = f" (after {result.attempts} tries: other writers were recording)" if result.attempts > 1 else ""
    click.echo(f"recorded {result.recorded} action(s){when}; skipped {result.skipped} already recorded{retried}")


@cli.command()
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text", show_default=True)
@db_option
@click.pass_context
def log(context: click.Context, output: str, db: str | None) -> None:
    """List the stored actions in recording order, with their three dates, kind, subject and citation."""
    with open_ledger(_db(context, db)) as ledger:
        stored = list(ledger.stored_actions())
    if output == "json":
        click.echo(json.dumps([_log_item(s) for s in stored], indent=2, ensure_ascii=False))
        return
    if not stored:
        click.echo("the ledger is empty")
    for item in stored:
        click.echo(_log_line(item))


def _log_item(stored: StoredAction) -> dict[str, Any]:
    data = stored.action.as_data()
    return {
        "position": stored.position,
        "id": stored.action.id,
        "kind": data.pop("kind"),
        "effective_on": data.pop("effective_on", None),
        "published_on": data.pop("published_on"),
        "recorded_at": _rfc3339(stored.recorded_at),
        **data,
    }


def _log_line(stored: StoredAction) -> str:
    action = stored.action
    effective = action.effective_on.isoformat() if action.effective_on else "-"
    best = max(action.sources, key=lambda s: s.reliability.rank)
    return (
        f"{stored.position:>6}  recorded {_rfc3339(stored.recorded_at)}  effective {effective:<10}  "
        f"published {action.published_on}  {action.kind:<21}  {subject_label(action)}  "
        f"[{best.label()}; {best.reliability.value}]"
    )


def subject_label(action: Any) -> str:
    """The subject in a few words: list/party, measure, meeting, actor on subject, or the action named."""
    kind = action.kind
    if kind in {"entity_listed", "entry_amended", "entity_delisted"}:
        return f"{action.list}/{action.party.key}"
    if kind == "position_stated":
        return f"{action.actor} on {action.subject}"
    if kind == "correction":
        return f"corrects {action.corrects}"
    if kind == "retraction":
        return f"retracts {action.retracts}"
    ref = getattr(action, "measure", None) or action.meeting
    return str(ref.key)


def _rfc3339(moment: Any) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def main() -> None:
    """Entry point: run the command line, turning our errors into a message and exit status 1."""
    try:
        status = cli.main(standalone_mode=False, prog_name="regledger")
        if isinstance(status, int) and status:  # a command ended with ctx.exit(N) / Exit(N)
            sys.exit(status)
    except click.exceptions.Exit as done:
        sys.exit(done.exit_code)
    except click.ClickException as error:
        error.show()
        sys.exit(error.exit_code)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(1)
    except RegledgerError as error:
        click.echo(f"regledger: error: {error}", err=True)
        sys.exit(1)


# The query commands live in their own module; registered last so that every command above is defined first.
from regledger.adapters.cli.query import as_of, diff_command, history_command  # noqa: E402

for _command in (as_of, diff_command, history_command):
    cli.add_command(_command)

from regledger.adapters.cli.imports import import_group  # noqa: E402

cli.add_command(import_group)

# The integrity commands (hash chain, checkpoints, bundles) live in their own module, registered the same way.
from regledger.adapters.cli.integrity import (  # noqa: E402
    checkpoint_command,
    export_command,
    keygen,
    verify_bundle_command,
    verify_command,
)

for _command in (verify_command, keygen, checkpoint_command, export_command, verify_bundle_command):
    cli.add_command(_command)

# The report commands (change logs, snapshots, party dossiers, replays) live in their own module.
from regledger.adapters.cli.reports import report_group  # noqa: E402

cli.add_command(report_group)

# The read-model commands (rebuild, project, check-views) live in their own module, registered the same way.
from regledger.adapters.cli.readmodels import check_views_command, project_command, rebuild_command  # noqa: E402

for _command in (rebuild_command, project_command, check_views_command):
    cli.add_command(_command)
