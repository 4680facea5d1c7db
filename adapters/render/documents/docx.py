"""A report as a Word document (python-docx), built from the report's own HTML with no code for any report kind:
headings, paragraphs, lists, tables (rows never split across pages, a first row of headings repeated on each page),
definition lists as two-column tables, bold, italics, code, links; an SVG chart becomes a one-line note (the PDF and
HTML draw it). US Letter; a running header (title, axes, ledger) and a footer with the legend and "page N of M"
(Word's PAGE and NUMPAGES fields, filled in when Word lays the document out).

Word cannot be relied on to use a font embedded in the file, so every run names its fonts: Arial for Latin and
complex scripts, and an East Asian font (`w:eastAsia`, Microsoft YaHei, on every Windows since Vista) so that Word
draws Chinese with a CJK font rather than empty boxes; right-to-left text is marked so.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Protocol

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.table import CT_Row
from docx.shared import Inches, Pt, RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from regledger.adapters.render.documents.htmltree import Node, parse_html
from regledger.adapters.render.documents.masthead import Masthead

__all__ = ["EAST_ASIAN_FONT", "LATIN_FONT", "MONO_FONT", "docx"]

LATIN_FONT = "Arial"
MONO_FONT = "Consolas"
EAST_ASIAN_FONT = "Microsoft YaHei"
_SKIP = {"head", "style", "script", "title", "meta", "link", "template"}
_BLOCKS = {"p", "div", "section", "header", "footer", "main", "article", "nav", "aside", "figure", "figcaption",
           "dd", "dt", "blockquote", "pre", "body", "html", "#document", "details", "summary"}
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 4, "h6": 4}
_SPACES = re.compile(r"\s+")
_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")


class Container(Protocol):
    """What holds paragraphs and tables: the document's body or a table cell."""

    def add_paragraph(self, text: str = "", style: str | None = None) -> Paragraph: ...


@dataclass(frozen=True)
class Look:
    """How inline text is drawn."""

    bold: bool = False
    italic: bool = False
    mono: bool = False
    small: bool = False
    strike: bool = False
    muted: bool = False
    link: str | None = None


def docx(html: str, head: Masthead) -> bytes:
    """The report's HTML as the bytes of a .docx file."""
    document = Document()
    _set_up(document, head)
    _Writer(document).blocks(parse_html(html), document, 0)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _set_up(document: DocumentObject, head: Masthead) -> None:
    """Letter pages, the base fonts, the running header and footer, and the file's dates."""
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Inches(8.5), Inches(11)
    section.left_margin = section.right_margin = Inches(0.6)
    section.top_margin, section.bottom_margin = Inches(0.75), Inches(0.7)
    normal = document.styles["Normal"]
    normal.font.size = Pt(9)
    normal.font.name = LATIN_FONT
    _fonts(normal.element.get_or_add_rPr(), mono=False)
    title = section.header.paragraphs[0]
    _styled(title.add_run(head.title), Look(bold=True, small=True))
    _styled(title.add_run(f"  ·  {head.axes}"), Look(small=True))
    _styled(section.header.add_paragraph().add_run(head.ledger), Look(small=True, mono=True))
    footer = section.footer.paragraphs[0]
    if head.legend:
        _styled(footer.add_run(head.legend), Look(bold=True, small=True))
        footer = section.footer.add_paragraph()
    footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _styled(footer.add_run("page "), Look(small=True))
    _field(footer, "PAGE")
    _styled(footer.add_run(" of "), Look(small=True))
    _field(footer, "NUMPAGES")
    properties = document.core_properties
    properties.title, properties.author, properties.last_modified_by = head.title, "regledger", "regledger"
    properties.comments, properties.revision = "", 1
    if head.produced_at:
        moment = datetime.fromisoformat(head.produced_at.replace("Z", "+00:00"))
        properties.created = properties.modified = moment


