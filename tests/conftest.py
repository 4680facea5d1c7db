"""Shared fixtures: stores on SQLite and PostgreSQL, and a helper to write timeline files.

PostgreSQL tests use `REGLEDGER_TEST_POSTGRES` (default postgresql://postgres@127.0.0.1:5432/test), each in a
schema of its own that is dropped afterwards. Where no server answers they are skipped, saying why; with CI=true
they fail instead, so CI can never pass without them.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

POSTGRES_URL = os.environ.get("REGLEDGER_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")
ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "huawei-2019-2020.yaml"


def _postgres_problem() -> str | None:
    try:
        import psycopg  # noqa: PLC0415

        with psycopg.connect(POSTGRES_URL, connect_timeout=3) as connection:
            connection.execute("SELECT 1")
    except Exception as error:
        return f"PostgreSQL at {POSTGRES_URL} is not reachable: {str(error).strip().splitlines()[0]}"
    return None


_PROBLEM: list[str | None] = []


def require_postgres() -> None:
    """Skip (or, under CI=true, fail) when PostgreSQL cannot be used."""
    if not _PROBLEM:
        _PROBLEM.append(_postgres_problem())
    problem = _PROBLEM[0]
    if problem is None:
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{problem} (CI=true: PostgreSQL tests must run)")
    pytest.skip(problem)


def drop_schema(schema: str) -> None:
    """Remove a test schema and everything in it."""
    import psycopg  # noqa: PLC0415

    with psycopg.connect(POSTGRES_URL, autocommit=True) as connection:
        connection.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.fixture
def postgres_db() -> Iterator[str]:
    """A PostgreSQL store URL in a fresh schema."""
    require_postgres()
    schema = f"t_{uuid.uuid4().hex[:12]}"
    yield f"{POSTGRES_URL}?schema={schema}"
    drop_schema(schema)


@pytest.fixture
def sqlite_db(tmp_path: Path) -> str:
    """A SQLite store in a fresh file."""
    return str(tmp_path / "ledger.db")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The same test on each store: a SQLite file, then a PostgreSQL schema."""
    if request.param == "sqlite":
        yield str(tmp_path / "ledger.db")
        return
    require_postgres()
    schema = f"t_{uuid.uuid4().hex[:12]}"
    yield f"{POSTGRES_URL}?schema={schema}"
    drop_schema(schema)


def source(citation: str = "84 FR 22961", reliability: str = "official", **extra: Any) -> dict[str, Any]:
    """A source mapping for test actions."""
    return {"citation": citation, "reliability": reliability, **extra}


def listed(
    party: str = "huawei", *, list_key: str = "us-bis-entity-list", effective: str = "2019-05-16",
    published: str = "2019-05-21", name: str | None = "Huawei Technologies Co., Ltd.", **extra: Any,
) -> dict[str, Any]:
    """An entity_listed action mapping."""
    ref: dict[str, Any] = {"key": party}
    if name:
        ref["name"] = name
    return {"kind": "entity_listed", "list": list_key, "party": ref, "effective_on": effective,
            "published_on": published, "sources": [source()], **extra}


@pytest.fixture
def write_timeline(tmp_path: Path):
    """Write actions to a YAML (or, with suffix='.json', JSON) file and return its path."""
    counter = iter(range(1_000_000))

    def write(actions: Any, suffix: str = ".yaml", text: str | None = None) -> Path:
        path = tmp_path / f"timeline-{next(counter)}{suffix}"
        if text is not None:
            path.write_text(text, encoding="utf-8")
        elif suffix == ".json":
            import json  # noqa: PLC0415

            path.write_text(json.dumps(actions, ensure_ascii=False), encoding="utf-8")
        else:
            path.write_text(yaml.safe_dump(actions, allow_unicode=True, sort_keys=False), encoding="utf-8")
        return path

    return write


class CliResult:
    """What one in-process run of the command line printed, and its exit status."""

    def __init__(self, code: int, out: str, err: str) -> None:
        self.code, self.out, self.err = code, out, err

    def __repr__(self) -> str:
        return f"CliResult(code={self.code}, out={self.out!r}, err={self.err!r})"


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):
    """Run `regledger ARGS…` in this process through its real entry point (error handling included)."""
    from regledger.adapters.cli.main import main  # noqa: PLC0415

    def run(*args: str) -> CliResult:
        capsys.readouterr()
        monkeypatch.setattr("sys.argv", ["regledger", *args])
        code = 0
        try:
            main()
        except SystemExit as done:
            code = done.code if isinstance(done.code, int) else 1
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run
