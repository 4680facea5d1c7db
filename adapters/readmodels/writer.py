"""Writing the read models: a batch of events applied exactly once, and dirty units settled.

`apply` records a batch's actions (the entries table, the subjects, the runs) and marks each unit it touched as
dirty since the batch's earliest recorded_at, with the batch's tracking record, in one transaction: the tracking
record is the library's (`_insert_tracking`), and the transaction first checks that the read models are still where
the batch started, so a batch that another catch-up applied first is refused (IntegrityError: "already done").

`settle` recomputes dirty units from their entries (`projections.units.versions`): it closes the transaction-time
range of the rows known before the mark, replaces those from it on, and clears the mark in the same transaction, if
no batch marked the unit again meanwhile. Recomputing is a function of the entries, so doing it again is harmless;
a query is current only when nothing is dirty.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from eventsourcing.persistence import IntegrityError, Tracking

from regledger.adapters.readmodels.sql import OPEN_DAY, OPEN_TIME, ViewDialect, day, dump, load, moment, undo_moment
from regledger.adapters.store.sql import Cursor
from regledger.domain import Subject, action_adapter
from regledger.domain.actions import Action
from regledger.domain.history import Entry
from regledger.domain.values import STORED
from regledger.projections.codec import effect_data, item_data
from regledger.projections.items import MeasureView, PositionView
from regledger.projections.matching import index_keys
from regledger.projections.names import key as lookup_key
from regledger.projections.parties import directory
from regledger.projections.screening import screening_directory
from regledger.projections.subjects import SubjectKey, label, subject_of
from regledger.projections.units import Version, unit_of, versions

__all__ = ["APPLICATION", "ViewWriter"]

APPLICATION = "regledger"  # the tracking records' application name: the ledger's


class ViewWriter:
    """The write side of a read-model store; the store provides `dialect`, `_write`, `_read` and tracking."""

    dialect: ViewDialect

    def _write(self) -> AbstractContextManager[Cursor]:
        raise NotImplementedError

    def _read(self) -> AbstractContextManager[Cursor]:
        raise NotImplementedError

    if TYPE_CHECKING:  # the library's TrackingRecorder, which the store also is, provides these

        def _max_tracking_id(self, application_name: str, c: Any) -> int | None: ...

        def _insert_tracking(self, c: Any, tracking: Tracking) -> None: ...

        def max_tracking_id(self, application_name: str) -> int | None: ...

    def drop(self) -> None:
        """Remove every read-model table, tracking included."""
        with self._write() as cursor:
            for statement in [*self.dialect.drop(), f"DROP TABLE IF EXISTS {self.dialect.table('tracking')}"]:
                cursor.execute(statement)
        self.forget_remembered()

    def forget_remembered(self) -> None:
        """Forget what the store's reader remembers of its tables (`ViewReader.forget_remembered`; nothing here):
        tables made again may hold other rows at the same position."""

    def drop_indexes(self, names: list[str]) -> None:
        """Drop the indexes `names` (qualified), where they exist."""
        if names:
            with self._write() as cursor:
                for name in names:
                    cursor.execute(f"DROP INDEX IF EXISTS {name}")

    def position(self) -> int | None:
        """The last notification id applied."""
        return self.max_tracking_id(APPLICATION)

    # -- what built them ------------------------------------------------------------------------------------------

    def built_by(self) -> str | None:
        """The stamp of the read models' version that built the rows (see `lifecycle.READ_MODEL_VERSION`; releases
        up to 0.1.0 stamped a digest); None when unknown."""
        with self._read() as cursor:
            cursor.execute(self.dialect.sql("SELECT value FROM {meta} WHERE name = 'model'"))
            row = cursor.fetchone()
            return str(row["value"]) if row else None

    def stamp_version(self, version: int) -> None:
        """Record the version of empty read models (those that already have one keep it)."""
        with self._write() as cursor:
            cursor.execute(self.dialect.sql("INSERT INTO {meta} (name, value) VALUES ('model', ?) "
                                            "ON CONFLICT (name) DO NOTHING"), (str(version),))

    # -- apply --------------------------------------------------------------------------------------------------

    def apply(self, expected: int | None, events: Sequence[tuple[int, object]]) -> int:
        """Apply a batch of (notification id, domain event) read after notification `expected`; how many actions
        it held. IntegrityError when the read models are no longer at `expected` (another catch-up applied it)."""
        if not events:
            return 0
        found = self._entries_of(events)
        with self._write() as cursor:
            if self._max_tracking_id(APPLICATION, cursor) != expected:
                raise IntegrityError(f"the read models are no longer at notification {expected}")
            self._store_entries(cursor, found, stamp=events[-1][0])
            cursor.execute(self.dialect.sql("INSERT INTO {batches} (first_nid, last_nid, events, actions) "
                                            "VALUES (?, ?, ?, ?)"), (events[0][0], events[-1][0], len(events),
                                                                     len(found)))
            self._insert_tracking(cursor, Tracking(APPLICATION, events[-1][0]))
        return len(found)

    def _entries_of(self, events: Sequence[tuple[int, object]]) -> list[tuple[str, SubjectKey, Entry]]:
        """(aggregate id, subject, entry) of each recorded action; an amendment is on its aggregate's subject."""
        recorded = [(nid, e.originator_id.hex, cast(Action, e.action), e.timestamp)
                    for nid, e in events if isinstance(e, Subject.Recorded)]
        known = self._subjects_of({aggregate for _, aggregate, action, _ in recorded if subject_of(action) is None})
        found = []
        for nid, aggregate, action, timestamp in recorded:
            subject = subject_of(action) or known[aggregate]
            known.setdefault(aggregate, subject)
            found.append((aggregate, subject, Entry(nid, timestamp, action)))
        return found

    def _subjects_of(self, aggregates: set[str]) -> dict[str, SubjectKey]:
        if not aggregates:
            return {}
        with self._read() as cursor:
            cursor.execute(self.dialect.sql("SELECT aggregate, subject FROM {subjects} WHERE aggregate IN ({marks})",
                                            count=len(aggregates)), tuple(aggregates))
            return {row["aggregate"]: tuple(load(row["subject"])) for row in cursor.fetchall()}

    def _store_entries(self, cursor: Cursor, found: list[tuple[str, SubjectKey, Entry]], stamp: int) -> None:
        sql = self.dialect.sql
        cursor.executemany(sql("INSERT INTO {entries} (nid, unit, recorded_at, published_on, first_day, tier, action) "
                               "VALUES (?, ?, ?, ?, ?, ?, ?)"), [_entry_row(s, e) for _, s, e in found])
        cursor.executemany(sql("INSERT INTO {evidence} (nid, recorded_at, published_on, first_day, tier) "
                               "VALUES (?, ?, ?, ?, ?)"), [row for _, _, e in found for row in _evidence_rows(e)])
        subjects = {aggregate: subject for aggregate, subject, _ in found}
        cursor.executemany(sql("INSERT INTO {subjects} (aggregate, subject, unit, kind, list_key, party, label) "
                               "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (aggregate) DO NOTHING"),
                           [(a, dump(list(s)), unit_of(s), s[0], *_listing_keys(s), label(s))
                            for a, s in subjects.items()])
        cursor.executemany(sql("INSERT INTO {runs} (recorded_at) VALUES (?) ON CONFLICT (recorded_at) DO NOTHING"),
                           [(m,) for m in sorted({moment(e.recorded_at) for _, _, e in found})])
        since: dict[str, int] = {}
        for _, subject, entry in found:
            unit, at = unit_of(subject), moment(entry.recorded_at)
            since[unit] = min(since.get(unit, at), at)
        cursor.executemany(sql("INSERT INTO {dirty} AS d (unit, since, stamp) VALUES (?, ?, ?) ON CONFLICT (unit) "
                               "DO UPDATE SET since = {least}(d.since, excluded.since), stamp = excluded.stamp"),
                           [(u, at, stamp) for u, at in since.items()])

    # -- settle -------------------------------------------------------------------------------------------------

    def settle(self, limit: int = 500) -> int:
        """Recompute up to `limit` dirty units; how many were settled (0 when none is dirty)."""
        with self._read() as cursor:
            cursor.execute(self.dialect.sql("SELECT unit, since, stamp FROM {dirty} ORDER BY unit LIMIT ?"), (limit,))
            marks = {row["unit"]: (row["since"], row["stamp"]) for row in cursor.fetchall()}
        if not marks:
            return 0
        entries = self._unit_entries(marks)
        rows = {unit: _unit_rows(unit, versions(entries.get(unit, []), undo_moment(since)), entries.get(unit, []))
                for unit, (since, _) in marks.items()}
        with self._write() as cursor:
            cursor.execute(self.dialect.sql("SELECT unit, stamp FROM {dirty} WHERE unit IN ({marks})",
                                            count=len(marks)), tuple(marks))
            still = sorted(row["unit"] for row in cursor.fetchall() if row["stamp"] == marks[row["unit"]][1])
            self._store_units(cursor, [(unit, marks[unit][0], rows[unit]) for unit in still])
        return len(still)

    def _unit_entries(self, units: Collection[str]) -> dict[str, list[Entry]]:
        found: dict[str, list[Entry]] = defaultdict(list)
        with self._read() as cursor:
            cursor.execute(self.dialect.sql("SELECT nid, unit, recorded_at, action FROM {entries} "
                                            "WHERE unit IN ({marks}) ORDER BY nid", count=len(units)), tuple(units))
            for row in cursor.fetchall():
                found[row["unit"]].append(Entry(row["nid"], undo_moment(row["recorded_at"]),
                                                action_adapter.validate_json(row["action"], context=STORED)))
        return found

    def _store_units(self, cursor: Cursor, units: list[tuple[str, int, _Rows]]) -> None:
        """Close the rows known before each unit's mark, replace those from it on, clear the marks."""
        sql = self.dialect.sql
        marks = [(unit, since) for unit, since, _ in units]
        self._recount(cursor, units)
        for table in ("items", "effects", "floors"):
            cursor.executemany(sql("DELETE FROM {table} WHERE unit = ? AND t_from >= ?", table=table), marks)
            cursor.executemany(sql("UPDATE {table} SET t_to = ? WHERE unit = ? AND t_to > ?", table=table),
                               [(since, unit, since) for unit, since in marks])
        parties = [(unit.removeprefix("party:"),) for unit, _ in marks if unit.startswith("party:")]
        cursor.executemany(sql("DELETE FROM {parties} WHERE party = ?"), parties)
        cursor.executemany(sql("DELETE FROM {names} WHERE party = ?"), parties)
        cursor.executemany(sql("DELETE FROM {screen_keys} WHERE party = ?"), parties)
        for table, columns in _INSERTS.items():
            cursor.executemany(sql("INSERT INTO {table} ({columns}) VALUES ({marks})", table=table,
                                   count=columns.count(",") + 1, columns=columns),
                               [row for _, _, rows in units for row in getattr(rows, table)])
        cursor.executemany(sql("INSERT INTO {concerns} (about, unit) VALUES (?, ?) ON CONFLICT (about, unit) "
                               "DO NOTHING"), [row for _, _, rows in units for row in rows.concerns])
        cursor.executemany(sql("DELETE FROM {dirty} WHERE unit = ?"), [(unit,) for unit, _ in marks])

    def _recount(self, cursor: Cursor, units: list[tuple[str, int, _Rows]]) -> None:
        """Keep `counts` true of the rows `_store_units` is about to write: each current row of these units goes (it
        is deleted, or closed in transaction time) and each new current row comes, in one upsert per changed day; a day
        whose changes come to nothing is deleted, so the table depends on the rows alone, not on the batches that
        wrote them."""
        if not units:
            return
        changes: Counter[tuple[str, str, int, int]] = Counter()
        cursor.execute(self.dialect.sql("SELECT {columns} FROM {items} WHERE t_to = ? AND unit IN ({marks})",
                                        count=len(units), columns=", ".join(_COUNTED)),
                       (OPEN_TIME, *(unit for unit, _, _ in units)))
        for row in cursor.fetchall():
            _day_changes(changes, -1, tuple(row[c] for c in _COUNTED))
        for _, _, rows in units:
            for (_, kind, list_key, _, _, tier_lo, tier_hi, _, t_to, p_from, p_to, d_from, d_to, _) in rows.items:
                if t_to == OPEN_TIME:
                    _day_changes(changes, 1, (kind, list_key, tier_lo, tier_hi, p_from, p_to, d_from, d_to))
        changed = [(*key, n) for key, n in sorted(changes.items()) if n]
        cursor.executemany(self.dialect.sql(
            "INSERT INTO {counts} AS c (kind, list_key, tier, day, n) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (kind, list_key, tier, day) DO UPDATE SET n = c.n + excluded.n"), changed)
        cursor.executemany(self.dialect.sql("DELETE FROM {counts} WHERE kind = ? AND list_key = ? AND tier = ? "
                                            "AND day = ? AND n = 0"), [key for *key, _ in changed])


