"""`--db`: every setting that names no usable store is refused in one line `--db: …` (exit 1, nothing created or
stored), and a store that cannot be written is read as usual while every write says that it is read-only."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.conftest import EXAMPLE, POSTGRES_URL, CliResult, require_postgres
from tests.e2e.refusal_kit import event_count, refused

FR_DOCUMENT = EXAMPLE.parent.parent / "tests" / "fixtures" / "federal-register" / "eo-13873.json"
HOST = POSTGRES_URL.split("?")[0].rsplit("/", 1)[0].rsplit(":", 1)[0]  # postgresql://postgres@127.0.0.1

URL_CASES = [  # (case, --db, what the refusal says)
    ("port-99999", f"{HOST}:99999/test", f"--db: '{HOST}:99999/test': not a valid URL: Port out of range 0-65535"),
    ("port-abc", f"{HOST}:abc/test", f"--db: '{HOST}:abc/test': not a valid URL: Port could not be cast to integer"),
    ("port-0", f"{HOST}:0/test", f"--db: '{HOST}:0/test': port 0 is not a port (1-65535)"),
    ("unclosed-ipv6", "postgresql://postgres@[::1/test", "--db: 'postgresql://postgres@[::1/test': not a valid URL: "
                                                         "Invalid IPv6 URL"),
    ("empty-schema", f"{HOST}/test?schema=", "--db: schema is empty: name one (?schema=NAME), or leave the parameter "
                                             "out for public"),
    ("information-schema", f"{HOST}/test?schema=information_schema",
     "--db: schema 'information_schema' is a PostgreSQL system schema: name a schema of your own"),
    ("pg-catalog", f"{HOST}/test?schema=pg_catalog", "--db: schema 'pg_catalog' is a PostgreSQL system schema"),
    ("pg-toast", f"{HOST}/test?schema=pg_toast", "--db: schema 'pg_toast' is a PostgreSQL system schema"),
    ("schema-twice", f"{HOST}/test?schema=a&schema=b", "--db: schema is given more than once"),
    ("unknown-parameter", f"{HOST}/test?sslmode=bogus", "--db: unknown URL parameter(s) sslmode (only schema=NAME)"),
    ("password-hidden", "postgresql://u:secret@127.0.0.1:99999/test", "--db: 'postgresql://u:***@127.0.0.1:99999/"
                                                                       "test': not a valid URL"),
    ("nul-in-user", "postgresql://a%00b@127.0.0.1/test", "--db: 'postgresql://a%00b@127.0.0.1/test': the user, "
                                                          "password or database name holds a control character"),
    ("control-in-path", "led\nger.db", "--db: 'led\\nger.db': the setting holds a control character"),
    ("empty", "", "--db: the setting is empty: give a file path, sqlite:///PATH or postgresql://USER@HOST/DB"),
    ("sqlite-empty-path", "sqlite:///", "--db: the SQLite path is empty"),
]


@pytest.mark.parametrize(("command", "setting", "says"),
                         [(command, *case[1:]) for case in URL_CASES for command in ("log", "record")],
                         ids=[f"{case[0]}-{command}" for case in URL_CASES for command in ("log", "record")])
def test_a_store_setting_that_is_not_one_is_refused_in_one_line(run_cli, command, setting, says) -> None:
    args = ("record", str(EXAMPLE)) if command == "record" else ("log",)

    result = run_cli(*args, "--db", setting)

    assert refused(result).startswith(says), result
    assert "secret" not in result.err


def _system_tables() -> list[tuple[str, str]]:
    import psycopg  # noqa: PLC0415

    with psycopg.connect(POSTGRES_URL) as connection:
        return connection.execute("SELECT schemaname, tablename FROM pg_tables WHERE schemaname IN "
                                  "('information_schema', 'pg_catalog') ORDER BY 1, 2").fetchall()


@pytest.mark.postgres
def test_a_system_schema_is_left_untouched(run_cli) -> None:
    require_postgres()
    before = _system_tables()

    for schema in ("information_schema", "pg_catalog"):
        refused(run_cli("record", str(EXAMPLE), "--db", f"{POSTGRES_URL.split('?')[0]}?schema={schema}"))

    assert _system_tables() == before


@pytest.mark.postgres
def test_a_server_that_does_not_answer_is_named_under_db(run_cli) -> None:
    require_postgres()

    message = refused(run_cli("as-of", "2019-06-01", "--db", "postgresql://postgres@127.0.0.1:1/test"))

    assert message.startswith("--db: cannot reach PostgreSQL at postgresql://postgres@127.0.0.1:1/test: ")


def _text_file(tmp_path: Path) -> Path:
    path = tmp_path / "notes.txt"
    path.write_text("not a database\n", encoding="utf-8")
    return path


def _binary_file(tmp_path: Path) -> Path:
    path = tmp_path / "noise.bin"
    path.write_bytes(bytes(range(256)) * 64)
    return path


def _fifo(tmp_path: Path) -> Path:
    path = tmp_path / "pipe.db"
    os.mkfifo(path)
    return path


FILE_CASES = [  # (case, the path --db names, what the refusal says after `--db: 'PATH'`)
    ("text-file", _text_file, " is not a SQLite database (its first bytes are not the SQLite header)"),
    ("binary-file", _binary_file, " is not a SQLite database (its first bytes are not the SQLite header)"),
    ("folder", lambda tmp: tmp, " is a folder, not a SQLite database file"),
    ("dev-zero", lambda _tmp: Path("/dev/zero"), " is not a regular file, so not a SQLite database file"),
    ("fifo", _fifo, " is not a regular file, so not a SQLite database file"),
    ("no-such-folder", lambda tmp: tmp / "no" / "ledger.db", ": the folder '{PARENT}' does not exist"),
]


@pytest.mark.parametrize(("command", "make", "says"),
                         [(command, *case[1:]) for case in FILE_CASES for command in ("log", "record", "as-of")],
                         ids=[f"{case[0]}-{command}" for case in FILE_CASES for command in ("log", "record", "as-of")])
def test_a_sqlite_setting_that_names_no_sqlite_database_is_refused_and_left_as_it_was(
        run_cli, tmp_path, command, make, says) -> None:
    path = make(tmp_path)
    before = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None
    args = {"record": ("record", str(EXAMPLE)), "log": ("log",), "as-of": ("as-of", "2019-06-01")}[command]

    result = run_cli(*args, "--db", str(path))

    assert refused(result) == f"--db: {str(path)!r}{says.replace('{PARENT}', str(path.parent))}"
    if before is not None:
        assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    assert not path.with_name(path.name + "-wal").exists()


# -- stores that cannot be written ---------------------------------------------------------------------------------

READ_ONLY = ("--db: {DB!r}: the store is read-only ({WHY}): queries, log, the reports and verify read it; record, the "
             "imports, project and rebuild need a store they can write")
_RUNNER = """
import contextlib, io, json, sys
from regledger.adapters.cli.main import main
results = []
for args in json.loads(sys.argv[1]):
    out, err, code = io.StringIO(), io.StringIO(), 0
    sys.argv = ["regledger", *args]
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main()
        except SystemExit as done:
            code = done.code if isinstance(done.code, int) else 1
    results.append([code, out.getvalue(), err.getvalue()])
