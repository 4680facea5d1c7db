"""Integrity of a ledger: its chain and guards installed when it is opened, and `verify`, which recomputes every
digest from the stored events and names the first place where they and the chain part.

`verify` reads every row of the events table in recording order, whatever its notification id (0, negative, beyond
the chain's head). Record runs chain their events in the transaction that stores them (see keeper), so a row the
chain does not hold was not written by regledger. A divergence is one of:

    changed     the event at a position is the chained one, but its content no longer gives the chained digest
    deleted     the chain has an event at a position that the store no longer holds
    inserted    the store holds an event at a position that was never chained
    reordered   the event at a position was chained at another position
    replaced    the chained event is gone and an event never chained stands in its place
    foreign     a row at a notification id below 1, where regledger never stores one: a row it did not write
    unchained   rows after the chain's head: rows regledger did not write (or, in a ledger an earlier release
                wrote, a record run stopped between storing and chaining: `regledger repair-chain` tells which)
"""

from __future__ import annotations

from dataclasses import dataclass

from regledger.adapters.errors import StoreError
from regledger.adapters.integrity.chain import (
    BEGAN,
    CHAIN,
    GENESIS,
    ChainCursor,
    ChainRow,
    ChainStore,
    StoredRow,
    create_chain,
    link,
)
from regledger.adapters.integrity.checkpoint import Checkpoint, fingerprint
from regledger.adapters.integrity.guards import install_postgres_guards, install_sqlite_guards
from regledger.adapters.integrity.keeper import LedgerChain, began_at, chain_everything, create_began, mark_began
from regledger.adapters.progress import Progress
from regledger.adapters.store.ledger import Ledger

__all__ = [
    "NO_CHAIN",
    "Divergence",
    "Verification",
    "chain_store",
    "checkpoint_findings",
    "install_integrity",
    "keeper_of",
    "prefix_digest",
    "verify_chain",
]


NO_CHAIN = "this store keeps no chain: use a SQLite file or PostgreSQL"  # an in-memory ledger


def chain_store(ledger: Ledger) -> ChainStore:
    """The chain of `ledger`, on the ledger's own store; StoreError for a store that keeps none (memory)."""
    store = ledger.sql
    if store is None:
        raise StoreError(NO_CHAIN)
    return ChainStore(store.transaction, store.dialect, store.locked)


def keeper_of(store: ChainStore) -> LedgerChain:
    """The keeper that chains a ledger's record runs as they are stored (see keeper), on `store`."""
    return LedgerChain(store.dialect)


def install_integrity(store: ChainStore) -> None:
    """Create the chain table (chaining a ledger that had none, its events so far taken as they stand), note since
    when runs chain their own events, and install the append-only guards, where missing; opening an installed
    ledger writes nothing. Run under the set-up lock on PostgreSQL (see wiring)."""
    if not store.read(_installed):
        with store.locked() as cursor:  # another process installing it at the same time waits, then finds it done
            _install(ChainCursor(cursor, store.dialect))
    dialect = store.dialect
    with store.transaction(commit=True) as cursor:
        if dialect.schema is None:  # SQLite
            install_sqlite_guards(cursor, [dialect.events, CHAIN, BEGAN])
        else:
            install_postgres_guards(cursor, dialect.schema, [dialect.events_table, CHAIN, BEGAN])


def _installed(chain: ChainCursor) -> bool:
    return chain.has_chain_table() and began_at(chain) is not None


def _install(chain: ChainCursor) -> None:
    """Within the store's write lock: the chain (and the ledger's chain so far), then the note of since when."""
    if not chain.has_chain_table():
        chain.cursor.execute(create_chain(chain.dialect))
        chain_everything(chain)
    chain.cursor.execute(create_began(chain.dialect))
    mark_began(chain)


@dataclass(frozen=True)
class Divergence:
    """The first place where the stored events and the chain part."""

    kind: str
    position: int
    lines: tuple[str, ...]


@dataclass(frozen=True)
class Verification:
    """What `verify_chain` found: how many events hold, the digest over them, and the first divergence."""

    verified: int
    head: bytes
    divergence: Divergence | None
    digest_at_mark: bytes | None = None


class _Digests:
    """The chain's (position, digest) pairs in order, a page at a time; asking again after the end asks again."""

    def __init__(self, store: ChainStore) -> None:
        self.store, self.page, self.index, self.after = store, list[tuple[int, bytes]](), 0, 0

    def next(self) -> bytes | None:
        if self.index == len(self.page):
            self.page, self.index = self.store.digests(self.after), 0
            if not self.page:
                return None
        self.after, digest = self.page[self.index]
        self.index += 1
        return digest


def verify_chain(store: ChainStore, progress: Progress | None = None, mark: int | None = None) -> Verification:
    """Recompute every digest from the stored events (every row of the events table, in recording order) and
    compare it with the chain, in one streaming pass, telling `progress` (step "verify") how many events hold so
    far, of how many stored. A run's chain rows commit with its events, so the chain is read after the events it
    covers: no run can be seen half chained.

    `mark`: also return the recomputed digest after that many events (a checkpoint's size).
    """
    total = store.count_events() if progress else None
    chained, previous, position = _Digests(store), GENESIS, 0
    marked = GENESIS if mark == 0 else None
    for event in store.all_events():
        expected = chained.next()
        digest = link(previous, event)
        if expected != digest:
            row = store.link_at(position + 1) if expected is not None else None
            return Verification(position, previous, _classify(store, position + 1, event, row), marked)
        position, previous = position + 1, digest
        marked = digest if position == mark else marked
        if progress:
            progress("verify", position, total)
    row = store.link_at(position + 1) if chained.next() is not None else None
    divergence = _classify(store, position + 1, None, row) if row else None
    return Verification(position, previous, divergence, marked)


