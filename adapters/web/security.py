"""Security of the web application (docs/web.md, "Tokens and security"): what guards every write, and the headers
every response carries.

- **Headers** (`SecurityHeaders`, on every response, pages, API, static files and errors alike): a
  Content-Security-Policy that allows scripts, styles and images from this server only (no inline script or style
  anywhere, no frames, forms posting here only), `X-Content-Type-Options: nosniff`, `Referrer-Policy: no-referrer`,
  `X-Frame-Options: DENY` (for browsers older than `frame-ancestors`) and `Cross-Origin-Opener-Policy`.
- **The upload limit** (`UploadLimit`): a request body larger than `WebConfig.upload_limit` is refused with 413, at
  once when its Content-Length says so, else as soon as the bytes read pass the limit; the endpoints read the whole
  body before they open the store, so nothing of a refused upload is stored.
- **Sessions**: signing in at /signin with a token sets the cookie `regledger_session` (HttpOnly, SameSite=Strict,
  Secure on https, Path=/): `SID.TOKEN_ID.ISSUED.MAC`, where MAC is an HMAC-SHA256 of the rest under a key derived
  from `WebConfig.session_secret` (random per process when none is configured, so sessions end when it restarts).
  A session lasts `SESSION_SECONDS`; it holds the token's id, never the token, and is refused as soon as the token
  is revoked. A visitor who has not signed in gets an anonymous session (no token id) the first time a form is
  rendered for them, so that the sign-in form has a CSRF token too.
- **CSRF**: every form that writes carries `csrf_token` (the jinja global `csrf_field()`), an HMAC of the session's
  id under a second derived key: bound to the session, checked in constant time. Scripts may send it as the header
  `X-CSRF-Token` instead. Bearer-token requests need none (a browser never adds an Authorization header by itself).
- **`require_writer`**, the dependency of every write: 403 when the server was not started with `--write`; then a
  bearer token (`Authorization: Bearer TOKEN`, checked against the token table) or a signed-in session with its CSRF
  token; 401 without either, 403 with a missing or wrong CSRF token. Each refusal is one line.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any, Final

import jinja2
from fastapi import FastAPI, HTTPException, Request
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders

from regledger.adapters.services import tokens
from regledger.adapters.web.config import WebConfig
from regledger.adapters.wiring import open_stores

__all__ = [
    "COOKIE",
    "CSP",
    "CSRF_FIELD",
    "CSRF_HEADER",
    "SECURITY_HEADERS",
    "SESSION_SECONDS",
    "SecurityHeaders",
    "Session",
    "TooLarge",
    "UploadLimit",
    "Writer",
    "check_csrf",
    "csrf_token",
    "end_session",
    "install",
    "require_writer",
    "session_of",
    "start_session",
]

CSP: Final = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; "
              "form-action 'self'; base-uri 'none'")
SECURITY_HEADERS: Final = (
    ("content-security-policy", CSP),
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "no-referrer"),
    ("x-frame-options", "DENY"),
    ("cross-origin-opener-policy", "same-origin"),
)
COOKIE: Final = "regledger_session"
CSRF_FIELD: Final = "csrf_token"
CSRF_HEADER: Final = "x-csrf-token"
SESSION_SECONDS: Final = 12 * 3600  # a signed-in session lasts a working day
_NEW_COOKIE: Final = "regledger.set_cookie"  # where a request leaves the session cookie to set on its response
_SESSION: Final = "regledger.session"  # where a request keeps the session it found or started
READ_ONLY: Final = ("this server is read-only: writes need it started with `regledger serve --write` (and a token "
                    "from `regledger token create`)")
NO_CREDENTIALS: Final = ("writing needs a token: send `Authorization: Bearer TOKEN` (`regledger token create` makes "
                         "one), or sign in at /signin")
BAD_CSRF: Final = "the form's CSRF token is missing or wrong: reload the page and send the form again"

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


# --- headers ------------------------------------------------------------------------------------------------------

class SecurityHeaders:
    """ASGI middleware: the security headers on every HTTP response (a header the response set itself is kept), and
    the session cookie a request started (`_NEW_COOKIE`)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on, adding the headers to its response's start."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        started = False

        async def with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS:
                    if name not in headers:
                        headers.append(name, value)
                cookie = scope.get(_NEW_COOKIE)
                if cookie is not None:
                    headers.append("set-cookie", cookie)
                    headers["cache-control"] = "no-store"  # a response that sets a session is never cached
            await send(message)

        try:
            await self.app(scope, receive, with_headers)
        except Exception:
            if not started:  # the server's own 500 (outside every middleware) would carry none of the headers
                await with_headers({"type": "http.response.start", "status": 500,
                                    "headers": [(b"content-type", b"application/json")]})
                await send({"type": "http.response.body", "body": b'{"error": "internal error"}'})
            raise


