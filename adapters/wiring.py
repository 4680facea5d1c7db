"""Wiring: the one place that reads the store setting and builds the ledger application."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext, suppress

from eventsourcing.persistence import PersistenceError

from regledger.adapters.errors import StoreError
from regledger.adapters.integrity.verify import attach_integrity
from regledger.adapters.readmodels.lifecycle import attach_views
from regledger.adapters.store.ledger import Ledger
from regledger.adapters.store.settings import StoreSettings, parse_store

__all__ = ["open_ledger"]

_SET_UP_LOCK = 0x7265676C  # "regl": serialises table creation by processes opening a new PostgreSQL ledger


@contextmanager
def open_ledger(db: str | None = None) -> Iterator[Ledger]:
    """The ledger at `db` (or `REGLEDGER_DB`, or `./regledger.db`), closed on exit."""
    settings = parse_store(db)
    guard: AbstractContextManager[None] = _postgres_set_up(settings) if settings.kind == "postgres" else nullcontext()
    try:
        with guard:
            ledger = Ledger(env=settings.env)
            attach_integrity(ledger)  # chain and append-only guards, installed under the set-up lock
            attach_views(ledger, _SET_UP_LOCK)  # record also brings the read models up to date (after the chain)
    except (PersistenceError, OSError) as error:
        raise StoreError(f"cannot open the ledger at {settings.display}: {error}") from None
    try:
        yield ledger
    finally:
        ledger.close()


@contextmanager
def _postgres_set_up(settings: StoreSettings) -> Iterator[None]:
    """Reach the server (reporting failure clearly), create the schema asked for, and hold an advisory lock while
    the ledger creates its tables: the library's CREATE TYPE/TABLE collide when two processes start together."""
    import psycopg  # noqa: PLC0415 - only PostgreSQL stores need the driver loaded

    env = settings.env
    try:
        connection = psycopg.connect(
            dbname=env["POSTGRES_DBNAME"], host=env["POSTGRES_HOST"], port=env["POSTGRES_PORT"],
            user=env["POSTGRES_USER"], password=env["POSTGRES_PASSWORD"] or None,
            connect_timeout=int(env["POSTGRES_CONNECT_TIMEOUT"]), autocommit=True,
        )
    except psycopg.Error as error:
        message = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise StoreError(f"cannot reach PostgreSQL at {settings.display}: {message}") from None
    with connection:
        connection.execute("SELECT pg_advisory_lock(%s)", (_SET_UP_LOCK,))
        if settings.schema:
            with suppress(psycopg.errors.UniqueViolation):
                connection.execute(f'CREATE SCHEMA IF NOT EXISTS "{settings.schema}"')
        try:
            yield
        finally:
            connection.execute("SELECT pg_advisory_unlock(%s)", (_SET_UP_LOCK,))
