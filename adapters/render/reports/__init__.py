"""Reports: the snapshot (`data`), change log (`changes`), party dossier (`party`) and replay (`replay`) as JSON-ready
dicts, and `render` to print one as HTML, Markdown or JSON through the one jinja2 environment (`environment`)."""

from .changes import changes_report
from .data import Produced, produced_now, snapshot_report
from .environment import FORMATS, render
from .party import party_report
from .replay import replay_report

__all__ = [
    "FORMATS",
    "Produced",
    "changes_report",
    "party_report",
    "produced_now",
    "render",
    "replay_report",
    "snapshot_report",
]
