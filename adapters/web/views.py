"""What every page shows besides its answer: the axes as given (kept in every link), the banner of a view that is
not "today, as published, as known now" (like eCFR's bar over a past date), paging (`Page`: one page of rows with
links to the next and previous; a page of several sections cuts each alike), and the one way a page answers — HTML,
or its JSON twin."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, TypeVar

from fastapi import Request
from fastapi.responses import Response

from regledger.adapters.safe_text import safe_data
from regledger.adapters.web.deps import templates_of, wants_json
from regledger.adapters.web.filters import url_with
from regledger.adapters.web.inputs import TIERS, AxisParams, Paging
from regledger.adapters.web.responses import whole_json

__all__ = ["Page", "View", "answer", "banner_text", "page_ahead", "page_at", "page_of", "today"]

T = TypeVar("T")


def today() -> date:
    """Today in UTC: the date of `/` and of a page's "back to today"."""
    return datetime.now(UTC).date()


def banner_text(axes: AxisParams, day: date | None) -> str:
    """What the banner says when the view is not today's as published and as known now; empty when it is."""
    parts = []
    if day is not None and day != today():
        parts.append(f"The rules as they stood on {day} (legal effect), not today.")
    if axes.published_by:
        parts.append(f"Only what the public record showed by {axes.published_by}.")
    if axes.known_at:
        parts.append(f"Only what regledger had recorded by {axes.known_at}.")
    if axes.min_reliability:
        parts.append(f"Only sources of tier {axes.min_reliability} or stronger.")
    return " ".join(parts)


@dataclass(frozen=True)
class View:
    """A page's frame: its axes, the query to keep in links, its banner."""

    axes: AxisParams
    day: date | None = None
    selection: dict[str, str] = field(default_factory=dict)

    @property
    def axes_query(self) -> dict[str, str]:
        """The axis parameters given, for links to other pages under the same axes."""
        return self.axes.given()

    @property
    def query(self) -> dict[str, str]:
        """The axes and the selection, for links to this page's other pages."""
        return {**self.axes.given(), **self.selection}

    @property
    def banner(self) -> str:
        """The banner's text (empty: no banner)."""
        return banner_text(self.axes, self.day)

    @property
    def today_url(self) -> str:
        """The same view, today, as published and as known now."""
        return url_with(f"/as-of/{today()}", self.selection)

    @property
    def tiers(self) -> list[str]:
        """The tiers, strongest first."""
        return TIERS.split(", ")


@dataclass(frozen=True)
class Page:
    """One page of rows: the rows, where they start, how many there are in all, and the links around it. A page of
    several sections cut alike (an as-of answer's) also counts each section's rows (`sections`; `total` is then the
    first section's) and holds some of each (`held`); it exists while any section has rows on it. A page read
    without counting every row (a compare page's, `page_ahead`; an as-of page published by P or known at T) knows a
    number only on the page that shows its last row; elsewhere that number, and `pages`, are None, and `next` says
    whether more follow."""

    rows: list[Any]
    number: int
    size: int
    total: int | None
    next: str | None
    previous: str | None
    sections: Mapping[str, int | None] = field(default_factory=dict)
    held: Mapping[str, int] = field(default_factory=dict)

    @property
    def pages(self) -> int | None:
        """How many pages the rows fill (at least one); where `total` or a section's number is not known, this
        page's number on the last page (it shows rows, and none follow), else None."""
        numbers = [self.total, *self.sections.values()]
        if any(n is None for n in numbers):
            return self.number if self.next is None and any(self.held.values()) else None
        return max(1, -(-max(n for n in numbers if n is not None) // self.size))

    @property
    def shown(self) -> dict[str, dict[str, int | None]]:
        """Per section, the rows this page shows: `first` and `last` (from 1; both 0 when it shows none of them)
        of `total` (None when not known)."""
        return {name: self._showing(total) if total is not None else self._held(self.held.get(name, 0))
                for name, total in self.sections.items()}

    @property
    def place(self) -> dict[str, int | None]:
        """The rows this page shows (`first` and `last`, from 1; both 0 when it shows none) of `total` (None when
        not known: then the page is full, or past the last)."""
        if self.total is not None:
            return dict(self._showing(self.total))
        return self._held(self.size if self.next is not None else 0)

    def _showing(self, total: int) -> dict[str, int | None]:
        start = (self.number - 1) * self.size
        return {"first": start + 1 if start < total else 0, "last": min(start + self.size, total), "total": total}

    def _held(self, held: int) -> dict[str, int | None]:
        start = (self.number - 1) * self.size
        return {"first": start + 1 if held else 0, "last": start + held if held else 0, "total": None}

    def json(self) -> dict[str, Any]:
        """The page's place, as the JSON twin gives it (`next`: the link to the next page, or null; `total` and
        `pages`: null where the page does not know them; `sections`: how many rows each section holds, when it has
        sections, null where the page does not know it)."""
        place = {"number": self.number, "size": self.size, "total": self.total, "pages": self.pages,
                 "next": self.next, "previous": self.previous}
        return {**place, "sections": dict(self.sections)} if self.sections else place


def page_of(rows: Sequence[T], paging: Paging, path: str, query: dict[str, Any]) -> Page:
    """The page `paging` of `rows`, its links keeping `query`."""
    return page_at(list(rows[paging.start:paging.start + paging.size]), len(rows), paging, path, query)


def page_at(shown: list[Any], total: int, paging: Paging, path: str, query: dict[str, Any], *,
            sections: Mapping[str, int] | None = None, held: Mapping[str, int] | None = None) -> Page:
    """The page `paging` holding `shown`, of `total` rows in all (read as a page), its links keeping `query`; with
    `sections` (rows per section, the first's being `total`; `held`: how many of each the page shows), a next page
    while any section has rows beyond this one."""
    longest = max([total, *(sections or {}).values()])
    return page_ahead(total, paging.start + paging.size < longest, paging, path, query, rows=shown, sections=sections,
                      held=held)


def page_ahead(total: int | None, more: bool, paging: Paging, path: str, query: dict[str, Any], *,
               rows: list[Any] | None = None, sections: Mapping[str, int | None] | None = None,
               held: Mapping[str, int] | None = None) -> Page:
    """The page `paging` (holding `rows`, with `sections`, and `held`: how many rows of each section it shows) of
    rows read as a page that knows whether more follow (`more`), and how many there are in all where it knows it
    (`total`, else None: a compare page before its last); its links keeping `query`."""
    return Page(rows or [], paging.number, paging.size, total,
                url_with(path, query, page=paging.number + 1) if more else None,
                url_with(path, query, page=paging.number - 1) if paging.number > 1 else None,
                dict(sections or {}), dict(held or {}))


def answer(request: Request, template: str, twin: Any, context: dict[str, Any], status: int = 200) -> Response:
    """The page: its JSON twin when the request wants JSON, else the template rendered with `context` (its stored
    text made safe: control characters, escape sequences and bidi overrides escaped; autoescape does the rest)."""
    if wants_json(request):
        return whole_json(twin, status)
    shown = {name: safe_data(value) if isinstance(value, dict | list) else value for name, value in context.items()}
    return templates_of(request).TemplateResponse(
        request, template, shown, status_code=status)
