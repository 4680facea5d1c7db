"""Bulk recording against its floors, run by run, each baseline measured right after the run it mirrors.

For each run of `run_size` actions (one `record`, one transaction, as one timeline file would be):

- **record**: `Ledger.record` on the benchmark store: validation, guards, the store write (the chain, which `record`
  writes in the run's own transaction, and the read models' catch-up are taken off and timed on their own);
- **chain**: the hash chain's rows for the run's events (written by the catch-up here, in a transaction of their own;
  the same rows `record` writes); **views**: the read models' catch-up;
- **raw executemany**: the run's stored rows, exactly as stored, written with one `executemany` in one transaction
  into a table of the same shape (same columns, keys and indexes) in the same database: the floor;
- **library save**: the same actions validated (timed as **validate**) on a twin store, then saved through the
  library's own `Application.save(*aggregates)`.

A ratio is a throughput over the raw floor's (or the library's), on the same events in the same process.

**bounds** say what the runs' events cost in Python alone, as time ratios to the floor's write of the same
rows: encoding their states as canonical JSON (what the mapper does for each event it stores), and decoding them
into event objects. Whatever else recording does, those costs set how close to the floor it can come.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.persistence import StoredEvent

from regledger.adapters.integrity.chain import catch_up
from regledger.adapters.integrity.verify import chain_store
from regledger.adapters.store.ledger import Ledger, Located
from regledger.adapters.wiring import open_ledger
from regledger.domain import canonical_json, recording_at

from .stores import BenchStore

__all__ = ["measure_recording"]

_RAW = "bench_raw_events"
_SHAPES = {
    "sqlite": [f"CREATE TABLE {_RAW} (originator_id TEXT, originator_version INTEGER, topic TEXT, state BLOB, "
               "PRIMARY KEY (originator_id, originator_version))"],
    "postgres": ["CREATE TABLE {table} (notification_id BIGSERIAL, originator_id UUID NOT NULL, "
                 "originator_version BIGINT NOT NULL, topic TEXT, state BYTEA, "
                 "PRIMARY KEY (originator_id, originator_version))",
                 "CREATE UNIQUE INDEX ON {table} (notification_id)"],
}


def _views(ledger: Ledger) -> Callable[[], object] | None:
    """The read models' catch-up, where this build has read models."""
    try:
        from regledger.adapters.readmodels.lifecycle import bring_up_to_date, views_of  # noqa: PLC0415
        from regledger.adapters.wiring import SET_UP_LOCK  # noqa: PLC0415
    except ImportError:
        return None
    view = views_of(ledger, SET_UP_LOCK)
    return None if view is None else lambda: bring_up_to_date(ledger, view)


class _Raw:
    """The floor: the stored rows of each run copied by one executemany into a table of the same shape."""

    def __init__(self, store: BenchStore) -> None:
        self.store = store
        self.connection = store.connect()
        for statement in _SHAPES[store.kind]:
            self.connection.execute(statement.format(table=store.table(_RAW)))
        self.after = 0

    def new_rows(self) -> list[tuple[Any, ...]]:
        """The rows the last run stored, as stored."""
        s = self.store
        cursor = self.connection.execute(
            f"SELECT {s.nid}, originator_id, originator_version, topic, state FROM {s.events_table} "
            f"WHERE {s.nid} > {s.mark} ORDER BY {s.nid}", (self.after,))
        rows = cursor.fetchall()
        if rows:
            self.after = rows[-1][0]
        return [tuple(row[1:]) for row in rows]

    def write(self, rows: Sequence[tuple[Any, ...]]) -> float:
        """Seconds to write `rows` in one transaction."""
        marks = ", ".join([self.store.mark] * 4)
        statement = (f"INSERT INTO {self.store.table(_RAW)} (originator_id, originator_version, topic, state) "
                     f"VALUES ({marks})")
        started = time.perf_counter()
        if self.store.kind == "sqlite":
            self.connection.execute("BEGIN")
            self.connection.executemany(statement, rows)
            self.connection.execute("COMMIT")
        else:
            with self.connection.transaction(), self.connection.cursor() as cursor:
                cursor.executemany(statement, rows)
        return time.perf_counter() - started


