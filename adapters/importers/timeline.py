"""The timeline file format (YAML or JSON): read, validate whole, and locate every problem.

A file is a list of actions, or a mapping `{actions: [...]}`. In YAML every scalar stays a string (a country code
`NO` is Norway, not false); duplicate keys are errors in both forms. Problems read
`FILE: action N [id=…]: FIELD: problem`, N counting from 1, list positions in FIELD counting from 1 too.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from regledger.adapters.errors import InputError
from regledger.adapters.store.ledger import Located
from regledger.domain import KINDS, action_adapter

__all__ = ["parse_file", "read_timeline", "read_timelines"]


class _StringLoader(yaml.BaseLoader):
    """YAML with every scalar a string, and duplicate keys refused."""


def _mapping_without_duplicates(loader: _StringLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in seen:
            mark = key_node.start_mark
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r} (line {mark.line + 1})", mark
            )
        seen[key] = loader.construct_object(value_node, deep=True)
    return seen


_StringLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_without_duplicates)


def _json_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"duplicate key {key!r}")
        result[key] = value
    return result


def read_timelines(paths: list[Path]) -> list[Located]:
    """Every action of every file, validated; the first problem anywhere raises InputError."""
    return [item for path in paths for item in read_timeline(path)]


def read_timeline(path: Path) -> list[Located]:
    """The actions of one file, validated in order."""
    raw = parse_file(path)
    items = raw
    if isinstance(raw, dict):
        extra = sorted(set(raw) - {"actions"})
        if extra or "actions" not in raw:
            raise InputError(f"{path}: a timeline mapping holds only 'actions' (found: {', '.join(extra) or 'none'})")
        items = raw["actions"]
    if not isinstance(items, list):
        raise InputError(f"{path}: a timeline is a list of actions, or a mapping with 'actions'")
    return [_validated(path, number, item) for number, item in enumerate(items, start=1)]


def parse_file(path: Path) -> Any:
    """The YAML or JSON content of `path` (by its suffix); InputError names the file and the problem."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"{path}: cannot read the file: {error}") from None
    if path.suffix.lower() == ".json":
        try:
            return json.loads(text, object_pairs_hook=_json_pairs)
        except ValueError as error:
            raise InputError(f"{path}: not valid JSON: {error}") from None
    try:
        return yaml.load(text, Loader=_StringLoader)  # noqa: S506 - a BaseLoader subclass builds no objects
    except yaml.YAMLError as error:
        raise InputError(f"{path}: not valid YAML: {' '.join(str(error).split())}") from None


def _validated(path: Path, number: int, item: Any) -> Located:
    where = f"{path}: action {number}"
    if not isinstance(item, dict):
        raise InputError(f"{where}: an action is a mapping of fields, not {type(item).__name__}")
    if isinstance(item.get("id"), str):
        where += f" [id={item['id']}]"
    kind = item.get("kind")
    if kind is None:
        raise InputError(f"{where}: kind: missing (one of: {', '.join(KINDS)})")
    if kind not in KINDS:
        raise InputError(f"{where}: kind: unknown kind {kind!r} (one of: {', '.join(KINDS)})")
    try:
        action = action_adapter.validate_python(item)
    except ValidationError as error:
        raise InputError(f"{where}: {_describe(error)}") from None
    return Located(where, action)


def _describe(error: ValidationError) -> str:
    """The first problem as `FIELD: problem`."""
    detail = error.errors()[0]
    loc = detail["loc"][1:]  # the first element is the kind tag of the union
    field = ""
    for part in loc:
        field += f"[{part + 1}]" if isinstance(part, int) else f".{part}" if field else str(part)
    message = detail["msg"].removeprefix("Value error, ")
    if detail["type"] == "missing":
        message = "missing (required)"
    elif detail["type"] == "extra_forbidden":
        message = "unknown field"
    return f"{field or 'action'}: {message}"
