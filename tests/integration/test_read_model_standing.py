"""A query's freshness check in one statement (`lifecycle.standing`): on each store it decides exactly as the reads one
by one (`foreign_rows`, `installed`, `behind`) do, in every state the read models can be in, and `open_source` reads
it in one statement and no transaction once the read models have been seen installed."""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from regledger.adapters.integrity.chain import catch_up
from regledger.adapters.readmodels import lifecycle
from regledger.adapters.readmodels.lifecycle import READ_MODEL_VERSION, Standing, behind, bring_up_to_date, standing
from regledger.adapters.readmodels.source import FoldSource, ModelSource, open_source
from regledger.adapters.services.stores import Stores
from regledger.adapters.store.ledger import Located
from regledger.adapters.wiring import open_stores
from regledger.domain import action_adapter
from tests.conftest import POSTGRES_URL, listed
from tests.integration.integrity_kit import Attacker, events, schema_of

HUAWEI = listed("huawei-technologies", id="huawei-listed", effective="2019-05-16", published="2019-05-21")
ZTE = listed("zte", name="ZTE Corporation", id="zte-listed", effective="2018-04-15", published="2018-04-16")


def _located(*actions: dict[str, Any]) -> list[Located]:
    return [Located("test", action_adapter.validate_python(action)) for action in actions]


@pytest.fixture
def recorded(db: str) -> str:
    """A ledger with one action recorded, its read models current."""
    with open_stores(db) as stores:
        stores.ledger.record(_located(HUAWEI))
    return db


@pytest.fixture
def reading(recorded: str) -> Iterator[Stores]:
    """The stores of `recorded`, opened to read, their read models seen installed (as after a server's first
    query)."""
    with open_stores(recorded, write=False) as stores:
        assert stores.views is not None
        assert stores.views.installed()
        yield stores


def _one_by_one(stores: Stores) -> Standing:
    """The decision as the reads one by one make it."""
    foreign, view = stores.ledger.foreign_rows(), stores.views
    if view is None or not view.installed():
        return Standing(foreign)
    return Standing(foreign, installed=True, behind=behind(stores.ledger, view, foreign))


def _glanced(stores: Stores) -> Standing | None:
    """The decision from the one statement alone (None: it leaves it to the reads one by one)."""
    return lifecycle._glanced(stores.ledger, stores.views)  # the fast path itself, not its fallback


def _record_behind(db: str, *actions: dict[str, Any]) -> None:
    """Record as a writer that chains the run but leaves the read models where they were."""
    with open_stores(db) as stores:
        chain = stores.chain
        assert chain is not None
        stores.ledger.on_recorded = lambda: catch_up(chain)
        stores.ledger.record(_located(*actions))


def test_current_read_models_are_current_in_one_statement(reading: Stores) -> None:
    expected = _one_by_one(reading)

    glanced = _glanced(reading)

    assert glanced == expected == Standing(reading.ledger.foreign_rows(), installed=True, behind=None)
    assert not expected.foreign
    assert standing(reading.ledger, reading.views) == expected


def test_read_models_behind_the_ledger_are_behind_in_one_statement(reading: Stores, recorded: str) -> None:
    _record_behind(recorded, ZTE)

    expected = _one_by_one(reading)

    assert "the read models are behind the ledger" in str(expected.behind)
    assert _glanced(reading) == expected
    assert isinstance(open_source(reading.ledger, reading.views), FoldSource)


