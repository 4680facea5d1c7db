"""Affiliations when recording: a party keeps every party it was said to be an affiliate of, and a cycle of
affiliation (A an affiliate of B, ..., an affiliate of A) is refused, naming `party.affiliate_of` and the cycle."""

from __future__ import annotations

from typing import Any

import pytest

from regledger.domain import Party
from regledger.domain.errors import ActionRefusedError
from regledger.domain.party import party_id
from tests.unit.domain_kit import FakeStore, act


def listed(key: str, affiliate_of: str | None = None, **extra: Any) -> Any:
    party = {"key": key, "name": f"{key.title()} Co., Ltd.", **({"affiliate_of": affiliate_of} if affiliate_of else {})}
    return act("entity_listed", party=party, **extra)


def test_a_party_keeps_every_party_it_was_said_to_be_an_affiliate_of() -> None:
    store = FakeStore()
    store.record(listed("huawei"), listed("hisilicon", affiliate_of="huawei"))
    store.record(act("entry_amended", party={"key": "hisilicon", "affiliate_of": "huawei-investment"}, on="2019-08-19"))

    assert store.get(party_id("hisilicon")).affiliations == ("huawei", "huawei-investment")
    assert store.get(party_id("huawei")).affiliations == ()


def test_a_party_made_an_affiliate_of_its_own_affiliate_is_refused_naming_the_cycle() -> None:
    store = FakeStore()
    store.record(listed("huawei"), listed("hisilicon", affiliate_of="huawei"))

    with pytest.raises(ActionRefusedError) as refused:
        store.record(act("entry_amended", party={"key": "huawei", "affiliate_of": "hisilicon"}, on="2019-08-19"))

    assert refused.value.field == "party.affiliate_of"
    assert "cycle of affiliation (huawei → hisilicon → huawei)" in refused.value.message


def test_a_longer_cycle_within_one_run_is_refused() -> None:
    store = FakeStore()

    with pytest.raises(ActionRefusedError) as refused:
        store.record(listed("a", affiliate_of="b"), listed("b", affiliate_of="c"), listed("c", affiliate_of="a"))

    assert "(c → a → b → c)" in refused.value.message
    assert store.events == {}  # the run is refused whole


def test_a_chain_without_a_cycle_is_recorded() -> None:
    store = FakeStore()

    store.record(listed("a", affiliate_of="b"), listed("b", affiliate_of="c"), listed("c"))

    assert [store.get(party_id(k)).affiliations for k in "abc"] == [("b",), ("c",), ()]


def test_a_correction_that_would_close_a_cycle_is_refused() -> None:
    store = FakeStore()
    store.record(listed("huawei", id="el-huawei"), listed("hisilicon", affiliate_of="huawei"))

    with pytest.raises(ActionRefusedError) as refused:
        store.record(act("correction", corrects="el-huawei", fields={"party.affiliate_of": "hisilicon"}))

    assert refused.value.field == "fields.party.affiliate_of"
    assert "(huawei → hisilicon → huawei)" in refused.value.message


def test_a_correction_that_sets_an_affiliation_is_kept() -> None:
    store = FakeStore()
    store.record(listed("huawei"), listed("hisilicon", id="el-hisilicon"))

    store.record(act("correction", corrects="el-hisilicon", fields={"party.affiliate_of": "huawei"}))

    assert store.get(party_id("hisilicon")).affiliations == ("huawei",)


def test_a_party_stored_before_affiliations_loads_with_none() -> None:
    store = FakeStore()
    store.record(listed("huawei"))
    [registered] = store.events[party_id("huawei")]
    old = registered.model_dump(exclude={"affiliate_of"})  # as an event stored by an earlier release

    party = type(registered).model_validate(old).mutate(None)

    assert isinstance(party, Party)
    assert party.affiliations == ()
