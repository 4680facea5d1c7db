"""ActionIndex: one stream per action id (or content hash), so that the same action is recorded once."""

from __future__ import annotations

from regledger.domain import ActionIndex
from regledger.domain.index import index_id, index_key
from regledger.domain.listing import listing_id
from regledger.domain.party import party_id

from .domain_kit import act


def test_an_action_with_an_id_is_indexed_under_its_id() -> None:
    action = act("entity_listed", id="huawei-listing-2019")
    subject = listing_id("us-bis-entity-list", "huawei")

    index = ActionIndex.register(action, subject)

    assert index.id == index_id("huawei-listing-2019")
    assert (index.key, index.content_hash, index.subject_id, index.kind) == (
        "huawei-listing-2019", action.content_hash(), subject, "entity_listed")


def test_an_action_without_an_id_is_indexed_under_its_content_hash() -> None:
    action = act("entity_listed")

    assert index_key(action) == f"sha256:{action.content_hash()}"
    assert ActionIndex.register(action, party_id("huawei")).id == index_id(f"sha256:{action.content_hash()}")


def test_equal_actions_without_an_id_share_one_index_stream() -> None:
    first, again, other = act("entity_listed"), act("entity_listed"), act("entity_listed", note="other")

    assert index_id(index_key(first)) == index_id(index_key(again)) != index_id(index_key(other))


def test_the_same_id_with_other_content_shares_the_stream_but_not_the_hash() -> None:
    first = ActionIndex.register(act("entity_listed", id="listing-1"), party_id("huawei"))
    other = ActionIndex.register(act("entity_listed", id="listing-1", note="changed"), party_id("huawei"))

    assert first.id == other.id
    assert first.content_hash != other.content_hash
