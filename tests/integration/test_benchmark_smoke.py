"""The benchmark harness runs end to end, small, on SQLite, and writes result files of the documented shape.

No timing is asserted: this only keeps `python -m benchmarks.run` from rotting, at the issue's smallest size
(10,000 actions: recording with its baselines, the read models' catch-up, a rebuild in a subprocess, verify, and
the queries, with few samples).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from benchmarks.run import main

SIZE = 10_000


def test_the_benchmark_writes_ratios_sizes_and_versions(tmp_path: Path) -> None:
    status = main(["--sizes", str(SIZE), "--stores", "sqlite", "--queries", "10", "--fold-samples", "1",
                   "--run-size", "5000", "--out", str(tmp_path)])

    result = json.loads((tmp_path / f"sqlite-{SIZE}.json").read_text(encoding="utf-8"))
    assert status == 0
    assert "reading_error" not in result, result["reading_error"]
    assert (result["store"], result["size"]) == ("sqlite", SIZE)
    assert result["events"] > result["actions"] >= SIZE
    assert set(result["recording"]["ratios"]) >= {"record_vs_raw_executemany", "record_vs_library_save",
                                                  "record_and_chain_vs_raw_executemany"}
    assert all(value > 0 for value in result["recording"]["events_per_second"].values() if value is not None)
    assert {"encode_states_vs_raw_write", "best_record_vs_raw_with_this_encoding"} <= set(
        result["recording"]["bounds"]["ratios"])
    assert {"rebuild_vs_read_and_decode"} <= set(result["rebuild"]["ratios"])
    assert result["rebuild"]["peak_rss_mb"] > 0
    assert {"verify_vs_read_rows"} <= set(result["verify"]["ratios"])
    for name in ("as_of_party", "full_state", "diff_one_year"):
        assert result["queries"][name]["agree"] is True, (name, result["queries"][name])
        assert "fold_vs_model_p50" in result["queries"][name]["ratios"]
    assert {"model_vs_floor_p50", "model_vs_floor_p99", "model_cold_vs_floor_p50"} <= set(
        result["queries"]["as_of_party"]["ratios"])
    assert "model_cold_vs_floor_p50" in result["queries"]["full_state"]["ratios"]
    assert {"python", "eventsourcing", "sqlite", "cpu_count", "commit"} <= set(result["versions"])
    table = (tmp_path / "RESULTS.md").read_text(encoding="utf-8")
    assert "| sqlite | 10,0" in table


def test_every_option_of_the_benchmark_is_documented(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    options = set(re.findall(r"(--[a-z][a-z-]+)", capsys.readouterr().out)) - {"--help"}
    documented = (Path(__file__).resolve().parents[2] / "docs" / "benchmarks.md").read_text(encoding="utf-8")

    assert options >= {"--sizes", "--stores", "--no-views-catch-up", "--out"}
    assert sorted(o for o in options if f"`{o}`" not in documented) == []
