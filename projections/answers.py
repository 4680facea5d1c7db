"""The fold's answers from a read model: the same `State`, `Diff` and `History`, read from rows.

Each function mirrors its reference (`state_as_of` with `select_state`, `diff` with `select_diff`, `history` with
`find_subjects`, `find_list` and `match_parties`) and returns what the fold would, given a current `ModelStore`. A
unit whose rows do not answer the query's P is folded from its own entries (units are self-contained), and the
answer's `remarks` say so.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection
from dataclasses import dataclass, replace
from datetime import date
from typing import Generic, TypeVar

from regledger.domain.history import Entry

from .diff import (
    Diff,
    DiffPage,
    TookEffect,
    assemble,
    check_window,
    diff,
    page_cut,
    took_effect,
    took_in,
    window_subjects,
)
from .errors import NotFoundError
from .explain import explain, why_nothing_visible
from .fold import state_at
from .history import History, history
from .items import ListEntry, MeasureView, MeetingView, PositionView, State
from .model_store import OTHER_KINDS, ModelStore, Selection
from .parties import PartyMatch, closest, match_parties, normalise
from .query import Query
from .select import StatePage, counted, page_state, seen, select_diff, select_state
from .subjects import SubjectKey, group_by_subject, label, resolve_all
from .sweep import items_along
from .temporal import Item, items_of
from .units import unit_of

__all__ = ["Answered", "diff_page", "model_diff", "model_diff_page", "model_find_list", "model_find_subjects",
           "model_history", "model_match_parties", "model_state", "model_state_page"]

T = TypeVar("T")
EVERYTHING: Selection = (None, None)
_Spans = list[tuple[SubjectKey, date | None, date | None, Item]]  # items along D, each with its span [from, to)
_Read = Callable[[set[SubjectKey]], tuple[_Spans, list[tuple[SubjectKey, TookEffect]]]]  # a page's spans and actions


@dataclass(frozen=True)
class Answered(Generic[T]):
    """An answer, and where the read model fell back on the fold for it."""

    value: T
    remarks: tuple[str, ...] = ()


def model_state(view: ModelStore, query: Query, selection: Selection = EVERYTHING) -> Answered[State]:
    """`select_state(state_as_of(entries, query), *selection)`, from the read model."""
    hidden = _hidden(view, query, selection)
    if hidden is not None:
        return Answered(_told_empty(query, hidden, selection))
    items, remarks = _items(view, query, selection)
    if selection[1] is not None:  # a party's whole position: the measures that apply to it, positions about it
        others, more = _concerning(view, query, selection[1], items)
        items += others
        remarks = tuple(dict.fromkeys((*remarks, *more)))
    state = _state(query, items)
    if selection == EVERYTHING:
        return Answered(replace(state, notes=explain(view.evidence(), query)) if state.is_empty else state, remarks)
    if not any(state.lists.values()) and not _anything(view, query):
        state = replace(state, notes=explain(view.evidence(), query))  # the whole state is empty: say why
    return Answered(select_state(state, *selection), remarks)


def model_state_page(view: ModelStore, query: Query, list_key: str | None, start: int,
                     size: int) -> Answered[StatePage]:
    """`page_state(model_state(view, query, (list_key, None)).value, start, size)`, reading only the page's rows
    of each section: its list entries and (for every list) its measures, meetings and positions, each counted
    (`counted`: known now and published now) or read one row past the page, rather than read whole. An answer with
    none of them (its notes say why), or with units the rows do not answer, is read whole and cut."""
    if view.uncovered(query):
        return _whole_page(view, query, list_key, start, size)
    hidden = _hidden(view, query, (list_key, None))
    if hidden is not None:
        return Answered(page_state(_told_empty(query, hidden, (list_key, None)), start, size))
    entries, total = view.listings(query, list_key, start, size)
    others, counts = view.others_page(query, start, size) if list_key is None else ([], {})  # a list alone: none
    read = {"lists": (entries, total),
            **{section: ([o for o in others if o[0][0] == kind], None if counts is None else counts.get(kind, 0))
               for kind, section in _SECTION_OF.items()}}
    if not entries and not others and _empty(view, query, list_key, start, [n for _, n in read.values()]):
        return Answered(page_state(_none_held(view, query, (list_key, None)), start, size))
    found = {section: _section(len(rows), number, start, size, counted(query))
             for section, (rows, number) in read.items()}
    kept = [item for rows, _ in read.values() for item in rows[:size]]
    totals = {section: number for section, (number, _) in found.items()}
    return Answered(StatePage(_state(query, kept), start, size, totals["lists"], totals,
                              any(more for _, more in found.values())))


def _hidden(view: ModelStore, query: Query, selection: Selection) -> str | None:
    """Why a point known at T or published by P shows nothing by the evidence alone (`why_nothing_visible`: a few
    index look-ups), no unit's rows being folded; None when it may show something. Its answer is then empty and
    needs no row read: the point's rows would be read along indexes that do not bound it (a page's walk, the whole
    answer's scan: seconds at 1,000,000 events for a time before the first recording). A point known now and
    published now reads what holds its day."""
    if counted(query):
        return None
    hidden = why_nothing_visible(view.evidence(), query)
    return hidden if hidden is not None and not view.uncovered(query, selection) else None


def _told_empty(query: Query, hidden: str, selection: Selection) -> State:
    """The empty answer to `query` that the evidence told (`hidden`: why), narrowed to `selection`."""
    return select_state(State(query, notes=(hidden,)), *selection)


def _empty(view: ModelStore, query: Query, list_key: str | None, start: int, numbers: list[int | None]) -> bool:
    """Whether an answer whose page shows no row holds none: every section counted none; or, a section not counted,
    the page is the first, or each section's first row is none."""
    if None not in numbers:
        return not any(numbers)
    if start == 0:
        return True
    if view.listings(query, list_key, 0, 1)[0]:
        return False
    return list_key is not None or not view.others_page(query, 0, 1)[0]


