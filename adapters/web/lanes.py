"""How many requests a worker answers at once, and where work that waits goes instead.

A worker answers a request's blocking part (its queries and rendering: every page and API answer) in a thread of
its own. Python runs one thread of a process at a time, so a worker that answers many requests at once answers
each of them more slowly: under load, every request in it waited on the others and on the interpreter's switching
(measured with 8 clients on one worker: p99 257 ms with 40 threads, 124-140 with 1 or 2, at the same throughput).
`open_lanes` therefore sets the threads a worker gives requests (`regledger serve --threads`, default 2); a request
beyond them waits its turn in the event loop, first come, first served. Two, not one: a long answer (a whole diff of
years, a document) then leaves the other lane to the requests behind it.

Work that waits rather than computes (the verify page, which waits on its pass's progress) would hold a lane while
it waits: it runs `aside`, on threads of its own (`ASIDE` at once per worker).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from typing import Final, TypeVar, cast

import anyio
import anyio.to_thread
from fastapi import FastAPI, Request

__all__ = ["ASIDE", "aside", "aside_iterate", "open_lanes"]

T = TypeVar("T")
ASIDE: Final = 8  # waiting work (verify pages) a worker runs at once, beside its request lanes
_DONE: Final = object()


def open_lanes(app: FastAPI, threads: int) -> None:
    """Give requests `threads` threads in this worker (its event loop's default thread limiter), and make the
    limiter for work that waits. Called once the worker's event loop runs (the application's lifespan)."""
    anyio.to_thread.current_default_thread_limiter().total_tokens = threads
    app.state.aside = anyio.CapacityLimiter(ASIDE)


def _limiter(request: Request) -> anyio.CapacityLimiter:
    found: anyio.CapacityLimiter | None = getattr(request.app.state, "aside", None)
    if found is None:  # no lifespan ran (a test client outside `with`): made on first use
        found = request.app.state.aside = anyio.CapacityLimiter(ASIDE)
    return found


async def aside(request: Request, function: Callable[[], T]) -> T:
    """`function()` run in a thread outside the request lanes."""
    return await anyio.to_thread.run_sync(function, limiter=_limiter(request))


async def aside_iterate(request: Request, iterator: Iterator[T]) -> AsyncIterator[T]:
    """The items of a blocking `iterator` (a streamed page that waits between its parts), each drawn in a thread
    outside the request lanes."""
    limiter = _limiter(request)
    while True:
        item: object = await anyio.to_thread.run_sync(next, iterator, _DONE, limiter=limiter)
        if item is _DONE:
            return
        yield cast(T, item)
