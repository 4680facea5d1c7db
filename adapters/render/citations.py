"""Sources in the form a legal memo cites them (`--citation-style bluebook`), or as regledger has always labelled
them (`plain`), and in the order a memo lists them.

Pure functions over a citation as the JSON answers write it (`answers_json.citation_json`: citation,
document_number, url, title, publisher, reliability, published_on, kind, cfr). Bluebook forms, one per source kind:

- Federal Register (`kind: federal_register`, citation `84 FR 22961`): `84 Fed. Reg. 22,961 (May 21, 2019)`, the
  date the issue date (the source's published_on); with the citing actions' CFR places,
  `… (codified at 15 C.F.R. pt. 744, supp. 4)`. A Federal Register source without a volume and page is cited by its
  document number: `Fed. Reg. Doc. No. 2020-05190 (Mar. 12, 2020)`, never with a page nobody read.
- public inspection (`public_inspection`): `Federal Register Public Inspection, Doc. No. 2019-10616 (filed
  May 16, 2019)`, and `(to be codified at …)` when the action names its CFR place; the title in italics before it
  when the source has one.
- agency announcements (`agency_announcement`) and statements (tier `statement`): `U.S. Department of Commerce,
  *Title* (May 15, 2019)`; press (`press`): `Reuters, *Title* (Mar. 11, 2020)`; court and other sources alike:
  publisher, title in italics, date. A source with no title is named by its citation text, else its URL.
- CFR references (`cfr_bluebook`): `15 C.F.R. § 744.11`, `15 C.F.R. § 736.2(b)(3)(vi)`, `15 C.F.R. pt. 744`,
  `15 C.F.R. pt. 744, supp. 4`, `15 C.F.R. pt. 744, supp. 4 n.1`.

Dates take the Bluebook's month abbreviations (Jan. Feb. Mar. Apr. May June July Aug. Sept. Oct. Nov. Dec.).
A rendered citation is a sequence of `Part`s (text, italic?) so that HTML, Markdown and DOCX can set the title in
italics and plain text can drop the emphasis (`as_text`). The `plain` style is the label regledger has always shown
(citation, else document number, title, URL) with the source's date.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any, Final, Literal, NamedTuple

from regledger.domain.cfr import CfrReference
from regledger.domain.values import Reliability

__all__ = [
    "STYLES",
    "Part",
    "Style",
    "as_text",
    "bluebook",
    "bluebook_date",
    "cfr_bluebook",
    "cite_order",
    "cite_parts",
    "cite_rank",
    "fr_bluebook",
]

Style = Literal["plain", "bluebook"]
STYLES: Final = ("plain", "bluebook")
MONTHS: Final = ("Jan.", "Feb.", "Mar.", "Apr.", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec.")
_FR = re.compile(r"^\s*(\d{1,3})\s+(?:FR|Fed\.\s*Reg\.)\s+(\d{1,3}(?:,?\d{3})*|\d+)\s*$", re.IGNORECASE)
# the order of kinds among sources of one tier: the official publication, then its public-inspection copy, …
_KIND_ORDER: Final = ("federal_register", "public_inspection", "court", "agency_announcement", "other", "press")


class Part(NamedTuple):
    """A run of a rendered citation: its text and whether it is set in italics (a title)."""

    text: str
    italic: bool = False


def bluebook_date(value: date | str | None) -> str:
    """`May 21, 2019`, `Sept. 9, 2019`; empty for no date."""
    if value is None or value == "":
        return ""
    day = value if isinstance(value, date) else date.fromisoformat(value)
    return f"{MONTHS[day.month - 1]} {day.day}, {day.year}"


def fr_bluebook(citation: str | None) -> str | None:
    """`84 FR 22961` → `84 Fed. Reg. 22,961`; None when `citation` is not a volume and a page."""
    found = _FR.match(citation or "")
    if found is None:
        return None
    page = int(found.group(2).replace(",", ""))
    return f"{int(found.group(1))} Fed. Reg. {page:,}"


def cfr_bluebook(reference: str | CfrReference) -> str:
    """`15 CFR 744.11` → `15 C.F.R. § 744.11`; `15 CFR part 744, supplement no. 4` → `15 C.F.R. pt. 744, supp. 4`;
    text that is not a CFR reference is returned as it is."""
    try:
        ref = reference if isinstance(reference, CfrReference) else CfrReference.model_validate(reference)
    except ValueError:
        return str(reference)
    if ref.section is not None:
        return f"{ref.title} C.F.R. § {ref.part}.{ref.section}{ref.paragraph or ''}"
    supplement = f", supp. {ref.supplement}" if ref.supplement is not None else ""
    footnote = f" n.{ref.footnote}" if ref.footnote is not None else ""
    return f"{ref.title} C.F.R. pt. {ref.part}{supplement}{footnote}"


def _codified(citation: Mapping[str, Any], words: str) -> list[Part]:
    places = [cfr_bluebook(r) for r in citation.get("cfr") or ()]
    return [Part(f" ({words} {'; '.join(places)})")] if places else []


def _named(citation: Mapping[str, Any]) -> list[Part]:
    """`Publisher, *Title*` (or the citation text, else the URL, for a source with no title)."""
    publisher = citation.get("publisher")
    lead = [Part(f"{publisher}, ")] if publisher else []
    if citation.get("title"):
        return [*lead, Part(str(citation["title"]), italic=True)]
    named = citation.get("citation") or citation.get("url") or citation.get("document_number") or "(unnamed source)"
    return [*lead, Part(str(named))] if named != publisher else [Part(str(named))]


def _federal_register(citation: Mapping[str, Any]) -> list[Part]:
    when = bluebook_date(citation.get("published_on"))
    cited = fr_bluebook(citation.get("citation"))
    if cited is None and citation.get("document_number"):
        cited = f"Fed. Reg. Doc. No. {citation['document_number']}"
    if cited is None:
        return [*_named(citation), Part(f" ({when})" if when else "")]
    return [Part(f"{cited} ({when})" if when else cited), *_codified(citation, "codified at")]


def _public_inspection(citation: Mapping[str, Any]) -> list[Part]:
    when = bluebook_date(citation.get("published_on"))
    title = [Part(str(citation["title"]), italic=True), Part(", ")] if citation.get("title") else []
    number = citation.get("document_number")
    document = f"Federal Register Public Inspection, Doc. No. {number}" if number else (
        citation.get("citation") or "Federal Register Public Inspection")
    return [*title, Part(f"{document} (filed {when})" if when else document),
            *_codified(citation, "to be codified at")]


def cite_parts(citation: Mapping[str, Any], style: Style = "bluebook") -> tuple[Part, ...]:
    """The citation of one source in `style`, as runs of text (titles in italics)."""
    if style == "plain":
        return (Part(_label(citation)),)
    kind = citation.get("kind") or "other"
    if kind == "federal_register":
        found = _federal_register(citation)
    elif kind == "public_inspection":
        found = _public_inspection(citation)
    else:
        when = bluebook_date(citation.get("published_on"))
        found = [*_named(citation), Part(f" ({when})" if when else "")]
    return tuple(p for p in found if p.text)


def _label(citation: Mapping[str, Any]) -> str:
    for field in ("citation", "document_number", "title", "url", "publisher"):
        if citation.get(field):
            return str(citation[field])
    return "(unnamed source)"


def as_text(parts: Iterable[Part]) -> str:
    """The runs as one line of text, without emphasis."""
    return "".join(p.text for p in parts)


def bluebook(citation: Mapping[str, Any]) -> str:
    """The Bluebook citation of one source as plain text (the JSON answers' `bluebook` string)."""
    return as_text(cite_parts(citation, "bluebook"))


def cite_rank(citation: Mapping[str, Any]) -> tuple[int, int, str]:
    """A source's place in memo order (`cite_order` sorts by it)."""
    tier = Reliability.named(citation.get("reliability"))
    kind = citation.get("kind") or "other"
    kind_rank = _KIND_ORDER.index(kind) if kind in _KIND_ORDER else len(_KIND_ORDER)
    return (-(tier.rank if tier is not None else -1), kind_rank, str(citation.get("published_on") or ""))


def cite_order(citations: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Sources as a memo lists them: official first, then by tier; within a tier the Federal Register, public
    inspection, courts, agency announcements, other sources and press; then by date (a stable sort: equal sources
    keep their order)."""
    return sorted(citations, key=cite_rank)
