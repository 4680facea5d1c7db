"""The writes of the web application, each guarded by `security.require_writer` (a server started with `--write`,
and a bearer token or a signed-in session with its CSRF token), each the command line's write over HTTP:

    POST /api/v1/record                        regledger record FILE (the timeline, YAML or JSON, as the body)
    POST /api/v1/import/federal-register       regledger import federal-register FILE [--measure K] [--dry-run]
    POST /api/v1/import/screening-list         regledger import screening-list FILE --as-published D [--dry-run]
    POST /api/v1/screen/record                 regledger screen (--name N | FILE) --record --format json
    GET/POST /signin, POST /signout            a person signs in with a token (a session cookie), and out
    GET/POST /record                           a page with a form that uploads a timeline and records it

A body is read whole (within the upload limit, `security.UploadLimit`) and validated before the store is opened
for writing, so bad input stores nothing; its problems read as the command line's, with `request body` where the
command line names the file (`request body: action 3 [id=…]: FIELD: problem`), or the uploaded file's name for
the page's form. The body is given to the same readers as the command line's through a private temporary file,
removed when the request ends. The API answers 200 with JSON; a bad body 400 with `{"error": MESSAGE}`.
"""

from __future__ import annotations

import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path, PurePath
from typing import Annotated, Any, Final, TypeVar

from eventsourcing.persistence import PersistenceError
from fastapi import APIRouter, Depends, File, Form, HTTPException, Query, Request, UploadFile
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from regledger.adapters.errors import InputError
from regledger.adapters.importers.counterparties import BadRowsError
from regledger.adapters.render.screening_json import bad_rows_json
from regledger.adapters.services import imports, recording, screening_runs
from regledger.adapters.store.ledger import RecordResult
from regledger.adapters.store.opening import refusal
from regledger.adapters.web import screening
from regledger.adapters.web.api import axis_params, screen_asked
from regledger.adapters.web.config import WebConfig
from regledger.adapters.web.inputs import AxisParams, in_our_words, parse_day
from regledger.adapters.web.security import (
    READ_ONLY,
    Writer,
    check_csrf,
    end_session,
    require_writer,
    session_of,
    start_session,
    token_of,
)
from regledger.adapters.wiring import Stores, open_stores
from regledger.domain.values import check_key

__all__ = ["BODY", "router"]

BODY: Final = "request body"  # how a message names the body of an API request, where the command line names FILE
_FORMS: Final = ("multipart/form-data", "application/x-www-form-urlencoded")
T = TypeVar("T")

router = APIRouter()


def _body(description: str, *media: str) -> dict[str, Any]:
    """The OpenAPI description of a body the endpoint reads itself (a file sent as the body)."""
    return {"requestBody": {"required": True, "description": description,
                            "content": {kind: {"schema": {"type": "string", "format": "binary"}} for kind in media}}}


WriterDep = Annotated[Writer, Depends(require_writer)]


def _config(request: Request) -> WebConfig:
    config: WebConfig = request.app.state.config
    return config


def _rfc3339(moment: datetime | None) -> str | None:
    return moment.isoformat().replace("+00:00", "Z") if moment else None


# --- bodies as files ----------------------------------------------------------------------------------------------

def _suffix(content_type: str, filename: str | None = None) -> str:
    """The suffix the readers go by: the uploaded file's, else `.json` for a JSON body, `.csv` for CSV, else
    `.yaml`."""
    if filename:
        return PurePath(filename).suffix.lower() or ".yaml"
    media = content_type.split(";", maxsplit=1)[0].strip().lower()
    if media == "application/json" or media.endswith("+json"):
        return ".json"
    return ".csv" if media == "text/csv" else ".yaml"


@contextmanager
def _saved(content: bytes, suffix: str) -> Iterator[Path]:
    """`content` in a private temporary file with `suffix` (for the command line's readers), removed after."""
    with tempfile.TemporaryDirectory(prefix="regledger-upload-") as folder:
        path = Path(folder) / f"body{suffix}"
        path.write_bytes(content)
        yield path


def _named(path: Path, label: str, read: Callable[[], T]) -> T:
    """What `read` gives; its InputError told with `label` where it names the temporary file `path`."""
    try:
        return read()
    except BadRowsError:
        raise
    except InputError as error:
        raise InputError(str(error).replace(str(path), label)) from None


