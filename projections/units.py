"""Units of recomputation and their versions in transaction time.

A unit is what a read model recomputes together: a measure, a meeting, a position, or a party with all its
listings (`temporal`). What was recorded before a time never changes, so a unit's answers as known at T are those
of its entries recorded by T: one version per distinct recorded_at, valid until the next.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from regledger.domain.history import Entry

from .subjects import SubjectKey, label
from .temporal import GRID_LIMIT, Shared, UnitModel, unit_model

__all__ = ["Version", "unit_of", "versions"]


def unit_of(subject: SubjectKey) -> str:
    """The unit of a subject: `party:KEY` for a listing, else `KIND:LABEL`."""
    if subject[0] == "listing":
        return f"party:{subject[2]}"
    return f"{subject[0]}:{label(subject)}"


@dataclass(frozen=True)
class Version:
    """The unit's model as known from `recorded_at` until `until` (None: still current)."""

    recorded_at: datetime
    until: datetime | None
    model: UnitModel


def versions(entries: Sequence[Entry], since: datetime | None = None, limit: int = GRID_LIMIT) -> list[Version]:
    """The versions of a unit from its entries, those known from `since` on (all when None). Versions are never
    merged, even when equal: the rows are then a function of the entries alone, whether they were computed in one
    rebuild or run by run."""
    moments = sorted({e.recorded_at for e in entries})
    shared = Shared()  # each version's model is a function of its entries alone, so versions may share their work
    return [Version(moment, moments[index + 1] if index + 1 < len(moments) else None,
                    unit_model([e for e in entries if e.recorded_at <= moment], limit, shared))
            for index, moment in enumerate(moments) if since is None or moment >= since]
