"""Query figures: as of D for one party (p50, p99), the full state as of D, and a diff over one year, each answered
by the read models (what `as-of` and `diff` use when current), by hand-written SQL on an indexed temporal table of
the same rows (the floor), and by the reference fold over every recorded entry.

The floor is a copy of the read models' item rows (every axis a range, `from <= x < to`) with an index per query,
asked the same point (D, open P, current T, any tier) and fetched without decoding: the least any answer costs.
Where the fold also answers, the answers are compared (`agree`).

A reader keeps the items it has decoded, so the model is timed twice: as a long-lived source asked many questions
(`model`), and as a fresh one, one CLI call, with nothing decoded yet (`model_cold`). Everything loaded before the
timing (the fold's entries) is moved out of the garbage collector's way (`gc.freeze`), so that its passes over
objects the answers did not make are not charged to whichever side happens to trigger them.
"""

from __future__ import annotations

import gc
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from regledger.adapters.readmodels.lifecycle import bring_up_to_date, views_of
from regledger.adapters.readmodels.source import FoldSource, ModelSource, open_source, stored_entries
from regledger.adapters.readmodels.sql import OPEN_DAY, OPEN_TIME
from regledger.adapters.wiring import SET_UP_LOCK, open_ledger
from regledger.projections import Query

from .stores import BenchStore

__all__ = ["measure_queries"]

FIRST, LAST = date(1995, 1, 1), date(2025, 1, 1)
FULL_STATES, DIFFS = 20, 10
_FLOOR = "bench_floor_items"
_POINT = (f"t_to = {OPEN_TIME} AND d_from <= {{m}} AND {{m}} < d_to AND p_from <= {OPEN_DAY - 1} "
          f"AND {OPEN_DAY - 1} < p_to AND tier_lo <= 0 AND 0 <= tier_hi")


class _Floor:
    """Hand-written SQL on an indexed copy of the read models' item rows."""

    def __init__(self, store: BenchStore) -> None:
        self.store, self.connection = store, store.connect()
        items = "regledger_view_items" if store.kind == "sqlite" else f'"{store.schema}".regledger_view_items'
        floor = store.table(_FLOOR)
        for statement in (f"CREATE TABLE {floor} AS SELECT kind, subject, list_key, party, tier_lo, tier_hi, t_from, "
                          f"t_to, p_from, p_to, d_from, d_to, item FROM {items}",
                          f"CREATE INDEX {_FLOOR}_party ON {floor} (party, t_to, d_from)",
                          f"CREATE INDEX {_FLOOR}_day ON {floor} (t_to, d_from)", f"ANALYZE {floor}"):
            self.connection.execute(statement)
        point = _POINT.format(m=store.mark)
        self.by_party = f"SELECT kind, subject, item FROM {floor} WHERE party = {store.mark} AND {point}"
        self.everything = f"SELECT kind, subject, item FROM {floor} WHERE {point}"

    def party(self, party: str, day: date) -> list[Any]:
        """The rows of `party` on `day`."""
        return self.connection.execute(self.by_party, (party, day.toordinal(), day.toordinal())).fetchall()

    def state(self, day: date) -> list[Any]:
        """Every row on `day`."""
        return self.connection.execute(self.everything, (day.toordinal(), day.toordinal())).fetchall()


def _seconds(work: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    answer = work()
    return time.perf_counter() - started, answer


def _quantiles(times: Sequence[float]) -> dict[str, float]:
    ordered = sorted(times)
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]  # noqa: E731
    return {"p50_ms": round(pick(0.5) * 1000, 3), "p99_ms": round(pick(0.99) * 1000, 3), "n": len(ordered)}


def _same(a: Any, b: Any) -> bool:
    return bool(replace(a, notes=()) == replace(b, notes=()))


def _compare(model: list[Callable[[], Any]], floor: list[Callable[[], Any]] | None,
             fold: list[Callable[[], Any]], cold: list[Callable[[], Any]] | None = None) -> dict[str, Any]:
    """Time each answer; the fold answers the first few questions only, and must agree with the model."""
    if cold is not None:
        cold_times = [_seconds(q)[0] for q in cold]
    model_times, answers = [], []
    for question, ask in enumerate(model):  # keep only the answers the fold checks: holding every answer (tens of
        took, answer = _seconds(ask)  # thousands of items each at 1M) made the collector's passes the figure
        model_times.append(took)
        if question < len(fold):
            answers.append(answer)
    fold_times, agree = [], True
    for question, fold_question in enumerate(fold):
        took, folded = _seconds(fold_question)
        fold_times.append(took)
        agree = agree and _same(answers[question], folded)
    figures: dict[str, Any] = {"model": _quantiles(model_times), "fold": _quantiles(fold_times), "agree": agree}
    ratios = {"fold_vs_model_p50": round(figures["fold"]["p50_ms"] / figures["model"]["p50_ms"], 1)}
    if cold is not None:
        figures["model_cold"] = _quantiles(cold_times)
    if floor is not None:
        figures["floor"] = _quantiles([_seconds(q)[0] for q in floor])
        for name, timed in (("model", "model"), ("model_cold", "model_cold")):
            if timed in figures:
                for q in ("p50", "p99"):
                    ratios[f"{name}_vs_floor_{q}"] = round(figures[timed][f"{q}_ms"] / figures["floor"][f"{q}_ms"], 2)
    figures["ratios"] = ratios
    return figures


