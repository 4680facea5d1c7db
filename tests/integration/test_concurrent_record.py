"""Two real processes record overlapping files into one ledger at the same time: nothing lost, nothing twice."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import listed, source

REGLEDGER = str(Path(sys.executable).parent / "regledger")


def _amendment(party: str, n: int) -> dict:
    return {"kind": "entry_amended", "id": f"amend-{party}-{n}", "list": "us-bis-entity-list", "party": {"key": party},
            "details": {"license_policy": f"policy {n}"}, "effective_on": f"2019-06-{n:02d}",
            "published_on": f"2019-06-{n:02d}", "sources": [source(f"84 FR {n}")]}


def _files(write_timeline) -> tuple[Path, Path, set[str]]:
    shared = [listed("huawei", id="shared-listing")] + [_amendment("huawei", n) for n in range(1, 21)]
    only_a = [listed(f"a-{n}", name=f"Party A{n}", id=f"a-{n}") for n in range(60)]
    only_b = [listed(f"b-{n}", name=f"Party B{n}", id=f"b-{n}") for n in range(60)]
    ids = {a["id"] for a in shared + only_a + only_b}
    return write_timeline(shared + only_a), write_timeline(only_b + shared), ids


def _run_both(db: str, first: Path, second: Path) -> None:
    _stored_ids(db)  # create the ledger first, so that both writers start validating at once
    processes = [
        subprocess.Popen([REGLEDGER, "record", "--db", db, str(path)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True)
        for path in (first, second)
    ]
    for process in processes:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, (out, err)
        print(out)  # "after N tries" shows when the writers collided and one retried


def _stored_ids(db: str) -> list[str]:
    result = subprocess.run([REGLEDGER, "log", "--db", db, "--format", "json"], capture_output=True, text=True,
                            check=True, timeout=60)
    return [item["id"] for item in json.loads(result.stdout)]


@pytest.mark.postgres
@pytest.mark.parametrize("round_", range(3))
def test_two_processes_recording_overlapping_files_into_postgres(postgres_db, write_timeline, round_) -> None:
    first, second, ids = _files(write_timeline)

    _run_both(postgres_db, first, second)

    stored = _stored_ids(postgres_db)
    assert sorted(stored) == sorted(ids)


def test_two_processes_recording_overlapping_files_into_sqlite(sqlite_db, write_timeline) -> None:
    first, second, ids = _files(write_timeline)

    _run_both(sqlite_db, first, second)

    assert sorted(_stored_ids(sqlite_db)) == sorted(ids)
