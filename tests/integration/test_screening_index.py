"""The screening index in the read models, on both stores: `screen` takes its candidates from it when the read models
are current, and finds exactly what the exhaustive path (every row against every name, the same scorer) scores at
or above the review threshold, on the bundled case's names and on the labelled evaluation set; it honours known-at
(a name recorded later is not a candidate before it), falls back to the in-memory path when the read models are
behind, and a rebuild leaves the index as the catch-up left it."""

from __future__ import annotations

import csv
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from regledger.adapters.importers.timeline import read_timeline
from regledger.adapters.readmodels import check_views, rebuild, stored_entries, views_of
from regledger.adapters.services import screening as screening_service
from regledger.adapters.services.screening import Indexed, InMemory, names_to_screen, screen
from regledger.adapters.store.ledger import Located
from regledger.adapters.wiring import SET_UP_LOCK, open_stores
from regledger.domain import action_adapter
from regledger.projections.matching import DEFAULT_REVIEW, Counterparty, Matcher, query_keys
from regledger.projections.screening import CounterpartyRow, ScreenOptions, screening_directory
from tests.conftest import EXAMPLE, POSTGRES_URL, drop_schema, require_postgres, source

EVALUATION = Path(__file__).resolve().parents[1] / "fixtures" / "screening" / "evaluation.csv"
LATER = {"kind": "entry_amended", "id": "test-later-alias", "list": "us-bis-entity-list",
         "party": {"key": "huawei-technologies", "aliases": ["Zyxwvut Qorbanix Trading"]},
         "effective_on": "2021-01-04", "published_on": "2021-01-04", "sources": [source("86 FR 1")]}


@dataclass(frozen=True)
class Recorded:
    db: str
    before_later: datetime  # a moment after the bundled case was recorded, before the later alias


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def recorded(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Recorded]:
    schema = None
    if request.param == "postgres":
        require_postgres()
        schema = f"t_{uuid.uuid4().hex[:12]}"
    db = f"{POSTGRES_URL}?schema={schema}" if schema else str(tmp_path_factory.mktemp("index") / "ledger.db")
    with open_stores(db) as stores:
        stores.ledger.record(read_timeline(EXAMPLE))
        between = datetime.now(UTC)
        stores.ledger.record([Located("later alias", action_adapter.validate_python(LATER))])
    yield Recorded(db, between)
    if schema:
        drop_schema(schema)


def _evaluation_rows() -> list[tuple[str, str | None]]:
    with EVALUATION.open(encoding="utf-8", newline="") as handle:
        return [(r["name"], r["country"] or None) for r in csv.DictReader(handle)]


def _bundled_rows(names: Matcher) -> list[tuple[str, str | None]]:
    """Every name and alias of the bundled case as a row, and each with its words reversed."""
    rows = [(n.text, n.country) for n in names.names]
    return rows + [(" ".join(reversed(n.text.split())), None) for n in names.names]


@pytest.mark.parametrize("which", ["bundled", "evaluation"])
def test_the_indexed_path_finds_what_the_exhaustive_path_scores_above_review(recorded: Recorded, which: str) -> None:
    with open_stores(recorded.db, write=False) as stores:
        indexed = names_to_screen(stores, None, None)
        every = Matcher(screening_directory(stored_entries(stores.ledger)).names)
        rows = _bundled_rows(every) if which == "bundled" else _evaluation_rows()
        assert isinstance(indexed, Indexed)
        differences = []
        for name, country in rows:
            row = Counterparty(name, country)
            want = [(m.name.party, m.name.text, m.score) for m in every.match_exhaustive(row, DEFAULT_REVIEW)]
            got = [(m.name.party, m.name.text, m.score) for m in indexed.match(row, DEFAULT_REVIEW)]
            if got != want:
                differences.append((name, want, got))
    assert len(rows) > 100
    assert differences == []


def test_a_screening_through_the_index_equals_one_in_memory(recorded: Recorded) -> None:
    rows = [CounterpartyRow(n, name) for n, name in enumerate(
        ["Huawei Technologies Co. Ltd", "華為技術", "HUAWEI TECHS CO", "Technologies Huawei", "Hisilicon Shanghai",
         "华为云计算技术有限公司", "Huawei Marine", "Hawaii Technologies", "Golden Trading Co Ltd"], start=1)]
    options = ScreenOptions(on=date(2019, 5, 17))
    with open_stores(recorded.db, write=False) as stores:
        through_index = screen(stores, rows, options)
        without = replace(stores, views=None)  # as a store without read models: every name, in memory
        assert isinstance(names_to_screen(without, None, None), InMemory)
        in_memory = screen(without, rows, options)
    assert through_index.rows == in_memory.rows
    assert through_index.notes == in_memory.notes
    assert [r.decision for r in through_index.rows][:2] == ["match", "match"]


