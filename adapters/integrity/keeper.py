"""The chain kept in the transaction that stores the events: the `ChainKeeper` (see store.sql) that wiring hands to the
ledger, and what installing the chain on a ledger does.

`LedgerChain.chain` runs inside a recorder's insert transaction, after the run's events are inserted and while the
store's write lock is held (the first insert on SQLite, the table lock on PostgreSQL). It compares the events table
with the chain's head: every row but the run's own must be chained, none may sit at a notification id below 1, and
the run's rows must follow the head. That takes the lowest and highest notification ids (index lookups) and, only
where the chained ids leave gaps (PostgreSQL's, where a run was rolled back), a count. Only when they do not agree
does it look for the rows the chain does not hold, and when there are any it refuses (StoreError), which rolls the
run back: nothing of it is stored, and no row regledger did not write is ever chained by a record run.
`LedgerChain.foreign` is the same comparison for readers, who then leave those rows out; `glance` gives its first
reads as one SELECT list, which a query's freshness check reads with the read models' state in one statement.

The table `regledger_chain_began` holds one row: the highest notification id stored when regledger began writing the
chain in the same transaction as the events (0 for a ledger created so). Rows after it that the chain does not hold
can only have been written behind regledger's back; only rows up to it can be a tail that an earlier release left
unchained when a record run stopped between storing and chaining (see repair).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent

from regledger.adapters.errors import StoreError
from regledger.adapters.integrity.chain import BEGAN, CHAIN, PAGE, ChainCursor, ChainRow, StoredRow, extend
from regledger.adapters.store.sql import Cursor, Dialect, ForeignRow, ForeignRows

__all__ = ["LedgerChain", "began_at", "chain_everything", "create_began", "foreign_rows", "mark_began"]

def create_began(dialect: Dialect) -> str:
    """The statement that creates the table saying since when runs are chained as they are stored, where missing."""
    return (f"CREATE TABLE IF NOT EXISTS {dialect.table(BEGAN)} (notification_id {dialect.integer} NOT NULL, "
            "began_at TEXT NOT NULL)")


def mark_began(chain: ChainCursor) -> None:
    """Note, once, the highest notification id stored now: from here on every run chains its own events."""
    if chain.rows("SELECT COUNT(*) AS n FROM {began}")[0]["n"]:
        return
    high = chain.ends()[1]
    chain.cursor.execute(chain.sql("INSERT INTO {began} (notification_id, began_at) VALUES (?, ?)"),
                         (max(high or 0, 0), datetime.now(UTC).isoformat()))


def began_at(chain: ChainCursor) -> int | None:
    """The highest notification id stored when runs began to be chained as they are stored (None: not noted, the
    ledger was not yet opened to write by a release that does)."""
    if not chain.has_table(BEGAN):
        return None
    rows = chain.rows("SELECT MIN(notification_id) AS nid FROM {began}")
    return rows[0]["nid"] if rows else None


def chain_everything(chain: ChainCursor) -> int:
    """Chain, through one cursor, every stored event at a notification id from 1 on, taken as it stands (a ledger
    that had no chain yet); how many."""
    head: ChainRow | None = None
    after, count = 0, 0
    while events := chain.events(after, PAGE):
        rows = extend(head, events)
        chain.append(rows)
        head, after, count = rows[-1], events[-1].notification_id, count + len(events)
    return count


def _head_of(head: ChainRow | None) -> tuple[int, int]:
    """(position, notification id) of the chain's head; (0, 0) before the first."""
    return (head.position, head.notification_id) if head else (0, 0)


def _holds_exactly(chain: ChainCursor, count: int, last: int) -> bool:
    """Whether the events table holds `count` rows and no other, given `count` distinct notification ids from 1 to
    `last` that it should hold (the chained ones, and those being chained): its ends (index lookups), and its count
    only where those ids leave room for others (gaps, which PostgreSQL leaves where a run was rolled back)."""
    return _holds(*chain.ends(), count, last, chain.count)


def _holds(low: int | None, high: int | None, count: int, last: int, stored: Callable[[], int]) -> bool:
    """`_holds_exactly` given the table's ends; `stored()` counts its rows, asked only where there are gaps."""
    if high is None:
        return count == 0
    if (low or 0) < 1 or high != last:
        return False
    return last == count or stored() == count