# --- the upload limit ---------------------------------------------------------------------------------------------

class TooLarge(HTTPException):
    """A request body beyond the upload limit (413)."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"request body: larger than the upload limit of {limit:,} bytes (`regledger serve "
                              "--upload-limit BYTES` sets it); nothing was stored")


class UploadLimit:
    """ASGI middleware: a request whose body passes `limit` bytes is refused with `TooLarge` (413), raised as the
    application reads the body (before it can store anything), at its first read when Content-Length already
    says so. The application's own exception handler answers it."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on, counting the bytes of its body as they are read."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        too_large = declared is not None and declared.isdigit() and int(declared) > self.limit
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            if too_large:
                raise TooLarge(self.limit)
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise TooLarge(self.limit)
            return message

        await self.app(scope, counted, send)


# --- sessions and CSRF --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Session:
    """A browser's session: its random id, the id of the token it signed in with (None: not signed in), when it
    was issued (seconds since the epoch)."""

    sid: str
    token_id: str | None
    issued: int

    @property
    def signed_in(self) -> bool:
        """Whether the session signed in with a token."""
        return self.token_id is not None


def _keys(request: Request) -> tuple[bytes, bytes]:
    """The keys that sign session cookies and CSRF tokens (derived from the configured secret)."""
    keys: tuple[bytes, bytes] = request.app.state.security_keys
    return keys


def _mac(key: bytes, text: str) -> str:
    return base64.urlsafe_b64encode(hmac.new(key, text.encode(), hashlib.sha256).digest()).decode().rstrip("=")


def _cookie_value(request: Request, session: Session) -> str:
    payload = f"{session.sid}.{session.token_id or '-'}.{session.issued}"
    return f"{payload}.{_mac(_keys(request)[0], payload)}"


def _read_cookie(request: Request, value: str) -> Session | None:
    """The session a cookie holds, when its MAC is right and it has not expired; None otherwise."""
    payload, _, mac = value.rpartition(".")
    if not payload or not hmac.compare_digest(mac.encode(), _mac(_keys(request)[0], payload).encode()):
        return None
    parts = payload.split(".")
    if len(parts) != 3 or not parts[0] or not parts[2].isdigit():
        return None
    sid, signed_in, issued = parts
    session = Session(sid, signed_in if signed_in != "-" else None, int(issued))
    return session if time.time() - session.issued < SESSION_SECONDS else None


def session_of(request: Request) -> Session | None:
    """The request's session: the one it started, else its valid cookie's, else None."""
    started = request.scope.get(_SESSION)
    if isinstance(started, Session):
        return started
    value = request.cookies.get(COOKIE)
    return _read_cookie(request, value) if value else None


def _set_cookie(request: Request, value: str, max_age: int) -> None:
    secure = "; Secure" if request.url.scheme == "https" else ""
    request.scope[_NEW_COOKIE] = (f"{COOKIE}={value}; Max-Age={max_age}; Path=/; HttpOnly; SameSite=Strict"
                                  f"{secure}")


def start_session(request: Request, token_id: str | None) -> Session:
    """A new session (a new id: one chosen before signing in is never kept after it), its cookie set on the
    response."""
    session = Session(secrets.token_urlsafe(18), token_id, int(time.time()))
    request.scope[_SESSION] = session
    _set_cookie(request, _cookie_value(request, session), SESSION_SECONDS)
    return session


def end_session(request: Request) -> None:
    """Sign out: the cookie is cleared on the response."""
    request.scope.pop(_SESSION, None)
    _set_cookie(request, "", 0)


def _session_for_form(request: Request) -> Session:
    """The session a form is rendered in: the request's own, else a new anonymous one."""
    return session_of(request) or start_session(request, None)


