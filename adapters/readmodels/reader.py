"""Reading the read models: one indexed SELECT per answer, then decoding (the `ModelStore` queries).

A point (D, P, T, tier) is inside a row when `from <= value < to` on each axis and `tier_lo <= rank <= tier_hi`.
An open P is asked as the day before `OPEN_DAY`; an open T (the current rows) as `t_to = OPEN_TIME`, an equality
that the `(t_to, d_from)` and `(party, t_to)` indexes serve directly.

Each statement is one round trip: a lone SELECT is its own snapshot, so no transaction is begun and ended around
it, and PostgreSQL prepares it once per connection. Items are decoded once per reader: a row's text is all its
item depends on, so a text read again (the next query's day, the same rows) is answered from what was decoded,
which no change to the ledger can make stale.
"""

from __future__ import annotations

import re
import threading
from array import array
from bisect import bisect_right
from collections.abc import Callable, Collection
from contextlib import AbstractContextManager
from datetime import date, datetime
from typing import Any, TypeVar, cast

from regledger.adapters.readmodels.sql import (
    OPEN_DAY,
    OPEN_TIME,
    ViewDialect,
    day,
    load,
    load_all,
    moment,
    undo_day,
    undo_moment,
)
from regledger.adapters.readmodels.writer import APPLICATION
from regledger.domain import action_adapter
from regledger.domain.history import Entry
from regledger.domain.values import STORED
from regledger.projections.codec import effect_of, item_of
from regledger.projections.diff import TookEffect, page_cut
from regledger.projections.explain import Evidence
from regledger.projections.matching import QueryKeys
from regledger.projections.model_store import OTHER_KINDS, Selection
from regledger.projections.names import key as lookup_key
from regledger.projections.parties import PartyNames
from regledger.projections.query import Query
from regledger.projections.subjects import SubjectKey
from regledger.projections.temporal import Item

__all__ = ["DECODED", "Fetch", "ViewReader"]

# (statement, parameters, by name, planned for its parameters) -> rows. PostgreSQL prepares a statement and, after
# a few runs, may keep one generic plan for every parameter; a statement whose best plan depends on its parameters
# (a window's subjects: walk a dense window, read a sparse one) asks to be planned for the ones it runs with.
Fetch = Callable[[str, tuple[Any, ...], bool, bool], list[Any]]
T = TypeVar("T")
_CREATING = threading.Lock()  # a reader's per-thread scopes are made once, whichever thread comes first
DECODED = 1 << 15  # items a reader keeps decoded (it forgets them all when it has this many)

# The rows holding a point; the units whose rows start above a P (kind NULL); and the rows of a selection with one
# row of NULLs when it has none but the whole state has some (the point's rows are the selection's and others):
# whether the whole state is empty, learnt in the same round trip. `items` reads one of the first and last, with
# the second after it (UNION ALL) when P is given.
_ALL = "SELECT kind, item FROM {items} WHERE {where}"
_FLOORS = "SELECT DISTINCT NULL AS kind, unit FROM {floors} WHERE {when} AND p_floor > ?{units}"
_CHOSEN = ("WITH chosen AS (SELECT kind, item FROM {items} WHERE {where}{chosen}) SELECT kind, item FROM chosen "
           "UNION ALL SELECT NULL, NULL WHERE NOT EXISTS (SELECT 1 FROM chosen) "
           "AND EXISTS (SELECT 1 FROM {items} WHERE {where})")

# The measures and positions that may concern some parties (`concerns`): those naming one of them, and the positions
# about those; read along the (unit, t_to) index (see `_unindexed`).
_CONCERNING = ("SELECT kind, item FROM {items} WHERE {where} AND unit IN (SELECT unit FROM {concerns} WHERE about "
               "IN ({marks}) UNION SELECT unit FROM {concerns} WHERE about IN (SELECT unit FROM {concerns} WHERE "
               "about IN ({marks})))")

# A page of the list entries holding a point, in the answer's order (list, then party), read along the
# (list_key, party, …) index from its start (`ViewDialect.ordered`), stopping at the page's end. This walk and
# `_KIND_PAGE`'s are planned for the point asked, never kept as a prepared statement's generic plan: at 1,000,000
# events on PostgreSQL, after a few pages the generic plan (estimating a few dozen rows for any point) read every
# row holding the day along the (t_to, d_to, …) index and sorted them (108-188 ms a page by EXPLAIN ANALYZE; pages
# published by a day early in the history 0.45-1.15 s in-process), where the plan for the point walks the index in
# order (3.5-6.5 ms).
_PAGE = ("SELECT kind, item FROM {items} WHERE {where} AND list_key IS NOT NULL{chosen} "
         "ORDER BY list_key{binary}, party{binary} LIMIT ? OFFSET ?")

# A page of the items of one other kind (measure, meeting, position) holding a point, in the answer's order (subject
# order), read along the (kind, subject, …) index from the kind's start (`ViewDialect.ordered`), stopping at the
# page's end; one arm per kind in one round trip. `subject` is the subject tuple as compact JSON
# (`["measure","a.b"]`): every key is `[a-z0-9._-]` (`check_key`; a position's subject may also be `measure:KEY`),
# each character above the `"` (0x22) that closes a part, so the text's order by code point ({binary}) is the
# tuple's: `["measure","a"]` < `["measure","a-b"]` < `["measure","a.b"]` < `["measure","ab"]`, as ("measure", "a")
# < ("measure", "a-b") < … (a shorter key first).
_KIND_PAGE = ("SELECT kind, item FROM (SELECT kind, item FROM {items} WHERE kind = ? AND {where} "
              "ORDER BY subject{binary} LIMIT ? OFFSET ?) AS {alias}")
