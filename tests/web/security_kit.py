"""What the tests of the guarded writes share: the application over a store (FastAPI's TestClient, in process),
tokens made through the service, signing in as a browser does, and the ledger's size and chain head (what a refused
write must leave as it was)."""

from __future__ import annotations

import re
import warnings
from typing import Any

from regledger.adapters.services import tokens
from regledger.adapters.web.app import create_app
from regledger.adapters.web.config import WebConfig
from regledger.adapters.wiring import open_stores

with warnings.catch_warnings():  # starlette warns that TestClient's httpx is deprecated in favour of httpx2
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

__all__ = ["CSRF", "TestClient", "client", "csrf_of", "ledger_state", "make_token", "revoke", "sign_in"]

CSRF = re.compile(r'<input type="hidden" name="csrf_token" value="([^"]+)">')


def client(db: str, *, write: bool = True, upload_limit: int = 5 * 1024 * 1024, https: bool = False,
           secret: bytes | None = None) -> TestClient:
    """A client of the application over `db` (`regledger serve --db DB [--write] [--upload-limit N]`)."""
    app = create_app(WebConfig(db=db, write=write, upload_limit=upload_limit, session_secret=secret))
    return TestClient(app, base_url="https://testserver" if https else "http://testserver")


def make_token(db: str, label: str = "tests") -> tokens.NewToken:
    """A new token in the ledger at `db` (`regledger token create`)."""
    with open_stores(db, write=True) as stores:
        return tokens.create(stores, label)


def revoke(db: str, token_id: str) -> None:
    """Revoke a token (`regledger token revoke`)."""
    with open_stores(db, write=True) as stores:
        tokens.revoke(stores, token_id)


def ledger_state(db: str) -> tuple[int, Any]:
    """How many events the ledger holds and its chain's head: what a refused write leaves unchanged."""
    with open_stores(db, write=False) as stores:
        assert stores.chain is not None
        return stores.chain.count_events(), stores.chain.head()


def csrf_of(html: str) -> str:
    """The CSRF token of the first form on a page."""
    found = CSRF.search(html)
    assert found is not None, html
    return found.group(1)


def sign_in(web: TestClient, token: str) -> str:
    """Sign `web` in with `token` as a browser does (the form, its CSRF token); the CSRF token of the signed-in
    session's forms."""
    form = web.get("/signin")
    done = web.post("/signin", data={"token": token, "csrf_token": csrf_of(form.text)}, follow_redirects=False)
    assert done.status_code == 303, done.text
    return csrf_of(web.get("/record").text)
