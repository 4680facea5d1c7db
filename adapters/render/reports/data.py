"""What every report shares: its header (regledger version, the query, when and from which ledger it was produced),
items as JSON (as `answers_json` writes them), what changed between two views of one item, and the snapshot report.

Reports are plain JSON-ready dicts: the JSON format prints them, the HTML and Markdown templates render them.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import version
from typing import Any

from regledger.adapters.render.answers_json import axes_json, citation_json, item_json, plain, state_json
from regledger.adapters.render.answers_text import axes
from regledger.domain.history import Entry
from regledger.projections import Citation, Query, State, SubjectKey, state_as_of
from regledger.projections.items import Item, changed_fields, name_of
from regledger.projections.temporal import items_of

__all__ = [
    "Produced",
    "change_json",
    "header",
    "item_of",
    "ledger_identity",
    "produced_now",
    "snapshot_report",
    "state_changes",
]

_SAME = {"citations", "pending", "announced", "list_key", "party", "key", "actor", "subject", "details_provenance",
         "parameters_provenance"}  # identity, or shown elsewhere


@dataclass(frozen=True)
class Produced:
    """The circumstances of a report: the command that asked for it, the ledger it read (by its size and head
    digest, never by where it is stored), the moment it was made and the form its citations take."""

    command: str
    ledger: str  # in words: `174 events, head digest 3f2a…` (`ledger_identity`)
    moment: datetime
    ledger_notes: tuple[str, ...] = ()  # what the reader must know about the ledger (rows regledger did not write)
    ledger_size: int | None = None  # events in the hash chain (or stored, for a store that keeps no chain)
    ledger_head: str | None = None  # the chain's head digest (hex), None without a chain
    citation_style: str = "bluebook"  # bluebook | plain: how the HTML and Markdown formats write sources


def ledger_identity(size: int, head: str | None) -> str:
    """The ledger in words, by its size and head digest: what a reader can check with `regledger verify`."""
    events = f"{size} event{'' if size == 1 else 's'}"
    return f"{events}, head digest {head}" if head else f"{events} (this store keeps no hash chain)"


def produced_now() -> datetime:
    """Now, in UTC to the second; `SOURCE_DATE_EPOCH` (seconds since 1970) pins it for reproducible reports."""
    pinned = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if pinned.isdigit():
        return datetime.fromtimestamp(int(pinned), UTC)
    return datetime.now(UTC).replace(microsecond=0)


def header(kind: str, title: str, produced: Produced, query: Query, *, window: dict[str, Any],
           legal: str) -> dict[str, Any]:
    """The first lines of every report: what it is, the axes (in data and in words), version, when, which ledger."""
    return {
        "report": kind,
        "title": title,
        "regledger_version": version("regledger"),
        "produced_at": plain(produced.moment),
        "ledger": produced.ledger,
        "ledger_size": produced.ledger_size,
        "ledger_head": produced.ledger_head,
        "citation_style": produced.citation_style,
        "command": produced.command,
        "axes": {**plain(window), **axes_json(query)},
        "axes_text": [legal, *axes(query)],
        **({"ledger_notes": list(produced.ledger_notes)} if produced.ledger_notes else {}),
    }


def item_of(state: State, subject: SubjectKey) -> Item | None:
    """The item of `subject` in `state`, or None when it is not part of it."""
    return items_of(state).get(subject)


def state_changes(before: State, after: State) -> list[dict[str, Any]]:
    """Every item that differs between two states, as `change_json`, in subject order."""
    old, new = items_of(before), items_of(after)
    return [change_json(s, old.get(s), new.get(s)) for s in sorted({*old, *new}) if old.get(s) != new.get(s)]


def change_json(subject: SubjectKey, before: Item | None, after: Item | None) -> dict[str, Any]:
    """One item before → after: added, removed or amended, the fields that changed, the sources gained and lost."""
    change = "added" if before is None else "removed" if after is None else "amended"
    return {
        "subject": "/".join(subject[1:]),
        "type": subject[0],
        "name": name_of(after) or name_of(before),
        "change": change,
        "fields": _field_changes(before, after),
        "sources_added": [citation_json(c) for c in _new_sources(before, after)],
        "sources_removed": [citation_json(c) for c in _new_sources(after, before)],
        "before": item_json(before, with_list=True),
        "after": item_json(after, with_list=True),
    }


def _field_changes(before: Item | None, after: Item | None) -> list[dict[str, Any]]:
    """The fields of an item that differ, dotted into dicts (`details.license_policy`); none for added/removed."""
    if before is None or after is None:
        return []
    return [{"field": path, "before": plain(old), "after": plain(new)}
            for path, old, new in changed_fields(before, after, _SAME)]


def _new_sources(before: Item | None, after: Item | None) -> Sequence[Citation]:
    if before is None or after is None:
        return ()
    return [c for c in after.citations if c not in before.citations]


def snapshot_report(entries: Iterable[Entry], query: Query, produced: Produced) -> dict[str, Any]:
    """The full `as-of` answer for `query`, as a document."""
    day = query.as_of
    legal = f"Legal effect: what was in force on {day}; what was published by then to take effect later is pending."
    state = state_as_of(entries, query)
    return {
        **header("snapshot", f"The rules as of {day}", produced, query, window={"as_of": day}, legal=legal),
        "state": state_json(state),
    }
