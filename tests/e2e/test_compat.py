"""Compatibility with release 0.1.0 (tests/fixtures/compat): the same answers from the current code, and its
ledger still opens, verifies and answers."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import EXAMPLE, ROOT
from tests.fixtures.compat.make_snapshots import QUERIES, as_released, masked

COMPAT = ROOT / "tests" / "fixtures" / "compat"
BEFORE: list[dict[str, Any]] = json.loads((COMPAT / "query-answers.json").read_text(encoding="utf-8"))


def _answers(run_cli, db: str) -> list[dict[str, Any]]:
    out = []
    for query in QUERIES:
        result = run_cli(*query, "--format", "json", "--db", db)
        assert result.code == 0, (query, result.err)
        out.append({"query": query, "answer": masked(as_released(json.loads(result.out)))})
    return out


def test_the_stored_answers_cover_every_stored_query() -> None:
    assert [item["query"] for item in BEFORE] == QUERIES


def test_the_bundled_case_answers_as_release_0_1_0_did(run_cli, sqlite_db: str) -> None:
    assert run_cli("record", str(EXAMPLE), "--db", sqlite_db).code == 0

    for now, then in zip(_answers(run_cli, sqlite_db), BEFORE, strict=True):
        assert now == then, now["query"]


@pytest.fixture
def old_ledger(tmp_path: Path) -> str:
    """A copy of the ledger release 0.1.0 wrote (the fixture itself is never changed)."""
    copy = tmp_path / "old.sqlite"
    shutil.copyfile(COMPAT / "huawei-0.1.0.sqlite", copy)
    return str(copy)


def test_a_ledger_written_by_release_0_1_0_verifies_and_answers_the_same(run_cli, old_ledger: str) -> None:
    assert run_cli("verify", "--db", old_ledger).code == 0
    assert run_cli("project", "--db", old_ledger).code == 0

    for now, then in zip(_answers(run_cli, old_ledger), BEFORE, strict=True):
        assert now == then, now["query"]


def test_recording_the_bundled_case_again_into_the_old_ledger_adds_nothing(run_cli, old_ledger: str) -> None:
    result = run_cli("record", str(EXAMPLE), "--db", old_ledger)

    assert result.code == 0, result.err
    assert "recorded 0 action(s)" in result.out
    assert "skipped 36 already recorded" in result.out
