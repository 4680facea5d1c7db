"""Input is held to what JSON and a terminal carry safely (domain.values): text without control characters, numbers
JSON carries exactly; what the ledger already stores is read back without those checks (`STORED`)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from pydantic import ValidationError

from regledger.domain import action_adapter
from regledger.domain.actions import data_problem
from regledger.domain.errors import CorrectionError
from regledger.domain.history import apply_fields
from regledger.domain.values import MAX_EXACT_INTEGER, STORED, number_problem, text_problem

NAN, INF = float("nan"), float("inf")
SOURCES = [{"citation": "84 FR 22961", "reliability": "official"}]
LISTED = {"kind": "entity_listed", "id": "el-1", "list": "el", "party": {"key": "huawei", "name": "Huawei"},
          "effective_on": "2019-05-16", "published_on": "2019-05-21", "sources": SOURCES}
ADOPTED = {"kind": "measure_adopted", "id": "ma-1", "measure": {"key": "tgl", "title": "A licence"},
           "effective_on": "2019-05-20", "published_on": "2019-05-22", "sources": SOURCES}
CORRECTION = {"kind": "correction", "id": "c-1", "corrects": "ma-1", "published_on": "2019-06-01", "sources": SOURCES}


@pytest.mark.parametrize(("text", "line", "prose"), [
    ("Huawei Technologies Co., Ltd.", None, None),
    ("華為 مرحبا a\u202eb", None, None),  # any script, and bidirectional controls, are text
    ("a\tb", "a control character (U+0009) at character 2", None),
    ("a\nb", "a line break (U+000A) at character 2", None),
    ("a\u2028b", "a line break (U+2028) at character 2", None),
    ("a\rb", "a line break (U+000D) at character 2", "a line break (U+000D) at character 2"),
    ("Hua\x00wei", "a control character (U+0000) at character 4", "a control character (U+0000) at character 4"),
    ("\x1b]0;pwned\x07", "a control character (U+001B) at character 1", "a control character (U+001B)"),
    ("del\x7f", "a control character (U+007F) at character 4", "a control character (U+007F)"),
    ("csi\x9b", "a control character (U+009B) at character 4", "a control character (U+009B)"),
    ("next\x85line", "a line break (U+0085) at character 5", "a line break (U+0085)"),
])
def test_text_is_one_line_or_prose_without_control_characters(text: str, line: str | None,
                                                              prose: str | None) -> None:
    found_line, found_prose = text_problem(text), text_problem(text, prose=True)

    assert (found_line is None, found_prose is None) == (line is None, prose is None)
    assert line is None or (found_line is not None and found_line.startswith(line))
    assert prose is None or (found_prose is not None and found_prose.startswith(prose))


@pytest.mark.parametrize(("value", "problem"), [
    (NAN, "NaN is not a finite number (JSON cannot carry it)"),
    (INF, "Infinity is not a finite number (JSON cannot carry it)"),
    (-INF, "-Infinity is not a finite number (JSON cannot carry it)"),
    (MAX_EXACT_INTEGER + 1, "a whole number of 16 digits is out of range"),
    (-(MAX_EXACT_INTEGER + 1), "a whole number of 16 digits is out of range"),
    (10**5000, "a whole number of thousands of digits is out of range"),
    (MAX_EXACT_INTEGER, None), (-MAX_EXACT_INTEGER, None), (1e308, None), (-0.0, None), (True, None), ("NaN", None),
], ids=["nan", "infinity", "minus-infinity", "2-53", "minus-2-53", "5001-digits", "largest", "smallest", "1e308",
        "minus-zero", "true", "text"])
def test_a_number_is_finite_and_whole_numbers_stay_within_2_to_the_53(value: Any, problem: str | None) -> None:
    found = number_problem(value)

    assert (found is None) == (problem is None)
    assert problem is None or (found is not None and found.startswith(problem))


@pytest.mark.parametrize(("value", "problem"), [
    ({"a": [1, {"b": NAN}]}, "a[2].b: NaN is not a finite number"),
    ([1, 2, INF], "[3]: Infinity is not a finite number"),
    ({"ok\tkey": 1}, "a control character (U+0009) at character 3"),
    ({"note": "line\nline\ttab"}, None),
    ("text\x00", "a control character (U+0000) at character 5"),
    (2**60, "a whole number of 19 digits is out of range"),
])
def test_nested_data_names_the_path_of_its_first_problem(value: Any, problem: str | None) -> None:
    found = data_problem(value)

    assert (found is None) == (problem is None)
    assert problem is None or (found is not None and found.startswith(problem))


def _problem(data: dict[str, Any], **context: Any) -> str | None:
    try:
        action_adapter.validate_python(data, **context)
    except ValidationError as error:
        detail = error.errors()[0]
        return f"{'.'.join(str(p) for p in detail['loc'][1:])}: {detail['msg'].removeprefix('Value error, ')}"
    return None


STORED_ONLY = [  # what input refuses and a ledger written before the checks may hold
    ({**LISTED, "party": {"key": "huawei", "name": "Hua\x00wei"}}, "party.name: a control character (U+0000)"),
    ({**LISTED, "note": "\x1b[2J"}, "note: a control character (U+001B)"),
    ({**LISTED, "id": "el\x1b1"}, "id: a control character (U+001B)"),
    ({**ADOPTED, "parameters": {"weird": NAN}}, "parameters: weird: NaN is not a finite number"),
    ({**ADOPTED, "parameters": {"big": 2**60}}, "parameters: big: a whole number of 19 digits is out of range"),
    ({**ADOPTED, "parameters": {"entries_designated": 2**60}}, "parameters: entries_designated: a whole number"),
    ({**ADOPTED, "parameters": {"weird": None}}, "parameters: weird: a parameter value is a single string or number"),
    ({**CORRECTION, "fields": {"parameters.weird": NAN}}, "fields.parameters.weird: NaN is not a finite number"),
    ({**CORRECTION, "fields": {"party.na\x00me": "x"}}, ": fields: the path 'party.na\\x00me': a control character"),
]


@pytest.mark.parametrize(("data", "problem"), STORED_ONLY,
                         ids=["nul-name", "escape-note", "escape-id", "nan-parameter", "huge-parameter",
                              "huge-typed-parameter", "null-parameter", "nan-correction", "control-path"])
def test_input_is_refused_what_the_stored_ledger_is_read_back_with(data: dict[str, Any], problem: str) -> None:
    assert (_problem(data) or "").startswith(problem), _problem(data)
    assert _problem(data, context=STORED) is None


def test_stored_parameters_are_still_typed() -> None:
    data = {**ADOPTED, "parameters": {"wind_down_ends_on": "2020-09-14", "de_minimis_percent": "25"}}

    action = action_adapter.validate_python(data, context=STORED)

    assert action.parameters == {"wind_down_ends_on": date(2020, 9, 14), "de_minimis_percent": 25.0}  # type: ignore[union-attr]


def test_a_correction_is_checked_as_input_with_the_action_it_leaves_and_read_back_leniently() -> None:
    listed = action_adapter.validate_python(LISTED)

    with pytest.raises(CorrectionError) as refused:
        apply_fields(listed, {"party.name": "Hi\nSilicon"}, as_input=True)
    corrected = apply_fields(listed, {"party.name": "Hi\nSilicon"})

    assert refused.value.message == ("the corrected action is invalid: party.name: a line break (U+000A) at "
                                     "character 3: this field takes one line of text without control characters")
    assert corrected.party.name == "Hi\nSilicon"  # type: ignore[union-attr]


def test_valid_actions_serialise_as_they_always_did() -> None:
    action = action_adapter.validate_python({**ADOPTED, "parameters": {"de_minimis_percent": 10, "share": 2.5,
                                                                       "count": 7, "label": "x"},
                                             "note": "line one\nline two"})

    assert action.canonical() == (
        '{"effective_on":"2019-05-20","id":"ma-1","kind":"measure_adopted","measure":{"key":"tgl","title":'
        '"A licence"},"note":"line one\\nline two","parameters":{"count":7,"de_minimis_percent":10.0,"label":"x",'
        '"share":2.5},"published_on":"2019-05-22","sources":[{"citation":"84 FR 22961","reliability":"official"}]}')
