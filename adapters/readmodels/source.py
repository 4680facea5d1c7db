"""Where `as-of`, `diff` and `history` get their answers: the read models when they are current, else the reference
fold over every recorded entry, with a note that says so.

The read models are current when their tracking position is the log's last notification id and no unit waits to be
recomputed; a query learns that, and the rows regledger did not write, in one statement (`lifecycle.standing`). A
store without read models (in memory, or a bundle nobody has recorded into) is answered by the fold without a note:
there is nothing behind to report. Both sources give the same answers (the contract tests and `check-views` hold
them to it); the only difference a reader sees is a note. Both leave out the rows regledger did not write (rows the
chain does not cover: see the ledger's `foreign_rows`), and then every answer says so in its notes, whichever source
gave it.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import date
from typing import Protocol, TypeVar

from regledger.adapters.readmodels.lifecycle import ReadModels, standing
from regledger.adapters.store.ledger import Ledger
from regledger.domain.history import Entry
from regledger.projections import (
    Diff,
    DiffPage,
    History,
    PartyMatch,
    Query,
    State,
    StatePage,
    diff,
    directory,
    find_list,
    find_subjects,
    history,
    match_parties,
    page_state,
    select_diff,
    select_state,
    state_as_of,
)
from regledger.projections.answers import (
    diff_page,
    model_diff,
    model_diff_page,
    model_find_list,
    model_find_subjects,
    model_history,
    model_match_parties,
    model_state,
    model_state_page,
)
from regledger.projections.model_store import ModelStore, Selection
from regledger.projections.subjects import SubjectKey

__all__ = ["AnswerSource", "FoldSource", "ModelSource", "open_source", "stored_entries"]

A = TypeVar("A", State, Diff, History)


class AnswerSource(Protocol):
    """What the query commands ask."""

    def find_list(self, list_key: str) -> str: ...

    def match_parties(self, text: str) -> tuple[PartyMatch, ...]: ...

    def state(self, query: Query, selection: Selection) -> State: ...

    def state_page(self, query: Query, list_key: str | None, start: int, size: int) -> StatePage: ...

    def diff(self, query: Query, window: tuple[date, date], selection: Selection) -> Diff: ...

    def diff_page(self, query: Query, window: tuple[date, date], selection: Selection, start: int,
                  size: int) -> DiffPage: ...

    def find_subjects(self, text: str) -> tuple[SubjectKey, ...]: ...

    def history(self, subjects: tuple[SubjectKey, ...], query: Query) -> History: ...


def _noted(answer: A, notes: Collection[str]) -> A:
    return replace(answer, notes=(*answer.notes, *notes)) if notes else answer


@dataclass
class FoldSource:
    """The reference fold over every entry; `notes` are added to each answer (why the fold answers)."""

    entries: list[Entry]
    notes: tuple[str, ...] = ()

    def find_list(self, list_key: str) -> str:
        return find_list(self.entries, list_key)

    def match_parties(self, text: str) -> tuple[PartyMatch, ...]:
        return match_parties(directory(self.entries), text)

    def state(self, query: Query, selection: Selection) -> State:
        return _noted(select_state(state_as_of(self.entries, query), *selection), self.notes)

    def state_page(self, query: Query, list_key: str | None, start: int, size: int) -> StatePage:
        return page_state(self.state(query, (list_key, None)), start, size)

    def diff(self, query: Query, window: tuple[date, date], selection: Selection) -> Diff:
        return _noted(select_diff(diff(self.entries, query, *window), *selection), self.notes)

    def diff_page(self, query: Query, window: tuple[date, date], selection: Selection, start: int,
                  size: int) -> DiffPage:
        found = diff_page(self.entries, query, window, selection, start=start, size=size)
        return replace(found, diff=_noted(found.diff, self.notes))

    def find_subjects(self, text: str) -> tuple[SubjectKey, ...]:
        return find_subjects(self.entries, text)

    def history(self, subjects: tuple[SubjectKey, ...], query: Query) -> History:
        return _noted(history(self.entries, subjects, query), self.notes)


@dataclass
class ModelSource:
    """The read models; an answer they fold in part (a unit too large for the grid) says so in its notes, and
    `notes` are added to each answer."""

    view: ModelStore
    notes: tuple[str, ...] = ()

    def find_list(self, list_key: str) -> str:
        return model_find_list(self.view, list_key)

    def match_parties(self, text: str) -> tuple[PartyMatch, ...]:
        return model_match_parties(self.view, text)

    def state(self, query: Query, selection: Selection) -> State:
        with self.view.answering():
            answered = model_state(self.view, query, selection)
        return _noted(answered.value, (*answered.remarks, *self.notes))

    def state_page(self, query: Query, list_key: str | None, start: int, size: int) -> StatePage:
        with self.view.answering():
            answered = model_state_page(self.view, query, list_key, start, size)
        return replace(answered.value, state=_noted(answered.value.state, (*answered.remarks, *self.notes)))

    def diff(self, query: Query, window: tuple[date, date], selection: Selection) -> Diff:
        with self.view.answering():
            answered = model_diff(self.view, query, window, selection)
        return _noted(answered.value, (*answered.remarks, *self.notes))

    def diff_page(self, query: Query, window: tuple[date, date], selection: Selection, start: int,
                  size: int) -> DiffPage:
        with self.view.answering():
            answered = model_diff_page(self.view, query, window, selection, start=start, size=size)
        return replace(answered.value, diff=_noted(answered.value.diff, (*answered.remarks, *self.notes)))

    def find_subjects(self, text: str) -> tuple[SubjectKey, ...]:
        return model_find_subjects(self.view, text)

    def history(self, subjects: tuple[SubjectKey, ...], query: Query) -> History:
        return _noted(model_history(self.view, subjects, query), self.notes)


def open_source(ledger: Ledger, view: ReadModels | None) -> AnswerSource:
    """The read models `view` of `ledger` when they are current, else the fold (noting why when they are behind);
    either notes the rows regledger did not write, which it leaves out, when there are any."""
    now = standing(ledger, view)
    notes = (now.foreign.note(),) if now.foreign else ()
    if view is None or not now.installed:
        return FoldSource(stored_entries(ledger), notes)
    if now.behind is None:
        return ModelSource(view, notes)
    return FoldSource(stored_entries(ledger), (f"{now.behind}: this answer comes from the reference fold", *notes))


def stored_entries(ledger: Ledger) -> list[Entry]:
    """Every recorded action as an entry of the fold."""
    return [Entry(s.position, s.recorded_at, s.action) for s in ledger.stored_actions()]
