"""The reports a lawyer can file: a change log, a snapshot, a party dossier and a replay, as data.

Each returns the report's data (a JSON-ready dict, which `adapters.render.reports` renders as HTML, Markdown or
JSON) and the circumstances it was produced in: `asked` (how the shell was asked for it, e.g. the command line), the
ledger it read and the moment. Reports read only: call them on stores opened with `write=False` (`WRITES`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Final

from regledger.adapters.readmodels.source import stored_entries
from regledger.adapters.render.citations import Style
from regledger.adapters.render.reports.changes import changes_report
from regledger.adapters.render.reports.data import Produced, ledger_identity, produced_now, snapshot_report
from regledger.adapters.render.reports.determination import determination_report
from regledger.adapters.render.reports.knowledge import knowledge_report
from regledger.adapters.render.reports.party import party_report
from regledger.adapters.render.reports.replay import replay_report
from regledger.adapters.services import determination as determining
from regledger.adapters.services.inputs import Axes, Window
from regledger.adapters.services.screening import ledger_position
from regledger.adapters.store.ledger import Located
from regledger.adapters.wiring import Stores
from regledger.projections import Query
from regledger.projections.determination import Transaction

__all__ = ["WRITES", "Report", "changes", "determination", "knowledge", "party", "replay", "snapshot"]

WRITES: Final = False


@dataclass(frozen=True)
class Report:
    """A report's data and the circumstances it was produced in."""

    data: dict[str, Any]
    produced: Produced

    @property
    def kind(self) -> str:
        """changes | snapshot | party | replay | knowledge | determination."""
        return str(self.data["report"])


def changes(stores: Stores, window: Window, axes: Axes, asked: str, *, style: Style = "bluebook") -> Report:
    """The change log of `window` under `axes` (as of its end)."""
    produced = _produced(stores, asked, style)
    data = changes_report(stored_entries(stores.ledger), axes.on(window.end), window.start, window.end, produced)
    return Report(data, produced)


def snapshot(stores: Stores, query: Query, asked: str, *, style: Style = "bluebook") -> Report:
    """The full state for `query`, as a document."""
    produced = _produced(stores, asked, style)
    return Report(snapshot_report(stored_entries(stores.ledger), query, produced), produced)


def knowledge(stores: Stores, query: Query, asked: str, *, style: Style = "bluebook") -> Report:
    """The law in force on `query.as_of` beside what the public record showed by then (by `query.published_by` when
    given), and with `query.known_at` what regledger had recorded by then."""
    produced = _produced(stores, asked, style)
    return Report(knowledge_report(stored_entries(stores.ledger), query, produced), produced)


def party(stores: Stores, text: str, axes: Axes, as_of: date | None, asked: str, *,
          style: Style = "bluebook") -> Report:
    """The dossier of the one party `text` names (key, name or alias), statuses as of `as_of` (default: the day it
    is produced, UTC); InputError when `text` names no party or several."""
    produced = _produced(stores, asked, style)
    query = axes.on(as_of or produced.moment.date())
    data = party_report(stored_entries(stores.ledger), text, query, produced, today=as_of is None)
    return Report(data, produced)


def replay(stores: Stores, axes: Axes, until: datetime | None, asked: str, *, style: Style = "bluebook") -> Report:
    """The ledger as it was recorded, in recording order up to `until` (and `axes.known_at`: the earlier wins)."""
    produced = _produced(stores, asked, style)
    query = axes.on(produced.moment.date())
    return Report(replay_report(stored_entries(stores.ledger), query, until, produced), produced)


def determination(stores: Stores, transactions: Sequence[Transaction], axes: Axes, asked: str, *,
                  on: date | None = None, single: bool = False, assume: Sequence[Located] = (),
                  assume_adopted: Sequence[str] = (), style: Style = "bluebook") -> Report:
    """`regledger determine`'s answer for `transactions` (each on its date, else `on`; with the what-if overlay of
    `assume` and `assume_adopted`) as a memo; its `answer` is the determine JSON. Errors as `determine` gives them."""
    produced = _produced(stores, asked, style)
    found = determining.determine_all(stores, transactions, axes, on=on, assume=assume,
                                      assume_adopted=assume_adopted, single=single)
    day = on or found.answers[0].on
    data = determination_report(found.answers, transactions, single=found.single, query=axes.on(day), on=on,
                                produced=produced)
    return Report(data, produced)


def _produced(stores: Stores, asked: str, style: Style = "bluebook") -> Produced:
    """The circumstances of a report made now from `stores`: the ledger by its size and head digest (never its
    path), with a note when it holds rows regledger did not write (the report leaves them out)."""
    foreign = stores.ledger.foreign_rows()
    size, head = ledger_position(stores)
    return Produced(asked, ledger_identity(size, head), produced_now(), (foreign.note(),) if foreign else (),
                    ledger_size=size, ledger_head=head, citation_style=style)
