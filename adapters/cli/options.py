"""What the commands share: the one `--db` option, the axis options (`--published-by`, `--known-at`,
`--min-reliability`, `--format`), the selection options (`--list`, `--party`), the one parser of dates and of moments,
and the services' input errors told in the command line's words.

Values are parsed when a command asks (in the order it asks), so that a command reports its first bad argument
first; a bad value raises InputError, which `main` reports in one line with exit status 1.
"""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Final, TypeVar

import click
from eventsourcing.persistence import PersistenceError

from regledger.adapters.errors import InputError, RegledgerError, one_line
from regledger.adapters.render.answers_text import citation_style
from regledger.adapters.render.citations import STYLES
from regledger.adapters.safe_text import safe_text
from regledger.adapters.services.inputs import (
    Axes,
    BackwardWindowError,
    MomentOption,
    Selection,
    UnknownNameError,
    Window,
    parse_day,
    parse_moment,
)
from regledger.adapters.store.opening import refusal
from regledger.adapters.wiring import Stores, open_stores
from regledger.domain.values import Reliability

__all__ = [
    "DB_HELP",
    "KNOWN_AT",
    "UNTIL",
    "AxisOptions",
    "Command",
    "MomentOption",
    "axis_options",
    "db_option",
    "error_line",
    "format_option",
    "in_our_words",
    "ledger_stores",
    "parse_day",
    "parse_known_at",
    "parse_moment",
    "parse_until",
    "selection_options",
    "text_citation_style",
    "text_style",
    "window",
    "write_output",
]

F = TypeVar("F", bound=Callable[..., Any])
Command = Callable[..., None]

DB_HELP: Final = (
    "The ledger: a file path or sqlite:///PATH (default ./regledger.db), "
    "or postgresql://USER@HOST/DB[?schema=S]. Env: REGLEDGER_DB."
)
_DB_KEY = "regledger.db"  # where `--db` is kept in the context's meta, which nested contexts share
_NAMES: Final = {"list": "--list", "party": "--party", "subject": "SUBJECT"}


# --- the ledger ---------------------------------------------------------------------------------------------------

def db_option(command: F) -> F:
    """`--db STORE`: on the group, before a command's name, and on each command that opens the ledger, after it
    (where it wins)."""
    return click.option("--db", metavar="STORE", default=None, expose_value=False, callback=_remember_db,
                        help=DB_HELP)(command)


def _remember_db(context: click.Context, _param: click.Parameter, value: str | None) -> None:
    if value is not None:  # `--db ""` too: the store setting refuses it
        context.meta[_DB_KEY] = value


@contextmanager
def ledger_stores(*, write: bool) -> Iterator[Stores]:
    """The stores of the ledger `--db` names (else REGLEDGER_DB, else ./regledger.db), opened for writing or
    read-only as the service asks (its module's `WRITES`). A failure of the store within that no service turned
    into a message (the library's, or SQLite's) is a StoreError in the words of `store.opening.refusal`: one line,
    saying that the store is read-only when it refused a write for want of rights."""
    with open_stores(click.get_current_context().meta.get(_DB_KEY), write=write) as stores:
        try:
            yield stores
        except (PersistenceError, sqlite3.Error) as error:
            raise refusal(stores.settings, error, opened=True) from None


def error_line(error: RegledgerError | str) -> str:
    """`regledger: error: MESSAGE`, on one line whatever the message holds (`errors.one_line`)."""
    return one_line(f"regledger: error: {error}")


# --- dates and moments --------------------------------------------------------------------------------------------

# MomentOption, parse_day and parse_moment live in services.inputs, shared with the web's parameters.
KNOWN_AT: Final = MomentOption("--known-at", "2019-05-17T12:00:00Z", dates_as_dates=True)
UNTIL: Final = MomentOption("--until", "2020-05-15T12:00:00Z", dates_as_dates=False)


def parse_known_at(value: str) -> datetime:
    """`--known-at`: an RFC 3339 timestamp (in UTC), or a date meaning the end of that UTC day."""
    return parse_moment(value, KNOWN_AT)


def parse_until(value: str | None) -> datetime:
    """`--until`: an RFC 3339 timestamp, or a date meaning the end of that UTC day; now when not given."""
    return datetime.now(UTC) if value is None else parse_moment(value, UNTIL)


def window(start: date, end: date, names: tuple[str, str]) -> Window:
    """The window (start, end]; InputError naming its two arguments when it runs backward."""
    try:
        return Window(start, end)
    except BackwardWindowError:
        raise InputError(f"{names[1]} ({end}) is before {names[0]} ({start}): the window (D1, D2] must run "
                         "forward") from None


