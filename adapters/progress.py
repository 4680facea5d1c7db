"""The one way a long task reports how far it has got: `progress(step, done)`.

`step` names the part of the task under way ("events", "subjects", "copy", "chain", "verify", "documents", …),
`done` counts what that part has finished so far (it only grows within a step) and `total`, when known, what it will
have done at the end. A shell turns the calls into progress bars or log lines on standard error; the services never
print.
"""

from __future__ import annotations

from typing import Protocol

__all__ = ["Progress", "silent"]


class Progress(Protocol):
    """Hears how far a long task has got."""

    def __call__(self, step: str, done: int, total: int | None = None) -> None: ...


def silent(step: str, done: int, total: int | None = None) -> None:
    """A progress that reports nothing."""
