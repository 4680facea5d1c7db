"""The text filters and tests of the report templates, in one place: dates, timestamps, tiers, citations, links,
kinds and Markdown escaping. `reports.environment()` registers them on the one jinja2 Environment.

HTML templates rely on autoescape; Markdown templates pass every value through `md` (or `md_url`), which escapes
Markdown's inline punctuation and HTML's `<`, `>` and `&` (Markdown lets raw HTML through), keeps quotes as they
are, and joins lines, so that a value never starts a block or breaks a table.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

from markupsafe import Markup

from regledger.adapters.render.answers_json import attribution
from regledger.domain.values import Reliability

__all__ = [
    "FILTERS", "KIND_WORDS", "TESTS", "cite_label", "day", "is_web_url", "md", "md_url", "moment", "shown", "words",
]

NONE = "—"
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
_HTML_SPECIAL = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
KIND_WORDS = {
    "entity_listed": "listed", "entry_amended": "entry amended", "entity_delisted": "delisted",
    "measure_proposed": "measure proposed", "comment_period_opened": "comment period opened",
    "measure_adopted": "measure adopted", "measure_amended": "measure amended",
    "measure_withdrawn": "measure withdrawn", "measure_expired": "measure expired",
    "meeting_scheduled": "meeting scheduled", "meeting_rescheduled": "meeting rescheduled",
    "meeting_postponed": "meeting postponed", "meeting_held": "meeting held", "meeting_cancelled": "meeting cancelled",
    "position_stated": "position stated", "correction": "correction", "retraction": "retraction",
    "in_force": "in force", "pending": "pending", "not_listed": "not listed",
}


def day(value: str | None) -> str:
    """A legal date (YYYY-MM-DD) as it stands, or a dash when there is none."""
    return value or NONE


def moment(value: str | None) -> str:
    """An RFC 3339 timestamp, `T` read as a space so that it wraps and reads on paper, or a dash."""
    return value.replace("T", " ", 1) if value else NONE


def words(kind: str | None) -> str:
    """An action kind or a status in words: `entity_listed` → `listed`, `in_force` → `in force`."""
    if not kind:
        return NONE
    return KIND_WORDS.get(kind, kind.replace("_", " "))


def tier_rank(tier: str | None) -> int:
    """0 for official … 3 for anonymous, 4 when unknown: for CSS classes and sorting (`Reliability.rank` turned
    round, strongest first)."""
    known = Reliability.named(tier)
    return len(Reliability) - 1 - known.rank if known is not None else len(Reliability)


def cite_label(citation: Mapping[str, Any]) -> str:
    """The shortest human reference of a source: citation, else document number, title, URL, publisher."""
    for field in ("citation", "document_number", "title", "url", "publisher"):
        if citation.get(field):
            return str(citation[field])
    return "(unnamed source)"


def is_web_url(value: Any) -> bool:
    """True for an absolute http(s) URL with a host: the only URLs a report turns into links."""
    if not isinstance(value, str) or any(c.isspace() for c in value):
        return False
    parts = urlsplit(value)
    return parts.scheme.lower() in {"http", "https"} and bool(parts.netloc)


def shown(value: Any) -> str:
    """A field's value in words: none as a dash, lists joined, booleans as yes/no, dicts as key = value."""
    if value is None or value == "":
        return NONE
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return ", ".join(shown(v) for v in value) or NONE
    if isinstance(value, dict):
        return "; ".join(f"{k} = {shown(v)}" for k, v in value.items()) or NONE
    return str(value)


def md(value: Any) -> Markup:
    """Text safe inside a Markdown paragraph or table cell, reading as it was written once rendered."""
    text = " ".join(str(value).split()) if value is not None else ""
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return Markup("".join(_HTML_SPECIAL.get(c, c) for c in text))  # noqa: S704 - every special character escaped


def md_url(value: str) -> Markup:
    """A URL as a Markdown link destination (`<…>`): spaces, angle brackets and `&` encoded."""
    encoded = value.replace("&", "&amp;").replace("<", "%3C").replace(">", "%3E").replace(" ", "%20")
    return Markup(f"<{encoded}>")  # noqa: S704 - the destination is encoded above


FILTERS: dict[str, Callable[..., Any]] = {
    "day": day, "moment": moment, "words": words, "tier_rank": tier_rank, "cite_label": cite_label,
    "shown": shown, "md": md, "md_url": md_url, "attribution": attribution,
}
TESTS: dict[str, Callable[..., bool]] = {"web_url": is_web_url}
