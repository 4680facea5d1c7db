"""Random histories for the read models' tests, and the fold's answers to compare with.

Richer than the fold's property strategies where the read models have more to get wrong: parties named on some
actions and not others, on two lists (names cross lists); measures with titles, comment periods, typed date
parameters; meetings; positions on topics and measures; corrections of dates, sources, details, stances and names;
retractions (of corrections too); several record runs (transaction time), one of them recorded with an earlier clock.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, fields, is_dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import NAMESPACE_URL, uuid5

from hypothesis import strategies as st

from regledger.domain import Subject, action_adapter
from regledger.domain.actions import Action
from regledger.domain.history import Entry
from regledger.domain.values import Reliability
from regledger.projections import Query
from regledger.projections.items import Citation
from regledger.projections.subjects import group_by_subject, subject_of, target_of

BASE_DAY = date(2020, 1, 1)
RUN = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)
TIERS = [t.value for t in Reliability]
days = st.integers(0, 9)


def day(offset: int) -> str:
    return (BASE_DAY + timedelta(days=offset)).isoformat()


def _common(draw: st.DrawFn, number: int, dated: bool = False) -> dict[str, Any]:
    published = draw(days)
    found = {"id": f"a{number}", "effective_on": day(draw(days)), "published_on": day(published),
             "sources": [{"citation": f"src-{number}", "reliability": draw(st.sampled_from(TIERS))}]}
    if dated:
        found["sources"] += [dated_source(draw, f"src-{number}-{k}", published) for k in range(draw(st.integers(0, 2)))]
        if draw(st.booleans()):  # the first source dated too: the action's date may then be left out
            found["sources"][0]["published_on"] = day(published)
            if all("published_on" in s for s in found["sources"]) and draw(st.booleans()):
                del found["published_on"]
    return found


def dated_source(draw: st.DrawFn, citation: str, published: int) -> dict[str, Any]:
    """A source of a random tier and kind, dated on or after the action's `published` day offset (or undated)."""
    found = {"citation": citation, "reliability": draw(st.sampled_from(TIERS)),
             "kind": draw(st.sampled_from(["federal_register", "public_inspection", "press", "other"]))}
    if draw(st.integers(0, 3)):
        found["published_on"] = day(published + draw(st.integers(0, 4)))
    return found


def _party(draw: st.DrawFn) -> dict[str, Any]:
    ref: dict[str, Any] = {"key": draw(st.sampled_from(["p1", "p2"]))}
    if draw(st.integers(0, 3)) == 0:
        ref["name"] = draw(st.sampled_from(["Alpha Co", "Beta Ltd", "Алфа"]))
    if draw(st.integers(0, 4)) == 0:
        ref["aliases"] = draw(st.sampled_from([["A1"], ["華為", "A2"]]))
    if draw(st.integers(0, 4)) == 0:
        ref["country"] = draw(st.sampled_from(["CN", "RU"]))
    if draw(st.integers(0, 4)) == 0:
        ref["affiliate_of"] = "p3"
    return ref


def _listing(draw: st.DrawFn, common: dict[str, Any]) -> dict[str, Any]:
    kind = draw(st.sampled_from(["entity_listed", "entity_listed", "entry_amended", "entity_delisted",
                                 "listing_announced"]))
    extra: dict[str, Any] = {"details": {"n": str(draw(st.integers(0, 3)))}}
    if kind == "entity_delisted":
        extra = {}
    elif kind == "listing_announced":  # no effective date: it counts from its publication
        extra = {"change": draw(st.sampled_from(["add", "add", "remove"]))}
        common = {k: v for k, v in common.items() if k != "effective_on"}
    return {"kind": kind, "list": draw(st.sampled_from(["l1", "l1", "l2"])), "party": _party(draw), **common, **extra}


def _measure(draw: st.DrawFn, common: dict[str, Any]) -> dict[str, Any]:
    kind = draw(st.sampled_from(["measure_proposed", "comment_period_opened", "measure_adopted", "measure_adopted",
                                 "measure_amended", "measure_amended", "measure_expired", "measure_withdrawn",
                                 "measure_announced", "measure_drafted", "measure_revoked"]))
    ref: dict[str, Any] = {"key": "m1"}
    if draw(st.booleans()):
        ref["title"] = draw(st.sampled_from(["Rule one", "Rule 1"]))
    extra: dict[str, Any] = {}
    if kind == "comment_period_opened" or (kind == "measure_proposed" and draw(st.booleans())):
        extra["comments_close_on"] = day(draw(days))
    if kind in {"measure_adopted", "measure_amended", "measure_proposed"} and draw(st.booleans()):
        extra["expires_on"] = day(draw(days))
    if kind in {"measure_adopted", "measure_amended", "measure_announced", "measure_drafted"} and draw(st.booleans()):
        extra["parameters"] = draw(st.sampled_from([{"de_minimis_percent": 25}, {"wind_down_ends_on": day(3)},
                                                    {"note_text": "x", "entries_designated": 2}]))
    if kind in {"measure_adopted", "measure_amended", "measure_announced", "measure_drafted"} and draw(st.booleans()):
        extra["applies_to"] = draw(st.sampled_from([["p1"], ["p1", "p3"]]))
        if draw(st.booleans()):
            extra["include_affiliates"] = draw(st.booleans())
    if kind == "measure_announced":
        common = {k: v for k, v in common.items() if k != "effective_on"}
    return {"kind": kind, "measure": ref, **common, **extra}


