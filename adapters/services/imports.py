"""Imports of public sources as actions: Federal Register documents (`FederalRegisterRun`) and screening-list
snapshots (`import_screening_list`), each with a dry run that stores nothing and previews what would change.

Each file is one transaction: a bad file is refused whole (its refusal names the file, the record and the field)
while the other files are still imported. Imports write: call them on stores opened with `write=True` (`WRITES`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Final

from regledger.adapters.errors import RegledgerError
from regledger.adapters.importers import FederalRegisterImport, import_snapshot, read_documents, read_links
from regledger.adapters.importers.federal_register import Read
from regledger.adapters.importers.preview import preview
from regledger.adapters.progress import Progress, silent
from regledger.adapters.store.ledger import Ledger, Located, RecordResult
from regledger.adapters.wiring import Stores
from regledger.domain.measure import measure_id

__all__ = [
    "WRITES",
    "FederalRegisterOptions",
    "FederalRegisterRun",
    "Imported",
    "import_screening_list",
    "read_links",  # a links file: document number or RIN → measure key
]

WRITES: Final = True


@dataclass(frozen=True)
class Imported:
    """What an import run did (or, in a dry run, would do)."""

    dry_run: bool
    recorded: int = 0  # actions recorded (or that would be)
    skipped: int = 0  # actions skipped as already recorded
    refusals: tuple[str, ...] = ()  # why each refused file was refused (nothing of it is recorded)
    preview: str | None = None  # a dry run's memo of what recording would change
    not_recorded: tuple[str, ...] = ()  # documents that record nothing, and why
    lists: tuple[str, ...] = ()  # a snapshot's lists: entries, and what was listed, amended and delisted
    imported_before: bool = False  # the very snapshot had been imported before: nothing to do

    @property
    def refused(self) -> int:
        """How many files were refused."""
        return len(self.refusals)


@dataclass(frozen=True)
class FederalRegisterOptions:
    """How Federal Register documents become actions: linked to one `measure`, or through `links` (document number
    or RIN → measure key), else each its own measure; `dry_run` stores nothing."""

    measure: str | None = None
    links: Mapping[str, str] = field(default_factory=dict)
    dry_run: bool = False


class FederalRegisterRun:
    """One import of Federal Register API files: `add` each file (recorded in its own transaction, or in a dry run
    validated after the files accepted before it, as a real run would see them), then `finish`."""

    def __init__(self, stores: Stores, options: FederalRegisterOptions) -> None:
        self.ledger, self.options = stores.ledger, options
        self.importer = FederalRegisterImport(
            measure_known=lambda key: self.ledger.knows(measure_id(key)),
            recorded=lambda action_id: _recorded_data(self.ledger, action_id),
            measure=options.measure, links=dict(options.links),
        )
        self.recorded, self.skipped = 0, 0
        self.refusals: list[str] = []
        self.accepted: list[Located] = []

    def add(self, path: Path, progress: Progress = silent) -> str | None:
        """Import the documents of one file; why it was refused (nothing of it recorded), or None.

        `progress("documents", read, total)` hears how many documents the file holds once they are read."""
        try:
            located = self.importer.actions(_documents(path, progress))
            result, before = self._record(located)
        except RegledgerError as error:
            self.importer.keep(False)
            self.refusals.append(str(error))
            return str(error)
        self.importer.keep(True)
        self.recorded += result.recorded - (before.recorded if before else 0)
        self.skipped += result.skipped - (before.skipped if before else 0)
        if self.options.dry_run:
            self.accepted.extend(located)
        return None

    def _record(self, located: list[Located]) -> tuple[RecordResult, RecordResult | None]:
        """Record `located` (in a dry run: validate it after the accepted files); also, in a dry run, what the
        accepted files alone would record, to count this file's share."""
        if not self.options.dry_run:
            return self.ledger.record(located), None
        before = self.ledger.record(self.accepted, dry_run=True) if self.accepted else None
        return self.ledger.record([*self.accepted, *located], dry_run=True), before

    def finish(self) -> Imported:
        """What the run did; a dry run's preview of what recording the accepted files would change."""
        shown = preview(self.ledger, self.accepted) if self.options.dry_run and self.accepted else None
        return Imported(self.options.dry_run, self.recorded, self.skipped, tuple(self.refusals), shown,
                        tuple(self.importer.not_applicable))


def _documents(path: Path, progress: Progress) -> list[Read]:
    """The documents of the file at `path`, their number told to `progress` once they are read."""
    reads = read_documents(path)
    progress("documents", len(reads), len(reads))
    return reads


def _recorded_data(ledger: Ledger, action_id: str) -> dict[str, Any] | None:
    """The recorded action with `action_id` as data (as written), or None."""
    action = ledger.find_action(action_id)
    return action.as_data() if action is not None else None


def import_screening_list(stores: Stores, path: Path, day: date, *, dry_run: bool = False,
                          progress: Progress = silent) -> Imported:
    """Import the Consolidated Screening List snapshot at `path` as published on `day` (a refused file is reported
    in `refusals`); a dry run previews the changes as of `day`, published by `day`."""
    try:
        done = import_snapshot(stores.ledger, path, day, dry_run=dry_run, progress=progress)
    except RegledgerError as error:
        return Imported(dry_run, refusals=(str(error),))
    shown = preview(stores.ledger, done.located, day, day) if dry_run and done.result is not None else None
    return Imported(dry_run, done.recorded, done.skipped, preview=shown, lists=tuple(done.lines()),
                    imported_before=done.result is None)
