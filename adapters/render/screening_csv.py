"""The CSV output of `screen`: one line per row, matched party and list (`COLUMNS`, docs/screening.md); a row with
no match is one line with the match columns empty. Cells that a spreadsheet would run as a formula (starting with
=, +, -, @, tab or carriage return) are prefixed with an apostrophe."""

from __future__ import annotations

import csv
import io
from typing import Final

from regledger.adapters.render.answers_json import plain
from regledger.projections.screening import BadRow, Screening

__all__ = ["BAD_ROW_COLUMNS", "COLUMNS", "bad_rows_csv", "screening_csv"]

COLUMNS: Final = ("row", "id", "name", "date", "decision", "party", "party_name", "matched_name", "score", "list",
                  "status", "public_by_date")
BAD_ROW_COLUMNS: Final = ("row", "column", "problem")
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def screening_csv(result: Screening) -> str:
    """The screening as CSV text with a header (`COLUMNS`)."""
    lines: list[list[object]] = [list(COLUMNS)]
    for row in result.rows:
        head: list[object] = [row.row, row.id or "", row.name, plain(row.date), row.decision]
        if not row.matches:
            lines.append([*head, "", "", "", "", "", "", ""])
        for hit in row.matches:
            matched = [hit.party, hit.party_name or "", hit.match.name.text, f"{hit.match.score:.4f}"]
            lines.extend([*head, *matched, s.list, s.status, "true" if s.public_by_date else "false"]
                         for s in hit.lists)
    return _written(lines)


def bad_rows_csv(bad: tuple[BadRow, ...]) -> str:
    """Every problem of every bad row as CSV (`BAD_ROW_COLUMNS`)."""
    return _written([list(BAD_ROW_COLUMNS), *([b.row, b.column, b.problem] for b in bad)])


def _written(lines: list[list[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for line in lines:
        writer.writerow([_cell(value) for value in line])
    return out.getvalue()


def _cell(value: object) -> str:
    text = str(value)
    return f"'{text}" if text.startswith(_FORMULA) and not isinstance(value, int | float) else text
