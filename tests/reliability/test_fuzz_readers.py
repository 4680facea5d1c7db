"""Property-based fuzzing of the readers: random mutations of valid files — a timeline (actions of the bundled case),
a Federal Register search result and a screening-list snapshot (JSON and CSV) — never make regledger raise anything
but its InputError, and through the command line never give a traceback: exit 0, or exit 1 with one line on
standard error and nothing stored in the fresh ledger.

The mutations: bytes flipped, the file cut short, control characters (C0, DEL, C1, bidi overrides) inserted, nesting
deepened past the limit around any value or the whole file, a value swapped for one of another type (numbers JSON
cannot carry among them) and a key removed.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from regledger.adapters.errors import InputError
from regledger.adapters.importers.federal_register import read_documents
from regledger.adapters.importers.screening_read import read_snapshot
from regledger.adapters.importers.timeline import read_timeline
from tests.conftest import EXAMPLE, ROOT
from tests.reliability.kit import count_events, run_here

ACTIONS = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))[:8]  # self-contained: no action refers to a later one
FIXTURES = ROOT / "tests" / "fixtures"
SEEDS: dict[str, tuple[str, bytes]] = {
    "timeline-yaml": (".yaml", yaml.safe_dump(ACTIONS, allow_unicode=True, sort_keys=False).encode()),
    "timeline-json": (".json", json.dumps(ACTIONS, ensure_ascii=False, default=str).encode()),
    "federal-register": (".json", (FIXTURES / "federal-register" / "search-2019.json").read_bytes()),
    "screening-json": (".json", (FIXTURES / "screening-list" / "csl-2019-06-03.json").read_bytes()),
    "screening-csv": (".csv", (FIXTURES / "screening-list" / "csl-2019-06-03.csv").read_bytes()),
}
READERS: dict[str, Callable[[Path], object]] = {
    "timeline-yaml": read_timeline, "timeline-json": read_timeline, "federal-register": read_documents,
    "screening-json": read_snapshot, "screening-csv": read_snapshot,
}
COMMANDS: dict[str, list[str]] = {
    "timeline-yaml": ["record"], "timeline-json": ["record"], "federal-register": ["import", "federal-register"],
    "screening-json": ["import", "screening-list"], "screening-csv": ["import", "screening-list"],
}
CONTROLS = [b"\x00", b"\x07", b"\x1b[2J", b"\x1b]0;pwned\x07", b"\n", b"\r", b"\t", b"\x7f", "\x85".encode(),
            "\u202e".encode(), "\u2066".encode(), "\u2028".encode(), b"\xef\xbb\xbf", b"\xff"]
ODD_VALUES: list[Any] = [None, True, 0, -1, 2**63, 10**30, 1.5, float("nan"), float("inf"), float("-inf"), "", "x",
                         "\x00", "\x1b[2J", "2019-02-30", "9999-12-31", "0001-01-01", [], [1, 2], {}, {"a": None}]


def _flip(data: bytes, draw: st.DrawFn) -> bytes:
    at = draw(st.integers(0, len(data) - 1))
    return data[:at] + bytes([data[at] ^ draw(st.integers(1, 255))]) + data[at + 1:]


def _cut(data: bytes, draw: st.DrawFn) -> bytes:
    return data[: draw(st.integers(0, len(data) - 1))]


def _insert(data: bytes, draw: st.DrawFn) -> bytes:
    at = draw(st.integers(0, len(data)))
    return data[:at] + draw(st.sampled_from(CONTROLS)) * draw(st.integers(1, 3)) + data[at:]


def _deepen(data: bytes, draw: st.DrawFn) -> bytes:
    depth = draw(st.integers(1, 300))
    return b"[" * depth + data + b"]" * depth


def _paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a value inside decoded JSON."""
    found = [path]
    if isinstance(value, dict):
        found += [p for key, item in value.items() for p in _paths(item, (*path, key))]
    elif isinstance(value, list):
        found += [p for index, item in enumerate(value) for p in _paths(item, (*path, index))]
    return found


def _restructure(data: bytes, draw: st.DrawFn) -> bytes:
    """Swap a value for one of another type, remove a key, or bury a value deep (JSON files only)."""
    tree = json.loads(data)
    path = draw(st.sampled_from(_paths(tree)[1:]))
    parent = tree
    for step in path[:-1]:
        parent = parent[step]
    action = draw(st.sampled_from(["swap", "remove", "bury"]))
    if action == "remove" and isinstance(parent, dict):
        del parent[path[-1]]
    elif action == "bury":
        parent[path[-1]] = json.loads("[" * 150 + json.dumps(parent[path[-1]]) + "]" * 150)
    else:
        parent[path[-1]] = draw(st.sampled_from(ODD_VALUES))
    return json.dumps(tree, ensure_ascii=False).encode()


@st.composite
def mutated(draw: st.DrawFn, seed: str) -> bytes:
    """A valid file of `seed` after one to three random mutations."""
    data = SEEDS[seed][1]
    kinds = [_flip, _cut, _insert, _deepen] + ([_restructure] if SEEDS[seed][0] == ".json" else [])
    for _ in range(draw(st.integers(1, 3))):
        mutate = draw(st.sampled_from(kinds))
        if mutate is _restructure:
            try:
                data = _restructure(data, draw)
            except (ValueError, RecursionError):  # an earlier mutation left no JSON to restructure
                continue
        else:
            data = mutate(data, draw) if data else data
    return data


def _read(seed: str, data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"input{SEEDS[seed][0]}"
        path.write_bytes(data)
        try:
            READERS[seed](path)
        except InputError as error:
            message = str(error)
        else:
            return
    assert "\n" not in message, message


@pytest.mark.parametrize("seed", sorted(SEEDS))
def test_the_unmutated_files_are_read(seed: str) -> None:
    _read(seed, SEEDS[seed][1])


@pytest.mark.parametrize("seed", sorted(SEEDS))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_reader_raises_nothing_but_a_one_line_input_error(seed: str, data: st.DataObject) -> None:
    _read(seed, data.draw(mutated(seed)))


def _run(seed: str, data: bytes) -> tuple[int, str, str, int]:
    """The command line over the file in a fresh SQLite ledger: exit status, stdout, stderr, events stored."""
    with tempfile.TemporaryDirectory() as folder:
        path, db = Path(folder) / f"input{SEEDS[seed][0]}", str(Path(folder) / "ledger.db")
        path.write_bytes(data)
        day = ["--as-published", "2019-06-03"] if seed.startswith("screening") else []
        outcome = run_here([*COMMANDS[seed], str(path), *day, "--db", db])
        return outcome.code, outcome.out, outcome.err, count_events(db)


@pytest.mark.parametrize("seed", sorted(SEEDS))
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_the_command_line_answers_a_mutated_file_cleanly(seed: str, data: st.DataObject) -> None:
    code, out, err, stored = _run(seed, data.draw(mutated(seed)))

    assert "Traceback" not in out + err, err
    assert code in (0, 1), (code, err)
    if code == 1:
        assert len(err.strip("\n").split("\n")) == 1, err
        assert err.startswith("regledger: error: "), err
        assert stored == 0
    else:
        assert err == "", err
