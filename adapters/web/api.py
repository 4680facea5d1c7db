"""The HTTP API under /api/v1/: the command line's answers, in exactly its JSON, whole (streamed).

    GET  /api/v1/as-of/{date}            regledger as-of D --format json
    GET  /api/v1/diff/{from}/{to}        regledger diff D1 D2 --format json
    GET  /api/v1/history?subject=S       regledger history S --format json
    GET  /api/v1/log                     regledger log --format json
    GET  /api/v1/reports/{kind}          regledger report KIND … --format html|markdown|json
    GET  /api/v1/screen?name=N           regledger screen --name N --format json|csv
    POST /api/v1/screen (a CSV upload)   regledger screen FILE --format json|csv

Query parameters are named after the command line's options: `published_by`, `known_at`, `min_reliability`,
`list`, `party` (and each report's and the screening's own). Bad input gets 400 (an unknown name 404) with
`{"error": "<the command line's one-line message>"}`.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, UploadFile
from fastapi.responses import JSONResponse, Response

from regledger.adapters.errors import InputError
from regledger.adapters.importers.counterparties import BadRowsError
from regledger.adapters.render.citations import STYLES
from regledger.adapters.render.documents import document, legend_html, legend_markdown
from regledger.adapters.render.reports.environment import FORMATS, render_any
from regledger.adapters.render.screening_certificate import certificate_html, certificate_markdown, certificate_masthead
from regledger.adapters.services import queries, screening_runs
from regledger.adapters.web import answers, screening
from regledger.adapters.web.deps import config_of, stores
from regledger.adapters.web.inputs import AxisParams, in_our_words, parse_day, selection, window
from regledger.adapters.web.responses import download, whole_json
from regledger.adapters.wiring import Stores

__all__ = ["axis_params", "router", "screen_asked", "upload_of"]

router = APIRouter(prefix="/api/v1", tags=["api"])
StoresDep = Annotated[Stores, Depends(stores)]


def axis_params(published_by: str | None = None, known_at: str | None = None,
                min_reliability: str | None = None) -> AxisParams:
    """The axis parameters of the query (`published_by`, `known_at`, `min_reliability`)."""
    return AxisParams(published_by, known_at, min_reliability)


async def _axes(published_by: str | None = None, known_at: str | None = None,
                min_reliability: str | None = None) -> AxisParams:
    """`axis_params` as a dependency: asynchronous, so that FastAPI calls it in the event loop rather than sending
    it to the threadpool (a thread hop per request for building a tuple)."""
    return axis_params(published_by, known_at, min_reliability)


AxesDep = Annotated[AxisParams, Depends(_axes)]
ListParam = Annotated[str | None, Query(alias="list", description="Only this list (e.g. us-bis-entity-list).")]
PartyParam = Annotated[str | None, Query(description="Only this party: exact key, else name or alias, else part.")]


@router.get("/as-of/{day}", summary="The rules as of a date (regledger as-of)")
def api_as_of(day: str, *, axes: AxesDep, db: StoresDep, list_key: ListParam = None,
              party: PartyParam = None) -> Response:
    """`regledger as-of D --format json`."""
    on = parse_day(day, "date")
    return whole_json(answers.as_of_answer(db, on, axes.parsed(), selection(list_key, party)))


@router.get("/diff/{start}/{end}", summary="What changed in a window (regledger diff)")
def api_diff(start: str, end: str, *, axes: AxesDep, db: StoresDep, list_key: ListParam = None,
             party: PartyParam = None) -> Response:
    """`regledger diff D1 D2 --format json`: the window (start, end]."""
    span = window(parse_day(start, "from"), parse_day(end, "to"))
    return whole_json(answers.diff_answer(db, span, axes.parsed(), selection(list_key, party)))


@router.get("/history", summary="The timeline of a subject (regledger history)")
def api_history(subject: str, axes: AxesDep, db: StoresDep) -> Response:
    """`regledger history SUBJECT --format json`."""
    return whole_json(answers.history_answer(db, subject, axes.parsed()))


@router.get("/log", summary="The stored actions in recording order (regledger log)")
def api_log(db: StoresDep) -> Response:
    """`regledger log --format json`."""
    return whole_json(answers.log_items(queries.log(db)))


@router.get("/reports/{kind}", summary="A report (regledger report KIND)")
def api_report(kind: str, request: Request, *, axes: AxesDep, db: StoresDep, output: Annotated[
        str, Query(alias="format", description=", ".join(FORMATS))] = "html",
        citation_style: Annotated[str | None, Query(description=", ".join(STYLES))] = None,
        legend: Annotated[str | None, Query(description="A legend at the top and bottom (every page)")] = None,
        ) -> Response:
    """`regledger report KIND … [--citation-style S] [--legend TEXT] --format F`, with the report's options as
    parameters: `from` and `to` (changes), `as_of` (snapshot, knowledge; party), `key` (party), `until` (replay),
    `run_id` (screening: the certificate of a recorded run)."""
    if output not in FORMATS:
        raise InputError(f"format: {output!r} is not one of {', '.join(FORMATS)}")
    if citation_style and citation_style not in STYLES:
        raise InputError(f"citation_style: {citation_style!r} is not one of {', '.join(STYLES)}")
    if kind == "screening":
        return _certificate(db, request.query_params.get("run_id") or "", output, legend or None)
    asked = answers.report_asked(kind, request.query_params)
    command = answers.report_command(kind, asked.words, axes, output, style=citation_style or None,
                                     legend=legend or None)
    report = answers.report_of(db, asked, axes.parsed(), command)
    data = {**report.data, "citation_style": citation_style} if citation_style else report.data
    if output == "json":
        return whole_json({**data, "legend": legend} if legend else data)
    return download(render_any(data, output, legend or None), output, f"regledger-{kind}")


def _certificate(db: Stores, run_id: str, output: str, legend: str | None) -> Response:
    """`regledger report screening RUN_ID [--legend TEXT] --format …`: the certificate of a recorded run."""
    if not run_id:
        raise InputError("run_id: required by the screening report")
    with in_our_words():
        certificate = screening_runs.certificate(db, run_id)
    if output == "json":
        return whole_json({**certificate, "legend": legend} if legend else certificate)
    stem = "regledger-screening-certificate"
    if output == "markdown":
        return download(legend_markdown(certificate_markdown(certificate), legend), output, stem)
    html = legend_html(certificate_html(certificate), legend)
    if output == "html":
        return download(html, output, stem)
    return download(document(html, output, certificate_masthead(certificate, legend)), output, stem)


def screen_asked(*, name: str | None = None, country: str | None = None, address: str | None = None,
                 on: str | None = None, list_key: ListParam = None, threshold: str | None = None,
                 review_threshold: str | None = None, skip_bad_rows: bool = False) -> screening.ScreenAsked:
    """The screening parameters of the query."""
    return screening.ScreenAsked(name, country, address, on, list_key, threshold, review_threshold, skip_bad_rows)


ScreenDep = Annotated[screening.ScreenAsked, Depends(screen_asked)]
FormatParam = Annotated[str, Query(alias="format", description="json or csv")]


def _screened(db: Stores, asked: screening.ScreenAsked, axes: AxisParams, upload: screening.Upload | None,
              *, output: str) -> Response:
    if output not in {"json", "csv"}:
        raise InputError(f"format: {output!r} is not one of json, csv")
    try:
        result = screening.run(db, asked, axes, upload)
    except BadRowsError as error:
        if output == "json":
            return JSONResponse(screening.bad_rows_document(error), status_code=400)
        raise
    answer: Any = screening.rendered(result, output)
    return whole_json(answer) if output == "json" else download(answer, "csv", "regledger-screening")


@router.get("/screen", summary="Screen one name (regledger screen --name)")
def api_screen(asked: ScreenDep, axes: AxesDep, db: StoresDep, output: FormatParam = "json") -> Response:
    """`regledger screen --name NAME --format json|csv`, read-only."""
    return _screened(db, asked, axes, None, output=output)


async def upload_of(request: Request, file: UploadFile) -> screening.Upload:
    """The uploaded file, refused (400) when it is over the configured upload limit."""
    limit = config_of(request).upload_limit
    content = await file.read(limit + 1)
    if len(content) > limit:
        raise InputError(f"{file.filename or 'upload'}: the upload is over the limit of {limit:,} bytes")
    return screening.Upload(file.filename or "upload", content)


@router.post("/screen", summary="Screen a CSV of counterparties (regledger screen FILE)")
def api_screen_file(*, asked: ScreenDep, axes: AxesDep, db: StoresDep,
                    upload: Annotated[screening.Upload, Depends(upload_of)], output: FormatParam = "json",
                    record: Annotated[bool, Query(description="Recording needs a token: see the write API.")] = False,
                    ) -> Response:
    """`regledger screen FILE --format json|csv`, read-only: a multipart upload of the CSV in the field `file`."""
    if record:
        raise InputError("record: recorded screening is a write: POST the file with a token to /api/v1/screen/record")
    return _screened(db, asked, axes, upload, output=output)