@pytest.mark.parametrize("published_by", [None, date(2019, 5, 16)])
def test_statuses_read_party_by_party_equal_the_whole_answers(recorded: Recorded, published_by: date | None) -> None:
    # through the index each matched party's as-of answer is read alone; in memory, the day's whole answer
    days = [date(2019, 5, 10), date(2019, 5, 17), date(2019, 8, 20), date(2020, 9, 1), None]
    names = ["Huawei Technologies Co. Ltd", "Hisilicon Shanghai", "Huawei Marine", "華為技術", "Huawei Cloud"]
    rows = [CounterpartyRow(n, name, date=day) for n, (name, day) in
            enumerate(((name, day) for day in days for name in names), start=1)]
    options = ScreenOptions(on=date(2019, 6, 1), published_by=published_by)
    with open_stores(recorded.db, write=False) as stores:
        through_index = screen(stores, rows, options)
        in_memory = screen(replace(stores, views=None), rows, options)
    statuses = {s.status for r in through_index.rows for m in r.matches for s in m.lists}
    assert through_index.rows == in_memory.rows
    assert through_index.notes == in_memory.notes
    public = {s.public_by_date for r in through_index.rows for m in r.matches for s in m.lists}
    assert {"in_force", "not_listed"} <= statuses
    assert public == {True, False}


def test_a_screening_holding_few_parties_answers_as_one_holding_all(recorded: Recorded,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    rows = [CounterpartyRow(n, name) for n, name in enumerate(
        ["Huawei Technologies Co. Ltd", "Hisilicon Shanghai", "华为云计算技术有限公司", "Huawei Marine",
         "Huawei Technologies Co. Ltd", "Toga Networks"], start=1)]
    options = ScreenOptions(on=date(2019, 5, 17))
    with open_stores(recorded.db, write=False) as stores:
        holding_all = screen(stores, rows, options)
        monkeypatch.setattr(screening_service, "HELD", 1)  # every row's parties evicted by the next row's
        names = names_to_screen(stores, None, None)
        assert isinstance(names, Indexed)
        holding_few = screen(stores, rows, options)
        names.match(Counterparty("Huawei Technologies"), DEFAULT_REVIEW)
        names.match(Counterparty("Toga Networks"), DEFAULT_REVIEW)
        held = set(names._held)  # what the screening keeps between rows
        assert held == names.view.screening_candidates(query_keys("Toga Networks"), None)
    assert holding_few.rows == holding_all.rows


def test_a_name_recorded_later_is_no_candidate_as_known_before_it(recorded: Recorded) -> None:
    row = Counterparty("Zyxwvut Qorbanix Trading")
    with open_stores(recorded.db, write=False) as stores:
        now = names_to_screen(stores, None, None).match(row, DEFAULT_REVIEW)
        before = names_to_screen(stores, recorded.before_later, None)
        assert isinstance(before, Indexed)
        assert stores.views is not None
        known_before = stores.views.screening_candidates(query_keys(row.name), recorded.before_later)
        then = before.match(row, DEFAULT_REVIEW)
    assert [(m.name.party, m.score) for m in now] == [("huawei-technologies", 1.0)]
    assert "huawei-technologies" not in known_before
    assert then == []


def test_behind_read_models_fall_back_to_memory_and_a_rebuild_keeps_the_index(recorded: Recorded) -> None:
    peek = "SELECT token, party, nix, t_from FROM {table} ORDER BY token, party, nix, t_from"
    with open_stores(recorded.db) as stores:
        view = stores.views
        assert view is not None
        before = view.rows(peek, table="screen_keys")
        view.drop()
        assert isinstance(names_to_screen(stores, None, None), InMemory)  # absent: every name, in memory
        rebuild(stores.ledger, views_of(stores.ledger, SET_UP_LOCK))
        assert isinstance(names_to_screen(stores, None, None), Indexed)
        after = view.rows(peek, table="screen_keys")
    assert len(before) > 1000
    assert after == before


def test_the_read_model_check_compares_the_index_with_the_fold(recorded: Recorded) -> None:
    with open_stores(recorded.db) as stores:
        view = stores.views
        assert view is not None
        entries = stored_entries(stores.ledger)
        clean = check_views(entries, view, samples=6, seed=3)
        with view._write() as cursor:  # one key lost from every party (most of the bundled case's parties hold it)
            cursor.execute(view.dialect.sql("DELETE FROM {screen_keys} WHERE token = ?"), ("huawei",))
        broken = check_views(entries, view, samples=40, seed=3)
        rebuild(stores.ledger, view)
    assert clean.differences == ()
    assert any(d.startswith("screening index of ") for d in broken.differences)
