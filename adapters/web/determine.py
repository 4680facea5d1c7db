"""The determination over the web, read-only (it records nothing, so it needs no token):

    /determine                          a form: upload a transaction file, or paste its YAML (or JSON) into the
                                        labelled text area; the date for transactions without one, the axes and a
                                        draft measure to assume adopted; POSTed, the answer as a memo, with the
                                        report in every format; twin (`?format=json`, Accept): the determine JSON
    POST /api/v1/determine              regledger determine FILE --format json (the body: the transaction file)
    POST /api/v1/reports/determination  regledger report determination FILE --format F (the body: the file)

Query parameters (or form fields) are named after the command line's options: `on`, `published_by`, `known_at`,
`min_reliability`, `assume_adopted` (repeatable); the report also takes `format`, `citation_style` and `legend`.
A body whose Content-Type says JSON is read as JSON, any other as YAML; a form gives the file in the field `file`
or the text in `transactions` (the API takes a form only as multipart/form-data: `curl --data-binary @FILE` calls
the file itself application/x-www-form-urlencoded). The body is saved to a private temporary file only for the
command line's reader, then removed; its problems are named after `request body` (an upload: its file name; pasted
text: `transactions`) where the command line names FILE, and answered with 400 and that one line. The upload limit
applies to every body (`security.UploadLimit`).
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Final

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from starlette.datastructures import UploadFile

from regledger.adapters.errors import InputError
from regledger.adapters.render.citations import STYLES
from regledger.adapters.render.determination_json import determinations_json
from regledger.adapters.render.reports.determination import shipment_words
from regledger.adapters.render.reports.environment import FORMATS, render_any
from regledger.adapters.services import determination, reports
from regledger.adapters.web.answers import report_command
from regledger.adapters.web.deps import stores, wants_json
from regledger.adapters.web.errors import error_response, status_of
from regledger.adapters.web.inputs import AxisParams, in_our_words, parse_day
from regledger.adapters.web.responses import download, whole_json
from regledger.adapters.web.views import View, answer
from regledger.adapters.wiring import Stores
from regledger.projections.determination import Transaction

__all__ = ["DetermineAsked", "asked_of", "router", "transactions_of"]

router = APIRouter()
StoresDep = Annotated[Stores, Depends(stores)]
_FORM_TYPES: Final = ("multipart/form-data", "application/x-www-form-urlencoded")
_BODY: Final = "request body"


@dataclass(frozen=True)
class DetermineAsked:
    """A determination asked for: the transaction file (None: the form only), how its problems name it, whether it
    is JSON, and the options as given (empty strings count as not given, as an empty form field)."""

    content: bytes | None = None
    label: str = _BODY
    is_json: bool = False
    on: str | None = None
    assume_adopted: tuple[str, ...] = ()
    axes: AxisParams = field(default_factory=AxisParams)
    output: str = "html"
    citation_style: str | None = None
    legend: str | None = None
    text: str = ""  # the file as text, for the form and the report's download forms

    def given(self) -> dict[str, Any]:
        """The options given, by parameter name (for the form and the download forms)."""
        return {"on": self.on or "", "assume_adopted": ", ".join(self.assume_adopted), **self.axes.given()}


async def asked_of(request: Request) -> DetermineAsked:
    """What the request asks: query parameters, then (a form) its fields, or (any other POST) its body as the
    transaction file; InputError when a form gives both a file and pasted text."""
    fields: dict[str, list[str]] = {}
    for name, value in request.query_params.multi_items():
        fields.setdefault(name, []).append(value)
    content: bytes | None = None
    label, is_json = _BODY, "json" in request.headers.get("content-type", "").lower()
    kind = request.headers.get("content-type", "").lower()
    api = request.url.path.startswith("/api/")  # the API reads a form only as multipart: `curl --data-binary` sends
    if request.method == "POST" and kind.startswith(_FORM_TYPES[:1] if api else _FORM_TYPES):  # …-urlencoded
        async with request.form() as form:  # closes the upload's temporary file
            upload = form.get("file")
            for name, item in form.multi_items():
                if isinstance(item, str):
                    fields[name] = [*(fields.get(name, []) if name == "assume_adopted" else []), item]
            pasted = (fields.pop("transactions", [""])[-1]).strip()
            if isinstance(upload, UploadFile) and upload.filename:
                if pasted:
                    raise InputError("give either a file or transactions (pasted YAML or JSON), not both")
                content, label = await upload.read(), Path(upload.filename).name or "upload"
                is_json = label.lower().endswith(".json")
        if content is None and pasted:
            content, label, is_json = pasted.encode(), "transactions", pasted.startswith(("{", "["))
    elif request.method == "POST":
        content = await request.body()
        if not content.strip():
            raise InputError(f"{_BODY}: empty: send a transaction file (YAML or JSON) as the body")
    elif pasted := (fields.pop("transactions", [""])[-1]).strip():  # GET /determine?transactions=…
        content, label, is_json = pasted.encode(), "transactions", pasted.startswith(("{", "["))

    def one(name: str) -> str | None:
        return (fields.get(name) or [""])[-1].strip() or None

    adopted = tuple(key.strip() for value in fields.get("assume_adopted", []) for key in value.split(",")
                    if key.strip())
    axes = AxisParams(one("published_by"), one("known_at"), one("min_reliability"))
    text = content.decode("utf-8", errors="replace") if content is not None else ""
    return DetermineAsked(content, label, is_json, one("on"), adopted, axes, one("format") or "html",
                          one("citation_style"), one("legend"), text)


AskedDep = Annotated[DetermineAsked, Depends(asked_of)]


@contextmanager
def _named(label: str, path: Path | None = None) -> Iterator[None]:
    """Problems naming the temporary file name it as the request does (`request body`, the upload's name…), and
    `--assume-adopted` as the parameter `assume_adopted`."""
    try:
        yield
    except InputError as error:
        message = str(error).replace(str(path), label) if path is not None else str(error)
        message = message.replace("--assume-adopted:", "assume_adopted:", 1)
        if message == str(error):
            raise
        raise InputError(message) from None


def transactions_of(asked: DetermineAsked) -> tuple[list[Transaction], bool]:
    """The transactions of the request's file, read as `regledger determine` reads FILE, and whether it held one."""
    if asked.content is None:
        raise InputError(f"{_BODY}: empty: send a transaction file (YAML or JSON)")
    day = parse_day(asked.on, "on") if asked.on else None
    with tempfile.TemporaryDirectory(prefix="regledger-upload-") as folder:
        path = Path(folder) / ("transactions.json" if asked.is_json else "transactions.yaml")
        path.write_bytes(asked.content)
        with _named(asked.label, path):
            return determination.read_transactions(path, day)


def _determined(db: Stores, asked: DetermineAsked) -> tuple[determination.Determinations, list[Transaction]]:
    """`regledger determine`'s answers to the request (read-only), and the transactions they answer."""
    parsed = asked.axes.parsed()
    transactions, single = transactions_of(asked)
    day = parse_day(asked.on, "on") if asked.on else None
    with in_our_words(), _named(asked.label):
        found = determination.determine_all(db, transactions, parsed, on=day, assume_adopted=asked.assume_adopted,
                                            single=single)
    return found, transactions


def _words(asked: DetermineAsked) -> list[str]:
    """The report's options as command-line words after `report determination` (the file as FILE)."""
    return ["FILE", *(["--on", asked.on] if asked.on else []),
            *(word for key in asked.assume_adopted for word in ("--assume-adopted", key))]


@router.post("/api/v1/determine", tags=["api"], summary="Does this shipment need a licence? (regledger determine)")
def api_determine(asked: AskedDep, db: StoresDep) -> Response:
    """`regledger determine FILE --format json`: the body is the transaction file (YAML, or JSON with a JSON
    Content-Type); query parameters `on`, `published_by`, `known_at`, `min_reliability`, `assume_adopted`."""
    found, _ = _determined(db, asked)
    return whole_json(determinations_json(found.answers, single=found.single))


@router.get("/api/v1/reports/determination", include_in_schema=False)
def api_report_get() -> Response:
    """The determination report needs the transaction file: say how to send it."""
    raise InputError("determination: POST the transaction file (YAML or JSON) as the body to "
                     "/api/v1/reports/determination")


@router.post("/api/v1/reports/determination", tags=["api"],
             summary="The determination report (regledger report determination)")
def api_report(asked: AskedDep, db: StoresDep) -> Response:
    """`regledger report determination FILE [--citation-style S] [--legend TEXT] --format F`: the body is the
    transaction file (or a form with `transactions` or `file`); query parameters as `/api/v1/determine`'s, and
    `format` (html, markdown, json, pdf, docx), `citation_style`, `legend`."""
    if asked.output not in FORMATS:
        raise InputError(f"format: {asked.output!r} is not one of {', '.join(FORMATS)}")
    if asked.citation_style and asked.citation_style not in STYLES:
        raise InputError(f"citation_style: {asked.citation_style!r} is not one of {', '.join(STYLES)}")
    parsed = asked.axes.parsed()
    transactions, single = transactions_of(asked)
    day = parse_day(asked.on, "on") if asked.on else None
    command = report_command("determination", _words(asked), asked.axes, asked.output,
                             style=asked.citation_style, legend=asked.legend)
    with in_our_words(), _named(asked.label):
        report = reports.determination(db, transactions, parsed, command, on=day, single=single,
                                       assume_adopted=asked.assume_adopted)
    data = {**report.data, "citation_style": asked.citation_style} if asked.citation_style else report.data
    if asked.output == "json":
        return whole_json({**data, "legend": asked.legend} if asked.legend else data)
    return download(render_any(data, asked.output, asked.legend), asked.output, "regledger-determination")


def _page(request: Request, db: Stores, asked: DetermineAsked) -> Response:
    """The form, and (when a file was given) its answer, or the one-line problem with status 400."""
    result: dict[str, Any] | None = None
    memos: list[dict[str, Any]] = []
    problem: str | None = None
    status = 200
    if asked.content is not None:
        try:
            found, transactions = _determined(db, asked)
        except InputError as error:
            if wants_json(request):
                return error_response(request, status_of(error), str(error))
            problem, status = str(error), status_of(error)
        else:
            result = determinations_json(found.answers, single=found.single)
            items = result.get("results", [result])
            memos = [{"answer": a, "shipment": shipment_words(t)} for a, t in zip(items, transactions, strict=True)]
    twin = result if result is not None else {"results": []}
    context = {"v": View(asked.axes, None), "asked": asked.given(), "text": asked.text, "memos": memos,
               "problem": problem, "formats": list(FORMATS), "report_url": "/api/v1/reports/determination"}
    return answer(request, "web/determine.html", twin, context, status=status)


@router.get("/determine", include_in_schema=False)
def determine_page(request: Request, asked: AskedDep, db: StoresDep) -> Response:
    """The determination form (GET: with `transactions`, that text answered)."""
    return _page(request, db, asked)


@router.post("/determine", include_in_schema=False)
def determine_post(request: Request, asked: AskedDep, db: StoresDep) -> Response:
    """A transaction file uploaded or pasted, answered (read-only)."""
    return _page(request, db, asked)
