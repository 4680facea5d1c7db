"""The one place where errors become responses: the command line's one-line message, as JSON
(`{"error": MESSAGE}`) for the API and JSON twins, or as an error page.

    UnknownNameError (a list, party or subject the ledger does not know)  → 404
    InputError (bad input: a date, a parameter, an upload)                 → 400
    ConflictError (writers kept colliding)                                 → 409
    StoreError (the store cannot be reached or refused)                    → 503
    RequestValidationError (a parameter missing or of the wrong type)      → 400
    HTTPException (refusals of the security layer: 401, 403, 413…)         → its own status
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException

from regledger.adapters.errors import ConflictError, InputError, RegledgerError, StoreError, one_line
from regledger.adapters.services.inputs import UnknownNameError
from regledger.adapters.web.deps import templates_of, wants_json

__all__ = ["error_response", "install_handlers", "status_of"]


def status_of(error: RegledgerError) -> int:
    """The HTTP status of one of our errors."""
    if isinstance(error, UnknownNameError):
        return 404
    if isinstance(error, InputError):
        return 400
    if isinstance(error, ConflictError):
        return 409
    return 503 if isinstance(error, StoreError) else 500


def error_response(request: Request, status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    """The error as `{"error": MESSAGE}` when the request wants JSON, else as the error page."""
    line = one_line(message)
    if wants_json(request):
        return JSONResponse({"error": line}, status_code=status, headers=headers)
    page = templates_of(request).TemplateResponse(request, "web/error.html", {"status": status, "message": line},
                                                  status_code=status)
    if headers:
        page.headers.update(headers)
    return page


def _validation_message(error: RequestValidationError) -> str:
    """FastAPI's validation errors in one line: `PARAMETER: problem` for the first."""
    first: dict[str, Any] = next(iter(error.errors()), {})
    where = [str(part) for part in first.get("loc", ()) if part not in {"query", "path", "body", "form", "header"}]
    return f"{'.'.join(where) or 'request'}: {str(first.get('msg', 'invalid')).lower()}"


def install_handlers(app: FastAPI) -> None:
    """Register the handlers on `app`."""

    async def ours(request: Request, error: Exception) -> Response:
        assert isinstance(error, RegledgerError)
        return error_response(request, status_of(error), str(error))

    async def invalid(request: Request, error: Exception) -> Response:
        assert isinstance(error, RequestValidationError)
        return error_response(request, 400, _validation_message(error))

    async def refused(request: Request, error: Exception) -> Response:
        assert isinstance(error, HTTPException)
        headers = dict(error.headers) if error.headers else None
        return error_response(request, error.status_code, str(error.detail), headers)

    app.add_exception_handler(RegledgerError, ours)
    app.add_exception_handler(RequestValidationError, invalid)
    app.add_exception_handler(HTTPException, refused)
