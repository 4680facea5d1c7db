"""The text output of `regledger determine`: a short memo per transaction — the answer and why, the review policy,
warnings and assumptions, then each step with what it read and its sources, and what was not evaluated."""

from __future__ import annotations

from collections.abc import Iterator

from regledger.adapters.render.answers_text import axes, sources
from regledger.adapters.safe_text import safe_lines
from regledger.projections.determination import Determination, Step

__all__ = ["determinations_text"]

WORDS = {"not_subject_to_ear": "NOT SUBJECT TO THE EAR", "no_licence_required": "NO LICENCE REQUIRED",
         "authorized": "AUTHORIZED", "licence_required": "LICENCE REQUIRED", "cannot_determine": "CANNOT DETERMINE"}
I1, I2 = "  ", "      "


def _step(number: int, step: Step) -> Iterator[str]:
    """One step's lines: result and basis, what it said before, what it read, its CFR places and sources."""
    yield f"{I1}{number}. {step.check}: {step.result.upper()} — {step.basis}"
    if step.before is not None:
        was = step.before.result.upper() if step.before.result else "(no such step)"
        yield f"{I2}Without the assumptions: {was}" + (f" — {step.before.basis}" if step.before.basis else "")
    for read in step.reads:
        used = f" ({', '.join(read.parameters_used)})" if read.parameters_used else ""
        acts = f" set by {', '.join(read.action_ids)}" if read.action_ids else ""
        yield f"{I2}Read {read.kind} {read.key}{used}{acts}."
    if step.cfr:
        yield f"{I2}CFR: {'; '.join(step.cfr)}."
    if step.citations:
        yield sources(step.citations) + (f" Reliability: {step.reliability}." if step.reliability else "")
    if step.gaps:
        yield f"{I2}Gaps (not confirmed in the record): {', '.join(step.gaps)}."
    for skipped in step.not_applied:
        yield f"{I2}Not applied: {skipped.key} ({skipped.reason})."


def _memo(number: int | None, answer: Determination) -> Iterator[str]:
    """One transaction's memo."""
    title = f"Transaction {number}" if number is not None else "Transaction"
    yield f"{title} on {answer.on}: {WORDS[answer.determination]}"
    yield f"{I1}{answer.reason}."
    if answer.review_policy is not None:
        yield f"{I1}Licence review policy: {answer.review_policy.replace('_', ' ')}."
    if answer.determination_before is not None:
        yield f"{I1}Without the assumptions: {WORDS[answer.determination_before]}."
    yield from (f"{I1}Assumption: {a}." for a in answer.assumptions)
    yield from (f"{I1}Warning: {w}." for w in answer.warnings)
    yield from (f"{I1}{line}" for line in axes(answer.query))
    yield f"{I1}Steps:"
    for position, step in enumerate(answer.steps, start=1):
        yield from _step(position, step)
    yield f"{I1}Not evaluated: " + "; ".join(answer.limits) + "."


def determinations_text(answers: tuple[Determination, ...], *, single: bool) -> str:
    """The memo of every answer, in order."""
    lines: list[str] = []
    for number, answer in enumerate(answers, start=1):
        if lines:
            lines.append("")
        lines.extend(_memo(None if single else number, answer))
    return safe_lines(lines)
