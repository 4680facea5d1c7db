"""Rendering reports: the one jinja2 Environment (autoescape on, strict undefined) over the templates shipped in
the `regledger.templates` package, and the formats (HTML, Markdown, JSON; PDF and Word).

A report is a JSON-ready dict built by `data`, `changes`, `party` or `replay`; its `report` field names the template
(`changes.html`, `changes.md`, …). PDF and Word documents are made from the HTML (`render_document`, through
`regledger.adapters.render.documents`), so every report kind has every format with no code of its own; a legend,
when given, is the first and last line of HTML and Markdown, a `legend` key of JSON, and on every page of a
document. Its stored text reaches the templates made safe (`safe_text`: control characters, escape sequences and
bidi overrides escaped), and HTML keeps autoescape and `<bdi>` isolation on top of that; JSON reports are the
exact data. Templates find their filters (`filters`) and the SVG timeline layout (`svg`) on the environment.
"""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from regledger.adapters.render.answers_json import SourceJSON
from regledger.adapters.render.answers_text import STATUS_ORDER, STATUS_WORDS
from regledger.adapters.render.documents import (
    DOCUMENT_FORMATS,
    DocumentError,
    document,
    legend_html,
    legend_markdown,
    masthead,
)
from regledger.adapters.render.reports.filters import FILTERS, TESTS
from regledger.adapters.render.reports.items_html import FRAGMENTS
from regledger.adapters.render.reports.svg import svg_layout
from regledger.adapters.safe_text import safe_data

__all__ = ["DOCUMENT_FORMATS", "FORMATS", "TEXT_FORMATS", "DataEnvironment", "environment", "render", "render_any",
           "render_document", "tidy_markdown"]

TEXT_FORMATS = ("html", "markdown", "json")
FORMATS = TEXT_FORMATS + DOCUMENT_FORMATS
_TRAILING = re.compile(r"[ \t]+\n")
_BLANKS = re.compile(r"\n{3,}")
_SUFFIX = {"html": "html", "markdown": "md"}


_DICT_ATTRIBUTES = frozenset(dir(dict))
_PLAIN_DICTS = (dict, SourceJSON)  # what the answers' JSON is made of: a shared source reads as a plain dict


class DataEnvironment(Environment):
    """A jinja2 Environment for templates that read JSON-like data: `x.name` on a plain dict looks the key up
    straight away. jinja2 tries the attribute first and the key after the AttributeError, and that exception, raised
    for every field a page reads, was a tenth of a page's rendering. Same answer as jinja2's: a dict's own
    attributes (`x.items`, `x.get`) are still the methods, a missing key is still undefined. A shared source
    (`SourceJSON`) reads as a plain dict: its `kept` is a key like any other."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        """`obj.attribute` as jinja2 resolves it, a plain dict's keys first found without an exception."""
        if type(obj) in _PLAIN_DICTS and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)


@cache
def environment() -> Environment:
    """The report environment, built once: templates from the installed package, filters registered."""
    env = DataEnvironment(
        loader=PackageLoader("regledger.templates", "."),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(FILTERS)
    env.filters["svg_layout"] = svg_layout
    env.tests.update(TESTS)
    env.globals.update(FRAGMENTS, status_order=STATUS_ORDER, status_words=STATUS_WORDS)
    return env


def render(report: dict[str, Any], output: str, legend: str | None = None) -> str:
    """The report as `output`: html, markdown or json (TEXT_FORMATS). JSON is the exact data; HTML and Markdown
    render it with every string made safe first (`safe_data`), so no template can show a control character, escape
    sequence or bidi override raw, whichever filter or macro it passes through."""
    if output not in TEXT_FORMATS:
        raise DocumentError(f"format: {output!r} is a document, made by render_document, not text")
    if output == "json":
        return json.dumps({**report, "legend": legend} if legend else report, indent=2, ensure_ascii=False) + "\n"
    text = environment().get_template(f"{report['report']}.{_SUFFIX[output]}").render(r=safe_data(report))
    if output == "markdown":
        return legend_markdown(tidy_markdown(text), legend)
    return legend_html(text, legend)


def render_document(report: dict[str, Any], output: str, legend: str | None = None) -> bytes:
    """The report as a PDF or Word document (DOCUMENT_FORMATS), made from its HTML."""
    return document(render(report, "html", legend), output, masthead(report, legend))


def render_any(report: dict[str, Any], output: str, legend: str | None = None) -> str | bytes:
    """The report in any of FORMATS: text for html, markdown and json; bytes for pdf and docx."""
    return render_document(report, output, legend) if output in DOCUMENT_FORMATS else render(report, output, legend)


def tidy_markdown(text: str) -> str:
    """Markdown without trailing spaces (our templates never mean a hard break) or runs of blank lines."""
    text = _TRAILING.sub("\n", text)
    return _BLANKS.sub("\n\n", text).strip("\n") + "\n"
