"""Helpers for the integrity tests: an attacker with raw database access, copies and clones of a ledger.

`Attacker(db)` works on a SQLite file or on the PostgreSQL schema of the test's own store: `change`, `delete`,
`insert_before`, `swap` and `delete_newest` first remove the guards, as someone with that access would (opening the
ledger installs them again), then edit the stored events directly, bypassing regledger; `plant` and `append` need no
such thing: the guards allow INSERT.

`record_unchained` stores a run without its chain rows, and `as_an_earlier_release_left_it` removes the note of since
when runs chain their own events: together, a ledger as a release that chained after storing left it when a record
run was killed between the two.
"""

from __future__ import annotations

import sqlite3
import uuid
from contextlib import closing
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from eventsourcing.persistence import StoredEvent

from regledger.adapters.integrity.chain import BEGAN, CHAIN, StoredRow
from regledger.adapters.integrity.guards import sqlite_trigger_names
from regledger.adapters.integrity.verify import chain_store
from regledger.adapters.wiring import open_ledger
from tests.conftest import POSTGRES_URL

__all__ = [
    "Attacker",
    "as_an_earlier_release_left_it",
    "clone",
    "copy_sqlite",
    "events",
    "find_event",
    "record_unchained",
    "schema_of",
]


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
    """Every stored event of the ledger at `db`, in recording order (opened to read: nothing installed)."""
    with open_ledger(db, write=False) as ledger:
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


def record_unchained(db: str, located: Any) -> None:
    """Record `located` with its events stored and not chained, and the read models brought up to date with them,
    as a release that chained after storing, killed between the two, left them."""
    with open_ledger(db) as ledger:
        ledger.keeper = ledger.recorder.keeper = None
        ledger.record(located)


def as_an_earlier_release_left_it(db: str) -> None:
    """Remove the note of since when runs chain their own events, as no release before it wrote one."""
    attacker = Attacker(db)
    try:
        attacker.execute(f"DROP TABLE {attacker.qualified(BEGAN)}")
    finally:
        attacker.close()


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

    def qualified(self, table: str) -> str:
        """The name of the table `table` beside the events, as SQL spells it here."""
        return table if self.schema is None else f'"{self.schema}".{table}'

    def count(self) -> int:
        """How many rows the events table holds."""
        return int(self.execute("SELECT COUNT(*) FROM {t}")[0][0])

    def disarm(self, table: str | None = None) -> None:
        """Remove the guards of the events table (or of `table` beside it, e.g. the chain)."""
        if self.schema is None:
            for name in sqlite_trigger_names(table or "stored_events"):
                self.execute(f"DROP TRIGGER IF EXISTS {name}")
        else:
            self.execute(f"ALTER TABLE {self.qualified(table) if table else '{t}'} DISABLE TRIGGER USER")

    def plant(self, nid: int | None, like: StoredRow, *, state: bytes | None = None,
              originator: uuid.UUID | None = None, version: int | None = None) -> None:
        """INSERT a row (the guards allow it) at notification id `nid` (None: the next one the store gives), a copy
        of `like` with its `state`, `originator` and `version` replaced where given."""
        oid = originator or like.originator_id
        values = (oid.hex if self.schema is None else oid, version or like.version, like.topic, state or like.state)
        if nid is None:
            self.execute("INSERT INTO {t} (originator_id, originator_version, topic, state) VALUES (?, ?, ?, ?)",
                         values)
        else:
            self.execute("INSERT INTO {t} ({nid}, originator_id, originator_version, topic, state) "
                         "VALUES (?, ?, ?, ?, ?)", (nid, *values))

    def delete_newest(self, count: int) -> None:
        """Delete the newest `count` events and their chain rows, guards removed first."""
        self.disarm()
        self.disarm(CHAIN)
        newest = [row[0] for row in self.execute("SELECT {nid} FROM {t} ORDER BY {nid} DESC LIMIT ?", (count,))]
        for nid in newest:
            self.execute("DELETE FROM {t} WHERE {nid} = ?", (nid,))
            self.execute(f"DELETE FROM {self.qualified(CHAIN)} WHERE notification_id = ?", (nid,))

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
