"""The domain: actions, their aggregates and the guards that keep a history possible.

Imports only the standard library, pydantic and `eventsourcing.domain`.
"""

from .actions import KINDS, Action, ActionBase, Correction, Retraction, action_adapter, canonical_json
from .errors import DomainError, HistoryError
from .events import natural_id, recording_at
from .history import Entry, resolve
from .index import ActionIndex
from .listing import Listing, ListingState, listing_step
from .measure import Measure, MeasureState, measure_status, measure_step
from .meeting import Meeting, MeetingState, meeting_step
from .party import Party
from .position import Position, PositionState, position_step
from .recording import RecordRun
from .screening_run import ScreeningRun
from .snapshot import ImportedSnapshot, ListSnapshot
from .subject import Subject
from .values import Reliability, Source

__all__ = [
    "KINDS",
    "Action",
    "ActionBase",
    "ActionIndex",
    "Correction",
    "DomainError",
    "Entry",
    "HistoryError",
    "ImportedSnapshot",
    "ListSnapshot",
    "Listing",
    "ListingState",
    "Measure",
    "MeasureState",
    "Meeting",
    "MeetingState",
    "Party",
    "Position",
    "PositionState",
    "RecordRun",
    "Reliability",
    "Retraction",
    "ScreeningRun",
    "Source",
    "Subject",
    "action_adapter",
    "canonical_json",
    "listing_step",
    "measure_status",
    "measure_step",
    "meeting_step",
    "natural_id",
    "position_step",
    "recording_at",
    "resolve",
]