# How many rows of a section (a kind as a whole, or one list's entries) hold a day when known now and published now,
# for a minimum tier: the sum of the section's changes up to that day in `counts`, kept by the writer; a covering
# range scan of at most one entry per day. A point known at T or published by P is not counted: its page is read one
# row past its end, to learn whether more follow (`projections.select.counted`); counting would read every row
# holding the point (at 1,000,000 events 150-370 ms in-process, seconds under load).
_KEPT_COUNT = ("SELECT CAST(? AS TEXT) AS kind, COALESCE(SUM(n), 0) AS n FROM {counts} WHERE kind = ? "
               "AND list_key = ? AND tier = ? AND day <= ?")
# every day's kept count of some sections (`_KEPT_SECTION` for each), in order: their running sums (`_summed`)
_KEPT_DAYS = "SELECT kind, list_key, tier, day, n FROM {counts} WHERE {arms} ORDER BY kind, list_key, tier, day"
_KEPT_SECTION = "(kind = ? AND list_key = ? AND tier = ?)"
KEPT_SUMS = 64  # sections whose running sums a reader remembers (it forgets them all when it would hold more)
# Gathering, a page's other way: a section walked in the answer's order passes every row of the section that does not
# hold the point before the page's last; where the point's rows are few beside the section's (a day before most of
# the history, a P or T early in it: a section holding fewer rows than the page is walked to its end), the walk
# passes nearly every row of the section (at 1,000,000 events hundreds of ms). Every row holding a point lies in
# each of a few index ranges, each served by an index leading on its first term (`_ranges`); how many rows each
# range holds is counted up to `ViewReader.gather_bound` in one statement (a covering range scan of at most that many
# entries per range), and where one holds fewer, the subjects of the rows holding the point are read along it, every
# section's at once, from the index alone (its list key and subject: reading each row's item from the table took 6 µs
# a row at 1,000,000 events), then sorted and cut in the reader (`_gathered`); the page's items are read last, by
# kind and subject (`_GATHERED_ITEMS`, along the (kind, subject, …) index). A subject's rows hold a point once.
_RANGE_ROWS = "SELECT {arm} AS arm, COUNT(*) AS n FROM (SELECT 1 FROM {items} WHERE {range} LIMIT ?) AS range_{arm}"
_GATHER = "SELECT list_key, subject FROM {items} WHERE {range} AND {where}"
_GATHERED_ITEMS = "SELECT kind, item, subject FROM {items} WHERE kind = ? AND subject{binary} IN ({marks}) AND {where}"
_POINT_COLUMNS = re.compile(r"\b(t_from|t_to|p_from|p_to|tier_lo|tier_hi|d_from|d_to)\b")

# The rows that start inside a window (start, end], then those that end inside it having started before it: each
# row once, each arm served by the (t_to, d_from, d_to) index.
_SPANS = ("SELECT kind, item, d_from, d_to FROM {items} WHERE {where} AND ? < d_from AND d_from <= ?{chosen} "
          "UNION ALL SELECT kind, item, d_from, d_to FROM {items} WHERE {where} AND ? < d_to AND d_to <= ? "
          "AND d_from <= ?{chosen}")

# The rows of some units (a diff's page of subjects) that start or end inside a window, read along the (unit, t_to)
# index (see `_unindexed`).
_UNIT_SPANS = ("SELECT kind, item, d_from, d_to FROM {items} WHERE unit IN ({marks}) AND {where} "
               "AND ((? < d_from AND d_from <= ?) OR (? < d_to AND d_to <= ?))")
# A page of the subjects a diff over a window can show (`diff.window_subjects`), in subject order (by code point):
# those with a row whose span starts or ends inside the window, and those with an action effective in it; their keys
# alone. Two ways to read it, one result:
# - walking: the two arms walk the subject indexes of the current rows and actions (items_subjects,
#   effects_subjects) from the first subject, merged, and stop one past the page's end. The window's columns are
#   written after `{o}` (`ViewDialect.ordered`) so that SQLite's planner follows those indexes, not the window's;
#   PostgreSQL walks `_WINDOW_PAGE_ARMS` instead. Fast where the window is dense in subjects: a year at 1,000,000 events
#   finds page 1 in 1-2 ms, where the window whole is 10,800 subjects;
# - whole: every subject of the window, along the window's indexes (UNION ALL; the reader drops the repeats in a
#   set, faster than SQLite's temporary B-tree), then sorted and cut. Fast where the window is sparse: walking a
#   window of a few subjects passes nearly every current row.
_WINDOW_PAGE = ("SELECT subject{binary} FROM {items} WHERE {where} AND ((? < {o}d_from AND {o}d_from <= ?) OR "
                "(? < {o}d_to AND {o}d_to <= ?)){chosen} UNION SELECT subject{binary} FROM {effects} WHERE {where} "
                "AND ? < {o}effective_on AND {o}effective_on <= ?{chosen} ORDER BY 1 LIMIT ? OFFSET ?")
# PostgreSQL's planner reads the arms of that UNION whole (a bitmap scan of the window's rows, then a sort: 13 ms for a
# dense year at 240,000 events). Limited each to its first distinct subjects up to the page's end, in subject order,
# the arms are walked along the subject indexes where the window is dense (1.3 ms) and still read along the date
# indexes where it is sparse, as the planner judges; the page's subjects are among the first ones of each arm.
_WINDOW_PAGE_ARMS = ("(SELECT DISTINCT subject{binary} FROM {items} WHERE {where} AND ((? < d_from AND d_from <= ?) "
                     "OR (? < d_to AND d_to <= ?)){chosen} ORDER BY 1 LIMIT ?) UNION (SELECT DISTINCT "
                     "subject{binary} FROM {effects} WHERE {where} AND ? < effective_on AND effective_on <= ?{chosen} "
                     "ORDER BY 1 LIMIT ?) ORDER BY 1 LIMIT ? OFFSET ?")
_WINDOW_SUBJECTS = ("SELECT subject FROM {items} WHERE {where} AND ? < d_from AND d_from <= ?{chosen} UNION ALL "
                    "SELECT subject FROM {items} WHERE {where} AND ? < d_to AND d_to <= ?{chosen} UNION ALL "
                    "SELECT subject FROM {effects} WHERE {where} AND ? < effective_on AND effective_on <= ?{chosen}")
