"""The timeline file format (YAML or JSON): read, validate whole, and locate every problem.

A file is a list of actions, or a mapping `{actions: [...]}`. In YAML every scalar stays a string (a country code
`NO` is Norway, not false); duplicate keys are errors in both forms. Problems read
`FILE: action N [id=…]: FIELD: problem`, N counting from 1, list positions in FIELD counting from 1 too.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from regledger.adapters.errors import InputError, validated
from regledger.adapters.importers.files import fields_of, labelled, numbered, parse_file
from regledger.adapters.store.ledger import Located
from regledger.domain import KINDS, action_adapter

__all__ = ["read_timeline", "read_timelines"]


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
    refusal = "a timeline is a list of actions, or a mapping with 'actions'"
    return [_action(where, item) for where, item in numbered(path, items, "action", refusal)]


def _action(where: str, item: Any) -> Located:
    item = fields_of(where, item, "an action is a mapping of fields")
    where = labelled(where, item.get("id"), "id=")
    kind = item.get("kind")
    if kind is None:
        raise InputError(f"{where}: kind: missing (one of: {', '.join(KINDS)})")
    if kind not in KINDS:
        raise InputError(f"{where}: kind: unknown kind {kind!r} (one of: {', '.join(KINDS)})")
    # skip=1: the first element of a problem's path is the kind, the tag of the union of actions
    return Located(where, validated(where, action_adapter.validate_python, item, whole="action", skip=1))
