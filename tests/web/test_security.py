"""The security layer (issue 18, item 4): headers on every response, the session cookie's attributes, CSRF on every
form that writes, sessions that end with their token, and no inline script or style in any page's template."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from regledger.adapters.web.security import CSP, SESSION_SECONDS
from tests.conftest import EXAMPLE, ROOT, listed
from tests.web.security_kit import client, csrf_of, ledger_state, make_token, revoke, sign_in
from tests.web.web_kit import bundled

__all__ = ["bundled"]  # the fixture (the bundled case, recorded once per session), imported for pytest to find

TEMPLATES = ROOT / "templates" / "web"
ONE = yaml.safe_dump([listed()]).encode()  # a timeline of one action
EXPECTED = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
}


@pytest.mark.parametrize("path", [
    "/", "/as-of/2020-08-31", "/parties/huawei", "/signin", "/record", "/log", "/static/web.css",
    "/api/v1/as-of/2020-08-31", "/api/v1/openapi.json", "/no-such-page", "/api/v1/as-of/2019-02-30",
])
def test_every_response_carries_the_security_headers(bundled, path) -> None:
    response = client(bundled, write=False).get(path)
    for name, value in EXPECTED.items():
        assert response.headers.get(name) == value, (path, response.status_code, name)
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert "'unsafe-inline'" not in response.headers["content-security-policy"]


def test_refusals_carry_the_headers_too(bundled) -> None:
    web = client(bundled, upload_limit=10)
    for response in (web.post("/api/v1/record", content=b"x" * 100, headers={"Authorization": "Bearer x"}),
                     web.post("/api/v1/record", content=b"[]"), client(bundled, write=False).post("/record")):
        assert response.status_code in {401, 403, 413}
        assert response.headers["content-security-policy"] == CSP
        assert response.json()["error"] if response.headers["content-type"].startswith("application/json") else True


def test_no_template_has_an_inline_script_style_or_handler() -> None:
    inline = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle\s*=|\son[a-z]+\s*=|javascript:", re.I)
    outside = re.compile(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", re.I)
    pages = sorted(TEMPLATES.glob("*.html"))
    assert pages, TEMPLATES
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert not inline.search(text), (page.name, inline.search(text))
        assert not outside.search(text), (page.name, outside.search(text))  # nothing fetched from elsewhere


def test_the_interactive_docs_are_not_served_from_a_cdn(bundled) -> None:
    web = client(bundled, write=False)
    for path in ("/docs", "/redoc"):
        response = web.get(path)
        assert response.status_code == 404 or "cdn" not in response.text.lower()
    assert "cdn" not in web.get("/api/v1/openapi.json").text.lower()


@pytest.mark.parametrize("https", [False, True])
def test_the_session_cookie_is_httponly_samesite_strict_and_secure_on_https(sqlite_db, https) -> None:
    made = make_token(sqlite_db)
    web = client(sqlite_db, https=https)
    form = web.get("/signin")
    done = web.post("/signin", data={"token": made.token, "csrf_token": csrf_of(form.text)}, follow_redirects=False)
    for cookie in (form.headers["set-cookie"], done.headers["set-cookie"]):
        attributes = [part.strip().lower() for part in cookie.split(";")]
        assert attributes[0].startswith("regledger_session=")
        assert "httponly" in attributes
        assert "samesite=strict" in attributes
        assert "path=/" in attributes
        assert ("secure" in attributes) == https
        assert f"max-age={SESSION_SECONDS}" in attributes
        assert made.token not in cookie
        assert made.token.split("_", 2)[2] not in cookie  # the secret (which may itself hold `_`)
    assert form.headers["cache-control"] == "no-store"
    assert form.headers["set-cookie"].split(";")[0] != done.headers["set-cookie"].split(";")[0]  # a new session


def test_signing_in_with_a_wrong_or_revoked_token_is_refused(sqlite_db) -> None:
    made = make_token(sqlite_db)
    web = client(sqlite_db)
    form = web.get("/signin")
    wrong = web.post("/signin", data={"token": "rlg_0123456789abcdef_" + "A" * 43, "csrf_token": csrf_of(form.text)})
    assert wrong.status_code == 401
    assert "the token is not one this ledger knows" in wrong.text
    revoke(sqlite_db, made.info.token_id)
    revoked = web.post("/signin", data={"token": made.token, "csrf_token": csrf_of(form.text)})
    assert revoked.status_code == 401
    assert f"the token {made.info.token_id} was revoked" in revoked.text
    assert "sign in</a> first" in web.get("/record").text


CSRF_CASES = {
    "missing": lambda csrf, other: {},
    "empty": lambda csrf, other: {"csrf_token": ""},
    "wrong": lambda csrf, other: {"csrf_token": csrf[:-2] + ("AA" if csrf[-2:] != "AA" else "BB")},
    "another session's": lambda csrf, other: {"csrf_token": other},
}


@pytest.mark.parametrize("case", CSRF_CASES)
def test_a_form_without_its_sessions_csrf_token_is_403_and_writes_nothing(sqlite_db, case) -> None:
    made = make_token(sqlite_db)
    web, other = client(sqlite_db), client(sqlite_db)
    csrf = sign_in(web, made.token)
    other_csrf = sign_in(other, made.token)
    fields = CSRF_CASES[case](csrf, other_csrf)
    before = ledger_state(sqlite_db)
    upload = web.post("/record", data=fields, files={"file": ("one.yaml", ONE)})
    assert upload.status_code == 403
    assert "CSRF token is missing or wrong" in upload.text
    as_api = web.post("/api/v1/record", content=ONE,
                      headers={"X-CSRF-Token": fields["csrf_token"]} if fields else {})
    assert as_api.status_code == 403
    assert as_api.json()["error"].startswith("the form's CSRF token is missing")
    assert web.post("/signout", data=fields, follow_redirects=False).status_code == 403
    assert "Signed in with token" in web.get("/record").text  # still signed in
    signin = client(sqlite_db)
    signin.get("/signin")
    refused = signin.post("/signin", data={"token": made.token, **fields}, follow_redirects=False)
    assert refused.status_code == 403
    assert ledger_state(sqlite_db) == before
    # with its own token the same requests go through
    assert web.post("/api/v1/record", content=ONE, headers={"X-CSRF-Token": csrf}).status_code == 200


def test_a_session_ends_when_its_token_is_revoked(sqlite_db) -> None:
    made = make_token(sqlite_db)
    web = client(sqlite_db)
    csrf = sign_in(web, made.token)
    revoke(sqlite_db, made.info.token_id)
    before = ledger_state(sqlite_db)
    refused = web.post("/record", data={"csrf_token": csrf}, files={"file": ("huawei.yaml", EXAMPLE.read_bytes())})
    assert refused.status_code == 401
    assert f"the token {made.info.token_id} this session signed in with was revoked" in refused.text
    assert ledger_state(sqlite_db) == before


def test_a_forged_or_old_cookie_is_no_session(sqlite_db, monkeypatch) -> None:
    made = make_token(sqlite_db)
    web = client(sqlite_db)
    csrf = sign_in(web, made.token)
    cookie = web.cookies["regledger_session"]
    sid, token_id, issued, mac = cookie.split(".")
    for forged in (f"{sid}.{token_id}.{int(issued) + 1}.{mac}", f"{sid}x.{token_id}.{issued}.{mac}",
                   f"{sid}.-.{issued}.{mac}", f"{sid}.{token_id}.{issued}", "garbage"):
        other = client(sqlite_db)
        other.cookies.set("regledger_session", forged)
        refused = other.post("/api/v1/record", content=EXAMPLE.read_bytes(), headers={"X-CSRF-Token": csrf})
        assert refused.status_code == 401, forged
    # a cookie signed under another secret (another server) is no session either
    elsewhere = client(sqlite_db, secret=b"another server's secret")
    elsewhere.cookies.set("regledger_session", cookie)
    assert elsewhere.post("/api/v1/record", content=b"[]", headers={"X-CSRF-Token": csrf}).status_code == 401
    # a session older than SESSION_SECONDS has ended
    import time  # noqa: PLC0415

    later = time.time() + SESSION_SECONDS + 1
    monkeypatch.setattr("regledger.adapters.web.security.time.time", lambda: later)
    assert web.post("/api/v1/record", content=b"[]", headers={"X-CSRF-Token": csrf}).status_code == 401


def test_signing_out_ends_the_session(sqlite_db) -> None:
    made = make_token(sqlite_db)
    web = client(sqlite_db)
    csrf = sign_in(web, made.token)
    done = web.post("/signout", data={"csrf_token": csrf}, follow_redirects=False)
    assert done.status_code == 303
    assert "max-age=0" in done.headers["set-cookie"].lower()
    assert "sign in</a> first" in web.get("/record").text
    assert web.post("/api/v1/record", content=b"[]", headers={"X-CSRF-Token": csrf}).status_code == 401


def test_every_form_that_writes_carries_a_csrf_token(sqlite_db) -> None:
    made = make_token(sqlite_db)
    web = client(sqlite_db)
    sign_in(web, made.token)
    forms = 0
    for path in ("/signin", "/record"):
        page = web.get(path).text
        for form in re.findall(r'<form method="post".*?</form>', page, re.S):
            forms += 1
            assert 'name="csrf_token"' in form, (path, form)
    assert forms >= 3  # /signin's sign-out form, /record's upload and sign-out forms


def _templates_with_post_forms() -> list[Path]:
    return [page for page in sorted(TEMPLATES.glob("*.html"))
            if re.search(r'<form[^>]*method="post"', page.read_text(encoding="utf-8"), re.I)]


@pytest.mark.parametrize("page", _templates_with_post_forms(), ids=lambda page: page.name)
def test_every_template_form_that_posts_has_the_csrf_field(page) -> None:
    text = page.read_text(encoding="utf-8")
    for form in re.findall(r"<form[^>]*method=\"post\".*?</form>", text, re.S | re.I):
        assert "{{ csrf_field() }}" in form, (page.name, form)


def test_even_an_internal_error_carries_the_headers(sqlite_db) -> None:
    web = client(sqlite_db)
    app = web.app

    def boom() -> None:
        raise RuntimeError("boom")

    app.add_api_route("/boom-for-test", boom)  # type: ignore[attr-defined]
    web = type(web)(app, raise_server_exceptions=False)
    response = web.get("/boom-for-test")
    assert response.status_code == 500
    for name, value in EXPECTED.items():
        assert response.headers.get(name) == value
