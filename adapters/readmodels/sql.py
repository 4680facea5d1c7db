"""The read models' tables, in the same database as the events, and how their bounds are stored.

Every bound is an integer so that both stores index it with a plain btree: dates as proleptic ordinals, recorded_at
and known_at as microseconds since 1970 (UTC), tiers as ranks (0 anonymous … 3 official). A range is half-open
[from, to); an open end is a sentinel beyond every real value (`OPEN_DAY`, `OPEN_TIME`), and an open query axis is
asked as the value just below it, so one comparison serves both. See docs/read-models.md for the tables.
"""

from __future__ import annotations

import importlib
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from types import ModuleType
from typing import Any

orjson: ModuleType | None
try:
    orjson = importlib.import_module("orjson")  # optional: faster where installed
except ImportError:  # pragma: no cover - the standard library does the same, slower
    orjson = None

__all__ = ["OPEN_DAY", "OPEN_TIME", "TABLES", "ViewDialect", "day", "dump", "load", "load_all", "moment",
           "postgres_dialect", "sqlite_dialect", "undo_day", "undo_moment"]

OPEN_DAY = 9_999_999  # beyond date.max's ordinal (3,652,059)
OPEN_TIME = 2**62
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)

# name -> columns (portable types: BIGINT and TEXT on both stores)
TABLES = {
    "items": "unit TEXT NOT NULL, kind TEXT NOT NULL, list_key TEXT, party TEXT, subject TEXT NOT NULL, "
             "tier_lo BIGINT NOT NULL, tier_hi BIGINT NOT NULL, t_from BIGINT NOT NULL, t_to BIGINT NOT NULL, "
             "p_from BIGINT NOT NULL, p_to BIGINT NOT NULL, d_from BIGINT NOT NULL, d_to BIGINT NOT NULL, "
             "item TEXT NOT NULL",
    "effects": "unit TEXT NOT NULL, list_key TEXT, party TEXT, subject TEXT NOT NULL, seq BIGINT NOT NULL, "
               "effective_on BIGINT NOT NULL, published_on BIGINT NOT NULL, tier_lo BIGINT NOT NULL, "
               "tier_hi BIGINT NOT NULL, t_from BIGINT NOT NULL, t_to BIGINT NOT NULL, p_from BIGINT NOT NULL, "
               "p_to BIGINT NOT NULL, item TEXT NOT NULL",
    "floors": "unit TEXT NOT NULL, t_from BIGINT NOT NULL, t_to BIGINT NOT NULL, p_floor BIGINT NOT NULL",
    "entries": "nid BIGINT PRIMARY KEY, unit TEXT NOT NULL, recorded_at BIGINT NOT NULL, "
               "published_on BIGINT NOT NULL, first_day BIGINT, tier BIGINT NOT NULL, action TEXT NOT NULL",
    "evidence": "nid BIGINT NOT NULL, recorded_at BIGINT NOT NULL, published_on BIGINT NOT NULL, "
                "first_day BIGINT NOT NULL, tier BIGINT NOT NULL",  # one row per source of each fact
    "subjects": "aggregate TEXT PRIMARY KEY, subject TEXT NOT NULL, unit TEXT NOT NULL, kind TEXT NOT NULL, "
                "list_key TEXT, party TEXT, label TEXT NOT NULL",
    "parties": "party TEXT PRIMARY KEY, names TEXT NOT NULL, aliases TEXT NOT NULL",
    "names": "normalised TEXT NOT NULL, party TEXT NOT NULL",
    # who a measure or position may concern: each party a measure's `applies_to` ever named, and the subject a
    # position is about (a party's key, or a measure's unit, `measure:KEY`); a unit's rows only ever add to it
    "concerns": "about TEXT NOT NULL, unit TEXT NOT NULL, PRIMARY KEY (about, unit)",
    # the screening index: each key (token or 3-gram, `matching.index_keys`) of each name or alias a party was ever
    # recorded under (`nix`: the name's number within the party), from when that name was first known (t_from)
    "screen_keys": "token TEXT NOT NULL, party TEXT NOT NULL, nix BIGINT NOT NULL, t_from BIGINT NOT NULL",
    # how many current rows (known now) of a section hold each day, as published now, for each minimum tier, kept as
    # the rows change: per (kind, list_key, tier) the change on each day (+1 where a row's effective range starts,
    # -1 where it ends), so that the rows holding day D number the sum of the changes up to D. `list_key` is '' for
    # a kind as a whole (every list, for list entries) and a list's key for that list's entries alone
    "counts": "kind TEXT NOT NULL, list_key TEXT NOT NULL, tier BIGINT NOT NULL, day BIGINT NOT NULL, "
              "n BIGINT NOT NULL, PRIMARY KEY (kind, list_key, tier, day)",
    "dirty": "unit TEXT PRIMARY KEY, since BIGINT NOT NULL, stamp BIGINT NOT NULL",
    "runs": "recorded_at BIGINT PRIMARY KEY",
    "batches": "first_nid BIGINT NOT NULL, last_nid BIGINT NOT NULL, events BIGINT NOT NULL, actions BIGINT NOT NULL",
    "meta": "name TEXT PRIMARY KEY, value TEXT NOT NULL",
}
INDEXES = {
    # covering the point test, and the subjects of the rows that start inside a window (a diff's page)
    "items_now": "items (t_to, d_from, d_to, p_from, p_to, tier_lo, tier_hi, list_key, subject)",
    # the rows that end inside a window, covering the point test and their subjects (a diff's page, a diff's spans)
    "items_ends": "items (t_to, d_to, d_from, p_from, p_to, tier_lo, tier_hi, subject)",
    # in the answer's order of list entries (list, then party; by code point), covering the point test, known at T
    # too (`t_from`: a walk that read it from the table took 6 µs a row at 1,000,000 events)
    "items_listing_t": "items (list_key{binary}, party{binary}, t_to, d_from, d_to, p_from, p_to, tier_lo, tier_hi, "
                       "t_from)",
    # the items of a kind in the answer's order (subject order: see reader's _KIND_PAGE), covering the point test
    # (as items_listing_t): a page of a kind is read from its start, not sorted from every row of the kind; and the
    # rows of a page's subjects (reader's _GATHERED_ITEMS)
    "items_kind_t": "items (kind, subject{binary}, t_to, d_from, d_to, p_from, p_to, tier_lo, tier_hi, t_from)",
    # the rows recorded by a T, published by a P, starting by a day: the ranges along which a sparse point's page is
    # read whole (reader's _GATHER), covering the point test and the rows' sections and subjects
    "items_known": "items (t_from, t_to, p_from, p_to, d_from, d_to, tier_lo, tier_hi, list_key, subject)",
    "items_published": "items (p_from, p_to, t_from, t_to, d_from, d_to, tier_lo, tier_hi, list_key, subject)",
    "items_started": "items (d_from, d_to, t_from, t_to, p_from, p_to, tier_lo, tier_hi, list_key, subject)",
    "items_party": "items (party, t_to, d_from)",
    "items_unit": "items (unit, t_to)",
    # the current rows in subject order (by code point), covering a window's test: a diff's page of the window's
    # subjects walks them from the first subject and stops at the page's end (reader's _WINDOW_PAGE)
    "items_subjects": "items (t_to, subject{binary}, d_from, d_to, p_from, p_to, tier_lo, tier_hi)",
    # the actions effective in a window, covering the point test and their subjects (a diff's page)
    "effects_now": "effects (t_to, effective_on, p_from, p_to, tier_lo, tier_hi, subject)",
    # the current actions in subject order, covering a window's test (as items_subjects)
    "effects_subjects": "effects (t_to, subject{binary}, effective_on, p_from, p_to, tier_lo, tier_hi)",
    "effects_party": "effects (party, t_to, effective_on)",
    "effects_unit": "effects (unit, t_to)",
    "floors_unit": "floors (unit, t_to)",
    "entries_unit": "entries (unit, nid)",
    "entries_published": "entries (published_on)",
    "evidence_earliest": "evidence (first_day, published_on, recorded_at, tier)",  # covering `first_day`'s test
    "subjects_label": "subjects (label)",
    "subjects_party": "subjects (party)",
    "subjects_list": "subjects (list_key)",
    "names_normalised": "names (normalised)",
    "names_party": "names (party)",
    "screen_keys_token": "screen_keys (token, t_from, party, nix)",  # covering the candidates' look-up
    "screen_keys_party": "screen_keys (party)",
    "counts_sum": "counts (kind, list_key, tier, day, n)",  # covering a section's sum up to a day
}

