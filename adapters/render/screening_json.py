"""The JSON output of `screen` (docs/screening.md gives its JSON Schema): the options and what the screening ran
against at the top, then `results` in input order, each match with its explanation and each list's status.
`run_id` is set by whoever records the run; this document never invents one."""

from __future__ import annotations

from typing import Any

from regledger.adapters.render.answers_json import citation_json, plain
from regledger.projections.matching import Match
from regledger.projections.screening import BadRow, ListStatus, PartyHit, RowResult, Screening

__all__ = ["bad_rows_json", "screening_json"]


def screening_json(result: Screening, run_id: str | None = None) -> dict[str, Any]:
    """The screening as a JSON document (a dict); `run_id` at the top when the run was recorded."""
    document: dict[str, Any] = {"run_id": run_id} if run_id is not None else {}
    document.update({
        "on": plain(result.on),
        "on_default": result.as_of_default,
        "published_by": plain(result.published_by),
        "known_at": plain(result.known_at),
        "min_reliability": result.min_reliability.value if result.min_reliability else None,
        "lists": list(result.lists),
        "threshold": result.threshold,
        "review_threshold": result.review_threshold,
        "matcher": {"version": result.matcher_version, "libraries": dict(result.libraries)},
        "ledger": {"size": result.ledger_size, "head": result.ledger_head},
        "results": [row_json(row) for row in result.rows],
        "bad_rows": bad_rows_json(result.bad_rows),
        "notes": list(result.notes),
    })
    return document


def bad_rows_json(bad: tuple[BadRow, ...]) -> list[dict[str, Any]]:
    """Each problem of each bad row: row (from 1), column, problem."""
    return [{"row": b.row, "column": b.column, "problem": b.problem} for b in bad]


def row_json(row: RowResult) -> dict[str, Any]:
    """One row's result."""
    return {
        "row": row.row, "id": row.id, "name": row.name, "country": row.country, "address": row.address,
        "date": plain(row.date), "date_given": row.date_given, "decision": row.decision,
        "matches": [_hit(hit) for hit in row.matches],
    }


def _hit(hit: PartyHit) -> dict[str, Any]:
    match = hit.match
    return {
        "party": hit.party, "party_name": hit.party_name, "score": match.score,
        "matched_name": match.name.text, "matched_kind": match.name.kind,
        "explanation": _explanation(match),
        "lists": [_status(s) for s in hit.lists],
    }


def _explanation(match: Match) -> dict[str, Any]:
    return {
        "query_normalised": match.query_normalised, "name_normalised": match.name_normalised,
        "features": [{"name": f.name, "value": f.value, "weight": f.weight, "note": f.note} for f in match.features],
        "summary": match.explanation,
    }


def _status(status: ListStatus) -> dict[str, Any]:
    return {"list": status.list, "status": status.status, "public_by_date": status.public_by_date,
            "listed_on": plain(status.listed_on), "citations": [citation_json(c) for c in status.citations]}
