"""Safe text: stored text shown so that it can neither drive the reader's terminal nor disguise itself.

Every text answer (`as-of`, `diff`, `history`, `log`, import previews) passes each of its lines through `safe_text`
(`safe_lines`), and every report passes its data through it (`safe_data`) before a template renders it as HTML or
Markdown; JSON output stays the exact data (JSON escapes control characters itself). The characters shown escaped:

    C0 controls, DEL, C1 controls     U+0000-U+001F, U+007F, U+0080-U+009F   `\\t` `\\n` `\\r`, else `\\x1b`
    line and paragraph separators     U+2028, U+2029                          `\\u2028`
    format characters (category Cf)   bidi embeddings, overrides, isolates    `\\u202e` `\\u2066`
                                      and marks, zero-width space, BOM, soft
                                      hyphen, tags, …
    lone surrogates                   U+D800-U+DFFF                           `\\udc80`

The escapes are Python's: `\\xNN` below U+0100, `\\uNNNN`, `\\UNNNNNNNN` above U+FFFF. The zero-width non-joiner
and joiner (U+200C, U+200D) are left as they are: Persian, the Indic scripts and emoji spell with them. A backslash
that would otherwise read as the start of an escape (one followed by `\\`, `n`, `r`, `t`, `x`, `u`, `U`, or by a
character shown escaped) is doubled, so that what is shown reads back to exactly one text. Everything else, CJK and
other scripts included, is shown as it is.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Any, Final

import orjson

__all__ = ["KEPT_FORMAT", "is_unsafe", "safe_data", "safe_lines", "safe_text"]

UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs"})
KEPT_FORMAT = frozenset({"\u200c", "\u200d"})  # zero-width non-joiner and joiner: part of how some scripts spell
_SHORT = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}
_LEADS = frozenset("\\nrtxuU")
_ESCAPED_IN_JSON: Final = re.compile(rb'\\[^"]')  # in JSON text: a backslash, or a control character, in a string


def is_unsafe(character: str) -> bool:
    """Whether `safe_text` shows this character escaped: a control, separator or format character (not ZWNJ/ZWJ)."""
    return unicodedata.category(character) in UNSAFE_CATEGORIES and character not in KEPT_FORMAT


def _escaped(character: str) -> str:
    """The escape of one unsafe character: `\\n`, `\\x1b`, `\\u202e`, `\\U000e0001`."""
    code = ord(character)
    if character in _SHORT:
        return _SHORT[character]
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def _starts_escape(following: str) -> bool:
    """Whether what is shown after a backslash would read as an escape: one of its letters, a backslash, or a
    character that is itself shown escaped."""
    return following in _LEADS or (following != "" and not following.isprintable() and is_unsafe(following))


def safe_text(text: str, *, backslashes: bool = True) -> str:
    """`text` with every control, separator and format character escaped: one line, shown as it reads. Without
    `backslashes`, a backslash is left as it is: for messages whose values are already quoted with escapes (repr),
    where doubling would show those escapes twice."""
    if ("\\" not in text or not backslashes) and text.isprintable():  # ordinary text, the common case, as it is
        return text
    shown = []
    for index, character in enumerate(text):
        if character == "\\" and backslashes:
            shown.append("\\\\" if _starts_escape(text[index + 1:index + 2]) else character)
        else:
            shown.append(_escaped(character) if not character.isprintable() and is_unsafe(character) else character)
    return "".join(shown)


def safe_lines(lines: Iterable[str]) -> str:
    """Lines of a text answer joined by newlines, each made safe first: a newline inside a value shows as `\\n`
    and can never start a line of its own."""
    return "\n".join(safe_text(line) for line in lines)


def _nothing_to_escape(data: Any) -> bool:
    """Whether no string in `data` holds a backslash or a character that is not printable: its JSON text (made by
    orjson: a walk in Python, or the standard library's encoder, took several times as long) then holds neither,
    but for the backslashes before quotes. JSON escapes the controls below U+0020 with a backslash; DEL and the
    characters above it it writes as they are."""
    try:
        text = orjson.dumps(data)
    except TypeError:  # something orjson cannot hold (a lone surrogate, a huge integer): the walk decides
        return False
    if b"\\" in text and _ESCAPED_IN_JSON.search(text) is not None:
        return False
    return b"\x7f" not in text if text.isascii() else text.decode().isprintable()


def _made_safe(data: Any) -> Any:
    if isinstance(data, str):
        return safe_text(data)
    if isinstance(data, dict):
        return {_made_safe(key): _made_safe(value) for key, value in data.items()}
    if isinstance(data, list | tuple):
        return [_made_safe(item) for item in data]
    return data


def safe_data(data: Any) -> Any:
    """JSON-ready data with every string in it (dictionary keys too) made safe; numbers and the rest as they are.
    Data in which no string needs a change (a page's or a report's, nearly always) is returned as it is, not
    copied."""
    return data if _nothing_to_escape(data) else _made_safe(data)
