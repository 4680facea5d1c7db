"""Adapter errors: what the command line reports as a message and an exit status, never a traceback; and the limits
on input, whose breach is one of them.

    RegledgerError
    ├── InputError            a file or its content cannot be read or validated (exit 1)
    ├── StoreError            the store setting is wrong or the store cannot be reached (exit 1)
    └── ConflictError         concurrent writers kept colliding after every retry (exit 1)

An `InputError` about content that pydantic refused names the field: `field_problem` is the one way a
`ValidationError` becomes `FIELD: problem`, and `validated` raises it. A message is one line: a hostile value in it
is quoted (`shown`), and `one_line` escapes whatever control character is left before it reaches a terminal.

Limits on every input file (docs/timeline-format.md, docs/importers.md): `read_input` reads only regular files of at
most `MAX_FILE_BYTES`, so a FIFO never blocks and /dev/zero never fills memory; `check_json_nesting` refuses JSON
nested deeper than `MAX_NESTING` before a parser recurses into it (the YAML reader counts as it composes), and
`load_json` does that, then parses, refusing the numbers JSON cannot carry (NaN, Infinity, `1e999`).
"""

from __future__ import annotations

import itertools
import json
import os
import re
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any, Final, TypeVar

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from regledger.adapters.safe_text import safe_text

__all__ = [
    "MAX_FILE_BYTES",
    "MAX_NESTING",
    "ConflictError",
    "FieldPath",
    "InputError",
    "RegledgerError",
    "StoreError",
    "check_json_nesting",
    "counted",
    "dotted",
    "field_problem",
    "load_json",
    "nesting_problem",
    "one_line",
    "problem",
    "pydantic_message",
    "read_input",
    "shown",
    "validated",
]

MAX_NESTING: Final = 100  # lists and mappings inside one another, in any input file
MAX_FILE_BYTES: Final = 256 * 1024 * 1024  # the largest input file read (256 MB)

FieldPath = tuple[int | str, ...]  # where pydantic found a problem: field names and list positions (from 0)
T = TypeVar("T")


class RegledgerError(Exception):
    """Root of the errors the command line turns into a message."""


class InputError(RegledgerError):
    """A file or its content cannot be read or validated; the message names the place and the problem."""


class StoreError(RegledgerError):
    """The store setting is wrong or the store cannot be reached."""


class ConflictError(RegledgerError):
    """Other writers kept changing the same streams; nothing of this run was stored."""


def counted(path: FieldPath) -> str:
    """`sources[2].reliability`: names joined by '.', list positions in brackets counting from 1."""
    field = ""
    for part in path:
        field += f"[{part + 1}]" if isinstance(part, int) else f".{part}" if field else part
    return field


def dotted(path: FieldPath) -> str:
    """`agencies.0.name`: every element as pydantic gives it (list positions from 0), joined by '.'."""
    return ".".join(str(part) for part in path)


def pydantic_message(detail: ErrorDetails) -> str:
    """pydantic's own message, less the `Value error, ` it puts before a validator's."""
    return detail["msg"].removeprefix("Value error, ")


def problem(detail: ErrorDetails) -> str:
    """The problem in regledger's words: `missing (required)`, `unknown field`, else `pydantic_message`."""
    if detail["type"] == "missing":
        return "missing (required)"
    if detail["type"] == "extra_forbidden":
        return "unknown field"
    return pydantic_message(detail)


def field_problem(error: ValidationError, *, whole: str = "", skip: int = 0,
                  spell: Callable[[FieldPath], str] = counted, explain: Callable[[ErrorDetails], str] = problem) -> str:
    """The first problem of `error` as `FIELD: problem`.

    FIELD is the problem's path less its first `skip` elements (a tagged union's tag), spelt by `spell`; `whole`
    when nothing is left (the object as a whole is wrong). `explain` words the problem.
    """
    detail = error.errors()[0]
    return f"{spell(detail['loc'][skip:]) or whole}: {explain(detail)}"


def validated(where: str, validate: Callable[[Any], T], data: Any, *, whole: str = "", skip: int = 0,
              spell: Callable[[FieldPath], str] = counted, explain: Callable[[ErrorDetails], str] = problem) -> T:
    """`validate(data)`; when pydantic refuses it, InputError `WHERE: FIELD: problem` (`field_problem`, whose
    options these are)."""
    try:
        return validate(data)
    except ValidationError as error:
        named = field_problem(error, whole=whole, skip=skip, spell=spell, explain=explain)
        raise InputError(f"{where}: {named}") from None


