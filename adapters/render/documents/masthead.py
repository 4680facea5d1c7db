"""What a PDF or Word report repeats on every page: its title, its axes in a few words, the ledger it was read from
(size and head digest, shortened), and the optional legend ("Privileged & Confidential — Attorney Work Product");
and the moment it was produced, which dates the file itself so that the same report gives the same bytes.

`masthead` reads it from any report's data (every report carries `title`, `axes`, `ledger`, `ledger_size`,
`ledger_head` and `produced_at`), so a new report kind has its masthead with no code of its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from regledger.adapters.safe_text import safe_text

__all__ = ["HEAD_DIGITS", "Masthead", "axes_words", "ledger_words", "masthead"]

HEAD_DIGITS = 12  # the head digest's first hex digits in the running header; the body states it in full
_AXIS_WORDS = {"as_of": "as of", "on": "on", "from": "after", "to": "through", "until": "recorded until",
               "published_by": "published by", "known_at": "known at", "min_reliability": "sources at least"}


@dataclass(frozen=True)
class Masthead:
    """The running header and footer of a document, and its date."""

    title: str
    axes: str
    ledger: str
    produced_at: str  # RFC 3339, UTC
    legend: str | None = None


def masthead(report: Mapping[str, Any], legend: str | None = None) -> Masthead:
    """The masthead of a report's data."""
    return Masthead(title=safe_text(str(report.get("title") or report.get("report") or "regledger report")),
                    axes=axes_words(report.get("axes") or {}),
                    ledger=ledger_words({"size": report["ledger_size"], "head": report.get("ledger_head")}
                                        if isinstance(report.get("ledger_size"), int) else report.get("ledger")),
                    produced_at=str(report.get("produced_at") or ""), legend=safe_text(legend) if legend else None)


def axes_words(axes: Mapping[str, Any]) -> str:
    """The axes that are set, in a few words: `as of 2020-03-01 · published by 2020-02-01`."""
    words = [f"{_AXIS_WORDS.get(name, name.replace('_', ' '))} {value}" for name, value in axes.items()
             if value not in (None, "", [], {})]
    return safe_text(" · ".join(words) or "every axis open")


def ledger_words(ledger: Any) -> str:
    """The ledger in a few words: its size and shortened head digest when the report gives them."""
    if isinstance(ledger, Mapping):
        size = ledger.get("size", ledger.get("events"))
        head = str(ledger.get("head") or ledger.get("head_digest") or "")
        said = [f"{size:,} event{'' if size == 1 else 's'}" if isinstance(size, int) else "",
                f"head {head[:HEAD_DIGITS]}…" if head else "no hash chain"]
        return safe_text("ledger " + ", ".join(word for word in said if word)) if any(said) else "ledger"
    return safe_text(f"ledger {ledger}") if ledger else "ledger"
