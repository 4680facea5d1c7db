"""Finding a party by what people type (projections.parties), and a party's whole position (projections.select):
its entries, the live measures that apply to it or to the party it is an affiliate of, and positions about them."""

from __future__ import annotations

from typing import Any

import pytest

from regledger.projections import NotFoundError, directory, match_parties, select_state
from regledger.projections.parties import PartyNames, closest, unknown_party_notes
from regledger.projections.select import POSITION_STATUSES, affiliations, applies
from tests.unit.fold_kit import Book, adopted, amended, listed, position, src

HUAWEI = {"key": "huawei-technologies", "name": "Huawei Technologies Co., Ltd.", "aliases": ["華為技術有限公司"]}
HISILICON = {"key": "hisilicon", "name": "HiSilicon Technologies Co., Ltd.", "affiliate_of": "huawei-technologies"}
CLOUD = {"key": "huawei-cloud", "name": "Huawei Cloud Computing Technologies Co., Ltd.",
         "affiliate_of": "huawei-technologies"}
TGL = "us-bis-huawei-tgl"


def _listed(party: dict[str, Any], effective: str = "2019-05-16") -> dict[str, Any]:
    return {**listed(party["key"], effective), "party": party}


def _book() -> Book:
    book = Book()
    book.record(_listed(HUAWEI), _listed(HISILICON), _listed(CLOUD, "2020-08-17"),
                _listed({"key": "zte", "name": "ZTE Corporation"}))
    return book


def _parties() -> dict[str, PartyNames]:
    return directory(_book().entries)


# -- finding parties -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "found", "rule"),
    [("hisilicon", {"hisilicon"}, "key"),
     ("huawei technologies co ltd", {"huawei-technologies"}, "name"),
     ("HUAWEI TECHNOLOGIES COMPANY LIMITED", {"huawei-technologies"}, "name"),
     ("華為技術", {"huawei-technologies"}, "alias"),  # Traditional, legal form left off
     ("华为技术有限公司", {"huawei-technologies"}, "alias"),  # Simplified: only the Traditional is stored
     ("Huawei Technologies", {"huawei-technologies"}, "name"),
     ("huawei cloud", {"huawei-cloud"}, "key"),  # the key huawei-cloud, folded
     ("Huawei Cloud Computing", {"huawei-cloud"}, "substring"),
     ("huawei", {"huawei-technologies", "huawei-cloud"}, "substring"),
     ("华为", {"huawei-technologies"}, "substring"),
     ("ZTE Corp.", {"zte"}, "name")],  # ZTE Corporation, legal forms aside
)
def test_a_party_is_found_by_key_name_or_alias_after_folding(text: str, found: set[str], rule: str) -> None:
    matches = match_parties(_parties(), text)

    assert {m.party for m in matches} == found
    assert {m.rule for m in matches} == {rule}


def test_a_name_with_its_legal_form_too_is_preferred_to_one_that_differs_in_it() -> None:
    book = Book()
    book.record(_listed({"key": "huawei-cn", "name": "Huawei Technologies Co., Ltd."}),
                _listed({"key": "huawei-de", "name": "Huawei Technologies GmbH"}))

    exact = match_parties(directory(book.entries), "Huawei Technologies GmbH")
    either = match_parties(directory(book.entries), "Huawei Technologies")

    assert [m.party for m in exact] == ["huawei-de"]
    assert {m.party for m in either} == {"huawei-cn", "huawei-de"}


def test_part_of_a_word_does_not_match() -> None:
    book = Book()
    book.record(_listed({"key": "aztec", "name": "Aztec Trading Ltd"}))

    with pytest.raises(NotFoundError):
        match_parties(directory(book.entries), "zte")


def test_an_unknown_name_is_not_found_with_the_closest_names() -> None:
    with pytest.raises(NotFoundError) as refused:
        match_parties(_parties(), "huawai technologies")

    assert refused.value.suggestions[0] == "huawei-technologies (Huawei Technologies Co., Ltd.)"
    assert len(set(refused.value.suggestions)) == len(refused.value.suggestions)  # each party once


def test_closest_compares_folded_names() -> None:
    assert closest("華為技朮", ["华为技术", "zte"]) == ["华为技术"]


