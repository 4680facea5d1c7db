"""Builders for the fold tests: actions from short mappings, and a `Book` of entries recorded in runs."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from regledger.domain import action_adapter
from regledger.domain.history import Entry
from regledger.domain.values import Reliability
from regledger.projections import Query, State, state_as_of

__all__ = ["RUN", "Book", "adopted", "amended", "d", "delisted", "listed", "position", "src"]

RUN = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)  # the first record run; each later run is an hour on


def d(text: str) -> date:
    """A date from YYYY-MM-DD."""
    return date.fromisoformat(text)


def src(citation: str = "84 FR 22961", tier: str = "official", **extra: Any) -> dict[str, Any]:
    """A source mapping."""
    return {"citation": citation, "reliability": tier, **extra}


def _dated(effective: str, published: str | None, sources: list[dict[str, Any]] | None) -> dict[str, Any]:
    return {"effective_on": effective, "published_on": published or effective, "sources": sources or [src()]}


def listed(party: str = "huawei", effective: str = "2019-05-16", published: str | None = None, *,
           list_key: str = "us-bis-entity-list", sources: list[dict[str, Any]] | None = None,
           **extra: Any) -> dict[str, Any]:
    """An entity_listed mapping."""
    return {"kind": "entity_listed", "list": list_key, "party": {"key": party}, **_dated(effective, published, sources),
            **extra}


def delisted(party: str = "huawei", effective: str = "2019-05-16", published: str | None = None, *,
             list_key: str = "us-bis-entity-list", sources: list[dict[str, Any]] | None = None,
             **extra: Any) -> dict[str, Any]:
    """An entity_delisted mapping."""
    return {"kind": "entity_delisted", "list": list_key, "party": {"key": party},
            **_dated(effective, published, sources), **extra}


def adopted(key: str = "tgl", effective: str = "2019-05-20", published: str | None = None, *,
            sources: list[dict[str, Any]] | None = None, **extra: Any) -> dict[str, Any]:
    """A measure_adopted mapping."""
    return {"kind": "measure_adopted", "measure": {"key": key, "title": f"Measure {key}"},
            **_dated(effective, published, sources), **extra}


def amended(key: str = "tgl", effective: str = "2019-08-19", published: str | None = None, *,
            sources: list[dict[str, Any]] | None = None, **extra: Any) -> dict[str, Any]:
    """A measure_amended mapping."""
    return {"kind": "measure_amended", "measure": {"key": key}, **_dated(effective, published, sources), **extra}


def position(stance: str, effective: str, tier: str, *, actor: str = "us-dod",
             topic: str = "restrict-huawei", **extra: Any) -> dict[str, Any]:
    """A position_stated mapping with one source of `tier`."""
    return {"kind": "position_stated", "actor": actor, "topic": topic, "stance": stance,
            **_dated(effective, None, [src(f"report of {effective}", tier)]), **extra}


@dataclass
class Book:
    """Entries as the ledger would hold them: each `record` call is one run with one recorded_at."""

    entries: list[Entry] = field(default_factory=list)
    runs: int = 0

    def record(self, *mappings: dict[str, Any]) -> datetime:
        """Record `mappings` in one run; returns its recorded_at."""
        moment = RUN + timedelta(hours=self.runs)
        self.runs += 1
        for item in mappings:
            self.entries.append(Entry(len(self.entries) + 1, moment, action_adapter.validate_python(item)))
        return moment

    def state(self, as_of: str, *, published_by: str | None = None, known_at: datetime | None = None,
              tier: str | None = None) -> State:
        """The fold's answer."""
        query = Query(d(as_of), d(published_by) if published_by else None, known_at,
                      Reliability(tier) if tier else None)
        return state_as_of(self.entries, query)

    def entry(self, as_of: str, party: str = "huawei", **axes: Any) -> Any:
        """The party's entry on the (single) list, or None."""
        found = [e for entries in self.state(as_of, **axes).lists.values() for e in entries if e.party == party]
        return found[0] if found else None

    def measure(self, as_of: str, key: str = "tgl", **axes: Any) -> Any:
        """The measure's view, or None."""
        return next((m for m in self.state(as_of, **axes).measures if m.key == key), None)
