"""What the tests of the web application's reads share: the bundled case recorded once per session on SQLite and
on PostgreSQL (`bundled`), a client of the application over it, and the command line run in process
(`cli_json`, `cli_error`), whose answers the API's must equal."""

from __future__ import annotations

import json
import uuid
import warnings
from collections.abc import Iterator
from typing import Any

import pytest
from click.testing import CliRunner

from regledger.adapters.cli import cli
from regledger.adapters.web.app import create_app
from regledger.adapters.web.config import WebConfig
from tests.conftest import EXAMPLE, POSTGRES_URL, drop_schema, require_postgres

with warnings.catch_warnings():  # starlette warns when TestClient finds httpx rather than httpx2
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

__all__ = ["TestClient", "bundled", "cli_error", "cli_json", "cli_text", "client_of", "web"]


def cli_text(db: str, *args: str) -> str:
    """What `regledger ARGS… --db DB` prints on standard output (it must succeed)."""
    result = CliRunner().invoke(cli, [*args, "--db", db], catch_exceptions=True)
    assert result.exit_code == 0, (args, result.output, result.exception)
    return result.stdout


def cli_json(db: str, *args: str) -> Any:
    """The JSON `regledger ARGS… --db DB` prints."""
    return json.loads(cli_text(db, *args))


def cli_error(db: str, *args: str) -> str:
    """The one-line message of the error `regledger ARGS… --db DB` fails with."""
    result = CliRunner().invoke(cli, [*args, "--db", db], catch_exceptions=True)
    assert result.exit_code != 0, (args, result.output)
    assert result.exception is not None, (args, result.output)
    return str(result.exception)


def client_of(db: str, **config: Any) -> TestClient:
    """A client of the application over `db` (`regledger serve --db DB`), read-only."""
    return TestClient(create_app(WebConfig(db=db, **config)))


@pytest.fixture(scope="session", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def bundled(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The bundled Huawei case recorded once per session, on a SQLite file, then in a PostgreSQL schema; its store."""
    if request.param == "sqlite":
        db = str(tmp_path_factory.mktemp("web-bundled") / "huawei.db")
        cli_text(db, "record", str(EXAMPLE))
        yield db
        return
    require_postgres()
    schema = f"t_{uuid.uuid4().hex[:12]}"
    db = f"{POSTGRES_URL}?schema={schema}"
    try:
        cli_text(db, "record", str(EXAMPLE))
        yield db
    finally:
        drop_schema(schema)


@pytest.fixture
def web(bundled: str) -> TestClient:
    """A client of the application over the bundled case."""
    return client_of(bundled)