# How many rows start inside a window, counted up to a bound (a covering range scan of at most that many entries):
# SQLite walks a window only where at least `ViewReader.walk_density` rows start in it for each page up to the one
# asked, and only for the first `WALK_PAGES` pages (walking passes the subjects of the pages before)
_WINDOW_STARTS = ("SELECT COUNT(*) FROM (SELECT 1 FROM {items} WHERE {where} AND ? < d_from AND d_from <= ?{chosen} "
                  "LIMIT ?) AS bounded")
WALK_PAGES = 4

# The screening index's candidates: the parties with a name holding one of the row's tokens, or enough of its 3-grams
# (counted per name), known by a moment; each arm served by the covering (token, t_from, party, nix) index.
_BY_WORD = "SELECT party FROM {screen_keys} WHERE token IN ({tokens}) AND t_from <= ?"
_BY_WORDS = ("SELECT party FROM {screen_keys} WHERE token IN ({tokens}) AND t_from <= ? GROUP BY party, nix "
             "HAVING COUNT(DISTINCT token) >= ?")
# How many names hold a key (known by a moment), counted up to a limit: one arm per key, each an index range scan
# that stops at the limit.
_HOLDERS = ("SELECT CAST(? AS TEXT) AS token, COUNT(*) AS n FROM (SELECT 1 FROM {screen_keys} WHERE token = ? "
            "AND t_from <= ? LIMIT ?) AS held")
RARE = 1000  # a token held by more names than this is frequent: it finds candidates only with another token
_BY_GRAMS = ("SELECT party FROM {screen_keys} WHERE token IN ({grams}) AND t_from <= ? GROUP BY party, nix "
             "HAVING COUNT(*) >= ?")


# `standing`'s facts of the read models: as `built_by`, `position` and `unsettled` read them one by one
_STANDING = ("(SELECT value FROM {meta} WHERE name = 'model') AS built_by, (SELECT MAX(notification_id) FROM "
             "{tracking} WHERE application_name = ?) AS position, (SELECT COUNT(*) FROM {dirty}) AS unsettled")


