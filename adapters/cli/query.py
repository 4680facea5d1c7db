"""The query commands: `as-of`, `diff` and `history`, as text memos or JSON.

Dates are YYYY-MM-DD; `--known-at` is an RFC 3339 timestamp or a date meaning the end of that UTC day. Bad values
(an impossible date, a window that ends before it starts, an unknown list, party or subject) raise InputError, which
the command line reports in one line with exit status 1.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import click

from regledger.adapters.cli.groups import cli
from regledger.adapters.cli.options import (
    AxisOptions,
    axis_options,
    db_option,
    in_our_words,
    ledger_stores,
    parse_day,
    selection_options,
    text_citation_style,
    text_style,
    window,
)
from regledger.adapters.render.answers_json import diff_json, history_json, state_json
from regledger.adapters.render.answers_text import diff_text, history_text, state_text
from regledger.adapters.services import Selection, queries

__all__ = ["as_of", "diff_command", "history_command"]

def _emit(output: str, as_json: Callable[[], dict[str, Any]], as_text: Callable[[], str]) -> None:
    if output == "json":
        click.echo(json.dumps(as_json(), indent=2, ensure_ascii=False))
        return
    with text_style():
        click.echo(as_text())


@cli.command("as-of")
@click.argument("day", metavar="D")
@selection_options
@axis_options()
@text_citation_style
@db_option
def as_of(day: str, selection: Selection, axes: AxisOptions) -> None:
    """The rules as of D: list entries, measures by status, meetings and positions, each with its sources.

    D is the legal-effect date (YYYY-MM-DD). --published-by and --known-at replay what the public record showed
    and what regledger had recorded at the time.
    """
    on = parse_day(day, "D")
    query = axes.parsed().on(on)
    with ledger_stores(write=queries.WRITES) as stores, in_our_words():
        selected = queries.as_of(stores, query, selection)
    _emit(axes.format, lambda: state_json(selected.answer, selected.list_key, selected.party, selected.matches),
          lambda: state_text(selected.answer, selected.list_key, selected.party, selected.matches))


@cli.command("diff")
@click.argument("start", metavar="D1")
@click.argument("end", metavar="D2")
@selection_options
@axis_options()
@text_citation_style
@db_option
def diff_command(start: str, end: str, selection: Selection, axes: AxisOptions) -> None:
    """What changed after D1 through D2: actions that took effect, entries added, amended and removed, measures
    whose status changed, meetings and positions, each before → after with its sources."""
    span = window(parse_day(start, "D1"), parse_day(end, "D2"), ("D1", "D2"))
    parsed = axes.parsed()
    with ledger_stores(write=queries.WRITES) as stores, in_our_words():
        selected = queries.diff(stores, span, parsed, selection)
    _emit(axes.format, lambda: diff_json(selected.answer, selected.list_key, selected.party, selected.matches),
          lambda: diff_text(selected.answer, selected.list_key, selected.party, selected.matches))


@cli.command("history")
@click.argument("subject", metavar="SUBJECT")
@axis_options()
@text_citation_style
@db_option
def history_command(subject: str, axes: AxisOptions) -> None:
    """The timeline of SUBJECT in legal-effect order, with each action's three dates and what each correction
    changed. SUBJECT: a party (key, name or alias: all its listings), LIST/PARTY, a measure or meeting key, or
    ACTOR/SUBJECT for a position."""
    parsed = axes.parsed()
    with ledger_stores(write=queries.WRITES) as stores, in_our_words():
        result = queries.history(stores, subject, parsed)
    _emit(axes.format, lambda: history_json(result), lambda: history_text(result))
