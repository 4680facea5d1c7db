"""The layout of the party dossier's timeline chart: plain numbers for `templates/_svg_timeline.html` to draw.

One row per listing or measure: a bar per period of one status (from its first day to its last, or on to the
right edge when it is still open), a dot per action on its effective date, month ticks on top; dates at the
calendar's ends (0001-01-01, 9999-12-31) are drawn like any other. No plotting library: the template writes
`<rect>`, `<circle>`, `<line>` and `<text>` with these coordinates.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

__all__ = ["svg_layout"]

WIDTH, LABEL, RIGHT, TOP, ROW, BAR = 960, 250, 16, 34, 30, 14
LABEL_CHARS = 38


def svg_layout(timeline: dict[str, Any]) -> dict[str, Any]:
    """Coordinates for `timeline` (`rows` of `periods` and `events`, dates as YYYY-MM-DD)."""
    rows = timeline["rows"]
    days = [date.fromisoformat(d) for d in _dates(rows)]
    if not days:
        return {"width": WIDTH, "height": TOP, "rows": [], "ticks": [], "empty": True}
    start = min(days)
    end = _later(max(days), max(30, (max(days) - start).days // 12))
    scale = (WIDTH - LABEL - RIGHT) / max(1, (end - start).days)

    def x(day: str | None) -> float:
        moment = date.fromisoformat(day) if day else end
        return round(LABEL + (moment - start).days * scale, 1)

    laid = [_row(i, row, x) for i, row in enumerate(rows)]
    return {"width": WIDTH, "height": TOP + ROW * len(rows) + 10, "rows": laid, "ticks": _ticks(start, end, x),
            "empty": False}


def _dates(rows: list[dict[str, Any]]) -> list[str]:
    found = [d for row in rows for p in row["periods"] for d in (p["from"], p["to"]) if d]
    return found + [e["on"] for row in rows for e in row["events"]]


def _row(index: int, row: dict[str, Any], x: Any) -> dict[str, Any]:
    y = TOP + ROW * index
    label = row["label"] if len(row["label"]) <= LABEL_CHARS else row["label"][: LABEL_CHARS - 1] + "…"
    bars = []
    for period in row["periods"]:
        left, right = x(period["from"]), x(_next_day(period["to"]))
        bars.append({"x": left, "y": y + (ROW - BAR) / 2, "w": max(2.0, round(right - left, 1)), "h": BAR,
                     "status": period["status"], "open": period["to"] is None,
                     "title": f"{period['status']}: {period['from']} to {period['to'] or 'open'}"})
    dots = [{"cx": x(e["on"]), "cy": y + ROW / 2,
             "title": f"{e['on']} {e['kind']}" + (f" ({e['id']})" if e["id"] else "")}
            for e in row["events"]]
    return {"label": label, "full_label": row["label"], "y": y + ROW / 2 + 4, "line_y": y + ROW, "bars": bars,
            "dots": dots}


def _later(day: date, days: int) -> date:
    """`days` after `day`, or the calendar's last day when that is beyond it."""
    return day + timedelta(days=min(days, (date.max - day).days))


def _next_day(day: str | None) -> str | None:
    """The day after `day` (the calendar's last day stays itself): where a period's bar ends."""
    return _later(date.fromisoformat(day), 1).isoformat() if day else None


def _ticks(start: date, end: date, x: Any) -> list[dict[str, Any]]:
    months = (end.year - start.year) * 12 + end.month - start.month
    step = next((s for s in (1, 2, 3, 6, 12, 24, 60, 120) if months / s <= 8), 1200)
    ticks: list[dict[str, Any]] = []
    year, month = start.year, start.month
    while True:
        month, year = (1, year + 1) if month == 12 else (month + 1, year)
        if year > date.max.year:
            return ticks
        first = date(year, month, 1)
        if first > end:
            return ticks
        if (year * 12 + month - 1) % step == 0:
            ticks.append({"x": x(first.isoformat()), "label": first.strftime("%Y-%m")})
