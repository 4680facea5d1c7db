"""A rebuild in a process of its own, for its peak memory: `python -m benchmarks.probe STORE_URL` prints JSON.

It opens the ledger, notes the resident set so far, rebuilds the read models (timed), notes the peak resident set
(VmHWM, else `ru_maxrss`), then reads and decodes every stored event alone (timed, the rebuild's floor), so that
both figures come from one process and the peak belongs to the rebuild.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path
from typing import Any

from regledger.adapters.readmodels.lifecycle import views_of
from regledger.adapters.readmodels.runner import rebuild
from regledger.adapters.wiring import SET_UP_LOCK, open_ledger

__all__ = ["decode_all", "main"]

PAGE = 5000  # the rebuild's page


def _peak_mb() -> float:
    """This process's peak resident set: Linux's VmHWM (ru_maxrss can carry the parent's peak across exec)."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text(encoding="ascii", errors="replace").splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def decode_all(ledger: Any, page: int = PAGE) -> int:
    """Read every stored event in pages and decode each; how many."""
    count, after = 0, 0
    while found := ledger.recorder.select_notifications(start=after, limit=page, inclusive_of_start=False):
        for notification in found:
            ledger.mapper.to_domain_event(notification)
        count += len(found)
        after = found[-1].id
    return count


def main(argv: list[str] | None = None) -> int:
    """Rebuild, then decode; print the figures as JSON."""
    url = (argv or sys.argv[1:])[0]
    with open_ledger(url) as ledger:
        view = views_of(ledger, SET_UP_LOCK)
        before = _peak_mb()
        started = time.perf_counter()
        events = rebuild(ledger, view)
        rebuilding = time.perf_counter() - started
        peak = _peak_mb()
        started = time.perf_counter()
        decoded = decode_all(ledger)
        decoding = time.perf_counter() - started
    print(json.dumps({"events": events, "decoded": decoded, "rebuild_seconds": round(rebuilding, 3),
                      "decode_seconds": round(decoding, 3), "peak_rss_mb_before": round(before, 1),
                      "peak_rss_mb": round(peak, 1)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
