"""The `report` commands: a change log, a snapshot, a party dossier and a replay, as HTML, Markdown or JSON.

Every report takes the as-of axes (`--published-by`, `--known-at`, `--min-reliability`) and states them with the
regledger version, the command, when it was produced and from which ledger. Dates are parsed as `as-of`, `diff`
and `history` parse them (`cli_query`); errors are InputError, reported in one line with exit status 1.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from regledger.adapters.cli.query import _entries, _query, parse_day, parse_known_at
from regledger.adapters.errors import InputError
from regledger.adapters.render.reports.changes import changes_report
from regledger.adapters.render.reports.data import Produced, produced_now, snapshot_report
from regledger.adapters.render.reports.environment import FORMATS, render
from regledger.adapters.render.reports.party import party_report
from regledger.adapters.render.reports.replay import replay_report
from regledger.adapters.store.settings import parse_store
from regledger.domain.history import Entry
from regledger.domain.values import Reliability

__all__ = ["report_group"]

F = TypeVar("F", bound=Callable[..., Any])
_AXES = (("--published-by", "published_by"), ("--known-at", "known_at"), ("--min-reliability", "min_reliability"))


def report_options(command: F) -> F:
    """The axes, `--format`, `-o` and `--db`."""
    tiers = click.Choice([tier.value for tier in Reliability])
    for option in reversed([
        click.option("--published-by", metavar="P", help="Only what had been published by this date (YYYY-MM-DD)."),
        click.option("--known-at", metavar="T",
                     help="Only what regledger had recorded by then: RFC 3339, or a date (the end of that UTC day)."),
        click.option("--min-reliability", type=tiers, help="Only actions whose best source is this tier or stronger."),
        click.option("--format", "output", type=click.Choice(FORMATS), default="html", show_default=True,
                     help="html: one self-contained file; markdown; json."),
        click.option("-o", "--output", "out_file", type=click.Path(dir_okay=False, path_type=Path),
                     help="Write the report to FILE (UTF-8) instead of standard output."),
        click.option("--db", "db", metavar="STORE", default=None,
                     help="The ledger, as for `record` (default ./regledger.db; env REGLEDGER_DB)."),
    ]):
        command = option(command)
    return command


@click.group("report")
def report_group() -> None:
    """Reports a lawyer can file: change logs, snapshots, party dossiers and replays (HTML, Markdown or JSON)."""


@report_group.command("changes")
@click.option("--from", "start", required=True, metavar="D1", help="The window starts after this date.")
@click.option("--to", "end", required=True, metavar="D2", help="The window ends with this date.")
@report_options
@click.pass_context
def changes_command(context: click.Context, *, start: str, end: str, **options: Any) -> None:
    """The change log of the window (D1, D2]: what took effect, by list and by measure, with three dates, before →
    after, citations and tiers; a summary; changes published in the window that take effect later; corrections."""
    first, last = parse_day(start, "--from"), parse_day(end, "--to")
    if last < first:
        raise InputError(f"--to ({last}) is before --from ({first}): the window (D1, D2] must run forward")
    query = _axes_query(last, options)
    entries, produced = _load(context, ["changes", "--from", start, "--to", end], options)
    _emit(changes_report(entries, query, first, last, produced), options)


@report_group.command("snapshot")
@click.argument("day", metavar="D")
@report_options
@click.pass_context
def snapshot_command(context: click.Context, *, day: str, **options: Any) -> None:
    """The full state as of D (the `as-of` answer) as a document, its axes stated on its first lines."""
    query = _axes_query(parse_day(day, "D"), options)
    entries, produced = _load(context, ["snapshot", day], options)
    _emit(snapshot_report(entries, query, produced), options)


@report_group.command("party")
@click.argument("key", metavar="KEY")
@click.option("--as-of", "as_of", metavar="D", help="The date of the statuses shown (default: today, UTC).")
@report_options
@click.pass_context
def party_command(context: click.Context, *, key: str, as_of: str | None, **options: Any) -> None:
    """A dossier of one party (KEY: its key, a name or an alias): names and aliases, every listing with its
    timeline, the measures that name it (and how that was found), and an SVG timeline chart."""
    words = ["party", key, *(["--as-of", as_of] if as_of else [])]
    entries, produced = _load(context, words, options)
    day = parse_day(as_of, "--as-of") if as_of else produced.moment.date()
    _emit(party_report(entries, key, _axes_query(day, options), produced), options)


@report_group.command("replay")
@click.option("--until", metavar="T", help="Only records stored by T: RFC 3339, or a date (the end of that UTC day).")
@report_options
@click.pass_context
def replay_command(context: click.Context, *, until: str | None, **options: Any) -> None:
    """The ledger as it was recorded, in recording order up to T: each action with its recorded_at and the state
    change it caused, as of its own effective date."""
    cut = parse_known_at(until) if until else None
    query = _axes_query(produced_now().date(), options)
    entries, produced = _load(context, ["replay", *(["--until", until] if until else [])], options)
    _emit(replay_report(entries, query, cut, produced), options)


def _axes_query(day: Any, options: dict[str, Any]) -> Any:
    return _query(day, options["published_by"], options["known_at"], options["min_reliability"])


def _load(context: click.Context, words: list[str], options: dict[str, Any]) -> tuple[list[Entry], Produced]:
    """The ledger's entries, and the circumstances of the report: its command line, ledger and moment."""
    db = options["db"] or (context.obj or {}).get("db")
    given = [part for flag, name in _AXES if options[name] for part in (flag, options[name])]
    command = shlex.join(["regledger", "report", *words, *given, "--format", options["output"]])
    produced = Produced(command, parse_store(db).display, produced_now())
    return _entries(context, options["db"]), produced


def _emit(report: dict[str, Any], options: dict[str, Any]) -> None:
    text = render(report, options["output"])
    path: Path | None = options["out_file"]
    if path is None:
        click.echo(text, nl=False)
        return
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as error:
        raise InputError(f"-o: cannot write {path}: {error.strerror or error}") from None
    click.echo(f"wrote the {report['report']} report ({options['output']}) to {path}", err=True)
