"""Counterparty files for `regledger screen`: CSV, UTF-8, a header naming the columns.

    name      required: the counterparty's name, in any script
    id        optional: the row's own identifier (e.g. the customer number), reported back as given
    country   optional: ISO 3166 alpha-2 code (CN, de …), evidence for the matcher
    address   optional: one line of address, evidence for the matcher
    date      optional: the row's transaction date (YYYY-MM-DD); screened on it instead of `--on`

Other columns are ignored. Rows count from 1, the first data row (the header is row 0). Every cell is one line of
text without control characters (a NUL byte, a line break inside a quoted cell) of at most `MAX_CELL` characters;
a row has no more cells than the header. Every problem of every row is found (`read_counterparties` returns them
all, as `BadRow`s): the caller refuses the file whole (`BadRowsError`) or screens the good rows only.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from regledger.adapters.errors import MAX_FILE_BYTES, InputError
from regledger.adapters.importers.files import read_text
from regledger.domain.values import parse_legal_date, text_problem
from regledger.projections.screening import BadRow, CounterpartyRow

__all__ = ["COLUMNS", "MAX_CELL", "BadRowsError", "Counterparties", "one_counterparty", "read_counterparties"]

COLUMNS: Final = ("id", "name", "country", "address", "date")
MAX_CELL: Final = 1_000  # characters in one cell: no name or address is longer; a longer one is a bad row
_COUNTRY = re.compile(r"^[A-Za-z]{2}$")


@dataclass(frozen=True)
class Counterparties:
    """What a file held: the good rows in order, and every bad row's problems (row, column, problem)."""

    path: Path
    rows: tuple[CounterpartyRow, ...]
    bad: tuple[BadRow, ...]


class BadRowsError(InputError):
    """A file with bad rows, refused whole: the message is one line (how many, the first problem); `bad` holds
    every problem, for a report."""

    def __init__(self, path: Path, bad: tuple[BadRow, ...]) -> None:
        rows = len({b.row for b in bad})
        first = bad[0]
        super().__init__(f"{path}: {rows:,} bad row{'s' if rows != 1 else ''} ({len(bad):,} "
                         f"problem{'s' if len(bad) != 1 else ''}), nothing screened; the first: row {first.row}: "
                         f"{first.column}: {first.problem} (every problem is listed in the output; "
                         "--skip-bad-rows screens the good rows)")
        self.path, self.bad = path, bad


def read_counterparties(path: Path) -> Counterparties:
    """The rows of the CSV file at `path`, and every problem of its bad rows; InputError when the file cannot be
    read at all (not UTF-8, over the size limit, not CSV, no `name` column)."""
    text = read_text(path)
    with _field_limit(MAX_FILE_BYTES):  # a long cell is reported as a bad row, not as unreadable CSV
        reader = csv.reader(io.StringIO(text, newline=""), strict=True)
        try:
            header = next(reader, None)
            if header is None:
                raise InputError(f"{path}: the file is empty: a counterparty file starts with a header naming "
                                 "its columns (name required; id, country, address, date optional)")
            columns = _header(path, header)
            rows: list[CounterpartyRow] = []
            bad: list[BadRow] = []
            number = 0
            for number, cells in enumerate(reader, start=1):
                read, problems = _row(number, cells, columns)
                bad.extend(problems)
                if read is not None:
                    rows.append(read)
        except csv.Error as error:
            raise InputError(f"{path}: row {number + 1}: not valid CSV: {error}") from None
    return Counterparties(path, tuple(rows), tuple(bad))


def one_counterparty(name: str, country: str | None = None, address: str | None = None) -> CounterpartyRow:
    """One counterparty given on the command line, held to a file row's rules; InputError naming the first bad
    option (`--name`, `--country`, `--address`)."""
    cells = [name, country or "", address or ""]
    read, problems = _row(1, cells, {"name": 0, "country": 1, "address": 2, "_width": 3})
    if read is None:
        raise InputError(f"--{problems[0].column}: {problems[0].problem}")
    return read


def _header(path: Path, header: list[str]) -> dict[str, int]:
    """Where each known column is; InputError for a header without `name`, or naming a column twice."""
    names = [cell.strip().lstrip("\ufeff").casefold() for cell in header]
    columns: dict[str, int] = {}
    for index, name in enumerate(names):
        if name in COLUMNS:
            if name in columns:
                raise InputError(f"{path}: row 0 (header): {name}: the column is named twice")
            columns[name] = index
    if "name" not in columns:
        raise InputError(f"{path}: row 0 (header): name: column missing (a counterparty file's header names "
                         f"name, and may name {', '.join(c for c in COLUMNS if c != 'name')})")
    columns["_width"] = len(header)
    return columns


def _row(number: int, cells: list[str], columns: dict[str, int]) -> tuple[CounterpartyRow | None, list[BadRow]]:
    """The row read, or None, and its problems (each column's first)."""
    width = columns["_width"]
    problems: list[BadRow] = []
    if len(cells) > width:
        problems.append(BadRow(number, "(row)", f"the row has {len(cells)} cells, the header {width}"))
    values: dict[str, str | None] = {}
    for column in COLUMNS:
        index = columns.get(column)
        raw = cells[index] if index is not None and index < len(cells) else ""
        problem = _cell_problem(raw)
        if problem is not None:
            problems.append(BadRow(number, column, problem))
            values[column] = None
            continue
        values[column] = " ".join(raw.split()) or None
    name, country, day = values["name"], values["country"], None
    if name is None and not any(b.column == "name" for b in problems):
        problems.append(BadRow(number, "name", "missing (required)"))
    if country is not None and not _COUNTRY.match(country):
        problems.append(BadRow(number, "country", f"{country!r} is not an ISO 3166 alpha-2 code (e.g. CN, DE)"))
    if values["date"] is not None:
        try:
            day = parse_legal_date(values["date"])
        except ValueError as error:
            problems.append(BadRow(number, "date", str(error)))
    if problems or name is None:
        return None, problems
    return CounterpartyRow(number, name, values["id"], country.upper() if country else None, values["address"],
                           day), []


def _cell_problem(raw: str) -> str | None:
    """Why a cell cannot be read: too long, or holding a control character (a NUL byte, a line break)."""
    if len(raw) > MAX_CELL:
        return f"{len(raw):,} characters, more than the limit of {MAX_CELL:,}"
    return text_problem(raw)


@contextmanager
def _field_limit(limit: int) -> Iterator[None]:
    """The csv module's limit on one cell raised to `limit` while reading, then put back."""
    before = csv.field_size_limit(limit)
    try:
        yield
    finally:
        csv.field_size_limit(before)
