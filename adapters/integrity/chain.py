"""The hash chain over the whole ledger, in recording (notification id) order, and the catch-up that keeps it.

    digest_0 = 32 zero bytes
    digest_n = SHA-256(digest_n-1 ‖ originator id (16 bytes) ‖ version (8 bytes, big-endian)
                       ‖ length of topic (4 bytes) ‖ topic (UTF-8) ‖ length of state (8 bytes) ‖ state)

The state is the stored bytes (canonical JSON, see mapper), so the chain is the same on SQLite and PostgreSQL, and
in a bundle. The chain table keeps, per position n = 1, 2, …: the event's notification id, originator id and version,
a label (see labels) and digest_n. It is its own tracking record: its last row says how far the catch-up has got,
and the rows of one batch are written in one transaction with their position as primary key, so a catch-up that
loses a race to another collides, rolls back, and starts again from the new head: each event is chained once.
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from regledger.adapters.errors import StoreError
from regledger.adapters.integrity.labels import describe
from regledger.adapters.progress import Progress
from regledger.adapters.store.sql import Dialect, Transaction

__all__ = ["CHAIN", "GENESIS", "ChainRow", "ChainStore", "StoredRow", "catch_up", "create_chain", "extend", "link"]

CHAIN = "regledger_chain"  # the chain table's name, beside the events
GENESIS = bytes(32)
PAGE = 5000


@dataclass(frozen=True)
class StoredRow:
    """A stored event exactly as the store holds it."""

    notification_id: int
    originator_id: UUID
    version: int
    topic: str
    state: bytes

    @property
    def key(self) -> tuple[str, int]:
        """(originator id, version): what identifies an event."""
        return str(self.originator_id), self.version

    def label(self) -> str:
        """The event in a few words (see labels)."""
        return describe(self.topic, self.state)


@dataclass(frozen=True)
class ChainRow:
    """One link of the chain: which event is at `position`, and the digest up to and including it."""

    position: int
    notification_id: int
    originator_id: str
    version: int
    label: str
    digest: bytes

    @property
    def key(self) -> tuple[str, int]:
        """(originator id, version) of the chained event."""
        return self.originator_id, self.version


def link(previous: bytes, event: StoredRow) -> bytes:
    """digest_n from digest_n-1 and event n."""
    topic = event.topic.encode()
    return hashlib.sha256(b"".join((
        previous, event.originator_id.bytes, struct.pack(">q", event.version),
        struct.pack(">I", len(topic)), topic, struct.pack(">Q", len(event.state)), event.state,
    ))).digest()


_COLUMNS = ("notification_id {int} NOT NULL UNIQUE, originator_id TEXT NOT NULL, originator_version {int} NOT NULL, "
            "label TEXT NOT NULL, digest {blob} NOT NULL, UNIQUE (originator_id, originator_version))")


def create_chain(dialect: Dialect) -> str:
    """The statement that creates the chain table beside the events, where missing."""
    return (f"CREATE TABLE IF NOT EXISTS {dialect.table(CHAIN)} (position {dialect.integer} PRIMARY KEY, "
            + _COLUMNS.format(int=dialect.integer, blob=dialect.blob))


def _bytes(value: Any) -> bytes:
    return value.encode() if isinstance(value, str) else bytes(value)


def _uuid(value: Any) -> UUID:
    return value if isinstance(value, UUID) else UUID(str(value))


class ChainStore:
    """Reads stored events and chain rows, and appends chain rows, through `transaction(commit=…)` cursors."""

    _EVENT = "SELECT {nid} AS nid, originator_id, originator_version, topic, state FROM {events} "
    _LINK = "SELECT position, notification_id, originator_id, originator_version, label, digest FROM {chain} "

    def __init__(self, transaction: Transaction, dialect: Dialect) -> None:
        self.transaction = transaction
        self.dialect = dialect

    def sql(self, template: str) -> str:
        """`template` with {events}, {nid} and {chain} filled in, spelled for this store."""
        return self.dialect.sql(template, chain=self.dialect.table(CHAIN))

    def _rows(self, template: str, params: Sequence[Any] = ()) -> list[Any]:
        with self.transaction(commit=False) as cursor:
            cursor.execute(self.sql(template), params)
            return list(cursor.fetchall())

    def _event(self, row: Any) -> StoredRow:
        return StoredRow(row["nid"], _uuid(row["originator_id"]), row["originator_version"], row["topic"],
                         _bytes(row["state"]))

    @staticmethod
    def _link(row: Any) -> ChainRow:
        return ChainRow(row["position"], row["notification_id"], row["originator_id"], row["originator_version"],
                        row["label"], _bytes(row["digest"]))

    def has_chain_table(self) -> bool:
        """Whether the chain table exists yet."""
        rows = self._rows(self.dialect.table_exists(CHAIN))
        return bool(rows and rows[0]["name"])

    def count_events(self) -> int:
        """How many events the store holds."""
        return int(self._rows("SELECT COUNT(*) AS n FROM {events}")[0]["n"])

    def events(self, after: int = 0, limit: int = PAGE) -> list[StoredRow]:
        """Up to `limit` stored events after notification id `after`, in order."""
        rows = self._rows(self._EVENT + "WHERE {nid} > ? ORDER BY {nid} LIMIT ?", (after, limit))
        return [self._event(row) for row in rows]

    def links(self, after: int = 0, limit: int = PAGE) -> list[ChainRow]:
        """Up to `limit` chain rows after position `after`, in order."""
        return [self._link(row) for row in self._rows(self._LINK + "WHERE position > ? ORDER BY position LIMIT ?",
                                                      (after, limit))]

    def digests(self, after: int = 0, limit: int = PAGE) -> list[tuple[int, bytes]]:
        """Up to `limit` (position, digest) pairs after position `after`: all a verifying pass needs to compare."""
        rows = self._rows("SELECT position, digest FROM {chain} WHERE position > ? ORDER BY position LIMIT ?",
                          (after, limit))
        return [(row["position"], _bytes(row["digest"])) for row in rows]

    def head(self) -> ChainRow | None:
        """The last chain row, if any."""
        rows = self._rows(self._LINK + "ORDER BY position DESC LIMIT 1")
        return self._link(rows[0]) if rows else None

    def link_at(self, position: int) -> ChainRow | None:
        """The chain row at `position`, if any."""
        rows = self._rows(self._LINK + "WHERE position = ?", (position,))
        return self._link(rows[0]) if rows else None

    def event_by_key(self, key: tuple[str, int]) -> StoredRow | None:
        """The stored event (originator id, version), if it is stored."""
        rows = self._rows(self._EVENT + "WHERE originator_id = ? AND originator_version = ?",
                          (self.dialect.oid(UUID(key[0])), key[1]))
        return self._event(rows[0]) if rows else None

    def link_by_key(self, key: tuple[str, int]) -> ChainRow | None:
        """The chain row of event (originator id, version), if it was chained."""
        rows = self._rows(self._LINK + "WHERE originator_id = ? AND originator_version = ?", key)
        return self._link(rows[0]) if rows else None

    def append(self, rows: Sequence[ChainRow]) -> None:
        """Write `rows` in one transaction; IntegrityError when any position or event is already chained."""
        statement = self.sql("INSERT INTO {chain} (position, notification_id, originator_id, "
                             "originator_version, label, digest) VALUES (?, ?, ?, ?, ?, ?)")
        with self.transaction(commit=True) as cursor:
            cursor.executemany(statement, [(r.position, r.notification_id, r.originator_id, r.version, r.label,
                                            r.digest) for r in rows])

    def all_events(self) -> Iterator[StoredRow]:
        """Every stored event in recording order, read in pages."""
        after = 0
        while page := self.events(after):
            yield from page
            after = page[-1].notification_id

    def all_links(self) -> Iterator[ChainRow]:
        """Every chain row in order, read in pages."""
        after = 0
        while page := self.links(after):
            yield from page
            after = page[-1].position


def extend(head: ChainRow | None, events: Sequence[StoredRow]) -> list[ChainRow]:
    """The chain rows that follow `head` for `events`."""
    previous, position = (head.digest, head.position) if head else (GENESIS, 0)
    rows = []
    for event in events:
        previous = link(previous, event)
        position += 1
        rows.append(ChainRow(position, event.notification_id, *event.key, event.label(), previous))
    return rows


def catch_up(store: ChainStore, batch: int = 2000, progress: Progress | None = None, total: int | None = None) -> int:
    """Chain every stored event after the chain's head, `batch` per transaction; how many were chained here.
    `progress` hears step "chain": how many so far, of `total` when the caller knows it.

    A collision means another catch-up wrote those rows first: read the new head and go on from there.
    """
    applied = 0
    while True:
        head = store.head()
        events = store.events(head.notification_id if head else 0, batch)
        if not events:
            return applied
        try:
            store.append(extend(head, events))
        except IntegrityError as error:
            if store.head() == head:
                raise StoreError(f"the chain cannot be extended after position {head.position if head else 0}: "
                                 f"{error}; run `regledger verify`") from None
            continue
        applied += len(events)
        if progress:
            progress("chain", applied, total)