@contextmanager
def in_our_words() -> Iterator[None]:
    """A list, party or subject the ledger does not know, reported under the option or argument that named it."""
    try:
        yield
    except UnknownNameError as error:
        raise InputError(f"{_NAMES[error.named]}: {error.problem}") from None


# --- the axes and the selection -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class AxisOptions:
    """The axis options as given, and `--format`; `parsed()` turns them into the services' `Axes`."""

    published_by: str | None
    known_at: str | None
    min_reliability: str | None
    format: str

    def parsed(self) -> Axes:
        """The axes; InputError naming the first bad option."""
        return Axes(
            published_by=parse_day(self.published_by, "--published-by") if self.published_by is not None else None,
            known_at=parse_known_at(self.known_at) if self.known_at is not None else None,
            min_reliability=Reliability(self.min_reliability) if self.min_reliability else None,
        )

    def given(self) -> list[str]:
        """The axis options given, as command-line words."""
        flags = (("--published-by", self.published_by), ("--known-at", self.known_at),
                 ("--min-reliability", self.min_reliability))
        return [word for flag, value in flags if value for word in (flag, value)]


def format_option(formats: Sequence[str] = ("text", "json"), default: str = "text",
                  help_text: str | None = None) -> Callable[[F], F]:
    """`--format` among `formats`, passed as `output`."""
    return click.option("--format", "output", type=click.Choice(list(formats)), default=default, show_default=True,
                        help=help_text)


def axis_options(formats: Sequence[str] = ("text", "json"), default: str = "text",
                 help_text: str | None = None) -> Callable[[Command], Command]:
    """`--published-by`, `--known-at`, `--min-reliability` and `--format`, passed to the command as one
    `axes: AxisOptions`."""
    options: list[Callable[[Command], Command]] = [
        click.option("--published-by", metavar="P", help="Only what had been published by this date (YYYY-MM-DD)."),
        click.option("--known-at", metavar="T",
                     help="Only what regledger had recorded by then: RFC 3339, or a date (the end of that UTC day)."),
        click.option("--min-reliability", type=click.Choice([tier.value for tier in Reliability]),
                     help="Only actions whose best source is this tier or stronger."),
        format_option(formats, default, help_text),
    ]

    def decorate(command: Command) -> Command:
        @functools.wraps(command)
        def with_axes(*args: Any, published_by: str | None, known_at: str | None, min_reliability: str | None,
                      output: str, **kwargs: Any) -> None:
            command(*args, axes=AxisOptions(published_by, known_at, min_reliability, output), **kwargs)

        return _applied(options, with_axes)

    return decorate


def selection_options(command: Command) -> Command:
    """`--list` and `--party`, passed to the command as one `selection: Selection`."""
    options: list[Callable[[Command], Command]] = [
        click.option("--list", "list_key", metavar="LIST", help="Only this list (e.g. us-bis-entity-list)."),
        click.option("--party", metavar="KEY_OR_NAME",
                     help="Only this party: exact key, else name or alias, else part of one."),
    ]

    @functools.wraps(command)
    def with_selection(*args: Any, list_key: str | None, party: str | None, **kwargs: Any) -> None:
        command(*args, selection=Selection(list_key, party), **kwargs)

    return _applied(options, with_selection)


def _applied(options: list[Callable[[Command], Command]], command: Command) -> Command:
    """`command` with `options`, shown in their order in its help."""
    for option in reversed(options):
        command = option(command)
    return command


def write_output(text: str, path: Path | None, said: Callable[[Path], str] | None = None) -> None:
    """`text` on standard output, or into `path` (`-o`; InputError naming it when it cannot be written), then what
    `said` says of the file written, on standard error."""
    if path is None:
        click.echo(text, nl=False)
        return
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as error:
        raise InputError(f"-o: cannot write {path}: {error.strerror or error}") from None
    if said is not None:
        click.echo(safe_text(said(path)), err=True)


# --- the citation style of text memos -----------------------------------------------------------------------------

_STYLE = "regledger.citation_style"  # the click context's meta key for --citation-style


def text_citation_style(command: Command) -> Command:
    """`--citation-style plain|bluebook` (default plain) for a text memo's sources; JSON carries both forms."""
    def keep(ctx: click.Context, _: click.Parameter, value: str) -> str:
        ctx.meta[_STYLE] = value
        return value

    return click.option("--citation-style", type=click.Choice(STYLES), default="plain", expose_value=False,
                        callback=keep, help="plain (the default): sources as recorded; bluebook: as a legal memo "
                                            "cites them, e.g. '84 Fed. Reg. 22,961 (May 21, 2019)'.")(command)


def text_style() -> AbstractContextManager[None]:
    """The text memo's citation style for the command being run (`--citation-style`, default plain)."""
    return citation_style(click.get_current_context().meta.get(_STYLE, "plain"))