def test_units_waiting_to_be_recomputed_are_behind_in_one_statement(recorded: str,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    with open_stores(recorded) as stores:
        view = stores.views
        assert view is not None
        monkeypatch.setattr(view, "settle", lambda limit: 0)  # a catch-up stopped before settling its units
        stores.ledger.record(_located(ZTE))

        expected = _one_by_one(stores)

        assert "subject(s) wait to be recomputed" in str(expected.behind)
        assert _glanced(stores) == expected


def test_read_models_of_another_version_are_rebuilt_not_read(reading: Stores,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lifecycle, "READ_MODEL_VERSION", READ_MODEL_VERSION + 1)

    expected = _one_by_one(reading)

    assert "built by another version" in str(expected.behind)
    assert _glanced(reading) == expected


def test_read_models_without_a_stamp_are_of_another_version(reading: Stores) -> None:
    assert reading.ledger.sql is not None
    assert reading.views is not None
    with reading.ledger.sql.transaction(commit=True) as cursor:
        cursor.execute(reading.views.dialect.sql("DELETE FROM {meta}"))

    expected = _one_by_one(reading)

    assert "built by another version" in str(expected.behind)
    assert _glanced(reading) == expected


def test_a_rebuild_in_another_process_is_seen_as_it_goes(reading: Stores, recorded: str) -> None:
    assert _glanced(reading) is not None  # its statement prepared (PostgreSQL) on the reader's connections
    with open_stores(recorded) as writer:
        assert writer.views is not None
        writer.views.drop()

        assert _glanced(reading) is None  # the tables are gone: left to the reads one by one
        assert standing(reading.ledger, reading.views) == _one_by_one(reading) == Standing(
            reading.ledger.foreign_rows())

        writer.views.install()
        assert _glanced(reading) == _one_by_one(reading)
        assert "behind the ledger" in str(_one_by_one(reading).behind)

        bring_up_to_date(writer.ledger, writer.views)

    assert _glanced(reading) == _one_by_one(reading) == Standing(reading.ledger.foreign_rows(), installed=True)
    assert isinstance(open_source(reading.ledger, reading.views), ModelSource)


def test_a_store_whose_read_models_are_not_installed_is_folded(db: str) -> None:
    _record_behind(db, HUAWEI)  # the ledger, without read models

    with open_stores(db, write=False) as stores:
        assert stores.views is not None

        assert _glanced(stores) is None  # never seen installed: no statement that would fail
        assert standing(stores.ledger, stores.views) == _one_by_one(stores) == Standing(stores.ledger.foreign_rows())
        assert isinstance(open_source(stores.ledger, stores.views), FoldSource)


def test_an_in_memory_ledger_has_no_read_models() -> None:
    with open_stores("memory:") as stores:
        stores.ledger.record(_located(HUAWEI))

        assert stores.views is None
        assert standing(stores.ledger, stores.views) == Standing(stores.ledger.foreign_rows())
        assert isinstance(open_source(stores.ledger, stores.views), FoldSource)


@pytest.mark.parametrize("nid", [0, None], ids=["at-id-0", "after-the-head"])
def test_foreign_rows_decide_as_the_reads_one_by_one_do(reading: Stores, recorded: str, nid: int | None) -> None:
    first = events(recorded)[0]
    attacker = Attacker(recorded)
    try:
        attacker.plant(nid, replace(first, originator_id=uuid.uuid4()))
    finally:
        attacker.close()

    found = standing(reading.ledger, reading.views)

    assert _glanced(reading) is None  # the one statement cannot name them: `foreign_rows` does
    assert found == _one_by_one(reading)
    assert found.foreign
    assert (found.installed, found.behind) == (True, None)
    source = open_source(reading.ledger, reading.views)
    assert isinstance(source, ModelSource)
    assert source.notes == (found.foreign.note(),)


@pytest.mark.postgres
def test_gaps_in_the_notification_ids_are_counted_in_the_same_statement(postgres_db: str) -> None:
    with open_stores(postgres_db) as stores:
        stores.ledger.record(_located(HUAWEI))
    _burn_notification_ids(postgres_db, 5)  # as rolled-back runs leave them
    with open_stores(postgres_db) as stores:
        stores.ledger.record(_located(ZTE))

        glanced = _glanced(stores)

        assert events(postgres_db)[-1].notification_id > len(events(postgres_db))
        assert glanced is not None
        assert glanced == _one_by_one(stores) == Standing(glanced.foreign, installed=True)


def _burn_notification_ids(db: str, count: int) -> None:
    import psycopg  # noqa: PLC0415

    table = f'"{schema_of(db)}".regledger_events'
    with psycopg.connect(POSTGRES_URL, autocommit=True) as connection:
        connection.execute(f"SELECT nextval(pg_get_serial_sequence('{table}', 'notification_id')) "
                           f"FROM generate_series(1, {count})")


@pytest.mark.postgres
def test_failing_statements_leave_the_pooled_connections_usable(postgres_db: str) -> None:
    with open_stores(postgres_db) as stores:
        stores.ledger.record(_located(HUAWEI))
        assert stores.views is not None
        assert stores.views.seen_installed  # so the one statement is tried, and fails
        stores.views.drop()

        for _ in range(3 * stores.ledger.sql.datastore.pool.max_size):  # type: ignore[union-attr]
            assert _glanced(stores) is None

        bring_up_to_date(stores.ledger, stores.views)
        assert _glanced(stores) == Standing(stores.ledger.foreign_rows(), installed=True)
        assert stores.views.position() == events(postgres_db)[-1].notification_id


# -- how many statements ------------------------------------------------------------------------------------------


def test_open_source_reads_one_statement_in_no_transaction(recorded: str, monkeypatch: pytest.MonkeyPatch) -> None:
    statements: list[str] = []
    _listen(recorded, monkeypatch, statements)
    with open_stores(recorded, write=False) as stores:
        open_source(stores.ledger, stores.views)  # the first query sees the read models installed
        statements.clear()

        source = open_source(stores.ledger, stores.views)

    assert isinstance(source, ModelSource)
    assert len(statements) == 1, statements
    assert statements[0].lstrip().upper().startswith("SELECT")


def _listen(db: str, monkeypatch: pytest.MonkeyPatch, statements: list[str]) -> None:
    """Have every statement the stores opened from here on send to the database appended to `statements`
    (transactions' BEGIN, COMMIT and ROLLBACK included)."""
    if schema_of(db) is None:
        connect = sqlite3.connect

        def traced(*args: Any, **kwargs: Any) -> sqlite3.Connection:
            connection = connect(*args, **kwargs)
            connection.set_trace_callback(statements.append)
            return connection

        monkeypatch.setattr(sqlite3, "connect", traced)
        return
    import psycopg  # noqa: PLC0415

    execute, transaction = psycopg.Cursor.execute, psycopg.Connection.transaction

    def counted(self: psycopg.Cursor[Any], query: Any, *args: Any, **kwargs: Any) -> Any:
        statements.append(str(query))
        return execute(self, query, *args, **kwargs)

    def begun(self: psycopg.Connection[Any], *args: Any, **kwargs: Any) -> Any:
        statements.append("BEGIN")
        return transaction(self, *args, **kwargs)

    monkeypatch.setattr(psycopg.Cursor, "execute", counted)
    monkeypatch.setattr(psycopg.Connection, "transaction", begun)


def test_a_view_of_another_database_is_asked_one_by_one(recorded: str, tmp_path: Path) -> None:
    other = str(tmp_path / "other.db")
    with open_stores(other) as elsewhere:
        elsewhere.ledger.record(_located(ZTE))
    with open_stores(recorded, write=False) as stores, open_stores(other, write=False) as elsewhere:
        assert elsewhere.views is not None
        assert elsewhere.views.installed()

        assert lifecycle._glanced(stores.ledger, elsewhere.views) is None
        assert standing(stores.ledger, elsewhere.views) == Standing(
            stores.ledger.foreign_rows(), installed=True, behind=behind(stores.ledger, elsewhere.views))


def test_an_index_added_since_the_read_models_were_built_is_created_by_the_next_catch_up(recorded: str) -> None:
    """Read models of this version built before an index was added (here: one dropped) get it from the next
    catch-up, which applies the new events to the rows it has instead of rebuilding them (a rebuild would apply
    both actions in one batch)."""
    with open_stores(recorded) as stores:
        view = stores.views
        assert view is not None
        with view._write() as cursor:
            cursor.execute(f"DROP INDEX {view.dialect.prefix}items_known")
        assert view.dialect.index_names() - view.indexes_found() == {"regledger_view_items_known"}

        stores.ledger.record(_located(ZTE))

        assert view.dialect.index_names() <= view.indexes_found()
        assert [row["actions"] for row in view.rows("SELECT actions FROM {batches} ORDER BY first_nid")] == [1, 1]


def test_an_index_this_release_no_longer_reads_along_is_dropped_by_the_next_catch_up(recorded: str) -> None:
    """An index an earlier release made on rows of this version and this one replaced (`RETIRED_INDEXES`) is
    dropped by the next catch-up; the read models' other indexes (their primary keys among them) are kept."""
    with open_stores(recorded) as stores:
        view = stores.views
        assert view is not None
        with view._write() as cursor:
            cursor.execute(f"CREATE INDEX regledger_view_items_listing ON {view.dialect.table('items')} (list_key)")
        before = view.indexes_found()
        assert "regledger_view_items_listing" in before

        stores.ledger.record(_located(ZTE))

        assert view.indexes_found() == before - {"regledger_view_items_listing"}
