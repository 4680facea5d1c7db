"""Screening over the web, read-only: one name (`name`, `country`, `address`) or an uploaded CSV of counterparties,
with the command line's options as parameters (`on`, `list`, `threshold`, `review_threshold`, the axes,
`skip_bad_rows`), answered with `regledger screen`'s JSON or CSV. Recorded screening is a write (`writes`).

An upload is saved to a private temporary file only for the importer to read it (the same reader as the command
line's), then removed; its problems are named after the upload's own file name where the command line names FILE.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from regledger.adapters.errors import InputError
from regledger.adapters.importers.counterparties import BadRowsError, one_counterparty, read_counterparties
from regledger.adapters.render.screening_csv import screening_csv
from regledger.adapters.render.screening_json import bad_rows_json, screening_json
from regledger.adapters.services import screening
from regledger.adapters.web.inputs import AxisParams, in_our_words, parse_day
from regledger.adapters.wiring import Stores
from regledger.projections.screening import BadRow, CounterpartyRow, Screening, ScreenOptions

__all__ = ["ScreenAsked", "Upload", "bad_rows_document", "rendered", "rows_of", "run"]


@dataclass(frozen=True)
class Upload:
    """An uploaded counterparty file: its name as the browser gave it, and its bytes."""

    filename: str
    content: bytes


@dataclass(frozen=True)
class ScreenAsked:
    """A screening request's parameters, as given."""

    name: str | None = None
    country: str | None = None
    address: str | None = None
    on: str | None = None
    list_key: str | None = None
    threshold: str | None = None
    review_threshold: str | None = None
    skip_bad_rows: bool = False

    def options(self, axes: AxisParams) -> ScreenOptions:
        """The screening options; InputError naming the first bad parameter."""
        day = parse_day(self.on, "on") if self.on else None
        parsed = axes.parsed()
        threshold, review = _score(self.threshold, "threshold"), _score(self.review_threshold, "review_threshold")
        return ScreenOptions(on=day, published_by=parsed.published_by, known_at=parsed.known_at,
                             min_reliability=parsed.min_reliability, list_key=self.list_key or None,
                             threshold=threshold, review_threshold=review)


def _score(value: str | None, name: str) -> float | None:
    if not value:
        return None
    try:
        score = float(value)
    except ValueError:
        raise InputError(f"{name}: {value!r} is not a number (scores run from 0 to 1)") from None
    if not 0.0 <= score <= 1.0:
        raise InputError(f"{name}: {score} is not between 0 and 1 (scores run from 0 to 1)")
    return score


def _label(filename: str) -> str:
    """How problems name an upload: its file name (or `upload`), without any directory."""
    return Path(filename).name or "upload"


def rows_of(asked: ScreenAsked, upload: Upload | None) -> tuple[list[CounterpartyRow], tuple[BadRow, ...]]:
    """The rows to screen: one name, or every good row of the upload, and the upload's bad rows; InputError when
    both or neither are given, or when the upload cannot be read; BadRowsError when it has bad rows and
    `skip_bad_rows` is off."""
    if (upload is None) == (not asked.name):
        raise InputError("give either a file (a CSV of counterparties) or name, not both" if upload else
                         "give a file (a CSV of counterparties) or name")
    if upload is None:
        try:
            return [one_counterparty(asked.name or "", asked.country or None, asked.address or None)], ()
        except InputError as error:
            raise InputError(str(error).removeprefix("--")) from None
    if asked.country or asked.address:
        raise InputError("country and address go with name; a file gives them in its columns")
    label = _label(upload.filename)
    with tempfile.TemporaryDirectory(prefix="regledger-upload-") as folder:
        path = Path(folder) / "counterparties.csv"
        path.write_bytes(upload.content)
        try:
            read = read_counterparties(path)
        except InputError as error:
            raise InputError(str(error).replace(str(path), label)) from None
    if read.bad and not asked.skip_bad_rows:
        raise BadRowsError(Path(label), read.bad)
    return list(read.rows), read.bad


def run(stores: Stores, asked: ScreenAsked, axes: AxisParams, upload: Upload | None) -> Screening:
    """Screen the request's rows (read-only)."""
    options = asked.options(axes)
    rows, bad = rows_of(asked, upload)
    with in_our_words():
        return screening.screen(stores, rows, options, bad)


def rendered(result: Screening, output: str) -> str | dict[str, Any]:
    """`regledger screen`'s output: the JSON document (a dict) or the CSV text."""
    return screening_csv(result) if output == "csv" else screening_json(result)


def bad_rows_document(error: BadRowsError) -> dict[str, Any]:
    """What `regledger screen --format json` prints for a file with bad rows, with the one-line error."""
    return {"error": str(error), "bad_rows": bad_rows_json(error.bad)}
