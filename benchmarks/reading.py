"""Reading a recorded store: rebuild against read-and-decode (in a subprocess, for its peak memory), verify against
reading the stored rows, and the queries (see `queries`)."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from regledger.adapters.integrity.verify import chain_store, verify_chain
from regledger.adapters.wiring import open_ledger

from .stores import BenchStore

__all__ = ["measure_reading"]

ROOT = Path(__file__).resolve().parent.parent


def _rebuild(store: BenchStore) -> dict[str, Any]:
    """The probe's figures: rebuild and decode seconds, peak memory."""
    done = subprocess.run([sys.executable, "-m", "benchmarks.probe", store.url], capture_output=True, text=True,
                          check=True, cwd=ROOT)
    found = json.loads(done.stdout.strip().splitlines()[-1])
    events = found["events"]
    return {
        **found,
        "events_per_second": {"rebuild": round(events / found["rebuild_seconds"]),
                              "read_and_decode": round(found["decoded"] / found["decode_seconds"])},
        "ratios": {"rebuild_vs_read_and_decode": round(found["decode_seconds"] / found["rebuild_seconds"], 3)},
    }


def _verify(store: BenchStore) -> dict[str, Any]:
    """`verify` (every digest recomputed from the stored events) against reading the stored rows alone."""
    with open_ledger(store.url) as ledger:
        chain = chain_store(ledger)
        sum(1 for _ in chain.all_events())  # warm the cache, so that neither pass pays for the first read
        started = time.perf_counter()
        rows = sum(1 for _ in chain.all_events())
        reading = time.perf_counter() - started
        started = time.perf_counter()
        verification = verify_chain(chain)
        verifying = time.perf_counter() - started
    assert verification.divergence is None, verification.divergence
    return {"events": verification.verified, "verify_seconds": round(verifying, 3),
            "read_rows_seconds": round(reading, 3),
            "events_per_second": {"verify": round(verification.verified / verifying),
                                  "read_rows": round(rows / reading)},
            "ratios": {"verify_vs_read_rows": round(reading / verifying, 3)}}


def measure_reading(store: BenchStore, located: Any, *, queries: int, fold_samples: int, seed: int,
                    progress: Callable[[str], None] = print) -> dict[str, Any]:
    """Rebuild, verify and query figures for a recorded store."""
    from .queries import measure_queries  # noqa: PLC0415 - the read models load only when they are measured

    progress("  rebuilding the read models (subprocess)")
    rebuild = _rebuild(store)
    progress(f"  rebuild: {rebuild['events_per_second']['rebuild']:,} events/s, peak {rebuild['peak_rss_mb']} MB")
    verify = _verify(store)
    progress(f"  verify: {verify['events_per_second']['verify']:,} events/s")
    return {"rebuild": rebuild, "verify": verify,
            "queries": measure_queries(store, queries=queries, fold_samples=fold_samples, seed=seed,
                                       progress=progress)}
