"""The web load benchmark runs end to end, tiny, on SQLite, and writes a result file of the documented shape and its
section of RESULTS.md.

No timing is asserted: this only keeps `python -m benchmarks.web_load` from rotting (a generated history of a few
hundred actions, `regledger serve` on 127.0.0.1, a handful of requests of each kind from 2 clients).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from benchmarks.web_load import WEB_HEADING, main, percentiles
from tests.conftest import ROOT

SIZE = 300


def test_the_web_load_benchmark_writes_figures_ratios_and_agreement(tmp_path: Path) -> None:
    (tmp_path / "RESULTS.md").write_text("# Benchmark results\n\nthe table of benchmarks.run\n", encoding="utf-8")

    status = main(["--actions", str(SIZE), "--requests", "6", "--clients", "2", "--seconds", "30",
                   "--out", str(tmp_path)])

    assert status == 0
    written = list(tmp_path.glob("web-sqlite-*.json"))
    assert len(written) == 1
    result = json.loads(written[0].read_text(encoding="utf-8"))
    assert result["store"] == "sqlite"
    assert result["actions"] >= SIZE
    assert result["events"] > result["actions"]
    for kind in ("party", "page", "page_published", "page_known", "page_sparse", "diff", "diff_page"):
        figures = result["figures"][kind]
        assert figures["http"]["count"] == 6, (kind, figures)
        assert figures["http"]["statuses"] == {"200": 6}, (kind, figures)
        assert figures["in_process"]["count"] == 6
        assert {"http_vs_in_process_p50", "http_vs_in_process_p99"} <= set(figures["ratios"])
    for kind in ("party", "diff"):  # the API answers as the services do, from the read models (not the fold)
        assert result["figures"][kind]["agree"] is True, result["figures"][kind]
        assert result["figures"][kind]["from_fold"] is False, result["figures"][kind]
    assert {"python", "sqlite", "commit"} <= set(result["versions"])
    markdown = (tmp_path / "RESULTS.md").read_text(encoding="utf-8")
    assert markdown.startswith("# Benchmark results\n\nthe table of benchmarks.run\n")  # the rest is kept
    assert WEB_HEADING in markdown
    assert f"| sqlite | {result['actions']:,} |" in markdown


def test_percentiles_are_nearest_rank() -> None:
    figures = percentiles([n / 1000 for n in range(1, 101)])  # 1 ms .. 100 ms

    assert (figures["count"], figures["p50_ms"], figures["p99_ms"], figures["max_ms"]) == (100, 50.0, 99.0, 100.0)


def test_every_option_of_the_web_load_benchmark_is_documented(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    options = set(re.findall(r"(--[a-z][a-z-]+)", capsys.readouterr().out)) - {"--help"}
    documented = (ROOT / "docs" / "web.md").read_text(encoding="utf-8")

    assert options >= {"--actions", "--clients", "--requests", "--seconds", "--db", "--out"}
    assert sorted(o for o in options if f"`{o}`" not in documented) == []
