"""Stores pydantic events as canonical JSON, and reads them back as the same frozen models.

A stored event's state is the event without its originator id and version (the store keeps those), with empty
optional fields left out, keys sorted. An event class may declare `class_version` and `upcast_vN_vN+1` static
methods: they run on the stored state before it is validated.

Stored events are read leniently: they are validated with the `STORED` context, which skips the checks that apply
to input only (control characters in text, numbers JSON cannot carry exactly), so that a ledger written before a
check existed still opens.
"""

from __future__ import annotations

import json
from typing import Any
from uuid import uuid4

from eventsourcing.persistence import JSONTranscoder, Mapper, StoredEvent
from eventsourcing.utils import get_topic, resolve_topic

from regledger.domain import canonical_json
from regledger.domain.actions import ActionBase
from regledger.domain.events import DomainEvent
from regledger.domain.values import STORED

__all__ = ["PydanticMapper"]

_IDENTITY = {"originator_id", "originator_version"}
_WITHOUT_ACTION = {*_IDENTITY, "action"}
_HOLE = f"regledger-action-{uuid4().hex}"  # stands in for the action's JSON while the rest is encoded


class PydanticMapper(Mapper[Any]):
    """Maps `domain.events.DomainEvent` models to and from stored events."""

    def __init__(self) -> None:
        super().__init__(transcoder=JSONTranscoder())

    def to_stored_event(self, domain_event: Any) -> StoredEvent:
        assert isinstance(domain_event, DomainEvent), type(domain_event)
        spliced = _spliced_action(domain_event)
        state = domain_event.model_dump(mode="json", exclude=_WITHOUT_ACTION if spliced else _IDENTITY,
                                        exclude_none=True)
        class_version = getattr(type(domain_event), "class_version", 1)
        if class_version > 1:
            state["class_version"] = class_version
        if spliced is not None:  # the action's canonical JSON is already made (for its hash): put it in as it is
            state["action"] = _HOLE
            encoded = canonical_json(state).replace(f'"{_HOLE}"', spliced.canonical(), 1)
        else:
            encoded = canonical_json(state)
        return StoredEvent(
            originator_id=domain_event.originator_id,
            originator_version=domain_event.originator_version,
            topic=get_topic(type(domain_event)),
            state=encoded.encode(),
        )

    def to_domain_event(self, stored_event: StoredEvent) -> Any:
        cls = resolve_topic(stored_event.topic)
        state: dict[str, Any] = json.loads(stored_event.state)
        from_version = state.pop("class_version", 1)
        for version in range(from_version, getattr(cls, "class_version", 1)):
            getattr(cls, f"upcast_v{version}_v{version + 1}")(state)
        state["originator_id"] = stored_event.originator_id
        state["originator_version"] = stored_event.originator_version
        return cls.model_validate(state, context=STORED)


def _spliced_action(event: DomainEvent) -> ActionBase | None:
    """The event's action when its `action` field is declared as exactly the action's class, so that the event's
    JSON holds the action's own canonical JSON (a wider declaration could serialise it differently); else None."""
    action = getattr(event, "action", None)
    if not isinstance(action, ActionBase):
        return None
    field = type(event).model_fields.get("action")
    return action if field is not None and field.annotation is type(action) else None
