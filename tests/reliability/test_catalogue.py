"""Every bad input of the catalogue (catalogue.py) gets a clean answer: its exit status, exactly one line on standard
error (`regledger: error: …`, or click's usage error for a wrong command line), never a traceback, and nothing
stored — the events are counted with plain SQL before and after. Odd but valid inputs (dates at the calendar's ends)
are answered with exit 0. Cases that touch a store run on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import POSTGRES_URL, ROOT, drop_schema, require_postgres
from tests.reliability.catalogue import CASES, CSL, ENDS_SEED, FR, SEED, by_category
from tests.reliability.kit import (
    Case,
    Outcome,
    assert_answered,
    assert_refused,
    count_events,
    json_of,
    prepare,
    run_child,
    run_here,
    schema_tables,
)

SEEDS = {"timeline": SEED, "ends": ENDS_SEED}  # recorded as timelines; "screening" and "federal-register" import


def _params() -> Iterator[object]:
    """Each case once per store it runs on, named `ID[sqlite]` or `ID[postgres]` (`ID` alone for its own store)."""
    for case in CASES:
        if case.stores == "own":
            marks = [pytest.mark.postgres] if "postgresql://" in " ".join(case.args) else []
            yield pytest.param(case, "", id=case.id, marks=marks)
            continue
        yield pytest.param(case, "sqlite", id=f"{case.id}[sqlite]")
        if case.stores == "both":
            yield pytest.param(case, "postgres", id=f"{case.id}[postgres]", marks=pytest.mark.postgres)


@pytest.fixture
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh store of the kind the case asks for ("" when the case names its own)."""
    kind = request.node.callspec.params["kind"]
    if kind != "postgres":
        yield "" if kind == "" else str(tmp_path / "ledger.db")
        return
    require_postgres()
    schema = f"t_{uuid.uuid4().hex[:12]}"
    yield f"{POSTGRES_URL}?schema={schema}"
    drop_schema(schema)


def _seed(case: Case, db: str, folder: Path) -> None:
    """Put the case's seed into the store, and insist that it was stored."""
    if not case.seed:
        return
    if case.seed == "screening":
        args = ["import", "screening-list", str(CSL / "csl-2019-09-02.csv"), "--as-published", "2019-09-02"]
    elif case.seed == "federal-register":
        args = ["import", "federal-register", str(FR / "search-2019.json")]
    else:
        seed = folder / "seed.json"
        seed.write_text(json_of(SEEDS[case.seed]), encoding="utf-8")
        args = ["record", str(seed)]
    done = run_here([*args, "--db", db])
    assert done.code == 0, f"the seed {case.seed!r} was not stored: {done!r}"


def _command(case: Case, names: dict[str, str], db: str) -> list[str]:
    args = [arg.format(**names, DB=db) for arg in case.args]
    return args if case.stores == "own" or "{DB}" in " ".join(case.args) else [*args, "--db", db]


def _untouched(case: Case, names: dict[str, str], before: bytes | list[str] | None) -> None:
    """What the case must leave as it was, besides the events."""
    if not case.leaves:
        return
    what, _, name = case.leaves.partition(":")
    after = Path(names[name]).read_bytes() if what == "file" else schema_tables(name)
    assert after == before, f"{case.id}: {case.leaves} changed"


def _before(case: Case, names: dict[str, str]) -> bytes | list[str] | None:
    what, _, name = case.leaves.partition(":")
    if what == "file":
        return Path(names[name]).read_bytes()
    return schema_tables(name) if what == "schema" else None


@pytest.mark.parametrize(("case", "kind"), list(_params()))
def test_bad_input_is_answered_in_one_line_and_stores_nothing(case: Case, kind: str, store: str, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # a default store (./regledger.db) lands here, never in the working tree
    if case.stores == "own" and "postgresql://" in " ".join(case.args):
        require_postgres()
    names = prepare(case, tmp_path)
    _seed(case, store, tmp_path)
    stored = count_events(store) if store else 0
    before = _before(case, names)

    outcome: Outcome = (run_child if case.hazard else run_here)(_command(case, names, store))

    if case.status == 0:
        assert_answered(case, outcome)
    else:
        assert_refused(case, outcome, names)
    if store and case.adds:
        assert count_events(store) > stored, f"{case.id}: nothing was stored"
    elif store:
        assert count_events(store) == stored, f"{case.id}: the events stored changed"
    _untouched(case, names, before)


def test_the_catalogue_holds_at_least_150_distinct_cases() -> None:
    ids = [case.id for case in CASES]

    assert len(ids) == len(set(ids))
    assert len(ids) >= 150


def test_docs_reliability_counts_the_catalogue_as_it_is() -> None:
    text = (ROOT / "docs" / "reliability.md").read_text(encoding="utf-8")
    table = dict(re.findall(r"^\| `([a-z-]+)` \| (\d+) \|", text, flags=re.MULTILINE))
    runs = sum(1 for _case, _kind in (p.values for p in _params()))

    assert {name: int(count) for name, count in table.items()} == by_category()
    assert f"| **total** | **{len(CASES)}** | {runs} runs over the two stores. |" in text
