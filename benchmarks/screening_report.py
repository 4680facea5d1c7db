"""The screening section of RESULTS.md: one Markdown table row per `screening-<store>-<parties>.json` in the results
folder, written in place of the section's previous text (the rest of the file is kept as it is)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

__all__ = ["HEADING", "screening_section"]

HEADING = "## Screening counterparties"
TEXT = """

Written by `python -m benchmarks.screening` (see `benchmarks/screening.py`); each row is one
`screening-<store>-<parties>.json` beside this file. Rows are screened through the read models' screening index;
a random sample of them also by the exhaustive path (every row against every name and alias, the same scorer), in
a process of their own on the same ledger, the sample's rows first through a fresh index screening. **exhaustive ÷
indexed** is the ratio of their mean times per row on the sample (target ≥ 20); **recall** is the share of the
(row, party) pairs the exhaustive path scores at or above the review threshold that the indexed path finds (target
≥ 0.995); **peak RSS** is the indexed screening process's (target < 1 GB), then the exhaustive process's (which
holds every name in memory). **screen ms/row** is the whole `screen`
service per row (candidates, scores, each match's statuses on the date, decisions). The evaluation columns are the
labelled set's (tests/fixtures/screening/evaluation.csv against the bundled case), screened through the index.

"""
COLUMNS: list[tuple[str, Any]] = [
    ("store", lambda r: r["store"]),
    ("parties", lambda r: f"{r['parties']:,}"),
    ("names", lambda r: f"{r['names']:,}"),
    ("rows", lambda r: f"{r['rows']:,}"),
    ("indexed ms/row mean / p95", lambda r: f"{r['indexed_ms_per_row']['mean']:.3g} / "
                                            f"{r['indexed_ms_per_row']['p95']:.3g}"),
    ("screen ms/row", lambda r: f"{r['screen_service_ms_per_row']:.3g}"),
    ("sample", lambda r: f"{r['sample']:,}"),
    ("exhaustive ms/row mean", lambda r: f"{r['exhaustive_ms_per_row_on_sample']['mean']:.4g}"),
    ("exhaustive ÷ indexed", lambda r: f"{r['ratios']['exhaustive_vs_indexed_mean']:.3g}"),
    ("recall", lambda r: f"{r['recall']['indexed_vs_exhaustive']} ({r['recall']['found_by_indexed']:,} of "
                         f"{r['recall']['exhaustive_pairs_above_review']:,})"),
    ("peak RSS MB indexed / exhaustive", lambda r: f"{r['peak_rss_mb_indexed']:.0f} / "
                                                   f"{r.get('peak_rss_mb_exhaustive', r['peak_rss_mb']):.0f}"),
    ("evaluation precision / recall at match", lambda r: f"{r['evaluation']['precision_at_match']} / "
                                                         f"{r['evaluation']['recall_at_match']}"),
    ("recording s", lambda r: f"{r['recording']['seconds_with_read_models']:,.0f}"
                              if "seconds_with_read_models" in r["recording"] else "reused"),
]


def screening_section(folder: Path) -> Path:
    """Write (or replace) the screening section of `folder`/RESULTS.md from every `screening-*.json` there; its
    path. The text before and after the section is kept."""
    target = folder / "RESULTS.md"
    text = target.read_text(encoding="utf-8") if target.exists() else ""
    before, after = text, ""
    if HEADING in text:
        before, rest = text.split(HEADING, 1)
        following = rest.find("\n## ")
        after = rest[following + 1:] if following >= 0 else ""
    results = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("screening-*.json"))]
    results.sort(key=lambda r: (r["store"], r["parties"]))
    lines = ["| " + " | ".join(name for name, _ in COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    lines += ["| " + " | ".join(cell(r) for _, cell in COLUMNS) + " |" for r in results]
    section = f"{HEADING}{TEXT}" + "\n".join(lines) + "\n" if results else ""
    parts = [before.rstrip("\n") + "\n" if before.strip() else "", section, after]
    target.write_text("\n".join(p for p in parts if p), encoding="utf-8")
    return target
