"""What the pages' templates find on their environment: the reports' filters and tests (dates, tiers, citations,
status words, the SVG timeline's layout), so that a page shows an item as a report does; `url_with`, which keeps
the URL's query (every axis stays in the URL) while changing some parameters; and a `csrf_field` that renders
nothing until the security layer (`security.install`) registers the real one; and `r`, the report settings the
reports' fragments read (`REPORT_DEFAULTS`)."""

from __future__ import annotations

from importlib.metadata import version
from typing import Any
from urllib.parse import quote, urlencode

from jinja2 import Environment
from markupsafe import Markup

from regledger.adapters.render.answers_text import STATUS_ORDER, STATUS_WORDS
from regledger.adapters.render.reports.filters import FILTERS, TESTS, html_text
from regledger.adapters.render.reports.items_html import FRAGMENTS
from regledger.adapters.render.reports.svg import svg_layout

__all__ = ["LINKS", "REPORT_DEFAULTS", "install_filters", "party_link_html", "path_part", "subject_link_html",
           "url_with"]

# What the reports' shared fragments (`_items.html`, `_citations.html`) read from the report they render (`r`): a page
# that reuses them renders its sources in the plain style.
REPORT_DEFAULTS: dict[str, Any] = {"citation_style": "plain"}


def url_with(path: str, params: dict[str, Any], **changes: Any) -> str:
    """`path` with the query `params` changed by `changes` (None or "" drops a parameter)."""
    merged = {**params, **changes}
    query = urlencode({k: v for k, v in merged.items() if v not in (None, "")})
    return f"{path}?{query}" if query else path


def path_part(value: Any) -> str:
    """`value` as one segment of a URL's path (every reserved character encoded, `/` too)."""
    return quote(str(value), safe="")


def subject_link_html(kind: str, key: Any, text: Any, view: Any) -> Markup:
    """A link to the page of subject `key` of `kind` (parties, measures, meetings) under the axes of `view` (a
    `views.View`), reading `text`, isolated in `<bdi>`."""
    url = url_with(f"/{kind}/{path_part(key)}", view.axes_query)
    return Markup(f'<a href="{html_text(url)}"><bdi>{html_text(text)}</bdi></a>')  # noqa: S704 - escaped


def party_link_html(key: Any, text: Any, view: Any) -> Markup:
    """A link to party `key`'s page under the axes of `view`, reading `text`, isolated in `<bdi>`."""
    return subject_link_html("parties", key, text, view)


# The links a page draws for every row: functions, not macros (`reports.items_html` says why); `_web.html` exports
# them under the macros' names.
LINKS = {"party_link_html": party_link_html, "subject_link_html": subject_link_html}


def _no_csrf_field() -> Markup:
    return Markup("")


def install_filters(environment: Environment) -> None:
    """Register the filters, tests and globals the pages use on `environment`."""
    environment.filters.update(FILTERS)
    environment.filters["svg_layout"] = svg_layout
    environment.filters["path_part"] = path_part
    environment.tests.update(TESTS)
    environment.globals.update(FRAGMENTS, **LINKS, status_order=STATUS_ORDER, status_words=STATUS_WORDS,
                               url_with=url_with, csrf_field=_no_csrf_field, regledger_version=version("regledger"),
                               r=REPORT_DEFAULTS)
