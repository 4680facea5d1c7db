"""RecordRun: actions validated against the stored ledger and the run so far, duplicates skipped, errors named."""

from __future__ import annotations

from typing import Any

import pytest

from regledger.domain import ActionIndex, HistoryError, Listing, Measure, Meeting, Party, Position
from regledger.domain.actions import Action
from regledger.domain.errors import (
    DuplicateActionError,
    NotListedError,
    UnknownActionError,
    UnknownSubjectError,
)
from regledger.domain.index import index_id, index_key
from regledger.domain.listing import listing_id
from regledger.domain.measure import measure_id
from regledger.domain.meeting import meeting_id
from regledger.domain.party import party_id
from regledger.domain.position import position_id

from .domain_kit import FIRST_RUN, FakeStore, act

HUAWEI = listing_id("us-bis-entity-list", "huawei")


def listed(**fields: Any) -> Action:
    return act("entity_listed", id="huawei-listing", **fields)


@pytest.fixture
def store() -> FakeStore:
    return FakeStore()


# -- what a run records -----------------------------------------------------------------------------------------


def test_a_run_registers_the_party_the_listing_and_the_index(store: FakeStore) -> None:
    run = store.record(listed())

    assert (run.recorded, run.skipped) == (1, 0)
    assert {type(a) for a in store.saved} == {Party, Listing, ActionIndex}
    assert store.get(party_id("huawei")).name == "Huawei Technologies Co., Ltd."
    assert [e.action for e in store.get(HUAWEI).entries] == [listed()]
    assert store.get(index_id("huawei-listing")).subject_id == HUAWEI


def test_every_event_of_a_run_carries_the_runs_time(store: FakeStore) -> None:
    store.record(listed(), act("measure_adopted"))

    stamps = {event.timestamp for events in store.events.values() for event in events}

    assert stamps == {FIRST_RUN.replace(day=1)}


def test_a_run_validates_each_action_against_those_before_it_in_the_run(store: FakeStore) -> None:
    run = store.record(listed(), act("entity_delisted", on="2020-01-01"))

    assert run.recorded == 2
    assert len(store.get(HUAWEI).entries) == 2


def test_a_run_validates_against_the_stored_ledger(store: FakeStore) -> None:
    store.record(listed(on="2019-05-16"))

    with pytest.raises(NotListedError) as caught:
        store.record(act("entity_delisted", on="2019-05-01"))

    assert caught.value.field == "party.key"


def test_a_run_checks_actions_in_the_order_given_not_in_legal_order(store: FakeStore) -> None:
    # The delisting comes first in the run; the listing it needs, though effective earlier, is not yet there.
    delisting = act("entity_delisted", on="2020-01-01", party={"key": "huawei", "name": "Huawei"})

    with pytest.raises(NotListedError):
        store.record(delisting, listed(on="2019-05-16"))


def test_a_later_run_extends_the_stored_subject(store: FakeStore) -> None:
    store.record(listed())

    store.record(act("entity_delisted", on="2020-01-01"))

    assert [e.action.kind for e in store.get(HUAWEI).entries] == ["entity_listed", "entity_delisted"]


def test_a_later_mention_of_a_party_with_a_new_alias_describes_it(store: FakeStore) -> None:
    store.record(listed())

    store.record(act("entry_amended", on="2019-08-19", party={"key": "huawei", "aliases": ["華為"]}))

    party = store.get(party_id("huawei"))
    assert (party.aliases, party.version) == (("華為",), 2)


def test_a_measure_and_a_meeting_each_get_their_stream(store: FakeStore) -> None:
    store.record(act("measure_adopted"), act("meeting_scheduled"))

    assert isinstance(store.get(measure_id("tgl-huawei")), Measure)
    assert isinstance(store.get(meeting_id("huawei-interagency")), Meeting)


# -- skipping what was recorded -----------------------------------------------------------------------------------


def test_the_same_action_with_the_same_id_in_a_later_run_is_skipped(store: FakeStore) -> None:
    store.record(listed())
    stored = {key: len(events) for key, events in store.events.items()}

    run = store.record(listed())

    assert (run.recorded, run.skipped, store.saved) == (0, 1, [])
    assert {key: len(events) for key, events in store.events.items()} == stored


def test_the_same_action_twice_in_one_run_is_recorded_once(store: FakeStore) -> None:
    run = store.record(listed(), listed())

    assert (run.recorded, run.skipped) == (1, 1)
    assert len(store.get(HUAWEI).entries) == 1


def test_the_same_content_without_an_id_is_skipped(store: FakeStore) -> None:
    store.record(act("entity_listed"))

    run = store.record(act("entity_listed"))

    assert (run.recorded, run.skipped) == (0, 1)
    assert len(store.get(HUAWEI).entries) == 1


def test_other_content_without_an_id_is_recorded(store: FakeStore) -> None:
    store.record(act("entity_listed"))

    run = store.record(act("entity_listed", on="2019-08-19"))

    assert (run.recorded, run.skipped) == (1, 0)


def test_the_same_id_with_different_content_is_refused(store: FakeStore) -> None:
    store.record(listed())

    with pytest.raises(DuplicateActionError, match="id 'huawei-listing' was recorded before") as caught:
        store.record(listed(note="different"))

    assert caught.value.field == "id"


