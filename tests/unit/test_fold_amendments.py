"""Corrections and retractions in the fold: visible by their own dates and tier, applied to the record they name."""

from __future__ import annotations

from datetime import timedelta

from tests.unit.fold_kit import Book, d, listed, src


def _correction(target: str, fields: dict, published: str, tier: str = "official", **extra) -> dict:
    return {"kind": "correction", "corrects": target, "fields": fields, "published_on": published,
            "sources": [src("84 FR 22961", tier)], **extra}


def _retraction(target: str, published: str, tier: str = "official") -> dict:
    return {"kind": "retraction", "retracts": target, "reason": "the report was wrong", "published_on": published,
            "sources": [src("84 FR 22961", tier)]}


def _report() -> dict:
    return listed("huawei", "2019-05-16", "2019-05-15", id="reuters", details={"affiliates": "70"},
                  sources=[src("Reuters report", "attributed")])


def test_a_correction_recorded_later_is_invisible_to_a_query_known_at_an_earlier_time() -> None:
    book = Book()
    first = book.record(_report())
    second = book.record(_correction("reuters", {"details.affiliates": "68"}, "2019-05-21"))

    assert book.entry("2019-05-17", known_at=first).details == {"affiliates": "70"}
    assert book.entry("2019-05-17", known_at=second - timedelta(microseconds=1)).details == {"affiliates": "70"}
    assert book.entry("2019-05-17", known_at=second).details == {"affiliates": "68"}
    assert book.entry("2019-05-17").details == {"affiliates": "68"}


def test_a_correction_is_invisible_before_its_own_publication_date() -> None:
    book = Book()
    book.record(_report(), _correction("reuters", {"details.affiliates": "68"}, "2019-05-21"))

    assert book.entry("2019-05-17", published_by="2019-05-20").details == {"affiliates": "70"}
    assert book.entry("2019-05-17", published_by="2019-05-21").details == {"affiliates": "68"}


def test_a_correction_below_the_minimum_tier_is_not_applied() -> None:
    book = Book()
    book.record(_report(), _correction("reuters", {"details.affiliates": "68"}, "2019-05-21", tier="anonymous"))

    assert book.entry("2019-05-17", tier="attributed").details == {"affiliates": "70"}


def test_a_correction_of_the_effective_date_moves_the_legal_effect() -> None:
    book = Book()
    book.record(_report(), _correction("reuters", {"effective_on": "2019-05-20"}, "2019-05-21"))

    corrected = book.entry("2019-05-17")
    assert (corrected.status, corrected.listed_on) == ("pending", d("2019-05-20"))
    assert book.entry("2019-05-17", published_by="2019-05-20").listed_on == d("2019-05-16")
    assert book.entry("2019-05-20").listed_on == d("2019-05-20")


def test_a_retracted_press_report_no_longer_lists_the_party_once_the_retraction_is_known() -> None:
    book = Book()
    first = book.record(listed("huawei", "2019-05-17", "2019-05-16", id="digest",
                               sources=[src("Converge Digest", "attributed")]))
    book.record(_retraction("digest", "2019-05-21"))

    assert book.entry("2019-05-18", known_at=first).status == "in_force"
    assert book.entry("2019-05-18", published_by="2019-05-20").status == "in_force"
    assert book.entry("2019-05-18") is None


def test_a_retracted_report_leaves_the_official_listing_with_only_its_sources() -> None:
    book = Book()
    digest = listed("huawei", "2019-05-17", "2019-05-16", id="digest", sources=[src("Converge Digest", "attributed")])
    book.record(digest,
                listed("huawei", "2019-05-16", "2019-05-21", sources=[src("84 FR 22961")]),
                _retraction("digest", "2019-05-21"))

    entry = book.entry("2019-06-01")

    assert [c.label() for c in entry.citations] == ["84 FR 22961"]


def test_a_retracted_correction_no_longer_applies() -> None:
    book = Book()
    book.record(_report(), _correction("reuters", {"details.affiliates": "68"}, "2019-05-21", id="fix"))
    book.record(_retraction("fix", "2019-05-25"))

    assert book.entry("2019-06-01").details == {"affiliates": "70"}
    assert book.entry("2019-06-01", published_by="2019-05-24").details == {"affiliates": "68"}
