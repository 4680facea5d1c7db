"""`why_nothing_visible`: the evidence alone shows an empty state only where nothing was recorded by T or published
by P (corrections included); wherever it says so, the fold's state is empty, and its first note is `explain`'s."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from regledger.projections import state_as_of
from regledger.projections.explain import EntriesEvidence, explain, why_nothing_visible
from tests.unit.fold_kit import RUN, Book, listed
from tests.unit.views_kit import histories, queries


def test_a_time_before_the_first_recording_and_a_day_before_the_first_publication_show_nothing() -> None:
    book = Book()
    book.record(listed("huawei", "2019-05-16", "2019-05-21"))
    evidence = EntriesEvidence(book.entries)

    before_the_first_recording = book.state("2019-06-01", known_at=RUN - timedelta(seconds=1)).query

    assert why_nothing_visible(evidence, before_the_first_recording) is not None
    assert why_nothing_visible(evidence, book.state("2019-06-01", published_by="2019-05-20").query) is not None
    assert why_nothing_visible(evidence, book.state("2019-06-01", published_by="2019-05-21").query) is None
    assert book.state("2019-05-01").is_empty
    assert why_nothing_visible(evidence, book.state("2019-05-01").query) is None  # empty, but the rows tell it


def test_a_correction_that_moves_a_publication_earlier_is_seen() -> None:
    """The action as written is published after P; its correction, published by P, moves it to P: visible."""
    book = Book()
    book.record(listed("huawei", "2020-01-01", "2020-01-02", id="a0"),
                {"kind": "correction", "corrects": "a0", "fields": {"published_on": "2020-01-01"}, "id": "x0",
                 "published_on": "2020-01-01", "sources": [{"citation": "fix", "reliability": "official"}]})
    query = book.state("2020-01-02", published_by="2020-01-01").query

    assert why_nothing_visible(EntriesEvidence(book.entries), query) is None
    assert not book.state("2020-01-02", published_by="2020-01-01").is_empty


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_where_the_evidence_shows_nothing_the_fold_finds_nothing(data: st.DataObject) -> None:
    history = data.draw(histories(dated=True), label="history")
    entries = history.entries()
    query = data.draw(queries(history), label="query")

    if why_nothing_visible(EntriesEvidence(entries), query) is not None:
        state = state_as_of(entries, query)
        assert state.is_empty
        assert state.notes == explain(EntriesEvidence(entries), query)
