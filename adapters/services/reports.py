"""The reports a lawyer can file: a change log, a snapshot, a party dossier and a replay, as data.

Each returns the report's data (a JSON-ready dict, which `adapters.render.reports` renders as HTML, Markdown or
JSON) and the circumstances it was produced in: `asked` (how the shell was asked for it, e.g. the command line), the
ledger it read and the moment. Reports read only: call them on stores opened with `write=False` (`WRITES`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Final

from regledger.adapters.readmodels.source import stored_entries
from regledger.adapters.render.reports.changes import changes_report
from regledger.adapters.render.reports.data import Produced, produced_now, snapshot_report
from regledger.adapters.render.reports.party import party_report
from regledger.adapters.render.reports.replay import replay_report
from regledger.adapters.services.inputs import Axes, Window
from regledger.adapters.wiring import Stores
from regledger.projections import Query

__all__ = ["WRITES", "Report", "changes", "party", "replay", "snapshot"]

WRITES: Final = False


@dataclass(frozen=True)
class Report:
    """A report's data and the circumstances it was produced in."""

    data: dict[str, Any]
    produced: Produced

    @property
    def kind(self) -> str:
        """changes | snapshot | party | replay."""
        return str(self.data["report"])


def changes(stores: Stores, window: Window, axes: Axes, asked: str) -> Report:
    """The change log of `window` under `axes` (as of its end)."""
    produced = _produced(stores, asked)
    data = changes_report(stored_entries(stores.ledger), axes.on(window.end), window.start, window.end, produced)
    return Report(data, produced)


def snapshot(stores: Stores, query: Query, asked: str) -> Report:
    """The full state for `query`, as a document."""
    produced = _produced(stores, asked)
    return Report(snapshot_report(stored_entries(stores.ledger), query, produced), produced)


def party(stores: Stores, text: str, axes: Axes, as_of: date | None, asked: str) -> Report:
    """The dossier of the one party `text` names (key, name or alias), statuses as of `as_of` (default: the day it
    is produced, UTC); InputError when `text` names no party or several."""
    produced = _produced(stores, asked)
    query = axes.on(as_of or produced.moment.date())
    return Report(party_report(stored_entries(stores.ledger), text, query, produced), produced)


def replay(stores: Stores, axes: Axes, until: datetime | None, asked: str) -> Report:
    """The ledger as it was recorded, in recording order up to `until` (and `axes.known_at`: the earlier wins)."""
    produced = _produced(stores, asked)
    query = axes.on(produced.moment.date())
    return Report(replay_report(stored_entries(stores.ledger), query, until, produced), produced)


def _produced(stores: Stores, asked: str) -> Produced:
    """The circumstances of a report made now from `stores`, with a note when the ledger holds rows regledger did
    not write (the report leaves them out)."""
    foreign = stores.ledger.foreign_rows()
    return Produced(asked, stores.settings.display, produced_now(), (foreign.note(),) if foreign else ())