_COUNTED = ("kind", "list_key", "tier_lo", "tier_hi", "p_from", "p_to", "d_from", "d_to")  # what `counts` reads


def _day_changes(changes: Counter[tuple[str, str, int, int]], sign: int, row: tuple[Any, ...]) -> None:
    """Add `sign` times one row's changes to `counts` (see `sql.TABLES`; `row`: its `_COUNTED` columns): for each
    tier it holds, +1 on the day its effective range starts and -1 on the day it ends (none for an open end), to its
    kind as a whole and, for a list entry, to its list. Only a row that holds P open (the point `reader._point` asks:
    the day before `OPEN_DAY`) counts, and a row with an empty effective range holds no day."""
    kind, list_key, tier_lo, tier_hi, p_from, p_to, d_from, d_to = row
    if not (p_from <= OPEN_DAY - 1 < p_to) or d_from >= d_to:
        return
    sections = [(kind, "")] if list_key is None else [(kind, ""), (kind, list_key)]
    for tier in range(tier_lo, tier_hi + 1):
        for section in sections:
            changes[(*section, tier, d_from)] += sign
            if d_to < OPEN_DAY:
                changes[(*section, tier, d_to)] -= sign


_INSERTS = {
    "items": "unit, kind, list_key, party, subject, tier_lo, tier_hi, t_from, t_to, p_from, p_to, d_from, d_to, item",
    "effects": "unit, list_key, party, subject, seq, effective_on, published_on, tier_lo, tier_hi, t_from, t_to, "
               "p_from, p_to, item",
    "floors": "unit, t_from, t_to, p_floor",
    "parties": "party, names, aliases",
    "names": "normalised, party",
    "screen_keys": "token, party, nix, t_from",
}


