"""Rows regledger did not write, inserted with a plain INSERT (which the append-only guards allow), on each store: at
notification id 0, or appended after the chain's head as a forged, back-dated delisting. `verify` names them for
what they are, `record` refuses to store anything while they are there (and so never chains them), and every read
leaves them out: the loading of streams, the fold and the read models, whose answers say so in their notes."""

from __future__ import annotations

import json
import uuid
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from regledger.adapters.errors import StoreError
from regledger.adapters.importers.timeline import read_timeline
from regledger.adapters.integrity.chain import StoredRow
from regledger.adapters.integrity.verify import Divergence, chain_store, verify_chain
from regledger.adapters.readmodels.source import FoldSource, open_source, stored_entries
from regledger.adapters.services import queries
from regledger.adapters.services.inputs import Axes
from regledger.adapters.store.ledger import Ledger
from regledger.adapters.store.settings import parse_store
from regledger.adapters.wiring import open_ledger, open_stores
from regledger.domain.index import index_id
from regledger.projections import State
from tests.conftest import EXAMPLE, listed
from tests.integration.integrity_kit import Attacker, events

HUAWEI = listed("huawei-technologies", id="el-2019-05-16-huawei", effective="2019-05-16", published="2019-05-21")
NEW = listed("zte", name="ZTE Corporation", id="zte-listed", effective="2019-06-01", published="2019-06-02")
DELISTING = {"kind": "entity_delisted", "list": "us-bis-entity-list", "party": {"key": "huawei-technologies"},
             "effective_on": "2019-05-17", "published_on": "2019-05-18",
             "sources": [{"citation": "84 FR 99999", "reliability": "official"}]}


@pytest.fixture
def victim(db: str) -> str:
    """The bundled case recorded."""
    with open_ledger(db) as ledger:
        ledger.record(read_timeline(EXAMPLE))
    return db


def _row_of(tmp_path: Path, write_timeline, actions: list[dict], topic: str) -> StoredRow:
    """The last row with `topic` that recording `actions` stores (in a scratch ledger): what an attacker who knows
    the format would forge."""
    scratch = str(tmp_path / "scratch.db")
    with open_ledger(scratch) as ledger:
        ledger.record(read_timeline(write_timeline(actions)))
    return [event for event in events(scratch) if event.topic.endswith(topic)][-1]


def _forged_delisting(victim: str, tmp_path: Path, write_timeline) -> StoredRow:
    """A delisting of Huawei effective 2019-05-17 (back-dated: the ledger has it listed throughout), as the next
    version of its listing's stream in `victim`: what regledger itself would refuse to record."""
    row = _row_of(tmp_path, write_timeline, [HUAWEI, DELISTING], "Listing.Delisted")
    last = max(event.version for event in events(victim) if event.originator_id == row.originator_id)
    return replace(row, version=last + 1)


def _plant(db: str, nid: int | None, row: StoredRow) -> None:
    attacker = Attacker(db)
    try:
        attacker.plant(nid, row)
    finally:
        attacker.close()


def _divergence(db: str) -> Divergence:
    with open_ledger(db, write=False) as ledger:
        found = verify_chain(chain_store(ledger)).divergence
    assert found is not None, "the row went unnoticed"
    return found


def _stored(db: str) -> int:
    return len(events(db))


def _state(db: str, *, fold: bool = False) -> State:
    """The state on 2019-06-01, from the read models (or from the fold)."""
    with open_stores(db, write=False) as stores:
        if fold:
            return open_source(stores.ledger, None).state(Axes().on(date(2019, 6, 1)), (None, None))
        return queries.as_of(stores, Axes().on(date(2019, 6, 1))).answer


def _state_read_blindly(db: str) -> State:
    """The state on 2019-06-01 folded from every row, as a ledger without its chain's keeper reads them."""
    bare = Ledger(env=parse_store(db).env)
    try:
        return FoldSource(stored_entries(bare)).state(Axes().on(date(2019, 6, 1)), (None, None))
    finally:
        bare.close()


def test_a_row_inserted_at_notification_id_0_fails_verify(victim: str) -> None:
    first = events(victim)[0]

    _plant(victim, 0, replace(first, originator_id=uuid.uuid4()))

    found = _divergence(victim)
    assert (found.kind, found.position) == ("foreign", 1)
    assert "notification id 0" in found.lines[0]
    assert "a row the ledger did not write" in found.lines[0]


