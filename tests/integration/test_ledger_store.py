"""The ledger application on each store: atomic runs, one recorded_at, idempotence, conflicts retried."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from regledger.adapters.errors import InputError
from regledger.adapters.importers import import_snapshot
from regledger.adapters.importers.timeline import read_timeline
from regledger.adapters.store.ledger import Ledger
from regledger.adapters.wiring import open_ledger
from regledger.domain import ActionIndex, Listing, ListSnapshot, Measure, Meeting, Party, Position
from regledger.domain.events import DomainEvent
from tests.conftest import EXAMPLE, ROOT, listed, source


def _located(write_timeline, actions):
    return read_timeline(write_timeline(actions))


def test_a_refused_run_stores_nothing(db, write_timeline) -> None:
    actions = [listed("huawei", id="ok"), listed("zte", name=None)]
    with open_ledger(db) as ledger:
        with pytest.raises(InputError, match=r"action 2: party.name"):
            ledger.record(_located(write_timeline, actions))

        assert list(ledger.stored_events()) == []


def _event_classes() -> set[str]:
    """Every concrete event class of every aggregate, by qualified name."""
    names = set()
    for aggregate in (Listing, Measure, Meeting, Position, Party, ActionIndex, ListSnapshot):
        for name in dir(aggregate):
            value = getattr(aggregate, name)
            if isinstance(value, type) and issubclass(value, DomainEvent) and name not in {"Event", "Recorded"}:
                names.add(f"{aggregate.__name__}.{name}")
    return names


def _corrected_and_retracted() -> list[dict]:
    """A measure, a meeting and a position, each corrected and retracted."""
    dates = {"effective_on": "2021-01-01", "published_on": "2021-01-02", "sources": [source()]}
    subjects = [
        {"kind": "measure_adopted", "id": "m", "measure": {"key": "m", "title": "M"}, **dates},
        {"kind": "meeting_scheduled", "id": "g", "meeting": {"key": "g", "title": "G"}, "date": "2021-02-01", **dates},
        {"kind": "position_stated", "id": "p", "actor": "a", "topic": "t", "stance": "supports", **dates},
    ]
    fixes = [{"kind": "correction", "id": f"c-{a['id']}", "corrects": a["id"], "fields": {"note": "fixed"}, **dates}
             for a in subjects]
    retractions = [{"kind": "retraction", "retracts": f"c-{a['id']}", "reason": "wrong", **dates} for a in subjects]
    return subjects + fixes + retractions


def test_every_event_class_is_written_and_read_back_equal(db, write_timeline) -> None:
    docs = ROOT / "docs" / "timeline-format.md"
    examples = write_timeline(None, text="".join(re.findall(r"```yaml\n(.*?)```", docs.read_text(), flags=re.DOTALL)))
    amendments = write_timeline(_corrected_and_retracted())
    with open_ledger(db) as ledger:
        ledger.record(read_timeline(examples))
        ledger.record(read_timeline(EXAMPLE))
        ledger.record(read_timeline(amendments))
        import_snapshot(ledger, ROOT / "tests/fixtures/screening-list/csl-2019-06-03.json", date(2019, 6, 3))
        events = [event for _, event in ledger.stored_events()]

    with open_ledger(db) as reopened:
        again = [event for _, event in reopened.stored_events()]

    assert again == events
    assert {type(e).__qualname__ for e in events} == _event_classes()


def test_the_bundled_case_is_stored_once_when_recorded_twice(db) -> None:
    with open_ledger(db) as ledger:
        first = ledger.record(read_timeline(EXAMPLE))
        second = ledger.record(read_timeline(EXAMPLE))
        stored = list(ledger.stored_actions())

    assert first.recorded == len(read_timeline(EXAMPLE))
    assert (second.recorded, second.skipped) == (0, first.recorded)
    assert len(stored) == first.recorded
    assert len({s.recorded_at for s in stored}) == 1


def test_a_writer_that_loses_a_race_reloads_and_skips_what_the_winner_stored(db, write_timeline) -> None:
    shared = [listed("huawei", id="shared")]
    mine = _located(write_timeline, [*shared, listed("zte", name="ZTE", id="mine")])
    theirs = _located(write_timeline, shared)
    with open_ledger(db) as ledger, open_ledger(db) as other:
        validate = Ledger._validated_run
        calls = []

        def interleaved(self, located):
            run = validate(self, located)
            if not calls:  # after our first validation, the other writer commits the shared action
                calls.append(other.record(theirs))
            return run

        ledger._validated_run = interleaved.__get__(ledger)  # type: ignore[method-assign]
        result = ledger.record(mine)

        assert result.attempts == 2
        assert (result.recorded, result.skipped) == (1, 1)
        assert sorted(s.action.id for s in ledger.stored_actions()) == ["mine", "shared"]


def test_the_default_store_is_regledger_db_in_the_working_folder(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("REGLEDGER_DB", raising=False)

    with open_ledger(None) as ledger:
        assert list(ledger.stored_events()) == []

    assert (tmp_path / "regledger.db").exists()
