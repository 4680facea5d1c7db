"""How many requests a worker answers at once (`serve --threads`, `lanes.open_lanes`): the application started by a
server gives requests that many threads, the others wait their turn; a verify page waits on its pass outside
them, so that it never holds up the pages behind it."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from regledger.adapters.cli import cli
from regledger.adapters.errors import InputError
from regledger.adapters.web.app import create_app
from regledger.adapters.web.config import WebConfig
from regledger.adapters.web.verifying import VerifyRun
from tests.web.web_kit import bundled

__all__ = ["bundled"]  # the fixture, imported for pytest to find


def _most_at_once(threads: int, db: str, requests: int = 6) -> int:
    """The most requests of a blocking route answered at once by the application with `threads` lanes."""
    app = create_app(WebConfig(db=db, threads=threads))
    lock, running, most = threading.Lock(), [0], [0]

    def probe() -> dict[str, int]:
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        time.sleep(0.15)
        with lock:
            running[0] -= 1
        return {}

    app.add_api_route("/probe", probe)
    with TestClient(app) as web, ThreadPoolExecutor(requests) as pool:
        statuses = list(pool.map(lambda _: web.get("/probe").status_code, range(requests)))
    assert statuses == [200] * requests
    return most[0]


@pytest.mark.parametrize("threads", [1, 2, 3])
def test_a_worker_answers_as_many_requests_at_once_as_it_has_threads(threads: int, tmp_path: Path) -> None:
    assert _most_at_once(threads, str(tmp_path / "unused.db")) == threads


def test_a_verify_page_waits_on_its_pass_outside_the_request_lanes(bundled: str,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    started, release = threading.Event(), threading.Event()
    progress = VerifyRun.progress

    def held(run: VerifyRun):  # type: ignore[no-untyped-def]
        started.set()
        release.wait(10)  # the pass is "running" until the page below has been answered
        yield from progress(run)

    monkeypatch.setattr(VerifyRun, "progress", held)
    with TestClient(create_app(WebConfig(db=bundled, threads=1))) as web, ThreadPoolExecutor(2) as pool:
        verifying = pool.submit(web.post, "/log/verify", headers={"accept": "application/json"})
        assert started.wait(30)
        page = web.get("/as-of/2019-05-17?party=huawei&format=json")  # the one lane is free
        answered_while_verifying = not verifying.done()
        release.set()
        verified = verifying.result(timeout=60)

    assert page.status_code == 200
    assert answered_while_verifying
    assert verified.status_code == 200
    assert verified.json()["holds"] is True


def test_threads_must_be_a_positive_number() -> None:
    with pytest.raises(InputError, match="--threads: 0 is not a positive number of threads"):
        WebConfig(threads=0)
    refused = CliRunner().invoke(cli, ["serve", "--threads", "0"])
    assert refused.exit_code == 2
    assert "--threads" in refused.output