def test_an_index_row_planted_at_id_0_makes_record_refuse_rather_than_skip(victim: str, tmp_path: Path,
                                                                          write_timeline) -> None:
    index = _row_of(tmp_path, write_timeline, [NEW], "ActionIndex.Registered")
    _plant(victim, 0, index)
    before = _stored(victim)

    with open_ledger(victim) as ledger:
        assert ledger.find_action("zte-listed") is None  # the planted index row is not read
        assert not ledger.knows(index_id("zte-listed"))
        with pytest.raises(StoreError) as refused:
            ledger.record(read_timeline(write_timeline([NEW])))

    message = str(refused.value)
    assert "1 row(s) regledger did not write (notification id 0: ActionIndex.Registered zte-listed" in message
    assert "nothing of this run was stored: run `regledger verify`" in message
    assert "\n" not in message
    assert _stored(victim) == before


def test_a_dry_run_refuses_too(victim: str, tmp_path: Path, write_timeline) -> None:
    _plant(victim, 0, _row_of(tmp_path, write_timeline, [NEW], "ActionIndex.Registered"))

    with open_ledger(victim) as ledger, pytest.raises(StoreError, match="did not write"):
        ledger.record(read_timeline(write_timeline([NEW])), dry_run=True)


def test_a_forged_delisting_appended_by_insert_is_named_and_left_out_of_every_answer(
        victim: str, tmp_path: Path, write_timeline) -> None:
    honest, honest_folded = _state(victim), _state(victim, fold=True)
    forged = _forged_delisting(victim, tmp_path, write_timeline)

    _plant(victim, None, forged)

    assert replace(_state_read_blindly(victim), notes=()) != replace(honest_folded, notes=())  # the row would count
    found = _divergence(victim)
    assert found.kind == "unchained"
    assert "rows the ledger did not write" in found.lines[0]
    assert "84 FR 99999" in found.lines[0]
    for answer, before in ((_state(victim), honest), (_state(victim, fold=True), honest_folded)):
        assert replace(answer, notes=()) == replace(before, notes=())
        assert any("1 row(s) regledger did not write" in note and "84 FR 99999" in note and "left out" in note
                   for note in answer.notes)


def test_the_next_record_refuses_a_forged_row_rather_than_chaining_it(victim: str, tmp_path: Path,
                                                                      write_timeline) -> None:
    _plant(victim, None, _forged_delisting(victim, tmp_path, write_timeline))
    before = _stored(victim)

    with open_ledger(victim) as ledger, pytest.raises(StoreError, match="did not write"):
        ledger.record(read_timeline(write_timeline([NEW])))

    assert _stored(victim) == before
    assert _divergence(victim).kind == "unchained"


def test_the_read_models_pass_over_a_forged_row_and_stay_current(victim: str, tmp_path: Path,
                                                                 write_timeline) -> None:
    _plant(victim, None, _forged_delisting(victim, tmp_path, write_timeline))

    with open_stores(victim) as stores:
        assert stores.views is not None
        source = open_source(stores.ledger, stores.views)
        assert type(source).__name__ == "ModelSource"  # not "behind": the forged row is nothing to apply
        stores.ledger.on_recorded()  # a catch-up, as after a record run: it passes over the row
        assert stores.views.position() == events(victim)[-1].notification_id
        state = open_source(stores.ledger, stores.views).state(Axes().on(date(2019, 6, 1)), (None, None))

    assert "huawei-technologies" in {entry.party for entries in state.lists.values() for entry in entries}


def test_log_and_reports_leave_a_forged_row_out_and_warn_of_it(victim: str, tmp_path: Path, write_timeline,
                                                               run_cli) -> None:
    honest_log = run_cli("log", "--format", "json", "--db", victim).out
    _plant(victim, None, _forged_delisting(victim, tmp_path, write_timeline))

    log = run_cli("log", "--format", "json", "--db", victim)
    report = run_cli("report", "party", "huawei-technologies", "--as-of", "2019-06-01", "--format", "markdown",
                     "--db", victim)
    data = run_cli("report", "party", "huawei-technologies", "--as-of", "2019-06-01", "--format", "json",
                   "--db", victim)

    assert log.code == 0
    assert report.code == 0, report
    assert data.code == 0, data
    assert log.out == honest_log
    assert "1 row(s) regledger did not write" in log.err
    assert "**Warning:**" in report.out
    assert "1 row(s) regledger did not write" in report.out
    assert report.out.count("84 FR 99999") == 1  # named in the warning, and nowhere in the dossier
    assert any("did not write" in note for note in json.loads(data.out)["ledger_notes"])
