"""`regledger serve`: the application under uvicorn, on the port asked, with one worker or several (each builds the
application from the configuration `serve` passes in environment variables), answering what the command line
answers; and the configuration's round trip through those variables."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner

from regledger.adapters.cli import cli
from regledger.adapters.web.config import WebConfig, from_environment, to_environment
from tests.web.web_kit import cli_json, cli_text


def _regledger() -> list[str]:
    beside = Path(sys.executable).with_name("regledger")
    return [str(beside)] if beside.exists() else [sys.executable, "-c",
                                                  "from regledger.adapters.cli import main; main()"]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - http://127.0.0.1 only
            return int(response.status), response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@contextmanager
def _serving(db: str, log: Path, *options: str) -> Iterator[str]:
    """`regledger serve --db DB OPTIONS…` on a free port, its output in `log`; its base URL once it answers."""
    port = _free_port()
    environment = {k: v for k, v in os.environ.items() if not k.startswith("REGLEDGER_SERVE_")}
    with log.open("wb") as output:
        server = subprocess.Popen([*_regledger(), "serve", "--port", str(port), "--db", db, *options],
                                  stdout=output, stderr=subprocess.STDOUT, env=environment)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if _get(f"{base}/api/v1/openapi.json")[0] == 200:
                    break
            except OSError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"regledger serve did not answer: {log.read_text(errors='replace')[-2000:]}")
            time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.fixture(scope="module")
def small_ledger(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A SQLite ledger of one listing."""
    folder = tmp_path_factory.mktemp("web-serve")
    timeline = folder / "one.json"
    timeline.write_text(json.dumps([{
        "kind": "entity_listed", "id": "a-1", "list": "us-bis-entity-list",
        "party": {"key": "acme", "name": "Acme Ltd", "aliases": ["愛克米"]}, "effective_on": "2020-01-10",
        "published_on": "2020-01-08", "sources": [{"citation": "85 FR 1", "reliability": "official"}]}]),
        encoding="utf-8")
    db = str(folder / "one.db")
    cli_text(db, "record", str(timeline))
    return db


@pytest.mark.parametrize("workers", ["1", "2"])
def test_serve_answers_as_the_command_line_with_one_worker_or_several(small_ledger: str, workers: str,
                                                                     tmp_path: Path) -> None:
    with _serving(small_ledger, tmp_path / "serve.log", "--workers", workers) as base:
        status, body = _get(f"{base}/api/v1/as-of/2020-02-01?party=Acme")
        page_status, page = _get(f"{base}/as-of/2020-02-01")

    assert status == 200
    assert json.loads(body) == cli_json(small_ledger, "as-of", "2020-02-01", "--party", "Acme", "--format", "json")
    assert page_status == 200
    assert "Acme Ltd" in page.decode()


def test_concurrent_requests_share_the_servers_stores_and_each_gets_its_own_answer(small_ledger: str,
                                                                                    tmp_path: Path) -> None:
    asks = {f"/api/v1/as-of/2020-0{month}-01?party=Acme": cli_json(
        small_ledger, "as-of", f"2020-0{month}-01", "--party", "Acme", "--format", "json") for month in (1, 2)}
    asks["/api/v1/log"] = cli_json(small_ledger, "log", "--format", "json")

    with _serving(small_ledger, tmp_path / "serve.log") as base, ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda path: (path, _get(base + path)), list(asks) * 8))

    assert len(answers) == 24
    for path, (status, body) in answers:
        assert status == 200
        assert json.loads(body) == asks[path]


def test_serve_refuses_an_empty_store_setting() -> None:
    result = CliRunner().invoke(cli, ["serve", "--db", " "])

    assert result.exit_code == 1
    assert str(result.exception) == "--db: the store setting is empty"


def test_the_configuration_goes_to_the_workers_through_the_environment() -> None:
    config = WebConfig(db="postgresql://u@h/db?schema=s", write=True, upload_limit=1234, page_size=7,
                       session_secret=b"\x01\x02secret", threads=3)

    assert from_environment(to_environment(config)) == config
    assert from_environment({}) == WebConfig()