@dataclass(frozen=True)
class _Rows:
    """The rows of one unit, ready to insert."""

    items: list[tuple[Any, ...]]
    effects: list[tuple[Any, ...]]
    floors: list[tuple[Any, ...]]
    parties: list[tuple[Any, ...]]
    names: list[tuple[Any, ...]]
    screen_keys: list[tuple[Any, ...]]
    concerns: list[tuple[Any, ...]]


def _unit_rows(unit: str, found: list[Version], entries: list[Entry]) -> _Rows:
    floors = [(unit, moment(v.recorded_at), moment(v.until), day(v.model.floor))
              for v in found if v.model.floor is not None]
    parties: list[tuple[Any, ...]] = []
    names: list[tuple[Any, ...]] = []
    screen_keys: list[tuple[Any, ...]] = []
    if unit.startswith("party:"):
        screen_keys = _screen_key_rows(unit.removeprefix("party:"), entries)
        party = unit.removeprefix("party:")
        known = directory(entries).get(party)
        if known is not None:
            parties = [(party, dump(list(known.names)), dump(list(known.aliases)))]
            names = [(n, party) for n in sorted({lookup_key(n) for n in (party, *known.names, *known.aliases)} - {""})]
    return _Rows(list(_item_rows(unit, found)), list(_effect_rows(unit, found)), floors, parties, names, screen_keys,
                 _concern_rows(unit, found))