print(json.dumps(results))
"""
WITHOUT_OVERRIDE = ["setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner", "--"]


def _as_a_user_without_write_rights(run_cli, commands: list[tuple[str, ...]]) -> list[CliResult]:
    """Run the commands as a user that the files' permissions hold: in this process, or, for root (whom
    permissions do not hold), in one process that has given up the capability to override them."""
    if os.geteuid() != 0:
        return [run_cli(*command) for command in commands]
    if shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: file permissions cannot hold this process")
    done = subprocess.run([*WITHOUT_OVERRIDE, sys.executable, "-c", _RUNNER, json.dumps(commands)],
                          capture_output=True, text=True, check=True, timeout=120)
    return [CliResult(*found) for found in json.loads(done.stdout)]


@pytest.fixture
def ledger_in(tmp_path: Path, run_cli) -> Iterator[Path]:
    """A SQLite ledger holding the bundled case, in a folder of its own; write rights are given back afterwards."""
    folder = tmp_path / "store"
    folder.mkdir()
    ledger = folder / "ledger.db"
    assert run_cli("record", str(EXAMPLE), "--db", str(ledger)).code == 0
    yield ledger
    folder.chmod(0o755)
    ledger.chmod(0o644)


@pytest.mark.parametrize("locked", ["file", "folder", "both"])
def test_a_sqlite_store_that_cannot_be_written_answers_queries_and_refuses_writes_in_one_line(
        run_cli, ledger_in: Path, locked: str) -> None:
    db = str(ledger_in)
    queries = [("log", "--format", "json"), ("as-of", "2020-05-20", "--format", "json"), ("verify",),
               ("history", "huawei", "--format", "json")]
    answers = [run_cli(*query, "--db", db).out for query in queries]
    writes = [("record", str(EXAMPLE)), ("project",), ("rebuild",), ("import", "federal-register", str(FR_DOCUMENT))]
    count, digest = event_count(db), hashlib.sha256(ledger_in.read_bytes()).hexdigest()
    if locked in ("file", "both"):
        ledger_in.chmod(0o444)
    if locked in ("folder", "both"):
        ledger_in.parent.chmod(0o555)
    beside = sorted(path.name for path in ledger_in.parent.iterdir())

    results = _as_a_user_without_write_rights(run_cli, [(*command, "--db", db) for command in [*queries, *writes]])

    assert [(r.code, r.out) for r in results[:len(queries)]] == [(0, answer) for answer in answers]
    for result in results[len(queries):]:
        assert refused(result) == READ_ONLY.format(DB=db, WHY="this user cannot write the file or its folder")
    assert (event_count(db), hashlib.sha256(ledger_in.read_bytes()).hexdigest()) == (count, digest)
    assert sorted(path.name for path in ledger_in.parent.iterdir()) == beside  # nothing created beside it


@pytest.fixture
def selecting_role(postgres_db: str) -> Iterator[tuple[str, str, str, str]]:
    """(the writer's URL, the URL of a new role that may create schemas in the database but will only read the
    ledger's tables, the schema, the role); the role is dropped afterwards."""
    import psycopg  # noqa: PLC0415

    role = f"reader_{uuid.uuid4().hex[:12]}"
    schema = urlsplit(postgres_db).query.removeprefix("schema=")
    with psycopg.connect(POSTGRES_URL, autocommit=True) as connection:
        connection.execute(f"CREATE ROLE {role} LOGIN")
        connection.execute(f"GRANT CREATE ON DATABASE test TO {role}")
    url = urlsplit(postgres_db)
    yield postgres_db, urlunsplit(url._replace(netloc=f"{role}@{url.hostname}:{url.port or 5432}")), schema, role
    with psycopg.connect(POSTGRES_URL, autocommit=True) as connection:
        connection.execute(f"DROP OWNED BY {role}")
        connection.execute(f"DROP ROLE {role}")


@pytest.mark.postgres
def test_a_postgres_role_without_write_rights_is_told_the_store_is_read_only(run_cli, selecting_role) -> None:
    import psycopg  # noqa: PLC0415

    writer, reader, schema, role = selecting_role
    assert run_cli("record", str(EXAMPLE), "--db", writer).code == 0
    with psycopg.connect(POSTGRES_URL, autocommit=True) as connection:
        connection.execute(f'GRANT USAGE ON SCHEMA "{schema}" TO {role}')
        connection.execute(f'GRANT SELECT ON ALL TABLES IN SCHEMA "{schema}" TO {role}')
    count = event_count(writer)

    assert run_cli("log", "--db", reader).out == run_cli("log", "--db", writer).out
    for write in (("record", str(EXAMPLE)), ("project",)):
        message = refused(run_cli(*write, "--db", reader))
        assert message.startswith(f"--db: {reader!r}: the store is read-only (permission denied"), message
    assert event_count(writer) == count
