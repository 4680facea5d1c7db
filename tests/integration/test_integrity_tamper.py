"""Tampering found: someone with database access removes the guards, then changes, deletes, inserts or reorders
stored events (in a copy of a SQLite ledger; in the test's own PostgreSQL schema), and `verify_chain` names the
first divergence: its kind, position, action and citation. Deleting the newest events together with their chain
rows is the documented limit: only a checkpoint signed before shows it. (Rows added with a plain INSERT, which the
guards allow: test_integrity_foreign.)"""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from regledger.adapters.importers.timeline import read_timeline
from regledger.adapters.integrity.checkpoint import Checkpoint, sign_checkpoint
from regledger.adapters.integrity.verify import Divergence, chain_store, checkpoint_findings, verify_chain
from regledger.adapters.wiring import open_ledger
from tests.conftest import EXAMPLE
from tests.integration.integrity_kit import Attacker, copy_sqlite, events, find_event, schema_of

LISTING = "84 FR 22961"  # the Federal Register entry that put Huawei on the Entity List
LISTING_ID = "el-2019-05-16-huawei"


@pytest.fixture
def victim(db: str, tmp_path: Path) -> str:
    """The bundled case recorded, then the store to tamper with: a copy of a SQLite file, or the test's schema."""
    with open_ledger(db) as ledger:
        ledger.record(read_timeline(EXAMPLE))
    return db if schema_of(db) else copy_sqlite(db, tmp_path / "copy.db")


@pytest.fixture
def attacker(victim: str):
    intruder = Attacker(victim)
    yield intruder
    intruder.close()


def _divergence(db: str) -> Divergence:
    with open_ledger(db) as ledger:
        found = verify_chain(chain_store(ledger)).divergence
    assert found is not None, "the tampering went unnoticed"
    return found


def test_the_untouched_ledger_verifies(victim: str) -> None:
    with open_ledger(victim) as ledger:
        result = verify_chain(chain_store(ledger))

    assert result.divergence is None
    assert result.verified == len(events(victim))


def test_a_changed_event_is_found_with_its_action_and_citation(victim: str, attacker: Attacker) -> None:
    position, event = find_event(victim, LISTING)

    attacker.change(event.notification_id, LISTING.encode(), b"84 FR 99999")

    found = _divergence(victim)
    assert (found.kind, found.position) == ("changed", position)
    text = "\n".join(found.lines)
    assert LISTING_ID in text
    assert "84 FR 99999" in text  # what the store holds now
    assert LISTING in text  # what was chained
    assert f"position {position} " in text


def test_a_deleted_event_is_found_and_named_from_the_chain(victim: str, attacker: Attacker) -> None:
    position, event = find_event(victim, LISTING)

    attacker.delete(event.notification_id)

    found = _divergence(victim)
    assert (found.kind, found.position) == ("deleted", position)
    assert LISTING_ID in found.lines[0]
    assert LISTING in found.lines[0]


def test_an_inserted_event_is_found(victim: str, attacker: Attacker) -> None:
    position, event = find_event(victim, LISTING)

    attacker.insert_before(event.notification_id, like=event)

    found = _divergence(victim)
    assert (found.kind, found.position) == ("inserted", position)
    assert "was never chained" in found.lines[0]
    assert LISTING in found.lines[0]


def test_a_reordering_is_found(victim: str, attacker: Attacker) -> None:
    position, event = find_event(victim, LISTING)
    following = events(victim)[position]  # the next event in recording order

    attacker.swap(event.notification_id, following.notification_id)

    found = _divergence(victim)
    assert (found.kind, found.position) == ("reordered", position)
    assert f"was chained at position {position + 1}" in found.lines[0]
    assert LISTING in found.lines[1]


def test_an_event_appended_behind_regledgers_back_is_reported_unchained(victim: str, attacker: Attacker) -> None:
    last = events(victim)[-1]

    attacker.insert_before(last.notification_id + 1, like=last)

    found = _divergence(victim)
    assert found.kind == "unchained"
    assert found.position == len(events(victim))
    assert "1 event(s) after the chain's head are not chained" in found.lines[0]


# -- what only a checkpoint shows ----------------------------------------------------------------------------------

def _checkpoint_now(db: str) -> Checkpoint:
    with open_ledger(db) as ledger:
        verification = verify_chain(chain_store(ledger))
    assert verification.divergence is None
    return sign_checkpoint(Ed25519PrivateKey.generate(), verification.verified, verification.head, None)


def _checked(db: str, checkpoint: Checkpoint) -> tuple[Divergence | None, list[str]]:
    with open_ledger(db) as ledger:
        store = chain_store(ledger)
        verification = verify_chain(store, mark=checkpoint.size)
        return verification.divergence, checkpoint_findings(store, verification, checkpoint)


def test_deleting_the_newest_events_with_their_chain_rows_is_not_seen_without_a_checkpoint(
        victim: str, attacker: Attacker) -> None:
    size = len(events(victim))

    attacker.delete_newest(3)

    with open_ledger(victim) as ledger:
        result = verify_chain(chain_store(ledger))
    assert result.divergence is None  # the documented limit: nothing in a shorter ledger says it was longer
    assert result.verified == size - 3


def test_a_checkpoint_signed_before_finds_the_newest_events_deleted(victim: str, attacker: Attacker) -> None:
    checkpoint = _checkpoint_now(victim)

    attacker.delete_newest(3)

    divergence, findings = _checked(victim, checkpoint)
    assert divergence is None
    assert findings == [f"the ledger holds {checkpoint.size - 3} events; the checkpoint covers {checkpoint.size}: "
                        "events were deleted since, or this is another ledger"]


def test_emptying_the_events_table_is_found(victim: str, attacker: Attacker) -> None:
    attacker.disarm()
    attacker.execute("DELETE FROM {t}")  # PostgreSQL's TRUNCATE is refused by a guard of its own (see guards)

    found = _divergence(victim)
    assert (found.kind, found.position) == ("deleted", 1)


def test_emptying_both_tables_is_seen_only_by_a_checkpoint(victim: str, attacker: Attacker) -> None:
    checkpoint = _checkpoint_now(victim)

    attacker.delete_newest(checkpoint.size)

    divergence, findings = _checked(victim, checkpoint)
    assert divergence is None
    assert findings[:1] == [f"the ledger holds 0 events; the checkpoint covers {checkpoint.size}: events were "
                            "deleted since, or this is another ledger"]
