"""Sources dated on their own (issue 14, items 1-2): the timeline checks of a source's `published_on` and `kind`
and of the action's optional `published_on`, and the public-record axis read source by source in the fold."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from regledger.domain import action_adapter
from regledger.domain.errors import CorrectionError
from regledger.domain.history import Entry, apply_fields
from regledger.domain.values import STORED, Reliability
from regledger.projections import Query, diff, history
from regledger.projections.subjects import group_by_subject
from tests.unit.fold_kit import RUN, Book, d, listed, src
from tests.unit.views_kit import assert_cites_nothing_after

INSPECTION = src("Public inspection 2019-10616", published_on="2019-05-16", kind="public_inspection")
REGISTER = src("84 FR 22961", published_on="2019-05-21", kind="federal_register")
PRESS = src("Reuters, 2019-05-15", "attributed", published_on="2019-05-15", kind="press")


def _action(**changes: Any) -> Any:
    data = {**listed(sources=[INSPECTION, REGISTER]), **changes}
    data = {k: v for k, v in data.items() if v is not None}
    return action_adapter.validate_python(data)


def _problem(**changes: Any) -> str:
    with pytest.raises(ValidationError) as refused:
        _action(**changes)
    return str(refused.value)


def test_published_on_may_be_left_out_when_every_source_is_dated_and_is_then_the_earliest() -> None:
    action = _action(published_on=None)

    assert action.published_on == d("2019-05-16")
    assert action.source_dates() == (d("2019-05-16"), d("2019-05-21"))
    assert [s.kind for s in action.sources] == ["public_inspection", "federal_register"]


def test_published_on_given_must_equal_the_earliest_source_date() -> None:
    assert _action(published_on="2019-05-16").published_on == d("2019-05-16")
    assert "published_on 2019-05-15 must equal the earliest source date (2019-05-16)" in _problem(
        published_on="2019-05-15")


def test_a_source_dated_before_the_actions_published_on_is_refused_naming_both() -> None:
    problem = _problem(published_on="2019-05-21", sources=[REGISTER, INSPECTION])

    assert "sources[2].published_on 2019-05-16 is before the action's published_on 2019-05-21" in problem


def test_without_published_on_an_undated_source_leaves_the_action_undated() -> None:
    assert "published_on" in _problem(published_on=None, sources=[INSPECTION, src("84 FR 22961")])


def test_a_source_kind_is_one_of_the_six_and_undated_sources_keep_their_stored_bytes() -> None:
    assert "kind" in _problem(sources=[src(kind="blog")])
    old = action_adapter.validate_python(listed(published="2019-05-21"))

    assert old.sources[0].published_on is None
    assert old.sources[0].kind is None
    assert '"kind":"other"' not in old.canonical()
    assert old.canonical().count("published_on") == 1
    assert old.source_dates() == (d("2019-05-21"),)


def test_what_the_ledger_stores_is_read_back_without_the_date_checks() -> None:
    data = {**listed(published="2019-05-21"), "sources": [INSPECTION]}

    assert action_adapter.validate_python(data, context=STORED).source_dates() == (d("2019-05-16"),)


def test_a_sources_date_is_corrected_by_replacing_the_sources() -> None:
    action = _action(published_on=None)
    moved = {"sources": [{**INSPECTION, "published_on": "2019-05-17"}, REGISTER], "published_on": "2019-05-17"}
    corrected = apply_fields(action, moved, as_input=True)

    assert corrected.source_dates() == (d("2019-05-17"), d("2019-05-21"))
    with pytest.raises(CorrectionError, match=r"sources\[1\]\.published_on 2019-05-10 is before the action's"):
        apply_fields(action, {"sources": [{**INSPECTION, "published_on": "2019-05-10"}, REGISTER]}, as_input=True)


def _book(*sources: dict[str, Any]) -> Book:
    book = Book()
    data = {k: v for k, v in listed(effective="2019-05-16", sources=list(sources)).items() if k != "published_on"}
    book.record({**data, "id": "el-huawei"})
    return book


def _labels(item: Any) -> list[str]:
    return [c.label() for c in item.citations]


def test_an_action_is_visible_through_its_earliest_source_and_cites_only_what_was_public_by_p() -> None:
    book = _book(INSPECTION, REGISTER)

    assert book.entry("2019-05-17", published_by="2019-05-15") is None
    early = book.entry("2019-05-17", published_by="2019-05-16")
    assert early.status == "in_force"
    assert early.listed_on == d("2019-05-16")
    assert _labels(early) == ["Public inspection 2019-10616"]
    assert [(c.published_on, c.kind) for c in early.citations] == [(d("2019-05-16"), "public_inspection")]
    assert _labels(book.entry("2019-05-17", published_by="2019-05-20")) == ["Public inspection 2019-10616"]
    assert _labels(book.entry("2019-05-21", published_by="2019-05-21")) == ["Public inspection 2019-10616",
                                                                            "84 FR 22961"]
    assert _labels(book.entry("2019-05-21")) == ["Public inspection 2019-10616", "84 FR 22961"]


def test_a_press_source_makes_the_action_visible_earlier_at_its_tier_only() -> None:
    book = _book(PRESS, INSPECTION, REGISTER)

    early = book.entry("2019-05-15", published_by="2019-05-15")
    assert early.status == "pending"
    assert early.reliability == "attributed"
    assert _labels(early) == ["Reuters, 2019-05-15"]
    assert early.listed_on == d("2019-05-16")
    assert book.entry("2019-05-15", published_by="2019-05-15", tier="official") is None
    assert book.entry("2019-05-16", published_by="2019-05-15", tier="official") is None
    official = book.entry("2019-05-16", published_by="2019-05-16", tier="official")
    assert official.reliability == "official"
    assert _labels(official) == ["Public inspection 2019-10616"]
    later = book.entry("2019-05-16", published_by="2019-05-16")
    assert later.reliability == "official"
    assert _labels(later) == ["Reuters, 2019-05-15", "Public inspection 2019-10616"]


def test_pending_is_read_from_the_earliest_visible_source() -> None:
    book = Book()
    book.record({k: v for k, v in listed(effective="2019-05-20", sources=[INSPECTION, REGISTER]).items()
                 if k != "published_on"})

    assert book.entry("2019-05-16", published_by="2019-05-16").status == "pending"
    assert book.entry("2019-05-15") is None
    assert book.entry("2019-05-16", published_by="2019-05-15") is None
    assert book.entry("2019-05-19", published_by="2019-05-16", tier="official").status == "pending"
    assert book.entry("2019-05-20", published_by="2019-05-16").status == "in_force"


@pytest.mark.parametrize("published_by", ["2019-05-15", "2019-05-16", "2019-05-20", "2019-05-21", None])
@pytest.mark.parametrize("tier", [None, "official"])
def test_no_answer_cites_a_source_dated_after_p(published_by: str | None, tier: str | None) -> None:
    book = _book(PRESS, INSPECTION, REGISTER)
    query = Query(d("2019-06-01"), d(published_by) if published_by else None, None,
                  Reliability(tier) if tier else None)
    subjects = tuple(group_by_subject(book.entries))
    answers = [book.state("2019-06-01", published_by=published_by, tier=tier),
               diff(book.entries, query, d("2019-05-01"), d("2019-06-01")),
               history(book.entries, subjects, query)]

    for answer in answers:
        assert_cites_nothing_after(answer, query.published_by)
    expected = {"2019-05-15": 1, "2019-05-16": 2, "2019-05-20": 2, "2019-05-21": 3, None: 3}[published_by]
    if tier == "official":
        expected = {"2019-05-15": 0, "2019-05-16": 1, "2019-05-20": 1, "2019-05-21": 2, None: 2}[published_by]
    assert len(answers[2].items[0].citations if answers[2].items else ()) == expected


def test_a_seen_action_is_the_action_itself_when_every_source_counts() -> None:
    action = _action(published_on=None)
    entry = Entry(1, RUN, action)

    assert Query(d("2019-06-01")).sees(entry, action) is action
    seen = Query(d("2019-06-01"), d("2019-05-16")).sees(entry, action)
    assert seen is not None
    assert seen.published_on == d("2019-05-16")
    assert len(seen.sources) == 1
