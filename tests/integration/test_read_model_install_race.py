"""Two processes installing the read models of one SQLite file at the same moment: both find them missing, both
create them one after the other, and the second's collision on the tables' creation record is not an error."""

from __future__ import annotations

import pytest
from eventsourcing.persistence import OperationalError

from regledger.adapters.readmodels.lifecycle import READ_MODEL_VERSION, views_of
from regledger.adapters.readmodels.sqlite import SQLiteModelStore
from regledger.adapters.wiring import SET_UP_LOCK, open_ledger


def test_a_second_install_that_found_the_tables_missing_succeeds(sqlite_db: str,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    with open_ledger(sqlite_db) as first, open_ledger(sqlite_db) as second:
        winner, loser = views_of(first, SET_UP_LOCK), views_of(second, SET_UP_LOCK)
        assert isinstance(winner, SQLiteModelStore)
        assert isinstance(loser, SQLiteModelStore)
        assert not loser.installed()

        winner.install()

        def missing(_name: str) -> int | None:  # what the loser read before the winner created the tables
            raise OperationalError("no such table: regledger_view_tracking")

        monkeypatch.setattr(loser, "max_tracking_id", missing)
        loser.install()

        assert loser.installed()
        assert loser.built_by() == str(READ_MODEL_VERSION)
