"""Value types shared by every action: keys, legal dates, text, numbers, tiers and sources.

Input is held to what JSON and a terminal carry safely: text has no control characters (a `Line` none at all, a
`Prose` field tab and newline besides), and a number is finite and, when whole, within ±(2**53 - 1), the range every
JSON reader carries exactly. These checks apply to input only: what the ledger already stores is read back with the
`STORED` validation context, which skips them, so that a ledger written before they existed still opens.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from datetime import date
from enum import StrEnum
from functools import cached_property
from types import MappingProxyType
from typing import Annotated, Any, Final, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, ValidationInfo, model_validator

__all__ = [
    "MAX_EXACT_INTEGER",
    "STORED",
    "Frozen",
    "Key",
    "LegalDate",
    "Line",
    "Prose",
    "Reliability",
    "Source",
    "SourceKind",
    "best_source",
    "check_key",
    "from_storage",
    "number_problem",
    "parse_legal_date",
    "text_problem",
]

MAX_EXACT_INTEGER: Final = 2**53 - 1  # the largest whole number every JSON reader (IEEE doubles) carries exactly
STORED: Final[Mapping[str, bool]] = MappingProxyType({"stored": True})  # validation context: reading the ledger

_KEY = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class Frozen(BaseModel):
    """Base of every payload: immutable, and unknown fields are errors."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


def check_key(value: str) -> str:
    """`value` when it is a key (lowercase letters, digits, `-`, `_`, `.`; at most 200 characters); ValueError
    saying so otherwise."""
    if not _KEY.fullmatch(value) or len(value) > 200:
        msg = (
            f"{value!r} is not a key: use lowercase letters, digits, '-', '_' or '.',"
            " starting with a letter or digit (at most 200 characters)"
        )
        raise ValueError(msg)
    return value


def parse_legal_date(value: Any) -> Any:
    """Accept a `date` or an ISO `YYYY-MM-DD` string, nothing looser."""
    if isinstance(value, date):
        return value
    if isinstance(value, str) and _ISO_DATE.match(value.strip()):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            msg = f"{value!r} is not a calendar date"
            raise ValueError(msg) from None
    msg = f"{value!r} is not a date in the form YYYY-MM-DD"
    raise ValueError(msg)


# C0 controls, DEL and C1 controls; a line also refuses the Unicode line and paragraph separators
_NOT_IN_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_NOT_IN_PROSE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # tab (U+0009) and newline (U+000A) allowed
_LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")


def from_storage(info: ValidationInfo) -> bool:
    """Whether pydantic is reading what the ledger stores (context `STORED`), where input checks are skipped."""
    return isinstance(info.context, Mapping) and bool(info.context.get("stored"))


def text_problem(value: str, *, prose: bool = False) -> str | None:
    """Why `value` is not acceptable text (a line; with `prose`, tab and newline allowed), or None."""
    found = (_NOT_IN_PROSE if prose else _NOT_IN_LINE).search(value)
    if found is None:
        return None
    char = found.group()
    what = "a line break" if char in _LINE_BREAKS else "a control character"
    rule = "text without control characters but tab and newline" if prose else "one line of text without control " \
        "characters"
    return f"{what} (U+{ord(char):04X}) at character {found.start() + 1}: this field takes {rule}"


def number_problem(value: object) -> str | None:
    """Why `value` is a number JSON cannot carry exactly (NaN, an infinity, a whole number beyond
    ±MAX_EXACT_INTEGER), or None (also for anything that is not a number)."""
    if isinstance(value, float) and not math.isfinite(value):
        spelt = "NaN" if math.isnan(value) else "Infinity" if value > 0 else "-Infinity"
        return f"{spelt} is not a finite number (JSON cannot carry it)"
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_EXACT_INTEGER:
        digits = len(str(abs(value))) if abs(value) < 10**4000 else "thousands of"
        return (f"a whole number of {digits} digits is out of range: whole numbers must lie within "
                f"±{MAX_EXACT_INTEGER} (2**53 - 1), which every JSON reader carries exactly")
    return None


def _line(value: str, info: ValidationInfo) -> str:
    problem = text_problem(value)
    if problem is not None and not from_storage(info):
        raise ValueError(problem)
    return value


def _prose(value: str, info: ValidationInfo) -> str:
    problem = text_problem(value, prose=True)
    if problem is not None and not from_storage(info):
        raise ValueError(problem)
    return value


Key = Annotated[str, AfterValidator(check_key)]
LegalDate = Annotated[date, BeforeValidator(parse_legal_date)]
Line = Annotated[str, Field(min_length=1, max_length=10_000), AfterValidator(_line)]  # names, titles, citations…
Prose = Annotated[str, Field(min_length=1, max_length=10_000), AfterValidator(_prose)]  # notes, reasons, details


class Reliability(StrEnum):
    """A source's reliability tier, strongest first. `rank` is the one ranking of tiers."""

    OFFICIAL = "official"
    STATEMENT = "statement"
    ATTRIBUTED = "attributed"
    ANONYMOUS = "anonymous"

    @cached_property
    def rank(self) -> int:
        """Higher is stronger: official 3 … anonymous 0 (worked out once per tier: folds compare ranks per action)."""
        return len(Reliability) - 1 - list(Reliability).index(self)

    @classmethod
    def from_rank(cls, rank: int) -> Reliability:
        """The tier of a rank: 0 anonymous … 3 official; ValueError for any other number."""
        for tier in cls:
            if tier.rank == rank:
                return tier
        msg = f"no tier has rank {rank}"
        raise ValueError(msg)

    @classmethod
    def named(cls, value: object) -> Reliability | None:
        """The tier `value` names (`"official"` …), or None when it names none: for raw JSON and template data."""
        return _NAMED.get(value) if isinstance(value, str) else None

    def meets(self, minimum: Reliability | None) -> bool:
        """True when this tier is at least `minimum` (any tier meets None)."""
        return minimum is None or self.rank >= minimum.rank


_NAMED = {tier.value: tier for tier in Reliability}  # for `Reliability.named`


SourceKind = Literal["federal_register", "public_inspection", "agency_announcement", "press", "court", "other"]


class Source(Frozen):
    """Where an action is written down, and how far it can be trusted; `published_on` (the day the source became
    public) and `kind` are None at rest when not given: read as the action's published_on and "other"."""

    reliability: Reliability
    citation: Line | None = None
    document_number: Line | None = None
    url: Line | None = None
    title: Line | None = None
    publisher: Line | None = None
    published_on: LegalDate | None = None
    kind: SourceKind | None = None

    @model_validator(mode="after")
    def _needs_a_reference(self) -> Source:
        if not (self.citation or self.url or self.title):
            msg = "a source needs at least one of citation, url, title"
            raise ValueError(msg)
        return self

    def label(self) -> str:
        """The shortest human reference: citation, else document number, title or URL."""
        return self.citation or self.document_number or self.title or self.url or ""


def best_source(sources: Iterable[Source]) -> Source:
    """The most reliable of `sources`, the first of equals; ValueError when there is none."""
    return max(sources, key=lambda source: source.reliability.rank)
