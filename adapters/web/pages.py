"""The pages that answer questions, server-rendered, every axis in the URL, each with its JSON twin (the same path
with `?format=json`, or `Accept: application/json`):

    /                        → /as-of/<today>
    /as-of/{date}            the rules on a date: list entries (searchable with `q`), measures, meetings,
                             positions, every section paged alike (page N: rows [start, start + size) of each);
                             twin: `as-of --format json`, each section cut to the page, plus `page` (`total`: the
                             list entries; `sections`: each section's rows; `pages`, `next`: the longest's)
    /diff/{from}/{to}        the two dates side by side: each change before → after, every status transition in
                             the window, and the change log (what took effect), a page of the window's subjects at
                             a time (in subject order); twin: `diff --format json` cut to the page's subjects, plus
                             `page` (`total`: the window's subjects)
    /history?subject=S       a subject's timeline (paged); twin: `history --format json`, `items` cut, plus `page`
    /parties/{key}           names, aliases, each listing's timeline (SVG), the measures that apply, positions;
                             twin: `report party KEY --format json`
    /measures/{key}, /meetings/{key}   the status on the date and the history with its corrections; twin:
                             `history KEY --format json`

Forms submit to /as-of and /diff with the dates as parameters; those redirect to the dated paths.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from regledger.adapters.errors import InputError
from regledger.adapters.services import reports
from regledger.adapters.web import answers
from regledger.adapters.web.api import AxesDep, ListParam, PartyParam, StoresDep, axis_params
from regledger.adapters.web.deps import config_of, wants_json
from regledger.adapters.web.filters import path_part, url_with
from regledger.adapters.web.inputs import AxisParams, Paging, parse_day, parse_page, selection, window
from regledger.adapters.web.views import View, answer, page_ahead, page_at, page_of, today

__all__ = ["PageParam", "SearchParam", "router"]

router = APIRouter(include_in_schema=False)
_OTHER_SECTIONS = ("measures", "meetings", "positions")  # the as-of answer's sections besides its list entries
PageParam = Annotated[str | None, Query(description="The page, from 1.")]
SearchParam = Annotated[str | None, Query(description="Only rows whose name, alias or key contains this.")]


@router.get("/")
def home() -> RedirectResponse:
    """The rules as of today."""
    return RedirectResponse(f"/as-of/{today()}", status_code=307)


def _kept(request: Request, *drop: str) -> dict[str, str]:
    """The request's query parameters, less `drop` and empty ones."""
    return {k: v for k, v in request.query_params.items() if k not in drop and v}


@router.get("/as-of")
def as_of_form(request: Request) -> RedirectResponse:
    """The date form's target: `/as-of/{date}` with the other parameters."""
    day = request.query_params.get("date") or str(today())
    return RedirectResponse(url_with(f"/as-of/{parse_day(day, 'date')}", _kept(request, "date", "page")),
                            status_code=303)


def _matching(entry: dict[str, Any], text: str) -> bool:
    """Whether an entry's name, aliases or key contain `text` (case and width folded)."""
    folded = text.casefold()
    names = [entry.get("name") or "", entry.get("party") or "", *(entry.get("aliases") or [])]
    return any(folded in str(name).casefold() for name in names)


def _searched(whole: dict[str, Any], text: str,
              paging: Paging) -> tuple[dict[str, Any], list[tuple[str, Any]], dict[str, int]]:
    """The page `paging` of an as-of answer read whole whose list entries are those matching `text`: the answer with
    its other sections cut to the page, the page's (list key, entry) rows, and how many rows each section holds."""
    cut = slice(paging.start, paging.start + paging.size)
    rows = [(key, entry) for key, entries in whole["lists"].items() for entry in entries if _matching(entry, text)]
    totals = {"lists": len(rows), **{name: len(whole[name]) for name in _OTHER_SECTIONS}}
    return {**whole, **{name: whole[name][cut] for name in _OTHER_SECTIONS}}, rows[cut], totals


def _held(cut: dict[str, Any], rows: list[tuple[str, Any]]) -> dict[str, int]:
    """How many rows of each section a page shows: its list entries `rows`, and the other sections of `cut`."""
    return {"lists": len(rows), **{name: len(cut[name]) for name in _OTHER_SECTIONS}}


