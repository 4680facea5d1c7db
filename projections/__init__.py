"""Projections: the state of the rules for any (as of, published by, known at, minimum tier), diffs and histories.

Pure functions over recorded entries (`regledger.domain.history.Entry`); imports only the domain and the standard
library. The reference fold here is the oracle that faster read models must agree with; `temporal` computes the
read models' rows from it, `model_store` is their interface (`ModelStore`) and `answers` turns rows into the fold's
answers.
"""

from .diff import Change, Diff, DiffPage, ListChanges, TookEffect, diff
from .errors import NotFoundError, ProjectionError
from .fold import state_as_of, state_at
from .history import Amendment, FieldChange, History, HistoryItem, find_subjects, history
from .items import Citation, ListEntry, MeasureView, MeetingView, PendingChange, PositionView, State
from .model_store import ModelStore
from .parties import PartyMatch, PartyNames, directory, find_list, match_parties, normalise
from .query import Query
from .select import StatePage, page_state, select_diff, select_state
from .subjects import SubjectKey, group_by_subject, resolve_all
from .temporal import UnitModel, unit_model
from .units import Version, unit_of, versions

__all__ = [
    "Amendment",
    "Change",
    "Citation",
    "Diff",
    "DiffPage",
    "FieldChange",
    "History",
    "HistoryItem",
    "ListChanges",
    "ListEntry",
    "MeasureView",
    "MeetingView",
    "ModelStore",
    "NotFoundError",
    "PartyMatch",
    "PartyNames",
    "PendingChange",
    "PositionView",
    "ProjectionError",
    "Query",
    "State",
    "StatePage",
    "SubjectKey",
    "TookEffect",
    "UnitModel",
    "Version",
    "diff",
    "directory",
    "find_list",
    "find_subjects",
    "group_by_subject",
    "history",
    "match_parties",
    "normalise",
    "page_state",
    "resolve_all",
    "select_diff",
    "select_state",
    "state_as_of",
    "state_at",
    "unit_model",
    "unit_of",
    "versions",
]
