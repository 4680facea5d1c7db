"""API tokens: the bearer credentials that writes over HTTP need (`regledger token create|list|revoke`).

A token reads `rlg_<id>_<secret>`: `id` is 16 hex digits, public (listed, revoked by it); `secret` is 256 random bits
(`secrets.token_urlsafe(32)`). The token is shown once, when it is created; the store keeps only the SHA-256 of the
whole token (store.tokens). A plain hash, rather than a slow password hash (scrypt, argon2), is enough here because
the secret is 256 bits drawn by the operating system's generator, not something a person chose: nobody can guess it
from its hash by trying candidates, so a slow hash would only slow down every request. Checking a token looks it up
by its id and compares the digests in constant time (`hmac.compare_digest`), so how long a check takes says nothing
about how much of a guessed secret was right.

`create` and `revoke` write (`WRITES`); `authenticate`, `active` and `listed` only read (`READS`), and find no token
in a store that has no token table yet.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Final

from regledger.adapters.errors import InputError, shown
from regledger.adapters.store.sql import sql_store
from regledger.adapters.store.tokens import TokenRow, TokenTable
from regledger.adapters.wiring import Stores
from regledger.domain.values import text_problem

__all__ = [
    "MAX_LABEL",
    "READS",
    "WRITES",
    "NewToken",
    "TokenInfo",
    "active",
    "authenticate",
    "create",
    "digest_of",
    "listed",
    "revoke",
]

WRITES: Final = True
READS: Final = False
MAX_LABEL: Final = 200  # characters of a token's label
_PREFIX: Final = "rlg"
_ID = re.compile(r"[0-9a-f]{16}")
_TOKEN = re.compile(r"rlg_([0-9a-f]{16})_([A-Za-z0-9_-]{43})")
_NO_DIGEST: Final = "0" * 64  # compared against when no token has the id asked for, so that the time is the same


@dataclass(frozen=True)
class TokenInfo:
    """A token as `token list` shows it: never its secret."""

    token_id: str
    label: str
    created_at: datetime
    revoked_at: datetime | None

    @property
    def revoked(self) -> bool:
        """Whether the token was revoked."""
        return self.revoked_at is not None


@dataclass(frozen=True)
class NewToken:
    """A token just created: `token` is the secret, shown this once and stored nowhere."""

    info: TokenInfo
    token: str


def digest_of(token: str) -> str:
    """The SHA-256 of `token`, lower-case hex: what the store keeps."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def _table(stores: Stores) -> TokenTable:
    return TokenTable(sql_store(stores.ledger))


def _info(row: TokenRow) -> TokenInfo:
    return TokenInfo(row.token_id, row.label, row.created_at, row.revoked_at)


def _label(label: str | None) -> str:
    """The label given, checked: one line of at most MAX_LABEL characters; InputError naming `--name` otherwise."""
    if label is None:
        return ""
    problem = text_problem(label)
    if problem is not None:
        raise InputError(f"--name: {problem}")
    if len(label) > MAX_LABEL:
        raise InputError(f"--name: {len(label)} characters; a token's label holds at most {MAX_LABEL}")
    return label


def create(stores: Stores, label: str | None = None, now: datetime | None = None) -> NewToken:
    """A new token, stored hashed under a new id; its secret is in the answer only."""
    named = _label(label)
    table = _table(stores)
    table.create_table()
    token_id = secrets.token_hex(8)
    token = f"{_PREFIX}_{token_id}_{secrets.token_urlsafe(32)}"
    row = TokenRow(token_id, named, digest_of(token), now or datetime.now(UTC), None)
    table.insert(row)
    return NewToken(_info(row), token)


def listed(stores: Stores) -> list[TokenInfo]:
    """Every token (revoked ones too), oldest first, without secrets."""
    return [_info(row) for row in _table(stores).rows()]


def revoke(stores: Stores, token_id: str, now: datetime | None = None) -> TokenInfo:
    """Revoke the token `token_id` (a token already revoked stays revoked when it was); InputError when there is
    no such token."""
    if not _ID.fullmatch(token_id):
        raise InputError(f"TOKEN_ID: {shown(token_id)} is not a token id (16 hex digits, as `regledger token list` "
                         "shows them)")
    table = _table(stores)
    if table.find(token_id) is None:
        raise InputError(f"TOKEN_ID: no token has the id {token_id} (`regledger token list` shows them)")
    table.revoke(token_id, now or datetime.now(UTC))
    found = table.find(token_id)
    assert found is not None  # a token is never deleted
    return _info(found)


def authenticate(stores: Stores, token: str) -> TokenInfo | None:
    """The token `token` is, when it is stored and its digest matches (compared in constant time), revoked or
    not; None for anything else."""
    parts = _TOKEN.fullmatch(token)
    row = _table(stores).find(parts.group(1)) if parts else None
    expected = row.digest if row is not None else _NO_DIGEST
    matches = hmac.compare_digest(expected.encode(), digest_of(token).encode())
    return _info(row) if row is not None and matches else None


def active(stores: Stores, token_id: str) -> bool:
    """Whether the token `token_id` is stored and not revoked (a signed-in session holds the id, not the token)."""
    row = _table(stores).find(token_id) if _ID.fullmatch(token_id) else None
    return row is not None and row.revoked_at is None
