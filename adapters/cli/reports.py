"""The `report` commands: a change log, a snapshot, a party dossier and a replay, as HTML, Markdown, JSON, PDF or
Word (docx).

Every report takes the as-of axes (`--published-by`, `--known-at`, `--min-reliability`) and states them with the
regledger version, the command, when it was produced and from which ledger; `--legend TEXT` prints a legend at its
top and bottom (in PDF and Word on every page). PDF and Word are binary: `-o FILE` writes them, and standard output
takes them only when it is not a terminal. Dates are parsed as `as-of`, `diff`
and `history` parse them; errors are InputError, reported in one line with exit status 1.
"""

from __future__ import annotations

import shlex
import sys
from collections.abc import Callable
from pathlib import Path

import click

from regledger.adapters.cli.determine import transaction_options
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
from regledger.adapters.errors import InputError
from regledger.adapters.render.citations import STYLES
from regledger.adapters.render.reports.environment import DOCUMENT_FORMATS, FORMATS, render, render_document
from regledger.adapters.safe_text import safe_text
from regledger.adapters.services import determination, reports
from regledger.adapters.services.recording import read_actions

__all__ = ["FORMAT_HELP", "LEGEND_KEY", "changes_command", "determination_command", "emit_document",
           "knowledge_command", "legend_option", "party_command", "refuse_terminal", "replay_command",
           "snapshot_command"]

_STYLE = "regledger.citation_style"  # the click context's meta key for --citation-style
LEGEND_KEY = "regledger.legend"  # the click context's meta key for --legend
FORMAT_HELP = ("html: one self-contained file; markdown; json; pdf or docx: a document to print or edit (binary: "
               "-o FILE, or standard output when it is not a terminal).")


def report_options(command: Command) -> Command:
    """The axes, `--format` (html, markdown or json), `-o` and `--db`."""
    command = db_option(command)
    command = click.option("-o", "--output", "out_file", type=click.Path(dir_okay=False, path_type=Path),
                           help="Write the report to FILE (UTF-8; pdf and docx: binary) instead of standard "
                                "output.")(command)
    command = citation_style_option(command)
    command = legend_option(command)
    return axis_options(FORMATS, "html", FORMAT_HELP)(command)


def legend_option(command: Command) -> Command:
    """`--legend TEXT`: printed at the top and bottom of a report, on every page of a document; kept on the click
    context for `_asked` and `_emit`, like `--citation-style`."""
    def keep(ctx: click.Context, _: click.Parameter, value: str | None) -> str | None:
        if value:
            ctx.meta[LEGEND_KEY] = value
        return value

    return click.option("--legend", metavar="TEXT", expose_value=False, callback=keep,
                        help='A legend at the top and bottom, and on every page of a PDF or Word document, e.g. '
                             '"Privileged & Confidential — Attorney Work Product"; JSON gains a `legend` '
                             "key.")(command)


def citation_style_option(command: Command) -> Command:
    """`--citation-style plain|bluebook` (default bluebook): how the report writes its sources; kept on the click
    context for `_asked` and `_emit`, so that no command needs a parameter for it."""
    def keep(ctx: click.Context, _: click.Parameter, value: str | None) -> str | None:
        if value is not None:
            ctx.meta[_STYLE] = value
        return value

    return click.option("--citation-style", type=click.Choice(STYLES), default=None, expose_value=False,
                        callback=keep, is_eager=False,
                        help="bluebook (the default): sources as a legal memo cites them, e.g. "
                             "'84 Fed. Reg. 22,961 (May 21, 2019)'; plain: their citation as recorded.")(command)


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


@report_group.command("knowledge")
@click.argument("day", metavar="D")
@report_options
def knowledge_command(day: str, axes: AxisOptions, out_file: Path | None) -> None:
    """The rules in force on D beside what the public record showed on D (public inspection and agency
    announcements count from their own day; --published-by P moves that cut): in force with no source public yet
    (retroactive effect), public but not in force (announced, pending), and agreed, each with citations and dates;
    with --known-at T, also what regledger had recorded by T."""
    query = axes.parsed().on(parse_day(day, "D"))
    with ledger_stores(write=reports.WRITES) as stores:
        report = reports.knowledge(stores, query, _asked(["knowledge", day], axes))
    _emit(report, axes.format, out_file)


@report_group.command("determination")
@transaction_options("report")
@report_options
def determination_command(file: Path, *, on: str | None, assume: tuple[Path, ...], assume_adopted: tuple[str, ...],
                          axes: AxisOptions, out_file: Path | None) -> None:
    """`regledger determine FILE` as a memo to file: for each shipment, the determination, the review policy,
    warnings and assumptions, every step with its basis, what it read in the ledger, its CFR places and citations,
    the gaps, and what was not evaluated (JSON: the determine JSON inside the report's header)."""
    day = parse_day(on, "--on") if on is not None else None
    parsed = axes.parsed()
    transactions, single = determination.read_transactions(file, day)
    assumed = read_actions(list(assume)) if assume else []
    words = ["determination", str(file), *(["--on", on] if on is not None else []),
             *(w for a in assume for w in ("--assume", str(a))), *(w for k in assume_adopted
                                                                   for w in ("--assume-adopted", k))]
    with ledger_stores(write=reports.WRITES) as stores:
        report = reports.determination(stores, transactions, parsed, _asked(words, axes), on=day, single=single,
                                       assume=assumed, assume_adopted=assume_adopted)
    _emit(report, axes.format, out_file)


def _asked(words: list[str], axes: AxisOptions) -> str:
    """The command line that asked for the report, as the report states it."""
    style = click.get_current_context().meta.get(_STYLE)
    given = ["--citation-style", style] if style else []
    legend = click.get_current_context().meta.get(LEGEND_KEY)
    given += ["--legend", legend] if legend else []
    return shlex.join(["regledger", "report", *words, *axes.given(), *given, "--format", axes.format])


def _emit(report: reports.Report, output: str, path: Path | None) -> None:
    style = click.get_current_context().meta.get(_STYLE)
    if style is not None:
        report = reports.Report({**report.data, "citation_style": style}, report.produced)
    legend = click.get_current_context().meta.get(LEGEND_KEY)
    said = f"wrote the {report.kind} report ({output}) to {{}}".format
    if output in DOCUMENT_FORMATS:
        refuse_terminal(output, path)
        emit_document(render_document(report.data, output, legend), output, path, said)
    else:
        write_output(render(report.data, output, legend), path, said)


def refuse_terminal(output: str, path: Path | None) -> None:
    """InputError when a binary document would go to a terminal: checked before the document is made."""
    if path is None and sys.stdout.isatty():
        raise InputError(f"--format {output}: the document is binary: give -o FILE, or redirect standard output "
                         "to a file or pipe")


def emit_document(data: bytes, output: str, path: Path | None, said: Callable[[Path], str]) -> None:
    """A binary document into `path`, or on standard output when that is not a terminal (InputError when it is)."""
    if path is None:
        refuse_terminal(output, path)
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    try:
        path.write_bytes(data)
    except OSError as error:
        raise InputError(f"-o: cannot write {path}: {error.strerror or error}") from None
    click.echo(safe_text(said(path)), err=True)
