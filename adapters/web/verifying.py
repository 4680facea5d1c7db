"""`verify` from the browser, with progress and without any script: the page is streamed — its head first, then a
line every half second saying how many events of how many are verified, then the result — so the browser shows
the pass as it runs (`VerifyRun`). The pass runs in a thread of its own on stores it opens itself (read-only), so
that streaming never outlives them; any worker process can serve it, since nothing is kept between requests."""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Final

from regledger.adapters.errors import RegledgerError, one_line
from regledger.adapters.integrity.verify import Verification
from regledger.adapters.services import checks
from regledger.adapters.wiring import open_stores

__all__ = ["EVERY", "VerifyRun", "verified_json"]

EVERY: Final = 0.5  # seconds between two progress lines


def verified_json(verification: Verification) -> dict[str, Any]:
    """What `verify` found, as data: events verified, the head digest, whether all holds, the divergence's lines."""
    divergence = verification.divergence
    return {"verified": verification.verified, "head": verification.head.hex(), "holds": divergence is None,
            "divergence": [one_line(line) for line in divergence.lines] if divergence else None}


@dataclass
class VerifyRun:
    """One pass of `verify` over the ledger at `db`: `progress()` yields the progress lines while it runs; then
    `result` holds what it found, or `error` the one-line message of what stopped it."""

    db: str | None
    result: dict[str, Any] | None = None
    error: str | None = None
    _said: queue.Queue[tuple[str, Any]] = field(default_factory=queue.Queue)

    def _work(self) -> None:
        last = [time.monotonic()]

        def heard(step: str, done: int, total: int | None = None) -> None:
            now = time.monotonic()
            if now - last[0] >= EVERY:
                last[0] = now
                self._said.put(("progress", (done, total)))

        try:
            with open_stores(self.db, write=False) as stores:
                self._said.put(("done", verified_json(checks.verify(stores, progress=heard).verification)))
        except RegledgerError as error:
            self._said.put(("error", one_line(str(error))))
        except Exception as error:  # the page says what stopped the pass instead of waiting for ever
            self._said.put(("error", one_line(f"verify stopped: {error}")))

    def progress(self) -> Iterator[str]:
        """The progress lines (`N of M events verified (P%)`) until the pass ends."""
        threading.Thread(target=self._work, name="regledger-verify", daemon=True).start()
        while True:
            kind, value = self._said.get()
            if kind == "progress":
                done, total = value
                yield f"{done:,} of {total:,} events verified ({100 * done // max(total, 1)}%)" if total else (
                    f"{done:,} events verified")
                continue
            if kind == "done":
                self.result = value
            else:
                self.error = value
            return
