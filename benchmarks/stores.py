"""Fresh stores for a benchmark, raw connections to them for the hand-written baselines, and the versions measured.

A SQLite store is a file in the run's working folder; a PostgreSQL store is a schema of its own (dropped at the
end), so that a benchmark never touches another ledger and several can run side by side.
"""

from __future__ import annotations

import os
import platform
import shutil
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

__all__ = ["POSTGRES_URL", "BenchStore", "fresh_store", "rebuild", "regledger_command", "versions"]

POSTGRES_URL = os.environ.get("REGLEDGER_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")


@dataclass(frozen=True)
class BenchStore:
    """One store: how regledger opens it (`url`) and how the baselines reach it (`connect`, `table`)."""

    kind: str  # sqlite | postgres
    url: str
    path: Path | None = None
    schema: str | None = None
    server: str = POSTGRES_URL

    @property
    def events_table(self) -> str:
        """The ledger's events table, qualified."""
        return "stored_events" if self.kind == "sqlite" else f'"{self.schema}".regledger_events'

    @property
    def nid(self) -> str:
        """The events table's notification id column."""
        return "rowid" if self.kind == "sqlite" else "notification_id"

    @property
    def mark(self) -> str:
        """The parameter mark of this store's driver."""
        return "?" if self.kind == "sqlite" else "%s"

    def table(self, name: str) -> str:
        """A benchmark table's qualified name."""
        return name if self.kind == "sqlite" else f'"{self.schema}".{name}'

    def connect(self) -> Any:
        """A raw DB-API connection in autocommit mode (transactions are begun explicitly)."""
        if self.kind == "sqlite":
            return sqlite3.connect(str(self.path), isolation_level=None, timeout=30)
        import psycopg  # noqa: PLC0415 - only PostgreSQL runs need the driver

        return psycopg.connect(self.server, autocommit=True)

    def drop(self) -> None:
        """Remove the store."""
        if self.kind == "sqlite" and self.path is not None:
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
        elif self.kind == "postgres":
            with self.connect() as connection:
                connection.execute(f'DROP SCHEMA IF EXISTS "{self.schema}" CASCADE')


def fresh_store(kind: str, tag: str, workdir: Path, server: str = POSTGRES_URL) -> BenchStore:
    """An empty store named after `tag`."""
    name = f"bench_{tag}_{uuid.uuid4().hex[:6]}"
    if kind == "sqlite":
        path = workdir / f"{name}.db"
        store = BenchStore("sqlite", str(path), path=path)
    elif kind == "postgres":
        store = BenchStore("postgres", f"{server}?schema={name}", schema=name, server=server)
    else:
        raise ValueError(f"unknown store {kind!r}: sqlite or postgres")
    store.drop()
    return store


def _version(package: str) -> str | None:
    try:
        return version(package)
    except PackageNotFoundError:
        return None


def _commit() -> str | None:
    """The code's git commit, `+changes` when the working tree differs from it (None outside a checkout)."""
    root, git = Path(__file__).resolve().parent.parent, shutil.which("git")
    if git is None:
        return None
    try:
        head = subprocess.run([git, "rev-parse", "--short=12", "HEAD"], cwd=root, capture_output=True, text=True,
                              check=True).stdout.strip()
        dirty = subprocess.run([git, "status", "--porcelain", "--untracked-files=no"], cwd=root,
                               capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    return f"{head}+changes" if dirty else head


def versions(kinds: list[str], server: str = POSTGRES_URL) -> dict[str, Any]:
    """The machine and the versions of everything a figure depends on."""
    found: dict[str, Any] = {
        "python": sys.version.split()[0], "implementation": platform.python_implementation(),
        "platform": platform.platform(), "cpu_count": os.cpu_count(),
        "regledger": _version("regledger"), "eventsourcing": _version("eventsourcing"),
        "pydantic": _version("pydantic"), "sqlite": sqlite3.sqlite_version,
        "psycopg": _version("psycopg"), "commit": _commit(),
    }
    if "postgres" in kinds:
        import psycopg  # noqa: PLC0415

        found["psycopg_impl"] = psycopg.pq.__impl__
        with psycopg.connect(server) as connection:
            found["postgresql"] = connection.execute("SHOW server_version").fetchone()[0]  # type: ignore[index]
    return found


def regledger_command() -> list[str]:
    """The command that runs this installation's CLI."""
    beside = Path(sys.executable).with_name("regledger")
    found = str(beside) if beside.exists() else shutil.which("regledger")
    return [found] if found else [sys.executable, "-c", "from regledger.adapters.cli import main; main()"]


def rebuild(url: str, progress: Callable[[str], None]) -> dict[str, Any]:
    """`regledger rebuild` on the store at `url`, in a subprocess; its time."""
    started = time.perf_counter()
    subprocess.run([*regledger_command(), "rebuild", "--db", url], check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, timeout=4 * 3600)
    rebuilt = time.perf_counter() - started
    progress(f"  read models rebuilt in {rebuilt:.0f}s")
    return {"rebuild_seconds": round(rebuilt, 1)}
