"""The reference fold on lists: the three time axes, same-day changes, confirmations and party names."""

from __future__ import annotations

from tests.unit.fold_kit import Book, d, delisted, listed, src


def test_listed_and_delisted_the_same_day_leaves_the_party_off_the_list_that_day() -> None:
    book = Book()
    book.record(listed("huawei", "2019-05-16"), delisted("huawei", "2019-05-16"))

    assert book.entry("2019-05-16") is None
    assert book.entry("2019-05-15") is None
    assert book.state("2019-05-16").lists == {}


def test_delisted_then_relisted_the_same_day_in_publication_order_leaves_the_party_listed() -> None:
    book = Book()
    book.record(listed("huawei", "2019-05-01"))
    book.record(listed("huawei", "2019-05-16", "2019-05-17"), delisted("huawei", "2019-05-16", "2019-05-16"))

    entry = book.entry("2019-05-16")

    assert entry.status == "in_force"
    assert entry.listed_on == d("2019-05-16")  # a relisting starts a new entry


def test_effective_before_publication_is_listed_as_of_the_day_but_not_as_published_by_it() -> None:
    book = Book()
    book.record(listed("huawei", "2019-05-16", "2019-05-21", sources=[src("84 FR 22961")]))

    as_of = book.entry("2019-05-17")
    as_published = book.entry("2019-05-17", published_by="2019-05-17")

    assert as_of.status == "in_force"
    assert as_of.listed_on == d("2019-05-16")
    assert [c.citation for c in as_of.citations] == ["84 FR 22961"]
    assert as_published is None
    assert book.entry("2019-05-17", published_by="2019-05-21").status == "in_force"


def test_a_future_effective_date_is_pending_once_published_and_in_force_from_that_date() -> None:
    book = Book()
    book.record(listed("huawei", "2019-06-01", "2019-05-21"))

    assert book.entry("2019-05-20") is None  # not yet published, not yet effective
    pending = book.entry("2019-05-25")
    assert (pending.status, pending.listed_on) == ("pending", d("2019-06-01"))
    assert book.entry("2019-06-01").status == "in_force"


def test_a_pending_delisting_is_shown_on_the_entry_still_in_force() -> None:
    book = Book()
    book.record(listed("huawei", "2019-05-16"), delisted("huawei", "2019-07-01", "2019-06-15"))

    entry = book.entry("2019-06-20")

    assert entry.status == "in_force"
    assert [(p.kind, p.effective_on) for p in entry.pending] == [("entity_delisted", d("2019-07-01"))]
    assert book.entry("2019-07-01") is None


def test_a_second_listing_confirms_adding_its_sources_and_keeps_the_earliest_date() -> None:
    book = Book()
    book.record(listed("huawei", "2019-05-16", "2019-05-15", sources=[src("Reuters report", "attributed")]))
    book.record(listed("huawei", "2019-05-16", "2019-05-21", sources=[src("84 FR 22961")]),
                listed("huawei", "2019-08-19", details={"license_policy": "Presumption of denial"}))

    entry = book.entry("2019-09-01")

    assert entry.listed_on == d("2019-05-16")
    assert entry.reliability == "official"
    assert [c.label() for c in entry.citations] == ["Reuters report", "84 FR 22961"]
    assert entry.details == {"license_policy": "Presumption of denial"}
    assert book.entry("2019-05-17", published_by="2019-05-17").reliability == "attributed"


def test_a_party_named_on_another_list_gets_its_name_and_aliases_from_there() -> None:
    book = Book()
    named = {"key": "huawei", "name": "Huawei Technologies Co., Ltd.", "aliases": ["華為"], "country": "CN"}
    book.record({**listed("huawei", "2019-05-16", list_key="us-bis-entity-list"), "party": named},
                listed("huawei", "2020-01-01", list_key="us-fcc-covered-list"))

    [fcc] = book.state("2020-02-01").lists["us-fcc-covered-list"]

    assert (fcc.name, fcc.aliases, fcc.country) == ("Huawei Technologies Co., Ltd.", ("華為",), "CN")


def test_the_minimum_tier_hides_weaker_reports() -> None:
    book = Book()
    book.record(listed("huawei", "2019-05-16", "2019-05-15", sources=[src("Reuters report", "attributed")]))

    assert book.entry("2019-05-17").status == "in_force"
    assert book.entry("2019-05-17", tier="statement") is None
    assert book.entry("2019-05-17", tier="attributed") is not None


def test_known_at_before_anything_was_recorded_answers_empty_and_says_why() -> None:
    book = Book()
    first = book.record(listed("huawei"))

    state = book.state("2019-06-01", known_at=first.replace(year=2020))

    assert state.is_empty
    assert "nothing had been recorded by 2020-03-01T09:00:00Z" in state.notes[0]
    assert book.state("2019-06-01", known_at=first).lists


def test_an_empty_ledger_answers_empty_and_says_so() -> None:
    assert Book().state("2019-06-01").notes == ("the ledger is empty: nothing has been recorded",)


def test_aliases_emptied_by_an_amendment_are_shown_empty_not_taken_from_other_listings() -> None:
    book = Book()
    with_aliases = listed("huawei", "2019-05-16")
    with_aliases["party"]["aliases"] = ["华为", "華為"]
    emptied = {**listed("huawei", "2019-06-01"), "kind": "entry_amended", "party": {"key": "huawei", "aliases": []}}
    book.record(with_aliases, emptied)

    assert book.entry("2019-05-20").aliases == ("华为", "華為")
    assert book.entry("2019-06-02").aliases == ()
