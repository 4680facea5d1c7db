"""What the bad-input tests share: the one-line refusal they expect, and how many events a store holds (read with
plain SQL, so that counting never creates or changes a ledger)."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from tests.conftest import POSTGRES_URL, CliResult

__all__ = ["event_count", "refused"]


def refused(result: CliResult, *, status: int = 1) -> str:
    """The one line a refused command wrote on standard error (`regledger: error: …`), after checking that it
    exited with `status`, printed no traceback and nothing else on standard error."""
    assert result.code == status, result
    assert "Traceback" not in result.err + result.out, result
    lines = result.err.splitlines()
    assert len(lines) == 1, result
    assert lines[0].startswith("regledger: error: "), result
    return lines[0].removeprefix("regledger: error: ")


def event_count(db: str) -> int:
    """The rows of the events table of the store `db` (0 when there is no ledger there yet)."""
    if not db.startswith("postgresql://"):
        path = Path(db.removeprefix("sqlite:///"))
        if not path.is_file():
            return 0
        with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as connection:
            table = connection.execute("SELECT count(*) FROM sqlite_master WHERE name = 'stored_events'").fetchone()
            return int(connection.execute("SELECT count(*) FROM stored_events").fetchone()[0]) if table[0] else 0
    import psycopg  # noqa: PLC0415

    schema = parse_qs(urlsplit(db).query).get("schema", ["public"])[0]
    with psycopg.connect(POSTGRES_URL) as connection:
        table = connection.execute("SELECT to_regclass(%s)", (f'"{schema}".regledger_events',)).fetchone()
        if table is None or table[0] is None:
            return 0
        return int(connection.execute(f'SELECT count(*) FROM "{schema}".regledger_events').fetchone()[0])
