"""What the importers' readers share: a file's text, its JSON or YAML content, and the check that an item of it is a
mapping of fields. Each problem is an InputError that names the file (or the item: `FILE: action N`).

A file is read within the limits of `errors.read_input` (a regular file, at most 256 MB) as UTF-8, a byte-order mark
at its start ignored. In YAML every scalar stays a string (a country code `NO` is Norway, not false); duplicate keys
are errors in YAML, and in JSON where the reader asks for it (`parse_json(..., unique_keys=True)`). Nesting deeper
than `MAX_NESTING` is refused in either before it is parsed any further, and so is a YAML file whose aliases
(`*name`) would expand it beyond `MAX_EXPANDED` characters.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Final

import yaml
from pydantic import AfterValidator

from regledger.adapters.errors import (
    MAX_FILE_BYTES,
    MAX_NESTING,
    InputError,
    load_json,
    nesting_problem,
    read_input,
    shown,
)
from regledger.domain.values import text_problem

__all__ = [
    "MAX_EXPANDED",
    "LineText",
    "ProseText",
    "fields_of",
    "labelled",
    "line_text",
    "numbered",
    "parse_file",
    "parse_json",
    "prose_text",
    "read_text",
]

MAX_EXPANDED: Final = MAX_FILE_BYTES  # the size of a YAML document with its aliases expanded (characters and nodes)
_BOM = "\ufeff"


class _Refused(yaml.YAMLError):
    """A YAML document beyond a limit: `problem` says which, `line` where (from 1)."""

    def __init__(self, problem: str, event: yaml.Event) -> None:
        super().__init__(problem)
        self.problem, self.line = problem, event.start_mark.line + 1 if event.start_mark else 0


class _StringLoader(yaml.BaseLoader):
    """YAML with every scalar a string, duplicate keys refused, and the nesting and the expansion of aliases
    counted as the document is composed (the composer recurses once per level: it is stopped before it is deep)."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0  # collections open around the node being composed
        self._expanded = 0  # the size of the document so far, aliases expanded
        self._sizes: dict[str, int] = {}  # the expanded size of each anchored node, once it is closed

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        event: yaml.NodeEvent = self.peek_event()  # type: ignore[no-untyped-call]
        if isinstance(event, yaml.AliasEvent):
            return self._alias(event, parent, index)
        opens = isinstance(event, yaml.SequenceStartEvent | yaml.MappingStartEvent)
        self._depth += opens
        if self._depth > MAX_NESTING:
            raise _Refused(nesting_problem(), event)
        before = self._expanded
        try:
            node = super().compose_node(parent, index)
        finally:
            self._depth -= opens
        self._grow(1 + (len(node.value) if isinstance(node, yaml.ScalarNode) else 0), event)
        if event.anchor is not None:
            self._sizes[event.anchor] = self._expanded - before
        return node

    def _alias(self, event: yaml.AliasEvent, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        """The node an alias names, counted at its full size; an alias inside its own anchor is refused."""
        anchor = event.anchor or ""
        if anchor in self.anchors and anchor not in self._sizes:
            raise _Refused(f"the alias *{anchor} is inside its own anchor", event)
        node = super().compose_node(parent, index)  # an undefined alias: the library's own error
        self._grow(self._sizes.get(anchor, 1), event)
        return node

    def _grow(self, size: int, event: yaml.Event) -> None:
        self._expanded += size
        if self._expanded > MAX_EXPANDED:
            raise _Refused(f"its aliases expand it beyond {MAX_EXPANDED:,} characters (the limit)", event)


def _mapping_without_duplicates(loader: _StringLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str):
            mark = key_node.start_mark
            raise yaml.constructor.ConstructorError(
                None, None, f"a key is a list or a mapping (line {mark.line + 1}); keys are text", mark
            )
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


def read_text(path: Path) -> str:
    """The UTF-8 text of the file at `path`, less a byte-order mark at its start; InputError `FILE: cannot read the
    file: …` (see `errors.read_input` for the files refused)."""
    try:
        return read_input(path).decode("utf-8").removeprefix(_BOM)
    except UnicodeDecodeError as error:
        raise InputError(f"{path}: cannot read the file: {error} (the file is not UTF-8 text)") from None


def parse_json(path: Path, text: str, *, unique_keys: bool = False, finite: bool = True) -> Any:
    """The JSON content of `text`, read from `path` (`errors.load_json`: nesting checked first; with `finite`, NaN,
    Infinity and `1e999` refused wherever they are, as in the importers' files, whose other fields are ignored);
    InputError `FILE: not valid JSON: …` or `FILE: nested more than …`."""
    return load_json(text, str(path), finite=finite, pairs=_json_pairs if unique_keys else None)


def parse_file(path: Path) -> Any:
    """The YAML or JSON content of `path` (by its suffix), a key given twice refused in either."""
    text = read_text(path)
    if path.suffix.lower() == ".json":  # every field is validated: a NaN is refused there, naming its field
        return parse_json(path, text, unique_keys=True, finite=False)
    try:
        return yaml.load(text, Loader=_StringLoader)  # noqa: S506 - a BaseLoader subclass builds no objects
    except _Refused as refused:
        raise InputError(f"{path}: {refused.problem} (line {refused.line})") from None
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
    """`WHERE [PREFIXLABEL]` when the item names itself (`label` is a string, e.g. its id), else `WHERE`; a label
    that is not plain one-line text is quoted with escapes (`errors.shown`), so that it cannot break the line."""
    return f"{where} [{prefix}{shown(label)}]" if isinstance(label, str) else where


def line_text(value: str) -> str:
    """`value`, one line of text without control characters; ValueError otherwise (a validator)."""
    problem = text_problem(value)
    if problem is not None:
        raise ValueError(problem)
    return value


def prose_text(value: str) -> str:
    """`value`, text without control characters but tab and newline; ValueError otherwise (a validator)."""
    problem = text_problem(value, prose=True)
    if problem is not None:
        raise ValueError(problem)
    return value


# Text read from an outside source, held to the timeline's rules (domain.values): one line without control
# characters, or text where tab and newline are allowed too.
LineText = Annotated[str, AfterValidator(line_text)]
ProseText = Annotated[str, AfterValidator(prose_text)]