# indexes earlier releases made on rows of this version, replaced since (each by one covering more): dropped by the
# next catch-up (`lifecycle.bring_up_to_date`)
RETIRED_INDEXES = ("items_listing", "items_kind")  # by items_listing_t and items_kind_t (which cover t_from)


_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))  # one encoder, not one per call


def dump(data: Any) -> str:
    """Compact JSON text, UTF-8 kept."""
    return _ENCODER.encode(data)


def load(text: str) -> Any:
    """The data of `dump`'s text: through orjson where installed (faster), unless the text holds what only the
    standard library reads (NaN, Infinity). The rows hold no integer beyond 64 bits (see `projections.codec`), which
    orjson would read as a float."""
    if orjson is not None:
        try:
            return orjson.loads(text)
        except orjson.JSONDecodeError:
            pass
    return json.loads(text)


def load_all(texts: list[str]) -> list[Any]:
    """The data of each of `dump`'s texts, read as one JSON array: one call of the reader instead of one per text
    (the same values as `load` on each)."""
    return load(f"[{','.join(texts)}]") if texts else []


def day(value: date | None, open_: int = OPEN_DAY) -> int:
    """A date as its ordinal; None as `open_`."""
    return value.toordinal() if value is not None else open_


def undo_day(value: int) -> date:
    """The date of an ordinal."""
    return date.fromordinal(value)