def _days(rng: random.Random, count: int) -> list[date]:
    return [FIRST + timedelta(days=rng.randrange((LAST - FIRST).days)) for _ in range(count)]


def measure_queries(store: BenchStore, *, queries: int, fold_samples: int, seed: int,
                    progress: Callable[[str], None] = print) -> dict[str, Any]:
    """The three query figures on a recorded store whose read models are current."""
    rng = random.Random(seed)  # noqa: S311 - sampling, not security
    with open_ledger(store.url) as ledger:
        behind = _behind(ledger)
        if behind is not None:  # say so, bring them up to date as `regledger project` would, and go on
            progress(f"  the read models cannot answer after the rebuild ({behind}): bringing them up to date")
            bring_up_to_date(ledger, views_of(ledger, SET_UP_LOCK))
        source = open_source(ledger, views_of(ledger, SET_UP_LOCK))
        if not isinstance(source, ModelSource):
            return {"skipped": f"the read models are not current: {_behind(ledger)}", "behind_after_rebuild": behind}
        loading, entries = _seconds(lambda: stored_entries(ledger))
        fold, floor = FoldSource(entries), _Floor(store)
        gc.collect()
        gc.freeze()
        try:
            figures = _timed_queries(source, fold, floor, entries, rng, queries=queries, fold_samples=fold_samples,
                                     progress=progress)
        finally:
            gc.unfreeze()
            floor.connection.close()
    return {"fold_load_seconds": round(loading, 3), **figures, "behind_after_rebuild": behind}


def _timed_queries(source: ModelSource, fold: FoldSource, floor: _Floor, entries: Sequence[Any],
                   rng: random.Random, *, queries: int, fold_samples: int,
                   progress: Callable[[str], None]) -> dict[str, Any]:
    """The as-of-one-party, full-state and one-year-diff figures."""
    parties = sorted({e.action.party.key for e in entries if hasattr(e.action, "party")})
    asked = [(rng.choice(parties), day) for day in _days(rng, queries)]
    fresh = getattr(source.view, "forget_decoded", lambda: None)  # a reader as one CLI call starts
    by_party = _compare([lambda p=p, d=d: source.state(Query(d), (None, {p})) for p, d in asked],
                        [lambda p=p, d=d: floor.party(p, d) for p, d in asked],
                        [lambda p=p, d=d: fold.state(Query(d), (None, {p})) for p, d in asked[:fold_samples]],
                        [lambda p=p, d=d: (fresh(), source.state(Query(d), (None, {p}))) for p, d in asked])
    progress(f"  as-of one party: model p50 {by_party['model']['p50_ms']} ms (fresh reader "
             f"{by_party['model_cold']['p50_ms']} ms), floor {by_party['floor']['p50_ms']} ms, "
             f"fold {by_party['fold']['p50_ms']} ms")
    days = _days(rng, FULL_STATES)
    full = _compare([lambda d=d: source.state(Query(d), (None, None)) for d in days],
                    [lambda d=d: floor.state(d) for d in days],
                    [lambda d=d: fold.state(Query(d), (None, None)) for d in days[:fold_samples]],
                    [lambda d=d: (fresh(), source.state(Query(d), (None, None))) for d in days])
    progress(f"  full state: model p50 {full['model']['p50_ms']} ms (fresh reader {full['model_cold']['p50_ms']} "
             f"ms), floor {full['floor']['p50_ms']} ms")
    windows = [(d, d + timedelta(days=365)) for d in _days(rng, DIFFS)]
    diff = _compare([lambda w=w: source.diff(Query(w[1]), w, (None, None)) for w in windows], None,
                    [lambda w=w: fold.diff(Query(w[1]), w, (None, None)) for w in windows[:fold_samples]])
    return {"as_of_party": by_party, "full_state": full, "diff_one_year": diff}


def _behind(ledger: Any) -> str | None:
    """Why the read models cannot answer now, as the query commands judge it (None: they can)."""
    view = views_of(ledger, SET_UP_LOCK)
    if not view.installed():
        return "not installed"
    try:
        from regledger.adapters.readmodels.lifecycle import behind  # noqa: PLC0415 - where this build has the judgement
    except ImportError:
        head, position, waiting = ledger.recorder.max_notification_id() or 0, view.position() or 0, view.unsettled()
        return None if (position, waiting) == (head, 0) else f"position {position} of {head}, {waiting} unsettled"
    return behind(ledger, view)  # type: ignore[no-any-return]