async def _raw_body(request: Request, what: str) -> bytes:
    """The body of a request that sends a file as itself; 400 for a form (whose files are closed)."""
    if request.headers.get("content-type", "").startswith(_FORMS):
        await (await request.form()).close()
        raise InputError(f"{BODY}: send {what} itself as the body, not a form")
    return await request.body()


@contextmanager
def _writing(db: str | None) -> Iterator[Stores]:
    """The stores opened for writing; the store failing told as the command line tells it (`ledger_stores`)."""
    with open_stores(db, write=True) as stores:
        try:
            yield stores
        except (PersistenceError, sqlite3.Error) as error:
            raise refusal(stores.settings, error, opened=True) from None


# --- record -------------------------------------------------------------------------------------------------------

def _recorded(result: RecordResult, warnings: list[str]) -> dict[str, Any]:
    """The answer of a record run: its counts, when, and the command line's line and warnings."""
    when = f" at {_rfc3339(result.recorded_at)}" if result.recorded_at else ""
    retried = f" (after {result.attempts} tries: other writers were recording)" if result.attempts > 1 else ""
    message = f"recorded {result.recorded} action(s){when}; skipped {result.skipped} already recorded{retried}"
    return {"recorded": result.recorded, "skipped": result.skipped, "recorded_at": _rfc3339(result.recorded_at),
            "attempts": result.attempts, "warnings": warnings, "message": message}


def record_body(db: str | None, content: bytes, suffix: str, label: str = BODY) -> dict[str, Any]:
    """`regledger record` of one timeline given as bytes: validated whole, then stored in one transaction, or
    nothing; problems name `label` where the command line names the file."""
    with _saved(content, suffix) as path:
        read = _named(path, label, lambda: recording.read_actions([path]))
    actions = [replace(item, where=item.where.replace(str(path), label, 1)) for item in read]
    with _writing(db) as stores:
        result = recording.record(stores, actions)
        warnings = recording.withdrawal_warnings(stores, actions)
    return _recorded(result, warnings)


@router.post("/api/v1/record", tags=["writes"], summary="Record a timeline file (regledger record)",
             openapi_extra=_body("The timeline file (docs/timeline-format.md).", "application/yaml",
                                 "application/json"))
async def api_record(request: Request, _writer: WriterDep) -> Response:
    """`regledger record FILE`: the timeline (YAML, or JSON with `Content-Type: application/json`) as the body."""
    content = await _raw_body(request, "the timeline file (YAML or JSON)")
    suffix = _suffix(request.headers.get("content-type", ""))
    return JSONResponse(await run_in_threadpool(record_body, _config(request).db, content, suffix))


# --- imports ------------------------------------------------------------------------------------------------------

def _imported(done: imports.Imported, path: Path, label: str = BODY) -> dict[str, Any]:
    """An import's answer, the temporary file named `label` wherever the importer named it."""
    def named(text: str) -> str:
        return text.replace(str(path), label).replace(path.name, label)

    verb = "would record" if done.dry_run else "recorded"
    return {"dry_run": done.dry_run, "recorded": done.recorded, "skipped": done.skipped, "refused": done.refused,
            "not_recorded": [named(line) for line in done.not_recorded],
            "lists": [named(line) for line in done.lists], "imported_before": done.imported_before,
            "preview": named(done.preview) if done.preview is not None else None,
            "message": f"{verb} {done.recorded} action(s); skipped {done.skipped} as known; refused "
                       f"{done.refused} file(s)"}


def _refused(done: imports.Imported, path: Path, label: str = BODY) -> None:
    """An import whose body was refused: InputError with the importer's message (nothing was stored)."""
    if done.refusals:
        raise InputError(done.refusals[0].replace(str(path), label))


