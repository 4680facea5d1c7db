"""The text output of `screen`: a memo, one block per row in input order: its decision, the parties matched with
their scores, the name or alias each matched, each list's status on the row's date and whether it was public by
then, and how the score adds up. Lines are joined by `safe_lines` (stored and input text shown escaped)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final

from regledger.adapters.render.answers_json import plain
from regledger.adapters.render.answers_text import sources
from regledger.adapters.safe_text import safe_lines
from regledger.projections.screening import BadRow, ListStatus, RowResult, Screening

__all__ = ["bad_rows_text", "screening_text"]

DECISION_WORDS: Final = {
    "match": "MATCH: a listed party's name, on a list on this date",
    "possible": "POSSIBLE: for review (a weaker name match, or a party not on a list on this date)",
    "clear": "CLEAR: no listing hit on this date",
}
STATUS_WORDS: Final = {
    "in_force": "in force", "pending": "pending (published, not yet in effect)",
    "announced": "announced (said to be coming, no effective date yet)",
    "removed": "removed (listed before this date, not on it)", "not_listed": "not listed on this date",
}
I1, I2, I3 = "  ", "    ", "      "
MATCHES_SHOWN: Final = 10  # parties shown per row in the memo, best first; the JSON and CSV list every one


def screening_text(result: Screening) -> str:
    """The screening as a memo."""
    lines = [f"Screening of {len(result.rows)} row{'s' if len(result.rows) != 1 else ''}"
             f"{f' against {result.lists[0]}' if result.lists else ' against every list'}.",
             *_header(result), ""]
    for row in result.rows:
        lines.extend(_row(row))
        lines.append("")
    if result.bad_rows:
        lines.append(f"Bad rows left out (--skip-bad-rows): {len({b.row for b in result.bad_rows}):,}.")
        lines.extend(_bad(result.bad_rows))
    lines.extend(f"Note: {note}." for note in result.notes)
    return safe_lines(lines).rstrip("\n")


def _header(result: Screening) -> list[str]:
    on = f"{result.on} (today, UTC: --on was not given)" if result.as_of_default else str(result.on)
    published = f"only what had been published by {result.published_by}" if result.published_by else \
        "everything published, whatever its date"
    known = f"only what regledger had recorded by {plain(result.known_at)}" if result.known_at else \
        "everything recorded so far"
    tier = f"only tier {result.min_reliability.value} or stronger" if result.min_reliability else "every tier"
    head = result.ledger_head or "none (this store keeps no hash chain)"
    return [f"Date for rows without one: {on}.", f"Public record: {published}.", f"Our record: {known}.",
            f"Sources: {tier}.",
            f"Thresholds: match at {result.threshold} or more, possible at {result.review_threshold} or more "
            "(scores run from 0 to 1).",
            f"Matcher: {result.matcher_version} "
            f"({', '.join(f'{k} {v}' for k, v in sorted(result.libraries.items()))}).",
            f"Ledger: {result.ledger_size} events, chain head {head}."]


def _row(row: RowResult) -> Iterator[str]:
    given = [f"id {row.id}" if row.id else None, f"country {row.country}" if row.country else None,
             f"address {row.address}" if row.address else None]
    extra = "; ".join(g for g in given if g)
    dated = f"{row.date} (the row's own date)" if row.date_given else str(row.date)
    yield f"Row {row.row}: {row.name}{f' ({extra})' if extra else ''}, on {dated}"
    yield f"{I1}{DECISION_WORDS[row.decision]}."
    if not row.matches:
        yield f"{I1}No party's name or alias scores at the review threshold."
    for hit in row.matches[:MATCHES_SHOWN]:
        match = hit.match
        kind = "an alias" if match.name.kind == "alias" else "its name"
        yield (f"{I1}{match.score:.4f} {hit.party} ({hit.party_name or 'no name recorded'}): matched {kind} "
               f"\"{match.name.text}\".")
        yield f"{I2}Compared: \"{match.query_normalised}\" with \"{match.name_normalised}\". {match.explanation}"
        for status in hit.lists:
            yield from _status(status)
    if len(row.matches) > MATCHES_SHOWN:
        yield (f"{I1}… and {len(row.matches) - MATCHES_SHOWN} more parties at the review threshold or above (the "
               "JSON and CSV output list every one).")


def _status(status: ListStatus) -> Iterator[str]:
    since = f", listed on {status.listed_on}" if status.listed_on else ""
    public = "on the public record by this date" if status.public_by_date else \
        "NOT on the public record by this date (its sources are dated later)"
    if status.status == "not_listed" and status.public_by_date:  # nothing was on record to be public: say no more
        yield f"{I2}{status.list}: {STATUS_WORDS[status.status]}{since}."
        return
    yield f"{I2}{status.list}: {STATUS_WORDS[status.status]}{since}; {public}."
    if status.citations:
        yield sources(status.citations, I3)


def _bad(bad: tuple[BadRow, ...]) -> Iterator[str]:
    for b in bad:
        yield f"{I1}row {b.row}: {b.column}: {b.problem}"


def bad_rows_text(where: str, bad: tuple[BadRow, ...]) -> str:
    """Every problem of every bad row, one a line: `FILE: row N: COLUMN: problem`."""
    return safe_lines([f"{where}: row {b.row}: {b.column}: {b.problem}" for b in bad]).rstrip("\n")