def _meeting(draw: st.DrawFn, common: dict[str, Any]) -> dict[str, Any]:
    kind = draw(st.sampled_from(["meeting_scheduled", "meeting_scheduled", "meeting_rescheduled",
                                 "meeting_postponed", "meeting_held", "meeting_cancelled"]))
    ref: dict[str, Any] = {"key": "g1"}
    if draw(st.booleans()):
        ref["title"] = "Meeting"
    extra: dict[str, Any] = {}
    if kind in {"meeting_scheduled", "meeting_rescheduled"} or (kind == "meeting_held" and draw(st.booleans())):
        extra["date"] = day(draw(days))
    if kind == "meeting_held" and draw(st.booleans()):
        extra["outcome"] = "agreed"
    return {"kind": kind, "meeting": ref, **common, **extra}


def _position(draw: st.DrawFn, common: dict[str, Any]) -> dict[str, Any]:
    about = {"topic": draw(st.sampled_from(["t1", "t2"]))} if draw(st.booleans()) else {"measure": {"key": "m1"}}
    extra = {"actor_name": "Agency"} if draw(st.booleans()) else {}
    return {"kind": "position_stated", "actor": "a1", **about, **extra,
            "stance": draw(st.sampled_from(["supports", "opposes", "undecided"])), **common}


@st.composite
def base_action(draw: st.DrawFn, number: int, dated: bool = False) -> dict[str, Any]:
    """One action of a small universe, with id `a{number}`; `dated`: with several sources, dated on their own."""
    family = draw(st.sampled_from([_listing, _listing, _listing, _measure, _measure, _meeting, _position]))
    return family(draw, _common(draw, number, dated))


_FIELDS = {
    "entity_listed": ["details.n", "party.name"], "entry_amended": ["details.n"], "position_stated": ["stance"],
    "listing_announced": ["party.name"],
    "measure_adopted": ["expires_on"], "measure_amended": ["expires_on"], "meeting_scheduled": ["date"],
}


def correction_value(draw: st.DrawFn, path: str, number: int) -> Any:
    """A value for a correction of the field at `path` (the fold's property tests draw from the same)."""
    if path == "sources":
        return [{"citation": f"fixed-{number}", "reliability": draw(st.sampled_from(TIERS))}]
    if path == "details.n":
        return str(draw(st.integers(0, 3)))
    if path == "stance":
        return draw(st.sampled_from(["supports", "opposes", "neutral"]))
    if path == "party.name":
        return draw(st.sampled_from(["Gamma AG", "Beta Ltd"]))
    return day(draw(days))


@st.composite
def amendments(draw: st.DrawFn, bases: list[dict[str, Any]], runs: list[int]) -> list[tuple[int, dict[str, Any]]]:
    """(run, mapping) corrections and retractions of earlier actions (a retraction may name a correction)."""
    made: list[tuple[int, dict[str, Any]]] = []
    for number in range(draw(st.integers(0, 4))):
        common = {"id": f"x{number}", "published_on": day(draw(days)),
                  "sources": [{"citation": f"fix-{number}", "reliability": draw(st.sampled_from(TIERS))}]}
        if draw(st.booleans()):
            pool = [(r, m["id"]) for r, m in zip(runs, bases, strict=True)]
            pool += [(r, m["id"]) for r, m in made if m["kind"] == "correction"]
            run, target = draw(st.sampled_from(pool))
            item = {"kind": "retraction", "retracts": target, "reason": "wrong", **common}
        else:
            index = draw(st.integers(0, len(bases) - 1))
            run, target = runs[index], bases[index]
            dated = [] if target["kind"].endswith("_announced") else ["effective_on"]  # an announcement has none
            path = draw(st.sampled_from(["sources", *dated, "published_on", *_FIELDS.get(target["kind"], [])]))
            item = {"kind": "correction", "corrects": target["id"],
                    "fields": {path: correction_value(draw, path, number)}, **common}
        made.append((draw(st.integers(run, 3)), item))
    return made