class ViewReader:
    """The read side of a read-model store; the store provides `dialect` and `_connect`."""

    dialect: ViewDialect
    _fetcher: Fetch | None = None
    _decoded: dict[str, tuple[str, tuple[SubjectKey, Item]]] | None = None
    _scopes: threading.local | None = None  # per thread: a server's threads share one reader
    # what the reader remembers of the read models at one position (`_remembered`), by name, with that position
    _memory: dict[str, tuple[int, dict[Any, Any]]] | None = None
    seen_installed: bool = False  # the store's `installed` has found the tables: `standing` is worth trying first
    # rows starting in a window, per page, from which SQLite walks a window's subjects rather than reading them whole
    # (at 1,000,000 events, page 1 of a year: 35,000 rows, walked 1 ms, whole 47 ms; 6,000 rows, 6 and 7 ms; 1,600
    # rows, 26 and 2 ms); counting them up to this bound costs about 1 ms in 2,000
    walk_density: int = 4_000
    # rows in an index range holding every row of a point (`_ranges`) below which a page's sections are read along
    # it whole rather than walked (see `_GATHER`): reading 12,000 rows so at 1,000,000 events takes about 25 ms, where
    # walking a section to its end took hundreds; counting a range up to the bound costs about 3 ms on SQLite
    gather_bound: int = 20_000

    @property
    def _learnt(self) -> dict[tuple[Any, ...], Any] | None:
        """Inside `answering` (on this thread): what `items` learnt; else None."""
        return getattr(self._scopes, "learnt", None)

    @_learnt.setter
    def _learnt(self, learnt: dict[tuple[Any, ...], Any] | None) -> None:
        self._scope().learnt = learnt

    def _scope(self) -> threading.local:
        """This thread's scope (made once for every thread)."""
        with _CREATING:
            if self._scopes is None:
                self._scopes = threading.local()
        return self._scopes

    def _connect(self) -> Fetch:
        """How this store reads one statement, in one round trip (made on the first read)."""
        raise NotImplementedError

    def rows(self, template: str, params: Collection[Any] = (), **fill: Any) -> list[Any]:
        """The rows of one read-only query on the read models, by column name."""
        return self._fetch(self.dialect.sql(template, **fill), tuple(params), by_name=True)

    def _fetch(self, statement: str, params: tuple[Any, ...], *, by_name: bool = False,
               planned: bool = False) -> list[Any]:
        """The rows of one statement, in one round trip; by column name, or (cheaper) by position; `planned`: for
        the parameters given (see `Fetch`)."""
        if self._fetcher is None:
            self._fetcher = self._connect()
        return self._fetcher(statement, params, by_name, planned)

    def answering(self) -> AbstractContextManager[None]:
        """Within, what `items` learns beside its rows (whether the point holds any row, which units its rows do not
        answer) answers `exists` and `uncovered` later in this answer instead of another statement; outside, every
        question reads the store. The scope is the calling thread's: answers given at once on other threads (a
        server's) neither see nor end it."""
        return _Answering(self)

    def forget_decoded(self) -> None:
        """Drop the items decoded so far: the reader then decodes as a fresh one (one CLI call) does."""
        self._decoded = None

    def unsettled(self) -> int:
        """How many units wait to be recomputed."""
        return int(self.rows("SELECT COUNT(*) AS n FROM {dirty}")[0]["n"])

    def standing(self, beside: str) -> dict[str, Any]:
        """In one statement, so one round trip and one snapshot: `built_by`'s stamp (column `built_by`, None when
        unknown), `position` (None before the first event) and `unsettled` (`unsettled`), with the columns of
        `beside`, a SELECT list of scalar subqueries on the same database (the ledger's head and chain). Raises
        PersistenceError where the tables are missing (not installed, or dropped by a rebuild under way)."""
        columns = self.dialect.sql(_STANDING, tracking=self.dialect.table("tracking"))
        row = dict(self._fetch(f"SELECT {columns}, {beside}", (APPLICATION,), by_name=True)[0])
        # the rows this thread's next answer reads (when they answer it: settled) are those of this position
        self._scope().position = row["position"] if not row["unsettled"] else None
        return row

    # -- answers ------------------------------------------------------------------------------------------------

    def items(self, query: Query, selection: Selection = (None, None)) -> list[tuple[SubjectKey, Item]]:
        """The items of the rows holding the point `query`; inside `answering`, the same statement learns whether
        any row holds it and (P given) which units the rows do not answer, for `exists` and `uncovered`."""
        where, params = _point(query, with_day=True)
        chosen, more, count = _selection(selection)
        statement, args = (_CHOSEN, (*params, *more, *params)) if chosen else (_ALL, params)
        floors, below, parts = _floors(query, selection)
        if floors:
            statement, args = f"{statement} UNION ALL {floors}", (*args, *below)
        rows = self._fetch(self.dialect.sql(statement, count=count, where=where, chosen=chosen, **parts), args)
        found = [r for r in rows if r[0] is not None]
        if self._learnt is not None:
            self._learnt["exists", where, params] = bool(found) or any(r[1] is None for r in rows)
            if floors:
                self._learnt["uncovered", parts["units"], below] = sorted(r[1] for r in rows if r[0] is None and r[1])
        return self._decode(found)

    def listings(self, query: Query, list_key: str | None, start: int,
                 size: int) -> tuple[list[tuple[SubjectKey, Item]], int | None]:
        """The list entries holding the point `query` (on `list_key`, or on every list), `size` of them from the
        `start`-th in the answer's order (list, then party), and how many there are in all: kept (`_KEPT_COUNT`)
        for a point known now and published now; for any other point not counted (None), with one entry more than
        the page when more follow (counting would read every row holding the point). Walked in that order, or
        gathered where the point's rows are few (`_gathered`)."""
        where, params = _point(query, with_day=True)
        chosen, more, _ = _selection((list_key, None))
        numbers = self._numbers(query, list_key)
        total = None if numbers is None else numbers["listing"]
        gathered = self._gathered(query, where, params, numbers)
        if gathered is not None:  # the subjects' texts order as (list, party): see _KIND_PAGE
            subjects = sorted(subject for key, subject in gathered if key is not None and list_key in (None, key))
            return self._subjects_items(where, params, {"listing": subjects[start:start + _reach(size, total)]}), total
        page = self._fetch(self.dialect.sql(_PAGE, where=_unindexed(where, self.dialect.ordered), chosen=chosen),
                           (*params, *more, _reach(size, total), start), planned=True)
        return self._decode(page), total

    def others_page(self, query: Query, start: int,
                    size: int) -> tuple[list[tuple[SubjectKey, Item]], dict[str, int] | None]:
        """The items holding the point `query` that are not list entries, `size` of each kind (measure, meeting,
        position) from that kind's `start`-th in subject order; and how many of each kind there are: kept, or not
        counted (None) with one item of a kind more than the page when more of it follow, as `listings`."""
        where, params = _point(query, with_day=True)
        numbers = self._numbers(query, None)
        counts = None if numbers is None else {kind: numbers[kind] for kind in OTHER_KINDS}
        gathered = self._gathered(query, where, params, numbers)
        reach = _reach(size, counts)
        if gathered is not None:
            of_kind = {kind: sorted(subject for _, subject in gathered if subject.startswith(f'["{kind}"'))
                       for kind in OTHER_KINDS}
            return self._subjects_items(where, params, {kind: subjects[start:start + reach]
                                                        for kind, subjects in of_kind.items()}), counts
        pages = " UNION ALL ".join(_KIND_PAGE.replace("{alias}", f"page_{kind}") for kind in OTHER_KINDS)
        page = self._fetch(self.dialect.sql(pages, where=_unindexed(where, self.dialect.ordered)),
                           tuple(p for kind in OTHER_KINDS for p in (kind, *params, reach, start)), planned=True)
        return self._decode(page), counts

    def _numbers(self, query: Query, list_key: str | None) -> dict[str, int] | None:
        """How many rows of each section (the entries of `list_key`, or of every list, as `listing`, and each of
        `OTHER_KINDS`) hold the point `query`, kept (`_KEPT_COUNT`), in one statement; None for a point the read
        models keep no count for (`_kept`). Inside `answering`, learnt once for the answer's sections."""
        kept = _kept(query, ["listing"], list_key or "") + _kept(query, OTHER_KINDS, "")
        if not kept:
            return None
        sums = self._remembered("sums")
        if sums is not None:
            return self._once(("numbers", kept), lambda: self._summed(sums, kept))
        statement = self.dialect.sql(" UNION ALL ".join([_KEPT_COUNT] * len(kept)))
        params = tuple(p for kind, of_list, tier, on in kept for p in (kind, kind, of_list, tier, on))
        return self._once(("numbers", kept), lambda: {kind: int(n) for kind, n in self._fetch(statement, params)})

    def _summed(self, sums: dict[tuple[str, str, int], tuple[array[int], array[int]]],
                kept: tuple[tuple[str, str, int, int], ...]) -> dict[str, int]:
        """`_numbers` from the running sums of the kept counts, by day, of each section asked (`sums`: remembered
        at the position the answer reads, per kind, list and tier), read once per section at that position: a
        section's count up to a day is then a search in memory, where summing its counts took the statement up to
        one row per day of the history (5 ms a page on PostgreSQL at 100,000 actions)."""
        sections = [(kind, list_key, tier) for kind, list_key, tier, _ in kept]
        have = {section: found for section in sections  # one look-up each: another thread may clear `sums`
                if (found := sums.get(section)) is not None}
        missing = [section for section in sections if section not in have]
        if missing:
            read: dict[tuple[str, str, int], tuple[array[int], array[int]]] = {
                section: (array("q"), array("q")) for section in missing}
            statement = self.dialect.sql(_KEPT_DAYS, arms=" OR ".join([_KEPT_SECTION] * len(missing)))
            for kind, list_key, tier, on, n in self._fetch(statement, tuple(p for s in missing for p in s)):
                days, running = read[kind, list_key, int(tier)]
                days.append(int(on))
                running.append((running[-1] if running else 0) + int(n))
            have.update(read)
            if len(sums) + len(read) > KEPT_SUMS:
                sums.clear()
            sums.update(read)  # whole sections, for other threads to read
        numbers = {}
        for kind, list_key, tier, on in kept:
            days, running = have[kind, list_key, tier]
            before = bisect_right(days, on)
            numbers[kind] = running[before - 1] if before else 0
        return numbers

    def _once(self, key: tuple[Any, ...], learn: Callable[[], T]) -> T:
        """What `learn` gives, learnt once inside `answering` (under `key`, on this thread); outside, every time."""
        learnt = self._learnt
        if learnt is not None and key in learnt:
            return cast(T, learnt[key])
        found = learn()
        if learnt is not None:
            learnt[key] = found
        return found

    def _subjects_items(self, where: str, params: tuple[Any, ...],
                        subjects: dict[str, list[str]]) -> list[tuple[SubjectKey, Item]]:
        """The items holding the point (`where`, `params`: `_point`'s, with the day) of `subjects` (by kind: subject
        texts, in order), in that order: one statement, an arm per kind (`_GATHERED_ITEMS`)."""
        wanted = {kind: texts for kind, texts in subjects.items() if texts}
        if not wanted:
            return []
        arms = " UNION ALL ".join(_GATHERED_ITEMS.replace("{marks}", ", ".join(["?"] * len(texts))) for texts in
                                  wanted.values())
        rows = self._fetch(self.dialect.sql(arms, where=_unindexed(where, self.dialect.ordered)),
                           tuple(p for kind, texts in wanted.items() for p in (kind, *texts, *params)))
        held = {subject: (kind, item) for kind, item, subject in rows}
        return self._decode([held[text] for texts in wanted.values() for text in texts if text in held])

    def _gathered(self, query: Query, where: str, params: tuple[Any, ...],
                  numbers: dict[str, int] | None) -> list[Any] | None:
        """The (list_key, subject) of the rows holding the point `query` (`where`, `params`), every
        section's, read along the narrowest of its index ranges (`_ranges`) when one holds fewer rows than
        `gather_bound`; else None (its pages are walked). A counted point (`numbers`: its sections' kept counts)
        holding as many rows as the bound is walked without counting its ranges, which hold at least those rows.
        Inside `answering`, learnt once for the answer's sections."""
        if numbers is not None and sum(numbers.values()) >= self.gather_bound:
            return None
        return self._once(("gathered", where, params), lambda: self._gather(query, where, params))

    def _gather(self, query: Query, where: str, params: tuple[Any, ...]) -> list[Any] | None:
        """`_gathered`'s rows, read (None: the page is walked)."""
        ranges, known = _ranges(query), self._wide_ranges()
        asked = [(arm, clause, values) for arm, (clause, values) in enumerate(ranges)
                 if values[-1] < known.get((clause, values[:-1], self.gather_bound), OPEN_TIME)]
        if not asked:
            return None
        arms = " UNION ALL ".join(_RANGE_ROWS.replace("{arm}", str(arm)).replace("{range}", clause)
                                  for arm, clause, _ in asked)
        bounded = tuple(p for _, _, values in asked for p in (*values, self.gather_bound))
        counted = self._fetch(self.dialect.sql(arms), bounded, planned=True)
        for arm, n in counted:  # a range this wide, or wider (a later bound), is not counted again at this position
            clause, values = ranges[arm]
            if n >= self.gather_bound:
                wide = (clause, values[:-1], self.gather_bound)
                known[wide] = min(known.get(wide, OPEN_TIME), values[-1])
        arm, n = min(counted, key=lambda row: row[1])
        if n >= self.gather_bound:
            return None
        clause, values = ranges[arm]
        statement = self.dialect.sql(_GATHER.replace("{range}", clause), where=_unindexed(where, self.dialect.ordered))
        return self._fetch(statement, (*values, *params), planned=True)

    def forget_remembered(self) -> None:
        """Forget what this reader remembers at a position (`_remembered`): its tables were dropped, and tables
        made again may hold other rows at the same position."""
        self._memory = None

    def position_unknown(self) -> None:
        """This thread's next answer reads rows of a position `standing` did not read (see `_wide_ranges`)."""
        self._scope().position = None

    def _wide_ranges(self) -> dict[tuple[Any, ...], int]:
        """Per range (its clause, its parameters but the last, the bound), the least last parameter (the bound of a
        range `… <= value`) at which it was found to hold `gather_bound` rows, at the position this thread's answer
        reads (`standing`): every range is monotone in that parameter, so a range at that value or later holds as
        many, and a page needs not count it. Forgotten when the position moves; empty where it is unknown (a read
        without `standing`: the command line)."""
        wide: dict[tuple[Any, ...], int] | None = self._remembered("wide")
        return wide if wide is not None else {}

    def _remembered(self, name: str) -> dict[Any, Any] | None:
        """What this reader remembers under `name` of the read models at the position this thread's answer reads
        (`standing`), to be filled by the caller; forgotten when the position moves. None where the position is
        unknown (a read without `standing`, as the command line's; units unsettled; `position_unknown`): then
        nothing is remembered. Whatever a thread adds, it adds whole (one assignment), as other threads read it."""
        position = getattr(self._scopes, "position", None)
        if position is None:
            return None
        memory = self._memory
        if memory is None:
            memory = self._memory = {}
        kept = memory.get(name)
        if kept is None or kept[0] != position:
            kept = memory[name] = (position, {})
        return kept[1]

    def concerning(self, query: Query, about: Collection[str]) -> list[tuple[SubjectKey, Item]]:
        """The items of the rows holding the point `query` of the measures and positions that may concern the
        parties `about`: measures whose `applies_to` named one of them (in any row), positions about one of them or
        about such a measure."""
        if not about:
            return []
        where, params = _point(query, with_day=True)
        named = tuple(sorted(about))
        statement = self.dialect.sql(_CONCERNING, count=len(named), where=_unindexed(where))
        return self._decode(self._fetch(statement, (*params, *named, *named)))

    def _decode(self, rows: list[Any]) -> list[tuple[SubjectKey, Item]]:
        """The (subject, item) of each (kind, item text) row: those decoded before as they were, the rest read
        with one call of the JSON reader. An answer of more rows than the reader keeps is decoded whole, past the
        cache: keeping it would only push out what the next answer could use, at a cost per row."""
        if len(rows) > DECODED:
            return [_item(kind, data) for (kind, _), data in zip(rows, load_all([t for _, t in rows]), strict=True)]
        if self._decoded is None or len(self._decoded) >= DECODED:
            self._decoded = {}
        decoded, found, missing = self._decoded, list[Any](), []
        for kind, text in rows:
            known = decoded.get(text)
            if known is not None and known[0] == kind:
                found.append(known[1])
            else:
                found.append(None)
                missing.append((len(found) - 1, kind, text))
        if missing:
            for (at, kind, text), data in zip(missing, load_all([text for _, _, text in missing]), strict=True):
                found[at] = _item(kind, data)
                decoded[text] = (kind, found[at])
        return found

    def exists(self, query: Query) -> bool:
        """True when a row holds the point `query`."""
        where, params = _point(query, with_day=True)
        if self._learnt is not None and ("exists", where, params) in self._learnt:
            return bool(self._learnt["exists", where, params])
        return bool(self.rows("SELECT 1 AS one FROM {items} WHERE {where} LIMIT 1", params, where=where))

    def effects(self, query: Query, window: tuple[date, date], selection: Selection = (None, None), *,
                units: Collection[str] | None = None) -> list[tuple[SubjectKey, int, TookEffect]]:
        """The visible actions effective in (start, end] (with `units`: of those units, along their index)."""
        if units is not None and not units:
            return []
        where, params = _point(query, with_day=False)
        if units is not None:
            chosen, more, count = " AND unit IN ({marks})", tuple(units), len(units)
            where = _unindexed(where)
        else:
            chosen, more, count = _selection(selection)
        rows = self.rows("SELECT seq, item FROM {effects} WHERE {where} AND effective_on > ? "
                         "AND effective_on <= ?{chosen}", (*params, day(window[0]), day(window[1]), *more),
                         count=count, where=where, chosen=chosen)
        return [(tuple(subject), r["seq"], effect_of(data))
                for r, (subject, data) in zip(rows, load_all([r["item"] for r in rows]), strict=True)]

    def spans(self, query: Query, window: tuple[date, date], selection: Selection = (None, None), *,
              units: Collection[str] | None = None) -> list[tuple[SubjectKey, date | None, date | None, Item]]:
        """The items of the rows holding `query`'s T, P and tier whose span along D starts or ends inside the
        window (start, end], each with its subject and span [from, to) (None: unbounded): both sides of every day in
        the window on which a subject's item changes, and nothing else (a diff's transitions). With `units`, those
        of these units, read along their index."""
        if units is not None and not units:
            return []
        where, params = _point(query, with_day=False)
        start, end = day(window[0]), day(window[1])
        if units is not None:
            rows = self._fetch(self.dialect.sql(_UNIT_SPANS, count=len(units), where=_unindexed(where)),
                               (*units, *params, start, end, start, end))
        else:
            chosen, more, count = _selection(selection)
            rows = self._fetch(self.dialect.sql(_SPANS, count=count, where=where, chosen=chosen),
                               (*params, start, end, *more, *params, start, end, start, *more))
        items = self._decode([(kind, text) for kind, text, _, _ in rows])
        return [(subject, undo_day(began) if began else None, undo_day(ended) if ended != OPEN_DAY else None, item)
                for (subject, item), (_, _, began, ended) in zip(items, rows, strict=True)]

    def window_subjects(self, query: Query, window: tuple[date, date], selection: Selection = (None, None), *,
                        start: int = 0, size: int) -> tuple[list[SubjectKey], bool]:
        """The subjects [start, start + size) of those with a row whose span starts or ends inside the window, or
        with an action effective in it, in subject order (their keys' texts by code point: `dump`'s compact JSON of
        keys and kinds, whose characters all sort after the quote that ends a part, orders as the keys do), and
        whether more follow: their keys alone, walked to the page's end where the window is dense, else read whole
        (see `_WINDOW_PAGE`)."""
        where, params = _point(query, with_day=False)
        chosen, more, count = _selection(selection)
        first, last = day(window[0]), day(window[1])
        if self._walked(query, where, (*params, first, last, *more), chosen, count, pages=start // size + 1):
            if self.dialect.ordered:  # SQLite (which walks only known now: `_walked`)
                statement = self.dialect.sql(_WINDOW_PAGE, count=count, where=where, chosen=chosen,
                                             o=self.dialect.ordered)
                reach: tuple[int, ...] = ()
            else:  # PostgreSQL: each arm limited to the page's end
                statement = self.dialect.sql(_WINDOW_PAGE_ARMS, count=count, where=where, chosen=chosen)
                reach = (start + size + 1,)
            rows = self._fetch(statement, (*params, first, last, first, last, *more, *reach, *params, first, last,
                                           *more, *reach, size + 1, start), planned=True)
            return [tuple(subject) for subject in load_all([text for text, in rows[:size]])], len(rows) > size
        rows = self._fetch(self.dialect.sql(_WINDOW_SUBJECTS, count=count, where=where, chosen=chosen),
                           tuple(p for _ in range(3) for p in (*params, first, last, *more)))
        texts, beyond = page_cut(sorted({text for text, in rows}), start, size)
        return [tuple(subject) for subject in load_all(texts)], beyond

    def _walked(self, query: Query, where: str, params: tuple[Any, ...], chosen: str, count: int, *,
                pages: int) -> bool:
        """Whether a window's page is read by walking its subjects in order: always on PostgreSQL (its planner
        chooses); on SQLite, known now, for one of the first pages of a window dense enough (`_WINDOW_STARTS`)."""
        if not self.dialect.ordered:
            return True
        if query.known_at is not None or pages > WALK_PAGES:
            return False
        bound = self.walk_density * pages
        starts = self._fetch(self.dialect.sql(_WINDOW_STARTS, count=count, where=where, chosen=chosen),
                             (*params, bound))
        return bool(starts[0][0] >= bound)

    def uncovered(self, query: Query, selection: Selection = (None, None)) -> list[str]:
        """The units whose rows start above `query`'s P."""
        floors, below, parts = _floors(query, selection)
        if not floors:
            return []
        if self._learnt is not None and ("uncovered", parts["units"], below) in self._learnt:
            return list(self._learnt["uncovered", parts["units"], below])
        count = len(selection[1]) if selection[1] is not None else 0
        return sorted(row["unit"] for row in self.rows(floors, below, count=count, **parts))

    def unit_entries(self, units: Collection[str]) -> list[Entry]:
        """Every entry of `units`, in recording order."""
        if not units:
            return []
        rows = self.rows("SELECT nid, recorded_at, action FROM {entries} WHERE unit IN ({marks}) ORDER BY nid",
                          tuple(units), count=len(units))
        return [Entry(r["nid"], undo_moment(r["recorded_at"]),
                      action_adapter.validate_json(r["action"], context=STORED)) for r in rows]

    def screening_candidates(self, keys: QueryKeys, known_at: datetime | None) -> set[str]:
        """The parties with a name known by `known_at` (None: now) that holds one of the row's rare tokens, or at
        least `keys.needed` of its 3-grams (`matching.query_keys`). A token is rare when at most `RARE` names hold
        it; a row whose tokens are all frequent looks them all up, and a name must then hold two of them (or the
        one, when the row has one). Two statements: how many names hold each token (counted up to `RARE` + 1),
        then the candidates."""
        until = moment(known_at, OPEN_TIME - 1)
        holders: dict[str, int] = {}
        if keys.tokens:
            counted = self._fetch(self.dialect.sql(" UNION ALL ".join([_HOLDERS] * len(keys.tokens))),
                                  tuple(p for key in keys.tokens for p in (key, key, until, RARE + 1)))
            holders = {row[0]: row[1] for row in counted}
        tokens = [t for t in keys.tokens if holders.get(t, 0)]
        rare = [t for t in tokens if holders[t] <= RARE]
        arms, params, marks = list[str](), list[Any](), dict[str, str]()
        if rare:
            arms.append(_BY_WORD)
            params += [*rare, until]
            marks["tokens"] = ", ".join("?" * len(rare))
        elif tokens:
            arms.append(_BY_WORDS)
            params += [*tokens, until, min(2, len(tokens))]
            marks["tokens"] = ", ".join("?" * len(tokens))
        if keys.grams:
            arms.append(_BY_GRAMS)
            params += [*keys.grams, until, keys.needed]
            marks["grams"] = ", ".join("?" * len(keys.grams))
        if not arms:
            return set()
        statement = self.dialect.sql(" UNION ".join(arms), tokens=marks.get("tokens", ""), grams=marks.get("grams", ""))
        return {row[0] for row in self._fetch(statement, tuple(params))}

    def screening_keys(self, party: str, known_at: datetime | None) -> set[str]:
        """The screening index's keys of one party's names known by `known_at` (None: now)."""
        rows = self.rows("SELECT token FROM {screen_keys} WHERE party = ? AND t_from <= ?",
                         (party, moment(known_at, OPEN_TIME - 1)))
        return {row["token"] for row in rows}

    def evidence(self) -> Evidence:
        """The facts behind an empty answer's explanation, read off the entries' indexes."""
        return _StoredEvidence(self)

    # -- the directory ------------------------------------------------------------------------------------------

    def subjects(self, labels: Collection[str] | None = None,
                 parties: Collection[str] | None = None) -> list[SubjectKey]:
        """The subjects recorded, in order: by label, or the listings of parties, or all."""
        if labels is not None:
            rows = self.rows("SELECT subject FROM {subjects} WHERE label IN ({marks})", labels, count=len(labels))
        elif parties is not None:
            rows = self.rows("SELECT subject FROM {subjects} WHERE kind = 'listing' AND party IN ({marks})",
                              parties, count=len(parties))
        else:
            rows = self.rows("SELECT subject FROM {subjects}")
        return sorted(tuple(load(r["subject"])) for r in rows)

    def lists(self, list_key: str | None = None) -> list[str]:
        """The list keys recorded."""
        if list_key is not None:
            rows = self.rows("SELECT list_key FROM {subjects} WHERE list_key = ? LIMIT 1", (list_key,))
        else:
            rows = self.rows("SELECT DISTINCT list_key FROM {subjects} WHERE kind = 'listing'")
        return sorted(r["list_key"] for r in rows)

    def parties(self, keys: Collection[str] | None = None,
                names: Collection[str] | None = None) -> dict[str, PartyNames]:
        """The parties by key: with one of `keys`, or with a name, alias or key whose lookup key (`names.key`) is
        that of one of `names`, or all."""
        if keys is not None:
            rows = self.rows("SELECT * FROM {parties} WHERE party IN ({marks})", keys, count=len(keys))
        elif names is not None:
            wanted = sorted({lookup_key(n) for n in names} - {""})
            if not wanted:
                return {}
            rows = self.rows("SELECT * FROM {parties} WHERE party IN (SELECT party FROM {names} WHERE normalised "
                              "IN ({marks}))", wanted, count=len(wanted))
        else:
            rows = self.rows("SELECT * FROM {parties}")
        found = {r["party"]: PartyNames(r["party"], tuple(load(r["names"])), tuple(load(r["aliases"]))) for r in rows}
        return dict(sorted(found.items()))


def _item(kind: str, data: list[Any]) -> tuple[SubjectKey, Item]:
    subject, fields = data
    return tuple(subject), item_of(kind, fields)


def _time(query: Query) -> tuple[str, tuple[int, ...]]:
    if query.known_at is None:
        return "t_to = ?", (OPEN_TIME,)
    known = moment(query.known_at)
    return "t_from <= ? AND ? < t_to", (known, known)


def _point(query: Query, *, with_day: bool) -> tuple[str, tuple[int, ...]]:
    """The WHERE clause (and its parameters) of the rows holding `query`'s T, P, tier (and D)."""
    t_clause, t_params = _time(query)
    published = day(query.published_by, OPEN_DAY - 1)
    rank = query.min_rank
    clause = t_clause + " AND p_from <= ? AND ? < p_to AND tier_lo <= ? AND ? <= tier_hi"
    params = (*t_params, published, published, rank, rank)
    if with_day:
        clause += " AND d_from <= ? AND ? < d_to"
        params += (day(query.as_of), day(query.as_of))
    return clause, params


def _reach(size: int, number: object) -> int:
    """How many rows a section's page reads: the page, and one more when the section is not counted (`number`
    None), to learn whether more follow."""
    return size if number is not None else size + 1


def _ranges(query: Query) -> list[tuple[str, tuple[int, ...]]]:
    """Index ranges that hold every row holding the point `query`, each a clause (and its parameters) whose first
    term leads an index: rows recorded by T (items_known), published by P (items_published), and the rows starting
    by D: known now, the current ones (items_now), else all (items_started). (The rows ending after D are not asked:
    the entries of a list and the positions of a day late in a history mostly never end.)"""
    on = day(query.as_of)
    ranges: list[tuple[str, tuple[int, ...]]] = []
    if query.known_at is not None:
        ranges.append(("t_from <= ?", (moment(query.known_at),)))
    if query.published_by is not None:
        ranges.append(("p_from <= ?", (day(query.published_by),)))
    ranges.append(("t_to = ? AND d_from <= ?", (OPEN_TIME, on)) if query.known_at is None else ("d_from <= ?", (on,)))
    return ranges


def _kept(query: Query, kinds: Collection[str], list_key: str) -> tuple[tuple[str, str, int, int], ...]:
    """The kept counts (kind, list, minimum rank, day: one per kind of `kinds`, all of `list_key`) that count the
    rows holding `query`; none when the writer keeps no count for its point (known at T, or published by P)."""
    if query.known_at is not None or query.published_by is not None:
        return ()
    return tuple((kind, list_key, query.min_rank, day(query.as_of)) for kind in kinds)


def _unindexed(where: str, mark: str = "+") -> str:
    """A point's clause with each column written after `mark`: as `+column`, which no index serves on either store,
    a statement reads along the index of its other terms (a few units) instead of every row holding the point."""
    return _POINT_COLUMNS.sub(mark + r"\1", where)


def _floors(query: Query, selection: Selection) -> tuple[str, tuple[Any, ...], dict[str, str]]:
    """The statement (kind NULL, unit) of the units whose rows start above `query`'s P, its parameters and its
    fragments; no statement when P is open."""
    if query.published_by is None:
        return "", (), {}
    parties = selection[1]
    units = tuple(sorted(f"party:{p}" for p in parties)) if parties is not None else ()
    t_clause, t_params = _time(query)
    return (_FLOORS, (*t_params, day(query.published_by), *units),
            {"when": t_clause, "units": " AND unit IN ({marks})" if parties is not None else ""})


def _selection(selection: Selection) -> tuple[str, tuple[str, ...], int]:
    """The clause choosing listings on a list and/or of parties, its parameters and how many parties."""
    list_key, parties = selection
    clause, params = "", tuple[str, ...]()
    if list_key is not None:
        clause, params = " AND list_key = ?", (list_key,)
    if parties is not None:
        clause += " AND party IN ({marks})"
        params += tuple(sorted(parties))
    return clause, params, len(parties) if parties is not None else 0


class _Answering(AbstractContextManager[None]):
    """`ViewReader.answering`'s scope (a class: a generator's context manager costs as much as a short query)."""

    def __init__(self, reader: ViewReader) -> None:
        self.reader, self.outer = reader, reader._learnt is not None  # nested: the outer answer's scope holds

    def __enter__(self) -> None:
        if not self.outer:
            self.reader._learnt = {}

    def __exit__(self, *_: object) -> None:
        if not self.outer:
            self.reader._learnt = None


class _StoredEvidence(Evidence):
    def __init__(self, reader: ViewReader) -> None:
        self.reader = reader

    def first_recorded(self) -> datetime | None:
        rows = self.reader.rows("SELECT MIN(recorded_at) AS first FROM {runs}")
        return undo_moment(rows[0]["first"]) if rows and rows[0]["first"] is not None else None

    def first_published(self, known_at: datetime | None) -> date | None:
        rows = self.reader.rows("SELECT published_on FROM {entries} WHERE recorded_at <= ? ORDER BY published_on "
                                 "LIMIT 1", (moment(known_at),))
        return undo_day(rows[0]["published_on"]) if rows else None

    def first_day(self, query: Query) -> date | None:
        rank = query.min_rank
        rows = self.reader.rows(
            "SELECT first_day FROM {evidence} WHERE recorded_at <= ? AND published_on <= ? "
            "AND tier >= ? ORDER BY first_day LIMIT 1",
            (moment(query.known_at), day(query.published_by), rank))
        return undo_day(rows[0]["first_day"]) if rows else None
