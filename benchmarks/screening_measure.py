"""The screening measurements on a recorded ledger, each part in a process of its own (for its peak memory):
`python -m benchmarks.screening_measure STORE_URL ROWS_JSON --part indexed|exhaustive [--sample N --seed S]` prints
JSON. The benchmark runs the two parts side by side, one process each.

1. **indexed** (`--part indexed`): every row through the read models' screening index (`services.screening.Indexed`:
   two statements per row for the candidates, only their parties' names loaded, kept for the rows after up to
   `HELD` parties, scored by the scorer), timed row by row; then, that screening released (as one command's ends),
   the whole `screen` service on the first `--service-rows` rows (statuses and decisions included), timed as a
   whole. Its peak resident set (VmHWM) is the indexed screening's. For the generated rows that vary a listed name,
   the share whose party the index found at or above the review threshold and at or above the threshold.
2. **exhaustive** (`--part exhaustive`): a random `--sample` of the rows, each screened first through the index (a
   fresh screening, its candidates' names loaded for the first time: the ratio's indexed side is never flattered
   by a warm screening) and then against every name by the same scorer (`matching.best_per_party`), both timed row
   by row, in the same process; every name and alias is read from the ledger and read by the scorer once
   (`matching.forms_of`) before, timed apart (a one-off, as the indexed path reads each candidate's names once).
   **Recall**: of the (row, party) pairs the exhaustive path scores at or above the review threshold, the share the
   indexed path found (and with the same score).
"""

from __future__ import annotations

import argparse
import gc
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
from regledger.adapters.wiring import Stores, open_stores
from regledger.projections.matching import DEFAULT_REVIEW, DEFAULT_THRESHOLD, Counterparty, best_per_party, forms_of
from regledger.projections.screening import CounterpartyRow, ScreenOptions, screening_directory

from .probe import _peak_mb

__all__ = ["exhaustive_part", "indexed_part", "main", "sample_of"]

ON = date(2020, 1, 1)  # the screening's date for every row


def _ms(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {"mean": round(statistics.fmean(ordered) * 1000, 3),
            "p50": round(ordered[len(ordered) // 2] * 1000, 3),
            "p95": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))] * 1000, 3),
            "max": round(ordered[-1] * 1000, 3)}


def sample_of(rows: list[dict[str, str]], sample: int, seed: int) -> list[int]:
    """The rows (by index) the exhaustive part screens: a random sample, in order."""
    return sorted(random.Random(seed).sample(range(len(rows)), min(sample, len(rows))))  # noqa: S311


def _indexed(stores: Stores) -> Indexed:
    names = names_to_screen(stores, None, None)
    if not isinstance(names, Indexed):
        raise SystemExit("the read models are not current: the indexed path cannot be measured")
    return names


def indexed_part(url: str, rows: list[dict[str, str]], service_rows: int) -> dict[str, Any]:
    """Every row through the index, then the whole service on the first rows (see the module's docstring)."""
    with open_stores(url, write=False) as stores:
        names = _indexed(stores)
        times, found = [], []
        for row in rows:
            started = time.perf_counter()
            matches = names.match(Counterparty(row["name"]), DEFAULT_REVIEW)
            times.append(time.perf_counter() - started)
            found.append({(m.name.party, m.score) for m in matches})
        del names  # that screening is over: the service's own screening holds its parties, as one command's would
        gc.collect()
        started = time.perf_counter()
        served = rows[:service_rows]
        screened = screen(stores, [CounterpartyRow(n, r["name"], r["id"]) for n, r in enumerate(served, start=1)],
                          ScreenOptions(on=ON))
        service_seconds = time.perf_counter() - started
    labelled = [(n, r["party"]) for n, r in enumerate(rows) if r.get("party")]
    decisions = [r.decision for r in screened.rows]

    def found_at(threshold: float) -> float | None:
        hits = sum(1 for n, p in labelled if p in {q for q, s in found[n] if s >= threshold})
        return round(hits / len(labelled), 4) if labelled else None

    return {
        "rows": len(rows), "on": ON.isoformat(),
        "thresholds": {"match": DEFAULT_THRESHOLD, "review": DEFAULT_REVIEW},
        "indexed_ms_per_row": _ms(times),
        "screen_service_rows": len(served),
        "screen_service_ms_per_row": round(service_seconds / len(served) * 1000, 3),
        "screen_service_seconds": round(service_seconds, 3),
        "generated_variants_at_review": found_at(DEFAULT_REVIEW),
        "generated_variants_at_match": found_at(DEFAULT_THRESHOLD),
        "decisions": {d: decisions.count(d) for d in ("match", "possible", "clear")},
        "peak_rss_mb_indexed": round(_peak_mb(), 1),
    }