def _none_held(view: ModelStore, query: Query, selection: Selection) -> State:
    """`model_state`'s answer where no row holds `query` in `selection` (a list, or every list) and every unit's rows
    answer it: empty, saying why when the whole state is empty, without reading the whole answer again (a read
    along indexes that do not bound a point with no row: 35 ms at 120,000 events for a day before the history)."""
    state = _state(query, [])
    if selection == EVERYTHING or not view.exists(query):
        state = replace(state, notes=explain(view.evidence(), query))
    return select_state(state, *selection)


def _section(read: int, number: int | None, start: int, size: int, shown: bool) -> tuple[int | None, bool]:
    """How many rows a section holds as a page says it (`counted`, `seen`), and whether rows follow the page, from
    the page's rows read (`read`: one past the page when more follow) and the section's number (None: not counted)."""
    if number is not None:
        return (number if shown else seen(number, start, size)), number > start + size
    if read > size:
        return None, True
    return (start + read if read or not start else None), False


def model_diff(view: ModelStore, query: Query, window: tuple[date, date],
               selection: Selection = EVERYTHING) -> Answered[Diff]:
    """`select_diff(diff(entries, query, *window), *selection)`, from the read model."""
    check_window(*window)
    result, remarks = _diff(view, query, window, selection)
    if selection != EVERYTHING and result.is_empty:  # its notes depend on whether anything else changed
        result, remarks = _diff(view, query, window, EVERYTHING)
    return Answered(select_diff(result, *selection), remarks)


