"""The screening's decision rules (projections/screening.py): statuses on a date, and match / possible / clear."""

from __future__ import annotations

from datetime import UTC, date, datetime

from regledger.domain.actions import action_adapter
from regledger.domain.history import Entry
from regledger.projections.items import ListEntry
from regledger.projections.matching import Match, Name
from regledger.projections.screening import ListStatus, PartyHit, decide, list_status, screening_directory


def _hit(score: float, *statuses: str) -> PartyHit:
    name = Name("p", "P Ltd", "name", None, ())
    match = Match(name, score, "p", "p", (), "")
    return PartyHit(match, "P Ltd", tuple(ListStatus(f"l{n}", s, True, None, ()) for n, s in enumerate(statuses)))


def test_a_strong_name_on_a_party_on_a_list_is_a_match() -> None:
    for status in ("in_force", "pending", "announced"):
        assert decide([_hit(0.9, status)], 0.88, 0.75) == "match"
    assert decide([_hit(0.88, "not_listed", "in_force")], 0.88, 0.75) == "match"  # at the threshold, on one list


def test_a_strong_name_on_a_party_off_its_lists_is_possible() -> None:
    assert decide([_hit(1.0, "removed")], 0.88, 0.75) == "possible"
    assert decide([_hit(1.0, "not_listed", "removed")], 0.88, 0.75) == "possible"


def test_between_the_thresholds_is_possible_and_below_is_clear() -> None:
    assert decide([_hit(0.8, "in_force")], 0.88, 0.75) == "possible"
    assert decide([_hit(0.75, "not_listed")], 0.88, 0.75) == "possible"
    assert decide([_hit(0.74, "in_force")], 0.88, 0.75) == "clear"
    assert decide([], 0.88, 0.75) == "clear"
    assert decide([_hit(0.8, "in_force"), _hit(0.95, "pending")], 0.88, 0.75) == "match"


def _entry(status: str) -> ListEntry:
    return ListEntry("l", "p", "P", (), None, status, date(2019, 5, 16), {}, "official", ())


def test_status_on_the_date() -> None:
    assert list_status(_entry("in_force"), listed_before=False) == "in_force"
    assert list_status(_entry("pending"), listed_before=False) == "pending"
    assert list_status(None, listed_before=True) == "removed"
    assert list_status(None, listed_before=False) == "not_listed"


def _recorded(seq: int, data: dict[str, object], at: str = "2020-01-01T00:00:00+00:00") -> Entry:
    return Entry(seq, datetime.fromisoformat(at).astimezone(UTC), action_adapter.validate_python(data))


def test_the_directory_holds_every_name_and_alias_with_country_and_addresses() -> None:
    src = [{"citation": "84 FR 1", "reliability": "official"}]
    entries = [
        _recorded(1, {"kind": "entity_listed", "list": "el", "effective_on": "2019-05-16", "published_on": "2019-05-16",
                      "party": {"key": "hw", "name": "Huawei Technologies Co., Ltd.", "aliases": ["华为技术"],
                                "country": "CN", "addresses": ["Shenzhen"]}, "sources": src}),
        _recorded(2, {"kind": "entity_listed", "list": "sdn", "effective_on": "2019-06-01",
                      "published_on": "2019-06-01",
                      "party": {"key": "hw", "aliases": ["Huawei"]}, "sources": src}),
        _recorded(3, {"kind": "entity_listed", "list": "el", "effective_on": "2019-06-01",
                      "published_on": "2019-06-01",
                      "party": {"key": "late", "name": "Late Co"}, "sources": src}, at="2021-01-01T00:00:00+00:00"),
    ]
    found = screening_directory(entries)
    assert {(n.party, n.text, n.kind) for n in found.names} == {
        ("hw", "Huawei Technologies Co., Ltd.", "name"), ("hw", "华为技术", "alias"), ("hw", "Huawei", "alias"),
        ("late", "Late Co", "name")}
    assert all(n.country == "CN" and n.addresses == ("Shenzhen",) for n in found.names if n.party == "hw")
    assert found.lists["hw"] == ("el", "sdn")
    assert found.party_names["hw"] == "Huawei Technologies Co., Ltd."
    known = screening_directory(entries, known_at=datetime(2020, 6, 1, tzinfo=UTC))
    assert "late" not in known.lists
    only_sdn = screening_directory(entries, list_key="sdn")
    assert only_sdn.lists == {"hw": ("sdn",)}
