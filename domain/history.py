"""A subject's recorded actions, and how corrections and retractions resolve them.

`resolve` is shared by the aggregates' guards (which see everything) and by the projections (which see what a
query's axes make visible), so both read a corrected record the same way.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from .actions import Action, ActionBase, Correction, Retraction, action_adapter, mark_corrections
from .errors import CorrectionError
from .values import STORED

__all__ = ["Entry", "apply_fields", "legal_order", "resolve", "subject_identity"]


@dataclass(frozen=True)
class Entry:
    """One recorded action: its place in recording order, its recorded_at, and the action as written."""

    seq: int
    recorded_at: datetime
    action: Action

    @property
    def is_amendment(self) -> bool:
        """True for corrections and retractions, which change other entries."""
        return isinstance(self.action, Correction | Retraction)


def legal_order(item: tuple[Entry, ActionBase]) -> tuple[Any, ...]:
    """Sort key of a resolved action: (effective_on, published_on, recording order); an announcement, which has no
    effective date, counts from its published_on (`ActionBase.legal_on`)."""
    entry, action = item
    return (action.legal_on, action.published_on, entry.seq)


def subject_identity(action: ActionBase) -> tuple[Any, ...]:
    """What a correction may never change: the kind, the id and the subject's key."""
    data = action.model_dump()
    keys: list[Any] = [data["kind"], data.get("id")]
    for name in ("list", "actor", "topic", "corrects", "retracts"):
        keys.append(data.get(name))
    for name in ("party", "measure", "meeting"):
        ref = data.get(name)
        keys.append(ref["key"] if ref else None)
    return tuple(keys)


def apply_fields(action: Action, fields: dict[str, Any], *, as_input: bool = False) -> Action:
    """The action with `fields` replaced (dotted paths reach into nested mappings); validated again: `as_input`
    (a correction being recorded) with every input check, else as what the ledger stores (see `values.STORED`).

    Raises CorrectionError naming `fields.PATH` when the result is not a valid action of the same subject.
    """
    data = copy.deepcopy(action.as_data())
    for path, value in fields.items():
        _set_path(data, path, value)
    try:
        corrected: Action = action_adapter.validate_python(data, context=None if as_input else STORED)
    except ValidationError as error:
        detail = error.errors()[0]
        where = ".".join(str(p) for p in detail["loc"][1:])
        problem = detail["msg"].removeprefix("Value error, ")
        raise CorrectionError(f"the corrected action is invalid: {where}: {problem}", "fields") from None
    if subject_identity(corrected) != subject_identity(action):
        changed = next(iter(fields))
        raise CorrectionError(
            "a correction cannot change the kind, id or subject; retract the action and record a new one",
            f"fields.{changed}",
        )
    return corrected


def _set_path(data: dict[str, Any], path: str, value: Any) -> None:
    parts = path.split(".")
    target = data
    for part in parts[:-1]:
        child = target.get(part)
        if child is None:
            child = target[part] = {}
        if not isinstance(child, dict):
            raise CorrectionError(f"{part!r} is not a mapping", f"fields.{path}")
        target = child
    if value is None:
        target.pop(parts[-1], None)
    else:
        target[parts[-1]] = value


def resolve(
    entries: Iterable[Entry], visible: Callable[[Entry, ActionBase], bool] = lambda _e, _a: True,
    view: Callable[[Entry, Action], Action | None] | None = None,
) -> list[tuple[Entry, Action]]:
    """The subject's actions as corrected by the visible corrections, without retracted ones, in legal order.

    A correction or retraction counts only when `visible` admits it (by its own dates and tier); a correction can
    itself be corrected or retracted. An action counts when `visible` admits it as corrected; with `view` (a
    query's `sees`), each counts as `view` shows it (its visible sources only) when that is not None.
    """
    ordered = sorted(entries, key=lambda e: e.seq)
    by_id = {e.action.id: e for e in ordered if e.action.id is not None}
    current: dict[int, Action] = {e.seq: e.action for e in ordered}
    retracted: set[int] = set()

    def amend(entry: Entry, wanted: bool) -> None:
        action = current[entry.seq]
        if not isinstance(action, Correction | Retraction) or entry.seq in retracted:
            return
        target = by_id.get(action.retracts if isinstance(action, Retraction) else action.corrects)
        if target is None or target.is_amendment != wanted or not visible(entry, action):
            return
        if isinstance(action, Retraction):
            retracted.add(target.seq)
        elif target.seq not in retracted:
            before = current[target.seq]
            current[target.seq] = apply_fields(before, action.fields)
            mark_corrections(current[target.seq], before, action, action.fields)

    # Amendments only name earlier entries: settle amendments of amendments newest first, then apply the
    # settled ones to the actions in recording order, so that a later correction of a field wins.
    for entry in reversed(ordered):
        amend(entry, wanted=True)
    for entry in ordered:
        amend(entry, wanted=False)
    chosen = [
        (entry, current[entry.seq])
        for entry in ordered
        if not entry.is_amendment and entry.seq not in retracted and visible(entry, current[entry.seq])
    ]
    if view is not None:
        chosen = [(entry, seen) for entry, action in chosen if (seen := view(entry, action)) is not None]
    return sorted(chosen, key=legal_order)


def without(entries: Sequence[Entry], seq: int) -> list[Entry]:
    """The entries but the one at `seq`."""
    return [e for e in entries if e.seq != seq]
