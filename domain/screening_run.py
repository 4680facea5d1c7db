"""ScreeningRun: one recorded screening (`regledger screen --record`), kept as evidence of what it saw.

A run is one stream holding one event, `Recorded`, written once and never changed: the rows as screened, the options,
the matcher's version and its libraries' versions, the ledger's size and hash-chain head when it ran, and the results
document (the JSON `screen --format json` prints). The stream's id is the run id. It records no action: the fold,
the read models and `log` read only `Subject.Recorded` events, so they never see a run.

The rows, options and results are kept as canonical JSON text, exactly as they were rendered, so that what the
ledger holds is what was printed, byte for byte, whatever later releases make of the fields.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from .events import InitEvent, SubjectAggregate

__all__ = ["ScreeningRun"]


class ScreeningRun(SubjectAggregate):
    """A recorded screening run."""

    class Recorded(InitEvent):
        """The run: `inputs` (the rows as screened, JSON), `options` (JSON), what it ran against (the matcher and
        the ledger's position), and `results` (the JSON document of the results)."""

        run_id: str
        inputs: str
        options: str
        matcher_version: str
        libraries: dict[str, str]
        ledger_size: int
        ledger_head: str | None = None
        results: str

    def __init__(self, *, run_id: str, inputs: str, options: str, matcher_version: str, libraries: dict[str, str],
                 ledger_size: int, results: str, ledger_head: str | None = None) -> None:
        self.run_id = run_id
        self.inputs, self.options, self.results = inputs, options, results
        self.matcher_version, self.libraries = matcher_version, dict(libraries)
        self.ledger_size, self.ledger_head = ledger_size, ledger_head

    @classmethod
    def record(cls, run_id: UUID, **fields: Any) -> ScreeningRun:
        """A new run stream, its id the run id."""
        return cls._create(cls.Recorded, id=run_id, run_id=str(run_id), **fields)
