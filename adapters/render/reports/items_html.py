"""The HTML of a list entry, a measure, a meeting and a position as the as-of answer's JSON gives them (with its
pending and announced changes and its sources): the blocks every report and page draws for each item it shows.

They are functions, not template macros: a page shows up to 200 items, and jinja2's macro calls, one per item,
per name, per tier and per source, were three fifths of a page's rendering under load. `_items.html` exports them
under the macros' old names (`entry`, `measure`, `meeting`, `position`, `pending`), so templates call them as they
did and the HTML is the same, byte for byte. Every value is escaped (`filters.html_text`, as `markupsafe.escape`
does); names are isolated in `<bdi>`. Like the templates, they read the keys the JSON always has (`item["status"]`:
a missing key is an error, as jinja2's strict undefined made it) and the citation style of the report being
rendered (`r.citation_style`). Each builds its text as a plain string and makes one Markup of it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from regledger.adapters.render.answers_json import attribution
from regledger.adapters.render.reports.filters import (
    bidi,
    bidi_text,
    citation_list,
    citations_text,
    cite_link,
    day,
    html_text,
    label,
    shown,
    style_of,
    tier_badge,
    tier_text,
    words,
)

__all__ = ["FRAGMENTS", "entry_html", "measure_html", "meeting_html", "pending_html", "position_html"]

Item = Mapping[str, Any]
# A measure's dates in the order its status line gives them.
_MEASURE_DATES = (("proposed", "proposed_on"), ("effective", "effective_on"), ("valid through", "expires_on"),
                  ("comments close", "comments_close_on"), ("revoked", "revoked_on"), ("withdrawn", "withdrawn_on"))
_CHANGE_WORDS = {"add": " (addition)", "remove": " (removal)"}


def _key_order(pair: tuple[Any, Any]) -> Any:
    """jinja2's `dictsort` order: by key, strings case-folded to lower case."""
    key = pair[0]
    return key.lower() if isinstance(key, str) else key


def _fields(values: Mapping[str, Any], provenance: Mapping[str, Any] | None, tier: str | None) -> str:
    """An item's details or parameters as a table: each field's label, value (and who set it, when an action of a
    lower tier did) and path; empty when there are none."""
    if not values:
        return ""
    rows = (f"<tr><th>{html_text(label(k))}</th><td>{html_text(shown(v))}"
            f"{html_text(attribution(provenance, k, tier))}</td><td class=\"mono muted\">{html_text(k)}</td></tr>"
            for k, v in sorted(values.items(), key=_key_order))
    return f'<table class="fields">{"".join(rows)}</table>\n'


def pending_text(pending: Sequence[Item], announced: Sequence[Item] = ()) -> str:
    """`pending_html` as a plain string."""
    shown_pending = (f'<p class="note">Pending: {html_text(words(p["kind"]))} effective '
                     f'{html_text(day(p["effective_on"]))} (published {html_text(day(p["published_on"]))}).</p>'
                     for p in pending)
    shown_announced = (f'<p class="note">Announced{_CHANGE_WORDS.get(a["change"], "")} on '
                       f'{html_text(day(a["published_on"]))}, no effective date yet.</p>' for a in announced)
    return "".join((*shown_pending, *shown_announced))


def pending_html(pending: Sequence[Item], announced: Sequence[Item] = ()) -> Markup:
    """An item's changes published but not yet in effect, then those announced without an effective date."""
    return Markup(pending_text(pending, announced))  # noqa: S704 - every value escaped by `pending_text`


def _head(title: Any, key: Any, after: str = "") -> str:
    """What opens every item's block: its title (a name, isolated) and its key, then `after` in the heading."""
    return f'<div class="block">\n<h4>{bidi_text(title)} <span class="mono">[{html_text(key)}]</span>{after}</h4>\n'


def _status(status: str, after: str) -> str:
    """The status in words, in its span, then `after` (HTML)."""
    return f'<span class="status">{html_text(status)}</span>{after}'


def _tail(context: Context, item: Item, *, pending: bool) -> str:
    """What closes every item's block: its pending and announced changes (entries and measures), its sources."""
    said = f"{pending_text(item['pending'], item['announced'] or [])}\n" if pending else ""
    return f"{said}{citations_text(item['citations'], style_of(context))}\n</div>\n"


@pass_context
def entry_html(context: Context, e: Item) -> Markup:
    """A list entry: name and key, country, status since when with its tier, aliases, details, pending changes,
    sources."""
    country = f" · {html_text(e['country'])}" if e["country"] else ""
    since = "listed since" if e["status"] == "in_force" else "listed from"
    status = _status(words(e["status"]), f" — {since} {html_text(day(e['listed_on']))} {tier_text(e['reliability'])}")
    aliases = f"<p>Also known as: {'; '.join(bidi_text(a) for a in e['aliases'])}</p>" if e["aliases"] else ""
    details = _fields(e["details"], e.get("details_provenance"), e["reliability"])
    return Markup(  # noqa: S704 - every value escaped
        f"{_head(e['name'] or e['party'], e['party'], country)}<p>{status}</p>\n{aliases}{details}"
        f"{_tail(context, e, pending=True)}")


@pass_context
def measure_html(context: Context, m: Item) -> Markup:
    """A measure: title and key, status with its dates and tier, parameters, pending changes, sources."""
    dates = "".join(f" · {text} {html_text(day(m[field]))}" for text, field in _MEASURE_DATES if m[field])
    status = _status(words(m["status"]), f"{dates} {tier_text(m['reliability'])}")
    parameters = _fields(m["parameters"], m.get("parameters_provenance"), m["reliability"])
    return Markup(  # noqa: S704 - every value escaped
        f"{_head(m['title'] or m['key'], m['key'])}<p>{status}</p>\n{parameters}{_tail(context, m, pending=True)}")


@pass_context
def meeting_html(context: Context, m: Item) -> Markup:
    """A meeting: title and key, status and date, outcome, sources."""
    status = _status(words(m["status"]), f" · {html_text(day(m['date']))}" if m["date"] else "")
    outcome = f"<p>Outcome: {html_text(m['outcome'])}</p>" if m["outcome"] else ""
    return Markup(  # noqa: S704 - every value escaped
        f"{_head(m['title'] or m['key'], m['key'])}<p>{status}</p>\n{outcome}{_tail(context, m, pending=False)}")


@pass_context
def position_html(context: Context, p: Item) -> Markup:
    """A position: who, on what, the stance and its certainty, when stated and published, its tier, sources."""
    certainty = f" ({html_text(p['certainty'])})" if p["certainty"] else ""
    status = _status(p["stance"], f"{certainty} · stated {html_text(day(p['stated_on']))} · published "
                                  f"{html_text(day(p['published_on']))} {tier_text(p['reliability'])}")
    on = f' on <span class="mono">{html_text(p["subject"])}</span>'
    return Markup(  # noqa: S704 - every value escaped
        f"{_head(p['actor_name'] or p['actor'], p['actor'], on)}<p>{status}</p>\n{_tail(context, p, pending=False)}")


# The HTML fragments called for every item and every source on a page: functions, not template macros (a macro
# call costs jinja2 several times a function's call). `_macros.html`, `_citations.html` and `_items.html` export
# them under the macros' names.
FRAGMENTS: dict[str, Callable[..., Any]] = {
    "tier_badge": tier_badge, "bidi": bidi, "cite_link_html": cite_link, "citation_list": citation_list,
    "entry_html": entry_html, "measure_html": measure_html, "meeting_html": meeting_html,
    "position_html": position_html, "pending_html": pending_html,
}
