"""The questions: `as_of` (whole, or a page of its list entries: `as_of_page`), `diff`, `history` and the stored
actions in recording order (`log`).

Queries read only: call them on stores opened with `open_stores(db, write=False)` (`WRITES` is False). Answers come
from the read models when they are current, else from the reference fold, whose answers then say so in their notes.

A party text that names no party is an answer, not an error: the party is on no list (no party by that name in the
ledger), said in the answer's notes with the closest names, and the selection matches nothing. An unknown list,
or a `history` subject that names nothing, is an error (UnknownNameError).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Final, Generic, TypeVar

from regledger.adapters.readmodels.source import AnswerSource, open_source
from regledger.adapters.services.inputs import EVERYTHING, Axes, Named, Selection, UnknownNameError, Window
from regledger.adapters.store.ledger import StoredAction
from regledger.adapters.wiring import Stores
from regledger.projections import (
    Diff,
    DiffPage,
    History,
    NotFoundError,
    PartyMatch,
    ProjectionError,
    Query,
    State,
    StatePage,
    page_state,
)
from regledger.projections.parties import unknown_party_notes

__all__ = [
    "WRITES",
    "Selected",
    "as_of",
    "as_of_page",
    "diff",
    "diff_page",
    "foreign_note",
    "history",
    "log",
]

WRITES: Final = False

T = TypeVar("T")
A = TypeVar("A", State, StatePage, Diff, DiffPage)


@dataclass(frozen=True)
class Selected(Generic[A]):
    """An answer (a state, a page of one, or a diff) cut to a selection: the list's key and the party text asked
    for, and the parties that text matched."""

    answer: A
    list_key: str | None
    party: str | None
    matches: tuple[PartyMatch, ...]


@dataclass(frozen=True)
class _Chosen:
    list_key: str | None
    parties: set[str] | None
    matches: tuple[PartyMatch, ...]
    suggestions: tuple[str, ...] = ()  # the closest names, when the party text matched no party

    @property
    def nobody(self) -> bool:
        """True when a party text was given and matched no party."""
        return self.parties is not None and not self.parties


def as_of(stores: Stores, query: Query, selection: Selection = EVERYTHING) -> Selected[State]:
    """The rules as of `query.as_of` under its axes, cut to `selection` (a party: its whole position);
    UnknownNameError for an unknown list. A party text that names no party answers that it is on no list."""
    source = open_source(stores.ledger, stores.views)
    chosen = _chosen(source, selection)
    if chosen.nobody:
        notes = unknown_party_notes(selection.party or "", f"on {query.as_of}", chosen.suggestions)
        return Selected(State(query, notes=(*notes, *_foreign(stores))), chosen.list_key, selection.party, ())
    state = source.state(query, (chosen.list_key, chosen.parties))
    return Selected(state, chosen.list_key, selection.party, chosen.matches)


def as_of_page(stores: Stores, query: Query, selection: Selection, start: int, size: int) -> Selected[StatePage]:
    """`as_of` cut to a page: each section (list entries, measures, meetings, positions) to `size` of its rows from
    the `start`-th in the answer's order (list entries by list, then party; the others by subject), with how many
    rows each section of the whole answer holds; its notes whole. Without a party, the read models read only the
    page's rows of each section and count the others; a party's answer is read whole and cut."""
    if selection.party:
        whole = as_of(stores, query, selection)
        return Selected(page_state(whole.answer, start, size), whole.list_key, whole.party, whole.matches)
    source = open_source(stores.ledger, stores.views)
    list_key = _chosen(source, selection).list_key
    return Selected(source.state_page(query, list_key, start, size), list_key, None, ())


def diff(stores: Stores, window: Window, axes: Axes, selection: Selection = EVERYTHING) -> Selected[Diff]:
    """What changed after `window.start` through `window.end` (the query's day) under `axes`, cut to `selection`;
    a party text that names no party answers that it is on no list in the window."""
    source = open_source(stores.ledger, stores.views)
    chosen = _chosen(source, selection)
    if chosen.nobody:
        return Selected(_nobodys_diff(stores, window, axes, selection, chosen), chosen.list_key, selection.party, ())
    result = source.diff(axes.on(window.end), (window.start, window.end), (chosen.list_key, chosen.parties))
    return Selected(result, chosen.list_key, selection.party, chosen.matches)


def diff_page(stores: Stores, window: Window, axes: Axes, selection: Selection, *, start: int,
              size: int) -> Selected[DiffPage]:
    """`diff` cut to a page of the window's subjects (`projections.diff.window_subjects`: those with an action
    effective in the window or whose item changes inside it, in subject order): the changes, transitions and actions
    taken effect of the subjects [start, start + size), whether more follow, and, on the page of the last, how many
    subjects the window holds. The read models read the page's subjects as keys (walking the subjects in order to
    the page's end, never the window whole), then only the page's items and actions; a window without any subject
    is answered whole (its notes say why nothing changed)."""
    source = open_source(stores.ledger, stores.views)
    chosen = _chosen(source, selection)
    if chosen.nobody:
        empty = _nobodys_diff(stores, window, axes, selection, chosen)
        return Selected(DiffPage(empty, start, size, 0), chosen.list_key, selection.party, ())
    found = source.diff_page(axes.on(window.end), (window.start, window.end), (chosen.list_key, chosen.parties),
                             start, size)
    return Selected(found, chosen.list_key, selection.party, chosen.matches)


def _nobodys_diff(stores: Stores, window: Window, axes: Axes, selection: Selection, chosen: _Chosen) -> Diff:
    """The diff of a party text that names no party: empty, its notes saying it is on no list in the window (with
    the closest names)."""
    notes = unknown_party_notes(selection.party or "", f"between {window.start} and {window.end}", chosen.suggestions)
    return Diff(axes.on(window.end), window.start, window.end, notes=(*notes, *_foreign(stores)))


def history(stores: Stores, subject: str, axes: Axes) -> History:
    """The timeline of the subjects `subject` names (a party, LIST/PARTY, a measure or meeting key, ACTOR/SUBJECT)
    under `axes`; UnknownNameError when it names none."""
    source = open_source(stores.ledger, stores.views)
    subjects = _found("subject", lambda: source.find_subjects(subject))
    return source.history(subjects, axes.on(date.max))


def log(stores: Stores) -> list[StoredAction]:
    """Every stored action in recording order, with its position and recording time (rows the chain does not
    cover are left out: see `foreign_note`)."""
    return list(stores.ledger.stored_actions())


def foreign_note(stores: Stores) -> str | None:
    """What an answer says when the ledger holds rows regledger did not write (they are left out of every answer);
    None on a sound ledger."""
    foreign = stores.ledger.foreign_rows()
    return foreign.note() if foreign else None


def _chosen(source: AnswerSource, selection: Selection) -> _Chosen:
    """The list's key and the party keys `selection` names (the list first, then the party); a party text that
    names no party chooses none, with the closest names."""
    list_key, party = selection.list_key, selection.party
    chosen = _found("list", lambda: source.find_list(list_key)) if list_key else None
    if not party:
        return _Chosen(chosen, None, ())
    try:
        matches = source.match_parties(party)
    except NotFoundError as error:
        return _Chosen(chosen, set(), (), error.suggestions)
    return _Chosen(chosen, {m.party for m in matches}, matches)


def _foreign(stores: Stores) -> tuple[str, ...]:
    """The note on rows regledger did not write, when the ledger holds any (every answer carries it)."""
    note = foreign_note(stores)
    return (note,) if note else ()


def _found(named: Named, find: Callable[[], T]) -> T:
    """The result of `find`, with a projection's not-found turned into UnknownNameError naming the input."""
    try:
        return find()
    except ProjectionError as error:
        raise UnknownNameError(named, str(error)) from None
