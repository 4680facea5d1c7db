"""How the reliability suite runs a case and looks at a store: the files a case needs, the command line run in
this process (or, for inputs that could hang or exhaust memory before they are refused, in a child process with a
time and memory limit), the number of stored events read straight from the database, and the checks every refused
input must pass.
"""

from __future__ import annotations

import json
import os
import resource
import sqlite3
import subprocess
import sys
import traceback
from contextlib import closing, redirect_stderr, redirect_stdout
from dataclasses import dataclass, field
from io import StringIO
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import yaml

from tests.conftest import POSTGRES_URL

__all__ = [
    "CHILD_MEMORY",
    "CHILD_SECONDS",
    "Case",
    "Input",
    "Outcome",
    "assert_answered",
    "assert_refused",
    "count_events",
    "json_of",
    "prepare",
    "run_child",
    "run_here",
    "schema_tables",
    "yaml_of",
]

CHILD_SECONDS = 10  # a hazardous input must be answered within this time …
CHILD_MEMORY = 2 * 1024**3  # … and this much address space


@dataclass(frozen=True)
class Input:
    """One input file of a case: its content (text is written as UTF-8), or a special kind of file.

    `special`: "fifo" (a named pipe no one writes to), "dev-zero" (/dev/zero itself), "directory", "missing" (a
    path where nothing is), or "padded" (`content` with `pad` spaces inserted before its last character: a file
    over the size limit whose content would otherwise be accepted).
    """

    content: str | bytes = ""
    suffix: str = ".yaml"
    special: str = ""
    pad: int = 0


@dataclass(frozen=True)
class Case:
    """One bad input and what regledger must answer.

    `args` is the command line after `regledger`; `{FILE}`, `{FILE2}`, … stand for the case's inputs, `{DB}` for the
    store, `{TMP}` for a fresh directory. Without `{DB}` in `args`, `--db STORE` is added for each store the case runs
    on. `status`: 1 (refused: exactly one line `regledger: error: …` on standard error), 2 (command-line misuse:
    click's usage error), or 0 (answered: the input is odd but valid, e.g. a date at the calendar's end). `says`: a
    fragment the message must contain. `seed`: what the store holds first ("": nothing; "timeline", "ends",
    "screening", "federal-register": see `test_catalogue._seed`). `stores`: "both" (the `db` fixture: SQLite, then
    PostgreSQL), "sqlite" (the input is refused before any store is read), or "own" (the case names its store
    itself). `hazard`: run in a child process with a time and memory limit. `leaves`: what the case must leave
    untouched besides the events ("file:NAME" a file byte for byte, "schema:NAME" a PostgreSQL schema's regledger
    tables). `adds`: an odd input that is valid and is recorded (status 0, events added).
    """

    id: str
    args: tuple[str, ...]
    inputs: tuple[Input, ...] = ()
    status: int = 1
    says: str = ""
    seed: str = ""
    stores: str = "both"
    hazard: bool = False
    leaves: str = ""
    adds: bool = False

    @property
    def category(self) -> str:
        """The part of regledger the case attacks: the id's first word (`record`, `federal-register`, …)."""
        return self.id.split("/", 1)[0]


@dataclass(frozen=True)
class Outcome:
    """What one run of the command line gave: exit status and both output streams."""

    code: int
    out: str
    err: str
    extra: dict[str, Any] = field(default_factory=dict)


def yaml_of(data: Any) -> str:
    """`data` as a YAML timeline."""
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def json_of(data: Any) -> str:
    """`data` as JSON; NaN and the infinities written as Python's json writes them (`NaN`, `Infinity`)."""
    return json.dumps(data, ensure_ascii=False)


def _write(path: Path, item: Input) -> None:
    if item.special == "fifo":
        os.mkfifo(path)
    elif item.special == "directory":
        path.mkdir()
    elif item.special != "missing":
        data = item.content.encode("utf-8") if isinstance(item.content, str) else item.content
        path.write_bytes(data)


def _padded(path: Path, item: Input) -> None:
    """Write `item.content` with `item.pad` spaces before its last character, a megabyte at a time."""
    text = item.content if isinstance(item.content, str) else item.content.decode()
    block = " " * 2**20
    with path.open("w", encoding="utf-8") as out:
        out.write(text[:-1])
        left = item.pad
        while left:
            out.write(block[: min(left, len(block))])
            left -= min(left, len(block))
        out.write(text[-1])


