"""The screening benchmark: counterparty rows screened through the read models' index against a large history, with
the exhaustive path (every row against every name, the same scorer) on a random sample as the baseline in the same
run.

    python -m benchmarks.screening [--parties 100000] [--rows 10000] [--sample 200] [--service-rows 1000]
                                   [--stores sqlite] [--seed 7] [--run-size 10000] [--out benchmarks/results]
                                   [--postgres URL] [--keep | --db URL [--rebuild]]

For each store: `--parties` synthetic companies (`benchmarks.screening_data`: Latin, Chinese in both scripts,
Cyrillic and Arabic names with legal forms, about three names and aliases each; some gain an alias later, some are
delisted and relisted) are recorded through the real ledger in runs of `--run-size` actions, the read models (and
their screening index) kept current after every run as `record` keeps them; `--rows` counterparty rows (variants of
listed names, and near misses not listed) are then screened in a process of their own (`benchmarks.screening_measure`,
for its peak memory), and a random `--sample` of them also by the exhaustive path; the first `--service-rows` are
also screened by the whole `screen` service (each match's statuses on the date and the decisions included). Printed
and written to `<out>/screening-<store>-<parties>.json` (and a section of `<out>/RESULTS.md`): per-row times of both
paths, their ratio (exhaustive ÷ indexed: how many times faster the index is; target ≥ 20), the share of the
exhaustive path's pairs at or above the review threshold that the indexed path finds (target ≥ 99.5 %), the peak
resident set of the
screening process (target < 1 GB), and the matcher's precision and recall on the labelled evaluation set
(tests/fixtures/screening/evaluation.csv against the bundled case, as tests/unit/test_matching_evaluation.py defines
them), screened through the index.
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from regledger.adapters.importers.timeline import read_timeline
from regledger.adapters.services.screening import Indexed, names_to_screen
from regledger.adapters.store.ledger import Located
from regledger.adapters.wiring import open_ledger, open_stores
from regledger.domain import action_adapter
from regledger.projections.matching import DEFAULT_REVIEW, DEFAULT_THRESHOLD, MATCHER_VERSION, Counterparty

from .screening_data import history, parties, rows
from .screening_report import screening_section
from .stores import POSTGRES_URL, fresh_store, rebuild, versions

__all__ = ["evaluation", "main", "run_one"]

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"
EXAMPLE = ROOT / "examples" / "huawei-2019-2020.yaml"
EVALUATION = ROOT / "tests" / "fixtures" / "screening" / "evaluation.csv"


def evaluation(workdir: Path) -> dict[str, Any]:
    """Precision and recall on the labelled evaluation set, screened through the index of the bundled case recorded
    on SQLite (definitions as in tests/unit/test_matching_evaluation.py)."""
    with EVALUATION.open(encoding="utf-8", newline="") as handle:
        labelled = [(r["name"], r["country"] or None, r["expected_party"] or None) for r in csv.DictReader(handle)]
    db = str(workdir / f"evaluation-{time.time_ns()}.db")
    with open_stores(db) as stores:
        stores.ledger.record(read_timeline(EXAMPLE))
    with open_stores(db, write=False) as stores:
        names = names_to_screen(stores, None, None)
        assert isinstance(names, Indexed)
        found = [(expected, names.match(Counterparty(name, country), DEFAULT_REVIEW))
                 for name, country, expected in labelled]
    Path(db).unlink(missing_ok=True)

    def recall(threshold: float) -> float:
        rows_ = [(e, m) for e, m in found if e]
        return sum(1 for e, m in rows_ if e in {x.name.party for x in m if x.score >= threshold}) / len(rows_)

    matched = [(e, m) for e, m in found if m and m[0].score >= DEFAULT_THRESHOLD]
    right = [1 for e, m in matched if e in {x.name.party for x in m if x.score == m[0].score}]
    return {"rows": len(found), "labelled": sum(1 for e, _ in found if e),
            "recall_at_review": round(recall(DEFAULT_REVIEW), 4),
            "recall_at_match": round(recall(DEFAULT_THRESHOLD), 4),
            "precision_at_match": round(len(right) / len(matched), 4) if matched else None,
            "not_listed_matched": sum(1 for e, m in matched if not e)}


def _record(url: str, actions: list[dict[str, Any]], run_size: int, say: Callable[[str], None]) -> dict[str, Any]:
    """Record the history in runs through the real ledger (each run brings the read models up to date)."""
    located = [Located(f"generated action {n}", action_adapter.validate_python(a)) for n, a in enumerate(actions, 1)]
    started = time.perf_counter()
    with open_ledger(url) as ledger:
        for start in range(0, len(located), run_size):
            ledger.record(located[start:start + run_size])
            say(f"  recorded {min(start + run_size, len(located)):,} of {len(located):,} actions "
                f"({time.perf_counter() - started:.0f}s)")
    return {"actions": len(located), "seconds_with_read_models": round(time.perf_counter() - started, 1)}


def run_one(kind: str, *, parties_count: int, rows_count: int, sample: int, seed: int, run_size: int, out: Path,
            workdir: Path, service_rows: int = 1000, server: str = POSTGRES_URL,
            say: Callable[[str], None] = print, reuse: str | None = None, keep: bool = False,
            rebuild_first: bool = False) -> dict[str, Any]:
    """One store's figures, written to `out`/screening-<store>-<parties>.json. With `reuse` (a store URL holding
    the history of the same parties and seed), nothing is recorded (`rebuild_first`: its read models are rebuilt
    first, timed); with `keep`, the store recorded is kept (its URL is printed)."""
    listed = parties(parties_count, seed)
    actions = history(listed, seed)
    screened = rows(listed, rows_count, seed)
    names = sum(len(p.names) for p in listed)
    say(f"screening {kind}: {parties_count:,} parties, {names:,} names and aliases, {len(actions):,} actions, "
        f"{rows_count:,} rows")
    store = fresh_store(kind, "screen", workdir, server) if reuse is None else None
    url = store.url if store is not None else str(reuse)
    try:
        if store is not None:
            recording = _record(url, actions, run_size, say)
        else:
            recording = {"actions": len(actions), "reused": url}
            if rebuild_first:
                say(f"  rebuilding the read models of {url}")
                recording.update(rebuild(url, say))
        rows_path = workdir / f"rows-{kind}-{seed}.json"
        rows_path.write_text(json.dumps(screened), encoding="utf-8")
        say(f"  screening {rows_count:,} rows through the index, and {sample} of them also exhaustively (two "
            "processes side by side)")
        started = time.perf_counter()
        command = [sys.executable, "-m", "benchmarks.screening_measure", url, str(rows_path)]
        parts = {"indexed": subprocess.Popen([*command, "--part", "indexed", "--service-rows", str(service_rows)],
                                             cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True),
                 "exhaustive": subprocess.Popen([*command, "--part", "exhaustive", "--sample", str(sample),
                                                 "--seed", str(seed)],
                                                cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)}
        figures: dict[str, Any] = {}
        for part, process in parts.items():
            printed, err = process.communicate()
            if process.returncode != 0:
                raise SystemExit(f"the screening measurement ({part}) failed: {err.strip()[-2000:]}")
            figures.update(json.loads(printed))
        figures["peak_rss_mb"] = max(figures["peak_rss_mb_indexed"], figures["peak_rss_mb_exhaustive"])
        say(f"  measured in {time.perf_counter() - started:.0f}s")
    finally:
        if store is not None and not keep:
            store.drop()
        elif store is not None:
            say(f"  kept the store: {store.url}")
    result = {"store": kind, "parties": parties_count, "names": names, "seed": seed,
              "families": {f: sum(1 for p in listed if p.family == f) for f in ("latin", "chinese", "cyrillic",
                                                                                 "arabic")},
              "recording": recording, **figures, "matcher_version": MATCHER_VERSION,
              "evaluation": evaluation(workdir), "versions": versions([kind], server),
              "measured_at": datetime.now(UTC).isoformat(timespec="seconds")}
    (out / f"screening-{kind}-{parties_count}.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return result


def _summary(result: dict[str, Any]) -> str:
    ratios, recall, evaluation_ = result["ratios"], result["recall"], result["evaluation"]
    return (f"{result['store']}: {result['parties']:,} parties, {result['names']:,} names; {result['rows']:,} rows "
            f"indexed {result['indexed_ms_per_row']['mean']} ms/row (the screen service on "
            f"{result['screen_service_rows']:,} rows {result['screen_service_ms_per_row']} ms/row); "
            f"on {result['sample']} rows exhaustive "
            f"{result['exhaustive_ms_per_row_on_sample']['mean']} ms/row against indexed "
            f"{result['indexed_ms_per_row_on_sample']['mean']} ms/row: {ratios['exhaustive_vs_indexed_mean']}x "
            f"(target >= 20); recall of the exhaustive pairs above review {recall['indexed_vs_exhaustive']} "
            f"(target >= 0.995); peak RSS {result['peak_rss_mb_indexed']} MB indexed, "
            f"{result['peak_rss_mb_exhaustive']} MB "
            f"with the exhaustive sample (target < 1024); evaluation set precision at match "
            f"{evaluation_['precision_at_match']}, recall at match {evaluation_['recall_at_match']}, at review "
            f"{evaluation_['recall_at_review']}")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark for each store asked; print a summary, write the JSON and the RESULTS.md section."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.screening", description=__doc__.splitlines()[0])
    parser.add_argument("--parties", type=int, default=100_000, help="listed parties generated (about 3 names each)")
    parser.add_argument("--rows", type=int, default=10_000, help="counterparty rows screened through the index")
    parser.add_argument("--sample", type=int, default=200, help="rows also screened by the exhaustive path")
    parser.add_argument("--stores", default="sqlite", help="sqlite and/or postgres (comma-separated)")
    parser.add_argument("--service-rows", type=int, default=1000,
                        help="rows also screened by the whole `screen` service (statuses and decisions)")
    parser.add_argument("--seed", type=int, default=7, help="the generator's and the sample's seed")
    parser.add_argument("--run-size", type=int, default=10_000, help="actions per record run (one transaction)")
    parser.add_argument("--out", type=Path, default=RESULTS, help="where the JSON file and RESULTS.md go")
    parser.add_argument("--postgres", default=POSTGRES_URL, help="the PostgreSQL server (a schema per run)")
    parser.add_argument("--db", help="reuse this store (one store kind): it must hold the history of the same "
                                     "--parties and --seed, recorded by an earlier run with --keep")
    parser.add_argument("--rebuild", action="store_true", help="with --db: rebuild its read models first (after a "
                                                               "change to the matcher's index keys)")
    parser.add_argument("--keep", action="store_true", help="keep the store recorded (its URL is printed)")
    arguments = parser.parse_args(argv)
    arguments.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="regledger-screening-") as workdir:
        for kind in [k.strip() for k in arguments.stores.split(",") if k.strip()]:
            result = run_one(kind, parties_count=arguments.parties, rows_count=arguments.rows,
                             sample=arguments.sample, seed=arguments.seed, run_size=arguments.run_size,
                             out=arguments.out, workdir=Path(workdir), service_rows=arguments.service_rows,
                             server=arguments.postgres, reuse=arguments.db, keep=arguments.keep,
                             rebuild_first=arguments.rebuild)
            print(_summary(result), flush=True)
    screening_section(arguments.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
