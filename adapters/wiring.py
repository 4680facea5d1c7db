"""The composition root: the one place that reads the store setting and builds what the services work on.

`open_stores(db, write=…)` builds, once, from the store setting: the ledger application (`Ledger`), the hash chain of
its events (`ChainStore`) and its read models (`ReadModels`), and hands them over as one typed `Stores`.

- **To write** (`write=True`: record, imports, project, rebuild, checkpoints): on PostgreSQL the schema is created
  when missing and every set-up — the library's tables, the chain table, the append-only guards, the read models'
  tables — runs under one advisory lock (`SET_UP_LOCK`), because concurrent CREATE statements collide in
  PostgreSQL's catalogue. The ledger is handed the keeper of its chain (`integrity.keeper`), with which its
  recorder chains every run's events in the transaction that stores them; its one `on_recorded` hook then brings
  the read models up to date before `record` returns.
- **To read** (`write=False`: as-of, diff, history, log, reports, verify, check-views): nothing is created,
  installed or locked, and no write transaction is opened, so a role with only SELECT rights can query, and a
  SQLite file with current read models is left byte for byte as it was. A ledger that does not exist yet is opened
  as for writing (created empty), as it always was. A ledger with a chain is handed its keeper here too: reads
  then leave out the rows the chain does not cover (rows regledger did not write).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext, suppress
from dataclasses import dataclass

from eventsourcing.persistence import PersistenceError

from regledger.adapters.errors import StoreError
from regledger.adapters.integrity.chain import ChainStore
from regledger.adapters.integrity.verify import chain_store, install_integrity, keeper_of
from regledger.adapters.readmodels.lifecycle import ReadModels, bring_up_to_date, views_of
from regledger.adapters.store.ledger import Ledger
from regledger.adapters.store.opening import ledger_exists, ledger_on, opening, postgres_connection, refusal
from regledger.adapters.store.settings import StoreSettings, parse_store

__all__ = ["SET_UP_LOCK", "Stores", "open_ledger", "open_stores"]

SET_UP_LOCK = 0x7265676C  # "regl": serialises table creation by processes opening a new PostgreSQL ledger


@dataclass(frozen=True)
class Stores:
    """What the services work on, built once from the store setting."""

    settings: StoreSettings
    ledger: Ledger
    chain: ChainStore | None  # None: a store that keeps no chain (in memory)
    views: ReadModels | None  # None: a store that keeps no read models (in memory); installed or not
    writable: bool


@contextmanager
def open_stores(db: str | None = None, *, write: bool = True) -> Iterator[Stores]:
    """The stores of the ledger at `db` (or `REGLEDGER_DB`, or `./regledger.db`), closed on exit."""
    settings = parse_store(db)
    if not write and not ledger_exists(settings):
        write = True  # a ledger nobody has written yet: create it empty, as every command always did
    with opening(settings):
        stores = _for_writing(settings) if write else _for_reading(settings)
    try:
        yield stores
    finally:
        stores.ledger.close()


@contextmanager
def open_ledger(db: str | None = None, *, write: bool = True) -> Iterator[Ledger]:
    """The ledger application alone (see `open_stores`)."""
    with open_stores(db, write=write) as stores:
        yield stores.ledger


def _for_writing(settings: StoreSettings) -> Stores:
    guard: AbstractContextManager[None] = _postgres_set_up(settings) if settings.kind == "postgres" else nullcontext()
    with guard:
        ledger = ledger_on(settings, write=True)
        chain = _chain(ledger)
        if chain is not None:
            install_integrity(chain)
            ledger.keep_chain(keeper_of(chain))
        views = views_of(ledger, SET_UP_LOCK)
    ledger.on_recorded = _AfterRecord(views, ledger)
    return Stores(settings, ledger, chain, views, writable=True)


def _for_reading(settings: StoreSettings) -> Stores:
    ledger = ledger_on(settings, write=False)
    chain = _chain(ledger)
    if chain is not None and chain.has_chain_table():
        ledger.keep_chain(keeper_of(chain))
    return Stores(settings, ledger, chain, views_of(ledger, SET_UP_LOCK), writable=False)


def _chain(ledger: Ledger) -> ChainStore | None:
    try:
        return chain_store(ledger)
    except StoreError:
        return None  # an in-memory ledger: nothing to protect or prove


@dataclass(frozen=True)
class _AfterRecord:
    """The ledger's one `on_recorded` hook: the read models brought up to date (the chain is written with the
    events themselves)."""

    views: ReadModels | None
    ledger: Ledger

    def __call__(self) -> None:
        if self.views is None:
            return
        try:
            bring_up_to_date(self.ledger, self.views)
        except PersistenceError as error:
            raise StoreError(f"the actions were recorded, but the read models could not be brought up to date "
                             f"({error}); `regledger project` or the next `regledger record` does it") from None


@contextmanager
def _postgres_set_up(settings: StoreSettings) -> Iterator[None]:
    """Reach the server (reporting failure clearly), create the schema asked for, and hold the set-up lock while
    the ledger creates its tables: the library's CREATE TYPE/TABLE collide when two processes start together."""
    import psycopg  # noqa: PLC0415 - only PostgreSQL stores need the driver loaded

    with postgres_connection(settings) as connection:
        connection.execute("SELECT pg_advisory_lock(%s)", (SET_UP_LOCK,))
        if settings.schema:
            try:
                with suppress(psycopg.errors.UniqueViolation):
                    connection.execute(f'CREATE SCHEMA IF NOT EXISTS "{settings.schema}"')
            except psycopg.Error as error:
                raise refusal(settings, error) from None
        try:
            yield
        finally:
            connection.execute("SELECT pg_advisory_unlock(%s)", (SET_UP_LOCK,))