@dataclass(frozen=True)
class History:
    """Base actions and amendments, each with the run (0-3) that recorded it; run 2 may run on an early clock."""

    items: list[tuple[int, dict[str, Any]]]
    skewed: bool = False

    def moment(self, run: int) -> datetime:
        """The recorded_at of a run (with a skewed clock, run 2 is stamped before run 1)."""
        if self.skewed and run == 2:
            return RUN + timedelta(minutes=30)
        return RUN + timedelta(hours=run)

    def entries(self) -> list[Entry]:
        """Entries in recording order (runs in order, as drawn within a run)."""
        ranked = sorted(range(len(self.items)), key=lambda i: (self.items[i][0], i))
        return [Entry(seq, self.moment(self.items[i][0]), action_adapter.validate_python(self.items[i][1]))
                for seq, i in enumerate(ranked, start=1)]

    def runs(self) -> list[list[Entry]]:
        """The entries of each run, in order."""
        found: dict[datetime, list[Entry]] = {}
        for entry in self.entries():
            found.setdefault(entry.recorded_at, []).append(entry)
        return list(found.values())


@st.composite
def histories(draw: st.DrawFn, dated: bool = False) -> History:
    """A random history of 1 to 14 base actions and up to 4 amendments over 4 runs; `dated`: actions with up to
    three sources of random tiers and kinds, each dated on its own."""
    bases = [draw(base_action(n, dated)) for n in range(draw(st.integers(1, 14)))]
    runs = [draw(st.integers(0, 3)) for _ in bases]
    fixes = draw(amendments(bases, runs))
    return History(list(zip(runs, bases, strict=True)) + fixes, skewed=draw(st.integers(0, 5)) == 0)


def dates_of(entries: list[Entry]) -> list[date]:
    """Every date the entries carry, and the day before and after each."""
    found = set()
    for entry in entries:
        for name in ("effective_on", "published_on", "expires_on", "date", "comments_close_on"):
            value = getattr(entry.action, name, None)
            if isinstance(value, date):
                found.update(value + timedelta(days=k) for k in (-1, 0, 1))
        for value in entry.action.source_dates():
            found.update(value + timedelta(days=k) for k in (-1, 0, 1))
    return sorted(found) or [BASE_DAY]


@st.composite
def queries(draw: st.DrawFn, history: History) -> Query:
    """A query point on all three axes and a tier: near the dates and runs the history holds, or anywhere."""
    near = dates_of(history.entries())
    as_of = draw(st.sampled_from(near)) if draw(st.booleans()) else BASE_DAY + timedelta(days=draw(st.integers(-1, 11)))
    published = draw(st.none() | st.sampled_from(near))
    known = draw(st.none() | st.integers(0, 3))
    moment = None
    if known is not None:
        moment = history.moment(known) - (timedelta(microseconds=1) if draw(st.booleans()) else timedelta(0))
    tier = draw(st.none() | st.sampled_from(list(Reliability)))
    return Query(as_of, published, moment, tier)


def aggregate_of(entries: list[Entry]) -> dict[int, Any]:
    """Each entry's aggregate id, as the ledger would give it (an amendment: its target's subject's)."""
    subjects = {}
    by_id: dict[str, Any] = {}
    for entry in entries:
        target = target_of(entry.action)
        subject = subject_of(entry.action) if target is None else by_id.get(target)
        if subject is not None and entry.action.id is not None:
            by_id.setdefault(entry.action.id, subject)
        subjects[entry.seq] = uuid5(NAMESPACE_URL, "/".join(subject)) if subject is not None else None
    return subjects


def events_of(entries: list[Entry]) -> Iterator[tuple[int, Any]]:
    """(notification id, event) pairs as the log would hold them: an event recording each action that has a
    subject (an amendment of an unknown action is refused by the ledger, so left out here), and an unrelated
    event between them."""
    aggregates = aggregate_of(entries)
    known = {seq for group in group_by_subject(entries).values() for seq in (e.seq for e in group)}
    nid = 0
    for entry in entries:
        nid += 1
        yield nid, None  # an index or party event: nothing for the read models
        if entry.seq in known:
            nid += 1
            yield nid, Subject.Recorded(originator_id=aggregates[entry.seq], originator_version=entry.seq,
                                        timestamp=entry.recorded_at, action=entry.action)


def as_logged(entries: list[Entry]) -> list[Entry]:
    """The entries as a read model sees them: numbered by notification id (what `events_of` gives)."""
    known = {e.seq for group in group_by_subject(entries).values() for e in group}
    found, nid = [], 0
    for entry in entries:
        nid += 1
        if entry.seq in known:
            nid += 1
            found.append(Entry(nid, entry.recorded_at, entry.action))
    return found


Actions = list[Action]


def citations_in(value: Any) -> Iterator[Citation]:
    """Every citation an answer (state, diff, history, item, or any nesting of them) holds."""
    if isinstance(value, Citation):
        yield value
    elif is_dataclass(value) and not isinstance(value, type):
        for name in (f.name for f in fields(value)):
            yield from citations_in(getattr(value, name))
    elif isinstance(value, dict):
        for item in value.values():
            yield from citations_in(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from citations_in(item)


def assert_cites_nothing_after(answer: Any, published_by: date | None) -> None:
    """No citation of `answer` is dated after P (the public-record axis reads sources, DESIGN §2)."""
    if published_by is not None:
        late = [c for c in citations_in(answer) if c.published_on > published_by]
        assert not late, (published_by, late)