def federal_register_body(db: str | None, content: bytes, measure: str | None, dry_run: bool, *,
                          mapping: tuple[str, bytes] | None = None, label: str = BODY) -> dict[str, Any]:
    """`regledger import federal-register` of one body of documents (JSON), with the `--mapping` file (its name
    and bytes) when one was uploaded; problems name `label` (and the mapping's name) where the command line names
    the files."""
    links: dict[str, str] = {}
    if mapping is not None:
        name, data = mapping
        with _saved(data, _suffix("", name)) as path:
            links = _named(path, name, lambda: imports.read_links(path))
    options = imports.FederalRegisterOptions(_measure_key(measure), links, dry_run)
    with _saved(content, ".json") as path, _writing(db) as stores:
        run = imports.FederalRegisterRun(stores, options)
        refused = run.add(path)
        done = run.finish()
        if refused is not None:
            raise InputError(refused.replace(str(path), label))
        _refused(done, path, label)
        return _imported(done, path, label)


async def _multipart_files(request: Request, names: tuple[str, ...]) -> dict[str, tuple[str, bytes]]:
    """The files of a multipart form by field name: (the name the browser gave, bytes); 400 for a field that is
    not a file."""
    form = await request.form()
    found: dict[str, tuple[str, bytes]] = {}
    try:
        for name in names:
            value = form.get(name)
            if value is None:
                continue
            if isinstance(value, str):
                raise InputError(f"{name}: expected a file upload in the multipart field {name!r}")
            found[name] = (PurePath(value.filename or name).name or name, await value.read())
    finally:
        await form.close()  # the spooled files of a form parsed here (FastAPI closes only those it parses)
    return found


