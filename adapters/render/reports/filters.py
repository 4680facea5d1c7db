"""The text filters and tests of the report templates, in one place: dates, timestamps, tiers, citations, links,
kinds and Markdown escaping. `reports.environment()` registers them on the one jinja2 Environment.

HTML templates rely on autoescape; Markdown templates pass every value through `md` (or `md_url`), which escapes
Markdown's inline punctuation and HTML's `<`, `>` and `&` (Markdown lets raw HTML through), keeps quotes as they
are, and joins lines, so that a value never starts a block or breaks a table.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from functools import lru_cache
from operator import itemgetter
from typing import Any
from urllib.parse import urlsplit

from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from regledger.adapters.render.answers_json import SourceJSON, attribution
from regledger.adapters.render.citations import Style, cfr_bluebook, cite_order, cite_parts, cite_rank
from regledger.domain.values import Reliability

__all__ = [
    "FIELD_LABELS", "FILTERS", "KIND_WORDS", "LIST_NAMES", "TESTS", "bidi", "citation_list", "cite_label",
    "cite_link", "day", "is_web_url", "label", "list_name", "md", "md_url", "moment", "shown", "tier_badge", "words",
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
    """An RFC 3339 timestamp to the second in UTC, as it reads on paper (`2019-05-16 14:02:07 UTC`), or a dash; the
    JSON keeps the exact moment."""
    if not value:
        return NONE
    try:
        found = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return value.replace("T", " ", 1)
    if found.tzinfo is None:
        return f"{found:%Y-%m-%d %H:%M:%S}"
    return f"{found.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC"


# Field paths and detail/parameter names in words (a name not here is spelt out from its words: `_spelt`)
FIELD_LABELS: Mapping[str, str] = {
    "status": "Status", "name": "Name", "aliases": "Aliases", "country": "Country", "addresses": "Addresses",
    "listed_on": "Listed since", "reliability": "Tier of the best source", "affiliate_of": "Affiliate of",
    "title": "Title", "proposed_on": "Proposed on", "effective_on": "In force from", "expires_on": "Valid through",
    "withdrawn_on": "Withdrawn on", "revoked_on": "Revoked on", "drafted_on": "Draft sent for review on",
    "comments_close_on": "Comments close on", "applies_to": "Applies to", "include_affiliates": "Includes affiliates",
    "date": "Date", "timing": "Timing", "outcome": "Outcome", "stance": "Stance", "certainty": "Certainty",
    "stated_on": "Stated on", "published_on": "Published on", "actor_name": "Actor", "details": "Entry terms",
    "parameters": "Parameters", "cfr": "CFR", "party": "Party", "measure": "Measure", "note": "Note",
    "license_requirement": "Licence requirement (as worded)", "license_policy": "Licence review policy (as worded)",
    "licence_requirement": "Licence requirement", "licence_review_policy": "Licence review policy (coded)",
    "licence_scope": "Licence scope (coded)", "licence_exclusions": "Licence exclusions", "footnotes": "Footnotes",
    "non_us_affiliates_listed_with_huawei": "Non-U.S. affiliates listed with Huawei",
    "foreign_direct_product_footnote": "Foreign direct product rule footnote", "fdp_footnote": "FDP rule footnote",
    "de_minimis_percent": "De minimis threshold (%)", "wind_down_ends_on": "Wind-down ends on",
    "affiliates_added": "Affiliates added", "entries_designated": "Entries designated", "gaps": "Gaps in the record",
    "rule": "Role of the rule", "national_emergency_continued_beyond": "National emergency continued beyond",
}
# Control lists by name (the Consolidated Screening List's sources, `importers.screening_read.SOURCES`)
LIST_NAMES: Mapping[str, str] = {
    "us-bis-entity-list": "Entity List (BIS)", "us-bis-meu-list": "Military End-User List (BIS)",
    "us-bis-unverified-list": "Unverified List (BIS)", "us-bis-denied-persons": "Denied Persons List (BIS)",
    "us-ofac-sdn": "Specially Designated Nationals List (OFAC)", "us-ofac-fse": "Foreign Sanctions Evaders (OFAC)",
    "us-ofac-ssi": "Sectoral Sanctions Identifications List (OFAC)", "us-ofac-capta": "CAPTA List (OFAC)",
    "us-ofac-cmic": "Non-SDN Chinese Military-Industrial Complex Companies List (OFAC)",
    "us-ofac-ns-mbs": "Non-SDN Menu-Based Sanctions List (OFAC)",
    "us-ofac-plc": "Palestinian Legislative Council List (OFAC)",
    "us-state-isn": "Nonproliferation Sanctions (State)", "us-state-dtc": "ITAR Debarred (State)",
}


def list_name(key: str | None) -> str:
    """A control list's name (`us-bis-entity-list` → `Entity List (BIS)`), else its key."""
    return LIST_NAMES.get(key or "", key or NONE)


