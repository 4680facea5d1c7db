"""`check-views`: the read models' answers against the reference fold's, on a sample of query points.

Sampling (deterministic for a seed): the candidate days are every date the ledger's actions carry (effective,
published, expiry, meeting, comment-closing dates) and the day before and after each. Each sample draws the other
axes once: P open (half the time) or a candidate day; T open (half the time), a record run's recorded_at, or the
microsecond before one; the minimum tier open (two times in six) or one of the four tiers. For those axes it
compares, at four candidate days, the whole state, how many rows each section of its first page counts (kept by
the writer for the current rows as published now), and the state of one party drawn from the directory; a diff
between two candidate days; the history of one subject drawn from those recorded; and the screening index's keys of
one party drawn from the directory as known at T (the keys of every name and alias the fold's screening directory
holds for it then). Answers are compared whole
(every item, its citations and the notes).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

from regledger.adapters.readmodels.reader import ViewReader
from regledger.domain.history import Entry
from regledger.domain.values import Reliability
from regledger.projections import Query, diff, history, page_state, select_state
from regledger.projections.answers import model_diff, model_history, model_state, model_state_page
from regledger.projections.explain import why_empty
from regledger.projections.fold import state_at
from regledger.projections.items import State
from regledger.projections.matching import index_keys
from regledger.projections.model_store import ModelStore
from regledger.projections.screening import screening_directory
from regledger.projections.subjects import SubjectKey, group_by_subject, label, resolve_all
from regledger.projections.temporal import items_of

__all__ = ["Checked", "check_views"]

DAYS_PER_SAMPLE = 4
PAGE_SIZE = 50  # the web's page: its first page's counts of each section are compared too


@dataclass(frozen=True)
class Checked:
    """How many answers were compared, and each difference found (in words)."""

    compared: int
    differences: tuple[str, ...]


def check_views(entries: list[Entry], view: ModelStore, samples: int, seed: int) -> Checked:
    """Compare the read models with the fold on `samples` draws of the axes (see the module's docstring)."""
    rng = random.Random(seed)  # noqa: S311 - sampling, not security
    groups = group_by_subject(entries)
    days = _candidate_days(entries)
    if not days:
        return Checked(0, ())
    moments = sorted({e.recorded_at for e in entries})
    parties = sorted({s[2] for s in groups if s[0] == "listing"})
    compared, found = 0, []
    for _ in range(samples):
        axes = Query(days[0], _published(rng, days), _known(rng, moments), _tier(rng))
        resolved = resolve_all(groups, axes)
        for day in rng.sample(days, min(DAYS_PER_SAMPLE, len(days))):
            query = axes.on(day)
            state = state_at(resolved, query)
            expected = replace(state, notes=why_empty(entries, query)) if state.is_empty else state
            found += _compare(f"as-of {_axes(query)}", expected, model_state(view, query).value)
            page = model_state_page(view, query, None, 0, PAGE_SIZE).value
            found += _compare(f"as-of {_axes(query)}, first page's counts", page_state(expected, 0, PAGE_SIZE).totals,
                              page.totals)
            if parties:
                chosen = (None, {rng.choice(parties)})
                found += _compare(f"as-of {_axes(query)} --party {next(iter(chosen[1]))}",
                                  select_state(expected, *chosen), model_state(view, query, chosen).value)
            compared += 3 if parties else 2
        start, end = sorted(rng.sample(days, 2)) if len(days) > 1 else (days[0], days[0])
        found += _compare(f"diff {start} {_axes(axes.on(end))}", diff(entries, axes, start, end),
                          model_diff(view, axes, (start, end)).value)
        subject = rng.choice(sorted(groups))
        asked = Query(date.max, axes.published_by, axes.known_at, axes.min_reliability)
        found += _compare(f"history {label(subject)} {_axes(asked)}", history(entries, (subject,), asked),
                          model_history(view, (subject,), asked))
        compared += 2
        if parties and isinstance(view, ViewReader):
            party = rng.choice(parties)
            found += _compare(f"screening index of {party} {_axes(asked)}",
                              _screening_keys(groups, party, axes.known_at), view.screening_keys(party, axes.known_at))
            compared += 1
    return Checked(compared, tuple(found))


def _screening_keys(groups: dict[SubjectKey, list[Entry]], party: str, known_at: datetime | None) -> set[str]:
    """The index keys of every name and alias of `party` the fold's screening directory holds as known at
    `known_at` (from the party's listings' entries)."""
    mine = [e for subject, group in groups.items() if subject[0] == "listing" and subject[2] == party for e in group]
    names = screening_directory(mine, known_at).names
    return {key for name in names if name.party == party for key in index_keys(name.text)}


def _candidate_days(entries: list[Entry]) -> list[date]:
    found: set[date] = set()
    for entry in entries:
        for name in ("effective_on", "published_on", "expires_on", "date", "comments_close_on"):
            value = getattr(entry.action, name, None)
            if isinstance(value, date):
                found.update(value + timedelta(days=k) for k in (-1, 0, 1) if date.min < value < date.max)
        for value in entry.action.source_dates():  # each source is visible from its own date
            found.update(value + timedelta(days=k) for k in (-1, 0, 1) if date.min < value < date.max)
    return sorted(found)


def _published(rng: random.Random, days: list[date]) -> date | None:
    return None if rng.random() < 0.5 else rng.choice(days)


def _known(rng: random.Random, moments: list[datetime]) -> datetime | None:
    if rng.random() < 0.5:
        return None
    moment = rng.choice(moments)
    return moment if rng.random() < 0.5 else moment - timedelta(microseconds=1)


def _tier(rng: random.Random) -> Reliability | None:
    tiers: list[Reliability | None] = [None, None, *Reliability]
    return rng.choice(tiers)


def _axes(query: Query) -> str:
    parts = [str(query.as_of)]
    if query.published_by:
        parts.append(f"--published-by {query.published_by}")
    if query.known_at:
        parts.append(f"--known-at {query.known_at.isoformat().replace('+00:00', 'Z')}")
    if query.min_reliability:
        parts.append(f"--min-reliability {query.min_reliability.value}")
    return " ".join(parts)


def _compare(what: str, expected: Any, got: Any) -> list[str]:
    """Nothing when the answers are equal; else one line naming what differs."""
    if expected == got:
        return []
    return [f"{what}: {'; '.join(_differences(expected, got))}"]


def _differences(expected: Any, got: Any) -> Iterator[str]:
    if isinstance(expected, State) and isinstance(got, State):
        want, have = items_of(expected), items_of(got)
        for subject in sorted(set(want) | set(have)):
            if want.get(subject) != have.get(subject):
                yield f"{_name(subject)}: the read models say {have.get(subject)!r}, the fold {want.get(subject)!r}"
        if expected.notes != got.notes:
            yield f"notes: the read models say {got.notes!r}, the fold {expected.notes!r}"
        return
    yield f"the read models say {got!r}, the fold {expected!r}"


def _name(subject: SubjectKey) -> str:
    return f"{subject[0]} {label(subject)}"
