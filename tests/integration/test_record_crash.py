"""`record` killed with SIGKILL at random moments of a large run, on each store: each time, either nothing of the run
is stored or all of it, the ledger verifies and holds no row its chain does not cover; recording the file again then
completes it. (A run's chain rows are written in the transaction that stores its events.)"""

from __future__ import annotations

import json
import random
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from regledger.adapters.importers.timeline import read_timeline
from regledger.adapters.integrity.verify import chain_store, verify_chain
from regledger.adapters.wiring import open_ledger
from tests.conftest import listed
from tests.integration.integrity_kit import schema_of

REGLEDGER = str(Path(sys.executable).parent / "regledger")
ACTIONS = 3000
WINDOWS = ((0.3, 1.0), (1.0, 1.8), (1.8, 2.8))  # a kill in each, at a random moment (seconds after the start)


@pytest.fixture(scope="module")
def large_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("crash") / "large.json"
    actions = [listed(f"crash-{n}", name=f"Crash Party {n}", id=f"crash-{n}", effective="2019-06-01",
                      published="2019-06-02") for n in range(ACTIONS)]
    path.write_text(json.dumps(actions), encoding="utf-8")
    return path


def _ledgers(db: str, tmp_path: Path, count: int) -> Iterator[str]:
    """`count` fresh ledgers of the kind `db` is, each holding one recorded action already."""
    schema = schema_of(db)
    for n in range(count):
        store = str(tmp_path / f"crash-{n}.db") if schema is None else db.replace(schema, f"{schema}_{n}")
        with open_ledger(store) as ledger:
            ledger.record(read_timeline(_one(tmp_path)))
        yield store


def _one(tmp_path: Path) -> Path:
    path = tmp_path / "one.json"
    path.write_text(json.dumps([listed("huawei", id="before")]), encoding="utf-8")
    return path


def _killed_after(store: str, run: Path, delay: float) -> int | None:
    """Start `regledger record` of `run` and kill it (SIGKILL) `delay` seconds later; its exit status when it had
    finished first, else None."""
    process = subprocess.Popen([REGLEDGER, "record", "--db", store, str(run)], stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)
    time.sleep(delay)
    finished = process.poll()
    if finished is None:
        process.kill()
    process.communicate(timeout=60)
    return finished


def _held(store: str) -> tuple[int, bool, bool]:
    """How many actions of the large run are stored, whether the ledger verifies, and whether it holds a row its
    chain does not cover."""
    with open_ledger(store) as ledger:
        stored = sum(1 for action in ledger.stored_actions() if (action.action.id or "").startswith("crash-"))
        verified = verify_chain(chain_store(ledger)).divergence is None
        return stored, verified, bool(ledger.foreign_rows())


@pytest.fixture
def drop_schemas(db: str) -> Iterator[None]:
    yield
    schema = schema_of(db)
    if schema is not None:
        from tests.conftest import drop_schema  # noqa: PLC0415

        for n in range(len(WINDOWS)):
            drop_schema(f"{schema}_{n}")


def test_a_record_killed_at_any_moment_stores_all_or_nothing_and_verifies(db: str, tmp_path: Path, large_run: Path,
                                                                          drop_schemas: None) -> None:
    store = ""
    for (earliest, latest), store in zip(WINDOWS, _ledgers(db, tmp_path, len(WINDOWS)), strict=True):
        delay = random.uniform(earliest, latest)  # noqa: S311 - a moment, not a secret

        finished = _killed_after(store, large_run, delay)

        stored, verified, foreign = _held(store)
        assert stored in (0, ACTIONS), f"killed after {delay:.2f}s: {stored} of {ACTIONS} actions stored"
        assert stored == ACTIONS or finished is None, f"finished with {finished} after {delay:.2f}s, storing nothing"
        assert verified, f"killed after {delay:.2f}s: the ledger does not verify"
        assert not foreign, f"killed after {delay:.2f}s: rows outside the chain"

    with open_ledger(store) as ledger:
        result = ledger.record(read_timeline(large_run))
        assert result.recorded + result.skipped == ACTIONS
        assert verify_chain(chain_store(ledger)).divergence is None
