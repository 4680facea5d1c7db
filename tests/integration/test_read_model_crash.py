"""Killing a real `regledger rebuild` with SIGKILL, while it applies events or while it recomputes subjects, and
then running the catch-up (`regledger project`), leaves the read models equal to a clean rebuild, with every event
applied once: the batches logged cover the log once each, in order.
"""

from __future__ import annotations

import itertools
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from benchmarks.generate import generate
from regledger.adapters import Located, open_ledger
from regledger.adapters.readmodels.check import check_views
from regledger.adapters.readmodels.lifecycle import views_of
from regledger.adapters.readmodels.runner import catch_up, rebuild
from regledger.adapters.readmodels.source import stored_entries
from regledger.adapters.readmodels.sql import TABLES
from regledger.adapters.wiring import SET_UP_LOCK
from regledger.domain import action_adapter
from tests.conftest import POSTGRES_URL, drop_schema, require_postgres

REGLEDGER = str(Path(sys.executable).parent / "regledger")
BATCH = "60"  # small transactions, so that there is a middle to kill it in


class Peek:
    """Reads the read models' tables of a store directly (not through regledger)."""

    def __init__(self, db: str) -> None:
        self.db = db
        self.schema = db.split("schema=")[1] if "schema=" in db else None

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        if self.schema is None:
            with closing(sqlite3.connect(self.db)) as connection:
                return [tuple(row) for row in connection.execute(sql).fetchall()]
        import psycopg  # noqa: PLC0415

        with psycopg.connect(POSTGRES_URL) as connection:
            return [tuple(row) for row in connection.execute(sql.replace("regledger_", f'"{self.schema}".regledger_',
                                                                         1)).fetchall()]

    def table(self, name: str) -> str:
        return f"regledger_view_{name}"

    def one(self, sql: str) -> Any:
        try:
            rows = self.query(sql)
        except Exception:
            return None
        return rows[0][0] if rows else None

    def position(self) -> int:
        return self.one("SELECT notification_id FROM regledger_view_tracking WHERE application_name = 'regledger'") or 0

    def dirty(self) -> int:
        return self.one("SELECT COUNT(*) FROM regledger_view_dirty") or 0

    def contents(self) -> dict[str, list[str]]:
        """Every table but the batch log, as sorted rows."""
        return {name: sorted(map(repr, self.query(f"SELECT * FROM {self.table(name)}")))
                for name in TABLES if name != "batches"}

    def batches(self) -> list[tuple[int, int, int]]:
        return sorted(self.query("SELECT first_nid, last_nid, events FROM regledger_view_batches"))


def _kill_when(db: str, peek: Peek, ready: Any) -> tuple[int, int]:
    """Start a rebuild, SIGKILL it once `ready(position, dirty)`, and return where it had got to."""
    process = subprocess.Popen([REGLEDGER, "rebuild", "--batch", BATCH, "--db", db], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline and process.poll() is None:
            position, dirty = peek.position(), peek.dirty()
            if ready(position, dirty):
                process.send_signal(signal.SIGKILL)
                process.wait(timeout=30)
                return position, dirty
            time.sleep(0.005)
    finally:
        if process.poll() is None:
            process.kill()
    pytest.fail("the rebuild ended before it could be killed in the middle")


@dataclass(frozen=True)
class Recorded:
    """A ledger holding a generated history of a few thousand events, recorded in two runs, and its read models
    as a clean rebuild leaves them."""

    db: str
    peek: Peek
    events: int  # the last notification id
    count: int  # how many events
    clean: dict[str, list[str]]


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def recorded(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Recorded]:
    schema = None
    if request.param == "postgres":
        require_postgres()
        schema = f"t_{uuid.uuid4().hex[:12]}"
    db = f"{POSTGRES_URL}?schema={schema}" if schema else str(tmp_path_factory.mktemp("crash") / "ledger.db")
    actions = [action_adapter.validate_python(a) for a in generate(800, seed=11)]
    with open_ledger(db) as ledger:
        for part in (actions[:400], actions[400:]):  # two record runs; each brings the read models up to date
            ledger.record([Located("generated", a) for a in part])
        peek = Peek(db)
        run_by_run = peek.contents()
        rebuild(ledger, views_of(ledger, SET_UP_LOCK))
    clean = peek.contents()
    assert run_by_run == clean  # the rows are a function of the entries, however they were applied
    events = "SELECT MAX(notification_id) FROM regledger_events" if schema else "SELECT MAX(rowid) FROM stored_events"
    count = "SELECT COUNT(*) FROM regledger_events" if schema else "SELECT COUNT(*) FROM stored_events"
    yield Recorded(db, peek, int(peek.one(events)), int(peek.one(count)), clean)
    if schema:
        drop_schema(schema)


@pytest.mark.parametrize("moment", ["applying events", "recomputing subjects"])
def test_a_rebuild_killed_mid_run_and_caught_up_equals_a_clean_rebuild(recorded: Recorded, moment: str) -> None:
    events = recorded.events
    if moment == "applying events":
        ready = lambda position, _dirty: 0 < position < events  # noqa: E731
    else:
        ready = lambda position, dirty: position == events and dirty > 0  # noqa: E731

    position, dirty = _kill_when(recorded.db, recorded.peek, ready)
    with open_ledger(recorded.db) as ledger:  # the restart: a catch-up, from where the killed one got to
        view = views_of(ledger, SET_UP_LOCK)
        catch_up(ledger, view, page=int(BATCH))
        checked = check_views(stored_entries(ledger), view, samples=2, seed=0)

    assert (position, dirty) != (events, 0), "killed after the end"
    assert recorded.peek.contents() == recorded.clean
    batches = recorded.peek.batches()
    assert batches[-1][1] == events
    assert sum(n for _, _, n in batches) == recorded.count  # every event applied once
    assert all(later[0] > earlier[1] for earlier, later in itertools.pairwise(batches))
    assert checked.differences == ()


def test_a_rebuild_leaves_the_planner_statistics_of_the_tables_and_their_pages_all_visible(recorded: Recorded) -> None:
    """PostgreSQL: the read-model tables vacuumed and analysed after the rebuild (the server's autovacuum may be off;
    these five hold rows, so ANALYZE leaves statistics of their columns, and VACUUM marks their pages all-visible,
    which index-only scans need); SQLite: no statistics, which the statements' plans are written for."""
    with open_ledger(recorded.db) as ledger:  # the killed runs before this test dropped the tables it analysed
        rebuild(ledger, views_of(ledger, SET_UP_LOCK))
    if recorded.db.startswith("postgresql"):
        schema = recorded.db.rsplit("schema=", 1)[1]
        analysed = recorded.peek.one(  # named after the prefix (`Peek.query` qualifies the first table name it sees)
            f"SELECT COUNT(DISTINCT tablename) FROM pg_stats WHERE schemaname = '{schema}' "
            "AND substr(tablename, 16) IN ('items', 'effects', 'entries', 'subjects', 'counts')")
        assert int(analysed) == 5  # each holds rows: each has the planner's statistics
        visible = recorded.peek.one(
            "SELECT COUNT(*) FROM pg_class JOIN pg_namespace ON pg_namespace.oid = relnamespace "
            f"WHERE nspname = '{schema}' AND substr(relname, 16) IN ('items', 'effects', 'entries', 'subjects', "
            "'counts') AND relkind = 'r' AND relpages > 0 AND relallvisible = relpages")
        assert int(visible) == 5  # vacuumed: every page all-visible
    else:
        assert int(recorded.peek.one("SELECT COUNT(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")) == 0
