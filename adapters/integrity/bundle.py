"""Bundles: a ledger's first events, up to a moment, as a self-contained SQLite ledger with its chain and a signed
checkpoint, that anyone can verify and query without the original database.

A bundle holds the stored events byte for byte, with their notification ids, so `log` and the queries answer on it
as on the original up to that moment; its chain, recomputed from them and checked against the original's; and in
`regledger_checkpoints` a checkpoint of all of it. It is a prefix of the ledger in recording order: the events up
to the first one recorded after the moment.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from eventsourcing.utils import get_topic

from regledger.adapters.errors import InputError, StoreError
from regledger.adapters.integrity.chain import GENESIS, ChainStore, StoredRow, catch_up, link
from regledger.adapters.integrity.checkpoint import Checkpoint, parse_checkpoint, sign_checkpoint
from regledger.adapters.integrity.guards import install_sqlite_guards
from regledger.adapters.integrity.labels import recorded_at
from regledger.adapters.integrity.verify import (
    Verification,
    chain_store,
    checkpoint_findings,
    install_integrity,
    verify_chain,
)
from regledger.adapters.progress import Progress
from regledger.adapters.store.opening import ledger_on, opening
from regledger.adapters.store.settings import parse_store
from regledger.adapters.store.sql import SQLITE, Cursor, Transaction
from regledger.domain.screening_run import ScreeningRun

__all__ = ["BundleCheck", "Exported", "export_bundle", "verify_bundle"]

CHECKPOINTS = "regledger_checkpoints"
SCREENING_TOPIC = get_topic(ScreeningRun.Recorded)  # a recorded screening run's events: left out unless asked for
_INSERT = "INSERT INTO stored_events (rowid, originator_id, originator_version, topic, state) VALUES (?, ?, ?, ?, ?)"


@dataclass(frozen=True)
class Exported:
    """What an export wrote."""

    checkpoint: Checkpoint
    left_out: int  # events recorded at or before the moment but after one recorded later (left out of the prefix)
    bundle_local_key: bool
    screenings_left_out: int = 0  # screening runs in the prefix, left out (they name clients)


def _moment(event: StoredRow) -> datetime:
    moment = recorded_at(event.state)
    if moment is None:
        raise StoreError(f"event at notification id {event.notification_id} has no readable recording time")
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@dataclass
class _Prefix:
    """What copying a prefix found: its events in the ledger (`size`, their chain's digest `digest`), those copied,
    the last copied one's recording time, the screening runs left out, and later events recorded at or before the
    moment (left out: a bundle is a prefix)."""

    size: int = 0
    digest: bytes = GENESIS
    copied: int = 0
    last: datetime | None = None
    screenings: int = 0
    left_out: int = 0


def _copy_prefix(source: ChainStore, target: ChainStore, until: datetime, progress: Progress | None, *,
                 include_screenings: bool) -> _Prefix:
    """Copy the events up to the first one recorded after `until`, screening runs only with `include_screenings`
    (they name clients); the ledger's chain digest over the whole prefix is recomputed on the way. `progress`
    hears step "copy", of at most every stored event."""
    total = source.count_events() if progress else None
    prefix, stopped, after = _Prefix(), False, 0
    while page := source.events(after):
        after = page[-1].notification_id
        cut = 0 if stopped else next((i for i, e in enumerate(page) if _moment(e) > until), len(page))
        if cut:
            for event in page[:cut]:
                prefix.digest = link(prefix.digest, event)
            kept = [e for e in page[:cut] if include_screenings or e.topic != SCREENING_TOPIC]
            if kept:
                _copy(target, kept)
                prefix.last = _moment(kept[-1])
            prefix.size += cut
            prefix.copied += len(kept)
            prefix.screenings += cut - len(kept)
            if progress:
                progress("copy", prefix.size, total)
        stopped = stopped or cut < len(page)
        prefix.left_out += sum(_moment(e) <= until for e in page[cut:])
    return prefix


def export_bundle(source: ChainStore, until: datetime, path: Path, key: Ed25519PrivateKey | None, *,
                  force: bool = False, progress: Progress | None = None,
                  include_screenings: bool = False) -> Exported:
    """Write the bundle of the events recorded up to `until` to `path`, signed with `key` (or a bundle-local key).

    Screening runs (they name clients) are left out unless `include_screenings`: the bundle's chain is then its own,
    over the events it holds, and its checkpoint also states the ledger's size and head digest over the whole
    prefix (`ledger_size_with_screenings`, `ledger_head_with_screenings`), checked against the ledger's chain.

    `progress` hears how far the long steps have got: "copy" (the events copied) and "chain" (the events chained).
    """
    if path.exists() and not force:
        raise InputError(f"{path}: already exists; use --force to replace it")
    if not path.parent.is_dir():
        raise InputError(f"{path}: the folder {str(path.parent)!r} does not exist")
    partial = path.with_name(path.name + ".partial")
    _remove(partial)
    try:
        with _new_bundle(partial) as store:
            prefix = _copy_prefix(source, store, until, progress, include_screenings=include_screenings)
            catch_up(store, 5000, progress, total=prefix.copied)
            digest = _checked_head(source, store, prefix)
            extra = {"until": until.isoformat().replace("+00:00", "Z")}
            if prefix.screenings:
                extra.update(screening_runs_left_out=str(prefix.screenings),
                             ledger_size_with_screenings=str(prefix.size),
                             ledger_head_with_screenings=prefix.digest.hex())
            checkpoint = sign_checkpoint(key or Ed25519PrivateKey.generate(), prefix.copied, digest, prefix.last,
                                         **extra)
            _store_checkpoint(store, checkpoint)
        _single_file(partial)
    except BaseException:
        _remove(partial)
        raise
    partial.replace(path)
    return Exported(checkpoint, prefix.left_out, key is None, prefix.screenings)


@contextmanager
def _new_bundle(path: Path) -> Iterator[ChainStore]:
    """The chain store of a new SQLite ledger at `path`, its chain table and guards installed; closed on exit."""
    settings = parse_store(str(path))
    with opening(settings):
        ledger = ledger_on(settings, write=True)
    try:
        with opening(settings):
            store = chain_store(ledger)
            install_integrity(store)
        yield store
    finally:
        ledger.close()


def _checked_head(source: ChainStore, bundle: ChainStore, prefix: _Prefix) -> bytes:
    """The bundle's head digest, once the ledger's chain holds at the prefix's size the digest recomputed from the
    prefix's events, and (when nothing was left out) the bundle's chain ends in that very digest."""
    head = bundle.head()
    digest = head.digest if head else GENESIS
    chained = source.link_at(prefix.size) if prefix.size else None
    if prefix.size and chained is None:
        raise StoreError(f"the ledger's chain does not cover its first {prefix.size} events: run `regledger verify`")
    if prefix.digest != (chained.digest if chained else GENESIS) or (not prefix.screenings and digest != prefix.digest):
        raise StoreError(f"the ledger does not verify within its first {prefix.size} events: run `regledger verify`")
    return digest


def _copy(store: ChainStore, page: list[StoredRow]) -> None:
    with store.transaction(commit=True) as cursor:
        cursor.executemany(_INSERT, [(e.notification_id, e.originator_id.hex, e.version, e.topic, e.state)
                                     for e in page])


def _store_checkpoint(store: ChainStore, checkpoint: Checkpoint) -> None:
    with store.transaction(commit=True) as cursor:
        cursor.execute(f"CREATE TABLE IF NOT EXISTS {CHECKPOINTS} (position INTEGER PRIMARY KEY, checkpoint TEXT "
                       "NOT NULL)")
        install_sqlite_guards(cursor, [CHECKPOINTS])
        cursor.execute(f"INSERT INTO {CHECKPOINTS} (checkpoint) VALUES (?)", (checkpoint.to_json(),))  # noqa: S608


def _remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        with suppress(FileNotFoundError):
            path.with_name(path.name + suffix).unlink()


def _single_file(path: Path) -> None:
    """Leave the bundle as one file (no write-ahead log beside it), to send as it is."""
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("PRAGMA journal_mode=DELETE")


@dataclass(frozen=True)
class BundleCheck:
    """What verifying a bundle found."""

    verification: Verification
    checkpoint: Checkpoint
    problems: list[str]


@contextmanager
def _read_only(path: Path) -> Iterator[sqlite3.Connection]:
    if not path.is_file():
        raise InputError(f"{path}: no such bundle file")
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as error:
        raise InputError(f"{path}: cannot open: {error}") from None
    connection.row_factory = sqlite3.Row
    with closing(connection):
        yield connection


def _reader(connection: sqlite3.Connection) -> Transaction:
    @contextmanager
    def transaction(*, commit: bool = False) -> Iterator[Cursor]:
        assert not commit, "a bundle is verified read-only"
        with closing(connection.cursor()) as cursor:
            yield cursor

    return transaction


def _checkpoint(connection: sqlite3.Connection, path: Path) -> Checkpoint:
    try:
        rows = connection.execute(f"SELECT checkpoint FROM {CHECKPOINTS} ORDER BY position").fetchall()  # noqa: S608
    except sqlite3.DatabaseError as error:
        raise InputError(f"{path}: not a regledger bundle: {error}") from None
    if not rows:
        raise InputError(f"{path}: the bundle holds no checkpoint")
    return parse_checkpoint(rows[-1]["checkpoint"], f"{path}: checkpoint")


def verify_bundle(path: Path, trusted: bytes | None = None,
                  progress: Progress | None = None) -> BundleCheck:
    """Recompute the bundle's chain from its events, and check its checkpoint's signature and head against it;
    `progress` hears step "verify"."""
    with _read_only(path) as connection:
        checkpoint = _checkpoint(connection, path)
        store = ChainStore(_reader(connection), SQLITE)
        try:
            verification = verify_chain(store, progress, mark=checkpoint.size)
            problems = checkpoint_findings(store, verification, checkpoint, trusted)
            total = store.count_events()
        except sqlite3.DatabaseError as error:
            raise InputError(f"{path}: not a regledger bundle: {error}") from None
    if total != checkpoint.size:
        problems.append(f"the bundle holds {total} events; its checkpoint covers {checkpoint.size}: it was changed "
                        "after it was exported")
    return BundleCheck(verification, checkpoint, problems)
