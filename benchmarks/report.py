"""RESULTS.md: one Markdown table row per result file (`<store>-<size>.json`) in the results folder."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

__all__ = ["write_markdown"]

HEADER = """# Benchmark results

Written by `python -m benchmarks.run` (see `benchmarks/run.py`); each row is one `<store>-<size>.json` beside this
file. Every ratio compares two measurements taken in the same process on the same data: **throughput ratios**
(regledger ÷ baseline, higher is better; the recording target is ≥ 0.5 of raw `executemany`) and **time ratios**
for queries (regledger ÷ floor: lower is better, target ≤ 2; fold ÷ regledger: higher is better, target ≥ 1000 at
1M events). Sizes are in actions; each action stores about 2.4 events (its subject's event, its index entry, and
the first events of new subjects). **JSON encode time ÷ raw** is the time to encode one run's stored states as
canonical JSON (with the standard library, as the mapper does) over the time the floor takes to write those rows;
**best record ÷ raw with that encoding** is the recording ratio that encoding alone leaves possible, even if
validation, guards and event objects cost nothing. A reader keeps the items it has decoded: the query ratios are for
a long-lived reader asked many questions, and (**fresh reader**) for one that has decoded nothing yet, as in one
CLI call.

"""

COLUMNS = [
    ("store", lambda r: r["store"]),
    ("actions", lambda r: f"{r['actions']:,}"),
    ("events", lambda r: f"{r['events']:,}"),
    ("record ev/s", lambda r: f"{r['recording']['events_per_second']['record']:,}"),
    ("record ÷ raw executemany", lambda r: _ratio(r, "recording", "record_vs_raw_executemany")),
    ("+ chain ÷ raw", lambda r: _ratio(r, "recording", "record_and_chain_vs_raw_executemany")),
    ("+ chain + views ÷ raw", lambda r: _ratio(r, "recording", "record_chain_and_views_vs_raw_executemany")),
    ("record ÷ library save", lambda r: _ratio(r, "recording", "record_vs_library_save")),
    ("library save ÷ raw", lambda r: _ratio(r, "recording", "library_save_vs_raw_executemany")),
    ("JSON encode time ÷ raw", lambda r: _bound(r, "encode_states_vs_raw_write")),
    ("best record ÷ raw with that encoding", lambda r: _bound(r, "best_record_vs_raw_with_this_encoding")),
    ("as-of party p50 / p99 ms", lambda r: _pair(r, "as_of_party", "model")),
    ("party ÷ floor p50 / p99", lambda r: _floor(r, "as_of_party")),
    ("party, fresh reader ÷ floor p50 / p99", lambda r: _floor(r, "as_of_party", "model_cold")),
    ("fold ÷ party", lambda r: _query(r, "as_of_party", "fold_vs_model_p50")),
    ("full state p50 ms", lambda r: _ms(r, "full_state")),
    ("full ÷ floor p50", lambda r: _query(r, "full_state", "model_vs_floor_p50")),
    ("full, fresh reader ÷ floor p50", lambda r: _query(r, "full_state", "model_cold_vs_floor_p50")),
    ("fold ÷ full", lambda r: _query(r, "full_state", "fold_vs_model_p50")),
    ("diff 1 year p50 ms", lambda r: _ms(r, "diff_one_year")),
    ("fold ÷ diff", lambda r: _query(r, "diff_one_year", "fold_vs_model_p50")),
    ("rebuild ÷ read+decode", lambda r: _ratio(r, "rebuild", "rebuild_vs_read_and_decode")),
    ("rebuild peak MB", lambda r: str(r.get("rebuild", {}).get("peak_rss_mb", "–"))),
    ("verify ev/s", lambda r: f"{r['verify']['events_per_second']['verify']:,}" if "verify" in r else "–"),
    ("verify ÷ read rows", lambda r: _ratio(r, "verify", "verify_vs_read_rows")),
]


def _ratio(result: dict[str, Any], part: str, name: str) -> str:
    value = result.get(part, {}).get("ratios", {}).get(name)
    return "–" if value is None else f"{value:.3g}"


def _bound(result: dict[str, Any], name: str) -> str:
    value = result.get("recording", {}).get("bounds", {}).get("ratios", {}).get(name)
    return "–" if value is None else f"{value:.3g}"


def _figures(result: dict[str, Any], name: str) -> dict[str, Any]:
    return result.get("queries", {}).get(name, {})  # type: ignore[no-any-return]


def _query(result: dict[str, Any], name: str, ratio: str) -> str:
    value = _figures(result, name).get("ratios", {}).get(ratio)
    return "–" if value is None else f"{value:,.3g}"


def _pair(result: dict[str, Any], name: str, who: str) -> str:
    figures = _figures(result, name).get(who)
    return "–" if figures is None else f"{figures['p50_ms']:.3g} / {figures['p99_ms']:.3g}"


def _ms(result: dict[str, Any], name: str) -> str:
    figures = _figures(result, name).get("model")
    return "–" if figures is None else f"{figures['p50_ms']:.3g}"


def _floor(result: dict[str, Any], name: str, who: str = "model") -> str:
    ratios = _figures(result, name).get("ratios", {})
    if f"{who}_vs_floor_p50" not in ratios:
        return "–"
    return f"{ratios[f'{who}_vs_floor_p50']:.3g} / {ratios[f'{who}_vs_floor_p99']:.3g}"


def _machine(results: list[dict[str, Any]]) -> str:
    seen = {json.dumps({k: v for k, v in r["versions"].items() if k != "regledger"}, sort_keys=True) for r in results}
    lines = ["## Machines and versions", ""]
    for versions in sorted(seen):
        lines.append("- " + ", ".join(f"{k} {v}" for k, v in json.loads(versions).items()))
    return "\n".join(lines) + "\n"


def write_markdown(folder: Path) -> Path:
    """Write RESULTS.md from every result file in `folder`; its path."""
    results = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*-*.json"))
               if not p.name.startswith(_OTHERS)]  # the other benchmarks' results: in sections of their own
    results.sort(key=lambda r: (r["store"], r["size"]))
    lines = ["| " + " | ".join(name for name, _ in COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    lines += ["| " + " | ".join(cell(r) for _, cell in COLUMNS) + " |" for r in results]
    text = HEADER + "\n".join(lines) + "\n\n" + (_machine(results) if results else "")
    target = folder / "RESULTS.md"
    old = target.read_text(encoding="utf-8") if target.exists() else ""
    for heading in _KEPT:  # the other benchmarks' sections are kept as they are, in this order
        if heading in old:
            rest = old.split(heading, 1)[1]
            end = rest.find("\n## ")
            text += "\n" + heading + (rest[:end] if end >= 0 else rest).rstrip("\n") + "\n"
    target.write_text(text, encoding="utf-8")
    return target


_OTHERS = ("web-", "screening-")  # result files of benchmarks.web_load and benchmarks.screening
# The sections benchmarks.screening (screening_report.HEADING) and benchmarks.web_load (WEB_HEADING) write.
_KEPT = ("## Screening counterparties", "## The web application under load")