def test_an_unknown_party_is_said_to_be_on_no_list_with_the_closest_names() -> None:
    notes = unknown_party_notes("huawai", "on 2019-08-20", ("Huawei Technologies Co., Ltd.", "huawei"))

    assert notes == ('"huawai": not on any list on 2019-08-20 (no party by that name in the ledger)',
                     'did you mean "Huawei Technologies Co., Ltd.", "huawei"? (the closest names in the ledger)')
    assert unknown_party_notes("acme", "on 2019-08-20", ()) == (
        '"acme": not on any list on 2019-08-20 (no party by that name in the ledger)',)


# -- a party's whole position ----------------------------------------------------------------------------------


def _tgl(**extra: Any) -> dict[str, Any]:
    return adopted(TGL, "2019-05-20", expires_on="2019-08-19", sources=[src("84 FR 23468")],
                   applies_to=["huawei-technologies"], **extra)


def _position_book(**tgl: Any) -> Book:
    book = _book()
    book.record(_tgl(**tgl), amended(TGL, "2019-08-19", expires_on="2019-11-18"),
                adopted("us-eo-13873", "2019-05-15"),
                position("opposes", "2019-08-01", "statement", measure={"key": TGL}, topic=None),
                position("supports", "2019-08-01", "statement", actor="us-doc", topic="hisilicon"),
                position("supports", "2019-08-01", "statement", actor="us-doc", topic="restrict-zte"))
    return book


def test_a_party_position_shows_the_measures_that_name_it_and_positions_about_them() -> None:
    state = _position_book().state("2019-08-20")

    chosen = select_state(state, None, {"huawei-technologies"})

    assert [e.party for e in chosen.lists["us-bis-entity-list"]] == ["huawei-technologies"]
    assert [(m.key, m.status) for m in chosen.measures] == [(TGL, "in_force")]  # the executive order names no one
    assert [p.subject for p in chosen.positions] == [f"measure:{TGL}"]
    assert chosen.meetings == ()


def test_an_affiliate_gets_the_measures_that_include_affiliates() -> None:
    with_affiliates = select_state(_position_book(include_affiliates=True).state("2019-08-20"), None, {"hisilicon"})
    without = select_state(_position_book().state("2019-08-20"), None, {"hisilicon"})

    assert [m.key for m in with_affiliates.measures] == [TGL]
    assert {p.subject for p in with_affiliates.positions} == {f"measure:{TGL}", "hisilicon"}
    assert without.measures == ()
    assert [p.subject for p in without.positions] == ["hisilicon"]  # a position about the party itself


def test_an_affiliation_counts_from_the_entry_that_records_it() -> None:
    book = _position_book(include_affiliates=True)
    book.record(amended(TGL, "2020-05-15", expires_on="2020-12-31"))

    before = select_state(book.state("2020-08-16"), None, {"huawei-cloud"})  # listed from 2020-08-17
    after = select_state(book.state("2020-08-20"), None, {"huawei-cloud"})

    assert before.measures == ()
    assert "huawei-cloud: not on any list as of 2020-08-16" in before.notes[0]
    assert [m.key for m in after.measures] == [TGL]


def test_an_expired_measure_is_not_part_of_the_position() -> None:
    book = Book()
    book.record(_listed(HUAWEI), _tgl())

    chosen = select_state(book.state("2019-09-01"), None, {"huawei-technologies"})

    assert chosen.measures == ()
    assert "expired" not in POSITION_STATUSES


def test_a_list_alone_keeps_its_entries_only() -> None:
    chosen = select_state(_position_book().state("2019-08-20"), "us-bis-entity-list", None)

    assert (chosen.measures, chosen.positions) == ((), ())


def test_applies_names_the_key_through_which_a_measure_applies() -> None:
    state = _position_book(include_affiliates=True).state("2019-08-20")
    [tgl] = [m for m in state.measures if m.key == TGL]
    parents = affiliations(e for entries in state.lists.values() for e in entries)

    assert parents == {"hisilicon": ("huawei-technologies",)}
    assert applies(tgl, "huawei-technologies", ()) == "huawei-technologies"
    assert applies(tgl, "hisilicon", parents["hisilicon"]) == "huawei-technologies"
    assert applies(tgl, "zte", ()) is None


def test_the_last_word_typed_may_be_cut_short() -> None:
    matches = match_parties(_parties(), "hisilicon tech")

    assert [(m.party, m.rule) for m in matches] == [("hisilicon", "substring")]