def csrf_token(request: Request, session: Session | None = None) -> str:
    """The CSRF token of the request's session (one is started when there is none)."""
    return _mac(_keys(request)[1], (session or _session_for_form(request)).sid)


@jinja2.pass_context
def _csrf_field(context: jinja2.runtime.Context) -> Markup:
    """The hidden form field holding the CSRF token (the jinja global `csrf_field()`)."""
    request = context["request"]
    return Markup('<input type="hidden" name="{}" value="{}">').format(CSRF_FIELD, csrf_token(request))


async def check_csrf(request: Request, session: Session | None = None) -> None:
    """Refuse (403) a request whose CSRF token (the header, else the form field) is not its session's."""
    found = session or session_of(request)
    given = request.headers.get(CSRF_HEADER)
    if given is None and request.headers.get("content-type", "").startswith(
            ("application/x-www-form-urlencoded", "multipart/form-data")):
        value = (await request.form()).get(CSRF_FIELD)
        given = value if isinstance(value, str) else None
    if found is None or given is None or not hmac.compare_digest(given.encode(), csrf_token(request, found).encode()):
        raise HTTPException(403, BAD_CSRF)


# --- who may write ------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Writer:
    """Who is writing: the id of their token, and how it came (`token`: a bearer token; `session`: signed in)."""

    token_id: str
    via: str


def _config(request: Request) -> WebConfig:
    config: WebConfig = request.app.state.config
    return config


def _authenticated(db: str | None, token: str) -> tokens.TokenInfo | None:
    with open_stores(db, write=tokens.READS) as stores:
        return tokens.authenticate(stores, token)


def _active(db: str | None, token_id: str) -> bool:
    with open_stores(db, write=tokens.READS) as stores:
        return tokens.active(stores, token_id)


async def token_of(request: Request, token: str) -> tokens.TokenInfo:
    """The stored token `token` is, not revoked; 401 otherwise."""
    info = await run_in_threadpool(_authenticated, _config(request).db, token)
    if info is None:
        raise HTTPException(401, "the token is not one this ledger knows (`regledger token list` shows the ids of "
                                 "those it knows)", headers={"WWW-Authenticate": "Bearer"})
    if info.revoked_at is not None:
        raise HTTPException(401, f"the token {info.token_id} was revoked on {info.revoked_at:%Y-%m-%d}",
                            headers={"WWW-Authenticate": "Bearer"})
    return info


async def require_writer(request: Request) -> Writer:
    """The writer of a write request: 403 on a read-only server; a bearer token, else a signed-in session whose
    CSRF token is right (403 when it is not); 401 without either."""
    if not _config(request).write:
        raise HTTPException(403, READ_ONLY)
    authorization = request.headers.get("authorization")
    if authorization is not None:
        scheme, _, token = authorization.strip().partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise HTTPException(401, "Authorization: give `Bearer TOKEN` (`regledger token create` makes one)",
                                headers={"WWW-Authenticate": "Bearer"})
        return Writer((await token_of(request, token.strip())).token_id, "token")
    session = session_of(request)
    if session is None or session.token_id is None:
        raise HTTPException(401, NO_CREDENTIALS, headers={"WWW-Authenticate": "Bearer"})
    if not await run_in_threadpool(_active, _config(request).db, session.token_id):
        end_session(request)
        raise HTTPException(401, f"the token {session.token_id} this session signed in with was revoked: sign in "
                                 "again with another")
    await check_csrf(request, session)
    return Writer(session.token_id, "session")


# --- installing it ------------------------------------------------------------------------------------------------

def install(app: FastAPI, config: WebConfig) -> None:
    """Install on `app`: the headers and upload-limit middleware, the keys that sign sessions and CSRF tokens, and
    the jinja global `csrf_field()` on `app.state.templates` (when H4a's app has set them)."""
    secret = config.session_secret or secrets.token_bytes(32)
    app.state.security_keys = (hmac.new(secret, b"regledger session", hashlib.sha256).digest(),
                               hmac.new(secret, b"regledger csrf", hashlib.sha256).digest())
    app.add_middleware(UploadLimit, limit=config.upload_limit)
    app.add_middleware(SecurityHeaders)  # added last: outside the limit, so that its 413 carries the headers too
    templates = getattr(app.state, "templates", None)
    if templates is not None:
        templates.env.globals["csrf_field"] = _csrf_field

