"""`regledger report … --format pdf|docx`: every report kind on the bundled case as a PDF (its text extracted and
compared with a golden file, its pages bounded, "page N of M" and the legend on every page, only the shipped fonts
embedded and covering every character drawn) and as a Word document (its body, header and footer XML compared with a
golden file; rows that never split, repeated header rows, an East Asian font on every run, PAGE and NUMPAGES fields);
the legend in HTML, Markdown and JSON; binary output refused on a terminal, written to a pipe.

Documents are made from the report's HTML, whatever the store (test_reports.py checks both stores give the same
reports), so these tests read one SQLite ledger, recorded once for the module. Goldens live in tests/golden/documents/;
after an intended change (a template's wording, a label), rewrite them with
`REGLEDGER_UPDATE_GOLDEN=1 .venv/bin/pytest tests/e2e/test_report_documents.py` and review `git diff tests/golden`.
"""

from __future__ import annotations

import io
import json
import os
import pty
import re
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fontTools.ttLib import TTFont
from lxml import etree
from pypdf import PdfReader

from regledger.adapters.cli.main import cli
from regledger.adapters.render.documents.fonts import FONT_FILES, font_dir
from tests.conftest import EXAMPLE, ROOT
from tests.e2e.report_kit import PINNED_EPOCH, REPORTS, assert_golden, hostile_timeline, normalise

LEGEND = "Privileged & Confidential — Attorney Work Product"
KINDS = {**REPORTS, "changes": ["changes", "--from", "2020-02-15", "--to", "2020-05-14"], "screening": []}
PAGES = {"changes": 5, "snapshot": 16, "party": 8, "replay": 55, "screening": 5}  # at most; others: 60
CORPUS = [EXAMPLE, *sorted((ROOT / "tests" / "fixtures" / "screening").glob("*.csv"))]
_HEAD = re.compile(r"\b[0-9a-f]{64}\b|\b[0-9a-f]{12}…")
_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z| UTC|\+00:00)?")
_RUN = re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_LINE_ENDS = re.compile(r"(<w:body>|</w:p>|<w:p/>|</w:tr>|<w:tbl>|</w:tbl>|</w:tblPr>|</w:tblGrid>)")


class Made:
    """The bundled case recorded once, a screening run recorded in it, and each document made once on demand."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.db = str(folder / "bundled.db")
        self.runner = CliRunner()
        self.cache: dict[tuple[str, str], bytes] = {}
        assert self.cli("record", str(EXAMPLE)).exit_code == 0
        screened = self.cli("screen", "--name", "Huawei Technologies", "--on", "2019-06-01", "--record",
                            "--format", "json")
        assert screened.exit_code == 0, screened.output
        self.run_id = json.loads(screened.stdout)["run_id"]

    def cli(self, *args: str) -> Any:
        """`regledger ARGS --db THE_LEDGER`, produced at the pinned moment."""
        return self.runner.invoke(cli, [*args, "--db", self.db], env={"SOURCE_DATE_EPOCH": PINNED_EPOCH},
                                  catch_exceptions=False)

    def args(self, kind: str) -> list[str]:
        """The report's arguments after `regledger report`."""
        return ["screening", self.run_id] if kind == "screening" else KINDS[kind]

    def document(self, kind: str, output: str) -> bytes:
        """The report `kind` as `output` (pdf or docx), with the legend."""
        if (kind, output) not in self.cache:
            path = self.folder / f"{kind}.{output}"
            result = self.cli("report", *self.args(kind), "--format", output, "--legend", LEGEND, "-o", str(path))
            assert result.exit_code == 0, result.output
            self.cache[kind, output] = path.read_bytes()
        return self.cache[kind, output]

    def normalised(self, text: str) -> str:
        """`text` with what changes from run to run replaced: stamps, version, ledger, head digest, run id."""
        # Every moment reads <TIME>: the screening run's own stamp may fall in the same second as the recording's
        # (which `normalise` calls <RECORDED_AT>) or not, and the golden must not depend on the clock.
        text = normalise(text, self.db).replace("<RECORDED_AT>", "<TIME>")
        return _RUN.sub("<RUN_ID>", _MOMENT.sub("<TIME>", _HEAD.sub("<HEAD>", text)))


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Made:
    """The module's ledger and documents."""
    return Made(tmp_path_factory.mktemp("documents"))


def pages_of(pdf: bytes) -> list[str]:
    """The text of each page."""
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def word_xml(docx: bytes) -> str:
    """The document's body, header and footer XML, one paragraph or table row a line; without the fonts named on
    every run (test_docx_rows_never_split… checks them)."""
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        parts = ["word/document.xml", *sorted(n for n in archive.namelist() if re.match(r"word/(header|footer)", n))]
        xml = [(name, etree.fromstring(archive.read(name))) for name in parts]
    lines = []
    for name, root in xml:
        for fonts in list(root.iter(f"{W}rFonts")):
            fonts.getparent().remove(fonts)
        text = etree.tostring(root, encoding="unicode")
        lines.append(f"<!-- {name} -->\n" + _LINE_ENDS.sub(r"\1\n", text).replace("<w:rPr></w:rPr>", "") + "\n")
    return "".join(lines)


