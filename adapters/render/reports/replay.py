"""The replay report: the ledger in recording order up to T, each record with its `recorded_at` and the state change
it caused, run by run ("here is what the system knew, step by step").

The state change of a record is the difference between the state folded from the records before it and the state
folded from those records and it, both as of the record's own effective date (for a correction or retraction: the
effective date of the action it amends, as first recorded), under the report's published-by and tier axes. Records
of one run share one `recorded_at`, so the steps within a run follow recording order, not time. Only the subjects
a record can touch are folded: its own, and for a listing every listing of the same party (which share names).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime
from typing import Any

from regledger.adapters.render.answers_json import plain
from regledger.adapters.render.answers_text import moment_words
from regledger.adapters.render.reports.changes import action_json
from regledger.adapters.render.reports.data import Produced, header, state_changes
from regledger.domain.actions import Action
from regledger.domain.history import Entry
from regledger.projections import Query, SubjectKey, resolve_all, state_at
from regledger.projections.subjects import subject_of, target_of

__all__ = ["REPLAY_METHOD", "replay_report"]

REPLAY_METHOD = (
    "Each record's state change compares the state folded from the records before it with the state folded from "
    "those records and this one, both as of the record's own effective date (for a correction or retraction, the "
    "effective date of the action it amends, as first recorded), under this report's published-by and tier axes. "
    "Records of one run share one recorded_at and are shown in recording order."
)


def replay_report(entries: Iterable[Entry], query: Query, until: datetime | None,
                  produced: Produced) -> dict[str, Any]:
    """Every record up to `until` (and `query.known_at`; the earlier wins), run by run, with what it changed."""
    ordered = sorted(entries, key=lambda e: e.seq)
    limits = [t for t in (until, query.known_at) if t is not None]
    cut = min(limits) if limits else None
    shown = [e for e in ordered if cut is None or e.recorded_at <= cut]
    query = replace(query, known_at=cut)
    legal = ("Legal effect: each record's change is shown as of its own effective date (a correction's or "
             "retraction's: that of the action it amends).")
    return {
        **header("replay", "Replay of the ledger" + (f" up to {moment_words(cut)}" if cut else ""), produced, query,
                 window={"until": cut}, legal=legal),
        "method": REPLAY_METHOD,
        "recorded": len(shown),
        "later": len(ordered) - len(shown),
        "runs": _runs(_steps(shown, query)),
    }


def _steps(entries: list[Entry], query: Query) -> list[dict[str, Any]]:
    groups: dict[SubjectKey, list[Entry]] = {}
    by_id: dict[str, Action] = {}
    steps = []
    for number, entry in enumerate(entries, start=1):
        target = _target(entry.action, by_id)
        subject = subject_of(target) if target is not None else None
        day = target.effective_on if target is not None else None
        changes: list[dict[str, Any]] = []
        if subject is not None and day is not None:
            changes = _changes(groups, subject, entry, query.on(day))
        if entry.action.id is not None:
            by_id.setdefault(entry.action.id, entry.action)
        steps.append({
            "number": number, "position": entry.seq, "subject": "/".join(subject[1:]) if subject else None,
            **action_json(entry, entry.action), "target": target_of(entry.action), "as_of": plain(day),
            "visible": query.admits(entry, entry.action), "changes": changes,
        })
    return steps


def _target(action: Action, by_id: dict[str, Action]) -> Action | None:
    """The action whose subject and date a record affects: itself, or the one a correction names (through chains)."""
    for _ in range(len(by_id) + 1):
        name = target_of(action)
        if name is None:
            return action
        found = by_id.get(name)
        if found is None:
            return None
        action = found
    return None


def _changes(groups: dict[SubjectKey, list[Entry]], subject: SubjectKey, entry: Entry,
             query: Query) -> list[dict[str, Any]]:
    """The state of the subjects `entry` can touch on `query.as_of`, before and after it; `groups` gains it."""
    related = [s for s in groups if s == subject or (subject[0] == "listing" == s[0] and s[2] == subject[2])]
    before = state_at(resolve_all({s: groups[s] for s in related}, query), query)
    groups.setdefault(subject, []).append(entry)
    after = state_at(resolve_all({s: groups[s] for s in {*related, subject}}, query), query)
    return state_changes(before, after)


def _runs(steps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    runs: list[dict[str, Any]] = []
    for step in steps:
        if not runs or runs[-1]["recorded_at"] != step["recorded_at"]:
            runs.append({"recorded_at": step["recorded_at"], "steps": []})
        runs[-1]["steps"].append(step)
    return [{**run, "count": len(run["steps"])} for run in runs]