def _timed(work: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = work()
    return time.perf_counter() - started, result


def _library_run(twin: Ledger, chunk: Sequence[Located]) -> tuple[float, float]:
    """(seconds validating, seconds in the library's own save) for one run on the twin store."""
    with recording_at(datetime.now(UTC)):
        validating, run = _timed(lambda: twin._validated_run(chunk))  # the same validation
    aggregates = run.aggregates()
    saving, _ = _timed(lambda: Application.save(twin, *aggregates))
    return validating, saving


def measure_recording(store: BenchStore, twin: BenchStore, located: Sequence[Located], run_size: int,
                      progress: Callable[[str], None] = print, *, views_catch_up: bool = True) -> dict[str, Any]:
    """Record `located` in runs into `store` (the twin gets the library baseline); the figures and ratios.

    Without `views_catch_up`, the read models are left for the rebuild that follows (the "+ views" figures are
    then missing): at a million events their catch-up after every run is most of the recording phase's time."""
    seconds = dict.fromkeys(("record", "chain", "views", "raw_executemany", "validate", "library_save",
                             "encode_states", "decode_events"), 0.0)
    events = runs = 0
    with open_ledger(store.url) as ledger, open_ledger(twin.url) as twin_ledger:
        ledger.on_recorded = twin_ledger.on_recorded = None  # timed on their own below
        for taken_off in (ledger, twin_ledger):  # record chains in its own transaction: taken off to time it apart
            taken_off.keeper = taken_off.recorder.keeper = None  # type: ignore[attr-defined]
        chain, views, raw = chain_store(ledger), _views(ledger) if views_catch_up else None, _Raw(store)
        for start in range(0, len(located), run_size):
            chunk = located[start:start + run_size]
            seconds["record"] += _timed(lambda c=chunk: ledger.record(c))[0]
            seconds["chain"] += _timed(lambda: catch_up(chain))[0]
            if views is not None:
                seconds["views"] += _timed(views)[0]
            rows = raw.new_rows()
            seconds["raw_executemany"] += raw.write(rows)
            encoding, decoding = _python_costs(ledger, rows)
            seconds["encode_states"] += encoding
            seconds["decode_events"] += decoding
            validating, saving = _library_run(twin_ledger, chunk)
            seconds["validate"] += validating
            seconds["library_save"] += saving
            events, runs = events + len(rows), runs + 1
            progress(f"  recorded {start + len(chunk):,} actions ({events:,} events)")
        raw.connection.close()
    return _figures(seconds, events, len(located), runs, views is not None)


def _python_costs(ledger: Ledger, rows: Sequence[tuple[Any, ...]]) -> tuple[float, float]:
    """Seconds to encode the states of `rows` as canonical JSON, and to decode them into event objects."""
    states = [json.loads(row[3]) for row in rows]
    encoding, _ = _timed(lambda: [canonical_json(state).encode() for state in states])
    stored = [StoredEvent(UUID(str(row[0])), row[1], row[2], bytes(row[3])) for row in rows]
    decoding, _ = _timed(lambda: [ledger.mapper.to_domain_event(event) for event in stored])
    return encoding, decoding


def _figures(seconds: dict[str, float], events: int, actions: int, runs: int, with_views: bool) -> dict[str, Any]:
    record, raw = seconds["record"], seconds["raw_executemany"]
    with_chain = record + seconds["chain"]
    full = with_chain + seconds["views"]
    return {
        "actions": actions, "events": events, "runs": runs,
        "seconds": {k: round(v, 4) for k, v in seconds.items()},
        "events_per_second": {
            "record": round(events / record), "record_and_chain": round(events / with_chain),
            "record_chain_and_views": round(events / full) if with_views else None,
            "raw_executemany": round(events / raw), "library_save": round(events / seconds["library_save"]),
        },
        "ratios": {
            "record_vs_raw_executemany": round(raw / record, 3),
            "record_and_chain_vs_raw_executemany": round(raw / with_chain, 3),
            "record_chain_and_views_vs_raw_executemany": round(raw / full, 3) if with_views else None,
            "record_vs_library_save": round(seconds["library_save"] / record, 3),
            "library_save_vs_raw_executemany": round(raw / seconds["library_save"], 3),
            "validation_share_of_record": round(seconds["validate"] / record, 3),
        },
        "bounds": {"ratios": {
            "encode_states_vs_raw_write": round(seconds["encode_states"] / raw, 2),
            "decode_events_vs_raw_write": round(seconds["decode_events"] / raw, 2),
            "best_record_vs_raw_with_this_encoding": round(raw / (raw + seconds["encode_states"]), 3),
        }},
    }
