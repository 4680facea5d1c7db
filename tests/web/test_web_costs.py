"""What a request costs the server beyond its answer: a query of the API reaches its handler without a trip to the
threadpool for its dependencies (one trip, for the handler, which reads the store), and a worker's application is
built with what it holds frozen out of the cyclic garbage collector, which then runs its young generations less
often (see `app_from_environment`)."""

from __future__ import annotations

import gc
import inspect
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.routing import APIRoute

from regledger.adapters.web import api, pages
from regledger.adapters.web.app import GC_THRESHOLDS, app_from_environment
from regledger.adapters.web.config import WebConfig, to_environment


def _dependencies(route: APIRoute) -> Iterator[object]:
    pending = list(route.dependant.dependencies)
    while pending:
        dependant = pending.pop()
        pending.extend(dependant.dependencies)
        if dependant.call is not None:
            yield dependant.call


@pytest.mark.parametrize("path", ["/api/v1/as-of/{day}", "/api/v1/diff/{start}/{end}", "/api/v1/history",
                                  "/as-of/{day}", "/parties/{key}"])
def test_a_querys_dependencies_run_in_the_event_loop(path: str) -> None:
    routes = [*api.router.routes, *pages.router.routes]
    route = next(r for r in routes if isinstance(r, APIRoute) and r.path == path and "GET" in r.methods)
    blocking = [call for call in _dependencies(route)
                if not (inspect.iscoroutinefunction(call) or inspect.isasyncgenfunction(call))]

    assert list(_dependencies(route))
    assert blocking == []  # FastAPI sends a plain function to the threadpool, a plain generator there twice


def test_a_workers_application_is_built_frozen_out_of_the_collector(monkeypatch: pytest.MonkeyPatch,
                                                                    tmp_path: Path) -> None:
    for name, value in to_environment(WebConfig(db=str(tmp_path / "unused.db"))).items():
        monkeypatch.setenv(name, value)
    thresholds = gc.get_threshold()
    gc.unfreeze()
    try:
        app_from_environment()
        frozen, worker = gc.get_freeze_count(), gc.get_threshold()
    finally:
        gc.unfreeze()  # this test process is no server: give the collector back what it froze, at its pace
        gc.set_threshold(*thresholds)

    assert frozen > 10_000
    assert worker == GC_THRESHOLDS
    assert worker[0] > 10 * thresholds[0]  # its young collections far rarer than CPython's
