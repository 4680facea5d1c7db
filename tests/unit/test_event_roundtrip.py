"""Every event class of every aggregate goes through the store's mapper and comes back equal.

The event classes are discovered by walking the domain's aggregate classes, so a new event class (or aggregate)
without an example here fails `test_every_event_class_has_an_example`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from typing import Any
from uuid import UUID

import pytest

from regledger.adapters.store.mapper import PydanticMapper
from regledger.domain import (
    ActionIndex,
    ImportedSnapshot,
    Listing,
    ListSnapshot,
    Measure,
    Meeting,
    Party,
    Position,
    Subject,
    canonical_json,
)
from regledger.domain.actions import Action
from regledger.domain.events import DomainEvent, SubjectAggregate

from .domain_kit import FakeStore, act, source

ABSTRACT_AGGREGATES = {Subject}
ABSTRACT_EVENTS = {"Event", "Recorded"}  # bases of the events an aggregate triggers, never triggered themselves


def _subclasses(cls: type) -> Iterator[type]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def domain_aggregates() -> set[type]:
    """Every aggregate class the domain defines."""
    return {
        cls for cls in _subclasses(SubjectAggregate)
        if cls.__module__.startswith("regledger.domain.") and cls not in ABSTRACT_AGGREGATES
    }


def domain_event_classes() -> set[type]:
    """Every event class of every aggregate: the nested classes that subclass DomainEvent."""
    return {
        member
        for aggregate in domain_aggregates()
        for name in dir(aggregate)
        if isinstance(member := getattr(aggregate, name), type)
        and issubclass(member, DomainEvent)
        and name not in ABSTRACT_EVENTS
    }


def _name(cls: type) -> str:
    return cls.__qualname__


def the_story() -> list[Action]:
    """A timeline that triggers every event of every aggregate at least once."""
    fdpr = {"key": "fdpr-2020", "title": "Foreign direct product rule amendment"}
    return [
        # Listing and Party
        act("listing_announced", on="2019-05-15", sources=[source(None, "statement", title="BIS press release")],
            party={"key": "huawei", "name": "Huawei Technologies Co., Ltd.", "affiliate_of": None}),
        act("entity_listed", id="listing-1", details={"license_requirement": "all items subject to the EAR"},
            party={"key": "huawei", "name": "Huawei Technologies Co., Ltd.", "aliases": ["華為"], "country": "CN",
                   "addresses": ["Bantian, Longgang District, Shenzhen"]}),
        act("entry_amended", id="amendment-1", on="2019-08-19", details={"license_policy": "presumption of denial"},
            party={"key": "huawei", "name": "Huawei Technologies Co., Ltd", "aliases": ["Huawei Tech"]}),
        act("entity_delisted", on="2021-01-01", note="fictional, for the round trip"),
        act("correction", corrects="listing-1", fields={"note": None, "party.name": "Huawei Technologies Co. Ltd"},
            sources=[source("84 FR 25435")]),
        act("retraction", retracts="amendment-1", reason="recorded twice"),
        # Measure
        act("measure_proposed", id="proposal-1", on="2019-05-20", measure=fdpr, comments_close_on="2019-06-20",
            parameters={"de_minimis_percent": "25"}),
        act("comment_period_opened", on="2019-07-01", measure={"key": "fdpr-2020"}, comments_close_on="2019-07-31"),
        act("measure_adopted", id="fdpr-adopted", on="2020-05-15", measure={"key": "fdpr-2020"},
            expires_on="2020-08-13",
            parameters={"foreign_direct_product_footnote": "footnote 1", "wind_down_ends_on": "2020-09-14",
                        "entries_designated": "38", "scope_note": "semiconductors"}),
        act("measure_amended", on="2020-08-13", measure={"key": "fdpr-2020"}, expires_on="2020-11-13",
            title="Foreign direct product rule, expanded"),
        act("measure_expired", on="2020-11-14", measure={"key": "fdpr-2020"}),
        act("measure_withdrawn", on="2021-01-01", measure={"key": "fdpr-2020"}),
        act("correction", corrects="fdpr-adopted", fields={"parameters.entries_designated": "39"}),
        act("retraction", retracts="proposal-1", reason="a different rule"),
        act("measure_announced", on="2019-12-01", measure={"key": "de-minimis-draft", "title": "Draft de minimis rule"},
            applies_to=["huawei"], include_affiliates=True, parameters={"de_minimis_percent": "10"}),
        act("measure_drafted", on="2020-01-14", measure={"key": "de-minimis-draft"}),
        act("measure_withdrawn", on="2020-01-24", measure={"key": "de-minimis-draft"}),
        act("measure_adopted", on="2019-05-20", measure={"key": "tgl", "title": "Temporary general license"},
            expires_on="2020-08-13", applies_to=["huawei"], include_affiliates=True),
        act("measure_revoked", on="2020-08-17", measure={"key": "tgl"}),
        # Meetings
        act("meeting_scheduled", id="meeting-set", on="2020-02-10", date="2020-02-28"),
        act("meeting_rescheduled", on="2020-02-20", date="2020-03-06"),
        act("meeting_postponed", on="2020-03-01"),
        act("meeting_held", on="2020-03-10", date="2020-03-10", outcome="no decision"),
        act("meeting_scheduled", on="2020-02-10", meeting={"key": "second-meeting", "title": "A second meeting"},
            date="2020-04-01"),
        act("meeting_cancelled", id="cancelled-1", on="2020-03-20", meeting={"key": "second-meeting"}),
        act("correction", corrects="meeting-set", fields={"date": "2020-02-27"}),
        act("retraction", retracts="cancelled-1", reason="the report was wrong"),
        # Positions
        act("position_stated", id="stance-1", on="2020-02-14", actor_name="Department of Defense",
            sources=[source(None, "anonymous", url="https://example.org/report")], certainty="likely"),
        act("position_stated", id="stance-2", on="2020-05-15", topic=None, measure={"key": "fdpr-2020"},
            stance="supports"),
        act("correction", corrects="stance-1", fields={"stance": "undecided"}),
        act("retraction", retracts="stance-2", reason="misattributed"),
    ]


@pytest.fixture(scope="module")
def store() -> FakeStore:
    store = FakeStore()
    store.record(*the_story())
    snapshot = ListSnapshot.register("us-bis-entity-list")  # a screening-list import, saved beside its actions
    snapshot.take(ImportedSnapshot(date(2019, 6, 3), "0" * 64, entries=3, listed=2, amended=1, delisted=0))
    store.events[snapshot.id] = list(snapshot.collect_events())  # type: ignore[arg-type]
    return store


@pytest.fixture(scope="module")
def examples(store: FakeStore) -> dict[type, DomainEvent]:
    """The first stored event of each class."""
    found: dict[type, DomainEvent] = {}
    for events in store.events.values():
        for event in events:
            found.setdefault(type(event), event)
    return found


@pytest.fixture(scope="module")
def mapper() -> PydanticMapper:
    return PydanticMapper()


def round_trip(mapper: PydanticMapper, event: Any) -> Any:
    return mapper.to_domain_event(mapper.to_stored_event(event))


def test_the_walk_finds_every_aggregate() -> None:
    assert domain_aggregates() >= {Listing, Measure, Meeting, Position, Party, ActionIndex, ListSnapshot}


def test_every_event_class_has_an_example(examples: dict[type, DomainEvent]) -> None:
    assert sorted(map(_name, examples)) == sorted(map(_name, domain_event_classes()))


@pytest.mark.parametrize("event_class", sorted(domain_event_classes(), key=_name), ids=_name)
def test_an_event_comes_back_from_the_store_equal(
    event_class: type, examples: dict[type, DomainEvent], mapper: PydanticMapper
) -> None:
    event = examples[event_class]

    restored = round_trip(mapper, event)

    assert type(restored) is event_class
    assert restored == event
    assert restored.timestamp.utcoffset() is not None


@pytest.mark.parametrize("event_class", sorted(domain_event_classes(), key=_name), ids=_name)
def test_an_event_is_stored_as_the_canonical_json_of_its_whole_state(
    event_class: type, examples: dict[type, DomainEvent], mapper: PydanticMapper
) -> None:
    """The mapper splices an action's cached canonical JSON into its event: the bytes must be those of encoding the
    whole event at once (the hash chain and every stored ledger depend on them)."""
    event = examples[event_class]
    whole = event.model_dump(mode="json", exclude={"originator_id", "originator_version"}, exclude_none=True)

    stored = mapper.to_stored_event(event)

    assert stored.state == canonical_json(whole).encode()


def test_a_stored_event_leaves_its_identity_to_the_store(examples: dict[type, DomainEvent],
                                                         mapper: PydanticMapper) -> None:
    stored = mapper.to_stored_event(examples[Listing.Listed])

    state = json.loads(stored.state)

    assert stored.topic == "regledger.domain.listing:Listing.Listed"
    assert "originator_id" not in state
    assert "originator_version" not in state
    assert state["action"]["party"]["name"] == "Huawei Technologies Co., Ltd."


def test_a_correction_to_null_survives_the_round_trip(examples: dict[type, DomainEvent],
                                                      mapper: PydanticMapper) -> None:
    corrected = round_trip(mapper, examples[Listing.Corrected])

    assert corrected.action.fields["note"] is None


def test_typed_parameters_come_back_typed(examples: dict[type, DomainEvent], mapper: PydanticMapper) -> None:
    adopted = round_trip(mapper, examples[Measure.Adopted])

    assert adopted.action.parameters == examples[Measure.Adopted].action.parameters  # type: ignore[attr-defined]
    assert adopted.action.parameters["entries_designated"] == 38


def test_every_stream_replays_from_the_store_to_the_same_aggregate(store: FakeStore, mapper: PydanticMapper) -> None:
    def replay(events: list[Any]) -> Any:
        aggregate = None
        for event in events:
            aggregate = event.mutate(aggregate)
        return aggregate

    for stream, events in store.events.items():
        original = replay(events)
        restored = replay([round_trip(mapper, e) for e in events])

        assert (type(restored), restored.id, restored.version) == (type(original), UUID(str(stream)), original.version)
        assert vars(restored) == vars(original)
