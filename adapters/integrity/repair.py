"""Repairing a chain that an earlier release left short, and only that.

Up to release 0.1, a record run stored its events and then chained them in transactions of their own: a run killed
between the two left its events unchained, and nothing chained them but a later run that stored something. Since
then a run's chain rows are written in the transaction that stores its events (see keeper), so such a tail can only
be older than the note in `regledger_chain_began`.

`find_tail` looks at every row the chain does not hold and sorts it: the rows a crash can have left (`chainable`: a
contiguous tail after the chain's head of whole record runs, each of rows stored one after another with one
recording time, decodable as regledger's events, each event the next version of its stream, all stored before the
note), and the others (`refused`, each with why: a notification id below 1, a row among the chained ones, a row
stored after the note, a gap, a row that cannot be read as one of regledger's events, a version out of sequence, or
any row after one of those). `repair_chain` chains the chainable rows, with the store's write lock held, each chain
row's label ending in ` [chained by repair-chain at T]`; the refused ones are never chained, only named.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import groupby

from regledger.adapters.integrity.chain import ChainCursor, ChainRow, ChainStore, StoredRow, extend
from regledger.adapters.integrity.keeper import began_at

__all__ = ["DOMAIN_TOPICS", "Decode", "Refused", "Repair", "Run", "Tail", "find_tail", "repair_chain", "repair_note"]

DOMAIN_TOPICS = "regledger.domain."  # the module prefix of every event regledger stores
Decode = Callable[[StoredRow], datetime]  # the recording time of a row decoded as regledger's event; raises if not


@dataclass(frozen=True)
class Refused:
    """A row the chain does not hold that is never chained, and why."""

    row: StoredRow
    reason: str


@dataclass(frozen=True)
class Run:
    """Rows of the chainable tail stored by one record run (one recording time)."""

    recorded_at: datetime
    rows: tuple[StoredRow, ...]


@dataclass(frozen=True)
class Tail:
    """The rows the chain does not hold, sorted: those a crash can have left, and the others."""

    head: ChainRow | None
    chainable: tuple[StoredRow, ...]
    runs: tuple[Run, ...]
    refused: tuple[Refused, ...]


@dataclass(frozen=True)
class Repair:
    """What `repair_chain` found, and how many rows it chained (0 unless asked to)."""

    tail: Tail
    chained: int
    at: datetime

    @property
    def unchained(self) -> int:
        """How many rows the chain still does not hold."""
        return len(self.tail.chainable) + len(self.tail.refused) - self.chained


def repair_note(moment: datetime) -> str:
    """What the label of a repaired chain row ends in."""
    return f" [chained by repair-chain at {moment.isoformat().replace('+00:00', 'Z')}]"


class _Sorter:
    """Walks the rows the chain does not hold in recording order, keeping the chainable tail contiguous."""

    def __init__(self, chain: ChainCursor, decode: Decode) -> None:
        self.chain, self.decode = chain, decode
        self.head = chain.head()
        self.head_nid = self.head.notification_id if self.head else 0
        self.began = began_at(chain)
        self.previous: tuple[int, datetime | None] = (self.head_nid, self._recorded(self.head))
        self.chainable: list[tuple[StoredRow, datetime]] = []
        self.keys: set[tuple[str, int]] = set()
        self.broken = False

    def _recorded(self, head: ChainRow | None) -> datetime | None:
        """The recording time of the chain's head event (None before the first, or when it cannot be read)."""
        if head is None:
            return None
        rows = self.chain.rows("SELECT {nid} AS nid, originator_id, originator_version, topic, state FROM {events} "
                               "WHERE {nid} = ?", (head.notification_id,))
        try:
            return self.decode(self.chain.event(rows[0])) if rows else None
        except Exception:  # a head that cannot be read starts no run
            return None

    def refusal(self, row: StoredRow) -> str | None:
        """Why `row` is never chained; None when it joins the chainable tail."""
        if row.notification_id < 1:
            return "out of range: regledger numbers the rows it stores from 1"
        if row.notification_id <= self.head_nid:
            return "stored among the chained rows, not after the chain's head: a row inserted behind regledger's back"
        if self.began is not None and row.notification_id > self.began:
            return (f"stored after notification id {self.began}, since when every run is chained in the transaction "
                    "that stores it: only a write behind regledger's back leaves such a row unchained")
        if self.broken:
            return "follows a row that cannot be chained (the chain is in recording order)"
        return self._tail_refusal(row)

    def _tail_refusal(self, row: StoredRow) -> str | None:
        if not row.topic.startswith(DOMAIN_TOPICS):
            return f"its topic {row.topic!r} is not one of regledger's events"
        try:
            moment = self.decode(row)
        except Exception as error:  # any failure to read it means it is not regledger's
            return f"cannot be read as one of regledger's events ({type(error).__name__})"
        gap = self._gap(row, moment)
        if gap:
            return gap
        if not self._follows_its_stream(row):
            return f"version {row.version} of its stream follows no chained or chainable version {row.version - 1}"
        self.chainable.append((row, moment))
        self.keys.add(row.key)
        self.previous = (row.notification_id, moment)
        return None

    def _follows_its_stream(self, row: StoredRow) -> bool:
        """Whether `row` starts its stream or follows a version chained or chainable before it."""
        before = (str(row.originator_id), row.version - 1)
        return row.version == 1 or before in self.keys or bool(self.chain.rows(
            "SELECT position FROM {chain} WHERE originator_id = ? AND originator_version = ?", before))

    def _gap(self, row: StoredRow, moment: datetime) -> str | None:
        """Why `row` does not follow the previous one of the tail (or the head) as a record run stores rows."""
        nid, recorded = self.previous
        if row.notification_id == nid + 1:
            return None
        if recorded == moment:
            return f"a gap in notification ids within one record run (after {nid})"
        if self.chain.dialect.kind == "sqlite":
            return f"a gap in notification ids after {nid}: SQLite numbers the rows it stores without gaps"
        return None  # PostgreSQL: ids a rolled-back run took are never used; a new run may start after a gap

    def sort(self) -> Tail:
        refused = []
        for row in self.chain.uncovered():
            reason = self.refusal(row)
            if reason is not None:
                refused.append(Refused(row, reason))
                self.broken = self.broken or row.notification_id > self.head_nid
        rows = tuple(row for row, _ in self.chainable)
        runs = tuple(Run(moment, tuple(row for row, _ in group))
                     for moment, group in groupby(self.chainable, key=lambda pair: pair[1]))
        return Tail(self.head, rows, runs, tuple(refused))


def find_tail(chain: ChainCursor, decode: Decode) -> Tail:
    """The rows the chain does not hold, sorted into those a crash of an earlier release can have left (a
    chainable tail) and the others (never chained)."""
    return _Sorter(chain, decode).sort()


def repair_chain(store: ChainStore, decode: Decode, *, apply: bool) -> Repair:
    """Find the rows the chain does not hold (see `find_tail`); with `apply`, chain the chainable tail, within one
    transaction holding the store's write lock, its labels noting the repair."""
    moment = datetime.now(UTC)
    if not apply:
        return Repair(store.read(lambda chain: find_tail(chain, decode)), 0, moment)
    with store.locked() as cursor:
        chain = ChainCursor(cursor, store.dialect)
        tail = find_tail(chain, decode)
        chain.append(_rows(tail.head, tail.chainable, moment))
    return Repair(tail, len(tail.chainable), moment)


def _rows(head: ChainRow | None, rows: Sequence[StoredRow], moment: datetime) -> list[ChainRow]:
    return extend(head, rows, note=repair_note(moment))