@router.get("/as-of/{day}")
def as_of_page(request: Request, day: str, *, axes: AxesDep, db: StoresDep, list_key: ListParam = None,
               party: PartyParam = None, q: SearchParam = None, page: PageParam = None) -> Response:
    """The rules as of `day`, every section paged alike (page N shows rows [start, start + size) of the list
    entries, the measures, the meetings and the positions): read as a page, except a search, which reads the day's
    answer whole to find its entries."""
    on = parse_day(day, "date")
    paging = parse_page(page, config_of(request).page_size)
    view = View(axes, on, {k: v for k, v in (("list", list_key), ("party", party)) if v})
    path, query = f"/as-of/{on}", {**view.query, **({"q": q} if q else {})}
    if q:
        whole, rows, totals = _searched(answers.as_of_answer(db, on, axes.parsed(), selection(list_key, party)), q,
                                        paging)
        shown = page_at(rows, totals["lists"], paging, path, query, sections=totals, held=_held(whole, rows))
    else:
        whole, numbers, more = answers.as_of_page(db, on, axes.parsed(), selection(list_key, party), paging)
        rows = [(key, entry) for key, entries in whole["lists"].items() for entry in entries]
        shown = page_ahead(numbers["lists"], more, paging, path, query, rows=rows, sections=numbers,
                           held=_held(whole, rows))
    lists: dict[str, list[dict[str, Any]]] = {}
    for key, entry in shown.rows:
        lists.setdefault(key, []).append(entry)
    twin = {**whole, "lists": lists, "page": shown.json()}
    return answer(request, "web/as_of.html", twin, {
        "v": view, "a": {**whole, "lists": lists}, "page": shown.json(), "shown": shown.shown, "q": q or "",
        "day": str(on), "list_key": list_key or "", "party": party or "",
    })


@router.get("/diff")
def diff_form(request: Request) -> Response:
    """The compare form's target (`/diff/{from}/{to}`), or the form itself when no dates are given."""
    start, end = request.query_params.get("from"), request.query_params.get("to")
    if not start and not end:
        if wants_json(request):
            raise InputError("from: give the window's dates: /diff/{from}/{to}")
        return answer(request, "web/diff_form.html", {}, {"v": View(axis_params(), None), "start": "",
                                                           "end": str(today())})
    span = window(parse_day(start or "", "from"), parse_day(end or "", "to"))
    return RedirectResponse(url_with(f"/diff/{span.start}/{span.end}", _kept(request, "from", "to", "page")),
                            status_code=303)


@router.get("/diff/{start}/{end}")
def diff_page(request: Request, start: str, end: str, *, axes: AxesDep, db: StoresDep, list_key: ListParam = None,
              party: PartyParam = None, page: PageParam = None) -> Response:
    """The window (start, end] compared, a page of its subjects at a time: page N holds the changes side by side,
    the status transitions and the actions taken effect of the window's subjects [start, start + size) in subject
    order (those with an action effective in the window or whose item changes inside it), read as a page."""
    span = window(parse_day(start, "from"), parse_day(end, "to"))
    paging = parse_page(page, config_of(request).page_size)
    cut, total, more = answers.diff_page(db, span, axes.parsed(), selection(list_key, party), paging)
    view = View(axes, span.end, {k: v for k, v in (("list", list_key), ("party", party)) if v})
    shown = page_ahead(total, more, paging, f"/diff/{span.start}/{span.end}", view.query)
    changes_url = url_with("/api/v1/reports/changes", {"from": str(span.start), "to": str(span.end),
                                                       **view.axes_query})
    return answer(request, "web/diff.html", {**cut, "page": shown.json()}, {
        "v": view, "d": cut, "page": shown.json(), "place": shown.place, "start": str(span.start), "end": str(span.end),
        "list_key": list_key or "", "party": party or "", "changes_url": changes_url,
    })


