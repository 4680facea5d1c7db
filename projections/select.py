"""Narrowing an answer to one list and/or some parties, and an empty result says why.

A list alone keeps that list's entries. Parties keep their whole position on the day: their entries (on that list,
when one is given); the measures that apply to them (`applies`: a measure's `applies_to` names the party, or names a
party it is an affiliate of and the measure includes affiliates), when the measure is live (`POSITION_STATUSES`: in
force, pending, or said to be coming: announced, drafted or proposed; expired, revoked and withdrawn ones are left
out); and the positions about a party or about one of those measures. Who a party is an affiliate of is read from
its entries kept (their `affiliate_of`), one level up. Meetings are left out. A diff keeps list changes only.

A page of an as-of answer (`page_state`) cuts each section (list entries, measures, meetings, positions) to the same
rows: page N shows rows [start, start + size) of every section, each in the answer's own order. A page known now and
published now says how many rows each section holds; a page published by P or known at T (`counted`) says it only of
the sections whose last row it shows (or that hold none, on the first page), and whether more rows follow: the read
models keep the counts of the first kind of point, and would have to count every row holding the second.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, replace

from .diff import Diff, listings_only
from .items import ListEntry, MeasureView, PositionView, State
from .query import Query

__all__ = ["POSITION_STATUSES", "SECTIONS", "StatePage", "affiliations", "applies", "counted", "page_state", "seen",
           "select_diff", "select_state"]

POSITION_STATUSES = ("in_force", "pending", "announced", "draft", "proposed")  # a measure a party's position shows
SECTIONS = ("lists", "measures", "meetings", "positions")  # an as-of answer's sections, each paged alike


@dataclass(frozen=True)
class StatePage:
    """A page of an as-of answer: the answer with only the page's rows of each section (`SECTIONS`: its list entries,
    measures, meetings and positions, `size` of each from the `start`-th), how many list entries the whole answer
    lists (`total`), how many rows each section of the whole answer holds (`totals`, by section name), and whether
    any section has rows beyond the page (`more`). A page that is not `counted` gives a section's number as None
    unless it shows the section's last row (`seen`); `total` is the list entries' number."""

    state: State
    start: int
    size: int
    total: int | None
    totals: Mapping[str, int | None]
    more: bool

    def __post_init__(self) -> None:
        if set(self.totals) != set(SECTIONS) or self.totals["lists"] != self.total:
            msg = f"StatePage.totals: give {', '.join(SECTIONS)}, with lists equal to total ({self.total})"
            raise ValueError(msg)
        known = [n for n in self.totals.values() if n is not None]
        if len(known) == len(SECTIONS) and self.more != (max(known) > self.start + self.size):
            msg = f"StatePage.more: {self.more}, where the longest section holds {max(known)} rows"
            raise ValueError(msg)

    @property
    def longest(self) -> int | None:
        """How many rows the longest section holds (a page exists while any section has rows on it); None when a
        section's number is not known."""
        known = [n for n in self.totals.values() if n is not None]
        return max(known) if len(known) == len(SECTIONS) else None


def counted(query: Query) -> bool:
    """Whether a page of the answer to `query` says how many rows each section holds: when its point is known now
    and published now. A point known at T or published by P is not counted (`seen`)."""
    return query.known_at is None and query.published_by is None


def seen(total: int, start: int, size: int) -> int | None:
    """How many rows a section of `total` rows holds, as a page [start, start + size) that is not `counted` says it:
    where the page shows the section's last row, or the section is empty and the page is the first; else None (the
    page shows a full page of the section with more after it, or none of it past the first page)."""
    return total if start < total <= start + size or (total == 0 and start == 0) else None


