"""The screening benchmark runs end to end, tiny, on SQLite, and writes a result file of the documented shape and its
section of RESULTS.md (keeping what else the file holds). No timing is asserted: this only keeps
`python -m benchmarks.screening` from rotting."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from benchmarks.screening import main
from benchmarks.screening_data import history, parties, rows
from benchmarks.screening_report import HEADING

DOCS = Path(__file__).resolve().parents[2] / "docs" / "screening.md"


def test_the_screening_benchmark_writes_its_figures(tmp_path: Path) -> None:
    (tmp_path / "RESULTS.md").write_text("# Benchmark results\n\nthe other tables\n", encoding="utf-8")

    status = main(["--parties", "300", "--rows", "60", "--sample", "6", "--service-rows", "20", "--stores", "sqlite",
                   "--run-size", "200", "--out", str(tmp_path)])

    result = json.loads((tmp_path / "screening-sqlite-300.json").read_text(encoding="utf-8"))
    assert status == 0
    assert (result["store"], result["parties"], result["rows"], result["sample"]) == ("sqlite", 300, 60, 6)
    assert result["names"] >= 600
    assert set(result["families"]) == {"latin", "chinese", "cyrillic", "arabic"}
    assert result["indexed_ms_per_row"]["mean"] > 0
    assert result["exhaustive_ms_per_row_on_sample"]["mean"] > 0
    assert result["ratios"]["exhaustive_vs_indexed_mean"] > 0
    assert 0 <= result["recall"]["indexed_vs_exhaustive"] <= 1
    assert result["peak_rss_mb_indexed"] > 0
    assert result["peak_rss_mb_exhaustive"] > 0
    assert isinstance(result["recall"]["missed"], list)
    assert {"precision_at_match", "recall_at_match", "recall_at_review"} <= set(result["evaluation"])
    assert sum(result["decisions"].values()) == 20
    text = (tmp_path / "RESULTS.md").read_text(encoding="utf-8")
    assert text.startswith("# Benchmark results\n\nthe other tables\n")
    assert HEADING in text
    assert "| sqlite | 300 |" in text


def test_the_generated_history_is_deterministic_and_covers_the_scripts() -> None:
    listed = parties(400, seed=3)
    assert listed == parties(400, seed=3)
    assert {p.family for p in listed} == {"latin", "chinese", "cyrillic", "arabic"}
    texts = [t for p in listed for t in p.names]
    assert any(re.search("[\u4e00-\u9fff]", t) for t in texts)
    assert any(re.search("[\u0400-\u04ff]", t) for t in texts)
    assert any(re.search("[\u0600-\u06ff]", t) for t in texts)
    kinds = {a["kind"] for a in history(listed, seed=3)}
    assert {"entity_listed", "entry_amended", "entity_delisted"} <= kinds
    assert {r["kind"] for r in rows(listed, 50, seed=3)} == {"variant", "near_miss"}


def test_every_option_of_the_screening_benchmark_is_documented(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    options = set(re.findall(r"(--[a-z][a-z-]+)", capsys.readouterr().out)) - {"--help"}
    documented = DOCS.read_text(encoding="utf-8")

    assert options >= {"--parties", "--rows", "--sample", "--stores", "--out"}
    assert sorted(o for o in options if f"`{o}`" not in documented) == []
