"""The store: the ledger application (`ledger`), how its events are stored (`mapper`, and the recorders that write
each run's chain rows in the run's own transaction: `sqlite_recorder`, `pg_recorder`), the store setting
(`settings`), opening a ledger to write or to read (`opening`), and where a ledger's events live and how its SQL is
spelled (`sql`: the one place that tells SQLite from PostgreSQL)."""

from regledger.adapters.store.ledger import Ledger, Located, RecordResult, StoredAction
from regledger.adapters.store.opening import ledger_exists, ledger_on, opening
from regledger.adapters.store.settings import StoreSettings, parse_store
from regledger.adapters.store.sql import Cursor, Dialect, PostgresStore, SQLiteStore, SQLStore, Transaction, sql_store

__all__ = [
    "Cursor",
    "Dialect",
    "Ledger",
    "Located",
    "PostgresStore",
    "RecordResult",
    "SQLStore",
    "SQLiteStore",
    "StoreSettings",
    "StoredAction",
    "Transaction",
    "ledger_exists",
    "ledger_on",
    "opening",
    "parse_store",
    "sql_store",
]
