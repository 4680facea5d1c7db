"""Party: every name and alias it was ever recorded under; registered once, described with what is new."""

from __future__ import annotations

from typing import Any

import pytest

from regledger.domain import Party
from regledger.domain.actions import PartyRef
from regledger.domain.errors import UnknownSubjectError
from regledger.domain.party import party_id


def ref(**fields: Any) -> PartyRef:
    return PartyRef.model_validate({"key": "huawei", **fields})


def registered(**fields: Any) -> Party:
    party = Party.register(ref(name="Huawei Technologies Co., Ltd.", **fields))
    party.collect_events()
    return party


def test_registering_a_party_takes_its_name_aliases_country_and_addresses() -> None:
    party = Party.register(ref(name="Huawei Technologies Co., Ltd.", aliases=["華為"], country="CN",
                               addresses=["Bantian, Longgang District, Shenzhen"]))

    assert party.id == party_id("huawei")
    assert (party.key, party.name, party.names) == ("huawei", "Huawei Technologies Co., Ltd.",
                                                    ("Huawei Technologies Co., Ltd.",))
    assert (party.aliases, party.country) == (("華為",), "CN")
    assert party.addresses == ("Bantian, Longgang District, Shenzhen",)
    assert [type(e) for e in party.pending_events] == [Party.Registered]


def test_registering_a_party_without_a_name_is_refused_naming_the_field() -> None:
    with pytest.raises(UnknownSubjectError, match="party 'huawei' appears for the first time: give its name") \
            as caught:
        Party.register(ref())

    assert caught.value.field == "party.name"


def test_describing_a_party_adds_only_the_new_aliases() -> None:
    party = registered(aliases=["華為"])

    party.describe(ref(aliases=["華為", "Huawei Tech"]))

    [event] = party.collect_events()
    assert isinstance(event, Party.Described)
    assert event.aliases == ("Huawei Tech",)
    assert party.aliases == ("華為", "Huawei Tech")


def test_describing_a_party_with_nothing_new_records_nothing() -> None:
    party = registered(aliases=["華為"], country="CN")

    party.describe(ref(name="Huawei Technologies Co., Ltd.", aliases=["華為"], country="CN"))
    party.describe(ref())

    assert party.pending_events == []
    assert party.version == 1


def test_a_new_name_becomes_the_current_name_and_the_old_one_is_kept() -> None:
    party = registered()

    party.describe(ref(name="Huawei Technologies Co., Ltd"))

    assert party.name == "Huawei Technologies Co., Ltd"
    assert party.names == ("Huawei Technologies Co., Ltd.", "Huawei Technologies Co., Ltd")


def test_a_former_name_used_again_becomes_the_current_name() -> None:
    party = registered()
    party.describe(ref(name="Huawei"))

    party.describe(ref(name="Huawei Technologies Co., Ltd."))

    assert party.names == ("Huawei", "Huawei Technologies Co., Ltd.")


def test_describing_a_party_takes_a_new_country_and_adds_addresses() -> None:
    party = registered(country="CN", addresses=["Shenzhen"])

    party.describe(ref(country="HK", addresses=["Shenzhen", "Hong Kong"]))

    assert (party.country, party.addresses) == ("HK", ("Shenzhen", "Hong Kong"))


def test_a_described_party_replays_to_the_same_state() -> None:
    party = Party.register(ref(name="Huawei Technologies Co., Ltd."))
    party.describe(ref(aliases=["華為"], country="CN"))
    events = party.collect_events()

    replayed = None
    for event in events:
        replayed = event.mutate(replayed)

    assert isinstance(replayed, Party)
    assert (replayed.names, replayed.aliases, replayed.country, replayed.version) == (
        party.names, party.aliases, party.country, 2)