def _concern_rows(unit: str, found: list[Version]) -> list[tuple[Any, ...]]:
    """Whom the unit's rows may concern (the `concerns` table): the parties its measures' `applies_to` name, the
    subject its positions are about. Rows replaced later keep theirs: the table only ever grows, a superset of
    whom the rows concern that a party's answer narrows (`select_state`)."""
    about: set[str] = set()
    for version in found:
        for box in version.model.boxes:
            if isinstance(box.item, MeasureView):
                about.update(box.item.applies_to)
            elif isinstance(box.item, PositionView):
                about.add(box.item.subject)
    return [(text, unit) for text in sorted(about)]


def _screen_key_rows(party: str, entries: list[Entry]) -> list[tuple[Any, ...]]:
    """The screening index's rows of one party: each key of each name and alias it was ever screened under (on any
    list: `screening_directory` on the entries known at each recording moment), from the moment it was first known.
    A name, once known, stays known at every later moment (entries are only added), so a row never ends."""
    first: dict[str, int] = {}
    for at in sorted({e.recorded_at for e in entries}):
        for found in screening_directory(entries, at).names:
            if found.party == party:
                first.setdefault(found.text, moment(at))
    ordered = sorted(first.items(), key=lambda item: (item[1], item[0]))
    return [(token, party, nix, known) for nix, (text, known) in enumerate(ordered)
            for token in sorted(index_keys(text))]


