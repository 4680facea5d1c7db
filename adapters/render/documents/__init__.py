"""Reports as documents to attach to a memo: PDF (WeasyPrint, the shipped fonts embedded) and Word (python-docx),
both made from the report's own HTML, so that every report kind, present or future, has them with no code of its
own; and the legend ("Privileged & Confidential — Attorney Work Product") that a report can carry at its top and
bottom, and in a document on every page.

    document(html, "pdf" | "docx", masthead) -> bytes
"""

from __future__ import annotations

import re
from html import escape

from regledger.adapters.safe_text import safe_text

from .errors import DocumentError
from .masthead import Masthead, masthead

__all__ = ["DOCUMENT_FORMATS", "DocumentError", "Masthead", "document", "legend_html", "legend_markdown", "masthead"]

DOCUMENT_FORMATS = ("pdf", "docx")
_BODY = re.compile(r"<body[^>]*>", re.IGNORECASE)
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~-])")
_LEGEND_STYLE = "font-weight:bold;text-align:center;border:1px solid #333;padding:.2rem .5rem;margin:.4rem 0"


def document(html: str, output: str, head: Masthead) -> bytes:
    """The report's HTML as a PDF or Word document (`output`: pdf or docx)."""
    if output == "pdf":
        from .pdf import pdf  # noqa: PLC0415  # WeasyPrint loads Pango and its fonts: only when a PDF is asked for

        return pdf(html, head)
    if output == "docx":
        from .docx import docx  # noqa: PLC0415  # python-docx and lxml: only when a Word document is asked for

        return docx(html, head)
    raise DocumentError(f"--format: {output!r} is not a document format ({', '.join(DOCUMENT_FORMATS)})")


def legend_html(html: str, legend: str | None) -> str:
    """The HTML with the legend as its first and last paragraph (unchanged without one)."""
    if not legend:
        return html
    line = f'<p class="doc-legend" style="{_LEGEND_STYLE}">{escape(safe_text(legend))}</p>\n'
    opened = _BODY.search(html)
    closed = html.rfind("</body>")
    if opened is None or closed < opened.end():
        return line + html + line
    return html[:opened.end()] + "\n" + line + html[opened.end():closed] + line + html[closed:]


def legend_markdown(text: str, legend: str | None) -> str:
    """The Markdown with the legend, bold, as its first and last line (unchanged without one)."""
    if not legend:
        return text
    line = "**" + _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(safe_text(legend).split())) + "**"
    return f"{line}\n\n{text.rstrip()}\n\n{line}\n"
