"""Helpers for the integrity tests: an attacker with raw database access, copies and clones of a ledger.

`Attacker(db)` works on a SQLite file or on the PostgreSQL schema of the test's own store: `change`, `delete`,
`insert_before` and `swap` first remove the guards, as someone with that access would (opening the ledger installs
them again), then edit the stored events directly, bypassing regledger.
"""

from __future__ import annotations

import sqlite3
import uuid
from contextlib import closing
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from eventsourcing.persistence import StoredEvent

from regledger.adapters.integrity.chain import StoredRow
from regledger.adapters.integrity.guards import sqlite_trigger_names
from regledger.adapters.integrity.verify import chain_store
from regledger.adapters.wiring import open_ledger
from tests.conftest import POSTGRES_URL

__all__ = ["Attacker", "clone", "copy_sqlite", "events", "find_event", "schema_of"]


def schema_of(db: str) -> str | None:
    """The PostgreSQL schema of a store URL, None for a SQLite path."""
    if not db.startswith("postgresql://"):
        return None
    return parse_qs(urlsplit(db).query)["schema"][0]


def copy_sqlite(db: str, target: Path) -> str:
    """A consistent copy of the SQLite ledger `db` (write-ahead log included)."""
    with closing(sqlite3.connect(db)) as source, closing(sqlite3.connect(target)) as copy:
        source.backup(copy)
    return str(target)


def events(db: str) -> list[StoredRow]:
    """Every stored event of the ledger at `db`, in recording order."""
    with open_ledger(db) as ledger:
        return list(chain_store(ledger).all_events())


def find_event(db: str, text: str) -> tuple[int, StoredRow]:
    """The position (1-based) and the event of the first stored event whose label contains `text`."""
    for position, event in enumerate(events(db), start=1):
        if text in event.label():
            return position, event
    raise AssertionError(f"no event mentions {text!r}")


def clone(source: str, target: str, size: int) -> None:
    """Store the first `size` events of `source` in the empty ledger `target`, byte for byte, and chain them."""
    with open_ledger(target) as ledger:
        ledger.recorder.insert_events([
            StoredEvent(originator_id=e.originator_id, originator_version=e.version, topic=e.topic, state=e.state)
            for e in events(source)[:size]
        ])
        assert ledger.on_recorded is not None
        ledger.on_recorded()


class Attacker:
    """Raw access to the events table of a ledger, as someone holding the database's credentials has."""

    def __init__(self, db: str) -> None:
        self.schema = schema_of(db)
        if self.schema is None:
            self.connection: Any = sqlite3.connect(db, isolation_level=None)
            self.table, self.nid, self.mark = "stored_events", "rowid", "?"
        else:
            import psycopg  # noqa: PLC0415

            self.connection = psycopg.connect(POSTGRES_URL, autocommit=True)
            self.table, self.nid, self.mark = f'"{self.schema}".regledger_events', "notification_id", "%s"

    def close(self) -> None:
        self.connection.close()

    def execute(self, statement: str, params: tuple[Any, ...] = ()) -> list[Any]:
        sql = statement.format(t=self.table, nid=self.nid).replace("?", self.mark)
        cursor = self.connection.execute(sql, params)
        return list(cursor.fetchall()) if cursor.description else []

    def disarm(self) -> None:
        """Remove the guards of the events table."""
        if self.schema is None:
            for name in sqlite_trigger_names("stored_events"):
                self.execute(f"DROP TRIGGER IF EXISTS {name}")
        else:
            self.execute("ALTER TABLE {t} DISABLE TRIGGER USER")

    def change(self, nid: int, old: bytes, new: bytes) -> None:
        """Replace `old` by `new` in the content of event `nid`."""
        self.disarm()
        state = bytes(self.execute("SELECT state FROM {t} WHERE {nid} = ?", (nid,))[0][0])
        assert old in state
        self.execute("UPDATE {t} SET state = ? WHERE {nid} = ?", (state.replace(old, new), nid))

    def delete(self, nid: int) -> None:
        self.disarm()
        self.execute("DELETE FROM {t} WHERE {nid} = ?", (nid,))

    def insert_before(self, nid: int, like: StoredRow) -> uuid.UUID:
        """Move the events from `nid` on up, and store a forged event (a copy of `like`'s content under a new id)
        at `nid`."""
        self.disarm()
        self.execute("UPDATE {t} SET {nid} = {nid} + 100000 WHERE {nid} >= ?", (nid,))
        forged = uuid.uuid4()
        oid: Any = forged.hex if self.schema is None else forged
        self.execute("INSERT INTO {t} ({nid}, originator_id, originator_version, topic, state) VALUES (?, ?, ?, ?, ?)",
                     (nid, oid, 1, like.topic, like.state))
        return forged

    def swap(self, first: int, second: int) -> None:
        """Exchange the recording positions of two events."""
        self.disarm()
        self.execute("UPDATE {t} SET {nid} = -1 WHERE {nid} = ?", (first,))
        self.execute("UPDATE {t} SET {nid} = ? WHERE {nid} = ?", (first, second))
        self.execute("UPDATE {t} SET {nid} = ? WHERE {nid} = -1", (second,))
