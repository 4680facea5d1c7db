"""Read models: temporal tables beside the events that answer `as-of`, `diff` and `history` with one indexed query
each. Their tables and bounds (`sql`), writing (`writer`) and reading (`reader`) them, their SQLite and PostgreSQL
stores (`sqlite`, `postgres`), keeping them current (`runner`, `lifecycle`, with their version), comparing them with
the reference fold (`check`), and choosing between the two to answer (`source`)."""

from regledger.adapters.readmodels.check import Checked, check_views
from regledger.adapters.readmodels.lifecycle import (
    READ_MODEL_VERSION,
    ReadModels,
    behind,
    bring_up_to_date,
    views_of,
)
from regledger.adapters.readmodels.runner import catch_up, follow, rebuild
from regledger.adapters.readmodels.source import AnswerSource, FoldSource, ModelSource, open_source, stored_entries

__all__ = [
    "READ_MODEL_VERSION",
    "AnswerSource",
    "Checked",
    "FoldSource",
    "ModelSource",
    "ReadModels",
    "behind",
    "bring_up_to_date",
    "catch_up",
    "check_views",
    "follow",
    "open_source",
    "rebuild",
    "stored_entries",
    "views_of",
]
