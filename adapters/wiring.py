"""Wiring: the one place that reads the store setting and builds the ledger application."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from eventsourcing.persistence import PersistenceError

from .errors import StoreError
from .ledger import Ledger
from .settings import StoreSettings, parse_store

__all__ = ["open_ledger"]


@contextmanager
def open_ledger(db: str | None = None) -> Iterator[Ledger]:
    """The ledger at `db` (or `REGLEDGER_DB`, or `./regledger.db`), closed on exit."""
    settings = parse_store(db)
    if settings.kind == "postgres":
        _ensure_schema(settings)
    try:
        ledger = Ledger(env=settings.env)
    except (PersistenceError, OSError) as error:
        raise StoreError(f"cannot open the ledger at {settings.display}: {error}") from None
    try:
        yield ledger
    finally:
        ledger.close()


def _ensure_schema(settings: StoreSettings) -> None:
    """Connect once (to report an unreachable server clearly) and create the schema asked for."""
    import psycopg  # noqa: PLC0415 - only PostgreSQL stores need the driver loaded

    env = settings.env
    try:
        with psycopg.connect(
            dbname=env["POSTGRES_DBNAME"], host=env["POSTGRES_HOST"], port=env["POSTGRES_PORT"],
            user=env["POSTGRES_USER"], password=env["POSTGRES_PASSWORD"] or None,
            connect_timeout=int(env["POSTGRES_CONNECT_TIMEOUT"]), autocommit=True,
        ) as connection:
            if settings.schema:
                try:
                    connection.execute(f'CREATE SCHEMA IF NOT EXISTS "{settings.schema}"')
                except psycopg.errors.UniqueViolation:
                    pass  # another process created it at the same moment
    except psycopg.Error as error:
        message = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise StoreError(f"cannot reach PostgreSQL at {settings.display}: {message}") from None
