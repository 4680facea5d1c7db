"""The layout of the party dossier's timeline chart: plain numbers for `templates/_svg_timeline.html` to draw.

One row per listing or measure: a bar per period of one status (from its first day to its last, or on to the
right edge when it is still open), a dot per action on its effective date, month ticks on top; dates at the
calendar's ends (0001-01-01, 9999-12-31) are drawn like any other. No plotting library: the template writes
`<rect>`, `<circle>`, `<line>` and `<text>` with these coordinates.

Row labels must fit their column: each is measured (`text_width`: a per-character width table of Arial/Helvetica,
the font the chart asks for, with East Asian wide characters one em), wrapped onto two lines at word breaks (or
between characters, for a script written without spaces) and, when still too long, cut with an ellipsis; the full
label stays in the row's `<title>` tooltip.
"""

from __future__ import annotations

import unicodedata
from datetime import date, timedelta
from typing import Any

__all__ = ["char_width", "fit_label", "svg_layout", "text_width"]

WIDTH, LABEL, RIGHT, TOP, ROW, BAR = 960, 250, 16, 34, 30, 14
FONT_PX = 11  # the labels' font size (templates/_style.html: svg.timeline text)
LABEL_PX = LABEL - 30  # room for a label: its column less the left margin, a gap, and ~10 % for wider fonts
LINE_PX = 12  # between the baselines of a two-line label
# Advance widths of Arial/Helvetica in thousandths of an em (the AFM metrics), printable ASCII from the space on
_ASCII_WIDTHS = (
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,  # space to /
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,  # 0-9 : ; < = > ?
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,  # @ A-O
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,  # P-Z [ \ ] ^ _
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,  # ` a-o
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,  # p-z { | } ~
)
_OTHER_WIDTH = 600  # a letter outside ASCII (accented Latin, Cyrillic, Arabic): about an average capital
_WIDE_WIDTH = 1000  # East Asian wide and full-width characters: one em


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
    lines = fit_label(row["label"])
    first = y + ROW / 2 + 4 - (LINE_PX / 2 if len(lines) > 1 else 0)
    bars = []
    for period in row["periods"]:
        left, right = x(period["from"]), x(_next_day(period["to"]))
        bars.append({"x": left, "y": y + (ROW - BAR) / 2, "w": max(2.0, round(right - left, 1)), "h": BAR,
                     "status": period["status"], "open": period["to"] is None,
                     "title": f"{period['status']}: {period['from']} to {period['to'] or 'open'}"})
    dots = [{"cx": x(e["on"]), "cy": y + ROW / 2,
             "title": f"{e['on']} {e['kind']}" + (f" ({e['id']})" if e["id"] else "")}
            for e in row["events"]]
    return {"label": " ".join(lines), "lines": [{"text": t, "y": first + LINE_PX * k} for k, t in enumerate(lines)],
            "full_label": row["label"], "y": first, "line_y": y + ROW, "bars": bars, "dots": dots}


def char_width(char: str) -> float:
    """The advance width of `char` in pixels at the labels' font size."""
    code = ord(char)
    if 32 <= code < 127:
        units = _ASCII_WIDTHS[code - 32]
    elif unicodedata.east_asian_width(char) in {"W", "F"}:
        units = _WIDE_WIDTH
    elif unicodedata.combining(char) or unicodedata.category(char) in {"Mn", "Me", "Cf"}:
        units = 0
    else:
        units = _OTHER_WIDTH
    return units * FONT_PX / 1000


def text_width(text: str) -> float:
    """The width of `text` in pixels at the labels' font size (`char_width` summed)."""
    return sum(char_width(c) for c in text)


def fit_label(text: str, room: float = LABEL_PX, lines: int = 2) -> list[str]:
    """`text` on at most `lines` lines of at most `room` pixels: broken at spaces (between characters for a word too
    long for a line), the last line cut with an ellipsis when the text does not fit."""
    words = text.split()
    found: list[str] = []
    while words and len(found) < lines:
        line, words = _fill(words, room)
        found.append(line)
    if words:
        found[-1] = _cut(" ".join([found[-1], *words]), room)
    return found or [""]


def _fill(words: list[str], room: float) -> tuple[str, list[str]]:
    """The first line of `words` within `room` pixels, and the words left (a word too long is split)."""
    line = words[0]
    if text_width(line) > room:
        head = _prefix(line, room)
        return head, [line[len(head):], *words[1:]]
    taken = 1
    while taken < len(words) and text_width(f"{line} {words[taken]}") <= room:
        line = f"{line} {words[taken]}"
        taken += 1
    return line, words[taken:]


def _prefix(text: str, room: float) -> str:
    """The longest start of `text` within `room` pixels (at least one character)."""
    width, end = 0.0, 0
    while end < len(text) and width + char_width(text[end]) <= room:
        width += char_width(text[end])
        end += 1
    return text[: max(end, 1)]


def _cut(text: str, room: float) -> str:
    """`text` cut to fit `room` pixels with a final ellipsis."""
    return _prefix(text, room - char_width("…")).rstrip() + "…"


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
