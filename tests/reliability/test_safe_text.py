"""Safe terminal text: stored text that holds control characters, escape sequences, bidi overrides or line breaks is
shown escaped in every text output and in the reports' text, never passed to the terminal raw; JSON keeps the exact
string.

Input validation now refuses such text, so the hostile ledger here is one written as a release before it would have
written it: the action is validated with the `STORED` context (as the ledger reads back what it stores) and recorded
through the ledger itself, on each store.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from regledger.adapters.render.reports.filters import md
from regledger.adapters.safe_text import KEPT_FORMAT, _made_safe, is_unsafe, safe_data, safe_lines, safe_text
from regledger.adapters.store.ledger import Located
from regledger.adapters.wiring import open_stores
from regledger.domain import action_adapter
from regledger.domain.values import STORED
from tests.conftest import EXAMPLE, listed, source
from tests.integration.integrity_kit import Attacker, find_event

HOSTILE = "\x1b]0;pwned\x07\x1b[2J"
NAME = f"Evil {HOSTILE} Co\nFAKE LINE \u202eabc"
ALIAS = "a\u202eb\u2066c"
CITATION = f"84 FR {HOSTILE}1"
NOTE = "first\nFAKE NOTE\x1b[31m red"
_ESCAPE = re.compile(r"\\(\\|n|r|t|x[0-9a-f]{2}|u[0-9a-f]{4}|U[0-9a-f]{8})")


def _read_back(shown: str) -> str:
    """The text `safe_text` showed, read back: each escape turned into its character."""
    def one(found: re.Match[str]) -> str:
        code = found.group(1)
        return {"\\": "\\", "n": "\n", "r": "\r", "t": "\t"}.get(code) or chr(int(code[1:], 16))

    return _ESCAPE.sub(one, shown)


def _raw(text: str) -> list[str]:
    """Every character of `text` that a terminal would act on or that disguises text (newlines apart)."""
    return [c for c in text if c != "\n" and is_unsafe(c)]


# -- the function ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "shown"), [
    (HOSTILE, "\\x1b]0;pwned\\x07\\x1b[2J"),
    ("a\nb\tc\rd", "a\\nb\\tc\\rd"),
    ("nul\x00 del\x7f c1\x85\x9b", "nul\\x00 del\\x7f c1\\x85\\x9b"),
    ("\u202aL\u202bR\u202cP\u202dO\u202eE", "\\u202aL\\u202bR\\u202cP\\u202dO\\u202eE"),
    ("\u2066i\u2067r\u2068f\u2069p", "\\u2066i\\u2067r\\u2068f\\u2069p"),
    ("lrm\u200e rlm\u200f zwsp\u200b bom\ufeff shy\xad", "lrm\\u200e rlm\\u200f zwsp\\u200b bom\\ufeff shy\\xad"),
    ("line\u2028para\u2029", "line\\u2028para\\u2029"),
    ("tag\U000e0041", "tag\\U000e0041"),
    ("lone\ud800", "lone\\ud800"),
])
def test_controls_bidi_and_format_characters_are_shown_escaped(text: str, shown: str) -> None:
    assert safe_text(text) == shown


@pytest.mark.parametrize("text", [
    "Huawei Technologies Co., Ltd.", "華為技術有限公司", "华为", "Ömer Çelik – “quoted” ‘single’", "a\u00a0b",
    "مرحبا", "שלום", "नमस्ते", "می\u200cخواهم", "👩\u200d💻", "C:\\data\\files", "50% \\ 2", "",
])
def test_ordinary_text_of_any_script_is_shown_as_it_is(text: str) -> None:
    assert safe_text(text) == text


def test_a_backslash_that_would_read_as_an_escape_is_doubled() -> None:
    assert safe_text("\\x1b is not ESC") == "\\\\x1b is not ESC"
    assert safe_text("C:\\new\\table\\u") == "C:\\\\new\\\\table\\\\u"
    assert safe_text("end\\") == "end\\"


def test_the_bundled_case_is_shown_exactly_as_written() -> None:
    def strings(data: object) -> list[str]:
        if isinstance(data, dict):
            return [s for k, v in data.items() for s in (k, *strings(v))]
        if isinstance(data, list):
            return [s for item in data for s in strings(item)]
        return [data] if isinstance(data, str) else []

    texts = strings(yaml.load(EXAMPLE.read_text(encoding="utf-8"), Loader=yaml.BaseLoader))  # noqa: S506

    assert len(texts) > 500
    assert [t for t in texts if safe_text(t) != t] == []


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_what_is_shown_has_nothing_raw_and_reads_back_to_exactly_the_text(text: str) -> None:
    shown = safe_text(text)

    assert _raw(shown) == []
    assert "\n" not in shown
    assert _read_back(shown) == text


def test_the_characters_kept_are_the_joiners_that_scripts_spell_with() -> None:
    unsafe = {chr(c) for c in range(0x110000) if unicodedata.category(chr(c)) in {"Cc", "Cf", "Zl", "Zp", "Cs"}}

    assert {c for c in unsafe if not is_unsafe(c)} == set(KEPT_FORMAT) == {"\u200c", "\u200d"}


def test_a_newline_inside_a_line_never_makes_a_line_of_its_own() -> None:
    assert safe_lines(["- " + NAME, "  Sources: x"]).split("\n") == [
        "- Evil \\x1b]0;pwned\\x07\\x1b[2J Co\\nFAKE LINE \\u202eabc", "  Sources: x"]


def test_report_data_is_made_safe_keys_and_all_and_numbers_kept() -> None:
    data = {"name": NAME, "details": {"a\nb": [HOSTILE, 3, None, True]}, "count": 2.5}

    assert safe_data(data) == {"name": safe_text(NAME), "details": {"a\\nb": [safe_text(HOSTILE), 3, None, True]},
                               "count": 2.5}


_JSON_DATA = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
                          lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
                          max_leaves=12)


@given(_JSON_DATA)
def test_data_is_made_safe_alike_whether_the_quick_check_passes_it_or_the_walk_does(data: object) -> None:
    assert safe_data(data) == _made_safe(data)


@pytest.mark.parametrize("text", ['say "hi"', "a\\", 'a\\"', "a\nb", "\x7f", "\x85", "\u202e", "\u2028", "\ud800",
                                  "\u00a0", "華為 \u200d"])
def test_the_quick_check_lets_through_only_what_needs_no_change(text: str) -> None:
    data = {"k": [text]}
    made = safe_data(data)

    assert made == {"k": [safe_text(text)]}
    assert (made is data) == ("\\" not in text and text.isprintable())  # the rest is walked, changed or not


# -- every output of a ledger holding hostile text ---------------------------------------------------------------------


def _record_as_stored(db: str, *actions: dict[str, object]) -> None:
    """Store `actions` as a ledger written before input validation would have: validated as stored events are."""
    located = [Located(f"action {n}", action_adapter.validate_python(a, context=STORED))
               for n, a in enumerate(actions, start=1)]
    with open_stores(db, write=True) as stores:
        stores.ledger.record(located)


@pytest.fixture
def hostile(db: str) -> str:
    """A ledger whose listing of `evil` has a hostile name, alias, note and citation, and then an entry amendment
    with hostile terms and a new hostile name."""
    action = listed("evil", name=NAME, id="el-1", note=NOTE)
    action["party"]["aliases"] = [ALIAS]  # type: ignore[index]
    action["sources"] = [source(CITATION)]
    amended = listed("evil", name=NAME + " II", id="ea-1", kind="entry_amended", effective_on="2019-06-01",
                     published_on="2019-06-01", details={"license_policy": NOTE})
    _record_as_stored(db, action, amended)
    return db


def _assert_safe(text: str) -> None:
    assert _raw(text) == [], [hex(ord(c)) for c in _raw(text)]
    assert not [line for line in text.splitlines() if line.startswith(("FAKE", "regledger: error"))]


@pytest.mark.parametrize("args", [
    ("as-of", "2019-06-02"), ("as-of", "2019-06-02", "--party", "evil"), ("diff", "2019-05-01", "2019-06-02"),
    ("history", "evil"), ("log",),
])
def test_text_answers_show_hostile_text_escaped(run_cli, hostile: str, args: tuple[str, ...]) -> None:
    result = run_cli(*args, "--db", hostile)

    assert result.code == 0, result
    _assert_safe(result.out)
    assert safe_text(CITATION) in result.out
    if args[0] != "log":
        assert safe_text(NAME) in result.out


def test_history_shows_hostile_notes_and_terms_escaped(run_cli, hostile: str) -> None:
    result = run_cli("history", "evil", "--db", hostile)

    _assert_safe(result.out)
    assert safe_text(NOTE) in result.out
    assert safe_text(NAME + " II") in result.out
    assert safe_text(ALIAS) in result.out


def _strings(data: object) -> list[str]:
    """Every string in decoded JSON."""
    if isinstance(data, dict):
        return [s for value in data.values() for s in _strings(value)]
    if isinstance(data, list):
        return [s for item in data for s in _strings(item)]
    return [data] if isinstance(data, str) else []


@pytest.mark.parametrize("args", [("as-of", "2019-06-02"), ("history", "evil"), ("log",)])
def test_json_keeps_the_exact_text(run_cli, hostile: str, args: tuple[str, ...]) -> None:
    result = run_cli(*args, "--format", "json", "--db", hostile)

    assert result.code == 0, result
    assert "\x1b" not in result.out  # JSON escapes control characters itself …
    strings = _strings(json.loads(result.out))
    assert CITATION in strings  # … and the data is exact
    assert NAME + " II" in strings


@pytest.mark.parametrize("kind", ["snapshot", "changes", "party", "replay"])
@pytest.mark.parametrize("output", ["html", "markdown"])
def test_reports_show_hostile_text_escaped(run_cli, hostile: str, kind: str, output: str) -> None:
    args = {"snapshot": ("snapshot", "2019-06-02"), "party": ("party", "evil"), "replay": ("replay",),
            "changes": ("changes", "--from", "2019-05-01", "--to", "2019-06-02")}[kind]

    result = run_cli("report", *args, "--format", output, "--db", hostile)

    assert result.code == 0, result
    _assert_safe(result.out)
    shown = safe_text(NAME)
    if output == "html":
        assert shown in result.out
        assert f"<bdi>{shown}" in result.out or kind == "replay"  # the replay names a party in brackets
    else:
        assert str(md(shown)) in result.out


def test_json_reports_keep_the_exact_text(run_cli, hostile: str) -> None:
    result = run_cli("report", "party", "evil", "--format", "json", "--db", hostile)

    assert result.code == 0, result
    report = json.loads(result.out)
    assert NAME + " II" in report["party"]["names"] or NAME in report["party"]["names"]


def test_verify_names_a_changed_hostile_event_on_one_safe_line(run_cli, hostile: str) -> None:
    position, event = find_event(hostile, "(id el-1)")
    attacker = Attacker(hostile)
    try:
        attacker.change(event.notification_id, b"2019-05-16", b"2019-05-15")
    finally:
        attacker.close()

    result = run_cli("verify", "--db", hostile)

    assert result.code == 1
    _assert_safe(result.out + result.err)
    assert safe_text(CITATION) in result.out
    assert f"position {position}" in result.out


def test_a_dry_run_preview_shows_bidi_overrides_escaped(run_cli, db: str, tmp_path: Path) -> None:
    snapshot = json.loads((Path(__file__).parents[1] / "fixtures" / "screening-list" / "csl-2019-06-03.json")
                          .read_text(encoding="utf-8"))
    snapshot["results"][1]["name"] = "Example \u202eTrading\u2066 Co."
    path = tmp_path / "csl.json"
    path.write_text(json.dumps(snapshot, ensure_ascii=False), encoding="utf-8")

    result = run_cli("import", "screening-list", str(path), "--as-published", "2019-06-03", "--dry-run",
                     "--db", db)

    assert result.code == 0, result
    _assert_safe(result.out)
    assert "Example \\u202eTrading\\u2066 Co." in result.out
