"""The one store setting: a file path or `sqlite:///…` (default `./regledger.db`), or a `postgresql://…` URL.

It comes from `--db`, else the `REGLEDGER_DB` environment variable, else the default, and becomes the
`eventsourcing` persistence environment. `?schema=NAME` on a PostgreSQL URL keeps the ledger in that schema
(created when missing), so that several ledgers, or tests, can share one database.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from regledger.adapters.errors import StoreError

__all__ = ["DEFAULT_DB", "StoreSettings", "parse_store"]

DEFAULT_DB = "./regledger.db"
ENV_VAR = "REGLEDGER_DB"
_SCHEMA = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")


@dataclass(frozen=True)
class StoreSettings:
    """Where the ledger lives, as `eventsourcing` environment settings."""

    kind: str  # "sqlite" | "postgres" | "memory"
    env: dict[str, str]
    display: str  # the setting without any password

    @property
    def schema(self) -> str | None:
        """The PostgreSQL schema, when one was asked for."""
        return self.env.get("POSTGRES_SCHEMA")


def parse_store(value: str | None) -> StoreSettings:
    """Settings for `value` (or `REGLEDGER_DB`, or the default); StoreError names what is wrong."""
    setting = value or os.environ.get(ENV_VAR) or DEFAULT_DB
    if setting == "memory:":
        return StoreSettings("memory", {"PERSISTENCE_MODULE": "eventsourcing.popo"}, setting)
    if setting.startswith(("postgresql://", "postgres://")):
        return _postgres(setting)
    if "://" in setting and not setting.startswith("sqlite:///"):
        raise StoreError(f"--db: {setting!r}: use a file path, sqlite:///PATH or postgresql://USER@HOST/DB")
    path = setting.removeprefix("sqlite:///") if setting.startswith("sqlite:///") else setting
    if not path:
        raise StoreError("--db: the SQLite path is empty")
    env = {
        "PERSISTENCE_MODULE": "eventsourcing.sqlite",
        "SQLITE_DBNAME": str(Path(path)),
        "SQLITE_LOCK_TIMEOUT": "30",
    }
    return StoreSettings("sqlite", env, str(Path(path)))


def _postgres(setting: str) -> StoreSettings:
    url = urlsplit(setting)
    dbname = unquote(url.path.lstrip("/"))
    if not dbname:
        raise StoreError(f"--db: {_hide_password(setting)!r}: name the database (postgresql://USER@HOST/DB)")
    env = {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": dbname,
        "POSTGRES_HOST": url.hostname or "127.0.0.1",
        "POSTGRES_PORT": str(url.port or 5432),
        "POSTGRES_USER": unquote(url.username or "postgres"),
        "POSTGRES_PASSWORD": unquote(url.password or ""),
        "POSTGRES_POOL_SIZE": "2",
        "POSTGRES_CONNECT_TIMEOUT": "10",
        "POSTGRES_ENABLE_DB_FUNCTIONS": "n",  # the table lock keeps notification ids in commit order
        "APPLICATION_RECORDER_TOPIC": "regledger.adapters.store.pg_recorder:BulkPostgresApplicationRecorder",
    }
    query = parse_qs(url.query)
    unknown = set(query) - {"schema"}
    if unknown:
        raise StoreError(f"--db: unknown URL parameter(s) {', '.join(sorted(unknown))} (only schema=NAME)")
    if "schema" in query:
        schema = query["schema"][-1]
        if not _SCHEMA.match(schema):
            raise StoreError(f"--db: schema {schema!r} is not a plain identifier")
        env["POSTGRES_SCHEMA"] = schema
    return StoreSettings("postgres", env, _hide_password(setting))


def _hide_password(setting: str) -> str:
    return re.sub(r"://([^:/@]+):[^@]*@", r"://\1:***@", setting)
