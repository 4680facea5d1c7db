"""How the command line shows a long task's progress on standard error: lines every few seconds (`StepLines`, for
the integrity passes) or a bar per step (`StepBars`, for imports and the read models). Both follow
`adapters.progress.Progress`: `progress(step, done, total)`.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from contextlib import ExitStack
from types import TracebackType

import click

__all__ = ["CountLines", "StepBars", "StepLines"]

Label = Callable[[str], str]  # a step's name → what the user reads


class CountLines:
    """Prints `LABEL: N of TOTAL events (P%)` on standard error every few seconds while one long pass runs."""

    def __init__(self, label: str, total: int | None = None, every: float = 2.0) -> None:
        self.label, self.total, self.every = label, total, every
        self.last = time.monotonic()

    def __call__(self, done: int) -> None:
        now = time.monotonic()
        if now - self.last >= self.every:
            self.last = now
            of = f" of {self.total:,} events ({100 * done // max(self.total, 1)}%)" if self.total else " events"
            click.echo(f"{self.label}: {done:,}{of}", err=True)


class StepLines:
    """A progress that prints each step's count as `CountLines` do, the step labelled `label(step)`."""

    def __init__(self, label: Label, every: float = 2.0) -> None:
        self.label, self.every = label, every
        self.steps: dict[str, CountLines] = {}

    def __call__(self, step: str, done: int, total: int | None = None) -> None:
        lines = self.steps.get(step)
        if lines is None:
            lines = self.steps[step] = CountLines(self.label(step), total, self.every)
        lines(done)


class StepBars:
    """A progress that draws a bar on standard error for each step, labelled `label(step)`, when the step's total
    is unknown or reaches `minimum`; use it as a context manager, which ends the last bar."""

    def __init__(self, label: Label, minimum: int = 0) -> None:
        self.label, self.minimum = label, minimum
        self.step: str | None = None
        self.done = 0
        self.bars = ExitStack()
        self.update: Callable[[int], None] | None = None  # the bar under way's

    def __call__(self, step: str, done: int, total: int | None = None) -> None:
        if step != self.step:
            self.close()
            self.step, self.done = step, 0
            if total is None or total >= self.minimum:
                bar = click.progressbar(length=max(total or 0, 1), label=self.label(step), file=sys.stderr)
                self.update = self.bars.enter_context(bar).update
        if self.update is not None:
            self.update(done - self.done)
        self.done = done

    def close(self) -> None:
        """End the bar under way, if any."""
        self.bars.close()
        self.update = None

    def __enter__(self) -> StepBars:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close()