# --- messages on one line -----------------------------------------------------------------------------------------

def one_line(message: str) -> str:
    """`message` as one line that a terminal shows as it is: every control, separator and format character escaped
    as Python does (`\\n`, `\\x1b`, `\\u202e`), by the one function that makes stored text safe (`safe_text`); its
    backslashes are left as they are, since the values in a message are already quoted with escapes."""
    return safe_text(message, backslashes=False)


def shown(value: object) -> str:
    """A value for a message: as it is when it is plain one-line text, else quoted with escapes (`repr`)."""
    text = str(value)
    return text if isinstance(value, str) and text.isprintable() else repr(value)


# --- limits on input ------------------------------------------------------------------------------------------------

def read_input(path: Path) -> bytes:
    """The bytes of the regular file at `path`; InputError `FILE: cannot read the file: …` when it cannot be opened,
    is not a regular file (a FIFO, a device, a folder) or holds more than MAX_FILE_BYTES."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # a FIFO opens at once instead of waiting
    except OSError as error:
        raise InputError(f"{path}: cannot read the file: {error}") from None
    status = os.fstat(descriptor)
    kind = _kind(status.st_mode)
    too_large = InputError(f"{path}: cannot read the file: it is larger than the limit of {MAX_FILE_BYTES:,} "
                           "bytes (256 MB)")
    if kind is not None or status.st_size > MAX_FILE_BYTES:
        os.close(descriptor)
        raise too_large if kind is None else InputError(f"{path}: cannot read the file: it is {kind}, not a "
                                                        "regular file")
    with os.fdopen(descriptor, "rb") as file:
        data = file.read(MAX_FILE_BYTES + 1)  # a file that grew, or tells no size (/proc), stops here
    if len(data) > MAX_FILE_BYTES:
        raise too_large
    return data


def _kind(mode: int) -> str | None:
    """What a file that is not a regular file is (None for a regular file)."""
    if stat.S_ISREG(mode):
        return None
    kinds = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a character device"),
             (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))
    return next((name for test, name in kinds if test(mode)), "not a regular file")


def nesting_problem(limit: int = MAX_NESTING) -> str:
    """The words of a refusal for nesting deeper than `limit`."""
    return f"nested more than {limit} levels deep (the limit for lists and mappings inside one another)"


_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_A_BRACKET = re.compile(r"[^\[\]{}]+")
_DEPTH_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


def check_json_nesting(text: str, where: str, limit: int = MAX_NESTING) -> None:
    """Refuse JSON `text` (read from `where`) whose arrays and objects nest deeper than `limit`, before any parser
    recurses into it: InputError `WHERE: nested deeper than …`. Linear in the text; strings are skipped."""
    if text.count("[") + text.count("{") <= limit:
        return  # too few brackets to nest that deep
    brackets = _NOT_A_BRACKET.sub("", _JSON_STRING.sub("", text))
    if max(itertools.accumulate(map(_DEPTH_STEP.__getitem__, brackets)), default=0) > limit:
        raise InputError(f"{where}: {nesting_problem(limit)}")


def load_json(text: str, where: str, *, finite: bool = True,
              pairs: Callable[[list[tuple[str, Any]]], Any] | None = None) -> Any:
    """The JSON content of `text` (read from `where`), its nesting checked first (`check_json_nesting`); with
    `finite`, `NaN`, `Infinity` and a number too large to be one (`1e999`) are refused wherever they are (without it
    they are read as Python reads them, for a validator that names the field). `pairs` builds each object.
    InputError `WHERE: not valid JSON: …` otherwise."""
    check_json_nesting(text, where)
    try:
        if finite:
            return json.loads(text, object_pairs_hook=pairs, parse_constant=_not_a_number, parse_float=_finite)
        return json.loads(text, object_pairs_hook=pairs)
    except ValueError as error:
        raise InputError(f"{where}: not valid JSON: {error}") from None
    except RecursionError:  # not reached within MAX_NESTING; kept so that no input can end in a traceback
        raise InputError(f"{where}: {nesting_problem()}") from None


def _not_a_number(name: str) -> Any:
    msg = f"{name} is not a number JSON can carry (JSON has no NaN or Infinity)"
    raise ValueError(msg)


def _finite(spelt: str) -> float:
    value = float(spelt)
    if value in (float("inf"), float("-inf")):
        msg = f"{spelt[:40]} is beyond the range of numbers (it would read as Infinity)"
        raise ValueError(msg)
    return value