def model_diff_page(view: ModelStore, query: Query, window: tuple[date, date], selection: Selection, *, start: int,
                    size: int) -> Answered[DiffPage]:
    """`diff_page(entries, query, window, selection, start, size)`, from the read model: the page's subjects are
    read as keys, a page of them (`ModelStore.window_subjects`), then the rows and actions of those subjects alone;
    with units the rows do not answer, the window's rows and actions are read (and folded) whole, then cut."""
    check_window(*window)
    units = view.uncovered(query, selection)
    read: _Read
    if units:
        along, took = _along(view, query, window, selection), _took(view, query, window, selection)
        subjects, remarks = window_subjects(along, took, window), _remarks(query, window, len(units))
        (chosen, more), read = page_cut(subjects, start, size), _cut(along, took)
        empty = not subjects
    else:
        (chosen, more), remarks = view.window_subjects(query, window, selection, start=start, size=size), ()
        empty = not chosen and (start == 0 or not view.window_subjects(query, window, selection, size=1)[0])

        def read(page: set[SubjectKey]) -> tuple[_Spans, list[tuple[SubjectKey, TookEffect]]]:
            theirs = sorted({unit_of(subject) for subject in page})
            along = [a for a in view.spans(query, window, units=theirs) if a[0] in page]
            took = [t for t in view.effects(query, window, units=theirs) if t[0] in page]
            return along, _legal(took)

    if empty:
        whole = model_diff(view, query, window, selection)
        return Answered(DiffPage(whole.value, start, size, 0), whole.remarks)
    return Answered(_page(query, window, selection, chosen, more, start=start, size=size, read=read), remarks)


def diff_page(entries: list[Entry], query: Query, window: tuple[date, date], selection: Selection, *, start: int,
              size: int) -> DiffPage:
    """The page [start, start + size) of the window's subjects (`window_subjects`, those `selection` keeps) of
    `select_diff(diff(entries, query, *window), *selection)`: their changes, transitions and actions taken effect,
    whether more subjects follow, and, on the page of the last, how many subjects the window holds (`DiffPage`);
    with none, the whole diff (its notes say why nothing changed)."""
    check_window(*window)
    resolved = resolve_all(group_by_subject(entries), query)
    along = [(s, *span, item) for (s, span), item in items_along(resolved, None, None).items()
             if _selected(s, selection)]
    took = [(s, item) for s, item in took_in(resolved, *window) if _selected(s, selection)]
    subjects = window_subjects(along, took, window)
    if not subjects:
        whole = select_diff(diff(entries, query, *window), *selection)
        return DiffPage(whole, start, size, 0)
    return _page(query, window, selection, *page_cut(subjects, start, size), start=start, size=size,
                 read=_cut(along, took))


def _cut(along: _Spans, took: list[tuple[SubjectKey, TookEffect]]) -> _Read:
    """A page's reading from a window's items along D and actions read whole: those of the page's subjects."""
    def read(page: set[SubjectKey]) -> tuple[_Spans, list[tuple[SubjectKey, TookEffect]]]:
        return [a for a in along if a[0] in page], [t for t in took if t[0] in page]

    return read


def _page(query: Query, window: tuple[date, date], selection: Selection, chosen: list[SubjectKey], more: bool, *,
          start: int, size: int, read: _Read) -> DiffPage:
    """The diff of the page's subjects (`chosen`, [start, start + size) of the window's, `more` following them),
    from their items along D and their actions effective in the window (`read`), without notes: the window holds
    changes, if not on this page. The window's subjects are counted where the page holds the last of them."""
    along, took = read(set(chosen))
    result = assemble(query, window, _ends(query, window, along), took, lambda _: (), along=along)
    total = start + len(chosen) if chosen and not more else None
    return DiffPage(replace(select_diff(result, *selection), notes=()), start, size, total, more)


def model_history(view: ModelStore, subjects: tuple[SubjectKey, ...], query: Query) -> History:
    """`history(entries, subjects, query)` from the entries the read model keeps for those subjects."""
    return history(view.unit_entries({unit_of(s) for s in subjects}), subjects, query)


