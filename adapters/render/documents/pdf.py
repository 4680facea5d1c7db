"""A report as PDF: WeasyPrint lays out the report's own HTML with the print stylesheet (templates/print.css), the
shipped fonts embedded, and a running header and footer from the masthead: title and axes top left, the ledger top
right, the legend bottom left and "page N of M" bottom right, on every page.

Table rows never split across pages; a table's first row of headings becomes its header group, which WeasyPrint
repeats on each page the table runs onto. Nothing is fetched: only the shipped fonts and `data:` URLs are read.
The file's creation and modification dates are the report's `produced_at`, so one report gives the same bytes.
"""

from __future__ import annotations

import re
from importlib.resources import files
from typing import Any
from xml.etree.ElementTree import Element

from weasyprint import HTML, default_url_fetcher  # type: ignore[import-untyped]
from weasyprint.text.fonts import FontConfiguration  # type: ignore[import-untyped]

from regledger.adapters.render.documents.errors import DocumentError
from regledger.adapters.render.documents.fonts import MONO_STACK, SANS_STACK, font_dir, font_face_css
from regledger.adapters.render.documents.masthead import Masthead

__all__ = ["css_string", "page_css", "pdf", "print_css"]

_SVG = "{http://www.w3.org/2000/svg}"
_TEXT_SIZE = re.compile(r"svg[^{}]*\btext\s*\{[^}]*?\bfont(?:-size)?:\s*(\d+(?:\.\d+)?px)")  # `svg text { font: 11px …`
_FILL = re.compile(r"\.([\w-]+)\s*\{[^}]*?\bfill:\s*(#[0-9a-fA-F]{3,8})")  # `.s-in_force { fill: #2e7d4f; …}`


def pdf(html: str, head: Masthead) -> bytes:
    """The report's HTML as PDF bytes."""
    fonts = FontConfiguration()
    document = HTML(string=html, url_fetcher=_fetch, base_url=font_dir().as_uri() + "/")
    repeat_header_rows(document.etree_element)
    _svg_fonts(document.etree_element)
    _last_style(document.etree_element, font_face_css() + print_css() + page_css(head))
    try:
        laid_out = document.render(font_config=fonts)
    except Exception as error:  # WeasyPrint raises plain exceptions of many kinds
        raise DocumentError(f"pdf: cannot lay out the report: {error}") from None
    laid_out.metadata.title = head.title
    laid_out.metadata.generator = "regledger"
    laid_out.metadata.created = laid_out.metadata.modified = head.produced_at or None
    return bytes(laid_out.write_pdf())


def print_css() -> str:
    """The print stylesheet, its font stacks filled in."""
    css = (files("regledger.templates") / "print.css").read_text(encoding="utf-8")
    return css.replace("var(--sans)", SANS_STACK).replace("var(--mono)", MONO_STACK)


def page_css(head: Masthead) -> str:
    """The margin boxes' text: title and axes, ledger, legend."""
    rules = [f"@top-left {{ content: {css_string(head.title + chr(10) + head.axes)}; }}",
             f"@top-right {{ content: {css_string(head.ledger)}; }}"]
    if head.legend:
        rules.append(f"@bottom-left {{ content: {css_string(head.legend)}; }}")
    return "@page { " + " ".join(rules) + " }\n"


def css_string(text: str) -> str:
    """`text` as a quoted CSS string: quotes, backslashes and control characters escaped, line breaks as \\A."""
    escaped = "".join(f"\\{ord(c):x} " if ord(c) < 0x20 or c in '"\\' or ord(c) == 0x7F else c for c in text)
    return f'"{escaped}"'


def repeat_header_rows(root: Element) -> None:
    """Give each table whose first row holds only headings (two or more) a header group, repeated on each page."""
    for table in root.iter("table"):
        if table.find("thead") is not None:
            continue
        body = table.find("tbody")
        first = body[0] if body is not None and len(body) else None
        if body is None or first is None or first.tag != "tr" or len(first) < 2 or any(c.tag != "th" for c in first):
            continue
        body.remove(first)
        thead = Element("thead")
        thead.append(first)
        table.insert(list(table).index(body), thead)


def _svg_fonts(root: Element) -> None:
    """SVG text in the shipped fonts, and SVG fills set by class in the page's style as attributes: WeasyPrint's SVG
    renderer reads the elements' own attributes, not the page's CSS."""
    css = "".join(style.text or "" for style in root.iter("style"))
    fills = dict(_FILL.findall(css))
    size = next(iter(_TEXT_SIZE.findall(css)), "11px")
    for svg in root.iter(f"{_SVG}svg"):
        for element in svg.iter():
            if element.tag == f"{_SVG}text":
                element.set("font-family", SANS_STACK.replace('"', "'"))
                element.set("font-size", element.get("font-size") or size)
            colour = next((fills[c] for c in element.get("class", "").split() if c in fills), None)
            if colour and element.get("fill") is None:
                element.set("fill", colour)


def _last_style(root: Element, css: str) -> None:
    """`css` as the document's last style sheet, so that it wins over the report's screen style."""
    head = root.find("head")
    style = Element("style")
    style.text = css
    (head if head is not None else root).append(style)


def _fetch(url: str, *args: Any, **kwargs: Any) -> Any:
    """Only the shipped fonts and data: URLs; anything else a report names is never fetched."""
    if url.startswith("data:") or (url.startswith("file:") and url.startswith(font_dir().as_uri() + "/")):
        return default_url_fetcher(url, *args, **kwargs)
    raise DocumentError(f"pdf: {url[:80]!r} is not fetched (only the shipped fonts are)")