def _history_page(request: Request, subject: str, axes: AxisParams, db: Any, *, page: str | None,
                  path: str, query: dict[str, str]) -> tuple[dict[str, Any], dict[str, Any], View]:
    """A subject's history, its items paged: (the twin, the page's data, the view)."""
    paging = parse_page(page, config_of(request).page_size)
    whole = answers.history_answer(db, subject, axes.parsed())
    view = View(axes, None)
    shown = page_of(whole["items"], paging, path, {**axes.given(), **query})
    twin = {**whole, "items": shown.rows, "page": shown.json()}
    return twin, {"h": {**whole, "items": shown.rows}, "page": shown.json()}, view


@router.get("/history")
def history_page(request: Request, *, axes: AxesDep, db: StoresDep, subject: str | None = None,
                 page: PageParam = None) -> Response:
    """The timeline of `subject` (a party, LIST/PARTY, a measure or meeting key, ACTOR/SUBJECT)."""
    if not subject:
        if wants_json(request):
            raise InputError("subject: give a subject (?subject=…)")
        return answer(request, "web/history_form.html", {}, {"v": View(axes, None), "subject": ""})
    twin, data, view = _history_page(request, subject, axes, db, page=page, path="/history",
                                       query={"subject": subject})
    return answer(request, "web/history.html", twin, {**data, "v": view, "subject": subject, "kind": None})


def _subject_page(request: Request, kind: str, key: str, axes: AxisParams, db: Any, *, as_of: str | None,
                  page: str | None) -> Response:
    """A measure's or meeting's page: its status on `as_of` (default today) and its history."""
    on = parse_day(as_of, "as_of") if as_of else today()
    twin, data, _ = _history_page(request, key, axes, db, page=page, path=f"/{kind}/{path_part(key)}",
                                 query={"as_of": as_of or ""})
    state = answers.as_of_answer(db, on, axes.parsed(), selection(None, None))
    field = "measures" if kind == "measures" else "meetings"
    now = [item for item in state[field] if item["key"] == key]
    view = View(axes, on)
    return answer(request, "web/history.html", twin, {**data, "v": view, "subject": key, "kind": kind,
                                                      "now": now, "day": str(on)})


@router.get("/measures/{key}")
def measure_page(request: Request, key: str, *, axes: AxesDep, db: StoresDep, as_of: str | None = None,
                 page: PageParam = None) -> Response:
    """A measure: its status on the date and its history with corrections."""
    return _subject_page(request, "measures", key, axes, db, as_of=as_of, page=page)


@router.get("/meetings/{key}")
def meeting_page(request: Request, key: str, *, axes: AxesDep, db: StoresDep, as_of: str | None = None,
                 page: PageParam = None) -> Response:
    """A meeting: its status on the date and its history with corrections."""
    return _subject_page(request, "meetings", key, axes, db, as_of=as_of, page=page)


@router.get("/parties/{key}")
def party_page(request: Request, key: str, axes: AxesDep, db: StoresDep, as_of: str | None = None) -> Response:
    """A party: names, aliases, listings with their timelines (SVG), the measures that apply, positions."""
    on = parse_day(as_of, "as_of") if as_of else None
    named = answers.as_of_answer(db, on or today(), axes.parsed(), selection(None, key))["filter"]["matches"]
    if len({m["party"] for m in named}) > 1:
        view = View(axes, on)
        twin = {"error": f"party: {key!r} names {len(named)} parties: give one key", "matches": named}
        return answer(request, "web/choose.html", twin, {"v": view, "asked": key, "matches": named}, status=300)
    words = (key, *(("--as-of", as_of) if as_of else ()))
    command = answers.report_command("party", words, axes, "json")
    report = reports.party(db, key, axes.parsed(), on, command)
    day = parse_day(report.data["axes"]["as_of"], "as_of")
    found = report.data["party"]["key"]
    state = answers.as_of_answer(db, day, axes.parsed(), selection(None, found)) if found else None
    positions = state["positions"] if state else []
    view = View(axes, day)
    return answer(request, "web/party.html", report.data, {
        "v": view, "r": report.data, "positions": positions, "day": str(day),
        "report_url": url_with("/api/v1/reports/party", {"key": found or key, "as_of": str(day), **axes.given()}),
    })