def model_find_subjects(view: ModelStore, text: str) -> tuple[SubjectKey, ...]:
    """`find_subjects(entries, text)` from the read model's directory."""
    direct = view.subjects(labels=[text.strip()])
    if direct:
        return tuple(direct)
    try:
        parties = {m.party for m in model_match_parties(view, text)}
    except NotFoundError:
        everything = view.subjects()
        labels = sorted({label(s) for s in everything} | {s[2] for s in everything if s[0] == "listing"})
        raise NotFoundError("subject", text, closest(text, labels)) from None
    return tuple(view.subjects(parties=parties))


def model_match_parties(view: ModelStore, text: str) -> tuple[PartyMatch, ...]:
    """`match_parties(directory(entries), text)`: an exact key or name is looked up; only a substring search
    reads the whole directory."""
    found = view.parties(keys=[text.strip()]) or view.parties(names=[normalise(text)])  # the names only if no key
    return match_parties(found or view.parties(), text)


def model_find_list(view: ModelStore, list_key: str) -> str:
    """`find_list(entries, list_key)` from the read model's directory."""
    if view.lists(list_key):
        return list_key
    raise NotFoundError("list", list_key, closest(list_key, view.lists()))


# -- rows into answers ---------------------------------------------------------------------------------------------

_SECTION_OF = dict(zip(OTHER_KINDS, ("measures", "meetings", "positions"), strict=True))  # kind -> State's section


def _whole_page(view: ModelStore, query: Query, list_key: str | None, start: int,
                size: int) -> Answered[StatePage]:
    """The answer read whole (`model_state`), then cut to the page."""
    answered = model_state(view, query, (list_key, None))
    return Answered(page_state(answered.value, start, size), answered.remarks)


def _items(view: ModelStore, query: Query, selection: Selection) -> tuple[list[tuple[SubjectKey, Item]],
                                                                         tuple[str, ...]]:
    items = view.items(query, selection)
    units = view.uncovered(query, selection)
    if not units:
        return items, ()
    return items + _folded(view, query, units, lambda s: _selected(s, selection)), (_remark(query, len(units)),)


def _concerning(view: ModelStore, query: Query, parties: Collection[str],
                entries: list[tuple[SubjectKey, Item]]) -> tuple[list[tuple[SubjectKey, Item]], tuple[str, ...]]:
    """The measures and positions the whole position of `parties` may take in (`ModelStore.concerning`: those that
    name a party or a party their `entries` say they are an affiliate of, the positions about those), with those of
    the units the rows do not answer folded; `select_state` keeps the ones that belong."""
    parents = {item.affiliate_of for _, item in entries if isinstance(item, ListEntry) and item.affiliate_of}
    found = view.concerning(query, {*parties, *parents})
    units = view.uncovered(query)
    if not units:
        return found, ()
    return found + _folded(view, query, units, lambda s: s[0] in {"measure", "position"}), (_remark(query, len(units)),)


def _folded(view: ModelStore, query: Query, units: list[str],
            keep: Callable[[SubjectKey], bool]) -> list[tuple[SubjectKey, Item]]:
    """The fold's items for `query` of the subjects of `units` that `keep` keeps."""
    resolved = resolve_all(group_by_subject(view.unit_entries(units)), query)
    return [(s, item) for s, item in items_of(state_at(resolved, query)).items() if keep(s)]


def _remark(query: Query, count: int) -> str:
    return (f"published by {query.published_by}: {count} subject(s) hold more actions than the read models "
            "materialise for every publication date; those were answered by the reference fold")


def _remarks(query: Query, window: tuple[date, date], count: int) -> tuple[str, ...]:
    """`_remark` for the window's two days, each once."""
    return tuple(dict.fromkeys(_remark(query.on(day_), count) for day_ in window))


def _selected(subject: SubjectKey, selection: Selection) -> bool:
    list_key, parties = selection
    if selection == EVERYTHING:
        return True
    return (subject[0] == "listing" and (list_key is None or subject[1] == list_key)
            and (parties is None or subject[2] in parties))


def _anything(view: ModelStore, query: Query) -> bool:
    """True when the whole state for `query` holds any item."""
    return view.exists(query) or bool(view.uncovered(query) and _items(view, query, EVERYTHING)[0])


