"""ActionIndex: one stream per action id (or content hash), so that the same action is recorded once.

Two writers recording the same action both try to create its index stream; the store lets one win and the other
reloads and finds it recorded. The index also says which subject holds the action, for corrections.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any
from uuid import UUID

from .actions import Action, ActionBase
from .events import InitEvent, SubjectAggregate, natural_id

__all__ = ["ActionIndex", "index_id", "index_key"]


def index_key(action: ActionBase) -> str:
    """The action's id, else `sha256:` and its content hash."""
    return action.id if action.id is not None else f"sha256:{action.content_hash()}"


@lru_cache(maxsize=1 << 16)  # a record run asks for each id more than once (to load ahead, to check, to create)
def index_id(key: str) -> Any:
    """The deterministic id of the index stream of an action id or content hash."""
    return natural_id(f"/actions/{key}")


class ActionIndex(SubjectAggregate):
    """Where an action was recorded, and a hash of its content."""

    class Registered(InitEvent):
        """An action was recorded for the first time."""

        key: str
        content_hash: str
        subject_id: UUID
        kind: str

    def __init__(self, key: str, content_hash: str, subject_id: UUID, kind: str) -> None:
        self.key = key
        self.content_hash = content_hash
        self.subject_id = subject_id
        self.kind = kind

    @classmethod
    def register(cls, action: Action, subject_id: UUID) -> ActionIndex:
        """The index entry of `action`, recorded on the subject `subject_id`."""
        key = index_key(action)
        return cls._create(
            cls.Registered, id=index_id(key), key=key, content_hash=action.content_hash(),
            subject_id=subject_id, kind=action.kind,
        )
