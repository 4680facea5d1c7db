"""The read-model interface: what a store of temporal rows answers, implemented by the adapters.

A read model holds, per unit (see `units`) and version in transaction time, the boxes and effects of `temporal`,
the recorded entries (for histories and for units it cannot answer), a directory of parties and lists, and the
evidence of `explain`. `answers` turns what it returns into the fold's `State`, `Diff` and `History`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Collection
from contextlib import AbstractContextManager, nullcontext
from datetime import date

from regledger.domain.history import Entry

from .diff import TookEffect
from .explain import Evidence
from .parties import PartyNames
from .query import Query
from .subjects import SubjectKey
from .temporal import Item

__all__ = ["OTHER_KINDS", "ModelStore", "Selection"]

Selection = tuple[str | None, Collection[str] | None]  # (list key, party keys): None is every one
OTHER_KINDS = ("measure", "meeting", "position")  # the kinds of subject that are not list entries (their first part)


class ModelStore(ABC):
    """Temporal read models of the state for any (as of D, published by P, known at T, minimum tier)."""

    # -- how far the model has got ------------------------------------------------------------------------------

    @abstractmethod
    def position(self) -> int | None:
        """The last notification id applied (None: none yet)."""

    @abstractmethod
    def unsettled(self) -> int:
        """How many units have entries applied whose rows are not yet recomputed."""

    # -- answers ------------------------------------------------------------------------------------------------

    def answering(self) -> AbstractContextManager[None]:
        """One answer's scope: what the store learns while reading it may serve the rest of that answer, never the
        next one (the ledger may have changed by then). A store that learns nothing needs no scope."""
        return nullcontext()

    @abstractmethod
    def items(self, query: Query, selection: Selection = (None, None)) -> list[tuple[SubjectKey, Item]]:
        """Every item the rows hold for `query` (D, P, T, tier), with its subject; with a selection, only the
        listings on that list and/or of those parties."""

    @abstractmethod
    def listings(self, query: Query, list_key: str | None, start: int,
                 size: int) -> tuple[list[tuple[SubjectKey, Item]], int | None]:
        """The list entries the rows hold for `query` (on `list_key`, or on every list), `size` of them from the
        `start`-th in subject order (list, then party), with their subjects; and how many there are in all. A store
        that does not count them (a point known at T or published by P: `counted`) gives None and one entry more
        than the page when more follow."""

    @abstractmethod
    def others_page(self, query: Query, start: int,
                    size: int) -> tuple[list[tuple[SubjectKey, Item]], dict[str, int] | None]:
        """The items the rows hold for `query` that are not list entries, `size` of each kind (`OTHER_KINDS`:
        measures, meetings, positions) from that kind's `start`-th in subject order, with their subjects; and how
        many there are of each kind in all (by kind). A store that does not count them (as `listings`) gives None
        and one item more of a kind than the page when more of it follow."""

    @abstractmethod
    def concerning(self, query: Query, about: Collection[str]) -> list[tuple[SubjectKey, Item]]:
        """The measures and positions the rows hold for `query` that may concern the parties `about`: at least
        every measure whose `applies_to` names one of them, and every position about one of them or about such a
        measure (more may come: the caller narrows)."""

    @abstractmethod
    def exists(self, query: Query) -> bool:
        """True when the rows hold any item for `query`."""

    @abstractmethod
    def effects(self, query: Query, window: tuple[date, date], selection: Selection = (None, None), *,
                units: Collection[str] | None = None) -> list[tuple[SubjectKey, int, TookEffect]]:
        """The visible actions effective in the window (start, end], each with its subject and recording seq; with
        `units`, only those of the subjects of these units (the selection unused)."""

    @abstractmethod
    def spans(self, query: Query, window: tuple[date, date], selection: Selection = (None, None), *,
              units: Collection[str] | None = None) -> list[tuple[SubjectKey, date | None, date | None, Item]]:
        """The items of the rows holding `query`'s T, P and tier (its D unused) whose span along D starts or ends
        inside the window (start, end], each with its subject and span [from, to) (None: unbounded); with `units`,
        only those of the subjects of these units (the selection unused)."""

    @abstractmethod
    def window_subjects(self, query: Query, window: tuple[date, date], selection: Selection = (None, None), *,
                        start: int = 0, size: int) -> tuple[list[SubjectKey], bool]:
        """[start, start + size) of `diff.window_subjects` of the window (start, end] under `query`'s T, P and tier,
        in subject order (the subjects with a row of `selection` whose span along D starts or ends inside the
        window, or with an action effective in it), and whether more follow: read as a page, not the window whole."""

    @abstractmethod
    def uncovered(self, query: Query, selection: Selection = (None, None)) -> list[str]:
        """The units whose rows do not answer `query`'s P (too many actions for the grid): ask the fold."""

    @abstractmethod
    def unit_entries(self, units: Collection[str]) -> list[Entry]:
        """Every recorded entry of `units`, in recording order."""

    @abstractmethod
    def evidence(self) -> Evidence:
        """What an empty answer's explanation needs."""

    # -- the directory ------------------------------------------------------------------------------------------

    @abstractmethod
    def subjects(self, labels: Collection[str] | None = None,
                 parties: Collection[str] | None = None) -> list[SubjectKey]:
        """The subjects recorded, in order: those written as one of `labels`, or the listings of `parties`, or all."""

    @abstractmethod
    def lists(self, list_key: str | None = None) -> list[str]:
        """The list keys recorded (only `list_key`, when given and recorded), in order."""

    @abstractmethod
    def parties(self, keys: Collection[str] | None = None,
                names: Collection[str] | None = None) -> dict[str, PartyNames]:
        """The parties by key, in key order: those with one of `keys`, or with a name or alias that normalises to
        one of `names`, or all."""