def page_state(state: State, start: int, size: int) -> StatePage:
    """The page of `state` holding each section's rows from the `start`-th, `size` of them, in the answer's order;
    how many rows each section holds, as far as the page says it (`counted`, `seen`)."""
    rows = [(key, entry) for key, entries in state.lists.items() for entry in entries]
    lists: dict[str, list[ListEntry]] = {}
    for key, entry in rows[start:start + size]:
        lists.setdefault(key, []).append(entry)
    cut = slice(start, start + size)
    page = replace(state, lists={k: tuple(v) for k, v in lists.items()}, measures=state.measures[cut],
                   meetings=state.meetings[cut], positions=state.positions[cut])
    whole = {"lists": len(rows), "measures": len(state.measures), "meetings": len(state.meetings),
             "positions": len(state.positions)}
    more = max(whole.values()) > start + size
    if counted(state.query):
        return StatePage(page, start, size, len(rows), whole, more)
    totals = {name: seen(n, start, size) for name, n in whole.items()}
    return StatePage(page, start, size, totals["lists"], totals, more)


def select_state(state: State, list_key: str | None, parties: Collection[str] | None) -> State:
    """The state's entries on `list_key` (all lists when None) for `parties` (all when None); with parties, the
    measures and positions of their whole position too (see the module's docstring); meetings are left out, and so
    are measures and positions for a list alone. `state` holds at least the entries of `parties` on the list, and
    every measure and position."""
    if list_key is None and parties is None:
        return state
    lists = {
        key: tuple(e for e in entries if parties is None or e.party in parties)
        for key, entries in state.lists.items()
        if list_key is None or key == list_key
    }
    lists = {k: v for k, v in lists.items() if v}
    measures, positions = ((), ()) if parties is None else _position(state, lists, parties)
    chosen = replace(state, lists=lists, measures=measures, meetings=(), positions=positions)
    if any(lists.values()) or state.notes:
        return chosen
    return replace(chosen, notes=(_absent(state.query.as_of, list_key, parties),))


def applies(measure: MeasureView, party: str, parents: Collection[str]) -> str | None:
    """The key through which `measure` applies to `party`: the party's own when its `applies_to` names it, else
    (when the measure includes affiliates) that of a party in `parents` (those `party` is an affiliate of) that it
    names; None when it does not apply."""
    if party in measure.applies_to:
        return party
    if measure.include_affiliates:
        return next((parent for parent in sorted(parents) if parent in measure.applies_to), None)
    return None


def affiliations(entries: Iterable[ListEntry]) -> dict[str, tuple[str, ...]]:
    """Per party, the parties its `entries` say it is an affiliate of."""
    found: dict[str, dict[str, None]] = {}
    for entry in entries:
        if entry.affiliate_of is not None:
            found.setdefault(entry.party, {})[entry.affiliate_of] = None
    return {party: tuple(parents) for party, parents in found.items()}


def _position(state: State, lists: dict[str, tuple[ListEntry, ...]],
              parties: Collection[str]) -> tuple[tuple[MeasureView, ...], tuple[PositionView, ...]]:
    """The live measures that apply to `parties`, and the positions about a party or one of those measures."""
    parents = affiliations(e for entries in lists.values() for e in entries)
    measures = tuple(m for m in state.measures if m.status in POSITION_STATUSES
                     and any(applies(m, p, parents.get(p, ())) is not None for p in parties))
    about = {*parties, *(f"measure:{m.key}" for m in measures)}
    return measures, tuple(p for p in state.positions if p.subject in about)


def select_diff(result: Diff, list_key: str | None, parties: Collection[str] | None) -> Diff:
    """The diff's list changes and actions on `list_key` for `parties`; other subjects left out."""
    if list_key is None and parties is None:
        return result

    def wanted(list_name: str, party: str) -> bool:
        return (list_key is None or list_name == list_key) and (parties is None or party in parties)

    chosen = listings_only(result, wanted)
    if chosen.is_empty and not chosen.notes:
        chosen = replace(chosen, notes=(f"nothing changed between {result.start} and {result.end} for this selection",))
    return chosen


def _absent(day: object, list_key: str | None, parties: Collection[str] | None) -> str:
    if parties is None:
        return f"{list_key} has no entry in force or pending as of {day} under these axes"
    where = f"on {list_key}" if list_key else "on any list"
    return f"{', '.join(sorted(parties))}: not {where} as of {day} under these axes (neither in force nor pending)"
