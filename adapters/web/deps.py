"""What every request shares: the stores it reads (`stores`, a FastAPI dependency, read-only), the configuration,
the templates, and whether it asked for JSON (`wants_json`)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import cast

from fastapi import Request
from fastapi.concurrency import contextmanager_in_threadpool
from fastapi.templating import Jinja2Templates

from regledger.adapters.web.config import WebConfig
from regledger.adapters.wiring import Stores, open_stores

__all__ = ["config_of", "stores", "templates_of", "wants_json"]


def config_of(request: Request) -> WebConfig:
    """The application's configuration (`app.state.config`)."""
    return cast(WebConfig, request.app.state.config)


def templates_of(request: Request) -> Jinja2Templates:
    """The application's templates (`app.state.templates`)."""
    return cast(Jinja2Templates, request.app.state.templates)


async def stores(request: Request) -> AsyncIterator[Stores]:
    """The stores of the configured ledger, read-only: the ones the application opened for its lifetime when it
    was started by a server (`app.lifespan`: every request shares their connection pools), else opened for this
    request and closed after it.

    Asynchronous so that handing over the shared stores costs no trip to the threadpool: FastAPI runs a plain
    generator's start and its end each in a worker thread, two of the four thread hops a party as-of request made
    (the hops, not the query, were most of its time under load). Opening and closing a request's own stores do
    block, and still run in the threadpool, as they did."""
    shared = getattr(request.app.state, "shared_stores", None)
    if shared is not None:
        yield cast(Stores, shared)
        return
    async with contextmanager_in_threadpool(open_stores(config_of(request).db, write=False)) as opened:
        yield opened


def wants_json(request: Request) -> bool:
    """Whether the request asked for JSON: an API path, `?format=json`, or an Accept header that prefers
    application/json to HTML."""
    if request.url.path.startswith("/api/"):
        return True
    asked = request.query_params.get("format")
    if asked is not None:
        return asked == "json"
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept
