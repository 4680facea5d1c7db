"""The ledger's read models: which store holds them, and keeping them current after every record run.

A ledger on SQLite or PostgreSQL keeps its read models beside its events (`SQLiteModelStore`,
`PostgresModelStore`); an in-memory ledger keeps none (queries fold). The tables are created by the first catch-up
(`record`, `project`, `rebuild`), not by opening a ledger, so that a ledger written elsewhere (a bundle) is never
changed by reading it.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Union

from eventsourcing.sqlite import SQLiteDatastore

from regledger.adapters.readmodels.runner import PAGE, Progress, catch_up, rebuild

if TYPE_CHECKING:
    from regledger.adapters.readmodels.postgres import PostgresModelStore
    from regledger.adapters.readmodels.sqlite import SQLiteModelStore

ReadModels = Union["SQLiteModelStore", "PostgresModelStore"]

__all__ = ["ReadModels", "behind", "bring_up_to_date", "model_version", "views_of"]


def views_of(ledger: Any, set_up_lock: int) -> ReadModels | None:
    """The read models of `ledger`'s store (installed or not); None for a store that keeps none."""
    datastore = getattr(ledger.recorder, "datastore", None)
    if isinstance(datastore, SQLiteDatastore):
        from regledger.adapters.readmodels.sqlite import SQLiteModelStore  # noqa: PLC0415

        return SQLiteModelStore(datastore, model_version())
    if type(datastore).__module__ == "eventsourcing.postgres":
        from regledger.adapters.readmodels.postgres import PostgresModelStore  # noqa: PLC0415 - only PostgreSQL stores load psycopg

        return PostgresModelStore(datastore, model_version(), set_up_lock)
    return None


# The modules whose code decides what a row holds: the actions and their steps, the fold and its views, the rows'
# computation and layout. A change to any of them changes `model_version`, and read models built before are rebuilt.
_ROW_MODULES = {
    "domain": ("actions", "values", "history", "listing", "measure", "meeting", "position"),
    "projections": ("fold", "items", "query", "subjects", "diff", "parties", "temporal", "sweep", "units", "codec"),
    "adapters": ("sql", "writer"),
}


@cache
def model_version() -> str:
    """A digest of the code that computes the rows (`_ROW_MODULES`): read models built by other code may answer
    differently, so they are rebuilt rather than caught up."""
    from regledger import domain, projections  # noqa: PLC0415

    folders = {"domain": Path(domain.__file__).parent, "projections": Path(projections.__file__).parent,
               "adapters": Path(__file__).parent}
    digest = hashlib.sha256()
    for package, modules in _ROW_MODULES.items():
        for module in modules:
            path = folders[package] / f"{module}.py"
            digest.update(f"{package}.{module}".encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:20]


def behind(ledger: Any, view: Any) -> str | None:
    """Why the read models cannot answer for the ledger now (None: they are current)."""
    if view.built_by() != model_version():
        return "the read models were built by another version of regledger's fold (`regledger rebuild` rebuilds them)"
    head, position, waiting = ledger.recorder.max_notification_id() or 0, view.position() or 0, view.unsettled()
    if position == head and not waiting:
        return None
    recomputing = f", and {waiting} subject(s) wait to be recomputed" if waiting else ""
    return (f"the read models are behind the ledger (they cover notification {position} of {head}{recomputing}; "
            "`regledger project` brings them up to date)")


def bring_up_to_date(ledger: Any, view: Any, progress: Progress | None = None, page: int = PAGE) -> int:
    """Create the read models where missing (rebuild those another version built) and catch them up with the log;
    how many events were applied.

    Tables without a version are another process's install between creating them and stamping them: installing
    again waits for it (the set-up lock) and changes nothing, where a rebuild would drop the tables under it."""
    if not view.installed() or view.built_by() is None:
        view.install()
    if view.built_by() != model_version():
        return rebuild(ledger, view, page=page, progress=progress)
    return catch_up(ledger, view, page=page, progress=progress)
