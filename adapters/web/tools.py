"""The pages that work on the ledger rather than ask it a question, each with its JSON twin:

    /log?after=N         the stored actions in recording order after position N, a page at a time (the log is
                         read from N for one page only, however long it is), the ledger's size and head digest, and
                         a button that runs `verify`; twin: `log --format json` cut to the page, plus `ledger` and
                         `page` (`next`: the link to the next page, or null)
    POST /log/verify     runs `verify`, its progress streamed into the page, then what it found (twin: `verified`,
                         `head`, `holds`, `divergence`)
    /screen              one name, or a CSV upload (POST), screened read-only, with explanations and downloads;
                         the recorded runs with their certificates; twin: `screen --format json`
    /reports             every report kind, downloadable in each format (served by /api/v1/reports/{kind})
"""

from __future__ import annotations

from collections import deque
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response, StreamingResponse

from regledger.adapters.importers.counterparties import BadRowsError
from regledger.adapters.render.citations import STYLES
from regledger.adapters.render.reports.environment import FORMATS
from regledger.adapters.render.screening_json import screening_json
from regledger.adapters.services import screening_runs
from regledger.adapters.services.screening import ledger_position
from regledger.adapters.web import answers, screening
from regledger.adapters.web.api import AxesDep, ScreenDep, StoresDep, upload_of
from regledger.adapters.web.deps import config_of, templates_of, wants_json
from regledger.adapters.web.errors import error_response
from regledger.adapters.web.filters import url_with
from regledger.adapters.web.inputs import AxisParams, parse_after
from regledger.adapters.web.lanes import aside, aside_iterate
from regledger.adapters.web.responses import whole_json
from regledger.adapters.web.verifying import VerifyRun
from regledger.adapters.web.views import View, answer
from regledger.adapters.wiring import Stores

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


def _ledger(db: Stores) -> dict[str, Any]:
    """The ledger's size (events in its chain) and head digest (None: no chain)."""
    size, head = ledger_position(db)
    return {"size": size, "head": head, "store": db.settings.display}


@router.get("/log")
def log_page(request: Request, db: StoresDep, after: Annotated[str | None, Query(
        description="Only the actions stored after this position (the `next` link gives it).")] = None,
             ) -> Response:
    """The stored actions in recording order, a page at a time from the position `after` (reading only that page
    and one more action, however long the log), with the ledger's size and head digest."""
    start = parse_after(after)
    size = config_of(request).page_size
    stored = answers.log_page(db, start, size + 1)
    shown = stored[:size]
    following = url_with("/log", {"after": shown[-1].position}) if len(stored) > size else None
    place = {"after": start, "size": size, "rows": len(shown), "next": following,
             "first": "/log" if start else None}
    items = answers.log_items(shown)
    ledger = _ledger(db)
    twin = {"ledger": ledger, "items": items, "page": place}
    return answer(request, "web/log.html", twin, {"ledger": ledger, "items": items, "place": place})


@router.post("/log/verify")
async def verify_page(request: Request) -> Response:
    """Run `verify` over the whole chain and show what it found (status 200 either way: the page answers). The
    page is streamed with a progress line every half second; its JSON twin is the result alone. Either waits on
    the pass outside the worker's request lanes (`lanes.aside`)."""
    run = VerifyRun(config_of(request).db)
    if wants_json(request):
        await aside(request, lambda: deque(run.progress(), maxlen=0))
        if run.error is not None:
            return error_response(request, 503, run.error)
        return whole_json(run.result)
    template = templates_of(request).env.get_template("web/verify.html")
    return StreamingResponse(aside_iterate(request, template.generate(request=request, run=run)),
                             media_type="text/html; charset=utf-8")


def _runs(db: Stores) -> list[dict[str, Any]]:
    """The recorded screening runs, newest first, with their certificates' links."""
    found = []
    for run in reversed(screening_runs.runs(db)):
        links = {output: url_with("/api/v1/reports/screening", {"run_id": run.run_id, "format": output})
                 for output in FORMATS}
        found.append({"run_id": run.run_id, "recorded_at": answers.rfc3339(run.recorded_at), "rows": len(run.rows),
                      "decisions": run.decisions, "certificate": links})
    return found


def _screen_view(request: Request, db: Stores, asked: screening.ScreenAsked, axes: AxisParams,
                 upload: screening.Upload | None) -> Response:
    """Screen (when something was asked) and show the results, or the bad rows of an upload."""
    result: dict[str, Any] | None = None
    bad: dict[str, Any] | None = None
    if asked.name or upload is not None:
        try:
            result = screening_json(screening.run(db, asked, axes, upload))
        except BadRowsError as error:
            bad = screening.bad_rows_document(error)
    view = View(axes, None)
    downloads = ({output: url_with("/api/v1/screen", {**_asked_query(asked), **axes.given()}, format=output)
                  for output in ("json", "csv")} if asked.name else {})
    twin: dict[str, Any] = bad or result or {"results": [], "runs": _runs(db)}
    context = {"v": view, "asked": _asked_query(asked), "result": result, "bad": bad, "runs": _runs(db),
               "downloads": downloads, "write": config_of(request).write}
    return answer(request, "web/screen.html", twin, context, status=400 if bad else 200)


def _asked_query(asked: screening.ScreenAsked) -> dict[str, str]:
    """The screening parameters given, for links and the form."""
    found = {"name": asked.name, "country": asked.country, "address": asked.address, "on": asked.on,
             "list": asked.list_key, "threshold": asked.threshold, "review_threshold": asked.review_threshold}
    return {k: v for k, v in found.items() if v}


@router.get("/screen")
def screen_page(request: Request, asked: ScreenDep, axes: AxesDep, db: StoresDep) -> Response:
    """The screening form; with `name`, that name screened."""
    return _screen_view(request, db, asked, axes, None)


@router.post("/screen")
def screen_upload_page(request: Request, asked: ScreenDep, axes: AxesDep, db: StoresDep,
                       upload: Annotated[screening.Upload, Depends(upload_of)]) -> Response:
    """A CSV of counterparties screened (read-only)."""
    return _screen_view(request, db, asked, axes, upload)


@router.get("/reports")
def reports_page(request: Request, axes: AxesDep) -> Response:
    """Every report kind, each downloadable in each format."""
    kinds = [*answers.REPORT_KINDS, "screening"]
    return answer(request, "web/reports.html", {"kinds": kinds, "formats": list(FORMATS),
                                                "citation_styles": list(STYLES), "url": "/api/v1/reports/{kind}"},
                  {"v": View(axes, None), "formats": list(FORMATS), "styles": list(STYLES)})