def _where(position: int, notification_id: int) -> str:
    return f"position {position} in recording order (notification id {notification_id})"


def _classify(store: ChainStore, position: int, event: StoredRow | None, row: ChainRow | None) -> Divergence:
    if event is not None and event.notification_id < 1:
        return Divergence("foreign", position, (
            f"foreign: {_where(position, event.notification_id)}: {event.label()} is a row the ledger did not "
            "write: regledger numbers the rows it stores from 1, and its chain does not hold this one",))
    if row is None:
        assert event is not None
        return _unchained(store, position, event)
    if event is None:
        return Divergence("deleted", position, (
            f"deleted: {_where(position, row.notification_id)}: the chain has {row.label} here; the store no longer "
            f"holds it (it holds only {position - 1} events)",))
    if event.key == row.key:
        return Divergence("changed", position, (
            f"changed: {_where(position, event.notification_id)}: {event.label()}",
            f"  its content no longer gives the chained digest; as chained it was: {row.label}"))
    return _moved(store, position, event, row)


def _moved(store: ChainStore, position: int, event: StoredRow, row: ChainRow) -> Divergence:
    still_stored = store.event_by_key(row.key)
    chained_at = store.link_by_key(event.key)
    here = _where(position, event.notification_id)
    if still_stored is None and chained_at is None:
        return Divergence("replaced", position, (
            f"replaced: {here}: {event.label()} was never chained",
            f"  the chained event here, {row.label}, is no longer stored"))
    if still_stored is None:
        return Divergence("deleted", position, (
            f"deleted: {_where(position, row.notification_id)}: the chain has {row.label} here; the store no longer "
            f"holds it", f"  the store has {event.label()} (notification id {event.notification_id}) in its place"))
    if chained_at is None:
        return Divergence("inserted", position, (
            f"inserted: {here}: {event.label()} was never chained",
            f"  the chain has {row.label} here (now at notification id {still_stored.notification_id})"))
    return Divergence("reordered", position, (
        f"reordered: {here}: {event.label()} was chained at position {chained_at.position}",
        f"  the chain has {row.label} here (now at notification id {still_stored.notification_id})"))


def _unchained(store: ChainStore, position: int, event: StoredRow) -> Divergence:
    total = store.count_events() - (position - 1)
    return Divergence("unchained", position, (
        f"unchained: {_where(position, event.notification_id)} onwards: {total} event(s) after the chain's head "
        f"are not chained, starting with {event.label()}: rows the ledger did not write (regledger chains every "
        "row in the transaction that stores it)",
        "  only in a ledger an earlier release wrote can a record run stopped between storing and chaining have "
        "left such rows: `regledger repair-chain` tells them apart"))


def prefix_digest(store: ChainStore, size: int) -> bytes | None:
    """The digest after the first `size` stored events in recording order (whatever their notification ids),
    recomputed from them; None when there are fewer."""
    previous, count = GENESIS, 0
    after: int | None = None
    while count < size and (page := store.events(after, min(5000, size - count))):
        for event in page:
            previous = link(previous, event)
        count, after = count + len(page), page[-1].notification_id
    return previous if count == size else None


def checkpoint_findings(store: ChainStore, verification: Verification, checkpoint: Checkpoint,
                        trusted: bytes | None = None) -> list[str]:
    """What stops the ledger from extending `checkpoint`: nothing when it does."""
    problems = []
    if not checkpoint.signature_valid():
        problems.append("the checkpoint's signature is not valid: the statement was altered, or not signed by the "
                        "key it names")
    if trusted is not None and checkpoint.public_key != trusted:
        problems.append(f"the checkpoint is signed by key {checkpoint.fingerprint}, not by the trusted key "
                        f"{fingerprint(trusted)}")
    digest = verification.digest_at_mark
    if digest is None:
        digest = prefix_digest(store, checkpoint.size)
    if digest is None:
        problems.append(f"the ledger holds {store.count_events()} events; the checkpoint covers {checkpoint.size}: "
                        "events were deleted since, or this is another ledger")
    elif digest != checkpoint.head:
        problems.append(_fork(store, verification, checkpoint, digest))
    return problems


def _fork(store: ChainStore, verification: Verification, checkpoint: Checkpoint, digest: bytes) -> str:
    size = checkpoint.size
    where = f"the first {size} events are not the checkpointed ones: their digest is {digest.hex()}, the " \
            f"checkpoint's {checkpoint.head.hex()}"
    divergence = verification.divergence
    if divergence is not None and divergence.position <= size:
        return f"{where}; the first change is the divergence above, at position {divergence.position}"
    chained = store.link_at(size) if size else None
    if chained is not None and chained.digest == checkpoint.head:
        return f"{where}; the chain still ends in the checkpoint's head at position {size}"
    return (f"{where}; the chain agrees with the events, so it was rebuilt after the checkpoint, or this is another "
            "ledger (a fork): a bundle or an earlier checkpoint narrows down where")