class _Writer:
    """Walks the tree, writing blocks into containers and inline content into their current paragraph."""

    def __init__(self, document: DocumentObject) -> None:
        self.document = document
        self.paragraph: Paragraph | None = None

    def blocks(self, node: Node, into: Container, depth: int, look: Look = Look()) -> None:
        """The children of a block element, into `into` (depth: how deeply lists nest here)."""
        self.paragraph = None
        for before, child in zip([None, *node.children], node.children, strict=False):
            if isinstance(child, str) or child.tag not in _BLOCK_TAGS:
                if isinstance(child, Node) and child.tag in _SKIP:
                    continue
                if self.paragraph is None:
                    if isinstance(child, str) and not child.strip():
                        continue
                    self.paragraph = into.add_paragraph()
                elif _apart(before, child):
                    _run(self.paragraph, "   ", look)
                self.inline(child, self.paragraph, look)
            elif child.tag in _HEADINGS:
                self.paragraph = None
                heading = into.add_paragraph(style=f"Heading {_HEADINGS[child.tag]}")
                self.inline(child, heading, look)
            elif child.tag in _BLOCK_WRITERS:
                _BLOCK_WRITERS[child.tag](self, child, into, depth, look)
                self.paragraph = None
            else:
                self.blocks(child, into, depth, _look_of(child, look))
                self.paragraph = None

    def inline(self, node: Node | str, paragraph: Paragraph, look: Look) -> None:
        """Text and inline elements, into `paragraph`."""
        if isinstance(node, str):
            text = _SPACES.sub(" ", node)
            if not paragraph.runs and not paragraph._p.xpath("./w:hyperlink"):
                text = text.lstrip()
            if text:
                _run(paragraph, text, look)
            return
        if node.tag in _SKIP:
            return
        if node.tag == "br":
            paragraph.add_run().add_break()
            return
        inside = _look_of(node, look)
        for before, child in zip([None, *node.children], node.children, strict=False):
            if _apart(before, child):
                _run(paragraph, "   ", inside)
            self.inline(child, paragraph, inside)

    def listing(self, node: Node, into: Container, depth: int, look: Look) -> None:
        """A list: one paragraph per item, bulleted or numbered, indented by depth."""
        style = "List Number" if node.tag == "ol" and "steps" not in node.classes() else "List Bullet"
        style += f" {min(depth + 1, 3)}" if depth else ""
        for item in node.elements("li"):
            if any(child.tag in _BLOCK_TAGS for child in item.elements()):  # a block of its own, not a bullet
                self.blocks(item, _Holder(into), depth + 1, _look_of(item, look))
                continue
            paragraph = into.add_paragraph(style=style)
            for child in item.children:
                self.inline(child, paragraph, _look_of(item, look))

    def table(self, node: Node, into: Container, depth: int, look: Look) -> None:
        """A table: rows that do not split, the first row of headings repeated on each page."""
        rows = [row for part in [node, *node.elements("thead", "tbody", "tfoot")] for row in part.elements("tr")]
        width = max((len(row.elements("td", "th")) for row in rows), default=0)
        if not width:
            return
        table = _add_table(into, len(rows), width)
        for row, tr in zip(table.rows, rows, strict=True):
            _keep_together(row._tr, heading=tr is rows[0] and _heading_row(tr))
            for cell, td in zip(row.cells, tr.elements("td", "th"), strict=False):
                self.blocks(td, _Holder(cell, cell.paragraphs[0]), depth, _look_of(td, look))

    def definitions(self, node: Node, into: Container, depth: int, look: Look) -> None:
        """A definition list, as a two-column table: each term beside its definitions."""
        pairs: list[tuple[Node, list[Node]]] = []
        for child in node.elements("dt", "dd"):
            if child.tag == "dt" or not pairs:
                pairs.append((child, []))
            else:
                pairs[-1][1].append(child)
        if not pairs:
            return
        table = _add_table(into, len(pairs), 2)
        for row, (term, definitions) in zip(table.rows, pairs, strict=True):
            _keep_together(row._tr, heading=False)
            term_cell, definition_cell = row.cells
            self.blocks(term, _Holder(term_cell, term_cell.paragraphs[0]), depth, replace(look, bold=True))
            self.blocks(Node("div", children=list(definitions)),
                        _Holder(definition_cell, definition_cell.paragraphs[0]), depth, look)

    def figure(self, node: Node, into: Container, depth: int, look: Look) -> None:
        """An SVG chart, as a one-line note naming it."""
        said = node.attrs.get("aria-label") or "a chart"
        _run(into.add_paragraph(), f"[Chart: {said}. The PDF and HTML reports draw it.]", replace(look, italic=True))

    def rule(self, node: Node, into: Container, depth: int, look: Look) -> None:
        """A horizontal rule, as an empty paragraph."""
        into.add_paragraph()


_BLOCK_WRITERS = {"ul": _Writer.listing, "ol": _Writer.listing, "table": _Writer.table, "dl": _Writer.definitions,
                  "svg": _Writer.figure, "hr": _Writer.rule}
_BLOCK_TAGS = _BLOCKS | set(_HEADINGS) | set(_BLOCK_WRITERS)


