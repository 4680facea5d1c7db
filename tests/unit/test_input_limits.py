"""The limits on every input file (adapters/errors.py, adapters/importers/files.py): regular files of at most
256 MB, UTF-8 with an optional byte-order mark, nesting at most 100 deep (checked before a parser recurses), YAML
aliases counted at their full size, JSON numbers JSON can carry; and messages that stay on one line."""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Any

import pytest

from regledger.adapters.errors import (
    MAX_FILE_BYTES,
    MAX_NESTING,
    InputError,
    check_json_nesting,
    load_json,
    one_line,
    read_input,
    shown,
)
from regledger.adapters.importers.files import labelled, parse_file


def _refusal(call: Any, *args: Any, **kwargs: Any) -> str:
    with pytest.raises(InputError) as refused:
        call(*args, **kwargs)
    return str(refused.value)


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize(("text", "deepest"), [
    (_nested(MAX_NESTING), MAX_NESTING),
    ('{"a": ' * MAX_NESTING + "1" + "}" * MAX_NESTING, MAX_NESTING),
    ('["' + "[" * 300 + '"]', 1),  # brackets inside a string do not nest
    ('["\\"' + "[" * 300 + '", "]]]]"]', 1),  # nor after an escaped quote
    ("[" + "[], " * 500 + "[]]", 2),  # many brackets, little depth
])
def test_json_nesting_is_counted_outside_strings(text: str, deepest: int) -> None:
    check_json_nesting(text, "in.json", limit=deepest)

    assert _refusal(check_json_nesting, text, "in.json", limit=deepest - 1) == (
        f"in.json: nested more than {deepest - 1} levels deep (the limit for lists and mappings inside one another)")


@pytest.mark.parametrize(("literal", "says"), [
    ("NaN", "NaN is not a number JSON can carry (JSON has no NaN or Infinity)"),
    ("Infinity", "Infinity is not a number JSON can carry (JSON has no NaN or Infinity)"),
    ("-Infinity", "-Infinity is not a number JSON can carry (JSON has no NaN or Infinity)"),
    ("1e999", "1e999 is beyond the range of numbers (it would read as Infinity)"),
    ("-1e999", "-1e999 is beyond the range of numbers (it would read as Infinity)"),
])
def test_json_numbers_that_are_not_json_are_refused_unless_a_validator_will_name_them(literal: str, says: str) -> None:
    text = f'{{"ignored": [1, {literal}]}}'

    assert _refusal(load_json, text, "in.json") == f"in.json: not valid JSON: {says}"
    assert not math.isfinite(load_json(text, "in.json", finite=False)["ignored"][1])


def test_json_within_the_limits_is_read_as_it_is() -> None:
    assert load_json('{"a": [1, 2.5, 9007199254740993, "NaN"]}', "in.json") == {"a": [1, 2.5, 2**53 + 1, "NaN"]}


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this system")
    pipe = tmp_path / "pipe.json"
    os.mkfifo(pipe)

    assert _refusal(read_input, pipe) == f"{pipe}: cannot read the file: it is a FIFO (named pipe), not a regular file"


@pytest.mark.parametrize(("path", "kind"), [(Path("/dev/zero"), "a character device"), (Path("/"), "a folder")])
def test_what_is_not_a_regular_file_is_refused_naming_what_it_is(path: Path, kind: str) -> None:
    if not path.exists():
        pytest.skip(f"{path} does not exist here")

    assert _refusal(read_input, path) == f"{path}: cannot read the file: it is {kind}, not a regular file"


def test_a_file_over_256_mb_is_refused_before_it_is_read(tmp_path: Path) -> None:
    huge = tmp_path / "huge.json"
    with huge.open("wb") as file:
        file.truncate(MAX_FILE_BYTES + 1)  # sparse: nothing written, nothing read

    assert _refusal(read_input, huge) == (f"{huge}: cannot read the file: it is larger than the limit of "
                                          "268,435,456 bytes (256 MB)")


@pytest.mark.parametrize("name", ["in.json", "in.yaml"])
def test_a_byte_order_mark_is_ignored(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"\xef\xbb\xbf" + (b'{"a": "b"}' if name.endswith(".json") else b"a: b\n"))

    assert parse_file(path) == {"a": "b"}


def _yaml(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "in.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_yaml_nesting_is_counted_as_it_is_composed(tmp_path: Path) -> None:
    assert parse_file(_yaml(tmp_path, "- " * MAX_NESTING + "x\n")) is not None

    deep = _yaml(tmp_path, "- " * (MAX_NESTING + 1) + "x\n")
    assert _refusal(parse_file, deep) == (f"{deep}: nested more than 100 levels deep (the limit for lists and "
                                          "mappings inside one another) (line 1)")


def test_yaml_aliases_are_expanded_as_written_and_counted_at_their_full_size(tmp_path: Path) -> None:
    shared = _yaml(tmp_path, "source: &fr {citation: 84 FR 22961}\nagain: *fr\n")
    assert parse_file(shared) == {"source": {"citation": "84 FR 22961"}, "again": {"citation": "84 FR 22961"}}

    lines = ["a0: &a0 [" + ",".join(["x" * 100] * 100) + "]"]
    lines += [f"a{n}: &a{n} [{','.join([f'*a{n - 1}'] * 100)}]" for n in range(1, 5)]
    laughs = _yaml(tmp_path, "\n".join(lines) + "\n")
    assert _refusal(parse_file, laughs) == f"{laughs}: its aliases expand it beyond 268,435,456 characters (the " \
                                           "limit) (line 4)"


def test_a_yaml_alias_inside_its_own_anchor_is_refused(tmp_path: Path) -> None:
    path = _yaml(tmp_path, "a: &a [1, *a]\n")

    assert _refusal(parse_file, path) == f"{path}: the alias *a is inside its own anchor (line 1)"


@pytest.mark.parametrize(("message", "line"), [
    ("in.json: document 1: title: plain", "in.json: document 1: title: plain"),
    ("a\nb\r\tc", "a\\nb\\r\\tc"),
    ("\x1b]0;pwned\x07\x1b[2J", "\\x1b]0;pwned\\x07\\x1b[2J"),
    ("del\x7f c1\x9b nel\x85", "del\\x7f c1\\x9b nel\\x85"),
    ("\u202eevil\u2066 \u2028 \ufeff", "\\u202eevil\\u2066 \\u2028 \\ufeff"),
    ("華為 é", "華為 é"),
])
def test_a_message_is_one_line_with_controls_escaped(message: str, line: str) -> None:
    assert one_line(message) == line


@pytest.mark.parametrize(("label", "where"), [
    ("2019-10616", "FILE: document 1 [2019-10616]"),
    ("2019\nregledger: error: forged", "FILE: document 1 ['2019\\nregledger: error: forged']"),
    ("a\u202eb", "FILE: document 1 ['a\\u202eb']"),
    (5, "FILE: document 1"),
])
def test_a_label_that_is_not_plain_one_line_text_is_quoted(label: object, where: str) -> None:
    assert labelled("FILE: document 1", label) == where
    assert "\n" not in shown(label)