_ACRONYMS = {"us": "U.S.", "fdp": "FDP", "eccns": "ECCNs", "eccn": "ECCN", "cfr": "CFR", "ear": "EAR", "tgl": "TGL",
             "omb": "OMB", "eo": "EO"}


def _spelt(name: str) -> str:
    """`fdp_technology_eccns` → `FDP technology ECCNs`: a snake_case name in words, its first letter a capital."""
    found = " ".join(_ACRONYMS.get(w, w) for w in name.split("_") if w)
    return found[:1].upper() + found[1:]


def label(path: str | None) -> str:
    """A field path in words: `details.license_policy` → `Licence review policy`, `status` → `Status`; the path
    itself stays in the JSON and in the reports' reference column."""
    if not path:
        return NONE
    last = path.rsplit(".", 1)[-1]
    return FIELD_LABELS.get(path) or FIELD_LABELS.get(last) or _spelt(last)


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


def _md_run(text: str) -> str:
    """A run of a citation for Markdown: escaped like `md`, its edge spaces kept (runs are joined)."""
    text = _MD_SPECIAL.sub(r"\\\1", " ".join(text.splitlines()))
    return "".join(_HTML_SPECIAL.get(c, c) for c in text)


def html_text(value: Any) -> str:
    """`value` escaped for HTML exactly as `markupsafe.escape` escapes it (`&`, `<`, `>`, `'`, `"`; markup kept as
    it is), as a plain string: for fragments built in Python, which make one Markup of their whole text instead of
    one for every value (thousands a page)."""
    if hasattr(value, "__html__"):
        return str(value.__html__())
    text = value if isinstance(value, str) else str(value)
    return (text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;").replace("'", "&#39;")
            .replace('"', "&#34;"))


def cite_text(citation: Mapping[str, Any], style: Style = "bluebook") -> str:
    """`cite_html` as a plain string."""
    return "".join(f"<i>{html_text(p.text)}</i>" if p.italic else html_text(p.text)
                   for p in cite_parts(citation, style))


def cite_html(citation: Mapping[str, Any], style: Style = "bluebook") -> Markup:
    """A source in `style` for HTML: escaped, titles in `<i>`."""
    return Markup(cite_text(citation, style))  # noqa: S704 - every run escaped by `cite_text`


def cite_md(citation: Mapping[str, Any], style: Style = "bluebook") -> Markup:
    """A source in `style` for Markdown: escaped, titles in `*…*`."""
    runs = (f"*{_md_run(p.text).strip()}*" if p.italic else _md_run(p.text) for p in cite_parts(citation, style))
    return Markup("".join(runs))  # noqa: S704 - every run escaped by `_md_run`


def cfr_cite(reference: str, style: Style = "bluebook") -> str:
    """A CFR place in `style`: `15 C.F.R. pt. 744, supp. 4` (bluebook) or as stored, `15 CFR part 744, supplement
    no. 4` (plain)."""
    return cfr_bluebook(reference) if style == "bluebook" else reference


