"""The counterparty CSV reader (adapters/importers/counterparties.py): rows from 1, every bad row's problems."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from regledger.adapters.errors import InputError
from regledger.adapters.importers.counterparties import (
    MAX_CELL,
    BadRowsError,
    one_counterparty,
    read_counterparties,
)
from regledger.projections.screening import BadRow, CounterpartyRow


def _file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "rows.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_rows_count_from_the_first_data_row(tmp_path: Path) -> None:
    path = _file(tmp_path, "\ufeffName,ID,Country,Address,Date,extra\n"
                           '"Huawei  Technologies",c1,cn,"Bantian, Shenzhen",2019-05-17,x\n'
                           "ZTE,,,,,\n")
    read = read_counterparties(path)
    assert read.bad == ()
    assert read.rows == (
        CounterpartyRow(1, "Huawei Technologies", "c1", "CN", "Bantian, Shenzhen", date(2019, 5, 17)),
        CounterpartyRow(2, "ZTE"),
    )


def test_every_problem_of_every_row(tmp_path: Path) -> None:
    long = "x" * (MAX_CELL + 1)
    path = _file(tmp_path, "name,country,date\n"
                           ",CN,\n"
                           "Acme,CHN,2019-02-30\n"
                           f"{long},,\n"
                           "Ac\x00me,,\n"
                           "Good,,\n"
                           "Extra,,,surplus\n")
    read = read_counterparties(path)
    assert [r.name for r in read.rows] == ["Good"]
    assert [(b.row, b.column) for b in read.bad] == [
        (1, "name"), (2, "country"), (2, "date"), (3, "name"), (4, "name"), (6, "(row)")]
    assert read.bad[0].problem == "missing (required)"
    assert "1,001 characters, more than the limit of 1,000" in read.bad[3].problem
    assert "U+0000" in read.bad[4].problem


def test_the_refusal_is_one_line_naming_the_count_and_the_first(tmp_path: Path) -> None:
    bad = (BadRow(1, "name", "missing (required)"), BadRow(1, "date", "x"), BadRow(7, "country", "y"))
    error = BadRowsError(tmp_path / "f.csv", bad)
    assert "\n" not in str(error)
    assert "2 bad rows (3 problems), nothing screened; the first: row 1: name: missing (required)" in str(error)
    assert error.bad == bad


@pytest.mark.parametrize(("text", "words"), [
    ("", "the file is empty"),
    ("id,country\n1,CN\n", "name: column missing"),
    ("name,Name\nA,B\n", "named twice"),
    ('name\n"unterminated\n', "not valid CSV"),
])
def test_files_refused_in_one_line(tmp_path: Path, text: str, words: str) -> None:
    with pytest.raises(InputError, match=words) as refused:
        read_counterparties(_file(tmp_path, text))
    assert "\n" not in str(refused.value)


def test_a_file_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    path.write_bytes(b"name\n\xff\xfe\n")
    with pytest.raises(InputError, match="not UTF-8"):
        read_counterparties(path)


def test_one_counterparty_from_the_command_line() -> None:
    assert one_counterparty("Huawei", "cn", "Shenzhen") == CounterpartyRow(1, "Huawei", None, "CN", "Shenzhen")
    with pytest.raises(InputError, match=r"^--country:"):
        one_counterparty("Huawei", "China")
    with pytest.raises(InputError, match=r"^--name: missing"):
        one_counterparty("  ")