# -- goldens ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(KINDS))
def test_each_report_as_pdf_matches_its_golden_text_within_its_page_bound(made: Made, kind: str) -> None:
    pages = pages_of(made.document(kind, "pdf"))

    text = "".join(f"--- page {n} ---\n{page.rstrip()}\n" for n, page in enumerate(pages, 1))
    assert_golden(f"documents/report-{kind}.pdf.txt", made.normalised(text))
    assert 1 <= len(pages) <= PAGES.get(kind, 60), f"{kind}: {len(pages)} pages"


@pytest.mark.parametrize("kind", list(KINDS))
def test_each_report_as_docx_matches_its_golden_xml(made: Made, kind: str) -> None:
    xml = word_xml(made.document(kind, "docx"))

    assert_golden(f"documents/report-{kind}.docx.xml", made.normalised(xml))


# -- what every page carries -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_pdf_page_says_page_n_of_m_and_carries_the_legend_and_running_header(made: Made, kind: str) -> None:
    pages = pages_of(made.document(kind, "pdf"))

    for number, page in enumerate(pages, 1):
        flat = " ".join(page.split())
        assert f"page {number} of {len(pages)}" in flat, (kind, number)
        assert LEGEND in flat, (kind, number)
        assert re.search(r"ledger [\d,]+ events?, head ", flat), (kind, number)  # the running header


def test_the_party_pdf_embeds_only_the_shipped_fonts_and_they_draw_every_character(made: Made) -> None:
    reader = PdfReader(io.BytesIO(made.document("party", "pdf")))
    names, covered = set(), set()
    for page in reader.pages:
        for reference in page["/Resources"]["/Font"].values():
            font = reference.get_object()
            names.add(str(font["/BaseFont"]).split("+", 1)[-1])
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            program = next(descriptor[k] for k in ("/FontFile2", "/FontFile3", "/FontFile") if k in descriptor)
            covered |= set(TTFont(io.BytesIO(program.get_object().get_data())).getBestCmap())
    text = "".join(page.extract_text() for page in reader.pages)

    assert names
    assert all(name.startswith("Regledger-") for name in names), names
    assert {"华", "為"} <= set(text)  # the Chinese aliases, in both scripts
    tofu = sorted({c for c in text if not c.isspace() and ord(c) not in covered})
    assert tofu == [], f"drawn with no glyph: {tofu}"


def test_the_same_report_gives_the_same_pdf_bytes(made: Made, tmp_path: Path) -> None:
    again = tmp_path / "again.pdf"
    result = made.cli("report", *made.args("changes"), "--format", "pdf", "--legend", LEGEND, "-o", str(again))

    assert result.exit_code == 0
    assert again.read_bytes() == made.document("changes", "pdf")


def test_docx_rows_never_split_headings_repeat_runs_name_an_east_asian_font_and_pages_are_numbered(
        made: Made) -> None:
    with zipfile.ZipFile(io.BytesIO(made.document("changes", "docx"))) as archive:
        body = etree.fromstring(archive.read("word/document.xml"))
        footers = [etree.fromstring(archive.read(n)) for n in archive.namelist() if n.startswith("word/footer")]

    rows = body.iter(f"{W}tr")
    assert all(row.find(f"{W}trPr/{W}cantSplit") is not None for row in rows)
    assert body.find(f".//{W}trPr/{W}tblHeader") is not None
    runs = list(body.iter(f"{W}r"))
    assert runs
    assert all(r.find(f"{W}rPr/{W}rFonts").get(f"{W}eastAsia") == "Microsoft YaHei" for r in runs)
    fields = {f.get(f"{W}instr").strip() for footer in footers for f in footer.iter(f"{W}fldSimple")}
    assert fields == {"PAGE", "NUMPAGES"}
    assert any(LEGEND in "".join(footer.itertext()) for footer in footers)


def test_a_hostile_party_prints_intact_in_both_documents(sqlite_db: str, run_cli, write_timeline,
                                                        tmp_path: Path) -> None:
    assert run_cli("record", str(write_timeline(hostile_timeline())), "--db", sqlite_db).code == 0
    out = {output: tmp_path / f"hostile.{output}" for output in ("pdf", "docx")}
    for output, path in out.items():
        result = run_cli("report", "party", "hostile", "--as-of", "2020-03-01", "--format", output, "--legend",
                         "<b>Confidential</b> \u202e", "-o", str(path), "--db", sqlite_db)
        assert result.code == 0, result.err

    pdf_text = " ".join(" ".join(pages_of(out["pdf"].read_bytes())).split())
    with zipfile.ZipFile(out["docx"]) as archive:
        word_text = "".join(etree.fromstring(archive.read("word/document.xml")).itertext())
    for text in (pdf_text, word_text):
        assert "<script>alert(1)</script>" in text
        assert "<b>Confidential</b>" in text  # the legend as text, never markup
        assert "\u202e" not in text  # a bidi override never reaches the page
    assert "華為" in word_text
    assert "עברית" in word_text


