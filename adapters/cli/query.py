"""The query commands: `as-of`, `diff` and `history`, thin over the read models (or the reference fold, when
the read models are behind: see `query_source`).

Dates are YYYY-MM-DD; `--known-at` is an RFC 3339 timestamp or a date meaning the end of that UTC day. Bad values
(an impossible date, a window that ends before it starts, an unknown list, party or subject) raise InputError, which
the command line reports in one line with exit status 1.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time
from typing import Any, TypeVar

import click

from regledger.adapters.errors import InputError
from regledger.adapters.readmodels.source import AnswerSource, open_source
from regledger.adapters.render.answers_json import diff_json, history_json, state_json
from regledger.adapters.render.answers_text import diff_text, history_text, state_text
from regledger.adapters.wiring import open_ledger, open_stores
from regledger.domain.history import Entry
from regledger.domain.values import Reliability, parse_legal_date
from regledger.projections import PartyMatch, ProjectionError, Query

__all__ = ["as_of", "diff_command", "history_command", "parse_day", "parse_known_at"]

F = TypeVar("F", bound=Callable[..., Any])

_RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_day(value: str, name: str) -> date:
    """A YYYY-MM-DD calendar date; InputError naming the argument otherwise."""
    try:
        return parse_legal_date(value)  # type: ignore[no-any-return]
    except ValueError as error:
        raise InputError(f"{name}: {error}") from None


def parse_known_at(value: str) -> datetime:
    """An RFC 3339 timestamp (in UTC), or a date meaning the end of that UTC day."""
    text = value.strip().upper()
    if _DAY.match(text):
        return datetime.combine(parse_day(text, "--known-at"), time.max, tzinfo=UTC)
    if not _RFC3339.match(text):
        raise InputError(f"--known-at: {value!r} is not an RFC 3339 timestamp (2019-05-17T12:00:00Z) or a date "
                         "(YYYY-MM-DD, meaning the end of that UTC day)")
    try:
        return datetime.fromisoformat(text).astimezone(UTC)
    except ValueError as error:
        raise InputError(f"--known-at: {value!r} is not a real moment: {error}") from None


def axis_options(command: F) -> F:
    """`--published-by`, `--known-at`, `--min-reliability`, `--format` and `--db`."""
    tiers = click.Choice([tier.value for tier in Reliability])
    for option in reversed([
        click.option("--published-by", metavar="P", help="Only what had been published by this date (YYYY-MM-DD)."),
        click.option("--known-at", metavar="T",
                     help="Only what regledger had recorded by then: RFC 3339, or a date (the end of that UTC day)."),
        click.option("--min-reliability", type=tiers, help="Only actions whose best source is this tier or stronger."),
        click.option("--format", "output", type=click.Choice(["text", "json"]), default="text", show_default=True),
        click.option("--db", "db", metavar="STORE", default=None,
                     help="The ledger, as for `record` (default ./regledger.db; env REGLEDGER_DB)."),
    ]):
        command = option(command)
    return command


def selection_options(command: F) -> F:
    """`--list` and `--party`."""
    command = click.option("--party", metavar="KEY_OR_NAME",
                           help="Only this party: exact key, else name or alias, else part of one.")(command)
    return click.option("--list", "list_key", metavar="LIST", help="Only this list (e.g. us-bis-entity-list).")(command)


def _query(day: date, published_by: str | None, known_at: str | None, tier: str | None) -> Query:
    return Query(
        as_of=day,
        published_by=parse_day(published_by, "--published-by") if published_by else None,
        known_at=parse_known_at(known_at) if known_at else None,
        min_reliability=Reliability(tier) if tier else None,
    )


def _entries(context: click.Context, db: str | None) -> list[Entry]:
    """Every recorded entry (the reports fold them themselves)."""
    with open_ledger(db or (context.obj or {}).get("db")) as ledger:
        return [Entry(s.position, s.recorded_at, s.action) for s in ledger.stored_actions()]


@contextmanager
def _source(context: click.Context, db: str | None) -> Iterator[AnswerSource]:
    """The read models when current, else the fold (see query_source), while the ledger is open."""
    with open_stores(db or (context.obj or {}).get("db"), write=False) as stores:
        yield open_source(stores.ledger, stores.views)


def _select(source: AnswerSource, list_key: str | None,
            party: str | None) -> tuple[tuple[str | None, set[str] | None], tuple[PartyMatch, ...]]:
    chosen_list = _found("--list", lambda: source.find_list(list_key)) if list_key else None
    matches = _found("--party", lambda: source.match_parties(party)) if party else ()
    return (chosen_list, {m.party for m in matches} if party else None), matches


T = TypeVar("T")


def _found(name: str, find: Callable[[], T]) -> T:
    """The result of `find`, with a projection's not-found turned into InputError naming the argument."""
    try:
        return find()
    except ProjectionError as error:
        raise InputError(f"{name}: {error}") from None


