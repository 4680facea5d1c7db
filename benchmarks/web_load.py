"""The web application under load: 8 clients on 127.0.0.1 against `regledger serve`, every figure beside the same
answer computed in-process through the services, in the same run, on the same store.

    python -m benchmarks.web_load --actions 100000 --keep /tmp/web-100000.db
    python -m benchmarks.web_load --actions 100000 --db /tmp/web-100000.db --rebuild   # reuse it later

Builds a store holding a generated history (`benchmarks.generate`, recorded in runs; the read models rebuilt once
at the end, as `benchmarks.run --no-views-catch-up` does), or reuses one given with `--db` (it must hold the history
of the same `--actions` and `--seed`: the questions are drawn from it; `--rebuild` first rebuilds its read models,
which a change to the fold leaves stale). Then starts `regledger serve` on a free port of 127.0.0.1 in a
subprocess, waits for it, and sends, from `--clients` threads (each its own keep-alive HTTP
client), at most `--requests` requests per kind and for at most `--seconds` per kind:

- `party`: `GET /api/v1/as-of/{D}?party=KEY` (the party as-of JSON);
- `page`: `GET /as-of/{D}` (the full as-of page; its first page);
- `page_published`: `GET /as-of/{D}?published_by={P}` (its first page, published by a day P within a year of D);
- `page_known`: `GET /as-of/{D}?known_at={T}` (its first page, as known at a moment T between the store's first and
  last recording);
- `page_sparse`: the as-of page where few rows hold the point, in turn: a day D in the history's first three years
  (known now); a day D of 2000-2024 published by a day P in those years; a day D of 2000-2024 known at a moment T
  among the first twentieth of the store's recordings (each page's sections are then read whole along an index
  range, not walked: `reader._GATHER`);
- `diff`: `GET /api/v1/diff/{D-365}/{D}` (a one-year compare, whole, as the API answers it);
- `diff_page`: `GET /diff/{D-365}/{D}` (the compare page of that year; its first page of subjects).

The in-process baseline answers the same questions one after another on stores opened once (as the server keeps
its process): `queries.as_of` / `queries.diff` rendered as the command line's JSON; for the page, its first page
(`queries.as_of_page`, the server's page size) rendered the same way (the server renders it as HTML), and for the
compare page its first page (`queries.diff_page`) likewise. Each kind's
figures: p50/p99 in ms, both ways, and the ratios HTTP ÷
in-process (latency: p50, p99; throughput: the server's requests/s under load over the services' answers/s one at
a time). A request that fails or outlasts `--timeout` is counted by its error's name, never timed. The first answer
of each API kind is compared with the in-process JSON (`agree`), and flagged when it came from the reference fold
instead of the read models (`from_fold`: stale models; the figures then mean little). Targets (issue 18):
party as-of p99 < 50 ms; the first page of a paged view p99 < 300 ms even at 1,000,000 events.

Writes `benchmarks/results/web-<store>-<actions>.json` (`…-w<N>.json` with N workers) and the web section of
`benchmarks/results/RESULTS.md`. Only 127.0.0.1 is ever contacted; every loop is bounded in count and time. Not
part of the test suite; `tests/integration/test_web_load_smoke.py` runs it tiny so that it cannot rot.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from regledger.adapters.readmodels.sql import undo_moment
from regledger.adapters.render.answers_json import diff_json, state_json
from regledger.adapters.services import Selection, queries, recording
from regledger.adapters.services.inputs import EVERYTHING, Axes, Window
from regledger.adapters.store.ledger import Located
from regledger.adapters.web.config import WebConfig
from regledger.adapters.wiring import open_stores
from regledger.domain import action_adapter
from regledger.projections import Query

from .generate import START, generate
from .stores import POSTGRES_URL, fresh_store, rebuild, regledger_command, versions

__all__ = ["WEB_HEADING", "main", "run_load", "write_section"]

RESULTS = Path(__file__).resolve().parent / "results"
HOST = "127.0.0.1"  # the only address this benchmark ever sends to
WEB_HEADING = "## The web application under load"
FIRST, LAST = date(2000, 1, 1), date(2024, 12, 31)
KINDS = ("party", "page", "page_published", "page_known", "page_sparse", "diff",
         "diff_page")  # the questions, in the table's order
TARGETS_MS = {"party": ("p99_ms", 50.0), "page": ("p99_ms", 300.0), "page_published": ("p99_ms", 300.0),
              "page_known": ("p99_ms", 300.0), "page_sparse": ("p99_ms", 300.0), "diff_page": ("p99_ms", 300.0)}
EARLY = (START, date(START.year + 2, 12, 31))  # the history's first three years: few rows hold a point in them



@dataclass(frozen=True)
class Question:
    """One request: its path on the server, and the same question asked in-process."""

    kind: str  # one of KINDS
    path: str
    answer: Callable[[Any], Any]  # stores -> the JSON document (for the page: its first page's)


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _located(history: list[dict[str, Any]]) -> list[Located]:
    return [Located(f"generated action {n}", action_adapter.validate_python(a)) for n, a in enumerate(history, 1)]


def build_store(url: str, history: list[dict[str, Any]], run_size: int,
                progress: Callable[[str], None] = _say) -> dict[str, Any]:
    """Record `history` into the empty store at `url` in runs of `run_size` actions, then rebuild its read models
    once (in a subprocess, `regledger rebuild`); the counts and times."""
    located = _located(history)
    started = time.perf_counter()
    with open_stores(url, write=True) as stores:
        stores.ledger.on_recorded = None  # the read models are rebuilt once below: faster than after every run
        for start in range(0, len(located), run_size):
            recording.record(stores, located[start:start + run_size])
            progress(f"  recorded {min(start + run_size, len(located)):,} of {len(located):,} actions")
    recorded = time.perf_counter() - started
    progress(f"  recorded in {recorded:.0f}s")
    return {"record_seconds": round(recorded, 1), **rebuild(url, progress)}


def count_events(url: str) -> int:
    """The events stored (as the chain counts them)."""
    with open_stores(url, write=False) as stores:
        return stores.chain.count_events() if stores.chain is not None else 0


def recorded_moments(url: str) -> list[datetime]:
    """When each run recorded into the store at `url` (its read models' `runs`), in order."""
    with open_stores(url, write=False) as stores:
        if stores.views is None:
            return []
        return [undo_moment(row["recorded_at"]) for row in stores.views.rows("SELECT recorded_at FROM {runs} "
                                                                             "ORDER BY recorded_at")]


def questions(history: list[dict[str, Any]], count: int, seed: int,
              moments: Sequence[datetime] = ()) -> dict[str, list[Question]]:
    """`count` questions of each kind, drawn from the history: parties that are listed, days 2000-2024; for pages
    known at T, moments between the first and last of `moments` (the store's recordings; none: that kind is not
    asked); for sparse pages, days, P and T early in the history (see the module's docstring)."""
    rng = random.Random(seed)  # noqa: S311 - reproducible questions, not security
    parties = sorted({a["party"]["key"] for a in history if a["kind"] == "entity_listed"})
    span = (LAST - FIRST).days

    def day() -> date:
        return FIRST + timedelta(days=rng.randint(0, span))

    def party(key: str, on: date) -> Question:
        def answer(stores: Any) -> Any:
            selected = queries.as_of(stores, Query(as_of=on), Selection(party=key))
            return state_json(selected.answer, selected.list_key, selected.party, selected.matches)
        return Question("party", f"/api/v1/as-of/{on}?party={key}", answer)

    def page(on: date) -> Question:
        def answer(stores: Any) -> Any:
            selected = queries.as_of_page(stores, Query(as_of=on), EVERYTHING, 0, WebConfig.page_size)
            return state_json(selected.answer.state, selected.list_key, selected.party, selected.matches)
        return Question("page", f"/as-of/{on}", answer)

    def past_page(on: date, axes: dict[str, Any]) -> Question:
        def answer(stores: Any) -> Any:
            selected = queries.as_of_page(stores, Query(as_of=on, **axes), EVERYTHING, 0, WebConfig.page_size)
            return state_json(selected.answer.state, selected.list_key, selected.party, selected.matches)
        kind = "page_published" if "published_by" in axes else "page_known"
        shown = {k: v.isoformat().replace("+00:00", "Z") for k, v in axes.items()}
        return Question(kind, f"/as-of/{on}?" + "&".join(f"{k}={v}" for k, v in shown.items()), answer)

    def published(on: date) -> Question:
        return past_page(on, {"published_by": min(max(on + timedelta(days=rng.randint(-365, 365)), FIRST), LAST)})

    def known(on: date) -> Question:
        first, last = moments[0], moments[-1]
        return past_page(on, {"known_at": first + (last - first) * rng.random()})

    def sparse(turn: int) -> Question:
        if turn % 3 == 0 or (turn % 3 == 2 and not moments):
            question = page(EARLY[0] + timedelta(days=rng.randint(0, (EARLY[1] - EARLY[0]).days)))
        elif turn % 3 == 1:
            question = past_page(day(), {"published_by": EARLY[0] + timedelta(
                days=rng.randint(0, (EARLY[1] - EARLY[0]).days))})
        else:
            question = past_page(day(), {"known_at": rng.choice(moments[:max(1, len(moments) // 20)])})
        return Question("page_sparse", question.path, question.answer)

    def compare(end: date) -> Question:
        start = end - timedelta(days=365)

        def answer(stores: Any) -> Any:
            selected = queries.diff(stores, Window(start, end), Axes(), EVERYTHING)
            return diff_json(selected.answer, selected.list_key, selected.party, selected.matches)
        return Question("diff", f"/api/v1/diff/{start}/{end}", answer)

    def compared(end: date) -> Question:
        start = end - timedelta(days=365)

        def answer(stores: Any) -> Any:
            selected = queries.diff_page(stores, Window(start, end), Axes(), EVERYTHING, start=0,
                                         size=WebConfig.page_size)
            return diff_json(selected.answer.diff, selected.list_key, selected.party, selected.matches)
        return Question("diff_page", f"/diff/{start}/{end}", answer)

    return {"party": [party(rng.choice(parties), day()) for _ in range(count)],
            "page": [page(day()) for _ in range(count)],
            "diff": [compare(day()) for _ in range(count)],
            "diff_page": [compared(day()) for _ in range(count)],
            "page_published": [published(day()) for _ in range(count)],
            "page_known": [known(day()) for _ in range(count)] if moments else [],
            "page_sparse": [sparse(turn) for turn in range(count)]}


def percentiles(samples: Sequence[float]) -> dict[str, float]:
    """p50 and p99 (nearest rank) in ms, and the count."""
    ordered = sorted(samples)
    if not ordered:
        return {"count": 0}

    def rank(share: float) -> float:
        return ordered[min(len(ordered) - 1, max(0, math.ceil(share * len(ordered)) - 1))]
    return {"count": len(ordered), "p50_ms": round(rank(0.50) * 1000, 3), "p99_ms": round(rank(0.99) * 1000, 3),
            "max_ms": round(ordered[-1] * 1000, 3)}


def free_port() -> int:
    """A port of 127.0.0.1 that nothing listens on now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


@contextmanager
def serving(url: str, workers: int, log: Path, wait: float = 120.0, threads: int | None = None) -> Iterator[str]:
    """`regledger serve` on a free port of 127.0.0.1, answering (with `--threads` when given); its base URL.
    Stopped on exit."""
    port = free_port()
    command = [*regledger_command(), "serve", "--host", HOST, "--port", str(port), "--db", url]
    if workers > 1:
        command += ["--workers", str(workers)]
    if threads is not None:
        command += ["--threads", str(threads)]
    with log.open("wb") as output:
        server = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT)
    base = f"http://{HOST}:{port}"
    try:
        deadline = time.monotonic() + wait
        while True:
            if server.poll() is not None:
                raise RuntimeError(f"regledger serve exited with {server.returncode}: "
                                   f"{log.read_text(errors='replace')[-2000:]}")
            try:
                if httpx.get(f"{base}/api/v1/openapi.json", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"regledger serve did not answer on {base} within {wait:.0f}s")
            time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=20)


def load(base: str, paths: Sequence[str], clients: int, seconds: float, timeout: float = 60.0) -> dict[str, Any]:
    """Send `paths` from `clients` threads (each sends one untimed request first), within `seconds`; latencies."""
    lock, taken = threading.Lock(), iter(range(len(paths)))
    latencies: list[float] = []
    statuses: dict[str, int] = {}
    deadline = time.monotonic() + seconds

    def count(status: str) -> None:
        with lock:
            statuses[status] = statuses.get(status, 0) + 1

    def client() -> None:
        with httpx.Client(base_url=base, timeout=timeout) as http:
            with suppress(httpx.HTTPError):
                http.get(paths[0])  # a warm connection, and a warm worker
            while time.monotonic() < deadline:
                with lock:
                    index = next(taken, None)
                if index is None:
                    return
                started = time.perf_counter()
                try:
                    response = http.get(paths[index])
                except httpx.HTTPError as error:  # counted, never timed: a timeout is not a latency
                    count(type(error).__name__)
                    continue
                elapsed = time.perf_counter() - started
                count(str(response.status_code))
                with lock:
                    latencies.append(elapsed)

    started = time.perf_counter()
    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 120)
    wall = time.perf_counter() - started
    return {**percentiles(latencies), "statuses": dict(sorted(statuses.items())),
            "requests_per_second": round(len(latencies) / wall, 3) if wall else None}


def in_process(url: str, asked: Sequence[Question], seconds: float) -> dict[str, Any]:
    """The same questions answered one after another through the services on stores opened once."""
    latencies: list[float] = []
    deadline = time.monotonic() + seconds
    with open_stores(url, write=False) as stores:
        asked[0].answer(stores)  # warm, as the server's first request warms it
        for question in asked:
            if time.monotonic() > deadline:
                break
            started = time.perf_counter()
            json.dumps(question.answer(stores), ensure_ascii=False)
            latencies.append(time.perf_counter() - started)
    busy = sum(latencies)
    return {**percentiles(latencies), "answers_per_second": round(len(latencies) / busy, 2) if busy else None}


FOLD_NOTE = "comes from the reference fold"  # what an answer's notes say when the read models could not answer


def agreement(base: str, url: str, question: Question) -> dict[str, bool]:
    """Whether the server's JSON for `question` is the in-process JSON (the API's promise), and whether that answer
    came from the reference fold instead of the read models (stale models: figures not representative)."""
    with open_stores(url, write=False) as stores:
        expected = json.loads(json.dumps(question.answer(stores), ensure_ascii=False))
    got = httpx.get(base + question.path, timeout=300)
    return {"agree": got.status_code == 200 and got.json() == expected,
            "from_fold": any(FOLD_NOTE in str(note) for note in expected.get("notes", []))}


def run_load(url: str, history: list[dict[str, Any]], *, clients: int, requests: int, seconds: float, seed: int,
             workers: int, workdir: Path, timeout: float = 60.0, kinds: Sequence[str] | None = None,
             threads: int | None = None, progress: Callable[[str], None] = _say) -> dict[str, Any]:
    """Each kind's figures (of `kinds`; None: every kind) against the store at `url` (which holds `history`)."""
    drawn = questions(history, requests, seed, recorded_moments(url))
    asked = {kind: drawn[kind] for kind in KINDS if drawn[kind] and (not kinds or kind in kinds)}
    figures: dict[str, Any] = {}
    with serving(url, workers, workdir / "serve.log", threads=threads) as base:
        progress(f"  serving on {base}")
        for kind, kind_questions in asked.items():
            over_http = load(base, [q.path for q in kind_questions], clients, seconds, timeout)
            local = in_process(url, kind_questions, seconds)
            entry: dict[str, Any] = {"path_example": kind_questions[0].path, "http": over_http, "in_process": local}
            if kind in {"party", "diff"}:  # a page is HTML
                entry.update(agreement(base, url, kind_questions[0]))
            if "p50_ms" in over_http and "p50_ms" in local:
                entry["ratios"] = {"http_vs_in_process_p50": round(over_http["p50_ms"] / local["p50_ms"], 3),
                                   "http_vs_in_process_p99": round(over_http["p99_ms"] / local["p99_ms"], 3)}
                if over_http.get("requests_per_second") and local.get("answers_per_second"):
                    entry["ratios"]["http_vs_in_process_throughput"] = round(
                        over_http["requests_per_second"] / local["answers_per_second"], 3)
            if kind in TARGETS_MS:
                measure, limit = TARGETS_MS[kind]
                entry["target"] = {"figure": measure, "below_ms": limit,
                                   "met": bool(over_http.get(measure, float("inf")) < limit)}
            figures[kind] = entry
            progress(f"  {kind}: http p50/p99 {over_http.get('p50_ms')}/{over_http.get('p99_ms')} ms "
                     f"({over_http['count']} requests, {over_http['statuses']}), in-process "
                     f"{local.get('p50_ms')}/{local.get('p99_ms')} ms")
    return figures


def _num(value: float | None) -> str:
    """A figure for the table: whole numbers from 100 up, three significant digits below."""
    if value is None:
        return "–"
    return f"{value:,.0f}" if value >= 100 else f"{value:.3g}"


def _row(result: dict[str, Any]) -> str:
    cells = [result["store"], f"{result['actions']:,}", f"{result['events']:,}" if result.get("events") else "–",
             str(result["clients"]), str(result["workers"])]
    met = []
    for kind in KINDS:
        entry = result["figures"].get(kind, {})
        http, local = entry.get("http", {}), entry.get("in_process", {})
        ratios = entry.get("ratios", {})
        cells.append(f"{_num(http.get('p50_ms'))} / {_num(http.get('p99_ms'))}")
        cells.append(f"{_num(local.get('p50_ms'))} / {_num(local.get('p99_ms'))}")
        cells.append(f"{_num(ratios.get('http_vs_in_process_p50'))} / {_num(ratios.get('http_vs_in_process_p99'))}")
        cells.append(_num(ratios.get("http_vs_in_process_throughput")))
        if "target" in entry:
            met.append("met" if entry["target"]["met"] else "missed")
    return "| " + " | ".join([*cells, " / ".join(met) or "–"]) + " |"


def write_section(folder: Path) -> Path:
    """Replace the web section of `folder`/RESULTS.md (from WEB_HEADING to the end) with a table of every
    `web-*.json` in `folder`; its path."""
    results = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("web-*.json"))]
    results = [result for result in results if not result.get("kinds")]  # a partial run (--kinds) is not shown
    header = ["store", "actions", "events", "clients", "workers"]
    for kind in ("party as-of JSON", "as-of page, first page", "as-of page published by P, first page",
                 "as-of page known at T, first page", "as-of page where few rows hold the point, first page",
                 "diff one year JSON", "compare page one year, first page"):
        header += [f"{kind}: HTTP p50 / p99 ms", "in-process p50 / p99 ms", "HTTP ÷ in-process p50 / p99",
                   "HTTP ÷ in-process answers/s"]
    header.append("targets: party p99 < 50 ms / as-of pages (now, published by P, known at T, sparse) p99 < "
                  "300 ms / compare page p99 < 300 ms")
    section = [WEB_HEADING, "",
               "Written by `python -m benchmarks.web_load` (see `benchmarks/web_load.py`); each row is one "
               "`web-<store>-<actions>.json` beside this file. `regledger serve` on 127.0.0.1 under 8 concurrent "
               "clients; the in-process column answers the same questions through the services, one at a time, on "
               "stores opened once (for the pages: their first page, as JSON; the server sends HTML). "
               "With 8 clients on one worker, a request waits for those ahead of it: its latency is about 8 "
               "service times, so **HTTP ÷ in-process answers/s** (the server's throughput under load over the "
               "services' own rate, one at a time) is the ratio that shows the web layer's cost. "
               "Targets: party as-of p99 < 50 ms; first page of a paged view (the as-of page on each axis, the "
               "compare page) p99 < 300 ms.", "",
               "| " + " | ".join(header) + " |", "|" + "---|" * len(header), *(_row(r) for r in results), ""]
    target = folder / "RESULTS.md"
    existing = target.read_text(encoding="utf-8") if target.exists() else "# Benchmark results\n\n"
    kept = existing.split(WEB_HEADING, 1)[0].rstrip("\n") + "\n\n"
    target.write_text(kept + "\n".join(section), encoding="utf-8")
    return target


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    """The command line's options, checked."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.web_load", description=__doc__.splitlines()[0])
    parser.add_argument("--actions", type=int, default=100_000, help="history size in actions")
    parser.add_argument("--seed", type=int, default=7, help="the generator's seed (and the questions')")
    parser.add_argument("--store", choices=["sqlite", "postgres"], default="sqlite", help="the store to build")
    parser.add_argument("--db", help="reuse this store (holding the history of --actions and --seed) instead")
    parser.add_argument("--rebuild", action="store_true",
                        help="with --db: rebuild its read models first (after a change to the fold, they are stale "
                             "and every answer comes from the reference fold)")
    parser.add_argument("--keep", type=Path, help="build the SQLite store at this path and keep it (for --db)")
    parser.add_argument("--run-size", type=int, default=10_000, help="actions per record run when building")
    parser.add_argument("--clients", type=int, default=8, help="concurrent HTTP clients")
    parser.add_argument("--kinds", type=lambda text: text.split(","),
                        help=f"only these kinds, comma-separated ({', '.join(KINDS)}); the default: all. "
                             "A partial run writes its file beside the full run's (`…-<kinds>.json`), never over it")
    parser.add_argument("--requests", type=int, default=400, help="requests per kind (at most)")
    parser.add_argument("--seconds", type=float, default=120.0, help="time per kind (at most), each way")
    parser.add_argument("--workers", type=int, default=1, help="`regledger serve --workers`")
    parser.add_argument("--threads", type=int, help="`regledger serve --threads` (default: serve's own, 2)")
    parser.add_argument("--timeout", type=float, default=60.0,
                        help="seconds a client waits for one answer (a request that times out is counted, not timed)")
    parser.add_argument("--postgres", default=POSTGRES_URL, help="the PostgreSQL server (a schema per run)")
    parser.add_argument("--out", type=Path, default=RESULTS, help="where the JSON file and RESULTS.md go")
    arguments = parser.parse_args(argv)
    unknown = sorted(set(arguments.kinds or ()) - set(KINDS))
    if unknown:
        parser.error(f"--kinds: no kind {', '.join(unknown)} ({', '.join(KINDS)})")
    return arguments


def main(argv: list[str] | None = None) -> int:
    """Build or reuse the store, load the server, write the result file and the RESULTS.md section."""
    arguments = _arguments(argv)
    arguments.out.mkdir(parents=True, exist_ok=True)
    history = generate(arguments.actions, arguments.seed)
    _say(f"{len(history):,} actions generated (seed {arguments.seed})")
    with tempfile.TemporaryDirectory(prefix="regledger-web-") as scratch:
        workdir, built, store = Path(scratch), None, None
        if arguments.db:
            url, kind = arguments.db, "postgres" if arguments.db.startswith("postgresql:") else "sqlite"
            if arguments.rebuild:
                built = rebuild(url, _say)
        elif arguments.keep:
            url, kind = str(arguments.keep), "sqlite"
            built = build_store(url, history, arguments.run_size)
        else:
            store = fresh_store(arguments.store, f"web{arguments.actions}", workdir, arguments.postgres)
            url, kind = store.url, store.kind
            built = build_store(url, history, arguments.run_size)
        try:
            figures = run_load(url, history, clients=arguments.clients, requests=arguments.requests,
                               seconds=arguments.seconds, seed=arguments.seed, workers=arguments.workers,
                               workdir=workdir, timeout=arguments.timeout, kinds=arguments.kinds,
                               threads=arguments.threads)
            events = count_events(url)
        finally:
            if store is not None:
                store.drop()
    result = {"store": kind, "actions": len(history), "events": events, "seed": arguments.seed,
              "kinds": arguments.kinds, "clients": arguments.clients, "workers": arguments.workers,
              "threads": arguments.threads or WebConfig.threads,
              "requests_per_kind": arguments.requests,
              "seconds_per_kind": arguments.seconds, "timeout": arguments.timeout, "build": built, "figures": figures,
              "versions": versions([kind], arguments.postgres),
              "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    workers = f"-w{arguments.workers}" if arguments.workers > 1 else ""
    only = f"-{'-'.join(arguments.kinds)}" if arguments.kinds else ""
    target = arguments.out / f"web-{kind}-{len(history)}{workers}{only}.json"
    target.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    _say(f"wrote {target} and {write_section(arguments.out)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