def exhaustive_part(url: str, rows: list[dict[str, str]], sample: int, seed: int) -> dict[str, Any]:
    """The sample through a fresh index screening and against every name (see the module's docstring)."""
    chosen = sample_of(rows, sample, seed)
    with open_stores(url, write=False) as stores:
        started = time.perf_counter()
        every = screening_directory(stored_entries(stores.ledger)).names
        forms = forms_of(every)
        loading = time.perf_counter() - started
        names = _indexed(stores)
        indexed_times, exhaustive_times, candidates = [], [], []
        pairs, kept, same_score, missed = 0, 0, 0, []
        for n in chosen:
            row = Counterparty(rows[n]["name"])
            started = time.perf_counter()
            got = {(m.name.party, m.score) for m in names.match(row, DEFAULT_REVIEW)}
            indexed_times.append(time.perf_counter() - started)
            candidates.append(len(names.candidates(row)))
            started = time.perf_counter()
            want = {(m.name.party, m.score) for m in best_per_party(row, every, DEFAULT_REVIEW, forms)}
            exhaustive_times.append(time.perf_counter() - started)
            pairs += len(want)
            lost = {p for p, _ in want} - {p for p, _ in got}
            kept += len(want) - len(lost)
            same_score += len(want & got)
            missed += [{"row": n + 1, "name": rows[n]["name"], "party": p, "score": s} for p, s in sorted(want)
                       if p in lost]
    indexed_ms, exhaustive_ms = _ms(indexed_times), _ms(exhaustive_times)
    return {
        "names": len(every), "sample": len(chosen),
        "indexed_ms_per_row_on_sample": indexed_ms,
        "exhaustive_ms_per_row_on_sample": exhaustive_ms,
        "load_every_name_seconds": round(loading, 3),
        "candidates_per_row_on_sample": {"mean": round(statistics.fmean(candidates), 1), "max": max(candidates)},
        "ratios": {"exhaustive_vs_indexed_mean": round(exhaustive_ms["mean"] / indexed_ms["mean"], 1),
                   "exhaustive_vs_indexed_p50": round(exhaustive_ms["p50"] / indexed_ms["p50"], 1)},
        "recall": {"exhaustive_pairs_above_review": pairs, "found_by_indexed": kept,
                   "found_with_same_score": same_score,
                   "indexed_vs_exhaustive": round(kept / pairs, 5) if pairs else None,
                   "missed": missed},
        "peak_rss_mb_exhaustive": round(_peak_mb(), 1),
    }


def main(argv: list[str] | None = None) -> int:
    """Measure one part, print its figures as JSON."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.screening_measure")
    parser.add_argument("url")
    parser.add_argument("rows", type=Path)
    parser.add_argument("--part", choices=("indexed", "exhaustive"), required=True)
    parser.add_argument("--sample", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--service-rows", type=int, default=1000)
    arguments = parser.parse_args(argv if argv is not None else sys.argv[1:])
    rows = json.loads(arguments.rows.read_text(encoding="utf-8"))
    if arguments.part == "indexed":
        figures = indexed_part(arguments.url, rows, arguments.service_rows)
    else:
        figures = exhaustive_part(arguments.url, rows, arguments.sample, arguments.seed)
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