class _Holder:
    """A container that adds to another (block content inside a list item goes after the item's paragraph); given
    the empty paragraph a new table cell starts with, it fills that one first."""

    def __init__(self, into: Container, empty: Paragraph | None = None) -> None:
        self.into = into
        self.empty = empty

    def add_paragraph(self, text: str = "", style: str | None = None) -> Paragraph:
        """A paragraph in the container held."""
        if self.empty is None:
            return self.into.add_paragraph(text, style)
        paragraph, self.empty = self.empty, None
        if style:
            paragraph.style = style
        if text:
            paragraph.add_run(text)
        return paragraph

    def add_table(self, rows: int, cols: int) -> Table:
        """A table in the container held."""
        return _add_table(self.into, rows, cols)


def _add_table(into: Container, rows: int, cols: int) -> Table:
    """A grid table in the body, a cell or a holder."""
    if isinstance(into, DocumentObject):
        table: Table = into.add_table(rows, cols, style="Table Grid")
        return table
    table = into.add_table(rows, cols)  # type: ignore[attr-defined]  # a cell or a holder
    table.style = "Table Grid"
    return table


def _apart(before: Node | str | None, child: Node | str) -> bool:
    """Whether two sibling spans touch with no text between (set apart by CSS margins alone)."""
    return isinstance(child, Node) and isinstance(before, Node) and child.tag == before.tag == "span"


def _heading_row(tr: Node) -> bool:
    """Whether a row holds only headings, two or more: a table's header row."""
    cells = tr.elements("td", "th")
    return len(cells) >= 2 and all(cell.tag == "th" for cell in cells)


def _keep_together(row: CT_Row, *, heading: bool) -> None:
    """The row (`w:tr`) never splits across pages; a heading row repeats on each page."""
    properties = row.get_or_add_trPr()
    properties.append(OxmlElement("w:cantSplit"))
    if heading:
        properties.append(OxmlElement("w:tblHeader"))


def _look_of(node: Node, look: Look) -> Look:
    """The look inside an element."""
    tag, classes = node.tag, node.classes()
    if tag in {"b", "strong", "th", "dt"} or classes & {"status", "tier", "doc-legend"}:
        look = replace(look, bold=True)
    if tag in {"em", "i", "cite"}:
        look = replace(look, italic=True)
    if tag in {"code", "kbd", "samp", "tt"} or "mono" in classes:
        look = replace(look, mono=True)
    if tag == "small" or classes & {"tier", "note", "dates", "kicker"}:
        look = replace(look, small=True)
    if tag in {"s", "del", "strike"} or "retracted" in classes:
        look = replace(look, strike=True)
    if "muted" in classes:
        look = replace(look, muted=True)
    href = node.attrs.get("href", "")
    if tag == "a" and href.startswith(("https://", "http://")):
        look = replace(look, link=href)
    return look


def _run(paragraph: Paragraph, text: str, look: Look) -> None:
    """A run of text drawn with `look`, inside a hyperlink when it links."""
    run = paragraph.add_run(text)
    _styled(run, look)
    if _RTL.search(text):
        run._r.get_or_add_rPr().append(OxmlElement("w:rtl"))
    if look.link:
        link = OxmlElement("w:hyperlink")
        link.set(qn("r:id"), paragraph.part.relate_to(look.link, RELATIONSHIP_TYPE.HYPERLINK, is_external=True))
        run._r.addprevious(link)
        link.append(run._r)


def _styled(run: Run, look: Look) -> None:
    """Bold, italic, size, colour and the fonts of every script on a run."""
    run.bold = look.bold or None
    run.italic = look.italic or None
    run.font.strike = look.strike or None
    if look.small:
        run.font.size = Pt(8)
    if look.link:
        run.font.color.rgb, run.font.underline = RGBColor(0x14, 0x47, 0x7D), True
    elif look.muted:
        run.font.color.rgb = RGBColor(0x55, 0x55, 0x55)
    _fonts(run._r.get_or_add_rPr(), mono=look.mono)


def _fonts(properties: object, *, mono: bool) -> None:
    """Latin, complex-script and East Asian fonts (w:rFonts), so Word picks a CJK font for Chinese."""
    fonts = properties.get_or_add_rFonts()  # type: ignore[attr-defined]
    latin = MONO_FONT if mono else LATIN_FONT
    for attribute, font in (("w:ascii", latin), ("w:hAnsi", latin), ("w:eastAsia", EAST_ASIAN_FONT),
                            ("w:cs", LATIN_FONT)):
        fonts.set(qn(attribute), font)


def _field(paragraph: Paragraph, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word fills in; "1" until it does."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), f" {instruction} ")
    run = paragraph.add_run("1")
    _styled(run, Look(small=True))
    run._r.addprevious(field)
    field.append(run._r)
