"""`regledger screen`: counterparties (one by `--name`, or a CSV FILE) screened against every name and alias of
every listed party, each match with the party's status on each list on the row's date (docs/screening.md).

A file with bad rows is refused whole: every problem of every bad row is listed in the output (text: one line
each, `FILE: row N: COLUMN: problem`; JSON: `bad_rows`; CSV: row,column,problem), and the error is one line on
standard error, exit status 1. With `--skip-bad-rows` the good rows are screened and the bad ones reported in the
output.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from regledger.adapters.cli.groups import cli, report_group
from regledger.adapters.cli.options import (
    AxisOptions,
    axis_options,
    db_option,
    format_option,
    in_our_words,
    ledger_stores,
    parse_day,
    text_citation_style,
    text_style,
    write_output,
)
from regledger.adapters.cli.reports import FORMAT_HELP, LEGEND_KEY, emit_document, legend_option, refuse_terminal
from regledger.adapters.errors import InputError
from regledger.adapters.importers.counterparties import BadRowsError, one_counterparty, read_counterparties
from regledger.adapters.render.documents import (
    DOCUMENT_FORMATS,
    document,
    legend_html,
    legend_markdown,
)
from regledger.adapters.render.log_format import rfc3339
from regledger.adapters.render.screening_certificate import certificate_html, certificate_markdown, certificate_masthead
from regledger.adapters.render.screening_csv import bad_rows_csv, screening_csv
from regledger.adapters.render.screening_json import bad_rows_json, screening_json
from regledger.adapters.render.screening_text import bad_rows_text, screening_text
from regledger.adapters.safe_text import safe_text
from regledger.adapters.services import checkpoints, screening, screening_runs
from regledger.projections.matching import DEFAULT_REVIEW, DEFAULT_THRESHOLD
from regledger.projections.screening import BadRow, CounterpartyRow, Screening, ScreenOptions

__all__ = ["replay_command", "screen_command", "screening_report_command", "screenings_group"]


@cli.command("screen")
@click.argument("file", required=False, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--name", metavar="NAME", help="One counterparty's name (instead of FILE).")
@click.option("--country", metavar="CC", help="Its country, ISO 3166 alpha-2 (with --name): evidence, never a filter.")
@click.option("--address", metavar="TEXT", help="Its address (with --name): evidence, never a filter.")
@click.option("--on", "on", metavar="D", help="The date for rows without their own (YYYY-MM-DD; default: today, UTC).")
@click.option("--list", "list_key", metavar="LIST", help="Only this list (e.g. us-bis-entity-list).")
@click.option("--threshold", type=float, metavar="X",
              help=f"A match at or above this score (0 to 1; default {DEFAULT_THRESHOLD}).")
@click.option("--review-threshold", type=float, metavar="Y",
              help=f"A possible match at or above this score (0 to 1; default {DEFAULT_REVIEW}).")
@click.option("-o", "--output", "out_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the output to this file instead of standard output.")
@click.option("--skip-bad-rows", is_flag=True, help="Screen a file's good rows and report its bad ones in the output.")
@click.option("--record", is_flag=True,
              help="Store the run in the ledger as evidence (its run id in the output; `regledger screenings`).")
@axis_options(("text", "json", "csv"), "text", "text: a memo; json (docs/screening.md); csv: one line per match.")
@text_citation_style
@db_option
def screen_command(file: Path | None, *, name: str | None, country: str | None, address: str | None,
                   on: str | None, list_key: str | None, threshold: float | None, review_threshold: float | None,
                   out_file: Path | None, skip_bad_rows: bool, record: bool, axes: AxisOptions) -> None:
    """Screen counterparties against the lists as they stood on a date: FILE (CSV: name; optional id, country,
    address, date) or --name.

    Each row is matched against every name and alias of every party; each match shows the party's status on each
    list on the row's date (its own `date`, else --on) and whether that was public by then. The decision: match,
    possible (for review) or clear.
    """
    if (file is None) == (name is None):
        raise InputError("give either FILE (a CSV of counterparties) or --name, not both" if file else
                         "give FILE (a CSV of counterparties) or --name NAME")
    if file is not None and (country or address):
        raise InputError("--country and --address go with --name; a file gives them in its columns")
    day = parse_day(on, "--on") if on is not None else None
    parsed = axes.parsed()
    options = ScreenOptions(on=day, published_by=parsed.published_by, known_at=parsed.known_at,
                            min_reliability=parsed.min_reliability, list_key=list_key, threshold=threshold,
                            review_threshold=review_threshold)
    _thresholds(options)
    rows, bad = _rows(file, name, country, address)
    if bad and not skip_bad_rows:
        assert file is not None
        _write(_bad_report(str(file), bad, axes.format), out_file, None)
        raise BadRowsError(file, bad)
    document: dict[str, Any] | None = None
    with ledger_stores(write=screening_runs.WRITES_RECORD if record else screening.WRITES) as stores, in_our_words():
        if record:
            result, document = screening_runs.record(stores, rows, options, bad)
        else:
            result = screening.screen(stores, rows, options, bad)
    count = len(result.rows)
    _write(_rendered(result, axes.format, document), out_file, f"screened {count} row{'' if count == 1 else 's'}")
    if document is not None:
        click.echo(f"recorded screening run {document['run_id']} (`regledger screenings replay "
                   f"{document['run_id']}`)", err=True)


def _thresholds(options: ScreenOptions) -> None:
    threshold = DEFAULT_THRESHOLD if options.threshold is None else options.threshold
    review = DEFAULT_REVIEW if options.review_threshold is None else options.review_threshold
    for flag, value in (("--threshold", threshold), ("--review-threshold", review)):
        if not 0.0 <= value <= 1.0:
            raise InputError(f"{flag}: {value} is not between 0 and 1 (scores run from 0 to 1)")
    if review > threshold:
        raise InputError(f"--review-threshold ({review}) is above --threshold ({threshold}): a possible match "
                         "scores between them, so the review threshold must be the lower")


def _rows(file: Path | None, name: str | None, country: str | None,
          address: str | None) -> tuple[list[CounterpartyRow], tuple[BadRow, ...]]:
    if file is None:
        return [one_counterparty(name or "", country, address)], ()
    read = read_counterparties(file)
    return list(read.rows), read.bad


def _bad_report(where: str, bad: tuple[BadRow, ...], output: str) -> str:
    if output == "json":
        return json.dumps({"bad_rows": bad_rows_json(bad)}, indent=2, ensure_ascii=False) + "\n"
    if output == "csv":
        return bad_rows_csv(bad)
    return bad_rows_text(where, bad) + "\n"


def _rendered(result: Screening, output: str, document: dict[str, Any] | None = None) -> str:
    if output == "json":
        return json.dumps(document or screening_json(result), indent=2, ensure_ascii=False) + "\n"
    if output == "csv":
        return screening_csv(result)
    with text_style():
        return screening_text(result) + "\n"


def _write(text: str, path: Path | None, done: str | None) -> None:
    write_output(text, path, None if done is None else lambda to: f"{done}; wrote the output to {to}")


@cli.group("screenings", invoke_without_command=True)
@format_option(("text", "json"), "text", "text: one line per run; json: a list of runs.")
@db_option
@click.pass_context
def screenings_group(context: click.Context, output: str) -> None:
    """The recorded screening runs (`screen --record`): run id, when, rows, decisions, the ledger's head; and
    `screenings replay RUN_ID`."""
    if context.invoked_subcommand is not None:
        return
    with ledger_stores(write=screening_runs.WRITES) as stores:
        found = screening_runs.runs(stores)
    if output == "json":
        click.echo(json.dumps([_run_json(run) for run in found], indent=2, ensure_ascii=False))
        return
    if not found:
        click.echo("no screening runs recorded (`regledger screen --record` records one)")
    for run in found:
        decisions = ", ".join(f"{n} {d}" for d, n in sorted(run.decisions.items()))
        click.echo(safe_text(f"{run.run_id}  {rfc3339(run.recorded_at)}  {len(run.rows)} row"
                             f"{'' if len(run.rows) == 1 else 's'} ({decisions or 'none screened'})  ledger "
                             f"{run.ledger_size} events, head {run.ledger_head or '(no chain)'}"))


def _run_json(run: screening_runs.RecordedRun) -> dict[str, Any]:
    return {"run_id": run.run_id, "recorded_at": rfc3339(run.recorded_at), "rows": len(run.rows),
            "decisions": run.decisions, "matcher_version": run.matcher_version,
            "ledger": {"size": run.ledger_size, "head": run.ledger_head}}


@screenings_group.command("replay")
@click.argument("run_id", metavar="RUN_ID")
@click.option("--now", is_flag=True, help="Against the ledger as it stands today, not as it stood at the run's head.")
@format_option(("text", "json"), "text", "text: a memo; json: the rows that differ and why.")
@db_option
def replay_command(run_id: str, now: bool, output: str) -> None:
    """Screen a recorded run's rows again with its options, against the ledger as it stood at the run's head (or,
    with --now, as it stands today), and show each row whose results differ, and why."""
    with ledger_stores(write=screening_runs.WRITES) as stores, in_our_words():
        replayed = screening_runs.replay(stores, run_id, now=now)
    if output == "json":
        click.echo(json.dumps(_replay_json(replayed), indent=2, ensure_ascii=False))
        return
    for line in _replay_text(replayed):
        click.echo(safe_text(line))


def _against(replayed: screening_runs.Replay) -> str:
    run = replayed.run
    if replayed.against == "now":
        return "the ledger as it stands now"
    return (f"the ledger as it stood at the run's head ({run.ledger_size} events, head "
            f"{run.ledger_head or '(no chain)'}; known at {rfc3339(replayed.known_at) if replayed.known_at else '-'})")


def _matcher_note(replayed: screening_runs.Replay) -> str | None:
    if not replayed.matcher_changed:
        return None
    return (f"the matcher's version differs: {replayed.run.matcher_version} when recorded, "
            f"{replayed.matcher_version} now; scores can differ for that reason alone")


def _replay_text(replayed: screening_runs.Replay) -> list[str]:
    run = replayed.run
    lines = [f"screening run {run.run_id}, recorded {rfc3339(run.recorded_at)}, {len(run.rows)} row"
             f"{'' if len(run.rows) == 1 else 's'}", f"replayed against {_against(replayed)}"]
    note = _matcher_note(replayed)
    if note:
        lines.append(f"note: {note}")
    if not replayed.differences:
        lines.append("no difference: every row's results are the same as recorded")
    for difference in replayed.differences:
        ident = f" (id {difference.id})" if difference.id else ""
        lines.append(f"row {difference.row}{ident}: {difference.name}")
        lines.extend(f"  {change}" for change in difference.changes)
        if difference.actions:
            lines.append(f"  because of: {', '.join(difference.actions)} (recorded since the run's head)")
        elif replayed.matcher_changed:
            lines.append("  because of: the matcher's version differs")
        else:
            lines.append("  because of: no action recorded since the run's head touches its parties")
    return lines


def _replay_json(replayed: screening_runs.Replay) -> dict[str, Any]:
    run = replayed.run
    return {
        "run_id": run.run_id, "recorded_at": rfc3339(run.recorded_at), "against": replayed.against,
        "known_at": rfc3339(replayed.known_at) if replayed.known_at else None,
        "matcher": {"recorded": run.matcher_version, "now": replayed.matcher_version,
                    "changed": replayed.matcher_changed},
        "ledger": {"size": run.ledger_size, "head": run.ledger_head},
        "same": not replayed.differences,
        "differences": [{"row": d.row, "id": d.id, "name": d.name, "changes": list(d.changes),
                         "actions": list(d.actions)} for d in replayed.differences],
    }


@report_group.command("screening")
@click.argument("run_id", metavar="RUN_ID")
@format_option(("html", "markdown", "json", *DOCUMENT_FORMATS), "html", FORMAT_HELP)
@legend_option
@click.option("--key", "key_path", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Sign the certificate with this checkpoint private key (a PEM file written by `keygen`).")
@click.option("-o", "--output", "out_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the certificate to FILE (UTF-8; pdf and docx: binary) instead of standard output.")
@db_option
def screening_report_command(run_id: str, output: str, key_path: Path | None, out_file: Path | None) -> None:
    """The certificate of a recorded screening run: each row, its decision and evidence, the list citations, the
    axes, the ledger's head (and whether the chain still holds it), and with --key a signature."""
    legend = click.get_current_context().meta.get(LEGEND_KEY)
    if output in DOCUMENT_FORMATS:
        refuse_terminal(output, out_file)
    if legend and key_path and output == "json":
        raise InputError("--legend: a signed certificate's JSON cannot carry a legend its signature does not cover; "
                         "sign it without one, or give --format html, markdown, pdf or docx")
    key = checkpoints.read_private_key(key_path) if key_path else None
    with ledger_stores(write=screening_runs.WRITES) as stores:
        certificate = screening_runs.certificate(stores, run_id, key)
    said = "wrote the screening certificate to {}".format
    if output in DOCUMENT_FORMATS:
        html = legend_html(certificate_html(certificate), legend)
        emit_document(document(html, output, certificate_masthead(certificate, legend)), output, out_file, said)
        return
    if output == "json":
        text = json.dumps({**certificate, "legend": legend} if legend else certificate, indent=2,
                          ensure_ascii=False) + "\n"
    elif output == "html":
        text = legend_html(certificate_html(certificate), legend)
    else:
        text = legend_markdown(certificate_markdown(certificate), legend)
    write_output(text, out_file, said)
