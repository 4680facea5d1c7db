"""The benchmark: regledger against hand-written SQL, the eventsourcing library and the reference fold, at each size
on each store, every figure a ratio against a baseline measured in the same process on the same data.

    python -m benchmarks.run --sizes 10000,100000,1000000 --stores sqlite,postgres

writes `benchmarks/results/<store>-<size>.json` for each pair as it finishes, then `benchmarks/results/RESULTS.md`
(a table of every result file in the folder). PostgreSQL runs use `REGLEDGER_BENCH_POSTGRES` (default
postgresql://postgres@127.0.0.1:5432/test), each in a schema of its own, dropped at the end. `--no-views-catch-up`
leaves the read models to the rebuild instead of timing their catch-up after every run (for the largest sizes).
Not part of the test suite; `tests/integration/test_benchmark_smoke.py` runs it small so that it cannot rot.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from regledger.adapters.store.ledger import Located
from regledger.domain import action_adapter

from .generate import generate
from .reading import measure_reading
from .recording import measure_recording
from .report import write_markdown
from .stores import POSTGRES_URL, fresh_store, versions

__all__ = ["main", "run_one"]

RESULTS = Path(__file__).resolve().parent / "results"


def _located(size: int, seed: int) -> tuple[list[Located], float]:
    started = time.perf_counter()
    history = generate(size, seed)
    located = [Located(f"generated action {n}", action_adapter.validate_python(a)) for n, a in enumerate(history, 1)]
    return located, time.perf_counter() - started


def run_one(kind: str, size: int, *, seed: int = 7, run_size: int = 10_000, workdir: Path,
            server: str = POSTGRES_URL, queries: int = 200, fold_samples: int = 5, views_catch_up: bool = True,
            progress: Callable[[str], None] = print) -> dict[str, Any]:
    """Every measure at one size on one store; the result document."""
    located, parsing = _located(size, seed)
    progress(f"{kind} {size:,}: {len(located):,} actions generated and parsed in {parsing:.1f}s")
    store, twin = fresh_store(kind, f"{size}", workdir, server), fresh_store(kind, f"{size}_twin", workdir, server)
    try:
        recording = measure_recording(store, twin, located, run_size, progress, views_catch_up=views_catch_up)
        twin.drop()
        try:
            reading = measure_reading(store, located, queries=queries, fold_samples=fold_samples, seed=seed,
                                      progress=progress)
        except Exception as error:  # the recording figures stand; the file says why the rest is missing
            progress(f"  reading figures failed: {type(error).__name__}: {error}")
            reading = {"reading_error": f"{type(error).__name__}: {error}"}
    finally:
        store.drop()
        twin.drop()
    return {"store": kind, "size": size, "seed": seed, "run_size": run_size, "actions": len(located),
            "events": recording["events"], "parse_seconds": round(parsing, 3), "recording": recording, **reading,
            "versions": versions([kind], server), "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; write one JSON file per (store, size) and the Markdown table."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000", help="history sizes in actions (comma-separated)")
    parser.add_argument("--stores", default="sqlite,postgres", help="sqlite and/or postgres (comma-separated)")
    parser.add_argument("--seed", type=int, default=7, help="the generator's seed")
    parser.add_argument("--run-size", type=int, default=10_000, help="actions per record run (one transaction)")
    parser.add_argument("--queries", type=int, default=200, help="as-of-one-party queries per size (p50, p99)")
    parser.add_argument("--fold-samples", type=int, default=5, help="reference-fold answers timed per query kind")
    parser.add_argument("--no-views-catch-up", dest="views_catch_up", action="store_false",
                        help="do not time the read models' catch-up after each record run (the rebuild builds them)")
    parser.add_argument("--out", type=Path, default=RESULTS, help="where the JSON files and RESULTS.md go")
    parser.add_argument("--postgres", default=POSTGRES_URL, help="the PostgreSQL server (a schema per run)")
    arguments = parser.parse_args(argv)
    arguments.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="regledger-bench-") as workdir:
        for size in (int(s) for s in arguments.sizes.split(",")):
            for kind in arguments.stores.split(","):
                result = run_one(kind, size, seed=arguments.seed, run_size=arguments.run_size, workdir=Path(workdir),
                                 server=arguments.postgres, queries=arguments.queries,
                                 fold_samples=arguments.fold_samples, views_catch_up=arguments.views_catch_up,
                                 progress=_say)
                target = arguments.out / f"{kind}-{size}.json"
                target.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
                _say(f"wrote {target}")
                write_markdown(arguments.out)
    return 0


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


if __name__ == "__main__":
    raise SystemExit(main())
