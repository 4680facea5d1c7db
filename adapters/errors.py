"""Adapter errors: what the command line reports as a message and an exit status, never a traceback.

    RegledgerError
    ├── InputError            a file or its content cannot be read or validated (exit 1)
    ├── StoreError            the store setting is wrong or the store cannot be reached (exit 1)
    └── ConflictError         concurrent writers kept colliding after every retry (exit 1)

An `InputError` about content that pydantic refused names the field: `field_problem` is the one way a
`ValidationError` becomes `FIELD: problem`, and `validated` raises it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from pydantic import ValidationError
from pydantic_core import ErrorDetails

__all__ = [
    "ConflictError",
    "FieldPath",
    "InputError",
    "RegledgerError",
    "StoreError",
    "counted",
    "dotted",
    "field_problem",
    "problem",
    "pydantic_message",
    "validated",
]

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
