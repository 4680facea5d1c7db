"""Reading the read models: one indexed SELECT per answer, then decoding (the `StateView` queries).

A point (D, P, T, tier) is inside a row when `from <= value < to` on each axis and `tier_lo <= rank <= tier_hi`.
An open P is asked as the day before `OPEN_DAY`; an open T (the current rows) as `t_to = OPEN_TIME`, an equality
that the `(t_to, d_from)` and `(party, t_to)` indexes serve directly.
"""

from __future__ import annotations

from collections.abc import Collection
from contextlib import AbstractContextManager
from datetime import date, datetime
from typing import Any

from regledger.domain import action_adapter
from regledger.domain.history import Entry
from regledger.projections.codec import effect_of, item_of
from regledger.projections.diff import TookEffect
from regledger.projections.explain import Evidence
from regledger.projections.parties import PartyNames
from regledger.projections.query import Query
from regledger.projections.readmodel import Selection
from regledger.projections.subjects import SubjectKey
from regledger.projections.temporal import Item

from .views_sql import OPEN_DAY, OPEN_TIME, ViewDialect, day, load, moment, undo_day, undo_moment

__all__ = ["ViewReader"]


class ViewReader:
    """The read side of a read-model store; the store provides `dialect` and `_read`."""

    dialect: ViewDialect

    def _read(self) -> AbstractContextManager[Any]:
        raise NotImplementedError

    def rows(self, template: str, params: Collection[Any] = (), **fill: Any) -> list[Any]:
        """The rows of one read-only query on the read models."""
        with self._read() as cursor:
            cursor.execute(self.dialect.sql(template, **fill), tuple(params))
            return list(cursor.fetchall())

    def unsettled(self) -> int:
        """How many units wait to be recomputed."""
        return int(self.rows("SELECT COUNT(*) AS n FROM {dirty}")[0]["n"])

    # -- answers ------------------------------------------------------------------------------------------------

    def items(self, query: Query, selection: Selection = (None, None)) -> list[tuple[SubjectKey, Item]]:
        """The items of the rows holding the point `query`."""
        where, params = _point(query, with_day=True)
        chosen, more, count = _selection(selection)
        rows = self.rows("SELECT kind, item FROM {items} WHERE {where}{chosen}", (*params, *more),
                         count=count, where=where, chosen=chosen)
        return [_item(r["kind"], load(r["item"])) for r in rows]

    def exists(self, query: Query) -> bool:
        """True when a row holds the point `query`."""
        where, params = _point(query, with_day=True)
        return bool(self.rows("SELECT 1 AS one FROM {items} WHERE {where} LIMIT 1", params, where=where))

    def effects(self, query: Query, window: tuple[date, date],
                selection: Selection = (None, None)) -> list[tuple[SubjectKey, int, TookEffect]]:
        """The visible actions effective in (start, end]."""
        where, params = _point(query, with_day=False)
        chosen, more, count = _selection(selection)
        rows = self.rows("SELECT seq, item FROM {effects} WHERE {where} AND effective_on > ? "
                         "AND effective_on <= ?{chosen}", (*params, day(window[0]), day(window[1]), *more),
                         count=count, where=where, chosen=chosen)
        return [(tuple(subject), r["seq"], effect_of(data)) for r in rows for subject, data in [load(r["item"])]]

    def uncovered(self, query: Query, selection: Selection = (None, None)) -> list[str]:
        """The units whose rows start above `query`'s P."""
        if query.published_by is None:
            return []
        parties = selection[1]
        units = sorted(f"party:{p}" for p in parties) if parties is not None else []
        t_clause, t_params = _time(query)
        chosen = " AND unit IN ({marks})" if parties is not None else ""
        rows = self.rows("SELECT DISTINCT unit FROM {floors} WHERE {when} AND p_floor > ?{chosen}",
                         (*t_params, day(query.published_by), *units), count=len(units), when=t_clause, chosen=chosen)
        return sorted(row["unit"] for row in rows)

    def unit_entries(self, units: Collection[str]) -> list[Entry]:
        """Every entry of `units`, in recording order."""
        if not units:
            return []
        rows = self.rows("SELECT nid, recorded_at, action FROM {entries} WHERE unit IN ({marks}) ORDER BY nid",
                          tuple(units), count=len(units))
        return [Entry(r["nid"], undo_moment(r["recorded_at"]), action_adapter.validate_json(r["action"]))
                for r in rows]

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
        """The parties by key: with one of `keys`, or a name or alias normalising to one of `names`, or all."""
        if keys is not None:
            rows = self.rows("SELECT * FROM {parties} WHERE party IN ({marks})", keys, count=len(keys))
        elif names is not None:
            rows = self.rows("SELECT * FROM {parties} WHERE party IN (SELECT party FROM {names} WHERE normalised "
                              "IN ({marks}))", names, count=len(names))
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
    rank = query.min_reliability.rank if query.min_reliability else 0
    clause = t_clause + " AND p_from <= ? AND ? < p_to AND tier_lo <= ? AND ? <= tier_hi"
    params = (*t_params, published, published, rank, rank)
    if with_day:
        clause += " AND d_from <= ? AND ? < d_to"
        params += (day(query.as_of), day(query.as_of))
    return clause, params


def _selection(selection: Selection) -> tuple[str, tuple[str, ...], int]:
    """The clause choosing listings on a list and/or of parties, its parameters and how many parties."""
    list_key, parties = selection
    clause, params = "", ()
    if list_key is not None:
        clause, params = " AND list_key = ?", (list_key,)
    if parties is not None:
        clause += " AND party IN ({marks})"
        params += tuple(sorted(parties))
    return clause, params, len(parties) if parties is not None else 0


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
        rank = query.min_reliability.rank if query.min_reliability else 0
        rows = self.reader.rows(
            "SELECT first_day FROM {entries} WHERE first_day IS NOT NULL AND recorded_at <= ? AND published_on <= ? "
            "AND tier >= ? ORDER BY first_day LIMIT 1",
            (moment(query.known_at), day(query.published_by), rank))
        return undo_day(rows[0]["first_day"]) if rows else None
