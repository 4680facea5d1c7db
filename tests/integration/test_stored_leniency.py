"""Events already stored are read back as they were stored: a ledger that holds what input now refuses (written by
an earlier release: a NaN parameter stored as null, a whole number beyond 2**53, control characters in a name) still
opens, logs, verifies and answers from the reference fold, on either store."""

from __future__ import annotations

import json
from typing import Any

from regledger.adapters.store.ledger import Located
from regledger.adapters.wiring import open_stores
from regledger.domain import action_adapter
from regledger.domain.values import STORED
from tests.conftest import listed, source

NAME = "Evil \x00 \x1b]0;pwned\x07 Co"
PARAMETERS: dict[str, Any] = {"weird": None, "big": 2**60}  # release 0.1.0 stored NaN as null, and any integer
ADOPTED = {"kind": "measure_adopted", "id": "ma-1", "measure": {"key": "tgl", "title": "A licence"},
           "effective_on": "2019-05-20", "published_on": "2019-05-22", "sources": [source()],
           "parameters": PARAMETERS}


def _record_as_an_earlier_release_did(db: str) -> None:
    """Store actions the way an earlier release would have: validated without today's input checks, and with the
    read models left as they were (they are another store's concern)."""
    actions = [listed("evil", name=NAME, id="el-1"), ADOPTED]
    located = [Located(f"action {n}", action_adapter.validate_python(a, context=STORED))
               for n, a in enumerate(actions, start=1)]
    with open_stores(db, write=True) as stores:
        stores.ledger.on_recorded = None
        stores.ledger.record(located)


def test_a_ledger_holding_what_input_now_refuses_still_opens(run_cli, db: str) -> None:
    _record_as_an_earlier_release_did(db)

    log = run_cli("log", "--format", "json", "--db", db)
    verify = run_cli("verify", "--db", db)
    state = run_cli("as-of", "2020-01-01", "--format", "json", "--db", db)

    assert log.code == 0, log
    stored = {item["id"]: item for item in json.loads(log.out)}
    assert stored["el-1"]["party"]["name"] == NAME
    assert stored["ma-1"]["parameters"] == PARAMETERS
    assert verify.code == 0, verify
    assert state.code == 0, state
    answer = json.loads(state.out)
    assert [entry["name"] for entry in answer["lists"]["us-bis-entity-list"]] == [NAME]
    assert "Traceback" not in log.err + verify.err + state.err