def cite_sorted(citations: list[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Sources in memo order (`citations.cite_order`): official first, then by tier, kind and date."""
    return cite_order(citations)


def tier_text(tier: str | None) -> str:
    """`tier_badge` as a plain string."""
    if not tier:
        return '<span class="muted">no tier</span>'
    return f'<span class="tier t{tier_rank(tier)}">{html_text(tier)}</span>'


def tier_badge(tier: str | None) -> Markup:
    """A source's tier as the HTML pages show it: `<span class="tier t0">official</span>` (the class from
    `tier_rank`), or a muted "no tier"."""
    return Markup(tier_text(tier))  # noqa: S704 - escaped by `tier_text`


def bidi_text(text: Any) -> str:
    """`bidi` as a plain string."""
    return f"<bdi>{html_text(text)}</bdi>"


def bidi(text: Any) -> Markup:
    """A name isolated from the text around it (`<bdi>`), so that a right-to-left name cannot reorder its line."""
    return Markup(bidi_text(text))  # noqa: S704 - escaped by `bidi_text`


def style_of(context: Context) -> Style:
    """The citation style of the report being rendered (`r.citation_style`)."""
    style: Style = context.resolve("r")["citation_style"]
    return style


def _linked(citation: Mapping[str, Any], style: Style) -> str:
    cited = cite_text(citation, style)
    url = citation.get("url")
    return f'<a href="{html_text(url)}">{cited}</a>' if is_web_url(url) else cited


@pass_context
def cite_link(context: Context, citation: Mapping[str, Any]) -> Markup:
    """A source in the citation style of the report being rendered (bluebook: `84 Fed. Reg. 22,961 (May 21,
    2019)`, titles in italics; plain: its label), linked when it has a web address."""
    return Markup(_linked(citation, style_of(context)))  # noqa: S704 - escaped by `_linked`


def _source_line(citation: Mapping[str, Any], style: Style) -> str:
    """One source of `citation_list`: its `<li>` line."""
    shown = [f"<li>{_linked(citation, style)} {tier_text(citation.get('reliability'))}"]
    if style != "bluebook":
        named = cite_label(citation)
        publisher, number, title = (citation.get(field) for field in ("publisher", "document_number", "title"))
        if publisher:
            shown.append(f" · {html_text(publisher)}")
        if number and number != named:
            shown.append(f" · doc. {html_text(number)}")
        if title and title != named:
            shown.append(f" · <i>{html_text(title)}</i>")
    url = citation.get("url")
    if url and not is_web_url(url):
        shown.append(f' · <span class="mono">{html_text(url)}</span> (not a web link)')
    shown.append("</li>\n")
    return "".join(shown)


@lru_cache(maxsize=8192)
def _kept_source(frozen: tuple[tuple[str, Any], ...], style: Style) -> tuple[tuple[int, int, str], str]:
    """A source's place in memo order and its line, worked out once per source and style: a page cites the same
    few sources on many of its items (some 500 citations a page, a third of its rendering)."""
    citation = dict(frozen)
    return cite_rank(citation), _source_line(citation, style)


def _source(citation: Mapping[str, Any], style: Style) -> tuple[tuple[int, int, str], str]:
    """A source's place in memo order and its `<li>` line: kept on a source the answers share (`SourceJSON`),
    else `_kept_source` of a source whose fields are text, numbers, none or lists of them (a copy's: made safe,
    or changed); any other source is worked out afresh."""
    if type(citation) is SourceJSON:
        kept: tuple[tuple[int, int, str], str] | None = citation.kept.get(style)
        if kept is None:
            kept = citation.kept[style] = cite_rank(citation), _source_line(citation, style)
        return kept
    try:
        frozen = tuple((key, tuple(value) if type(value) is list else value) for key, value in citation.items())
        return _kept_source(frozen, style)
    except TypeError:  # a field that cannot be a cache key (a nested mapping)
        return cite_rank(citation), _source_line(citation, style)


def citations_text(citations: list[Mapping[str, Any]], style: Style) -> str:
    """`citation_list` in `style`, as a plain string."""
    if not citations:
        return '<p class="muted">No source.</p>\n'
    lines = sorted((_source(citation, style) for citation in citations), key=itemgetter(0))  # stable: cite_order
    return f'<ul class="cites">\n{"".join(line for _, line in lines)}</ul>\n'


@pass_context
def citation_list(context: Context, citations: list[Mapping[str, Any]]) -> Markup:
    """Sources as a list, in memo order (`cite_sorted`), each with its tier: in the bluebook style each as a memo
    cites it; in the plain style its label, then its publisher, document number and title where they add to the
    label. A URL that is not a web address is shown, marked so, never linked. No source: "No source."."""
    return Markup(citations_text(citations, style_of(context)))  # noqa: S704 - escaped by `citations_text`


FILTERS: dict[str, Callable[..., Any]] = {
    "day": day, "moment": moment, "words": words, "tier_rank": tier_rank, "cite_label": cite_label,
    "shown": shown, "md": md, "md_url": md_url, "attribution": attribution,
    "cite_html": cite_html, "cite_md": cite_md, "cite_sorted": cite_sorted, "cfr": cfr_cite, "label": label,
    "list_name": list_name,
}
TESTS: dict[str, Callable[..., bool]] = {"web_url": is_web_url}
