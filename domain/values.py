"""Value types shared by every action: keys, legal dates, tiers and sources."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from enum import StrEnum
from functools import cached_property
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator

__all__ = [
    "Frozen",
    "Key",
    "LegalDate",
    "Reliability",
    "Source",
    "best_source",
    "parse_legal_date",
]

_KEY = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class Frozen(BaseModel):
    """Base of every payload: immutable, and unknown fields are errors."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


def _check_key(value: str) -> str:
    if not _KEY.match(value) or len(value) > 200:
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


Key = Annotated[str, AfterValidator(_check_key)]
LegalDate = Annotated[date, BeforeValidator(parse_legal_date)]
NonEmpty = Annotated[str, Field(min_length=1, max_length=10_000)]


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


class Source(Frozen):
    """Where an action is written down, and how far it can be trusted."""

    reliability: Reliability
    citation: NonEmpty | None = None
    document_number: NonEmpty | None = None
    url: NonEmpty | None = None
    title: NonEmpty | None = None
    publisher: NonEmpty | None = None

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
