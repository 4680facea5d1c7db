"""Domain errors: every refusal the ledger can give, each naming the field at fault.

    DomainError
    ├── ActionRefusedError          an action cannot be recorded as written
    │   ├── NotListedError          delisting/amending a party not listed on that date
    │   ├── MeasureWithdrawnError   changing a measure that was withdrawn or revoked
    │   ├── MeasureNotAdoptedError  revoking a measure that was never adopted
    │   ├── MeetingClosedError      holding/moving a meeting already held or cancelled
    │   ├── MeetingNotScheduledError moving a meeting that was never scheduled
    │   ├── UnknownSubjectError     a party, measure or meeting first named without its name/title
    │   ├── UnknownActionError      a correction/retraction naming an id never recorded
    │   ├── DuplicateActionError    an id recorded before with different content
    │   └── CorrectionError         a correction that would change identity or break the record
    ├── HistoryError                an action would leave an earlier-recorded action invalid
    └── SnapshotOrderError          a list snapshot older than one already imported for that list
"""

from __future__ import annotations

__all__ = [
    "ActionRefusedError",
    "CorrectionError",
    "DomainError",
    "DuplicateActionError",
    "HistoryError",
    "MeasureNotAdoptedError",
    "MeasureWithdrawnError",
    "MeetingClosedError",
    "MeetingNotScheduledError",
    "NotListedError",
    "SnapshotOrderError",
    "UnknownActionError",
    "UnknownSubjectError",
]


class DomainError(Exception):
    """Root of the domain's errors; `field` names the offending field of the action."""

    def __init__(self, message: str, field: str = "kind") -> None:
        super().__init__(message)
        self.field = field
        self.message = message


class ActionRefusedError(DomainError):
    """An action cannot be recorded as written."""


class NotListedError(ActionRefusedError):
    """The party is not on that list on that date."""


class MeasureWithdrawnError(ActionRefusedError):
    """The measure was withdrawn on or before that date."""


class MeasureNotAdoptedError(ActionRefusedError):
    """A measure that was never adopted cannot be revoked (a draft or proposal is withdrawn)."""


class MeetingClosedError(ActionRefusedError):
    """The meeting was already held or cancelled."""


class MeetingNotScheduledError(ActionRefusedError):
    """The meeting was never scheduled before that date."""


class UnknownSubjectError(ActionRefusedError):
    """A subject appears for the first time without its name or title, or is not known at all."""


class UnknownActionError(ActionRefusedError):
    """No action with that id has been recorded."""


class DuplicateActionError(ActionRefusedError):
    """An action with that id was recorded before with different content."""


class CorrectionError(ActionRefusedError):
    """A correction that cannot be applied."""


class HistoryError(DomainError):
    """Recording the action would make an action recorded earlier impossible."""


class SnapshotOrderError(DomainError):
    """A list snapshot is older than the newest one already imported for the same list."""
