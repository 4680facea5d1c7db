"""Diffs by legal effect: list entries grouped by whether they are in force on each end of the window (whatever the
filters or tiers), and every status transition inside the window, in date order, each with its citations."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from regledger.domain.values import Reliability
from regledger.projections import Diff, Query, diff, group_by_subject, resolve_all, state_at
from regledger.projections.diff import Transition, listings_only
from regledger.projections.items import PositionView
from regledger.projections.sweep import items_of
from tests.unit.fold_kit import Book, adopted, amended, d, delisted, listed, position, src
from tests.unit.views_kit import BASE_DAY, histories, queries

LIST = "us-bis-entity-list"


def _diff(book: Book, start: str, end: str, *, tier: str | None = None) -> Diff:
    query = Query(d(end), None, None, Reliability(tier) if tier else None)
    return diff(book.entries, query, d(start), d(end))


def _groups(result: Diff) -> dict[str, list[str]]:
    changes = result.lists.get(LIST)
    return {name: [c.key for c in group] for name, group in changes.groups() if group} if changes else {}


def _moves(result: Diff) -> list[tuple[str, str, str, str | None, str | None]]:
    return [(t.on.isoformat(), t.kind, t.subject, t.before, t.after) for t in result.transitions]


def _cited(result: Diff, day: str) -> list[list[str | None]]:
    return [[c.citation for c in t.citations] for t in result.transitions if t.on == d(day)]


def _announced(party: str, published: str, **extra: Any) -> dict[str, Any]:
    return {"kind": "listing_announced", "list": LIST, "party": {"key": party}, "published_on": published,
            "sources": [src(f"press of {published}", "attributed", kind="press")], **extra}


def _revoked(key: str, effective: str, published: str, citation: str) -> dict[str, Any]:
    return {"kind": "measure_revoked", "measure": {"key": key}, "effective_on": effective, "published_on": published,
            "sources": [src(citation)]}


# -- list entries by legal effect ------------------------------------------------------------------------------------

PRESS = listed("huawei", "2019-05-16", "2019-05-15", sources=[src("Reuters, 2019-05-15", "attributed")])
RULE = listed("huawei", "2019-05-16", "2019-05-21", sources=[src("84 FR 22961")])


def test_an_entry_pending_on_the_first_day_and_in_force_on_the_last_is_added_whatever_the_tier() -> None:
    book = Book()
    book.record(PRESS, RULE)

    every_tier, official = _diff(book, "2019-05-15", "2019-05-21"), _diff(book, "2019-05-15", "2019-05-21",
                                                                          tier="official")

    assert _groups(every_tier) == _groups(official) == {"added": ["huawei"]}
    assert every_tier.lists[LIST].added[0].before.status == "pending"
    assert official.lists[LIST].added[0].before is None


def test_an_entry_announced_on_the_first_day_and_in_force_on_the_last_is_added() -> None:
    book = Book()
    book.record(_announced("huawei", "2019-05-15"), RULE)

    result = _diff(book, "2019-05-15", "2019-05-21")

    assert _groups(result) == {"added": ["huawei"]}
    assert _moves(result) == [("2019-05-16", "entry", f"{LIST}/huawei", "announced", "in_force")]
    assert _cited(result, "2019-05-16") == [["84 FR 22961"]]


def test_an_announcement_in_the_window_is_grouped_as_announced_and_cites_the_report() -> None:
    book = Book()
    book.record(_announced("huawei", "2019-05-15"))

    result = _diff(book, "2019-05-14", "2019-05-15")

    assert _groups(result) == {"announced": ["huawei"]}
    assert _moves(result) == [("2019-05-15", "entry", f"{LIST}/huawei", None, "announced")]
    assert _cited(result, "2019-05-15") == [["press of 2019-05-15"]]


def test_an_entry_in_force_on_both_ends_with_new_terms_is_amended() -> None:
    book = Book()
    book.record(listed("huawei", "2019-05-16", details={"license_policy": "case by case"}),
                {"kind": "entry_amended", "list": LIST, "party": {"key": "huawei"}, "effective_on": "2019-08-19",
                 "published_on": "2019-08-21", "details": {"license_policy": "presumption of denial"},
                 "sources": [src("84 FR 43493")]})

    result = _diff(book, "2019-06-01", "2019-09-01")

    assert _groups(result) == {"amended": ["huawei"]}
    assert result.transitions == ()  # in force throughout: no status changed


def test_a_delisting_in_the_window_is_removed_and_its_day_a_transition_to_removed() -> None:
    book = Book()
    book.record(listed("zte", "2018-04-15"), delisted("zte", "2018-07-13", sources=[src("83 FR 33407")]))

    result = _diff(book, "2018-07-01", "2018-08-01")

    assert _groups(result) == {"removed": ["zte"]}
    assert _moves(result) == [("2018-07-13", "entry", f"{LIST}/zte", "in_force", "removed")]
    assert _cited(result, "2018-07-13") == [["83 FR 33407"]]


def test_a_listing_published_in_the_window_to_take_effect_later_is_pending() -> None:
    book = Book()
    book.record(listed("huawei", "2019-06-01", "2019-05-21", sources=[src("84 FR 22961")]))

    result = _diff(book, "2019-05-01", "2019-05-25")

    assert _groups(result) == {"pending": ["huawei"]}
    assert _moves(result) == [("2019-05-21", "entry", f"{LIST}/huawei", None, "pending")]
    assert _cited(result, "2019-05-21") == [["84 FR 22961"]]


def test_a_delisting_published_in_the_window_to_take_effect_later_leaves_the_entry_pending() -> None:
    book = Book()
    book.record(listed("zte", "2018-04-15"), delisted("zte", "2018-07-13", "2018-07-02", sources=[src("83 FR 33407")]))

    result = _diff(book, "2018-07-01", "2018-07-05")

    assert _groups(result) == {"pending": ["zte"]}
    [change] = result.lists[LIST].pending
    assert change.after.status == "in_force"
    assert [c.citation for c in change.citations] == ["83 FR 33407"]  # the delisting published, not the listing
    assert result.transitions == ()


def test_a_pending_listing_coming_into_force_is_added() -> None:
    book = Book()
    book.record(listed("huawei", "2019-06-01", "2019-05-21"))

    result = _diff(book, "2019-05-25", "2019-06-01")

    assert _groups(result) == {"added": ["huawei"]}
    assert _moves(result) == [("2019-06-01", "entry", f"{LIST}/huawei", "pending", "in_force")]


def test_a_relisting_after_a_removal_starts_from_no_item() -> None:
    book = Book()
    book.record(listed("zte", "2018-04-15"), delisted("zte", "2018-07-13"), listed("zte", "2019-03-01"))

    result = _diff(book, "2018-07-01", "2019-03-01")

    assert _groups(result) == {"amended": ["zte"]}  # in force on both ends, listed since a later day
    assert _moves(result) == [("2018-07-13", "entry", f"{LIST}/zte", "in_force", "removed"),
                              ("2019-03-01", "entry", f"{LIST}/zte", None, "in_force")]


# -- measures, meetings, positions -----------------------------------------------------------------------------------

TGL = [adopted("tgl", "2019-05-20", "2019-05-22", expires_on="2019-08-19", sources=[src("84 FR 23468")]),
       amended("tgl", "2020-05-15", "2020-05-18", expires_on="2020-08-13", sources=[src("85 FR 29610")])]


def test_a_lapse_inside_the_window_shows_as_its_own_transition_before_the_revocation() -> None:
    book = Book()
    book.record(*TGL, _revoked("tgl", "2020-08-17", "2020-08-20", "85 FR 51596"))

    result = _diff(book, "2020-08-13", "2020-08-17")

    assert _moves(result) == [("2020-08-14", "measure", "tgl", "in_force", "expired"),
                              ("2020-08-17", "measure", "tgl", "expired", "revoked")]
    assert _cited(result, "2020-08-14") == [["84 FR 23468", "85 FR 29610"]]  # by dates alone: the item's own
    assert _cited(result, "2020-08-17") == [["85 FR 51596"]]
    [change] = result.measures
    assert (change.before.status, change.after.status) == ("in_force", "revoked")


def test_a_withdrawal_of_an_adopted_measure_reads_as_a_revocation() -> None:
    book = Book()
    book.record(*TGL, {"kind": "measure_withdrawn", "measure": {"key": "tgl"}, "effective_on": "2020-08-17",
                       "published_on": "2020-08-20", "sources": [src("85 FR 51596")]})

    result = _diff(book, "2020-08-13", "2020-08-17")

    assert [(t.on.isoformat(), t.after) for t in result.transitions] == [("2020-08-14", "expired"),
                                                                         ("2020-08-17", "revoked")]


def test_a_gap_closed_by_an_extension_shows_both_transitions_though_both_ends_are_in_force() -> None:
    book = Book()
    book.record(*TGL, amended("tgl", "2020-08-16", "2020-08-16", expires_on="2020-09-14", sources=[src("Ext.")]))

    result = _diff(book, "2020-08-13", "2020-08-20")

    assert _moves(result) == [("2020-08-14", "measure", "tgl", "in_force", "expired"),
                              ("2020-08-16", "measure", "tgl", "expired", "in_force")]
    assert _cited(result, "2020-08-16") == [["Ext."]]


def test_meetings_and_positions_have_transitions_and_a_restated_stance_has_none() -> None:
    book = Book()
    book.record(
        {"kind": "meeting_scheduled", "meeting": {"key": "cabinet", "title": "Cabinet"}, "date": "2020-02-28",
         "effective_on": "2020-02-05", "published_on": "2020-02-05", "sources": [src("Reuters", "anonymous")]},
        {"kind": "meeting_held", "meeting": {"key": "cabinet"}, "date": "2020-02-28", "effective_on": "2020-02-28",
         "published_on": "2020-02-29", "sources": [src("Politico", "attributed")]},
        position("opposes", "2020-01-24", "anonymous"), position("opposes", "2020-02-01", "attributed"),
        position("supports", "2020-02-12", "statement"),
    )

    result = _diff(book, "2020-01-01", "2020-03-01")

    assert _moves(result) == [
        ("2020-01-24", "position", "us-dod/restrict-huawei", None, "opposes"),
        ("2020-02-05", "meeting", "cabinet", None, "scheduled"),
        ("2020-02-12", "position", "us-dod/restrict-huawei", "opposes", "supports"),
        ("2020-02-28", "meeting", "cabinet", "scheduled", "held"),
    ]


def test_the_window_excludes_its_first_day_and_includes_its_last() -> None:
    book = Book()
    book.record(listed("a", "2019-05-16"), listed("b", "2019-05-21"))

    result = _diff(book, "2019-05-16", "2019-05-21")

    assert [t.subject for t in result.transitions] == [f"{LIST}/b"]


def test_transitions_of_one_day_are_in_subject_order() -> None:
    book = Book()
    book.record(listed("b", "2019-05-16"), adopted("m", "2019-05-16"), listed("a", "2019-05-16"))

    result = _diff(book, "2019-05-15", "2019-05-16")

    assert [t.subject for t in result.transitions] == [f"{LIST}/a", f"{LIST}/b", "m"]


def test_a_diff_with_only_transitions_is_not_empty() -> None:
    moved = Transition(d("2020-08-14"), "tgl", "measure", "in_force", "expired", ())

    result = Diff(Query(d("2020-08-20")), d("2020-08-13"), d("2020-08-20"), transitions=(moved,))

    assert not result.is_empty


def test_narrowing_to_listings_keeps_only_their_transitions_and_groups() -> None:
    book = Book()
    book.record(listed("a", "2019-05-16"), listed("b", "2019-05-16"), *TGL)

    narrowed = listings_only(_diff(book, "2019-05-15", "2019-06-01"), lambda _list, party: party == "a")

    assert _groups(narrowed) == {"added": ["a"]}
    assert [t.subject for t in narrowed.transitions] == [f"{LIST}/a"]
    assert [t.subject for t in narrowed.took_effect] == [f"{LIST}/a"]
    assert narrowed.measures == ()


# -- against brute force ---------------------------------------------------------------------------------------------


def _status(item: Any) -> str | None:
    if item is None:
        return None
    return item.stance if isinstance(item, PositionView) else item.status


def _day_by_day(entries: list[Any], query: Query, start: date, end: date) -> list[tuple[date, str, Any, Any]]:
    """The transitions as the fold's state on each day of the window against the day before gives them."""
    resolved = resolve_all(group_by_subject(entries), query)
    found = []
    day = start
    before = items_of(state_at(resolved, query.on(day)))
    while day < end:
        day += timedelta(days=1)
        after = items_of(state_at(resolved, query.on(day)))
        for subject in sorted({*before, *after}):
            was, now = _status(before.get(subject)), _status(after.get(subject))
            if subject[0] == "listing" and was == "in_force" and now is None:
                now = "removed"
            if was != now:
                found.append((day, "/".join(subject[1:]), was, now))
        before = after
    return found