def _measure_key(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return check_key(value)
    except ValueError as error:
        raise InputError(f"measure: {error}") from None


@router.post("/api/v1/import/federal-register", tags=["writes"],
             summary="Import Federal Register documents (regledger import federal-register)",
             openapi_extra=_body("Federal Register API documents (or a multipart form: `file`, `mapping`).",
                                 "application/json", "multipart/form-data"))
async def api_import_federal_register(
        request: Request, _writer: WriterDep,
        measure: Annotated[str | None, Query(description="Link every document to this measure.")] = None,
        dry_run: Annotated[bool, Query(description="Show what would be recorded; store nothing.")] = False,
) -> Response:
    """`regledger import federal-register FILE [--measure KEY] [--mapping FILE] [--dry-run]`: the documents (JSON)
    as the body; or a multipart form with the documents in the field `file` and the mapping (YAML or JSON) in
    `mapping`."""
    config = _config(request)
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        content = await request.body()
        return JSONResponse(await run_in_threadpool(federal_register_body, config.db, content, measure, dry_run))
    files = await _multipart_files(request, ("file", "mapping"))
    if "file" not in files:
        raise InputError("file: missing (the Federal Register documents, JSON, in the multipart field 'file')")
    label, content = files["file"]
    answer = await run_in_threadpool(federal_register_body, config.db, content, measure, dry_run,
                                     mapping=files.get("mapping"), label=label)
    return JSONResponse(answer)


def screening_list_body(db: str | None, content: bytes, suffix: str, day: date, dry_run: bool) -> dict[str, Any]:
    """`regledger import screening-list` of one snapshot (JSON or CSV) as published on `day`."""
    with _saved(content, suffix) as path, _writing(db) as stores:
        done = imports.import_screening_list(stores, path, day, dry_run=dry_run)
        _refused(done, path)
        return _imported(done, path)


@router.post("/api/v1/import/screening-list", tags=["writes"],
             summary="Import a screening-list snapshot (regledger import screening-list)",
             openapi_extra=_body("A Consolidated Screening List snapshot.", "application/json", "text/csv"))
async def api_import_screening_list(
        request: Request, _writer: WriterDep,
        as_published: Annotated[str, Query(description="The day the snapshot was published (YYYY-MM-DD).")],
        dry_run: Annotated[bool, Query(description="Show what would be recorded; store nothing.")] = False,
) -> Response:
    """`regledger import screening-list FILE --as-published D [--dry-run]`: the snapshot (JSON, or CSV with
    `Content-Type: text/csv`) as the body."""
    day = parse_day(as_published, "as_published")
    content = await _raw_body(request, "the snapshot (JSON or CSV)")
    suffix = _suffix(request.headers.get("content-type", ""))
    return JSONResponse(await run_in_threadpool(screening_list_body, _config(request).db, content, suffix, day,
                                                dry_run))


# --- recorded screening -------------------------------------------------------------------------------------------

def screen_and_record(db: str | None, asked: screening.ScreenAsked, axes: AxisParams,
                      upload: screening.Upload | None) -> dict[str, Any]:
    """`regledger screen … --record --format json`: the run screened and stored; its document (with `run_id`)."""
    options = asked.options(axes)
    rows, bad = screening.rows_of(asked, upload)
    with _writing(db) as stores, in_our_words():
        _result, document = screening_runs.record(stores, rows, options, bad)
    return document


@router.post("/api/v1/screen/record", tags=["writes"],
             summary="Screen and record the run as evidence (regledger screen --record)")
async def api_screen_record(
        request: Request, _writer: WriterDep, asked: Annotated[screening.ScreenAsked, Depends(screen_asked)],
        axes: Annotated[AxisParams, Depends(axis_params)],
        file: Annotated[UploadFile | None, File(description="A CSV of counterparties (instead of name).")] = None,
) -> Response:
    """`regledger screen (--name NAME | FILE) --record --format json`: one name in the query, or a multipart upload
    of the CSV in the field `file`; the answer is the recorded run's document, with its `run_id`."""
    upload = screening.Upload(file.filename or "upload", await file.read()) if file is not None else None
    try:
        document = await run_in_threadpool(screen_and_record, _config(request).db, asked, axes, upload)
    except BadRowsError as error:
        return JSONResponse({"error": str(error), "bad_rows": bad_rows_json(error.bad)}, status_code=400)
    return JSONResponse(document)


# --- signing in and out -------------------------------------------------------------------------------------------

def _page(request: Request, name: str, context: dict[str, Any], status: int = 200) -> Response:
    response: Response = request.app.state.templates.TemplateResponse(request, name, context, status_code=status)
    response.headers["cache-control"] = "no-store"
    return response


def _signin_page(request: Request, message: str | None = None, status: int = 200) -> Response:
    session = session_of(request)
    return _page(request, "web/signin.html", {"message": message, "signed_in": bool(session and session.signed_in),
                                              "writable": _config(request).write}, status)


@router.get("/signin", include_in_schema=False)
def signin_form(request: Request) -> Response:
    """The sign-in page: a form that takes a token."""
    return _signin_page(request)


@router.post("/signin", include_in_schema=False)
async def signin(request: Request, token: Annotated[str, Form()] = "") -> Response:
    """Sign in with a token: a new session that holds the token's id (never the token), then the record page."""
    await check_csrf(request)
    try:
        info = await token_of(request, token.strip())
    except HTTPException as refused:
        return _signin_page(request, str(refused.detail), 401)
    start_session(request, info.token_id)
    return RedirectResponse("/record", status_code=303)


@router.post("/signout", include_in_schema=False)
async def signout(request: Request) -> Response:
    """Sign out (the form's CSRF token checked): the session cookie is cleared."""
    await check_csrf(request)
    end_session(request)
    return RedirectResponse("/", status_code=303)


# --- the record page ----------------------------------------------------------------------------------------------

def _record_page(request: Request, result: dict[str, Any] | None = None, message: str | None = None,
                 status: int = 200) -> Response:
    session = session_of(request)
    return _page(request, "web/record.html", {
        "writable": _config(request).write, "read_only": READ_ONLY,
        "signed_in": bool(session and session.signed_in), "token_id": session.token_id if session else None,
        "result": result, "message": message, "limit": _config(request).upload_limit}, status)


@router.get("/record", include_in_schema=False)
def record_form(request: Request) -> Response:
    """The record page: a form that uploads a timeline file (signed in, on a server started with `--write`)."""
    return _record_page(request)


@router.post("/record", include_in_schema=False)
async def record_upload(request: Request, _writer: WriterDep, file: Annotated[UploadFile, File()]) -> Response:
    """Record the uploaded timeline file; the page shows what was recorded, or the one-line problem (400)."""
    content = await file.read()
    label = PurePath(file.filename or "upload").name or "upload"
    try:
        result = await run_in_threadpool(record_body, _config(request).db, content, _suffix("", label), label)
    except InputError as error:
        return _record_page(request, message=str(error), status=400)
    return _record_page(request, result=result)

