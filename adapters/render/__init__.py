"""Rendering: the text and JSON output of the answers to `as-of`, `diff` and `history` (`answers_text`,
`answers_json`), and the reports (`reports`: their data, HTML and Markdown templates, SVG timeline)."""

from .answers_json import diff_json, history_json, state_json
from .answers_text import diff_text, history_text, state_text

__all__ = ["diff_json", "diff_text", "history_json", "history_text", "state_json", "state_text"]
