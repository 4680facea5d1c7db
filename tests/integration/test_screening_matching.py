"""Screening-list entries: their sources map to list keys, and they find their parties without duplicating any."""

from __future__ import annotations

import json
from datetime import date

import pytest

from regledger.adapters.importers import import_snapshot
from regledger.adapters.importers.screening_diff import slug
from regledger.adapters.importers.screening_read import SOURCES, list_key_of, read_snapshot
from regledger.adapters.wiring import open_ledger
from tests.conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "screening-list"
DAY = date(2020, 1, 6)


@pytest.mark.parametrize(
    ("spelling", "key"),
    [
        ("Entity List (EL) - Bureau of Industry and Security", "us-bis-entity-list"),
        ("EL", "us-bis-entity-list"),
        ("entity list (el)", "us-bis-entity-list"),
        ("Military End User (MEU) List - Bureau of Industry and Security", "us-bis-meu-list"),
        ("UVL", "us-bis-unverified-list"),
        ("Denied Persons List (DPL) - Bureau of Industry and Security", "us-bis-denied-persons"),
        ("Specially Designated Nationals (SDN) - Treasury Department", "us-ofac-sdn"),
        ("Sectoral Sanctions Identifications (SSI) - Treasury Department", "us-ofac-ssi"),
        ("Non-SDN Menu-Based Sanctions List (NS-MBS List) - Treasury Department", "us-ofac-ns-mbs"),
        ("Example Sanctions List (XSL)", None),
    ],
)
def test_a_source_maps_to_its_list_however_spelt(spelling: str, key: str | None) -> None:
    assert list_key_of(spelling) == key


def test_every_source_of_the_table_maps_by_code_and_by_name() -> None:
    for code, name, key in SOURCES:
        assert (list_key_of(code), list_key_of(name)) == (key, key)


def test_the_json_and_csv_forms_of_a_snapshot_read_the_same() -> None:
    from_json = read_snapshot(FIXTURES / "csl-2019-06-03.json")
    from_csv = read_snapshot(FIXTURES / "csl-2019-06-03.csv")

    assert [r.record for r in from_json.reads] == [r.record for r in from_csv.reads]
    assert from_json.digest == from_csv.digest
    assert from_json.lists == ("us-bis-entity-list", "us-ofac-sdn")


def test_a_slug_is_a_key_cut_at_a_word() -> None:
    assert slug("Huawei Technologies Co., Ltd.") == "huawei-technologies-co-ltd"
    assert slug("Société Générale d'Exemple") == "societe-generale-d-exemple"
    assert len(slug("Example " * 20)) <= 60
    assert slug("华为") == ""


def _import(ledger, tmp_path, name, entries, day=DAY):
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps(entries), encoding="utf-8")
    return import_snapshot(ledger, path, day)


def _parties(done) -> dict[str, str]:
    return {item.action.party.name: item.action.party.key for item in done.located}  # type: ignore[union-attr]


def test_a_taken_key_gets_the_country_then_a_number(tmp_path) -> None:
    entries = [
        {"source": "EL", "name": "Example Co"},
        {"source": "EL", "name": "Example Co.", "addresses": [{"city": "Dubai", "country": "AE"}]},
        {"source": "EL", "name": "EXAMPLE-CO", "addresses": ["Dubai, AE"]},
    ]
    with open_ledger("memory:") as ledger:
        done = _import(ledger, tmp_path, "s", entries)

    assert _parties(done) == {"Example Co": "example-co", "Example Co.": "example-co-ae",
                              "EXAMPLE-CO": "example-co-ae-2"}


def test_an_entry_finds_its_party_by_alias_and_a_name_on_two_lists_is_one_party(tmp_path) -> None:
    with open_ledger("memory:") as ledger:
        _import(ledger, tmp_path, "first", [{"source": "EL", "name": "Example Trading Co.", "alt_names": ["ETC"]}])
        done = _import(ledger, tmp_path, "second", [
            {"source": "EL", "name": "ETC", "alt_names": ["Example Trading Co."]},
            {"source": "SDN", "name": "Example Trading Co."},
            {"source": "SDN", "name": "Example Newco"},
            {"source": "MEU", "name": "EXAMPLE NEWCO"},
        ], day=date(2020, 2, 3))

    keys = {(i.action.list, i.action.party.key, i.action.kind) for i in done.located}  # type: ignore[union-attr]
    assert keys == {
        ("us-bis-entity-list", "example-trading-co", "entry_amended"),  # renamed ETC, matched by alias
        ("us-ofac-sdn", "example-trading-co", "entity_listed"),
        ("us-ofac-sdn", "example-newco", "entity_listed"),
        ("us-bis-meu-list", "example-newco", "entity_listed"),
    }
