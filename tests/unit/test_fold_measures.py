"""The reference fold on measures, meetings and positions: expiry, extensions, gaps, pending dates, tiers."""

from __future__ import annotations

import pytest

from tests.unit.fold_kit import Book, adopted, amended, d, position, src


def _status(book: Book, day: str) -> str | None:
    measure = book.measure(day)
    return measure.status if measure else None


@pytest.mark.parametrize(
    ("day", "status"),
    [("2019-05-19", None), ("2019-05-20", "in_force"), ("2019-08-19", "in_force"), ("2019-08-20", "in_force"),
     ("2019-11-18", "in_force"), ("2019-11-19", "expired")],
)
def test_a_general_licence_extended_on_the_day_it_expires_never_lapses(day: str, status: str | None) -> None:
    book = Book()
    book.record(adopted("tgl", "2019-05-20", "2019-05-22", expires_on="2019-08-19"),
                amended("tgl", "2019-08-19", "2019-08-21", expires_on="2019-11-18"))

    assert _status(book, day) == status


@pytest.mark.parametrize(
    ("day", "status"),
    [("2019-08-19", "in_force"), ("2019-08-20", "expired"), ("2019-08-24", "expired"), ("2019-08-25", "in_force")],
)
def test_an_extension_after_a_lapse_leaves_an_expired_gap(day: str, status: str) -> None:
    book = Book()
    book.record(adopted("tgl", "2019-05-20", expires_on="2019-08-19"),
                amended("tgl", "2019-08-25", "2019-08-27", expires_on="2019-11-18"))

    assert _status(book, day) == status


def test_an_adoption_with_a_future_effective_date_is_pending_with_its_dates() -> None:
    book = Book()
    book.record(adopted("fdp", "2020-09-15", "2020-05-19", parameters={"wind_down_ends_on": "2020-09-14"}))

    assert book.measure("2020-05-18", "fdp") is None
    pending = book.measure("2020-06-01", "fdp")
    assert (pending.status, pending.effective_on) == ("pending", d("2020-09-15"))
    assert pending.parameters == {"wind_down_ends_on": d("2020-09-14")}
    assert book.measure("2020-09-15", "fdp").status == "in_force"


def test_status_precedence_revoked_over_expired_over_in_force_a_withdrawal_of_an_adopted_measure_revokes() -> None:
    book = Book()
    book.record(adopted("tgl", "2019-05-20", expires_on="2019-08-19"),
                {"kind": "measure_withdrawn", "measure": {"key": "tgl"}, "effective_on": "2019-09-01",
                 "published_on": "2019-09-01", "sources": [src("85 FR 1")]})

    assert [_status(book, day) for day in ("2019-06-01", "2019-08-20", "2019-09-01")] == [
        "in_force", "expired", "revoked"]


def test_a_proposal_is_proposed_with_its_comment_period() -> None:
    book = Book()
    book.record({"kind": "measure_proposed", "measure": {"key": "dm", "title": "De minimis rule"},
                 "effective_on": "2020-01-14", "published_on": "2020-01-14", "comments_close_on": "2020-02-14",
                 "parameters": {"de_minimis_percent": "10"}, "sources": [src("draft", "anonymous")]})

    measure = book.measure("2020-01-20", "dm")

    assert (measure.status, measure.comments_close_on, measure.reliability) == ("proposed", d("2020-02-14"),
                                                                               "anonymous")
    assert measure.parameters == {"de_minimis_percent": 10.0}


def test_a_meeting_is_upcoming_until_its_date_and_past_once_held() -> None:
    book = Book()
    meeting = {"meeting": {"key": "cabinet", "title": "Cabinet meeting"}, "sources": [src("report", "anonymous")]}
    book.record({"kind": "meeting_scheduled", "effective_on": "2020-02-05", "published_on": "2020-02-05",
                 "date": "2020-02-28", **meeting},
                {"kind": "meeting_held", "effective_on": "2020-02-28", "published_on": "2020-03-01",
                 "outcome": "No decision", **meeting})

    [before] = book.state("2020-02-10").meetings
    [after] = book.state("2020-03-02").meetings

    assert (before.status, before.date, before.timing) == ("scheduled", d("2020-02-28"), "upcoming")
    assert (after.status, after.timing, after.outcome) == ("held", "past", "No decision")


def test_a_position_reported_anonymously_then_contradicted_by_a_statement_follows_the_tier_asked() -> None:
    book = Book()
    book.record(position("supports", "2020-01-24", "anonymous"))
    book.record(position("opposes", "2020-02-12", "statement"))

    def stance(day: str, tier: str | None = None) -> str | None:
        positions = book.state(day, tier=tier).positions
        return positions[0].stance if positions else None

    assert stance("2020-02-01") == "supports"
    assert stance("2020-02-01", "statement") is None
    assert stance("2020-02-15") == "opposes"
    assert stance("2020-02-15", "statement") == "opposes"
    assert book.state("2020-02-15").positions[0].reliability == "statement"


def test_a_later_anonymous_report_does_not_displace_a_statement_when_only_statements_count() -> None:
    book = Book()
    book.record(position("opposes", "2020-01-24", "statement"), position("supports", "2020-02-12", "anonymous"))

    assert book.state("2020-02-15").positions[0].stance == "supports"
    assert book.state("2020-02-15", tier="statement").positions[0].stance == "opposes"
