"""Compatibility with release 0.1.0 (tests/fixtures/compat): the ledger it wrote still opens, verifies and answers as
the same file recorded today does; and today's answers are its answers, but for the keys added since (stripped by
`as_released`) and the changes of meaning CHANGELOG.md lists, each named in changes-since-0.1.0.json."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.fixtures.compat.make_snapshots import QUERIES, as_released, differences, masked

COMPAT = Path(__file__).resolve().parents[1] / "fixtures" / "compat"
RELEASED_CASE = COMPAT / "huawei-0.1.0.yaml"  # the bundled case as release 0.1.0 shipped it
BEFORE: list[dict[str, Any]] = json.loads((COMPAT / "query-answers.json").read_text(encoding="utf-8"))
CHANGES: list[dict[str, Any]] = json.loads((COMPAT / "changes-since-0.1.0.json").read_text(encoding="utf-8"))


def _answers(run_cli, db: str) -> list[dict[str, Any]]:
    out = []
    for query in QUERIES:
        result = run_cli(*query, "--format", "json", "--db", db)
        assert result.code == 0, (query, result.err)
        out.append({"query": query, "answer": masked(json.loads(result.out))})
    return out


def _changed(answers: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every difference from 0.1.0's answers once the added keys are stripped, by query."""
    return [{"query": now["query"], **found}
            for now, then in zip(answers, BEFORE, strict=True)
            for found in differences(as_released(now["answer"]), then["answer"])]


def test_the_stored_answers_cover_every_stored_query() -> None:
    assert [item["query"] for item in BEFORE] == QUERIES


def test_every_documented_change_says_why() -> None:
    assert all(set(change) == {"query", "path", "now", "then", "why"} and change["why"] for change in CHANGES)


def test_the_released_case_answers_as_release_0_1_0_did_but_for_the_documented_changes(run_cli,
                                                                                         sqlite_db: str) -> None:
    assert run_cli("record", str(RELEASED_CASE), "--db", sqlite_db).code == 0

    found = _changed(_answers(run_cli, sqlite_db))

    assert found == [{k: v for k, v in change.items() if k != "why"} for change in CHANGES]


@pytest.fixture
def old_ledger(tmp_path: Path) -> str:
    """A copy of the ledger release 0.1.0 wrote (the fixture itself is never changed)."""
    copy = tmp_path / "old.sqlite"
    shutil.copyfile(COMPAT / "huawei-0.1.0.sqlite", copy)
    return str(copy)


def test_a_ledger_written_by_release_0_1_0_verifies_and_answers_as_its_file_recorded_today(
        run_cli, old_ledger: str, sqlite_db: str) -> None:
    assert run_cli("verify", "--db", old_ledger).code == 0
    assert run_cli("project", "--db", old_ledger).code == 0
    assert run_cli("record", str(RELEASED_CASE), "--db", sqlite_db).code == 0

    assert _answers(run_cli, old_ledger) == _answers(run_cli, sqlite_db)


def test_recording_the_released_case_again_into_the_old_ledger_adds_nothing(run_cli, old_ledger: str) -> None:
    result = run_cli("record", str(RELEASED_CASE), "--db", old_ledger)

    assert result.code == 0, result.err
    assert "recorded 0 action(s)" in result.out
    assert "skipped 36 already recorded" in result.out
