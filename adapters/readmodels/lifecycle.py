"""The ledger's read models: which store holds them, which version of them it holds, and keeping them current after
every record run.

A ledger on SQLite or PostgreSQL keeps its read models beside its events (`SQLiteModelStore`,
`PostgresModelStore`); an in-memory ledger keeps none (queries fold). The tables are created by the first catch-up
(`record`, `project`, `rebuild`), not by opening a ledger, so that a ledger written elsewhere (a bundle) is never
changed by reading it.

The tables carry the version of the read models that built them, `READ_MODEL_VERSION`. Read models stamped with
another (an older number, or a digest, as releases up to 0.1.0 stamped them) may answer differently: they are
rebuilt rather than caught up. Bump the number whenever what a row holds changes, that is whenever the code of
`ROW_MODULES` changes what it computes (tests/unit/test_read_model_version.py holds the two together). An index
added to or removed from rows of the same version (`sql.INDEXES`) needs no bump: the next catch-up creates what is
missing and drops what is no longer read along.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Union

from eventsourcing.persistence import PersistenceError

from regledger.adapters.progress import Progress
from regledger.adapters.readmodels.runner import PAGE, catch_up, rebuild
from regledger.adapters.readmodels.sqlite import SQLiteModelStore
from regledger.adapters.store.ledger import Ledger
from regledger.adapters.store.sql import ForeignRows, PostgresStore, SQLiteStore

if TYPE_CHECKING:
    from regledger.adapters.readmodels.postgres import PostgresModelStore

__all__ = ["READ_MODEL_VERSION", "ROW_MODULES", "ReadModels", "Standing", "behind", "bring_up_to_date", "standing",
           "views_of"]

READ_MODEL_VERSION = 11

# The modules whose code decides what a row holds: the actions and their steps, the fold and its items, the rows'
# computation and layout, the screening index's names and keys (package -> modules).
ROW_MODULES = {
    "domain": ("actions", "values", "history", "listing", "measure", "meeting", "position"),
    "projections": ("fold", "items", "query", "subjects", "diff", "parties", "temporal", "sweep", "units", "codec",
                    "names", "matching", "screening"),
    "adapters.readmodels": ("sql", "writer"),
}

ReadModels = Union[SQLiteModelStore, "PostgresModelStore"]


def views_of(ledger: Ledger, set_up_lock: int) -> ReadModels | None:
    """The read models of `ledger`'s store (installed or not), creating their tables under the advisory lock
    `set_up_lock` on PostgreSQL; None for a store that keeps none."""
    store = ledger.sql
    if isinstance(store, SQLiteStore):
        return SQLiteModelStore(store.datastore, READ_MODEL_VERSION)
    if isinstance(store, PostgresStore):
        from regledger.adapters.readmodels.postgres import PostgresModelStore  # noqa: PLC0415 - only PostgreSQL stores load psycopg

        return PostgresModelStore(store.datastore, READ_MODEL_VERSION, set_up_lock)
    return None


def _built_here(view: ReadModels) -> bool:
    """Whether this version of the read models built `view`'s rows."""
    return _this_version(view.built_by())


def _this_version(stamp: str | None) -> bool:
    """Whether read models stamped `stamp` (see `built_by`) are of this version."""
    return stamp == str(READ_MODEL_VERSION)


ANOTHER_VERSION = ("the read models were built by another version of regledger's fold "
                   "(`regledger rebuild` rebuilds them)")


def behind(ledger: Ledger, view: ReadModels, foreign: ForeignRows | None = None) -> str | None:
    """Why the read models cannot answer for the ledger now (None: they are current). Rows regledger did not write
    (`foreign`, asked of the ledger when not given) are never applied: rows after the last one the chain covers
    that are all foreign leave the read models current."""
    if not _built_here(view):
        return ANOTHER_VERSION
    head, position, waiting = ledger.recorder.max_notification_id() or 0, view.position() or 0, view.unsettled()
    return _lag(head, position, waiting, ledger.foreign_rows() if foreign is None else foreign)


def _lag(head: int, position: int, waiting: int, foreign: ForeignRows) -> str | None:
    """Why read models of this version, at notification `position` with `waiting` units to recompute, cannot
    answer for a ledger whose last notification is `head` (None: they can)."""
    covered = min(foreign.chain_head, head) if foreign else head
    if covered <= position <= head and not waiting:
        return None
    recomputing = f", and {waiting} subject(s) wait to be recomputed" if waiting else ""
    return (f"the read models are behind the ledger (they cover notification {position} of {head}{recomputing}; "
            "`regledger project` brings them up to date)")


@dataclass(frozen=True)
class Standing:
    """What a query needs to know before it reads: the rows regledger did not write (`foreign`, which every answer
    leaves out), whether the read models are installed, and why they cannot answer (`behind`; None: they can)."""

    foreign: ForeignRows
    installed: bool = False
    behind: str | None = None


def standing(ledger: Ledger, view: ReadModels | None) -> Standing:
    """The ledger's `foreign_rows`, the view's `installed` and `behind`'s answer, read in one statement where the
    store allows (read models seen installed in the ledger's own database, no foreign rows), else one by one as
    they read them. Either way the same decision: the one statement reads the same facts in one snapshot."""
    glanced = _glanced(ledger, view)
    return glanced if glanced is not None else _one_by_one(ledger, view)


def _one_by_one(ledger: Ledger, view: ReadModels | None) -> Standing:
    """`standing` from each fact read on its own, in its own transaction."""
    foreign = ledger.foreign_rows()
    if view is not None:
        view.position_unknown()
    if view is None or not view.installed():
        return Standing(foreign)
    return Standing(foreign, installed=True, behind=behind(ledger, view, foreign))


def _glanced(ledger: Ledger, view: ReadModels | None) -> Standing | None:
    """`standing` from one statement (None: it cannot say, asked one by one). A failing statement (tables missing:
    dropped by a rebuild under way; any other error) leaves the question to the reads one by one, which decide as
    they always did; it ran outside a transaction, so it leaves no pooled connection in a failed one."""
    store = ledger.sql
    if view is None or not view.seen_installed or store is None or view.datastore is not store.datastore:
        return None
    columns = ledger.glance()
    if columns is None:
        return None
    try:
        row = view.standing(columns)
    except PersistenceError:
        return None
    read = ledger.glanced(row)
    if read is None:
        return None
    head, foreign = read
    if not _this_version(row["built_by"]):
        return Standing(foreign, installed=True, behind=ANOTHER_VERSION)
    return Standing(foreign, installed=True, behind=_lag(head, row["position"] or 0, int(row["unsettled"]), foreign))


def bring_up_to_date(ledger: Ledger, view: ReadModels, progress: Progress | None = None, page: int = PAGE) -> int:
    """Create the read models where missing (rebuild those another version built) and catch them up with the log;
    how many events were applied (`progress` hears the catch-up's steps, see `runner.catch_up`).

    Tables without a version are another process's install between creating them and stamping them: installing
    again waits for it (the set-up lock) and changes nothing, where a rebuild would drop the tables under it."""
    if not view.installed() or view.built_by() is None:
        view.install()
    if not _built_here(view):
        return rebuild(ledger, view, page=page, progress=progress)
    found = view.indexes_found()
    if view.dialect.index_names() - found:  # an index this release reads along, added since
        view.install()  # creates what is missing: the rows are this version's, so no rebuild
    view.drop_indexes(view.dialect.obsolete_indexes(found))  # one an earlier release read along, replaced since
    return catch_up(ledger, view, page=page, progress=progress)
