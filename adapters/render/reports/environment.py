"""Rendering reports: the one jinja2 Environment (autoescape on, strict undefined) over the templates shipped in
the `regledger.templates` package, and the three formats (HTML, Markdown, JSON).

A report is a JSON-ready dict built by `data`, `changes`, `party` or `replay`; its `report` field names the template
(`changes.html`, `changes.md`, …). Its stored text reaches the templates made safe (`safe_text`: control
characters, escape sequences and bidi overrides escaped), and HTML keeps autoescape and `<bdi>` isolation on top of
that; JSON reports are the exact data. Templates find their filters (`filters`) and the SVG timeline layout (`svg`) on
the environment.
"""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from regledger.adapters.render.answers_text import STATUS_ORDER, STATUS_WORDS
from regledger.adapters.render.reports.filters import FILTERS, TESTS
from regledger.adapters.render.reports.svg import svg_layout
from regledger.adapters.safe_text import safe_data

__all__ = ["FORMATS", "environment", "render", "tidy_markdown"]

FORMATS = ("html", "markdown", "json")
_TRAILING = re.compile(r"[ \t]+\n")
_BLANKS = re.compile(r"\n{3,}")
_SUFFIX = {"html": "html", "markdown": "md"}


@cache
def environment() -> Environment:
    """The report environment, built once: templates from the installed package, filters registered."""
    env = Environment(
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
    env.globals.update(status_order=STATUS_ORDER, status_words=STATUS_WORDS)
    return env


def render(report: dict[str, Any], output: str) -> str:
    """The report as `output`: html, markdown or json. JSON is the exact data; HTML and Markdown render it with
    every string made safe first (`safe_data`), so no template can show a control character, escape sequence or
    bidi override raw, whichever filter or macro it passes through."""
    if output == "json":
        return json.dumps(report, indent=2, ensure_ascii=False) + "\n"
    text = environment().get_template(f"{report['report']}.{_SUFFIX[output]}").render(r=safe_data(report))
    return tidy_markdown(text) if output == "markdown" else text


def tidy_markdown(text: str) -> str:
    """Markdown without trailing spaces (our templates never mean a hard break) or runs of blank lines."""
    text = _TRAILING.sub("\n", text)
    return _BLANKS.sub("\n\n", text).strip("\n") + "\n"
