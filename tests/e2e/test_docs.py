"""The documentation's examples are real: every kind has one, and together they record cleanly."""

from __future__ import annotations

import re

from regledger.adapters.importers.timeline import read_timeline
from regledger.domain import KINDS
from tests.conftest import ROOT

FORMAT_DOC = ROOT / "docs" / "timeline-format.md"


def _examples_file(tmp_path):
    blocks = re.findall(r"```yaml\n(.*?)```", FORMAT_DOC.read_text(encoding="utf-8"), flags=re.DOTALL)
    path = tmp_path / "examples.yaml"
    path.write_text("".join(blocks), encoding="utf-8")
    return path


def test_the_format_document_shows_an_example_of_every_kind(tmp_path) -> None:
    kinds = {item.action.kind for item in read_timeline(_examples_file(tmp_path))}

    assert kinds == set(KINDS)


def test_the_format_documents_examples_record_together(run_cli, tmp_path, sqlite_db) -> None:
    result = run_cli("record", "--db", sqlite_db, str(_examples_file(tmp_path)))

    assert result.code == 0, result
