"""Diffs over (D1, D2], histories of one subject, and finding parties by key, name, alias or part of one."""

from __future__ import annotations

import pytest

from regledger.projections import (
    NotFoundError,
    ProjectionError,
    Query,
    diff,
    directory,
    find_list,
    find_subjects,
    history,
    match_parties,
    select_state,
)
from tests.unit.fold_kit import Book, adopted, amended, d, delisted, listed, src


def test_a_diff_lists_what_took_effect_in_the_window_only() -> None:
    book = Book()
    book.record(listed("huawei", "2019-05-16"), listed("zte", "2019-05-20"), delisted("zte", "2019-06-01"))

    result = diff(book.entries, Query(d("2019-05-20")), d("2019-05-16"), d("2019-05-20"))

    assert [(t.subject, t.kind) for t in result.took_effect] == [("us-bis-entity-list/zte", "entity_listed")]
    [added] = result.lists["us-bis-entity-list"].added
    assert (added.key, added.before, added.after.status) == ("zte", None, "in_force")


def test_a_diff_shows_an_expiry_that_follows_from_dates_alone() -> None:
    book = Book()
    book.record(adopted("tgl", "2019-05-20", expires_on="2019-08-19", sources=[src("84 FR 23468")]))

    result = diff(book.entries, Query(d("2019-08-20")), d("2019-08-19"), d("2019-08-20"))

    [change] = result.measures
    assert result.took_effect == ()
    assert (change.before.status, change.after.status) == ("in_force", "expired")
    assert [c.citation for c in change.citations] == ["84 FR 23468"]


def test_a_pending_listing_coming_into_force_is_added_by_legal_effect() -> None:
    book = Book()
    book.record(listed("huawei", "2019-06-01", "2019-05-21"))

    result = diff(book.entries, Query(d("2019-06-01")), d("2019-05-25"), d("2019-06-01"))

    [change] = result.lists["us-bis-entity-list"].added
    assert (change.before.status, change.after.status) == ("pending", "in_force")


def test_an_empty_window_says_nothing_changed() -> None:
    book = Book()
    book.record(listed("huawei", "2019-05-16"))

    result = diff(book.entries, Query(d("2019-07-01")), d("2019-06-01"), d("2019-07-01"))

    assert result.is_empty
    assert result.notes == ("nothing changed between 2019-06-01 and 2019-07-01 under these axes",)


def test_a_window_running_backwards_is_refused() -> None:
    with pytest.raises(ProjectionError, match="before it starts"):
        diff([], Query(d("2019-01-01")), d("2019-06-01"), d("2019-05-01"))


def test_history_is_in_legal_order_with_the_three_dates_and_what_each_correction_changed() -> None:
    book = Book()
    book.record(listed("huawei", "2019-08-19", id="second"), adopted("tgl"))
    recorded = book.record(
        listed("huawei", "2019-05-16", "2019-05-21", id="first", details={"affiliates": "70"}),
        {"kind": "correction", "corrects": "first", "fields": {"details.affiliates": "68"},
         "published_on": "2019-05-22", "sources": [src("84 FR 22961")]},
    )

    result = history(book.entries, [("listing", "us-bis-entity-list", "huawei")], Query(d("2019-01-01")))

    assert [item.id for item in result.items] == ["first", "second"]
    first = result.items[0]
    assert (first.effective_on, first.published_on, first.recorded_at) == (d("2019-05-16"), d("2019-05-21"), recorded)
    assert first.status == "corrected"
    [change] = first.amendments[0].changes
    assert (change.path, change.before, change.after) == ("details.affiliates", "70", "68")


def test_history_marks_a_retracted_action_and_gives_the_reason() -> None:
    book = Book()
    book.record(listed("huawei", id="report"),
                {"kind": "retraction", "retracts": "report", "reason": "wrong date", "published_on": "2019-05-21",
                 "sources": [src()]})

    [item] = history(book.entries, find_subjects(book.entries, "huawei"), Query(d("2019-01-01"))).items

    assert item.status == "retracted"
    assert item.amendments[0].reason == "wrong date"


def test_find_subjects_knows_measures_listings_and_parties_and_suggests_close_names() -> None:
    book = Book()
    book.record(listed("huawei"), adopted("us-bis-huawei-tgl"), amended("us-bis-huawei-tgl"))

    assert find_subjects(book.entries, "us-bis-huawei-tgl") == (("measure", "us-bis-huawei-tgl"),)
    assert find_subjects(book.entries, "us-bis-entity-list/huawei") == (("listing", "us-bis-entity-list", "huawei"),)
    with pytest.raises(NotFoundError) as refused:
        find_subjects(book.entries, "us-bis-huawei-tg")
    assert "us-bis-huawei-tgl" in refused.value.suggestions


def _parties() -> dict:
    book = Book()
    book.record({**listed("huawei-technologies"),
                 "party": {"key": "huawei-technologies", "name": "Huawei Technologies Co., Ltd.",
                           "aliases": ["華為", "Huawéi"]}},
                {**listed("hisilicon"), "party": {"key": "hisilicon", "name": "HiSilicon Technologies"}})
    return directory(book.entries)


@pytest.mark.parametrize(
    ("text", "rule", "found"),
    [("huawei-technologies", "key", {"huawei-technologies"}),
     ("HUAWEI TECHNOLOGIES CO., LTD.", "name", {"huawei-technologies"}),
     ("huawei", "alias", {"huawei-technologies"}),  # the accented alias Huawéi, accents stripped
     ("華為", "alias", {"huawei-technologies"}),
     ("technologies", "substring", {"huawei-technologies", "hisilicon"})],
)
def test_a_party_is_found_by_key_then_name_or_alias_then_substring(text: str, rule: str, found: set) -> None:
    matches = match_parties(_parties(), text)

    assert {m.party for m in matches} == found
    assert {m.rule for m in matches} == {rule}


def test_script_variants_match_each_other_without_a_stored_alias() -> None:
    [found] = match_parties(_parties(), "华为")  # simplified; only the traditional 華為 is stored

    assert found.party == "huawei-technologies"


def test_an_unknown_party_or_list_suggests_the_closest_names() -> None:
    with pytest.raises(NotFoundError) as party:
        match_parties(_parties(), "huawai")
    book = Book()
    book.record(listed("huawei"))
    with pytest.raises(NotFoundError) as listing:
        find_list(book.entries, "us-bis-entity")

    assert any(s.startswith("huawei-technologies") for s in party.value.suggestions)
    assert listing.value.suggestions == ("us-bis-entity-list",)
    assert "did you mean 'us-bis-entity-list'?" in str(listing.value)


def test_selecting_a_party_keeps_only_its_entries_and_says_when_it_is_not_listed() -> None:
    book = Book()
    book.record(listed("huawei"), listed("zte", "2019-04-01"), adopted("tgl"))

    chosen = select_state(book.state("2019-06-01"), None, {"huawei"})
    absent = select_state(book.state("2019-05-01"), None, {"huawei"})

    assert [e.party for e in chosen.lists["us-bis-entity-list"]] == ["huawei"]
    assert chosen.measures == ()
    assert absent.lists == {}
    assert absent.notes == ("huawei: not on any list as of 2019-05-01 under these axes (neither in force nor pending)",)
