"""What the importers' readers share: a file's text, its JSON or YAML content, and the check that an item of it is a
mapping of fields. Each problem is an InputError that names the file (or the item: `FILE: action N`).

In YAML every scalar stays a string (a country code `NO` is Norway, not false); duplicate keys are errors in YAML,
and in JSON where the reader asks for it (`parse_json(..., unique_keys=True)`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from regledger.adapters.errors import InputError

__all__ = ["fields_of", "labelled", "numbered", "parse_file", "parse_json", "read_text"]


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


def read_text(path: Path, encoding: str = "utf-8") -> str:
    """The text of `path`; InputError `FILE: cannot read the file: …`."""
    try:
        return path.read_text(encoding=encoding)
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"{path}: cannot read the file: {error}") from None


def parse_json(path: Path, text: str, *, unique_keys: bool = False) -> Any:
    """The JSON content of `text`, read from `path`; InputError `FILE: not valid JSON: …`."""
    try:
        return json.loads(text, object_pairs_hook=_json_pairs if unique_keys else None)
    except ValueError as error:
        raise InputError(f"{path}: not valid JSON: {error}") from None


def parse_file(path: Path) -> Any:
    """The YAML or JSON content of `path` (by its suffix), a key given twice refused in either."""
    text = read_text(path)
    if path.suffix.lower() == ".json":
        return parse_json(path, text, unique_keys=True)
    try:
        return yaml.load(text, Loader=_StringLoader)  # noqa: S506 - a BaseLoader subclass builds no objects
    except yaml.YAMLError as error:
        raise InputError(f"{path}: not valid YAML: {' '.join(str(error).split())}") from None


def numbered(path: Path, items: object, noun: str, refusal: str) -> list[tuple[str, Any]]:
    """(`FILE: NOUN N`, item) for each item of the list `items`, N counting from 1; InputError `FILE: REFUSAL` when
    `items` is not a list."""
    if not isinstance(items, list):
        raise InputError(f"{path}: {refusal}")
    return [(f"{path}: {noun} {number}", item) for number, item in enumerate(items, start=1)]


def fields_of(where: str, item: object, refusal: str) -> dict[str, Any]:
    """`item`, a mapping of fields; InputError `WHERE: REFUSAL, not TYPE` when it is something else."""
    if not isinstance(item, dict):
        raise InputError(f"{where}: {refusal}, not {type(item).__name__}")
    return item


def labelled(where: str, label: object, prefix: str = "") -> str:
    """`WHERE [PREFIXLABEL]` when the item names itself (`label` is a string, e.g. its id), else `WHERE`."""
    return f"{where} [{prefix}{label}]" if isinstance(label, str) else where