def _emit(output: str, as_json: Callable[[], dict[str, Any]], as_text: Callable[[], str]) -> None:
    click.echo(json.dumps(as_json(), indent=2, ensure_ascii=False) if output == "json" else as_text())


@click.command("as-of")
@click.argument("day", metavar="D")
@selection_options
@axis_options
@click.pass_context
def as_of(context: click.Context, *, day: str, list_key: str | None, party: str | None, published_by: str | None,
          known_at: str | None, min_reliability: str | None, output: str, db: str | None) -> None:
    """The rules as of D: list entries, measures by status, meetings and positions, each with its sources.

    D is the legal-effect date (YYYY-MM-DD). --published-by and --known-at replay what the public record showed
    and what regledger had recorded at the time.
    """
    query = _query(parse_day(day, "D"), published_by, known_at, min_reliability)
    with _source(context, db) as source:
        selection, matches = _select(source, list_key, party)
        state = source.state(query, selection)
    chosen = selection[0]
    _emit(output, lambda: state_json(state, chosen, party, matches), lambda: state_text(state, chosen, party, matches))


@click.command("diff")
@click.argument("start", metavar="D1")
@click.argument("end", metavar="D2")
@selection_options
@axis_options
@click.pass_context
def diff_command(context: click.Context, *, start: str, end: str, list_key: str | None, party: str | None,
                 published_by: str | None, known_at: str | None, min_reliability: str | None, output: str,
                 db: str | None) -> None:
    """What changed after D1 through D2: actions that took effect, entries added, amended and removed, measures
    whose status changed, meetings and positions, each before → after with its sources."""
    first, last = parse_day(start, "D1"), parse_day(end, "D2")
    if last < first:
        raise InputError(f"D2 ({last}) is before D1 ({first}): the window (D1, D2] must run forward")
    query = _query(last, published_by, known_at, min_reliability)
    with _source(context, db) as source:
        selection, matches = _select(source, list_key, party)
        result = source.diff(query, (first, last), selection)
    chosen = selection[0]
    _emit(output, lambda: diff_json(result, chosen, party, matches), lambda: diff_text(result, chosen, party, matches))


@click.command("history")
@click.argument("subject", metavar="SUBJECT")
@axis_options
@click.pass_context
def history_command(context: click.Context, *, subject: str, published_by: str | None, known_at: str | None,
                    min_reliability: str | None, output: str, db: str | None) -> None:
    """The timeline of SUBJECT in legal-effect order, with each action's three dates and what each correction
    changed. SUBJECT: a party (key, name or alias: all its listings), LIST/PARTY, a measure or meeting key, or
    ACTOR/SUBJECT for a position."""
    query = _query(date.max, published_by, known_at, min_reliability)
    with _source(context, db) as source:
        result = source.history(_found("SUBJECT", lambda: source.find_subjects(subject)), query)
    _emit(output, lambda: history_json(result), lambda: history_text(result))
