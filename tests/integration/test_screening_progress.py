"""A screening-list import reports its progress through `adapters.progress.Progress`: one step, `comparing FILE`,
counting the entries compared with the ledger up to all of them."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from regledger.adapters.importers import import_snapshot
from regledger.adapters.wiring import open_ledger


def test_importing_a_snapshot_reports_each_entry_compared(tmp_path: Path) -> None:
    path = tmp_path / "csl.json"
    path.write_text(json.dumps([{"source": "EL", "name": f"Example Party {n}"} for n in range(3)]), encoding="utf-8")
    heard: list[tuple[str, int, int | None]] = []

    with open_ledger("memory:") as ledger:
        done = import_snapshot(ledger, path, date(2020, 1, 6),
                               progress=lambda step, count, total=None: heard.append((step, count, total)))

    assert done.recorded == 3
    assert heard == [("comparing csl.json", n, 3) for n in range(4)]


def test_a_snapshot_imported_before_reports_nothing(tmp_path: Path) -> None:
    path = tmp_path / "csl.json"
    path.write_text(json.dumps([{"source": "EL", "name": "Example Party"}]), encoding="utf-8")
    heard: list[int] = []

    with open_ledger("memory:") as ledger:
        import_snapshot(ledger, path, date(2020, 1, 6))
        again = import_snapshot(ledger, path, date(2020, 1, 6),
                                progress=lambda _step, count, _total=None: heard.append(count))

    assert (again.result, again.skipped, heard) == (None, 1, [])
