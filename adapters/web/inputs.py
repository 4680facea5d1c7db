"""What a request asks, parsed: dates, moments, the axes and the selection from the URL's query (parameters named
after the command line's options: `published_by`, `known_at`, `min_reliability`, `list`, `party`), and paging.

A bad value raises InputError with the command line's one-line message, naming the request's parameter where the
command line names its option (`published_by: '2019-13-01' is not a calendar date`); the error handler
(`errors`) answers it with status 400.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from typing import Final

from regledger.adapters.errors import InputError
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
from regledger.domain.values import Reliability

__all__ = [
    "AxisParams",
    "Paging",
    "in_our_words",
    "parse_after",
    "parse_day",
    "parse_known_at",
    "parse_page",
    "selection",
    "window",
]

TIERS: Final = ", ".join(tier.value for tier in Reliability)


def parse_known_at(value: str, name: str = "known_at") -> datetime:
    """An RFC 3339 timestamp (in UTC), or a date meaning the end of that UTC day; InputError naming `name`."""
    return parse_moment(value, MomentOption(name, "2019-05-17T12:00:00Z", dates_as_dates=True))


@dataclass(frozen=True)
class AxisParams:
    """The axis parameters as given in the query (empty strings count as not given, as an empty form field)."""

    published_by: str | None = None
    known_at: str | None = None
    min_reliability: str | None = None

    def parsed(self) -> Axes:
        """The axes; InputError naming the first bad parameter."""
        tier = self.min_reliability or None
        if tier is not None and tier not in {t.value for t in Reliability}:
            raise InputError(f"min_reliability: {tier!r} is not one of {TIERS}")
        return Axes(
            published_by=parse_day(self.published_by, "published_by") if self.published_by else None,
            known_at=parse_known_at(self.known_at) if self.known_at else None,
            min_reliability=Reliability(tier) if tier else None,
        )

    def given(self) -> dict[str, str]:
        """The parameters given, by name (for links that keep them)."""
        found = {"published_by": self.published_by, "known_at": self.known_at,
                 "min_reliability": self.min_reliability}
        return {name: value for name, value in found.items() if value}

    def words(self) -> list[str]:
        """The parameters given, as command-line words (`--published-by P`…)."""
        return [word for name, value in self.given().items() for word in (f"--{name.replace('_', '-')}", value)]


def selection(list_key: str | None, party: str | None) -> Selection:
    """The selection from `list` and `party` (empty means not given)."""
    return Selection(list_key or None, party or None)


def window(start: date, end: date, names: tuple[str, str] = ("from", "to")) -> Window:
    """The window (start, end]; InputError naming its two parameters when it runs backward."""
    try:
        return Window(start, end)
    except BackwardWindowError:
        raise InputError(f"{names[1]} ({end}) is before {names[0]} ({start}): the window ({names[0]}, "
                         f"{names[1]}] must run forward") from None


@contextmanager
def in_our_words() -> Iterator[None]:
    """A list, party or subject the ledger does not know, reported under the parameter that named it (the error
    stays an UnknownNameError, which the handler answers with 404)."""
    try:
        yield
    except UnknownNameError as error:
        raise UnknownNameError(error.named, f"{error.named}: {error.problem}") from None


@dataclass(frozen=True)
class Paging:
    """One page of a paged view: its number (from 1) and size."""

    number: int
    size: int

    @property
    def start(self) -> int:
        """The index of the page's first row."""
        return (self.number - 1) * self.size


def parse_page(value: str | None, size: int) -> Paging:
    """`page` (1 when not given); InputError unless it is a whole number from 1."""
    if not value:
        return Paging(1, size)
    if not value.isdigit() or int(value) < 1 or len(value) > 9:
        raise InputError(f"page: {value!r} is not a page number (1, 2, …)")
    return Paging(int(value), size)


def parse_after(value: str | None) -> int:
    """`after` (0 when not given): a position in the log, a whole number from 0."""
    if not value:
        return 0
    if not value.isdigit() or len(value) > 18:
        raise InputError(f"after: {value!r} is not a position in the log (0, 1, 2, …)")
    return int(value)
