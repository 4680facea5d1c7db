"""The screening measurements on a recorded ledger, in a process of their own (for its peak memory):
`python -m benchmarks.screening_measure STORE_URL ROWS_JSON --sample N --seed S` prints JSON.

In one process, on the same rows and the same ledger:

1. **indexed**: every row through the read models' screening index (`services.screening.Indexed`: one statement per
   row for the candidates, their names loaded once per screening, scored by the scorer), timed row by row; then the
   whole `screen` service on the first `--service-rows` rows (statuses and decisions included), timed as a whole;
   the peak resident set so far (VmHWM) is the indexed screening's;
2. **exhaustive**: every name and alias read from the ledger (timed apart: a one-off), then each row of a random
   sample scored against every name by the same scorer (`matching.best_per_party`), timed row by row;
3. **recall**: of the (row, party) pairs the exhaustive path scores at or above the review threshold, the share the
   indexed path found (with the same score); and, for the generated rows that vary a listed name, the share whose
   party the indexed path found at or above the review threshold and at or above the threshold.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

from regledger.adapters.readmodels.source import stored_entries
from regledger.adapters.services.screening import Indexed, names_to_screen, screen
from regledger.adapters.wiring import open_stores
from regledger.projections.matching import DEFAULT_REVIEW, DEFAULT_THRESHOLD, Counterparty, best_per_party
from regledger.projections.screening import CounterpartyRow, ScreenOptions, screening_directory

from .probe import _peak_mb

__all__ = ["main", "measure"]

ON = date(2020, 1, 1)  # the screening's date for every row


def _ms(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {"mean": round(statistics.fmean(ordered) * 1000, 3),
            "p50": round(ordered[len(ordered) // 2] * 1000, 3),
            "p95": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))] * 1000, 3),
            "max": round(ordered[-1] * 1000, 3)}


def measure(url: str, rows: list[dict[str, str]], sample: int, seed: int, service_rows: int) -> dict[str, Any]:
    """The figures (see the module's docstring)."""
    counterparties = [Counterparty(r["name"]) for r in rows]
    chosen = sorted(random.Random(seed).sample(range(len(rows)), min(sample, len(rows))))  # noqa: S311
    with open_stores(url, write=False) as stores:
        names = names_to_screen(stores, None, None)
        if not isinstance(names, Indexed):
            raise SystemExit("the read models are not current: the indexed path cannot be measured")
        indexed_times, found = [], []
        candidates = []
        for row in counterparties:
            started = time.perf_counter()
            matches = names.match(row, DEFAULT_REVIEW)
            indexed_times.append(time.perf_counter() - started)
            found.append({(m.name.party, m.score) for m in matches})
        for n in chosen:
            candidates.append(len(names.candidates(counterparties[n])))
        started = time.perf_counter()
        served = rows[:service_rows]
        screened = screen(stores, [CounterpartyRow(n, r["name"], r["id"]) for n, r in enumerate(served, start=1)],
                          ScreenOptions(on=ON))
        service_seconds = time.perf_counter() - started
        indexed_peak = _peak_mb()

        started = time.perf_counter()
        every = screening_directory(stored_entries(stores.ledger)).names
        loading = time.perf_counter() - started
        exhaustive_times, pairs, kept, same_score = [], 0, 0, 0
        for n in chosen:
            started = time.perf_counter()
            matches = best_per_party(counterparties[n], every, DEFAULT_REVIEW)
            exhaustive_times.append(time.perf_counter() - started)
            want = {(m.name.party, m.score) for m in matches}
            pairs += len(want)
            kept += len({p for p, _ in want} & {p for p, _ in found[n]})
            same_score += len(want & found[n])
    decisions = [r.decision for r in screened.rows]
    labelled = [(n, r["party"]) for n, r in enumerate(rows) if r.get("party")]
    sampled_indexed = [indexed_times[n] for n in chosen]
    indexed_ms, exhaustive_ms = _ms(sampled_indexed), _ms(exhaustive_times)
    return {
        "rows": len(rows), "names": len(every), "sample": len(chosen), "on": ON.isoformat(),
        "thresholds": {"match": DEFAULT_THRESHOLD, "review": DEFAULT_REVIEW},
        "indexed_ms_per_row": _ms(indexed_times),
        "indexed_ms_per_row_on_sample": indexed_ms,
        "exhaustive_ms_per_row_on_sample": exhaustive_ms,
        "screen_service_rows": len(served),
        "screen_service_ms_per_row": round(service_seconds / len(served) * 1000, 3),
        "screen_service_seconds": round(service_seconds, 3),
        "load_every_name_seconds": round(loading, 3),
        "candidates_per_row_on_sample": {"mean": round(statistics.fmean(candidates), 1), "max": max(candidates)},
        "ratios": {
            "exhaustive_vs_indexed_mean": round(exhaustive_ms["mean"] / indexed_ms["mean"], 1),
            "exhaustive_vs_indexed_p50": round(exhaustive_ms["p50"] / indexed_ms["p50"], 1),
            "exhaustive_vs_screen_service_mean": round(exhaustive_ms["mean"]
                                                       / (service_seconds / len(served) * 1000), 1),
        },
        "recall": {
            "exhaustive_pairs_above_review": pairs,
            "found_by_indexed": kept,
            "found_with_same_score": same_score,
            "indexed_vs_exhaustive": round(kept / pairs, 5) if pairs else None,
            "generated_variants_at_review": round(sum(1 for n, p in labelled if p in {q for q, s in found[n]})
                                                  / len(labelled), 4) if labelled else None,
            "generated_variants_at_match": round(sum(1 for n, p in labelled if p in {
                q for q, s in found[n] if s >= DEFAULT_THRESHOLD}) / len(labelled), 4) if labelled else None,
        },
        "decisions": {d: decisions.count(d) for d in ("match", "possible", "clear")},
        "peak_rss_mb_indexed": round(indexed_peak, 1),
        "peak_rss_mb": round(_peak_mb(), 1),
    }


def main(argv: list[str] | None = None) -> int:
    """Measure, print the figures as JSON."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.screening_measure")
    parser.add_argument("url")
    parser.add_argument("rows", type=Path)
    parser.add_argument("--sample", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--service-rows", type=int, default=1000)
    arguments = parser.parse_args(argv if argv is not None else sys.argv[1:])
    rows = json.loads(arguments.rows.read_text(encoding="utf-8"))
    print(json.dumps(measure(arguments.url, rows, arguments.sample, arguments.seed, arguments.service_rows)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
