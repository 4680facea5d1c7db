"""A store's failure in one line: `store.opening.refusal` says the store is read-only when it refused a write for
want of rights (however deep in the chain of causes), and names the store otherwise."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from eventsourcing.persistence import OperationalError, PersistenceError

from regledger.adapters.store.opening import refusal
from regledger.adapters.store.settings import parse_store


def _readonly_error(tmp_path: Path) -> sqlite3.Error:
    """SQLite's own refusal to write a database opened read-only."""
    path = tmp_path / "ro.db"
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("CREATE TABLE t (x)")
    with closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as connection:
        try:
            connection.execute("INSERT INTO t VALUES (1)")
        except sqlite3.Error as error:
            return error
    pytest.fail("SQLite wrote a database opened read-only")


def _wrapped(error: Exception) -> PersistenceError:
    """`error` as the library raises it: its own error, raised from the driver's."""
    try:
        raise OperationalError(str(error)) from error
    except OperationalError as wrapped:
        return wrapped


def test_a_refused_write_says_the_store_is_read_only(tmp_path: Path) -> None:
    settings = parse_store(str(tmp_path / "ledger.db"))
    error = _readonly_error(tmp_path)

    for raised in (error, _wrapped(error)):
        assert str(refusal(settings, raised)) == (
            f"--db: {settings.display!r}: the store is read-only (attempt to write a readonly database): queries, "
            "log, the reports and verify read it; record, the imports, project and rebuild need a store they can "
            "write")


def test_any_other_failure_names_the_store_on_one_line(tmp_path: Path) -> None:
    settings = parse_store(str(tmp_path / "ledger.db"))
    error = _wrapped(sqlite3.OperationalError("database is locked\nsecond line"))

    assert str(refusal(settings, error)) == f"--db: cannot open the ledger at {settings.display}: database is locked"
    assert str(refusal(settings, error, opened=True)) == (f"--db: the ledger at {settings.display} failed: database "
                                                          "is locked")
