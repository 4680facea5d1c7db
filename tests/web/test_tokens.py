"""`regledger token create|list|revoke` and the token table (issue 18, item 4): a token is 256 random bits, shown
once, stored hashed in a table of its own outside the ledger's events, listed without its secret, revoked by id, and
checked in constant time; on both stores."""

from __future__ import annotations

import hashlib
import json
import re

import pytest

from regledger.adapters.services import tokens
from regledger.adapters.store.sql import sql_store
from regledger.adapters.store.tokens import TOKENS, TokenTable
from regledger.adapters.wiring import open_stores
from tests.conftest import listed as listed_action
from tests.web.security_kit import ledger_state

TOKEN = re.compile(r"^rlg_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$")


def _created(run_cli, db: str, *words: str) -> tuple[str, str]:
    """`regledger token create`: the token it printed and its id."""
    result = run_cli("token", "create", "--db", db, *words)
    assert result.code == 0, result
    token = result.out.strip()
    found = TOKEN.match(token)
    assert found is not None, result.out
    assert f"created token {found.group(1)}" in result.err
    assert "shown only once" in result.err
    return token, found.group(1)


def test_a_token_is_shown_once_and_stored_only_as_its_hash(run_cli, db) -> None:
    token, token_id = _created(run_cli, db, "--name", "ci bot")
    with open_stores(db, write=False) as stores:
        rows = TokenTable(sql_store(stores.ledger)).rows()
    assert [(row.token_id, row.label) for row in rows] == [(token_id, "ci bot")]
    assert rows[0].digest == hashlib.sha256(token.encode()).hexdigest()
    assert rows[0].revoked_at is None
    listed = run_cli("token", "list", "--db", db)
    assert listed.code == 0
    assert token_id in listed.out
    assert "ci bot" in listed.out
    assert "active" in listed.out
    secret = TOKEN.match(token).group(2)  # type: ignore[union-attr]
    as_json = run_cli("token", "list", "--db", db, "--format", "json")
    for output in (listed.out, as_json.out):
        assert secret not in output
        assert rows[0].digest not in output  # not even the hash is shown
    assert json.loads(as_json.out) == [{"token_id": token_id, "label": "ci bot",
                                        "created_at": rows[0].created_at.isoformat().replace("+00:00", "Z"),
                                        "revoked_at": None}]


def test_tokens_live_outside_the_ledgers_events(run_cli, db, write_timeline) -> None:
    assert run_cli("record", "--db", db, str(write_timeline([listed_action()]))).code == 0
    before = ledger_state(db)
    _created(run_cli, db)
    token_id = _created(run_cli, db)[1]
    assert run_cli("token", "revoke", "--db", db, token_id).code == 0
    assert ledger_state(db) == before  # no event, no chain row: the events and their chain are as they were
    assert run_cli("verify", "--db", db).code == 0
    log = run_cli("log", "--db", db, "--format", "json")
    assert token_id not in log.out


def test_each_token_is_new_random_and_256_bits(run_cli, sqlite_db) -> None:
    made = [_created(run_cli, sqlite_db) for _ in range(3)]
    assert len({token for token, _ in made}) == len({token_id for _, token_id in made}) == 3
    for token, _ in made:
        secret = TOKEN.match(token).group(2)  # type: ignore[union-attr]
        assert len(secret) == 43  # base64url of 32 bytes: 256 bits


def test_revoking_ends_a_token_by_its_id(run_cli, db) -> None:
    token, token_id = _created(run_cli, db)
    other, _other_id = _created(run_cli, db)
    with open_stores(db, write=False) as stores:
        assert tokens.authenticate(stores, token) is not None
    revoked = run_cli("token", "revoke", "--db", db, token_id)
    assert revoked.code == 0
    assert revoked.out.startswith(f"revoked token {token_id} at ")
    listed = run_cli("token", "list", "--db", db)
    line = next(line for line in listed.out.splitlines() if line.startswith(token_id))
    assert "revoked" in line
    with open_stores(db, write=False) as stores:
        found = tokens.authenticate(stores, token)
        assert found is not None
        assert found.revoked
        assert not tokens.active(stores, token_id)
        assert tokens.active(stores, _other_id)
        assert tokens.authenticate(stores, other) is not None
    again = run_cli("token", "revoke", "--db", db, token_id)  # revoking twice keeps the first time
    assert again.code == 0
    assert again.out == revoked.out


def test_a_wrong_secret_an_unknown_id_or_garbage_is_no_token(sqlite_db) -> None:
    with open_stores(sqlite_db, write=True) as stores:
        made = tokens.create(stores)
        token_id = made.info.token_id
        wrong_secret = made.token[:-1] + ("A" if made.token[-1] != "A" else "B")
        unknown_id = f"rlg_{'0' * 16}_{made.token.split('_', 2)[2]}"
        for candidate in (wrong_secret, unknown_id, "", "rlg", token_id, made.token + "x", made.token.upper()):
            assert tokens.authenticate(stores, candidate) is None, candidate
        assert tokens.authenticate(stores, made.token) is not None


def test_a_store_without_a_token_table_knows_no_token_and_reading_creates_none(run_cli, sqlite_db,
                                                                               write_timeline) -> None:
    assert run_cli("record", "--db", sqlite_db, str(write_timeline([listed_action()]))).code == 0
    listed = run_cli("token", "list", "--db", sqlite_db)
    assert listed.code == 0
    assert "no tokens" in listed.out
    with open_stores(sqlite_db, write=False) as stores:
        assert tokens.authenticate(stores, "rlg_0123456789abcdef_" + "A" * 43) is None
        store = sql_store(stores.ledger)
        assert store is not None
        with store.transaction(commit=False) as cursor:
            cursor.execute(store.dialect.table_exists(TOKENS))
            found = cursor.fetchone()
            assert found is None or not found["name"]


@pytest.mark.parametrize(("words", "message"), [
    (("revoke", "0123456789abcdef"), "TOKEN_ID: no token has the id 0123456789abcdef"),
    (("revoke", "not-an-id"), "TOKEN_ID: not-an-id is not a token id"),
    (("create", "--name", "two\nlines"), "--name: a line break (U+000A) at character 4"),
    (("create", "--name", "x" * 201), "--name: 201 characters; a token's label holds at most 200"),
])
def test_bad_input_is_one_line_and_changes_nothing(run_cli, sqlite_db, words, message) -> None:
    result = run_cli("token", *words[:1], "--db", sqlite_db, *words[1:])
    assert result.code == 1
    assert result.err.startswith(f"regledger: error: {message}"), result.err
    assert len(result.err.strip().splitlines()) == 1
    assert "no tokens" in run_cli("token", "list", "--db", sqlite_db).out