# -- the legend and binary output ------------------------------------------------------------------------------------


def test_the_legend_opens_and_closes_html_and_markdown_and_is_a_json_key_only_when_given(made: Made) -> None:
    def report(*args: str) -> str:
        result = made.cli("report", "snapshot", "2020-03-01", *args)
        assert result.exit_code == 0, result.output
        return str(result.stdout)

    html, markdown = report("--legend", LEGEND), report("--legend", LEGEND, "--format", "markdown")
    with_legend, without = json.loads(report("--legend", LEGEND, "--format", "json")), json.loads(
        report("--format", "json"))

    assert html.count('class="doc-legend"') == 2
    assert "Privileged &amp; Confidential" in html
    assert html.index('class="doc-legend"') < html.index("<h1")
    assert html.rindex("doc-legend") > html.index("<footer")
    lines = markdown.strip().splitlines()
    assert lines[0] == lines[-1] == "**Privileged & Confidential — Attorney Work Product**"
    assert with_legend["legend"] == LEGEND
    assert "legend" not in without
    assert "--legend" in with_legend["command"]


def test_a_signed_certificate_refuses_a_legend_its_signature_would_not_cover(made: Made, run_cli,
                                                                            tmp_path: Path) -> None:
    key = tmp_path / "key.pem"
    assert run_cli("keygen", "--key", str(key)).code == 0

    signed = run_cli("report", "screening", made.run_id, "--key", str(key), "--format", "json", "--legend", LEGEND,
                     "--db", made.db)
    unsigned = made.cli("report", "screening", made.run_id, "--format", "json", "--legend", LEGEND)

    assert signed.code == 1
    assert "--legend: a signed certificate's JSON cannot carry a legend" in signed.err
    assert json.loads(unsigned.stdout)["legend"] == LEGEND


def _regledger(*args: str, stdout: int) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": PINNED_EPOCH}
    return subprocess.run([sys.executable, "-c", "from regledger.adapters.cli import main; main()", *args],
                          stdout=stdout, stderr=subprocess.PIPE, env=env, check=False, timeout=120)


def test_a_document_goes_to_a_pipe_but_never_to_a_terminal(made: Made) -> None:
    piped = _regledger("report", *made.args("screening"), "--format", "docx", "--db", made.db, stdout=subprocess.PIPE)
    leader, follower = pty.openpty()
    try:
        refused = {output: _regledger("report", *made.args("party"), "--format", output, "--db", made.db,
                                      stdout=follower) for output in ("pdf", "docx")}
    finally:
        os.close(follower)
        os.close(leader)

    assert piped.returncode == 0
    assert zipfile.ZipFile(io.BytesIO(piped.stdout)).read("word/document.xml").startswith(b"<?xml")
    for output, result in refused.items():
        assert result.returncode == 1
        assert f"--format {output}: the document is binary: give -o FILE" in result.stderr.decode()


# -- the shipped fonts -------------------------------------------------------------------------------------------------


def _shipped() -> dict[str, set[int]]:
    return {face.file: set(TTFont(font_dir() / face.file).getBestCmap()) for face in FONT_FILES}


def test_the_shipped_fonts_cover_the_bundled_case_the_fixtures_and_common_hanzi_in_both_scripts() -> None:
    covered = set().union(*_shipped().values())
    corpus = {ord(c) for path in CORPUS for c in path.read_text(encoding="utf-8") if not c.isspace()}
    level_one: Callable[[str, range, range], set[int]] = lambda codec, leads, trails: {  # noqa: E731
        ord(c) for lead in leads for trail in trails for c in bytes([lead, trail]).decode(codec, "ignore")}

    assert sorted(chr(p) for p in corpus - covered) == []
    assert level_one("gb2312", range(0xB0, 0xD8), range(0xA1, 0xFF)) <= covered  # GB 2312 level 1
    assert level_one("big5", range(0xA4, 0xC6), range(0xA1, 0xFF)) <= covered  # Big5 level 1 (most of it)
    assert {ord(c) for c in "Привет مرحبا שלום"} - {ord(" ")} <= covered
    assert sum((font_dir() / face.file).stat().st_size for face in FONT_FILES) < 5_000_000
    assert all((font_dir() / name).is_file() for name in ("LICENSE-noto.txt", "LICENSE-noto-cjk.txt",
                                                           "LICENSE-dejavu.txt", "README.md"))
