"""What a request to the services names, typed, and the errors about what it names.

A shell parses its own input (command-line options, a web form) into these, and turns the errors below into its own
words: each error says which input it is about, so that the shell can name its own option or field.

    InputError (adapters.errors)
    ├── UnknownNameError       a list, party or subject the request names is not in the ledger
    └── BackwardWindowError    a window whose end is before its start
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Final, Literal

from regledger.adapters.errors import InputError
from regledger.domain.values import Reliability, parse_legal_date
from regledger.projections import Query

__all__ = [
    "EVERYTHING",
    "Axes",
    "BackwardWindowError",
    "MomentOption",
    "Named",
    "Selection",
    "UnknownNameError",
    "Window",
    "parse_day",
    "parse_moment",
]

Named = Literal["list", "party", "subject"]


class UnknownNameError(InputError):
    """A list, party or subject the request names is not in the ledger; `named` says which input named it."""

    def __init__(self, named: Named, problem: str) -> None:
        super().__init__(problem)
        self.named, self.problem = named, problem


class BackwardWindowError(InputError):
    """A window (start, end] whose end is before its start."""

    def __init__(self, start: date, end: date) -> None:
        super().__init__(f"the window ends ({end}) before it starts ({start}): it must run forward")
        self.start, self.end = start, end


@dataclass(frozen=True)
class Axes:
    """A query's axes other than its legal-effect date: published by P, known at T, minimum tier (each may be open)."""

    published_by: date | None = None
    known_at: datetime | None = None
    min_reliability: Reliability | None = None

    def on(self, day: date) -> Query:
        """The query of these axes as of `day`."""
        return Query(as_of=day, published_by=self.published_by, known_at=self.known_at,
                     min_reliability=self.min_reliability)


@dataclass(frozen=True)
class Selection:
    """Which part of an answer to keep: one list (its key), one party (key, name or alias, or part of one)."""

    list_key: str | None = None
    party: str | None = None


EVERYTHING: Final = Selection()  # the whole answer


@dataclass(frozen=True)
class Window:
    """The dates (start, end] a change log or a diff covers; BackwardWindowError when it runs backward."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise BackwardWindowError(self.start, self.end)


# --- dates and moments, as every shell parses them (the command line names its option, the web its parameter) ---

_RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class MomentOption:
    """An option that takes a moment, as its errors name it: its name, an example timestamp, and whether an
    impossible calendar date is reported as a date (as D and --published-by are) or as a moment."""

    name: str
    example: str
    dates_as_dates: bool


def parse_day(value: str, name: str) -> date:
    """A YYYY-MM-DD calendar date; InputError naming the argument otherwise."""
    try:
        day: date = parse_legal_date(value)
    except ValueError as error:
        raise InputError(f"{name}: {error}") from None
    return day


def parse_moment(value: str, option: MomentOption) -> datetime:
    """An RFC 3339 timestamp (in UTC), or a date meaning the end of that UTC day; InputError naming `option`."""
    text = value.strip().upper()
    if _DAY.match(text) and option.dates_as_dates:
        return datetime.combine(parse_day(text, option.name), time.max, tzinfo=UTC)
    try:
        if _DAY.match(text):
            return datetime.combine(date.fromisoformat(text), time.max, tzinfo=UTC)
        if _RFC3339.match(text):
            return datetime.fromisoformat(text).astimezone(UTC)
    except ValueError as error:
        raise InputError(f"{option.name}: {value!r} is not a real moment: {error}") from None
    except OverflowError:  # e.g. 0001-01-01T00:00:00+01:00, an hour before the calendar begins in UTC
        raise InputError(f"{option.name}: {value!r} falls outside the calendar in UTC (0001-01-01T00:00:00Z to "
                         "9999-12-31T23:59:59.999999Z)") from None
    raise InputError(f"{option.name}: {value!r} is not an RFC 3339 timestamp ({option.example}) or a date "
                     "(YYYY-MM-DD, meaning the end of that UTC day)")
