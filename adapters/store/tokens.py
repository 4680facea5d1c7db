"""The table of API tokens (`regledger token …`), kept beside the ledger's events but outside them: a token is an
access credential of one installation, not a fact about the law, so it is neither an event nor chained.

    regledger_tokens (token_id TEXT PRIMARY KEY, label TEXT, digest TEXT, created_at TEXT, revoked_at TEXT NULL)

`digest` is the SHA-256 of the whole token, in hex (see services.tokens for why a plain hash is enough); times are
RFC 3339 text in UTC, so the table reads the same on SQLite and PostgreSQL. Reading a store that has no token table
yet finds no token (and creates nothing); `create_table` is called only by the commands that write tokens.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from regledger.adapters.errors import StoreError
from regledger.adapters.store.sql import Cursor, SQLStore

__all__ = ["TOKENS", "TokenRow", "TokenTable"]

TOKENS: Final = "regledger_tokens"  # the table's name, beside the events
_LOCK: Final = 0x746F6B6E  # "tokn": serialises creating the table on PostgreSQL (its CREATE races in the catalogue)
_COLUMNS = "token_id, label, digest, created_at, revoked_at"


@dataclass(frozen=True)
class TokenRow:
    """One token as stored: never its secret, only the secret's digest."""

    token_id: str
    label: str
    digest: str  # SHA-256 of the token, lower-case hex
    created_at: datetime
    revoked_at: datetime | None


def _row(row: Any) -> TokenRow:
    revoked = row["revoked_at"]
    return TokenRow(row["token_id"], row["label"], row["digest"], datetime.fromisoformat(row["created_at"]),
                    datetime.fromisoformat(revoked) if revoked else None)


class TokenTable:
    """The token table of one SQL store, a transaction per call."""

    def __init__(self, store: SQLStore | None) -> None:
        if store is None:
            raise StoreError("this store keeps no tokens (it is in memory): use a SQLite file or PostgreSQL")
        self.store = store
        self.dialect = store.dialect
        self.name = self.dialect.table(TOKENS)

    def _sql(self, template: str) -> str:
        return self.dialect.sql(template, tokens=self.name)

    def _exists(self, cursor: Cursor) -> bool:
        cursor.execute(self.dialect.table_exists(TOKENS))
        found = cursor.fetchone()
        return bool(found and found["name"])

    def create_table(self) -> None:
        """Create the table where it is missing."""
        with self.store.transaction(commit=True) as cursor:
            if self.dialect.kind == "postgres":
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK,))
            cursor.execute(self._sql("CREATE TABLE IF NOT EXISTS {tokens} (token_id TEXT PRIMARY KEY, "
                                     "label TEXT NOT NULL, digest TEXT NOT NULL, created_at TEXT NOT NULL, "
                                     "revoked_at TEXT)"))

    def insert(self, row: TokenRow) -> None:
        """Store a new token (the table must exist: `create_table`)."""
        revoked = row.revoked_at.isoformat() if row.revoked_at else None
        with self.store.transaction(commit=True) as cursor:
            cursor.execute(self._sql(f"INSERT INTO {{tokens}} ({_COLUMNS}) VALUES (?, ?, ?, ?, ?)"),  # noqa: S608
                           (row.token_id, row.label, row.digest, row.created_at.isoformat(), revoked))

    def rows(self) -> list[TokenRow]:
        """Every token, oldest first (none when the table does not exist)."""
        with self.store.transaction(commit=False) as cursor:
            if not self._exists(cursor):
                return []
            cursor.execute(self._sql(f"SELECT {_COLUMNS} FROM {{tokens}} ORDER BY created_at, token_id"))  # noqa: S608
            return [_row(row) for row in cursor.fetchall()]

    def find(self, token_id: str) -> TokenRow | None:
        """The token `token_id`, if it is stored."""
        with self.store.transaction(commit=False) as cursor:
            if not self._exists(cursor):
                return None
            cursor.execute(self._sql(f"SELECT {_COLUMNS} FROM {{tokens}} WHERE token_id = ?"),  # noqa: S608
                           (token_id,))
            found = cursor.fetchone()
            return _row(found) if found else None

    def revoke(self, token_id: str, at: datetime) -> None:
        """Mark the token `token_id` revoked at `at`, unless it already is."""
        with self.store.transaction(commit=True) as cursor:
            if not self._exists(cursor):
                return
            cursor.execute(self._sql("UPDATE {tokens} SET revoked_at = ? WHERE token_id = ? "
                                     "AND revoked_at IS NULL"), (at.isoformat(), token_id))
