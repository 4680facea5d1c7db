"""Property: any sequence of screening-list snapshots, imported in date order, leaves the ledger's state as of each
snapshot's date, published by that date, equal to that snapshot's content for the lists it covers.

Random parties appear, change aliases, addresses or licence terms, disappear and reappear, on two lists; snapshots
come as JSON or CSV, some on the same day as the one before, some imported twice. The oracle reads the recorded
actions directly: per list, the parties in force are those of the latest snapshot covering it by that date; each
party's aliases and addresses are those of the last visible action giving them, in legal order.
"""

from __future__ import annotations

import csv
import json
import tempfile
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from regledger.adapters.importers import import_snapshot
from regledger.adapters.store.ledger import Ledger
from regledger.adapters.wiring import open_ledger
from regledger.domain.history import Entry
from regledger.projections import Query, directory, state_as_of

BASE = date(2020, 1, 1)
NAMES = ("Alpha Trading Co.", "Beta Electronics Ltd.", "Gamma Shipping LLC", "Delta Components GmbH", "Epsilon Labs")
COUNTRIES = ("AE", "CN", "DE", "HK", "IR")
LISTS = {"EL": "us-bis-entity-list", "SDN": "us-ofac-sdn"}
REQUIREMENTS = (None, "For all items subject to the EAR", "For items on the CCL")
POLICIES = (None, "Presumption of denial", "Case-by-case review")
COLUMNS = ("source", "name", "alt_names", "addresses", "federal_register_notice", "start_date",
           "license_requirement", "license_policy")


@dataclass(frozen=True)
class Snapshot:
    """One snapshot: its date offset from BASE, its entries, its form, and whether it is imported twice."""

    day: date
    entries: tuple[dict[str, Any], ...]
    form: str
    twice: bool


@st.composite
def entries_of(draw: st.DrawFn, source: str, day: date) -> list[dict[str, Any]]:
    """Entries of one list: some of the parties, each with random aliases, addresses, terms and start date."""
    chosen = draw(st.lists(st.integers(0, len(NAMES) - 1), unique=True, max_size=4))
    found = []
    for i in chosen:
        aliases = draw(st.lists(st.sampled_from([f"{NAMES[i]} alias {k}" for k in range(3)]), unique=True, max_size=2))
        places = [f"{k} Example Road, City {i}, {COUNTRIES[i]}" for k in range(3)]
        start = draw(st.none() | st.integers(-40, 3).map(lambda n: day + timedelta(days=n)))
        found.append({
            "source": source, "name": NAMES[i], "alt_names": aliases,
            "addresses": draw(st.lists(st.sampled_from(places), unique=True, max_size=2)),
            "start_date": start.isoformat() if start else None,
            "license_requirement": draw(st.sampled_from(REQUIREMENTS)),
            "license_policy": draw(st.sampled_from(POLICIES)),
            "federal_register_notice": draw(st.sampled_from([None, "999 FR 1", "999 FR 2"])),
        })
    return found


@st.composite
def snapshots(draw: st.DrawFn) -> list[Snapshot]:
    """Two to five snapshots in date order (a gap of 0 days: a second snapshot of the same day)."""
    day, found = BASE, []
    for _ in range(draw(st.integers(2, 5))):
        day += timedelta(days=draw(st.sampled_from([0, 3, 10, 30])))
        entries = [e for source in draw(st.sets(st.sampled_from(sorted(LISTS)), min_size=1))
                   for e in draw(entries_of(source, day))]
        if entries:
            found.append(Snapshot(day, tuple(entries), draw(st.sampled_from(["json", "csv"])), draw(st.booleans())))
    return found


def _write(folder: Path, number: int, snapshot: Snapshot) -> Path:
    path = folder / f"snapshot-{number}.{snapshot.form}"
    if snapshot.form == "json":
        path.write_text(json.dumps({"results": list(snapshot.entries)}), encoding="utf-8")
        return path
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.DictWriter(file, COLUMNS)
        writer.writeheader()
        for entry in snapshot.entries:
            writer.writerow({k: "; ".join(v) if isinstance(v, list) else v or "" for k, v in entry.items()})
    return path


def _expected(done: list[Snapshot], day: date) -> dict[str, dict[str, dict[str, Any]]]:
    """Per list key, name → entry: the latest snapshot by `day` that covers the list."""
    lists: dict[str, dict[str, dict[str, Any]]] = {}
    for snapshot in (s for s in done if s.day <= day):
        covered = {LISTS[e["source"]] for e in snapshot.entries}
        for key in covered:
            lists[key] = {e["name"]: e for e in snapshot.entries if LISTS[e["source"]] == key}
    return lists


def _last_given(entries: list[Entry], list_key: str, party: str, day: date, field: str) -> set[str]:
    """What the last visible listing action of (list, party) in force on `day` gave for `field`, in legal order."""
    actions = sorted(
        (e for e in entries if getattr(e.action, "list", None) == list_key and e.action.party.key == party  # type: ignore[union-attr]
         and e.action.published_on <= day and e.action.effective_on <= day),  # type: ignore[operator]
        key=lambda e: (e.action.effective_on, e.action.published_on, e.seq),
    )
    given_ = [getattr(e.action.party, field) for e in actions if getattr(e.action.party, field) is not None]  # type: ignore[union-attr]
    return set(given_[-1]) if given_ else set()


def _check(ledger: Ledger, done: list[Snapshot], day: date) -> None:
    entries = [Entry(s.position, s.recorded_at, s.action) for s in ledger.stored_actions()]
    state = state_as_of(entries, Query(as_of=day, published_by=day))
    for list_key, expected in _expected(done, day).items():
        found = {e.name: e for e in state.lists.get(list_key, ()) if e.status == "in_force"}
        assert set(found) == set(expected), (day, list_key)
        for name, entry in found.items():
            want = expected[name]
            terms = {k: entry.details.get(k) or None for k in ("license_requirement", "license_policy")}
            assert terms == {k: want[k] for k in terms}, (day, list_key, name)
            assert entry.listed_on is not None
            assert entry.listed_on <= day
            for field, wanted in (("aliases", want["alt_names"]), ("addresses", want["addresses"])):
                assert _last_given(entries, list_key, entry.party, day, field) == set(wanted), (day, name, field)
            if want["alt_names"]:
                assert set(entry.aliases) == set(want["alt_names"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(snapshots())
def test_every_snapshot_date_shows_that_snapshots_lists(sequence: list[Snapshot]) -> None:
    done: list[Snapshot] = []
    with tempfile.TemporaryDirectory() as folder, open_ledger("memory:") as ledger:
        for number, snapshot in enumerate(sequence):
            path = _write(Path(folder), number, snapshot)
            import_snapshot(ledger, path, snapshot.day)
            done.append(snapshot)
            if snapshot.twice:
                again = import_snapshot(ledger, path, snapshot.day)
                assert (again.result, again.recorded) == (None, 0)
        for snapshot in done:
            if snapshot is [s for s in done if s.day == snapshot.day][-1]:
                _check(ledger, done, snapshot.day)
        names = {e["name"] for s in done for e in s.entries}
        parties = directory(Entry(s.position, s.recorded_at, s.action) for s in ledger.stored_actions())
        assert sorted(p.names[-1] for p in parties.values()) == sorted(names)  # one party per name, never two