def moment(value: datetime | None, open_: int = OPEN_TIME) -> int:
    """A timestamp as microseconds since 1970 (UTC); None as `open_`."""
    return (value - _EPOCH) // _MICROSECOND if value is not None else open_


def undo_moment(value: int) -> datetime:
    """The UTC timestamp of a microsecond count."""
    return _EPOCH + timedelta(microseconds=value)


@dataclass(frozen=True)
class ViewDialect:
    """Where one store keeps the read models and how its SQL spells a parameter, a smaller-of-two, an order of
    text by code point (Python's order of strings) and a point that a statement in index order leaves to its rows."""

    prefix: str  # prepended to each table name: "regledger_view_" or '"schema".regledger_view_'
    mark: str
    least: str
    binary: str = ""  # after a text column: its collation by code point (SQLite's default)
    # before the point's columns in a statement that is to follow the index of its ORDER BY: SQLite's planner would
    # take the point's index (`+column` is served by none); PostgreSQL's finds the ordered index itself, and
    # misjudges how many rows `+column` keeps
    ordered: str = "+"

    @property
    def bare(self) -> str:
        """The prefix of the tables' and indexes' names as the store's catalogue holds them (without a schema)."""
        return self.prefix.rsplit(".", 1)[-1]

    def table(self, name: str) -> str:
        """The qualified name of one read-model table."""
        return f"{self.prefix}{name}"

    def sql(self, template: str, *, count: int = 0, table: str = "", **parts: str) -> str:
        """`template` with each of `parts` (SQL fragments) filled in first, then {name} as qualified table names,
        {table} as `table`'s, {marks} as `count` parameter marks (an IN list), {least} as the smaller-of-two
        function, {binary} as the collation by code point, and `?` as this store's parameter mark."""
        return _spelled(self, template, count, table, tuple(sorted(parts.items())))


    def create(self) -> list[str]:
        """The statements that create every table and index where missing."""
        tables = [f"CREATE TABLE IF NOT EXISTS {self.table(name)} ({columns})" for name, columns in TABLES.items()]
        indexes = [f"CREATE INDEX IF NOT EXISTS {self.bare}{name} ON {self.prefix}{on.format(binary=self.binary)}"
                   for name, on in INDEXES.items()]
        return tables + indexes

    def index_names(self) -> set[str]:
        """The names of the read models' indexes, as the store's catalogue holds them (unqualified)."""
        return {f"{self.bare}{name}" for name in INDEXES}

    def obsolete_indexes(self, found: set[str]) -> list[str]:
        """The qualified names of the indexes of `found` (names in the store's catalogue) that an earlier release
        made and this one no longer reads along (`RETIRED_INDEXES`)."""
        return [self.prefix + name for name in RETIRED_INDEXES if f"{self.bare}{name}" in found]

    def drop(self) -> list[str]:
        """The statements that drop every table."""
        return [f"DROP TABLE IF EXISTS {self.table(name)}" for name in TABLES]


@lru_cache(maxsize=4096)
def _spelled(dialect: ViewDialect, template: str, count: int, table: str, parts: tuple[tuple[str, str], ...]) -> str:
    """`ViewDialect.sql`, worked out once per distinct statement."""
    names = {name: dialect.table(name) for name in TABLES}
    whole = template.format_map(_Keep(parts))
    filled = whole.format(**names, table=names.get(table, ""), marks=", ".join(["?"] * count), least=dialect.least,
                          binary=dialect.binary)
    return filled.replace("?", dialect.mark)


class _Keep(dict[str, str]):
    """Fills the fragments it holds and leaves every other {name} for the second pass."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def sqlite_dialect() -> ViewDialect:
    """The read models of a SQLite ledger."""
    return ViewDialect("regledger_view_", "?", "MIN")


def postgres_dialect(schema: str) -> ViewDialect:
    """The read models of a PostgreSQL ledger in `schema`."""
    return ViewDialect(f'"{schema}".regledger_view_', "%s", "LEAST", ' COLLATE "C"', "")
