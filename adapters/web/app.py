"""The web application: `create_app(config)` builds the FastAPI application over the services — the pages
(`pages`), their JSON twins, the HTTP API (`api`), the write endpoints and the security layer (`security`,
`writes`) — with jinja2 templates from the package (`templates/web/`, autoescape on, strict undefined) and its own
static files at /static/ (nothing is fetched from elsewhere).

`app_from_environment()` builds it from the configuration `regledger serve` passes in environment variables: the
factory uvicorn imports in each of several worker processes.
"""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.metadata import version
from importlib.resources import files
from pathlib import Path
from typing import Final

import jinja2
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from regledger.adapters.render.reports.environment import DataEnvironment
from regledger.adapters.web import api, determine, pages, security, tools, writes
from regledger.adapters.web.config import WebConfig, from_environment
from regledger.adapters.web.errors import install_handlers
from regledger.adapters.web.filters import install_filters
from regledger.adapters.web.lanes import open_lanes
from regledger.adapters.wiring import open_stores

__all__ = ["app_from_environment", "create_app", "lifespan", "templates_folder"]


# A worker's cyclic garbage collector runs its youngest generation once per 20,000 new containers (CPython's default:
# 700), the next every 20 of those (10). At the default, the objects of the requests under way were caught alive by
# the young collections many times a request and moved to the oldest generation, and a full collection, which scans
# everything the worker keeps (the items it decoded: up to 32,768), came every second or two: under the load
# benchmark, after the whole one-year diffs, 35-57 full collections of 100-760 ms each per worker (12-14 s stalled),
# against 2 of 230-290 ms with these thresholds (whole diffs per second doubled; the compare page's p99 345 -> 278
# ms). Requests' objects still go when their last reference does; only cycles wait longer to be collected.
GC_THRESHOLDS: Final = (20_000, 20, 10)


def templates_folder() -> Path:
    """The package's templates (`regledger/templates`), holding `web/` and the reports' templates."""
    return Path(str(files("regledger.templates")))


def _templates() -> Jinja2Templates:
    """The pages' templates: autoescape on, undefined names an error; each loaded once (they ship in the package:
    nothing edits them under a running server, so no page asks the file system whether they changed)."""
    environment = DataEnvironment(
        loader=jinja2.FileSystemLoader(templates_folder()),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    install_filters(environment)
    return Jinja2Templates(env=environment)


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """While a server runs the application: the ledger's stores opened once, read-only, for every request to share
    (their connection pools are safe across threads; every answer still reads the store afresh), closed at the
    end. Without a server (a test client outside `with`), each request opens its own (`deps.stores`). The worker
    answers `config.threads` requests at once (`lanes.open_lanes`)."""
    config: WebConfig = app.state.config
    open_lanes(app, config.threads)
    with open_stores(config.db, write=False) as shared:
        app.state.shared_stores = shared
        try:
            yield
        finally:
            app.state.shared_stores = None


def create_app(config: WebConfig) -> FastAPI:
    """The application for `config`: read-only unless `config.write`."""
    app = FastAPI(
        title="regledger",
        version=version("regledger"),
        description="The rules as of any date, as published by any date, as known at any time: the command line's "
                    "answers in its JSON.",
        openapi_url="/api/v1/openapi.json",
        docs_url=None,  # FastAPI's interactive docs load scripts from a CDN: not served
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.config = config
    app.state.templates = _templates()
    security.install(app, config)
    app.include_router(writes.router)
    app.include_router(determine.router)  # before api: its GET /api/v1/reports/determination explains the POST
    app.include_router(api.router)
    app.include_router(pages.router)
    app.include_router(tools.router)
    app.mount("/static", StaticFiles(directory=templates_folder() / "web" / "static"), name="static")
    install_handlers(app)
    app.add_middleware(HeadAsGet)  # outermost: a HEAD request is answered as its GET, without the body
    return app


class HeadAsGet:
    """HEAD answered as GET with the body left out (RFC 9110 §9.3.2): FastAPI's routes answer only the methods
    they name, so without this a monitor's or a proxy's HEAD request would get 405."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on; a HEAD request as GET, its response's body dropped."""
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, headers_only)


def app_from_environment() -> FastAPI:
    """The application as `regledger serve` configured it (environment variables `REGLEDGER_SERVE_*`).

    What the worker holds once it is built (the modules, the application: some 300,000 objects) is moved out of the
    cyclic garbage collector's reach (`gc.freeze`): none of it becomes garbage, and a full collection scanned it all
    while every request of the worker waited (60-170 ms, measured under load, the longest waits of a party as-of
    request). The collector's young generations then run less often (`GC_THRESHOLDS`)."""
    app = create_app(from_environment())
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
    return app
