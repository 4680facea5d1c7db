"""The JSON of `as-of`, `diff` and `history` matches the JSON Schema published in docs/query-output.md.

A small validator for the keywords that schema uses ($ref, allOf, anyOf, type, enum, required, properties,
additionalProperties, items, pattern), so that the documented contract and the program cannot drift apart.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from tests.conftest import EXAMPLE, ROOT

DOC = (ROOT / "docs" / "query-output.md").read_text(encoding="utf-8")
SCHEMA = json.loads(re.findall(r"## JSON Schema.*?```json\n(.*?)\n```", DOC, flags=re.DOTALL)[0])
TYPES = {"object": dict, "array": list, "string": str, "boolean": bool, "null": type(None)}


def _is(value: Any, name: str) -> bool:
    if name in {"number", "integer"}:
        return isinstance(value, int | float) and not isinstance(value, bool)
    return isinstance(value, TYPES[name])


def problems(value: Any, schema: Any, where: str = "$") -> list[str]:
    """Every way `value` breaks `schema` (empty when it conforms)."""
    if schema is True:
        return []
    if "$ref" in schema:
        target: Any = SCHEMA
        for part in schema["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        return problems(value, target, where)
    found = [p for sub in schema.get("allOf", []) for p in problems(value, sub, where)]
    if "anyOf" in schema and all(problems(value, sub, where) for sub in schema["anyOf"]):
        found.append(f"{where}: matches none of anyOf")
    types = schema.get("type")
    if types and not any(_is(value, t) for t in ([types] if isinstance(types, str) else types)):
        return [*found, f"{where}: {value!r} is not {types}"]
    if "enum" in schema and value not in schema["enum"]:
        found.append(f"{where}: {value!r} not in {schema['enum']}")
    if "pattern" in schema and isinstance(value, str) and not re.search(schema["pattern"], value):
        found.append(f"{where}: {value!r} does not match {schema['pattern']}")
    if isinstance(value, dict):
        found += _object(value, schema, where)
    if isinstance(value, list) and "items" in schema:
        found += [p for i, item in enumerate(value) for p in problems(item, schema["items"], f"{where}[{i}]")]
    return found


def _object(value: dict[str, Any], schema: dict[str, Any], where: str) -> list[str]:
    found = [f"{where}: missing {key}" for key in schema.get("required", []) if key not in value]
    known = schema.get("properties", {})
    extra = schema.get("additionalProperties", True)
    for key, item in value.items():
        if key in known:
            found += problems(item, known[key], f"{where}.{key}")
        elif extra is False:
            found.append(f"{where}: undocumented key {key}")
        elif extra is not True:
            found += problems(item, extra, f"{where}.{key}")
    return found


@pytest.fixture(scope="module")
def answers(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Any]]:
    """The bundled case recorded once, and a set of queries over it."""
    from click.testing import CliRunner  # noqa: PLC0415

    from regledger.adapters.cli.main import cli  # noqa: PLC0415

    db = str(tmp_path_factory.mktemp("schema") / "ledger.db")
    runner = CliRunner()

    def run(*args: str) -> Any:
        result = runner.invoke(cli, [*args, "--db", db], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return json.loads(result.output) if "--format" in args else None

    run("record", EXAMPLE.as_posix())
    days = ["2019-05-15", "2019-05-17", "2019-08-20", "2020-01-20", "2020-02-15", "2020-05-20", "2020-08-15",
            "2020-09-01"]
    return {
        "asOf": [run("as-of", d, "--format", "json") for d in days]
        + [run("as-of", "2019-05-17", "--party", "華為", "--published-by", "2019-05-17", "--format", "json"),
           run("as-of", "2020-02-15", "--known-at", "2000-01-01", "--format", "json")],
        "diff": [run("diff", "2019-05-15", "2019-05-21", "--format", "json"),
                 run("diff", "2019-05-15", "2020-09-01", "--min-reliability", "statement", "--format", "json")],
        "history": [run("history", subject, "--format", "json")
                    for subject in ("huawei", "us-bis-huawei-tgl", "usg-cabinet-meeting-huawei-china-export-curbs")],
    }


@pytest.mark.parametrize("kind", ["asOf", "diff", "history"])
def test_the_output_matches_the_documented_schema(answers: dict[str, list[Any]], kind: str) -> None:
    for answer in answers[kind]:
        assert problems(answer, {"$ref": f"#/$defs/{kind}"}) == []


def test_the_sample_exercises_every_part_of_the_schema(answers: dict[str, list[Any]]) -> None:
    everything = json.dumps(answers)

    for status in ("in_force", "pending", "expired", "withdrawn", "proposed", "upcoming", "past", "corrected",
                   "retracted"):
        assert f'"{status}"' in everything, status


def test_the_validator_reports_a_missing_or_undocumented_key(answers: dict[str, list[Any]]) -> None:
    answer = dict(answers["asOf"][1])
    del answer["lists"]
    answer["surprise"] = 1

    assert problems(answer, {"$ref": "#/$defs/asOf"}) == ["$: missing lists", "$: undocumented key surprise"]
