"""ListSnapshot: which snapshots of one control list were imported, so that they are taken in date order, once.

A screening-list snapshot (the Consolidated Screening List as published on a day) is compared with the ledger and
becomes listing actions; the stream of its list remembers the import even when it changed nothing. One stream per
list key, with a deterministic id, so that two writers importing at once collide and one of them retries.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from .errors import SnapshotOrderError
from .events import InitEvent, SubjectAggregate, natural_id

__all__ = ["ImportedSnapshot", "ListSnapshot", "snapshot_id"]


def snapshot_id(list_key: str) -> Any:
    """The deterministic id of the snapshot stream of a list."""
    return natural_id(f"/snapshots/{list_key}")


@dataclass(frozen=True)
class ImportedSnapshot:
    """One import: the snapshot's publication date, a digest of its content, and what it recorded for the list."""

    as_published: date
    digest: str
    entries: int
    listed: int
    amended: int
    delisted: int

    @property
    def recorded(self) -> int:
        """The number of actions the import recorded for the list."""
        return self.listed + self.amended + self.delisted


class ListSnapshot(SubjectAggregate):
    """The snapshots of one list imported so far, in the order they were imported (and so by date)."""

    class Registered(InitEvent):
        """The first snapshot of the list is being imported."""

        list_key: str

    class Imported(SubjectAggregate.Event):
        """A snapshot as published on `as_published` was imported: `entries` entries for the list, and the actions
        it recorded by kind."""

        as_published: date
        digest: str
        entries: int
        listed: int
        amended: int
        delisted: int

        def apply(self, aggregate: Any) -> None:
            aggregate.imports.append(ImportedSnapshot(
                self.as_published, self.digest, self.entries, self.listed, self.amended, self.delisted,
            ))

    def __init__(self, list_key: str) -> None:
        self.list_key = list_key
        self.imports: list[ImportedSnapshot] = []

    @classmethod
    def register(cls, list_key: str) -> ListSnapshot:
        """A new snapshot stream for `list_key`."""
        return cls._create(cls.Registered, id=snapshot_id(list_key), list_key=list_key)

    @property
    def newest(self) -> date | None:
        """The publication date of the newest snapshot imported, or None."""
        return max((i.as_published for i in self.imports), default=None)

    def find(self, as_published: date, digest: str) -> ImportedSnapshot | None:
        """The import of that very snapshot (same date, same content), unless a different snapshot of the same day
        was imported after it; else None."""
        last = next((i for i in reversed(self.imports) if i.as_published == as_published), None)
        return last if last is not None and last.digest == digest else None

    def imports_on(self, as_published: date) -> int:
        """How many different snapshots of that date were imported."""
        return sum(1 for i in self.imports if i.as_published == as_published)

    def check_not_older(self, as_published: date) -> None:
        """Refuse a snapshot older than the newest one imported for the list."""
        newest = self.newest
        if newest is not None and as_published < newest:
            raise SnapshotOrderError(
                f"{self.list_key}: a snapshot as published {as_published} is older than the snapshot as published "
                f"{newest} already imported; import snapshots in date order",
                "as_published",
            )

    def take(self, imported: ImportedSnapshot) -> None:
        """Record an import, after checking that it is not older than the newest one."""
        self.check_not_older(imported.as_published)
        self.trigger_event(
            self.Imported, as_published=imported.as_published, digest=imported.digest, entries=imported.entries,
            listed=imported.listed, amended=imported.amended, delisted=imported.delisted,
        )
