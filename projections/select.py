"""Narrowing an answer to one list and/or some parties: only list entries remain, and an empty result says why."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace

from .diff import Diff, ListChanges
from .items import State

__all__ = ["select_diff", "select_state"]

_LISTING = {"entity_listed", "entry_amended", "entity_delisted"}


def select_state(state: State, list_key: str | None, parties: Collection[str] | None) -> State:
    """The state's entries on `list_key` (all lists when None) for `parties` (all when None); measures, meetings
    and positions are left out when either is given."""
    if list_key is None and parties is None:
        return state
    lists = {
        key: tuple(e for e in entries if parties is None or e.party in parties)
        for key, entries in state.lists.items()
        if list_key is None or key == list_key
    }
    lists = {k: v for k, v in lists.items() if v}
    chosen = replace(state, lists=lists, measures=(), meetings=(), positions=())
    if any(lists.values()) or state.notes:
        return chosen
    return replace(chosen, notes=(_absent(state.query.as_of, list_key, parties),))


def select_diff(result: Diff, list_key: str | None, parties: Collection[str] | None) -> Diff:
    """The diff's list changes and actions on `list_key` for `parties`; other subjects left out."""
    if list_key is None and parties is None:
        return result

    def wanted(list_name: str, party: str) -> bool:
        return (list_key is None or list_name == list_key) and (parties is None or party in parties)

    lists = {
        key: ListChanges(*(tuple(c for c in group if wanted(key, c.key))
                           for group in (changes.added, changes.amended, changes.removed)))
        for key, changes in result.lists.items()
    }
    took = tuple(t for t in result.took_effect if t.kind in _LISTING and wanted(*t.subject.split("/")))
    chosen = replace(result, took_effect=took, lists={k: v for k, v in lists.items() if any(vars(v).values())},
                     measures=(), meetings=(), positions=())
    if chosen.is_empty and not chosen.notes:
        chosen = replace(chosen, notes=(f"nothing changed between {result.start} and {result.end} for this selection",))
    return chosen


def _absent(day: object, list_key: str | None, parties: Collection[str] | None) -> str:
    if parties is None:
        return f"{list_key} has no entry in force or pending as of {day} under these axes"
    where = f"on {list_key}" if list_key else "on any list"
    return f"{', '.join(sorted(parties))}: not {where} as of {day} under these axes (neither in force nor pending)"