def _listing_keys(subject: SubjectKey) -> tuple[str | None, str | None]:
    return (subject[1], subject[2]) if subject[0] == "listing" else (None, None)


def _entry_row(subject: SubjectKey, entry: Entry) -> tuple[Any, ...]:
    action = entry.action
    effective = None if entry.is_amendment else action.effective_on
    earliest = min(action.source_dates())
    first = day(min(effective, earliest)) if effective is not None else None
    return (entry.seq, unit_of(subject), moment(entry.recorded_at), day(earliest), first,
            action.tier.rank, action.model_dump_json(exclude_none=True))


def _evidence_rows(entry: Entry) -> list[tuple[Any, ...]]:
    """One row per source of a fact as written: its date, the first day it lets the fact count by (the earlier of
    that date and effective_on) and its tier, so that the earliest first day of the facts a query sees (through
    their sources of its tier dated by its P, `ActionBase.seen`) is one indexed look-up."""
    if entry.is_amendment:
        return []
    action = entry.action
    effective = action.effective_on
    return [(entry.seq, moment(entry.recorded_at), day(when), day(min(effective, when) if effective else when),
             s.reliability.rank) for s, when in zip(action.sources, action.source_dates(), strict=True)]


def _item_rows(unit: str, found: list[Version]) -> Iterator[tuple[Any, ...]]:
    spelled: dict[SubjectKey, tuple[Any, ...]] = {}
    encoded: dict[int, str] = {}  # an item shared by several boxes (or versions) is encoded once
    for version in found:
        t_from, t_to = moment(version.recorded_at), moment(version.until)
        for box in version.model.boxes:
            (p_from, p_to), (d_from, d_to) = box.published, box.effective
            subject = spelled.get(box.subject) or spelled.setdefault(
                box.subject, (box.subject[0], *_listing_keys(box.subject), dump(list(box.subject))))
            item = encoded.get(id(box.item)) or encoded.setdefault(
                id(box.item), dump([list(box.subject), item_data(box.item)]))
            yield (unit, *subject, *box.tiers, t_from, t_to, day(p_from), day(p_to), day(d_from, 0), day(d_to), item)


def _effect_rows(unit: str, found: list[Version]) -> Iterator[tuple[Any, ...]]:
    spelled: dict[SubjectKey, tuple[Any, ...]] = {}
    encoded: dict[int, str] = {}
    for version in found:
        t_from, t_to = moment(version.recorded_at), moment(version.until)
        for effect in version.model.effects:
            p_from, p_to = effect.published
            subject = spelled.get(effect.subject) or spelled.setdefault(
                effect.subject, (*_listing_keys(effect.subject), dump(list(effect.subject))))
            item = encoded.get(id(effect.item)) or encoded.setdefault(
                id(effect.item), dump([list(effect.subject), effect_data(effect.item)]))
            yield (unit, *subject, effect.seq, day(effect.item.effective_on), day(effect.item.published_on),
                   *effect.tiers, t_from, t_to, day(p_from), day(p_to), item)

