"""The answers the web gives, in the command line's documented JSON: each function calls one service on the
request's stores and renders its answer with the same renderer the command line uses (`render.answers_json`,
`render.screening_json`, `render.reports`), so that the API's JSON is exactly the command line's.

The log's JSON (`log_items`) is the one `regledger log --format json` prints, from the same renderer
(`render.log_format`).
"""

from __future__ import annotations

import shlex
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import islice
from typing import Any, Final

from regledger.adapters.errors import InputError
from regledger.adapters.render.answers_json import diff_json, history_json, state_json
from regledger.adapters.render.log_format import log_item, rfc3339
from regledger.adapters.services import queries, reports
from regledger.adapters.services.inputs import Axes, Selection, Window
from regledger.adapters.store.ledger import StoredAction
from regledger.adapters.web.inputs import AxisParams, Paging, in_our_words, parse_day, parse_known_at, window
from regledger.adapters.wiring import Stores

__all__ = [
    "REPORT_KINDS",
    "ReportAsked",
    "as_of_answer",
    "as_of_page",
    "diff_answer",
    "diff_page",
    "history_answer",
    "log_item",
    "log_items",
    "log_page",
    "report_asked",
    "report_command",
    "report_of",
    "rfc3339",
]

REPORT_KINDS: Final = ("changes", "snapshot", "party", "replay", "knowledge")


def as_of_answer(stores: Stores, day: date, axes: Axes, selection: Selection) -> dict[str, Any]:
    """`regledger as-of D … --format json`."""
    with in_our_words():
        selected = queries.as_of(stores, axes.on(day), selection)
    return state_json(selected.answer, selected.list_key, selected.party, selected.matches)


def as_of_page(stores: Stores, day: date, axes: Axes, selection: Selection,
               paging: Paging) -> tuple[dict[str, Any], dict[str, int | None], bool]:
    """`regledger as-of D … --format json` with each section (`lists`, `measures`, `meetings`, `positions`) cut to
    the page `paging`, read as a page (`queries.as_of_page`); how many rows each section of the whole answer holds
    (`lists`: its list entries; None where the page does not say it: `StatePage`); and whether more follow."""
    with in_our_words():
        selected = queries.as_of_page(stores, axes.on(day), selection, paging.start, paging.size)
    page = selected.answer
    return (state_json(page.state, selected.list_key, selected.party, selected.matches), dict(page.totals),
            page.more)


def diff_answer(stores: Stores, window: Window, axes: Axes, selection: Selection) -> dict[str, Any]:
    """`regledger diff D1 D2 … --format json`."""
    with in_our_words():
        selected = queries.diff(stores, window, axes, selection)
    return diff_json(selected.answer, selected.list_key, selected.party, selected.matches)


def diff_page(stores: Stores, window: Window, axes: Axes, selection: Selection,
              paging: Paging) -> tuple[dict[str, Any], int | None, bool]:
    """`regledger diff D1 D2 … --format json` cut to the page `paging` of the window's subjects, read as a page
    (`queries.diff_page`): the changes, transitions and actions taken effect of the subjects [start, start + size)
    in subject order; how many subjects the window holds, where the page knows it (`DiffPage.total`); and whether
    more follow."""
    with in_our_words():
        selected = queries.diff_page(stores, window, axes, selection, start=paging.start, size=paging.size)
    found = selected.answer
    return diff_json(found.diff, selected.list_key, selected.party, selected.matches), found.total, found.more


def history_answer(stores: Stores, subject: str, axes: Axes) -> dict[str, Any]:
    """`regledger history SUBJECT … --format json`."""
    with in_our_words():
        return history_json(queries.history(stores, subject, axes))


def log_page(stores: Stores, after: int, limit: int) -> list[StoredAction]:
    """At most `limit` stored actions after the position `after`, in recording order: the log is read from there,
    a page of the store at a time, and no further (`queries.log` reads it whole)."""
    return list(islice(stores.ledger.stored_actions(after), limit))


def log_items(stored: Sequence[StoredAction]) -> list[dict[str, Any]]:
    """`regledger log --format json`: every stored action in recording order."""
    return [log_item(s) for s in stored]


def report_command(kind: str, words: Sequence[str], axes: AxisParams, output: str, *, style: str | None = None,
                   legend: str | None = None) -> str:
    """The command line that makes the same report, as the report states it (`Produced.command`)."""
    given = [*(["--citation-style", style] if style else []), *(["--legend", legend] if legend else [])]
    return shlex.join(["regledger", "report", kind, *words, *axes.words(), *given, "--format", output])


@dataclass(frozen=True)
class ReportAsked:
    """A report asked for: its kind, its options parsed, and its options as command-line words."""

    kind: str
    words: tuple[str, ...]
    window: Window | None = None
    as_of: date | None = None
    key: str | None = None
    until: datetime | None = None
    given: dict[str, str] = field(default_factory=dict)


def _required(params: Mapping[str, str], name: str, kind: str) -> str:
    value = params.get(name) or ""
    if not value:
        raise InputError(f"{name}: required by the {kind} report")
    return value


def report_asked(kind: str, params: Mapping[str, str]) -> ReportAsked:
    """The report `kind` with its options from the query (`from`, `to` for changes; `as_of` for snapshot and
    knowledge; `key` and `as_of` for party; `until` for replay); InputError naming an unknown kind or a bad or
    missing option."""
    if kind == "changes":
        start, end = _required(params, "from", kind), _required(params, "to", kind)
        span = window(parse_day(start, "from"), parse_day(end, "to"))
        return ReportAsked(kind, ("--from", start, "--to", end), window=span, given={"from": start, "to": end})
    if kind in {"snapshot", "knowledge"}:
        day = _required(params, "as_of", kind)
        return ReportAsked(kind, (day,), as_of=parse_day(day, "as_of"), given={"as_of": day})
    if kind == "party":
        key, when = _required(params, "key", kind), params.get("as_of") or None
        return ReportAsked(kind, (key, *(("--as-of", when) if when else ())), key=key,
                           as_of=parse_day(when, "as_of") if when else None,
                           given={"key": key, **({"as_of": when} if when else {})})
    if kind == "replay":
        until = params.get("until") or None
        return ReportAsked(kind, ("--until", until) if until else (),
                           until=parse_known_at(until, "until") if until else None,
                           given={"until": until} if until else {})
    raise InputError(f"kind: {kind!r} is not a report ({', '.join(REPORT_KINDS)})")


def report_of(stores: Stores, asked: ReportAsked, axes: Axes, command: str) -> reports.Report:
    """The report asked for, made by its service (changes, snapshot, party, replay, knowledge)."""
    if asked.kind == "changes":
        assert asked.window is not None
        return reports.changes(stores, asked.window, axes, command)
    if asked.kind == "snapshot":
        assert asked.as_of is not None
        return reports.snapshot(stores, axes.on(asked.as_of), command)
    if asked.kind == "knowledge":
        assert asked.as_of is not None
        return reports.knowledge(stores, axes.on(asked.as_of), command)
    if asked.kind == "party":
        assert asked.key is not None
        return reports.party(stores, asked.key, axes, asked.as_of, command)
    return reports.replay(stores, axes, asked.until, command)