def test_the_same_id_with_different_content_in_one_run_is_refused(store: FakeStore) -> None:
    with pytest.raises(DuplicateActionError):
        store.record(listed(), listed(note="different"))


# -- unknown subjects and actions -----------------------------------------------------------------------------------


def test_a_correction_of_an_unknown_id_is_refused(store: FakeStore) -> None:
    store.record(listed())

    with pytest.raises(UnknownActionError, match="no action with id 'listing-2'") as caught:
        store.record(act("correction", corrects="listing-2"))

    assert caught.value.field == "corrects"


def test_a_retraction_of_an_unknown_id_is_refused(store: FakeStore) -> None:
    with pytest.raises(UnknownActionError) as caught:
        store.record(act("retraction", retracts="listing-2"))

    assert caught.value.field == "retracts"


@pytest.mark.parametrize(
    ("action", "field"),
    [
        (act("entity_listed", party={"key": "huawei"}), "party.name"),
        (act("measure_adopted", measure={"key": "tgl-huawei"}), "measure.title"),
        (act("meeting_scheduled", meeting={"key": "huawei-interagency"}), "meeting.title"),
    ],
    ids=["party", "measure", "meeting"],
)
def test_a_subject_first_named_without_its_name_or_title_is_refused(action: Action, field: str) -> None:
    with pytest.raises(UnknownSubjectError, match="appears for the first time") as caught:
        FakeStore().record(action)

    assert caught.value.field == field


def test_a_known_subject_needs_only_its_key(store: FakeStore) -> None:
    store.record(act("measure_adopted"))

    run = store.record(act("measure_amended", on="2019-08-19", expires_on="2019-11-18"))

    assert run.recorded == 1


def test_a_position_on_an_unknown_measure_is_refused(store: FakeStore) -> None:
    with pytest.raises(UnknownSubjectError, match="no measure 'fdpr-2020'") as caught:
        store.record(act("position_stated", topic=None, measure={"key": "fdpr-2020"}))

    assert caught.value.field == "measure.key"


def test_a_position_on_a_measure_recorded_earlier_in_the_run_is_accepted(store: FakeStore) -> None:
    adopted = act("measure_adopted", measure={"key": "fdpr-2020", "title": "Foreign direct product rule"})
    stance = act("position_stated", topic=None, measure={"key": "fdpr-2020"})

    store.record(adopted, stance)

    assert isinstance(store.get(position_id("us-dod", "measure:fdpr-2020")), Position)


def test_a_position_on_a_topic_needs_no_known_subject(store: FakeStore) -> None:
    store.record(act("position_stated"))

    assert isinstance(store.get(position_id("us-dod", "restrict-chip-sales-to-huawei")), Position)


def test_an_action_that_makes_an_earlier_recorded_one_impossible_is_refused(store: FakeStore) -> None:
    store.record(listed(), act("entity_delisted", id="delisting-1", on="2020-06-01"))

    with pytest.raises(HistoryError, match="action 'delisting-1' impossible"):
        store.record(act("entity_delisted", on="2020-01-01"))


# -- corrections and retractions -------------------------------------------------------------------------------------


def test_a_correction_is_routed_to_the_subject_of_the_action_it_corrects(store: FakeStore) -> None:
    store.record(listed())
    correction = act("correction", id="fix-1", corrects="huawei-listing", fields={"party.name": "Huawei"})

    store.record(correction)

    assert {a.id for a in store.saved} == {HUAWEI, index_id("fix-1")}
    assert isinstance(store.events[HUAWEI][-1], Listing.Corrected)
    assert store.get(index_id("fix-1")).subject_id == HUAWEI


def test_a_correction_in_the_same_run_as_its_action_is_routed_to_its_subject(store: FakeStore) -> None:
    measure = act("measure_adopted", id="tgl", expires_on="2019-08-19")

    store.record(measure, act("correction", corrects="tgl", fields={"expires_on": "2019-08-20"}))

    assert isinstance(store.events[measure_id("tgl-huawei")][-1], Measure.Corrected)


def test_a_correction_of_a_correction_is_routed_to_the_subject_of_the_first_action(store: FakeStore) -> None:
    store.record(listed(), act("correction", id="fix-1", corrects="huawei-listing", fields={"note": "first"}))

    store.record(act("correction", corrects="fix-1", fields={"fields.note": "second"}))

    assert [type(e) for e in store.events[HUAWEI][-2:]] == [Listing.Corrected, Listing.Corrected]


def test_a_retraction_is_routed_to_the_subject_of_the_action_it_retracts(store: FakeStore) -> None:
    store.record(act("meeting_scheduled", id="meeting-set"))

    store.record(act("retraction", retracts="meeting-set"))

    assert isinstance(store.events[meeting_id("huawei-interagency")][-1], Meeting.Retracted)


def test_a_correction_recorded_twice_is_skipped(store: FakeStore) -> None:
    correction = act("correction", corrects="huawei-listing", fields={"note": "fixed"})
    store.record(listed(), correction)

    run = store.record(correction)

    assert (run.recorded, run.skipped) == (0, 1)


def test_the_index_says_which_subject_holds_an_action_without_id(store: FakeStore) -> None:
    action = act("position_stated")

    store.record(action)

    index = store.get(index_id(index_key(action)))
    assert (index.subject_id, index.kind) == (position_id("us-dod", "restrict-chip-sales-to-huawei"), "position_stated")