# `foreign`'s first reads as scalar subqueries (see `LedgerChain.glance`): the head's position and notification id,
# the table's ends, and its count only where the head's ids leave gaps (a CASE evaluates the count only then)
_GLANCE = ("(SELECT position FROM {chain} ORDER BY position DESC LIMIT 1) AS chain_position, "
           "(SELECT notification_id FROM {chain} ORDER BY position DESC LIMIT 1) AS chain_nid, "
           "(SELECT MIN({nid}) FROM {events}) AS events_low, (SELECT MAX({nid}) FROM {events}) AS events_high, "
           "CASE WHEN (SELECT position - notification_id FROM {chain} ORDER BY position DESC LIMIT 1) <> 0 "
           "THEN (SELECT COUNT(*) FROM {events}) END AS events_count")


def foreign_rows(events: Sequence[StoredRow], head: ChainRow | None) -> ForeignRows:
    """`events` (stored, not chained) as the foreign rows of a ledger whose chain ends in `head`."""
    rows = tuple(ForeignRow(e.notification_id, str(e.originator_id), e.version, e.label()) for e in events)
    return ForeignRows(rows, _head_of(head)[1])


class LedgerChain:
    """The `ChainKeeper` of a ledger on a SQL store: works through the cursor of the transaction it is given."""

    def __init__(self, dialect: Dialect) -> None:
        self.dialect = dialect

    def foreign(self, cursor: Cursor, /) -> ForeignRows:
        """The rows of the events table the chain does not cover (the head and index lookups when there are none)."""
        chain = ChainCursor(cursor, self.dialect)
        head = chain.head()
        if _holds_exactly(chain, *_head_of(head)):
            return ForeignRows((), _head_of(head)[1])
        return foreign_rows(chain.uncovered(), head)

    def glance(self) -> str:
        """`foreign`'s first reads (the head, the table's ends, its count where there are gaps) as a SELECT list
        of scalar subqueries, read with other facts in one statement (see `glanced`)."""
        return self.dialect.sql(_GLANCE, chain=self.dialect.table(CHAIN))

    def glanced(self, row: Mapping[str, Any], /) -> ForeignRows | None:
        """`foreign`'s answer from a row of `glance`'s columns when the table holds exactly the chained rows (None:
        it may hold others, which `foreign` finds)."""
        position, nid = row["chain_position"] or 0, row["chain_nid"] or 0
        if _holds(row["events_low"], row["events_high"], position, nid, lambda: int(row["events_count"])):
            return ForeignRows((), nid)
        return None

    def chain(self, cursor: Cursor, inserted: Sequence[tuple[int, StoredEvent]], /) -> None:
        """Chain the events just inserted, after checking that every other row is chained; StoreError otherwise."""
        if not inserted:
            return
        chain = ChainCursor(cursor, self.dialect)
        events = sorted((_stored_row(nid, event) for nid, event in inserted), key=lambda row: row.notification_id)
        head = chain.head()
        position, nid = _head_of(head)
        if not (events[0].notification_id > nid
                and _holds_exactly(chain, position + len(events), events[-1].notification_id)):
            self._refuse_unless_sound(chain, head, events)
        chain.append(extend(head, events))

    @staticmethod
    def _refuse_unless_sound(chain: ChainCursor, head: ChainRow | None, events: Sequence[StoredRow]) -> None:
        """StoreError when rows other than `events` are not chained, or `events` do not follow the head; else
        (events deleted behind regledger's back, which `verify` reports) nothing."""
        new = {event.notification_id for event in events}
        found = [event for event in chain.uncovered() if event.notification_id not in new]
        if found:
            raise StoreError(foreign_rows(found, head).refusal())
        position, nid = _head_of(head)
        if events[0].notification_id <= nid:
            raise StoreError(f"the chain's head is at notification id {nid} (position {position}), but the store "
                             f"gave this run's first event notification id {events[0].notification_id}: events were "
                             "deleted behind regledger's back; nothing of this run was stored: run `regledger verify`")


def _stored_row(notification_id: int, event: StoredEvent) -> StoredRow:
    originator = event.originator_id
    return StoredRow(notification_id, originator if isinstance(originator, UUID) else UUID(str(originator)),
                     event.originator_version, event.topic, event.state)