def _state(query: Query, items: list[tuple[SubjectKey, Item]]) -> State:
    """The state as `state_at` builds it: items in subject order, list entries grouped by list."""
    lists: dict[str, list[ListEntry]] = defaultdict(list)
    measures: list[MeasureView] = []
    meetings: list[MeetingView] = []
    positions: list[PositionView] = []
    for subject, item in sorted(items, key=lambda pair: pair[0]):
        if isinstance(item, ListEntry):
            lists[subject[1]].append(item)
        elif isinstance(item, MeasureView):
            measures.append(item)
        elif isinstance(item, MeetingView):
            meetings.append(item)
        else:
            positions.append(item)
    return State(query, {k: tuple(v) for k, v in sorted(lists.items())}, tuple(measures), tuple(meetings),
                 tuple(positions))


def _diff(view: ModelStore, query: Query, window: tuple[date, date],
          selection: Selection) -> tuple[Diff, tuple[str, ...]]:
    """The diff from the rows whose span along D starts or ends inside the window (`_along`): a subject no such row
    touches holds one row, the same item, on both ends, and adds nothing to the diff, so the states on the two ends
    are read only for the subjects touched (a year's diff reads that year's changes, not two whole states). An
    empty diff is read again from the whole states: its notes say why the state on D2 is empty when it is."""
    start, end = window
    along = _along(view, query, window, selection)
    took = _took(view, query, window, selection)
    states = _ends(query, window, along)
    units = len(view.uncovered(query, selection))
    remarks = _remarks(query, window, units) if units else ()
    def assembled(before: State, after: State) -> Diff:
        return assemble(query, window, (before, after), took, lambda asked: explain(view.evidence(), asked),
                        along=along)

    result = assembled(*states)
    if not result.is_empty:
        return result, remarks
    before, first = _items(view, query.on(start), selection)
    after, second = _items(view, query.on(end), selection)
    whole = assembled(_state(query.on(start), before), _state(query.on(end), after))
    return whole, tuple(dict.fromkeys(first + second))


def _ends(query: Query, window: tuple[date, date], along: _Spans) -> tuple[State, State]:
    """The states on the window's two days of the subjects `along` holds (their items along D)."""
    def on(day_: date) -> State:
        return _state(query.on(day_), [(s, item) for s, began, ended, item in along
                                       if (began is None or began <= day_) and (ended is None or day_ < ended)])

    return on(window[0]), on(window[1])


def _along(view: ModelStore, query: Query, window: tuple[date, date], selection: Selection) -> _Spans:
    """The subjects' items along D over the window (`ModelStore.spans`), folded for the units the rows do not answer."""
    found = view.spans(query, window, selection)
    units = view.uncovered(query, selection)
    if units:
        resolved = resolve_all(group_by_subject(view.unit_entries(units)), query)
        found += [(s, *span, item) for (s, span), item in items_along(resolved, None, None).items()
                  if _selected(s, selection)]
    return found


def _took(view: ModelStore, query: Query, window: tuple[date, date],
          selection: Selection) -> list[tuple[SubjectKey, TookEffect]]:
    """The actions effective in the window, in legal order (effective, published, recording order)."""
    found = view.effects(query, window, selection)
    units = view.uncovered(query, selection)
    if units:
        resolved = resolve_all(group_by_subject(view.unit_entries(units)), query)
        found += [(s, e.seq, took_effect(s, e, a)) for s, pairs in resolved.items() for e, a in pairs
                  if a.effective_on is not None and window[0] < a.effective_on <= window[1]
                  and _selected(s, selection)]
    return _legal(found)


def _legal(found: list[tuple[SubjectKey, int, TookEffect]]) -> list[tuple[SubjectKey, TookEffect]]:
    """Actions effective in a window (each with its subject and recording seq) in legal order: effective, published,
    recording order."""
    found.sort(key=lambda t: (t[2].effective_on, t[2].published_on, t[1]))
    return [(subject, item) for subject, _, item in found]

