"""The `report` commands: a change log, a snapshot, a party dossier and a replay, as HTML, Markdown or JSON.

Every report takes the as-of axes (`--published-by`, `--known-at`, `--min-reliability`) and states them with the
regledger version, the command, when it was produced and from which ledger. Dates are parsed as `as-of`, `diff`
and `history` parse them; errors are InputError, reported in one line with exit status 1.
"""

from __future__ import annotations

import shlex
from pathlib import Path

import click

from regledger.adapters.cli.groups import report_group
from regledger.adapters.cli.options import (
    KNOWN_AT,
    AxisOptions,
    Command,
    axis_options,
    db_option,
    ledger_stores,
    parse_day,
    parse_moment,
    window,
    write_output,
)
from regledger.adapters.render.reports.environment import FORMATS, render
from regledger.adapters.services import reports

__all__ = ["changes_command", "party_command", "replay_command", "snapshot_command"]


def report_options(command: Command) -> Command:
    """The axes, `--format` (html, markdown or json), `-o` and `--db`."""
    command = db_option(command)
    command = click.option("-o", "--output", "out_file", type=click.Path(dir_okay=False, path_type=Path),
                           help="Write the report to FILE (UTF-8) instead of standard output.")(command)
    return axis_options(FORMATS, "html", "html: one self-contained file; markdown; json.")(command)


@report_group.command("changes")
@click.option("--from", "start", required=True, metavar="D1", help="The window starts after this date.")
@click.option("--to", "end", required=True, metavar="D2", help="The window ends with this date.")
@report_options
def changes_command(start: str, end: str, axes: AxisOptions, out_file: Path | None) -> None:
    """The change log of the window (D1, D2]: what took effect, by list and by measure, with three dates, before →
    after, citations and tiers; a summary; changes published in the window that take effect later; corrections."""
    span = window(parse_day(start, "--from"), parse_day(end, "--to"), ("--from", "--to"))
    parsed = axes.parsed()
    with ledger_stores(write=reports.WRITES) as stores:
        report = reports.changes(stores, span, parsed, _asked(["changes", "--from", start, "--to", end], axes))
    _emit(report, axes.format, out_file)


@report_group.command("snapshot")
@click.argument("day", metavar="D")
@report_options
def snapshot_command(day: str, axes: AxisOptions, out_file: Path | None) -> None:
    """The full state as of D (the `as-of` answer) as a document, its axes stated on its first lines."""
    on = parse_day(day, "D")
    query = axes.parsed().on(on)
    with ledger_stores(write=reports.WRITES) as stores:
        report = reports.snapshot(stores, query, _asked(["snapshot", day], axes))
    _emit(report, axes.format, out_file)


@report_group.command("party")
@click.argument("key", metavar="KEY")
@click.option("--as-of", "as_of", metavar="D", help="The date of the statuses shown (default: today, UTC).")
@report_options
def party_command(key: str, as_of: str | None, axes: AxisOptions, out_file: Path | None) -> None:
    """A dossier of one party (KEY: its key, a name or an alias): names and aliases, every listing with its
    timeline, the measures that name it (and how that was found), and an SVG timeline chart."""
    day = parse_day(as_of, "--as-of") if as_of else None
    parsed = axes.parsed()
    asked = _asked(["party", key, *(["--as-of", as_of] if as_of else [])], axes)
    with ledger_stores(write=reports.WRITES) as stores:
        report = reports.party(stores, key, parsed, day, asked)
    _emit(report, axes.format, out_file)


@report_group.command("replay")
@click.option("--until", metavar="T", help="Only records stored by T: RFC 3339, or a date (the end of that UTC day).")
@report_options
def replay_command(until: str | None, axes: AxisOptions, out_file: Path | None) -> None:
    """The ledger as it was recorded, in recording order up to T: each action with its recorded_at and the state
    change it caused, as of its own effective date."""
    cut = parse_moment(until, KNOWN_AT) if until else None  # its errors have always named --known-at
    parsed = axes.parsed()
    with ledger_stores(write=reports.WRITES) as stores:
        report = reports.replay(stores, parsed, cut, _asked(["replay", *(["--until", until] if until else [])], axes))
    _emit(report, axes.format, out_file)


def _asked(words: list[str], axes: AxisOptions) -> str:
    """The command line that asked for the report, as the report states it."""
    return shlex.join(["regledger", "report", *words, *axes.given(), "--format", axes.format])


def _emit(report: reports.Report, output: str, path: Path | None) -> None:
    write_output(render(report.data, output), path, lambda to: f"wrote the {report.kind} report ({output}) to {to}")
