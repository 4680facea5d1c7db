"""Shared by the report tests: the golden-file check, the normalisation of what changes from run to run, and the
hostile party that every format must render escaped and intact."""

from __future__ import annotations

import difflib
import os
import re
from html.parser import HTMLParser
from importlib.metadata import version
from pathlib import Path

import pytest

from regledger.adapters import open_ledger
from regledger.adapters.render.reports.filters import md, moment
from regledger.adapters.store.settings import parse_store
from tests.conftest import ROOT

GOLDEN = ROOT / "tests" / "golden"
ARTIFACTS = ROOT / "tests" / "artifacts"
PINNED_EPOCH = "1767225600"  # SOURCE_DATE_EPOCH: the reports say they were produced at 2026-01-01T00:00:00Z
UPDATE = os.environ.get("REGLEDGER_UPDATE_GOLDEN") == "1"

REPORTS = {  # each report on the bundled case: its arguments after `regledger report`
    "changes": ["changes", "--from", "2019-05-15", "--to", "2019-08-31"],
    "snapshot": ["snapshot", "2020-03-01"],
    "party": ["party", "huawei-technologies", "--as-of", "2020-09-01"],
    "replay": ["replay", "--until", "2100-01-01"],
    "knowledge": ["knowledge", "2019-05-17"],
}

_HEAD = re.compile(r'(head digest |"ledger_head": ")[0-9a-f]{64}')

HOSTILE_NAME = "<script>alert(1)</script> \"Double\" & 'single' quotes <b>bold</b> [link](javascript:x) | *star* `tick`"
LONG_NAME = "Very Long Holdings " + "x" * 1981  # 2,000 characters
RTL_NAME = "شركة هواوي للتكنولوجيا المحدودة"
HOSTILE_ALIASES = [LONG_NAME, RTL_NAME, "華為", "עברית בע״מ"]


def normalise(text: str, db: str) -> str:
    """The text with the volatile parts replaced: recorded_at stamps (as RFC 3339 and as the reports print them, to
    the second), the version, the ledger's head digest (it chains the recording times) and its place."""
    with open_ledger(db) as ledger:
        stamps = {s.recorded_at for s in ledger.stored_actions()}
    for stamp in stamps:
        rfc3339 = stamp.isoformat().replace("+00:00", "Z")
        text = text.replace(rfc3339, "<RECORDED_AT>").replace(rfc3339.replace("T", " ", 1), "<RECORDED_AT>")
        text = text.replace(moment(rfc3339), "<RECORDED_AT>")
    text = _HEAD.sub(lambda m: m.group(1) + "<HEAD>", text)
    release = version("regledger")
    text = text.replace(f'"regledger_version": "{release}"', '"regledger_version": "<VERSION>"')
    text = text.replace(f"regledger {release}", "regledger <VERSION>")
    ledger = parse_store(db).display
    return text.replace(ledger, "<LEDGER>").replace(str(md(ledger)), "<LEDGER>")


def assert_golden(name: str, text: str) -> None:
    """`text` equals tests/golden/NAME; else fail with a unified diff. REGLEDGER_UPDATE_GOLDEN=1 rewrites it."""
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return
    if not path.exists():
        pytest.fail(f"{path} is missing: run the tests with REGLEDGER_UPDATE_GOLDEN=1 to write it", pytrace=False)
    expected = path.read_text(encoding="utf-8")
    if text != expected:
        diff = difflib.unified_diff(expected.splitlines(keepends=True), text.splitlines(keepends=True),
                                    f"tests/golden/{name}", "rendered now", n=2)
        pytest.fail(f"{name} differs from its golden file; if the change is intended, rerun with "
                    f"REGLEDGER_UPDATE_GOLDEN=1 and review the diff:\n{''.join(diff)}", pytrace=False)


def hostile_timeline() -> list[dict[str, object]]:
    """A party whose name and aliases try every trick, listed, amended, with a non-web source URL, and a rule that
    applies to it."""
    party = {"key": "hostile", "name": HOSTILE_NAME, "aliases": HOSTILE_ALIASES, "country": "CN"}
    return [
        {"kind": "entity_listed", "id": "h-1", "list": "us-bis-entity-list", "party": party,
         "effective_on": "2020-01-10", "published_on": "2020-01-08",
         "details": {"license_policy": "<i>Presumption</i> of denial & more"},
         "sources": [{"reliability": "official", "citation": "85 FR <1>", "url": "javascript:alert(1)"},
                     {"reliability": "attributed", "title": "A report", "url": "https://example.org/a?b=1&c=<2>"}],
         "note": "Names a measure: see the rule for " + RTL_NAME},
        {"kind": "measure_adopted", "id": "h-rule", "measure": {"key": "hostile-rule", "title": f"Rule on {RTL_NAME}"},
         "applies_to": ["hostile"], "effective_on": "2020-01-10", "published_on": "2020-01-08",
         "sources": [{"reliability": "official", "citation": "85 FR <1>"}]},
        {"kind": "entry_amended", "id": "h-2", "list": "us-bis-entity-list", "party": {"key": "hostile"},
         "effective_on": "2020-02-01", "published_on": "2020-02-01",
         "details": {"license_policy": "Case by case </td></tr></table><script>alert(2)</script>"},
         "sources": [{"reliability": "official", "citation": "85 FR 2"}]},
    ]


def artifact(name: str) -> Path:
    """A path under tests/artifacts/ (git-ignored), its folder created."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS / name


class TextOf(HTMLParser):
    """The text a reader sees (character references decoded), and the start tags."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parsed(html: str) -> TextOf:
    """The page's text and tags."""
    parser = TextOf()
    parser.feed(html)
    return parser
