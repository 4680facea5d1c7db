"""The one store setting: a file path or `sqlite:///…` (default `./regledger.db`), or a `postgresql://…` URL.

It comes from `--db`, else the `REGLEDGER_DB` environment variable, else the default, and becomes the
`eventsourcing` persistence environment. `?schema=NAME` on a PostgreSQL URL keeps the ledger in that schema
(created when missing), so that several ledgers, or tests, can share one database; a system schema
(`information_schema`, `pg_…`) is refused, and so is an empty one. Every problem with the setting is a StoreError
`--db: …`: a malformed URL, a port outside 1-65535, a control character anywhere in the setting.
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
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


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
    if value == "":
        raise StoreError("--db: the setting is empty: give a file path, sqlite:///PATH or postgresql://USER@HOST/DB")
    setting = value or os.environ.get(ENV_VAR) or DEFAULT_DB
    if _CONTROL.search(setting):
        raise StoreError(f"--db: {_hide_password(setting)!r}: the setting holds a control character")
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
    shown = repr(_hide_password(setting))
    try:
        url = urlsplit(setting)
        port = url.port
    except ValueError as error:  # `[::1`, a port that is no number or out of range
        raise StoreError(f"--db: {shown}: not a valid URL: {error}") from None
    if port == 0:
        raise StoreError(f"--db: {shown}: port 0 is not a port (1-65535)")
    dbname = unquote(url.path.lstrip("/"))
    if not dbname:
        raise StoreError(f"--db: {shown}: name the database (postgresql://USER@HOST/DB)")
    if any(_CONTROL.search(unquote(part or "")) for part in (url.username, url.password, url.path)):
        raise StoreError(f"--db: {shown}: the user, password or database name holds a control character")
    env = {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": dbname,
        "POSTGRES_HOST": url.hostname or "127.0.0.1",
        "POSTGRES_PORT": str(port or 5432),
        "POSTGRES_USER": unquote(url.username or "postgres"),
        "POSTGRES_PASSWORD": unquote(url.password or ""),
        "POSTGRES_POOL_SIZE": "2",
        "POSTGRES_CONNECT_TIMEOUT": "10",
        "POSTGRES_ENABLE_DB_FUNCTIONS": "n",  # the table lock keeps notification ids in commit order
        "APPLICATION_RECORDER_TOPIC": "regledger.adapters.store.pg_recorder:BulkPostgresApplicationRecorder",
    }
    schema = _schema(url.query)
    if schema is not None:
        env["POSTGRES_SCHEMA"] = schema
    return StoreSettings("postgres", env, _hide_password(setting))


def _schema(query_string: str) -> str | None:
    """The schema `?schema=NAME` asks for (None: not asked); StoreError for any other parameter, a schema given
    twice or empty, a name that is not a plain identifier, or a system schema."""
    query = parse_qs(query_string, keep_blank_values=True)
    unknown = set(query) - {"schema"}
    if unknown:
        names = ", ".join(repr(name) if _CONTROL.search(name) else name for name in sorted(unknown))
        raise StoreError(f"--db: unknown URL parameter(s) {names} (only schema=NAME)")
    if "schema" not in query:
        return None
    if len(query["schema"]) > 1:
        raise StoreError("--db: schema is given more than once: give it once (?schema=NAME)")
    schema = query["schema"][0]
    if not schema:
        raise StoreError("--db: schema is empty: name one (?schema=NAME), or leave the parameter out for public")
    if not _SCHEMA.match(schema):
        raise StoreError(f"--db: schema {schema!r} is not a plain identifier")
    if schema.lower() == "information_schema" or schema.lower().startswith("pg_"):
        raise StoreError(f"--db: schema {schema!r} is a PostgreSQL system schema: name a schema of your own")
    return schema


def _hide_password(setting: str) -> str:
    return re.sub(r"://([^:/@]+):[^@]*@", r"://\1:***@", setting)
