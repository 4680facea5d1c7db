"""`regledger import screening-list`: a Consolidated Screening List snapshot as published on a day becomes listing
actions, recorded in one transaction together with the import itself (a `ListSnapshot` event per covered list).

- The snapshot is read whole first (`screening_read`): any bad entry refuses the file.
- The very snapshot imported before (same date, same content, for every list it covers) adds nothing.
- A snapshot older than the newest one imported for any list it covers is refused.
- Otherwise it is compared with the ledger as of its date, published by its date (`screening_diff`), and the
  actions and the snapshot events are stored together, or nothing. Should another import of one of the lists be
  stored meanwhile, the file is refused (import it again).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from regledger.adapters.errors import InputError
from regledger.adapters.importers.screening_diff import PUBLISHER, Plan, ledger_view, plan
from regledger.adapters.importers.screening_read import SOURCES, Snapshot, read_snapshot
from regledger.adapters.progress import Progress, silent
from regledger.adapters.store.ledger import Ledger, Located, RecordResult
from regledger.domain import DomainError, ImportedSnapshot, ListSnapshot
from regledger.domain.events import SubjectAggregate
from regledger.domain.history import Entry
from regledger.domain.snapshot import snapshot_id

__all__ = ["PUBLISHER", "SOURCES", "SnapshotImport", "import_snapshot", "read_snapshot"]


@dataclass(frozen=True)
class SnapshotImport:
    """What importing a snapshot did (or, in a dry run, would do)."""

    snapshot: Snapshot
    result: RecordResult | None  # None when the snapshot had been imported before
    located: list[Located] = field(default_factory=list)
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    known: int = 0  # actions recorded by the earlier import of this very snapshot

    @property
    def recorded(self) -> int:
        """Actions recorded (or that would be)."""
        return self.result.recorded if self.result else 0

    @property
    def skipped(self) -> int:
        """Actions skipped as already recorded."""
        return self.result.skipped if self.result else self.known

    def lines(self) -> list[str]:
        """One line per list: its entries, and what was listed, amended and delisted."""
        return [f"{key}: {c['entries']} {'entry' if c['entries'] == 1 else 'entries'}; {c['listed']} listed, "
                f"{c['amended']} amended, {c['delisted']} delisted" for key, c in self.counts.items()]


def import_snapshot(ledger: Ledger, path: Path, day: date, *, dry_run: bool = False,
                    progress: Progress = silent) -> SnapshotImport:
    """Import the snapshot at `path` as published on `day` (see the module's docstring); InputError when refused.
    `progress` hears how many entries have been compared with the ledger (step `comparing FILE_NAME`)."""
    snapshot = read_snapshot(path)
    streams = {key: _stream(ledger, key) for key in snapshot.lists}
    earlier = [s.find(day, snapshot.digest) if s else None for s in streams.values()]
    if all(earlier):
        return SnapshotImport(snapshot, None, known=sum(e.recorded for e in earlier if e))
    for stream in streams.values():
        _check_order(path, stream, day)
    suffixes = {k: f"-{n + 1}" for k, s in streams.items() if s and (n := s.imports_on(day))}
    entries = [Entry(s.position, s.recorded_at, s.action) for s in ledger.stored_actions()]
    changes = plan(snapshot, ledger_view(entries, day, snapshot.lists), day, suffixes, progress)
    versions = {key: s.version if s else 0 for key, s in streams.items()}
    result = ledger.record(changes.located, dry_run=dry_run, also=_imported(snapshot, day, changes, versions))
    return SnapshotImport(snapshot, result, changes.located, changes.counts)


def _stream(ledger: Ledger, list_key: str) -> ListSnapshot | None:
    try:
        found: object = ledger.repository.get(snapshot_id(list_key))
    except AggregateNotFoundError:
        return None
    return found if isinstance(found, ListSnapshot) else None


def _check_order(path: Path, stream: ListSnapshot | None, day: date) -> None:
    if stream is None:
        return
    try:
        stream.check_not_older(day)
    except DomainError as error:
        raise InputError(f"{path}: --as-published: {error.message}") from None


def _imported(snapshot: Snapshot, day: date, changes: Plan, versions: dict[str, int]
              ) -> Callable[[Callable[[UUID], Any]], Sequence[SubjectAggregate]]:
    """Builds, on each try of the record run, the snapshot event of every covered list."""

    def build(load: Callable[[UUID], Any]) -> list[SubjectAggregate]:
        streams = []
        for list_key, counts in changes.counts.items():
            stream = load(snapshot_id(list_key))
            if (stream.version if stream else 0) != versions[list_key]:
                raise InputError(f"{snapshot.path}: {list_key}: another snapshot of this list was imported while "
                                 "this one was compared; import it again")
            stream = stream or ListSnapshot.register(list_key)
            _check_order(snapshot.path, stream, day)
            stream.take(ImportedSnapshot(day, snapshot.digest, counts["entries"], counts["listed"],
                                         counts["amended"], counts["delisted"]))
            streams.append(stream)
        return streams

    return build
