"""The JSON of `regledger determine` (docs/determination.md; JSON Schema docs/schemas/determination.schema.json):
one object per transaction, or `{"results": [...]}` for a list, in order."""

from __future__ import annotations

from typing import Any

from regledger.adapters.render.answers_json import axes_json, citation_json
from regledger.projections.determination import Determination, Step

__all__ = ["determination_json", "determinations_json", "step_json"]


def step_json(step: Step) -> dict[str, Any]:
    """One step: what it checked, on what basis, its result, what it read and cited."""
    return {
        "check": step.check,
        "basis": step.basis,
        "result": step.result,
        "reads": [{"kind": r.kind, "key": r.key, "action_ids": list(r.action_ids),
                   "parameters_used": list(r.parameters_used)} for r in step.reads],
        "cfr": list(step.cfr),
        "citations": [citation_json(c) for c in step.citations],
        "reliability": step.reliability,
        "gaps": list(step.gaps),
        "not_applied": [{"key": n.key, "reason": n.reason} for n in step.not_applied],
        "assumed": step.assumed,
        "before": None if step.before is None else {"result": step.before.result, "basis": step.before.basis},
    }


def determination_json(answer: Determination) -> dict[str, Any]:
    """One transaction's answer."""
    return {
        "date": answer.on.isoformat(),
        **{k: v for k, v in axes_json(answer.query).items() if k != "as_of"},
        "determination": answer.determination,
        "reason": answer.reason,
        "review_policy": answer.review_policy,
        "warnings": list(answer.warnings),
        "assumptions": list(answer.assumptions),
        "determination_before": answer.determination_before,
        "steps": [step_json(s) for s in answer.steps],
        "limits": list(answer.limits),
    }


def determinations_json(answers: tuple[Determination, ...], *, single: bool) -> dict[str, Any]:
    """The answer to a file: one object for one transaction, `{"results": [...]}` for a list."""
    if single and len(answers) == 1:
        return determination_json(answers[0])
    return {"results": [determination_json(a) for a in answers]}