@settings(deadline=None, max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_transitions_are_the_day_by_day_status_changes(data: st.DataObject) -> None:
    history = data.draw(histories(dated=True))
    query = data.draw(queries(history))
    first = BASE_DAY + timedelta(days=data.draw(st.integers(-2, 12)))
    last = first + timedelta(days=data.draw(st.integers(0, 14)))
    entries = history.entries()

    result = diff(entries, query, first, last)

    assert [(t.on, t.subject, t.before, t.after) for t in result.transitions] == _day_by_day(entries, query, first,
                                                                                              last)
    assert all(t.citations for t in result.transitions)


@settings(deadline=None, max_examples=100, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_list_groups_follow_from_the_two_ends_only(data: st.DataObject) -> None:
    history = data.draw(histories())
    query = data.draw(queries(history))
    first = BASE_DAY + timedelta(days=data.draw(st.integers(-2, 12)))
    last = first + timedelta(days=data.draw(st.integers(0, 14)))

    result = diff(history.entries(), query, first, last)

    for changes in result.lists.values():
        for name, group in changes.groups():
            for change in group:
                was = change.before is not None and change.before.status == "in_force"
                now = change.after is not None and change.after.status == "in_force"
                expected = {(False, True): "added", (True, False): "removed"}.get((was, now))
                assert name == expected or (expected is None and name in {"amended", "pending", "announced"})
                assert name != "amended" or (was and now)
