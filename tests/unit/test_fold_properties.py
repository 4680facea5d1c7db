"""Property tests: the reference fold agrees with a brute-force oracle, and never depends on recording order.

The oracle is written from DESIGN.md §1-§4 without the domain's step functions: it filters the raw recorded
actions for a query (applying the visible corrections and dropping what visible retractions name) and reads each
subject's state off the filtered actions directly (listed iff the last listing or delisting in force is a listing;
a measure's status by precedence; the latest statement per actor and subject).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from regledger.domain import action_adapter
from regledger.domain.actions import Action, Correction, Retraction
from regledger.domain.history import Entry
from regledger.domain.values import Reliability
from regledger.projections import Query, State, state_as_of
from tests.unit.views_kit import BASE_DAY, RUN, TIERS, correction_value, day, days

LISTING_KINDS = ("entity_listed", "entry_amended", "entity_delisted")
MEASURE_KINDS = ("measure_proposed", "measure_adopted", "measure_amended", "measure_expired", "measure_withdrawn")
SETTINGS = settings(deadline=None, max_examples=150, suppress_health_check=[HealthCheck.too_slow])


# -- random histories ----------------------------------------------------------------------------------------------

@st.composite
def base_actions(draw: st.DrawFn, number: int) -> dict[str, Any]:
    """One listing, measure or position action of a small universe, with id `a{number}`."""
    common = {"id": f"a{number}", "effective_on": day(draw(days)), "published_on": day(draw(days)),
              "sources": [{"citation": f"src-{number}", "reliability": draw(st.sampled_from(TIERS))}]}
    family = draw(st.sampled_from(["listing", "listing", "measure", "measure", "position"]))
    if family == "listing":
        kind = draw(st.sampled_from(LISTING_KINDS))
        extra = {} if kind == "entity_delisted" else {"details": {"n": str(draw(st.integers(0, 3)))}}
        return {"kind": kind, "list": "l1", "party": {"key": draw(st.sampled_from(["p1", "p2"]))}, **common, **extra}
    if family == "position":
        return {"kind": "position_stated", "actor": "a1", "topic": draw(st.sampled_from(["t1", "t2"])),
                "stance": draw(st.sampled_from(["supports", "opposes", "undecided"])), **common}
    kind = draw(st.sampled_from((*MEASURE_KINDS, "measure_adopted", "measure_amended", "measure_amended")))
    extra = {}
    if kind in {"measure_adopted", "measure_amended"} and draw(st.booleans()):
        extra["expires_on"] = day(draw(days))
    return {"kind": kind, "measure": {"key": draw(st.sampled_from(["m1", "m2"]))}, **common, **extra}


def _correctable(action: dict[str, Any], with_dates: bool) -> list[str]:
    fields = ["sources"] + (["effective_on", "published_on"] if with_dates else [])
    if action["kind"] in {"entity_listed", "entry_amended"}:
        fields.append("details.n")
    if action["kind"] == "position_stated":
        fields.append("stance")
    if action["kind"] in {"measure_adopted", "measure_amended"}:
        fields.append("expires_on")
    return fields


@st.composite
def amendments(draw: st.DrawFn, bases: list[dict[str, Any]], runs: list[int], with_dates: bool) -> list[tuple]:
    """(run, mapping) corrections and retractions of earlier actions (a retraction may name a correction)."""
    made: list[tuple[int, dict[str, Any]]] = []
    for number in range(draw(st.integers(0, 4))):
        common = {"id": f"x{number}", "published_on": day(draw(days)),
                  "sources": [{"citation": f"fix-{number}", "reliability": draw(st.sampled_from(TIERS))}]}
        corrections = [(r, m) for r, m in made if m["kind"] == "correction"]
        if draw(st.booleans()):
            pool = [(r, m["id"]) for r, m in zip(runs, bases, strict=True)] + [(r, m["id"]) for r, m in corrections]
            run, target = draw(st.sampled_from(pool))
            item = {"kind": "retraction", "retracts": target, "reason": "wrong", **common}
        else:
            index = draw(st.integers(0, len(bases) - 1))
            run, target = runs[index], bases[index]
            path = draw(st.sampled_from(_correctable(target, with_dates)))
            item = {"kind": "correction", "corrects": target["id"],
                    "fields": {path: correction_value(draw, path, number)}, **common}
        made.append((draw(st.integers(run, 3)), item))
    return made


@dataclass(frozen=True)
class History:
    """Base actions and amendments, each with the run (0-3) that recorded it."""

    bases: list[tuple[int, dict[str, Any]]]
    amendments: list[tuple[int, dict[str, Any]]]

    def entries(self, order: list[int] | None = None) -> list[Entry]:
        """Entries in recording order: runs in time order; bases in `order` (default as drawn), then amendments."""
        order = order if order is not None else list(range(len(self.bases)))
        items = [self.bases[i] for i in order] + self.amendments
        ranked = sorted(range(len(items)), key=lambda i: (items[i][0], i))
        return [Entry(seq, RUN + timedelta(hours=items[i][0]), action_adapter.validate_python(items[i][1]))
                for seq, i in enumerate(ranked, start=1)]


@st.composite
def histories(draw: st.DrawFn, with_dates: bool = True, one_run: bool = False) -> History:
    bases = [draw(base_actions(n)) for n in range(draw(st.integers(1, 14)))]
    runs = [0 if one_run else draw(st.integers(0, 3)) for _ in bases]
    fixes = draw(amendments(bases, runs, with_dates))
    if one_run:
        fixes = [(0, item) for _, item in fixes]
    return History(list(zip(runs, bases, strict=True)), fixes)


def _dates_of(history: History) -> list[str]:
    """Every date a history names: the as-of dates where boundaries bite."""
    return sorted({value for _, item in history.bases + history.amendments
                   for name, value in item.items() if name in {"effective_on", "published_on", "expires_on"}})


@st.composite
def queries(draw: st.DrawFn, history: History | None = None) -> Query:
    """A query: mostly open axes; as of a date the history names (or the day after), or any day around them."""
    near = [date.fromisoformat(v) + timedelta(days=k) for v in _dates_of(history) for k in (0, 1)] if history else []
    as_of = draw(st.sampled_from(near)) if near and draw(st.booleans()) else BASE_DAY + timedelta(
        days=draw(st.integers(-1, 11)))
    published = draw(st.none() | st.none() | days)
    known = draw(st.none() | st.none() | st.integers(0, 3))
    tier = draw(st.none() | st.none() | st.none() | st.sampled_from(list(Reliability)))
    return Query(as_of, BASE_DAY + timedelta(days=published) if published is not None else None,
                 RUN + timedelta(hours=known) if known is not None else None, tier)


# -- the oracle ----------------------------------------------------------------------------------------------------


def _seen(entry: Entry, action: Any, query: Query) -> bool:
    return ((query.published_by is None or action.published_on <= query.published_by)
            and (query.known_at is None or entry.recorded_at <= query.known_at)
            and max(Reliability(s.reliability).rank for s in action.sources) >= (
                query.min_reliability.rank if query.min_reliability else 0))


def visible_actions(entries: list[Entry], query: Query) -> list[tuple[int, Action]]:
    """(seq, action as corrected) for every visible, unretracted action other than an amendment."""
    amending = [e for e in entries if isinstance(e.action, Correction | Retraction) and _seen(e, e.action, query)]
    retracted = {e.action.retracts for e in amending if isinstance(e.action, Retraction)}
    fixes = [e for e in amending if isinstance(e.action, Correction) and e.action.id not in retracted]
    found = []
    for entry in entries:
        if isinstance(entry.action, Correction | Retraction) or entry.action.id in retracted:
            continue
        data = entry.action.as_data()
        for fix in sorted(fixes, key=lambda e: e.seq):
            if fix.action.corrects == entry.action.id:
                for path, value in fix.action.fields.items():
                    *parents, last = path.split(".")
                    target = data
                    for part in parents:
                        target = target.setdefault(part, {})
                    target[last] = value
        action = action_adapter.validate_python(data)
        if _seen(entry, action, query):
            found.append((entry.seq, action))
    return sorted(found, key=lambda p: (p[1].effective_on, p[1].published_on, p[0]))


def oracle(entries: list[Entry], query: Query) -> dict[str, Any]:
    """The expected answer, read off the filtered raw actions."""
    subjects: dict[tuple, list[Any]] = {}
    for _, action in visible_actions(entries, query):
        subjects.setdefault(_subject(action), []).append(action)
    answer: dict[str, Any] = {"lists": {}, "measures": {}, "positions": {}}
    for subject, actions in subjects.items():
        family, key = subject
        result = {"lists": _oracle_listing, "measures": _oracle_measure, "positions": _oracle_position}[family](
            actions, query.as_of)
        if result is not None:
            answer[family][key] = result
    return answer


def _subject(action: Any) -> tuple:
    if action.kind in LISTING_KINDS:
        return ("lists", action.party.key)
    if action.kind == "position_stated":
        return ("positions", action.topic)
    return ("measures", action.measure.key)


def _cites(actions: list[Any]) -> tuple:
    return tuple(dict.fromkeys((s.citation, s.reliability.value) for a in actions for s in a.sources))


def _oracle_listing(actions: list[Any], on: date) -> tuple | None:
    now = [a for a in actions if a.effective_on <= on]
    marks = [a.kind for a in now if a.kind != "entry_amended"]
    if marks and marks[-1] == "entity_listed":
        last_delisting = max((i for i, a in enumerate(now) if a.kind == "entity_delisted"), default=-1)
        start = next(i for i, a in enumerate(now) if i > last_delisting and a.kind == "entity_listed")
        entry = now[start:]
        return ("in_force", now[start].effective_on, _details(entry), _cites(entry))
    announced = [a for a in actions if a.kind == "entity_listed" and a.published_on <= on < a.effective_on]
    if announced:
        return ("pending", announced[0].effective_on, _details(announced), _cites(announced))
    return None


def _details(actions: list[Any]) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for action in actions:
        merged.update(getattr(action, "details", None) or {})
    return merged


def _oracle_measure(actions: list[Any], on: date) -> tuple | None:
    now = [a for a in actions if a.effective_on <= on]
    pending = [a for a in actions if a.published_on <= on < a.effective_on]
    kinds = {a.kind for a in now}
    revivers = [a for a in now if a.kind in {"measure_expired", "measure_adopted"}
                or (a.kind == "measure_amended" and a.expires_on)]
    explicit = bool(revivers) and revivers[-1].kind == "measure_expired"
    if "measure_withdrawn" in kinds:  # after an adoption (in legal order) a withdrawal reads as a revocation
        first = next(i for i, a in enumerate(now) if a.kind == "measure_withdrawn")
        return ("revoked" if any(a.kind == "measure_adopted" for a in now[:first]) else "withdrawn", None)
    if "measure_adopted" in kinds:
        expires = [a for a in revivers if a.kind != "measure_expired"][-1].expires_on
        lapsed = explicit or (expires is not None and on > expires)
        return ("expired" if lapsed else "in_force", expires)
    if explicit:
        return ("expired", None)
    if any(a.kind == "measure_adopted" for a in pending):
        return ("pending", None)
    if "measure_proposed" in kinds:
        return ("proposed", None)
    return ("pending", None) if pending else None


def _oracle_position(actions: list[Any], on: date) -> tuple | None:
    now = [a for a in actions if a.effective_on <= on]
    if not now:
        return None
    current = now[-1]
    return (current.stance, max(current.sources, key=lambda s: Reliability(s.reliability).rank).reliability.value)


def answer_of(state: State) -> dict[str, Any]:
    """The fold's answer in the oracle's shape."""
    lists = {e.party: (e.status, e.listed_on, e.details, tuple((c.citation, c.reliability) for c in e.citations))
             for entries in state.lists.values() for e in entries}
    measures = {m.key: (m.status, m.expires_on if m.status in {"in_force", "expired"} and m.effective_on else None)
                for m in state.measures}
    positions = {p.subject: (p.stance, p.reliability) for p in state.positions}
    return {"lists": lists, "measures": measures, "positions": positions}


# -- properties ----------------------------------------------------------------------------------------------------


@SETTINGS
@given(data=st.data())
def test_the_fold_agrees_with_the_brute_force_oracle(data: st.DataObject) -> None:
    history = data.draw(histories(), label="history")
    query = data.draw(queries(history), label="query")
    entries = history.entries()

    assert answer_of(state_as_of(entries, query)) == oracle(entries, query)


def _ties(history: History) -> bool:
    seen = set()
    for _, action in history.bases:
        subject = _subject(action_adapter.validate_python(action))
        key = (subject, action["effective_on"], action["published_on"])
        if key in seen:
            return True
        seen.add(key)
    return False


@SETTINGS
@given(history=histories(with_dates=False, one_run=True), query=queries(), seed=st.randoms(use_true_random=False))
def test_the_answer_never_depends_on_the_order_actions_were_recorded_in(history: History, query: Query,
                                                                        seed: random.Random) -> None:
    assume(not _ties(history))
    order = list(range(len(history.bases)))
    seed.shuffle(order)

    as_drawn = state_as_of(history.entries(), query)
    shuffled = state_as_of(history.entries(order), query)

    assert shuffled == as_drawn


@SETTINGS
@given(history=histories(), query=queries(), known=st.integers(0, 3))
def test_known_at_replays_exactly_what_had_been_recorded_by_then(history: History, query: Query,
                                                                 known: int) -> None:
    moment = RUN + timedelta(hours=known)
    entries = history.entries()
    prefix = [e for e in entries if e.recorded_at <= moment]
    as_known = state_as_of(entries, Query(query.as_of, query.published_by, moment, query.min_reliability))
    replayed = state_as_of(prefix, Query(query.as_of, query.published_by, None, query.min_reliability))

    assert (as_known.lists, as_known.measures, as_known.meetings, as_known.positions) == (
        replayed.lists, replayed.measures, replayed.meetings, replayed.positions)
