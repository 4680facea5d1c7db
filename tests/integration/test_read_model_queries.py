"""How the read models answer an as-of on each store: two statements for one party's state (its rows and whether
the whole state has any, read together; then the measures and positions its whole position takes in), and answers
that follow the ledger when it changes under an open source (the decoded items are keyed by their rows' text; what
one answer learns is forgotten when it is given).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from regledger.adapters import Located, open_ledger
from regledger.adapters.readmodels import reader
from regledger.adapters.readmodels.lifecycle import views_of
from regledger.adapters.readmodels.source import FoldSource, ModelSource, open_source, stored_entries
from regledger.adapters.readmodels.sql import OPEN_TIME
from regledger.adapters.wiring import SET_UP_LOCK
from regledger.domain import action_adapter
from regledger.projections import Query
from tests.unit.fold_kit import adopted, delisted, listed


def _record(ledger: Any, *actions: dict[str, Any]) -> None:
    ledger.record([Located(f"action {i}", action_adapter.validate_python(a)) for i, a in enumerate(actions)])


def _named(action: dict[str, Any], name: str) -> dict[str, Any]:
    return {**action, "party": {"key": action["party"]["key"], "name": name}}


@pytest.fixture
def ledger(db: str) -> Iterator[Any]:
    with open_ledger(db) as opened:
        yield opened


def _counted(model: ModelSource, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    statements: list[str] = []
    fetch = model.view._fetch

    def counting(statement: str, params: tuple[Any, ...], *, by_name: bool = False) -> list[Any]:
        statements.append(statement)
        return fetch(statement, params, by_name=by_name)

    monkeypatch.setattr(model.view, "_fetch", counting)
    return statements


def test_one_party_as_of_is_two_statements_listed_or_not(ledger: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """A party's as-of is its whole position (docs/query-output.md): its entries, and the measures that apply to it
    and the positions about it. The read models answer it in two statements, whether the party is listed or not:
    the party's rows together with whether the whole state has any (so that an empty answer can say why without a
    third), then the state's rows for D, of which the measures and positions are kept (no party column selects a
    measure: whom it applies to is in its item, `applies_to` and `include_affiliates`, read against the party's
    affiliation). Neither statement is repeated, and the first is the party's alone. (The second reads list entries
    and meetings too and drops them; a narrower read would not change the count.)"""
    _record(ledger, _named(listed("huawei", "2019-05-16"), "Huawei"), _named(listed("zte", "2020-01-10"), "ZTE"),
            adopted("tgl", "2019-05-20", applies_to=["huawei"]))
    model, fold = open_source(ledger, views_of(ledger, SET_UP_LOCK)), FoldSource(stored_entries(ledger))
    assert isinstance(model, ModelSource)
    statements = _counted(model, monkeypatch)

    for day, party, measures in [("2019-06-01", "huawei", ["tgl"]), ("2019-06-01", "zte", []),
                                 ("2021-01-01", "zte", [])]:
        statements.clear()
        query = Query(date.fromisoformat(day))
        answer = model.state(query, (None, {party}))
        assert answer == fold.state(query, (None, {party}))
        assert [m.key for m in answer.measures] == measures
        assert len(statements) == 2, statements
        assert "party IN" in statements[0]  # the party's own rows first, not the whole state's

    before_anything = Query(date(2019, 1, 1))  # the whole state is empty: the answer says why, as the fold's does
    assert model.state(before_anything, (None, {"zte"})) == fold.state(before_anything, (None, {"zte"}))


def test_what_an_answer_learns_is_forgotten_after_it(ledger: Any) -> None:
    _record(ledger, _named(listed("huawei", "2019-05-16"), "Huawei"))
    model = open_source(ledger, views_of(ledger, SET_UP_LOCK))
    assert isinstance(model, ModelSource)
    query = Query(date(2019, 6, 1))

    with model.view.answering():
        assert model.view.items(query, (None, {"zte"})) == []
        assert model.view.exists(query)
    assert model.view._learnt is None


def test_an_open_source_follows_the_ledger(ledger: Any) -> None:
    _record(ledger, _named(listed("huawei", "2019-05-16"), "Huawei"), _named(listed("zte", "2020-01-10"), "ZTE"))
    model = open_source(ledger, views_of(ledger, SET_UP_LOCK))
    assert isinstance(model, ModelSource)
    day = Query(date(2021, 1, 1))
    model.state(day, (None, None))
    model.state(day, (None, {"huawei"}))  # rows decoded, and the whole state known to hold some

    _record(ledger, delisted("huawei", "2020-06-01"), delisted("zte", "2020-06-02"))  # the read models catch up

    fold = FoldSource(stored_entries(ledger))
    for selection in ((None, None), (None, {"huawei"}), (None, {"zte"})):
        assert model.state(day, selection) == fold.state(day, selection), selection
    assert model.state(day, (None, {"huawei"})).notes == fold.state(day, (None, {"huawei"})).notes


def test_units_the_rows_do_not_answer_are_learnt_with_the_items(ledger: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    _record(ledger, _named(listed("huawei", "2019-05-16"), "Huawei"))
    model = open_source(ledger, views_of(ledger, SET_UP_LOCK))
    assert isinstance(model, ModelSource)
    view = model.view
    with view._write() as cursor:  # a unit whose rows would start after 2019-06-01's publications (none here)
        cursor.execute(view.dialect.sql("INSERT INTO {floors} (unit, t_from, t_to, p_floor) VALUES (?, ?, ?, ?)"),
                       ("party:ghost", 0, OPEN_TIME, date(2019, 7, 1).toordinal()))
    query = Query(date(2019, 8, 1), published_by=date(2019, 6, 1))
    assert view.uncovered(query) == ["party:ghost"]
    assert view.uncovered(query, (None, {"ghost"})) == ["party:ghost"]
    assert view.uncovered(query, (None, {"huawei"})) == []
    assert view.uncovered(Query(date(2019, 8, 1), published_by=date(2019, 7, 1))) == []

    statements = _counted(model, monkeypatch)
    for selection in ((None, None), (None, {"ghost"}), (None, {"huawei", "ghost"})):
        statements.clear()
        with view.answering():
            items = view.items(query, selection)
            assert view.uncovered(query, selection) == ["party:ghost"]
        assert len(statements) == 1, statements
        assert [subject for subject, _ in items] == ([] if selection == (None, {"ghost"}) else
                                                     [("listing", "us-bis-entity-list", "huawei")])
    both = (None, {"huawei", "ghost"})
    answer = model.state(query, both)  # the ghost unit folded from its entries (none): the same lists, a remark
    assert answer.lists == FoldSource(stored_entries(ledger)).state(query, both).lists
    assert any("1 subject(s)" in note for note in answer.notes)


def test_an_answer_larger_than_the_decoded_items_kept_is_decoded_whole_past_them(
        ledger: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    parties = ["huawei", "zte", "hikvision", "dahua"]
    _record(ledger, *(_named(listed(p, "2019-05-16"), p.title()) for p in parties))
    model, fold = open_source(ledger, views_of(ledger, SET_UP_LOCK)), FoldSource(stored_entries(ledger))
    assert isinstance(model, ModelSource)
    monkeypatch.setattr(reader, "DECODED", 2)
    query = Query(date(2019, 6, 1))

    one = model.state(query, (None, {"zte"}))  # one item: kept
    kept = dict(model.view._decoded)
    whole = model.state(query, (None, None))  # four items: more than the reader keeps, decoded past it

    assert one == fold.state(query, (None, {"zte"}))
    assert whole == fold.state(query, (None, None))
    assert sum(map(len, whole.lists.values())) == len(parties)
    assert len(kept) == 1
    assert model.view._decoded == kept
