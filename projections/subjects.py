"""Which subject each recorded action belongs to, and each subject's actions as a query's axes resolve them.

A subject is a tuple: `("listing", LIST, PARTY)`, `("measure", KEY)`, `("meeting", KEY)` or
`("position", ACTOR, SUBJECT)`. A correction or retraction belongs to the subject of the action whose id it names
(through any chain of amendments); one naming an id never recorded belongs to none and is left out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import cast

from regledger.domain.actions import (
    Action,
    Correction,
    EntityDelisted,
    EntityListed,
    EntryAmended,
    ListingAnnounced,
    MeasureAction,
    MeetingAction,
    PositionStated,
    Retraction,
)
from regledger.domain.history import Entry, resolve

from .query import Query

__all__ = ["Fact", "Resolved", "SubjectKey", "group_by_subject", "label", "resolve_all", "subject_of", "target_of"]

SubjectKey = tuple[str, ...]
# An action that is not a correction or retraction: what `resolve` returns, each with its legal-effect date.
Fact = EntityListed | EntryAmended | EntityDelisted | ListingAnnounced | MeasureAction | MeetingAction | PositionStated
Resolved = dict[SubjectKey, list[tuple[Entry, Fact]]]


def subject_of(action: Action) -> SubjectKey | None:
    """The subject an action is about; None for corrections and retractions (they follow their target)."""
    if isinstance(action, EntityListed | EntryAmended | EntityDelisted | ListingAnnounced):
        return ("listing", action.list, action.party.key)
    if isinstance(action, PositionStated):
        return ("position", action.actor, action.subject)
    if isinstance(action, Correction | Retraction):
        return None
    if isinstance(action, MeetingAction):
        return ("meeting", action.meeting.key)
    return ("measure", action.measure.key)


def target_of(action: Action) -> str | None:
    """The id a correction or retraction names; None for other actions."""
    if isinstance(action, Correction):
        return action.corrects
    if isinstance(action, Retraction):
        return action.retracts
    return None


def group_by_subject(entries: Iterable[Entry]) -> dict[SubjectKey, list[Entry]]:
    """Every entry under its subject, in recording order."""
    by_id: dict[str, SubjectKey] = {}
    groups: dict[SubjectKey, list[Entry]] = defaultdict(list)
    for entry in sorted(entries, key=lambda e: e.seq):
        target = target_of(entry.action)
        subject = subject_of(entry.action) if target is None else by_id.get(target)
        if subject is None:
            continue
        if entry.action.id is not None:
            by_id.setdefault(entry.action.id, subject)
        groups[subject].append(entry)
    return dict(groups)


def resolve_all(groups: dict[SubjectKey, list[Entry]], query: Query) -> Resolved:
    """Each subject's visible actions, as the visible corrections leave them, in legal order (as of is not used)."""
    resolved = {subject: resolve(entries, query.admits, query.sees) for subject, entries in groups.items()}
    # resolve() never returns corrections or retractions: what remains are facts.
    return {subject: cast(list[tuple[Entry, Fact]], actions) for subject, actions in resolved.items() if actions}


def label(subject: SubjectKey) -> str:
    """The subject as people write it: `LIST/PARTY`, a measure or meeting key, `ACTOR/SUBJECT`."""
    return "/".join(subject[1:])