def prepare(case: Case, folder: Path) -> dict[str, str]:
    """Write the case's inputs into `folder`; the placeholders of its command line and their values."""
    names: dict[str, str] = {"TMP": str(folder / "scratch")}
    (folder / "scratch").mkdir()
    for number, item in enumerate(case.inputs, start=1):
        key = "FILE" if number == 1 else f"FILE{number}"
        path = Path("/dev/zero") if item.special == "dev-zero" else folder / f"input-{number}{item.suffix}"
        if item.special == "padded":
            _padded(path, item)
        elif item.special != "dev-zero":
            _write(path, item)
        names[key] = str(path)
    return names


def run_here(args: list[str]) -> Outcome:
    """`regledger ARGS…` through its real entry point in this process; SystemExit gives the status. An exception
    that escapes the entry point is what a real process would print: its traceback, on standard error, status 1."""
    from regledger.adapters.cli.main import main  # noqa: PLC0415

    out, err = StringIO(), StringIO()
    saved = sys.argv
    sys.argv = ["regledger", *args]
    code = 0
    try:
        with redirect_stdout(out), redirect_stderr(err):
            main()
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else 1
    except Exception:  # the case fails on it, showing it
        err.write(traceback.format_exc())
        code = 1
    finally:
        sys.argv = saved
    return Outcome(code, out.getvalue(), err.getvalue())


def _limits() -> None:
    """In the child: no more than CHILD_MEMORY of address space."""
    resource.setrlimit(resource.RLIMIT_AS, (CHILD_MEMORY, CHILD_MEMORY))


def run_child(args: list[str]) -> Outcome:
    """`regledger ARGS…` in a child process, killed after CHILD_SECONDS (status -9, and a note on stderr)."""
    command = [sys.executable, "-c", "from regledger.adapters.cli.main import main; main()", *args]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=CHILD_SECONDS,
                              preexec_fn=_limits, check=False)
    except subprocess.TimeoutExpired:
        return Outcome(-9, "", f"(killed: no answer within {CHILD_SECONDS} s)\n")
    return Outcome(done.returncode, done.stdout, done.stderr)


def _schema(db: str) -> str | None:
    if not db.startswith("postgresql://"):
        return None
    return parse_qs(urlsplit(db).query).get("schema", ["public"])[0]


def count_events(db: str) -> int:
    """How many rows the events table of the store holds, read with plain SQL (0 when there is none yet)."""
    schema = _schema(db)
    if schema is None:
        path = db.removeprefix("sqlite:///")
        if not Path(path).is_file():
            return 0
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as connection:
            found = connection.execute("SELECT count(*) FROM sqlite_master WHERE name = 'stored_events'").fetchone()
            return connection.execute("SELECT count(*) FROM stored_events").fetchone()[0] if found[0] else 0
    import psycopg  # noqa: PLC0415

    with psycopg.connect(POSTGRES_URL) as connection:
        table = connection.execute("SELECT to_regclass(%s)", (f'"{schema}".regledger_events',)).fetchone()
        if table is None or table[0] is None:
            return 0
        return int(connection.execute(f'SELECT count(*) FROM "{schema}".regledger_events').fetchone()[0])


def schema_tables(schema: str) -> list[str]:
    """The regledger tables in a PostgreSQL schema of the test database."""
    import psycopg  # noqa: PLC0415

    with psycopg.connect(POSTGRES_URL) as connection:
        rows = connection.execute("SELECT tablename FROM pg_tables WHERE schemaname = %s AND tablename LIKE "
                                  "'regledger%%' ORDER BY tablename", (schema,)).fetchall()
    return [row[0] for row in rows]


def _one_line(err: str) -> list[str]:
    return err.strip("\n").split("\n") if err.strip() else []


def assert_refused(case: Case, outcome: Outcome, names: dict[str, str]) -> None:
    """The case's status, no traceback anywhere, and the one message it deserves."""
    shown = f"{case.id}: {outcome!r}"
    assert "Traceback" not in outcome.err + outcome.out, shown
    assert outcome.code == case.status, shown
    lines = _one_line(outcome.err)
    if case.status == 1:
        assert len(lines) == 1, shown
        assert lines[0].startswith("regledger: error: "), shown
    else:
        assert lines, shown
        assert lines[-1].startswith("Error: "), shown
        assert lines[0].startswith("Usage: regledger"), shown
    says = case.says.format(**names)
    assert says in outcome.err, f"{shown}: the message does not say {says!r}"


def assert_answered(case: Case, outcome: Outcome) -> None:
    """An odd but valid input: exit 0, nothing on standard error, an answer on standard output."""
    shown = f"{case.id}: {outcome!r}"
    assert "Traceback" not in outcome.err + outcome.out, shown
    assert outcome.code == 0, shown
    assert outcome.err == "", shown
    assert outcome.out.strip(), shown
    assert case.says.format() in outcome.out, shown

