"""The hash chain over the whole ledger, in recording (notification id) order, and reading and writing it.

    digest_0 = 32 zero bytes
    digest_n = SHA-256(digest_n-1 ‖ originator id (16 bytes) ‖ version (8 bytes, big-endian)
                       ‖ length of topic (4 bytes) ‖ topic (UTF-8) ‖ length of state (8 bytes) ‖ state)

The state is the stored bytes (canonical JSON, see mapper), so the chain is the same on SQLite and PostgreSQL, and
in a bundle. The chain table keeps, per position n = 1, 2, …: the event's notification id, originator id and version,
a label (see labels) and digest_n, with the position as primary key and each notification id and event once.

A record run's chain rows are written by its recorder, in the transaction that stores its events (see keeper).
`ChainCursor` reads and writes both tables through one cursor, that is within one transaction; `ChainStore` does the
same a transaction per call, for readers (verify, bundles). `catch_up` chains whatever follows the head, for a
ledger whose events were stored without their chain rows (a bundle being written, a ledger older than the chain).
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from regledger.adapters.errors import StoreError
from regledger.adapters.integrity.labels import describe
from regledger.adapters.progress import Progress
from regledger.adapters.store.sql import Cursor, Dialect, Transaction

__all__ = [
    "BEGAN",
    "CHAIN",
    "GENESIS",
    "ChainCursor",
    "ChainRow",
    "ChainStore",
    "StoredRow",
    "catch_up",
    "create_chain",
    "extend",
    "link",
]

CHAIN = "regledger_chain"  # the chain table's name, beside the events
BEGAN = "regledger_chain_began"  # since when record runs chain their own events (see keeper)
GENESIS = bytes(32)
PAGE = 5000
T = TypeVar("T")


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


def _label(event: StoredRow) -> str:
    """The label kept in the chain: NUL bytes written out, as a PostgreSQL text column cannot hold them."""
    return event.label().replace("\x00", "\\x00")


_EVENT = "SELECT {nid} AS nid, originator_id, originator_version, topic, state FROM {events} "
_LINK = "SELECT position, notification_id, originator_id, originator_version, label, digest FROM {chain} "


class ChainCursor:
    """The stored events and the chain, read and written through one cursor (so within one transaction)."""

    _UNCOVERED = ("SELECT e.{nid} AS nid, e.originator_id, e.originator_version, e.topic, e.state FROM {events} e "
                  "LEFT JOIN {chain} c ON c.notification_id = e.{nid} WHERE c.position IS NULL "
                  "OR c.originator_version <> e.originator_version OR NOT ({same}) ORDER BY e.{nid}")
    _INSERT = ("INSERT INTO {chain} (position, notification_id, originator_id, originator_version, label, digest) "
               "VALUES (?, ?, ?, ?, ?, ?)")
    _UNNEST = ("INSERT INTO {chain} (position, notification_id, originator_id, originator_version, label, digest) "
               "SELECT * FROM unnest(?::bigint[], ?::bigint[], ?::text[], ?::bigint[], ?::text[], ?::bytea[])")

    def __init__(self, cursor: Cursor, dialect: Dialect) -> None:
        self.cursor, self.dialect = cursor, dialect

    def sql(self, template: str) -> str:
        """`template` with {events}, {nid}, {chain}, {began} and {same} filled in, spelled for this store."""
        same = self.dialect.same_originator("e.originator_id", "c.originator_id")
        return self.dialect.sql(template, chain=self.dialect.table(CHAIN), began=self.dialect.table(BEGAN), same=same)

    def rows(self, template: str, params: Sequence[Any] = ()) -> list[Any]:
        """The rows `template` (see `sql`) selects."""
        self.cursor.execute(self.sql(template), params)
        return list(self.cursor.fetchall())

    @staticmethod
    def event(row: Any) -> StoredRow:
        """A stored event from a row of `_EVENT`."""
        return StoredRow(row["nid"], _uuid(row["originator_id"]), row["originator_version"], row["topic"],
                         _bytes(row["state"]))

    @staticmethod
    def link(row: Any) -> ChainRow:
        """A chain row from a row of `_LINK`."""
        return ChainRow(row["position"], row["notification_id"], row["originator_id"], row["originator_version"],
                        row["label"], _bytes(row["digest"]))

    def has_table(self, name: str) -> bool:
        """Whether the table `name` exists beside the events."""
        self.cursor.execute(self.dialect.table_exists(name))
        found = self.cursor.fetchone()
        return bool(found and found["name"])

    def has_chain_table(self) -> bool:
        """Whether the chain table exists yet."""
        return self.has_table(CHAIN)

    def count(self) -> int:
        """How many events are stored (a scan of the table, or of an index)."""
        return int(self.rows("SELECT COUNT(*) AS n FROM {events}")[0]["n"])

    def ends(self) -> tuple[int | None, int | None]:
        """The lowest and highest notification ids stored (None, None when none is): two index lookups (asked
        apart, as neither store finds both ends of an index in one statement)."""
        low = self.rows("SELECT MIN({nid}) AS nid FROM {events}")[0]["nid"]
        return low, self.rows("SELECT MAX({nid}) AS nid FROM {events}")[0]["nid"]

    def events(self, after: int | None = 0, limit: int = PAGE) -> list[StoredRow]:
        """Up to `limit` stored events after notification id `after` (None: from the first, whatever its id)."""
        if after is None:
            return [self.event(row) for row in self.rows(_EVENT + "ORDER BY {nid} LIMIT ?", (limit,))]
        rows = self.rows(_EVENT + "WHERE {nid} > ? ORDER BY {nid} LIMIT ?", (after, limit))
        return [self.event(row) for row in rows]

    def uncovered(self) -> list[StoredRow]:
        """Every stored event the chain does not hold at its notification id, in recording order."""
        return [self.event(row) for row in self.rows(self._UNCOVERED)]

    def head(self) -> ChainRow | None:
        """The last chain row, if any."""
        rows = self.rows(_LINK + "ORDER BY position DESC LIMIT 1")
        return self.link(rows[0]) if rows else None

    def append(self, rows: Sequence[ChainRow]) -> None:
        """Write `rows` (IntegrityError when any position or event is already chained): on PostgreSQL as one
        statement over arrays, whatever their number."""
        if not rows:
            return
        values = [(r.position, r.notification_id, r.originator_id, r.version, r.label, r.digest) for r in rows]
        if self.dialect.kind == "sqlite":
            self.cursor.executemany(self.sql(self._INSERT), values)
        else:
            self.cursor.execute(self.sql(self._UNNEST), [list(column) for column in zip(*values, strict=True)])


class ChainStore:
    """Reads stored events and chain rows, and appends chain rows, a `transaction(commit=…)` per call; `locked()`
    is a write transaction that no recorder can interleave with (see store.sql)."""

    def __init__(self, transaction: Transaction, dialect: Dialect,
                 locked: Callable[[], AbstractContextManager[Cursor]] | None = None) -> None:
        self.transaction = transaction
        self.dialect = dialect
        self._locked = locked

    def locked(self) -> AbstractContextManager[Cursor]:
        """A write transaction that holds the store's write lock (a plain one where the store has none to offer)."""
        return self._locked() if self._locked is not None else self.transaction(commit=True)

    def read(self, read: Callable[[ChainCursor], T]) -> T:
        """What `read` finds through a cursor of one read transaction."""
        with self.transaction(commit=False) as cursor:
            return read(ChainCursor(cursor, self.dialect))

    def has_chain_table(self) -> bool:
        """Whether the chain table exists yet."""
        return self.read(ChainCursor.has_chain_table)

    def count_events(self) -> int:
        """How many events the store holds."""
        return self.read(ChainCursor.count)

    def events(self, after: int | None = 0, limit: int = PAGE) -> list[StoredRow]:
        """Up to `limit` stored events after notification id `after` (None: from the first), in order."""
        return self.read(lambda chain: chain.events(after, limit))

    def links(self, after: int = 0, limit: int = PAGE) -> list[ChainRow]:
        """Up to `limit` chain rows after position `after`, in order."""
        return self.read(lambda chain: [chain.link(row) for row in chain.rows(
            _LINK + "WHERE position > ? ORDER BY position LIMIT ?", (after, limit))])

    def digests(self, after: int = 0, limit: int = PAGE) -> list[tuple[int, bytes]]:
        """Up to `limit` (position, digest) pairs after position `after`: all a verifying pass needs to compare."""
        return self.read(lambda chain: [(row["position"], _bytes(row["digest"])) for row in chain.rows(
            "SELECT position, digest FROM {chain} WHERE position > ? ORDER BY position LIMIT ?", (after, limit))])

    def head(self) -> ChainRow | None:
        """The last chain row, if any."""
        return self.read(ChainCursor.head)

    def _one_link(self, condition: str, params: Sequence[Any]) -> ChainRow | None:
        rows = self.read(lambda chain: chain.rows(_LINK + condition, params))
        return ChainCursor.link(rows[0]) if rows else None

    def link_at(self, position: int) -> ChainRow | None:
        """The chain row at `position`, if any."""
        return self._one_link("WHERE position = ?", (position,))

    def link_by_key(self, key: tuple[str, int]) -> ChainRow | None:
        """The chain row of event (originator id, version), if it was chained."""
        return self._one_link("WHERE originator_id = ? AND originator_version = ?", key)

    def event_by_key(self, key: tuple[str, int]) -> StoredRow | None:
        """The stored event (originator id, version), if it is stored."""
        params = (self.dialect.oid(UUID(key[0])), key[1])
        rows = self.read(lambda chain: chain.rows(
            _EVENT + "WHERE originator_id = ? AND originator_version = ?", params))
        return ChainCursor.event(rows[0]) if rows else None

    def append(self, rows: Sequence[ChainRow]) -> None:
        """Write `rows` in one transaction; IntegrityError when any position or event is already chained."""
        with self.transaction(commit=True) as cursor:
            ChainCursor(cursor, self.dialect).append(rows)

    def all_events(self) -> Iterator[StoredRow]:
        """Every stored event in recording order, whatever its notification id, read in pages."""
        page = self.events(None)
        while page:
            yield from page
            page = self.events(page[-1].notification_id)

    def all_links(self) -> Iterator[ChainRow]:
        """Every chain row in order, read in pages."""
        after = 0
        while page := self.links(after):
            yield from page
            after = page[-1].position


def extend(head: ChainRow | None, events: Sequence[StoredRow], note: str = "") -> list[ChainRow]:
    """The chain rows that follow `head` for `events`; `note` is added to each row's label."""
    previous, position = (head.digest, head.position) if head else (GENESIS, 0)
    rows = []
    for event in events:
        previous = link(previous, event)
        position += 1
        rows.append(ChainRow(position, event.notification_id, *event.key, _label(event) + note, previous))
    return rows


def catch_up(store: ChainStore, batch: int = 2000, progress: Progress | None = None, total: int | None = None) -> int:
    """Chain every stored event after the chain's head, `batch` per transaction; how many were chained here.
    `progress` hears step "chain": how many so far, of `total` when the caller knows it. For a ledger whose events
    were stored without their chain (a bundle being written, tests); a record run chains its own.

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
