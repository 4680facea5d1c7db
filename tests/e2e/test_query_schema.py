"""Every JSON output matches the JSON Schema published for it: `as-of`, `diff`, `history` and `log` in
docs/query-output.md, the four reports in docs/report-output.md.

The schemas are read from the pages themselves and checked with a real JSON Schema validator (jsonschema, draft
2020-12), the way a consumer would use them. Each output is checked twice:

- against the published schema, which is open (objects accept keys beyond those listed; statuses, kinds and the other
  vocabularies accept any lowercase snake_case word): what a consumer may rely on, and what a later release must
  still meet;
- against the same schema closed (no key and no word that the pages do not document): what this release's program
  keeps to, so that nothing is added to the output without being documented there (and listed in CHANGELOG.md).
"""

from __future__ import annotations

import copy
import json
import re
import uuid
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from regledger.domain import KINDS
from tests.conftest import EXAMPLE, ROOT
from tests.integration.integrity_kit import Attacker, events

WORD = {"#/$defs/word", "query-output.json#/$defs/word"}  # `word`, as each page names it
TIER = ["official", "statement", "attributed", "anonymous"]


def published(page: str) -> dict[str, Any]:
    """The one JSON Schema under `## JSON Schema` on docs/PAGE."""
    text = (ROOT / "docs" / page).read_text(encoding="utf-8")
    blocks = re.findall(r"^## JSON Schema\n.*?^```json\n(.*?)^```", text, flags=re.DOTALL | re.MULTILINE)
    assert len(blocks) == 1, f"docs/{page} should hold exactly one JSON Schema"
    return json.loads(blocks[0])


QUERY, REPORT = published("query-output.md"), published("report-output.md")


def closed(schema: Any) -> Any:
    """`schema` as this release's output must meet it: every object that lists its keys accepts no other key, and
    `word` (the pattern a new vocabulary word matches) matches nothing, so only the documented words are left."""
    if isinstance(schema, list):
        return [closed(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    found = {key: closed(value) for key, value in schema.items()}
    if "properties" in found and "additionalProperties" not in found:
        found["additionalProperties"] = False
    if "word" in found.get("$defs", {}):
        found["$defs"]["word"] = False
    return found


@cache
def validator(definition: str, *, strict: bool = False) -> Draft202012Validator:
    """A validator for `$defs/DEFINITION` of either page (closed with `strict`), each page's `$ref`s resolved."""
    schemas = [closed(QUERY), closed(REPORT)] if strict else [QUERY, REPORT]
    registry: Registry[Any] = Registry().with_resources((s["$id"], Resource.from_contents(s)) for s in schemas)
    home = next(s for s in schemas if definition in s["$defs"])
    return Draft202012Validator({"$ref": f"{home['$id']}#/$defs/{definition}"}, registry=registry)


def problems(value: Any, definition: str, *, strict: bool = False) -> list[str]:
    """Every way `value` breaks `$defs/DEFINITION` (empty when it conforms), as `PATH: message`."""
    return [f"{error.json_path}: {error.message}"
            for error in validator(definition, strict=strict).iter_errors(value)]


def test_the_published_schemas_are_valid_draft_2020_12() -> None:
    Draft202012Validator.check_schema(QUERY)
    Draft202012Validator.check_schema(REPORT)


def _walk(schema: Any) -> Iterator[dict[str, Any]]:
    if isinstance(schema, dict):
        yield schema
        for value in schema.values():
            yield from _walk(value)
    elif isinstance(schema, list):
        for value in schema:
            yield from _walk(value)


def test_the_published_schemas_are_open() -> None:
    """No object refuses other keys, and every vocabulary but the tiers is `anyOf` its words and `word`."""
    nodes = [*_walk(QUERY), *_walk(REPORT)]
    growing = [part["enum"] for node in nodes if any(part.get("$ref") in WORD for part in node.get("anyOf", []))
               for part in node["anyOf"] if "enum" in part]

    assert [node for node in nodes if node.get("additionalProperties") is False] == []
    assert [node["enum"] for node in nodes if "enum" in node and node["enum"] not in growing] == [TIER]
    assert len(growing) >= 11


def test_the_documented_action_kinds_are_the_domains() -> None:
    kinds = next(part["enum"] for part in QUERY["$defs"]["actionKind"]["anyOf"] if "enum" in part)

    assert kinds == list(KINDS)


# -- every output over the bundled case, on each store ----------------------------------------------------------------

DAYS = ["2019-01-01", "2019-05-15", "2019-05-16", "2019-05-17", "2019-08-20", "2019-11-20", "2020-01-20",
        "2020-02-15", "2020-03-01", "2020-05-20", "2020-08-15", "2020-09-01", "2021-06-30"]
AXES: list[tuple[str, ...]] = [
    (), ("--published-by", "2019-05-17"), ("--published-by", "2020-02-17", "--min-reliability", "statement"),
    ("--known-at", "2000-01-01"), ("--known-at", "2100-01-01T00:00:00Z"),
    ("--min-reliability", "official"), ("--min-reliability", "attributed"),
]
SELECTIONS: list[tuple[str, ...]] = [
    ("--party", "huawei"), ("--party", "華為"), ("--party", "huawei-technologies"),
    ("--party", "Huawei Technologies Co., Ltd."), ("--list", "us-bis-entity-list"),
    ("--list", "us-bis-entity-list", "--party", "huawei"),
]
WINDOWS = [("2019-05-15", "2019-05-21"), ("2019-01-01", "2021-06-30"), ("2020-02-01", "2020-06-01"),
           ("2019-05-16", "2019-05-16")]
SUBJECTS = ["huawei", "us-bis-entity-list/huawei-technologies", "us-bis-huawei-tgl", "us-eo-13873",
            "usg-cabinet-meeting-huawei-china-export-curbs", "us-dod/tighten-huawei-de-minimis-and-fdp-rule",
            "acme-widgets", "sunset-rule", "summit"]
REPORTS: list[tuple[str, ...]] = [
    ("changes", "--from", "2019-05-15", "--to", "2020-08-31"), ("snapshot", "2020-03-01"),
    ("party", "huawei-technologies", "--as-of", "2020-09-01"), ("replay", "--until", "2100-01-01"),
    ("knowledge", "2019-05-17", "--citation-style", "plain"),
]
REPORT_AXES: list[tuple[str, ...]] = [(), ("--published-by", "2019-05-17"), ("--min-reliability", "official")]

Outputs = dict[str, list[tuple[str, Any]]]


def _asker(run_cli, db: str) -> Callable[..., Any]:
    def ask(*args: str) -> Any:
        result = run_cli(*args, "--format", "json", "--db", db)
        assert result.code == 0, (args, result)
        return json.loads(result.out)

    return ask


def _outputs(ask: Callable[..., Any]) -> Outputs:
    """A spread of every JSON output over the bundled case: dates, axes, selections, subjects, reports."""
    found: Outputs = {"asOf": [], "diff": [], "history": [], "log": [], "report": []}

    def add(kind: str, *args: str) -> None:
        found[kind].append((" ".join(args), ask(*args)))

    for day in DAYS:
        for axes in AXES:
            add("asOf", "as-of", day, *axes)
    for day in ("2019-05-17", "2020-03-01", "2021-06-30"):
        for selection in SELECTIONS:
            add("asOf", "as-of", day, *selection)
    for start, end in WINDOWS:
        for axes in AXES:
            add("diff", "diff", start, end, *axes)
    for selection in SELECTIONS:
        add("diff", "diff", *WINDOWS[1], *selection)
    for subject in SUBJECTS:
        for axes in AXES:
            add("history", "history", subject, *axes)
    add("log", "log")
    for report in REPORTS:
        for axes in REPORT_AXES:
            add("report", "report", *report, *axes)
    return found


def _every_problem(outputs: Outputs, *, strict: bool) -> list[str]:
    return [f"{asked}: {problem}" for kind, answers in outputs.items() for asked, answer in answers
            for problem in problems(answer, kind, strict=strict)]


VOCABULARIES = ("status", "kind", "timing", "rule", "stance", "certainty", "report", "reliability", "from", "to",
                "change", "citation_style")


def _documented_words() -> set[str]:
    """Every word of every vocabulary the pages document."""
    return {word for node in [*_walk(QUERY), *_walk(REPORT)] for word in node.get("enum", []) if word}


def _official(title: str) -> list[dict[str, str]]:
    return [{"title": title, "reliability": "official"}]


# Beside the bundled case: the words it does not show (a delisting, an expiry, a proposal, a correction, a cancelled
# meeting, the other stances and certainties), so that every documented word is seen in some output.
MORE = [
    {"kind": "entity_listed", "id": "acme-listed", "list": "us-bis-entity-list",
     "party": {"key": "acme-widgets", "name": "Acme Widgets Ltd."}, "effective_on": "2019-06-01",
     "published_on": "2019-05-30", "sources": [  # every kind of source, each dated on its own
         {**_official("Acme listed")[0], "kind": "public_inspection", "published_on": "2019-05-30"},
         {"citation": "84 FR 99999", "reliability": "official", "kind": "federal_register",
          "published_on": "2019-06-04"},
         {"title": "Acme to be listed", "reliability": "attributed", "kind": "press", "published_on": "2019-05-30"},
         {"title": "BIS adds Acme", "reliability": "statement", "kind": "agency_announcement"},
         {"title": "Acme v. Commerce", "reliability": "official", "kind": "court", "published_on": "2019-07-01"}]},
    {"kind": "listing_announced", "id": "acme-removal-announced", "list": "us-bis-entity-list",
     "party": {"key": "acme-widgets"}, "change": "remove", "published_on": "2020-01-20",
     "sources": [{"title": "BIS to remove Acme", "reliability": "statement", "kind": "agency_announcement"}]},
    {"kind": "entity_delisted", "id": "acme-delisted", "list": "us-bis-entity-list", "party": {"key": "acme-widgets"},
     "effective_on": "2020-02-01", "published_on": "2020-01-30", "sources": _official("Acme removed")},
    {"kind": "correction", "id": "acme-renamed", "corrects": "acme-listed",
     "fields": {"party.name": "Acme Widgets Limited"}, "published_on": "2019-06-10",
     "sources": _official("Acme listed, corrected")},
    {"kind": "measure_proposed", "id": "sunset-proposed",
     "measure": {"key": "sunset-rule", "title": "A rule that ends"}, "effective_on": "2019-05-01",
     "published_on": "2019-05-01", "sources": _official("Sunset rule proposed")},
    {"kind": "measure_adopted", "id": "sunset-adopted", "measure": {"key": "sunset-rule", "title": "A rule that ends"},
     "effective_on": "2019-06-01", "published_on": "2019-05-30", "sources": _official("Sunset rule")},
    {"kind": "measure_expired", "id": "sunset-expired", "measure": {"key": "sunset-rule"},
     "effective_on": "2020-02-01", "published_on": "2020-01-30", "sources": _official("Sunset rule ends")},
    {"kind": "meeting_scheduled", "id": "summit-set", "meeting": {"key": "summit", "title": "A summit"},
     "date": "2020-03-10", "effective_on": "2020-01-10", "published_on": "2020-01-10", "sources": _official("Set")},
    {"kind": "meeting_cancelled", "id": "summit-off", "meeting": {"key": "summit"}, "effective_on": "2020-02-10",
     "published_on": "2020-02-10", "sources": _official("Called off")},
    *({"kind": "position_stated", "id": f"stance-{actor}", "actor": actor, "topic": "acme-widgets-exports",
       "stance": stance, "certainty": certainty, "effective_on": "2019-06-01", "published_on": "2019-06-01",
       "sources": _official(f"{actor} on Acme")}
      for actor, stance, certainty in [("agency-a", "neutral", "certain"), ("agency-b", "supports", "possible"),
                                       ("agency-c", "opposes", "unlikely")]),
]


def _words(outputs: Outputs) -> set[str]:
    """Every value of a vocabulary key (status, kind, …) anywhere in the outputs."""
    found: set[str] = set()
    stack: list[Any] = [answer for answers in outputs.values() for _, answer in answers]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            found.update(v for k, v in item.items() if k in VOCABULARIES and isinstance(v, str))
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def _with_a_foreign_row(db: str) -> None:
    """Append a row regledger did not write (a copy of the newest event under a new stream id), as anyone holding
    the database's credentials can."""
    attacker = Attacker(db)
    try:
        attacker.plant(None, events(db)[-1], originator=uuid.uuid4())
    finally:
        attacker.close()


def test_every_output_over_the_bundled_case_matches_its_schema(db: str, run_cli, tmp_path: Path) -> None:
    more = tmp_path / "more.json"
    more.write_text(json.dumps(MORE), encoding="utf-8")
    assert run_cli("record", str(EXAMPLE), str(more), "--db", db).code == 0
    ask = _asker(run_cli, db)
    outputs = _outputs(ask)

    assert _every_problem(outputs, strict=False) == []
    assert _every_problem(outputs, strict=True) == []
    assert sum(len(answers) for answers in outputs.values()) > 150
    assert _documented_words() - _words(outputs) == set(), "documented words no output shows: add them to MORE"

    _with_a_foreign_row(db)
    warned = {"asOf": [("as-of", ask("as-of", "2020-03-01"))], "log": [("log", ask("log"))],
              "report": [(" ".join(r), ask("report", *r)) for r in REPORTS]}

    assert _every_problem(warned, strict=False) == []
    assert _every_problem(warned, strict=True) == []
    assert all(report["ledger_notes"] for _, report in warned["report"])
    assert any("did not write" in note for note in warned["asOf"][0][1]["notes"])


# -- what the openness allows, and what it still refuses ---------------------------------------------------------------


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The bundled case recorded once on SQLite, and one answer of each kind."""
    from regledger.adapters.cli.main import cli  # noqa: PLC0415

    db = str(tmp_path_factory.mktemp("schema") / "ledger.db")
    runner = CliRunner()

    def run(*args: str) -> Any:
        result = runner.invoke(cli, [*args, "--db", db], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout) if "--format" in args else None

    run("record", EXAMPLE.as_posix())
    return {
        "asOf": run("as-of", "2020-02-15", "--format", "json"),
        "diff": run("diff", "2019-05-15", "2020-09-01", "--format", "json"),
        "history": run("history", "huawei", "--format", "json"),
        "log": run("log", "--format", "json"),
        "report": run("report", "snapshot", "2019-05-17", "--format", "json"),
    }


def _changed(sample: dict[str, Any], kind: str, change: Callable[[Any], None]) -> Any:
    answer = copy.deepcopy(sample[kind])
    change(answer)
    return answer


def _entry(answer: dict[str, Any]) -> dict[str, Any]:
    return answer["lists"]["us-bis-entity-list"][0]


def _amendment(answer: dict[str, Any]) -> dict[str, Any]:
    """The first amendment of the history sample (the retraction of the press report dated 2019-05-17)."""
    return next(item for item in answer["items"] if item["amendments"])["amendments"][0]


def test_the_sample_is_sound(sample: dict[str, Any]) -> None:
    for kind, answer in sample.items():
        assert problems(answer, kind) == [], kind
        assert problems(answer, kind, strict=True) == [], kind


NEW_KEYS: dict[str, Callable[[Any], None]] = {
    "answer": lambda a: a.update(sources_axis="by source"),
    "entry": lambda a: _entry(a).update(details_wording={"license_policy": {"worded_by": "x"}}),
    "citation": lambda a: _entry(a)["citations"][0].update(pages="22961-22965"),
    "filter": lambda a: a["filter"].update(script_variants=True),
    "measure": lambda a: a["measures"][0].update(parameters_wording={}),
    "meeting": lambda a: a["meetings"][0].update(location=None),
    "position": lambda a: a["positions"][0].update(quote="We will act."),
}


@pytest.mark.parametrize("change", list(NEW_KEYS))
def test_an_object_with_a_new_key_validates_though_this_release_would_not_write_it(
        sample: dict[str, Any], change: str) -> None:
    answer = _changed(sample, "asOf", NEW_KEYS[change])

    assert problems(answer, "asOf") == []
    assert problems(answer, "asOf", strict=True) != []


def test_new_keys_validate_in_every_kind_of_output(sample: dict[str, Any]) -> None:
    changes: dict[str, Callable[[Any], None]] = {
        "diff": lambda a: a.update(window="(D1, D2]"),
        "history": lambda a: _amendment(a).update(sources_axis="by source"),
        "log": lambda a: a[0]["sources"][0].update(pages="22689"),
        "report": lambda a: a.update(signed_by="someone", state={**a["state"], "as_known": True}),
    }
    for kind, change in changes.items():
        answer = _changed(sample, kind, change)
        assert problems(answer, kind) == [], kind
        assert problems(answer, kind, strict=True) != [], kind


NEW_WORDS: dict[str, tuple[str, Callable[[Any, str], None]]] = {
    "entry status": ("asOf", lambda a, w: _entry(a).update(status=w)),
    "match rule": ("asOf", lambda a, w: a["filter"].update(matches=[{"party": "x", "name": None, "rule": w}])),
    "meeting timing": ("asOf", lambda a, w: a["meetings"][0].update(timing=w)),
    "stance": ("asOf", lambda a, w: a["positions"][0].update(stance=w)),
    "measure status": ("diff", lambda a, w: next(c for c in a["measures"] if c["after"])["after"].update(status=w)),
    "action kind": ("diff", lambda a, w: a["took_effect"][0].update(kind=w)),
    "history status": ("history", lambda a, w: a["items"][0].update(status=w)),
    "amendment kind": ("history", lambda a, w: _amendment(a).update(kind=w)),
    "logged kind": ("log", lambda a, w: a[0].update(kind=w)),
    "report": ("report", lambda a, w: a.update(report=w)),
}


@pytest.mark.parametrize("where", list(NEW_WORDS))
def test_an_unknown_lowercase_word_validates_though_this_release_would_not_write_it(
        sample: dict[str, Any], where: str) -> None:
    kind, change = NEW_WORDS[where]
    for word in ("suspended", "superseded_by_rule", "v2"):
        assert word not in _documented_words()
        answer = _changed(sample, kind, lambda a, w=word: change(a, w))
        assert problems(answer, kind) == [], word
        assert problems(answer, kind, strict=True) != [], word


@pytest.mark.parametrize("where", list(NEW_WORDS))
def test_a_word_that_is_not_lowercase_snake_case_fails(sample: dict[str, Any], where: str) -> None:
    kind, change = NEW_WORDS[where]
    for word in ("IN_FORCE", "In_force", "in-force", "in force", "", "_announced", "announced_", "a__b", "9lives",
                 "annoncé", "<script>", "announced\n"):
        answer = _changed(sample, kind, lambda a, w=word: change(a, w))
        assert problems(answer, kind) != [], repr(word)
    for value in (None, 1, True, ["in_force"], {"status": "in_force"}):
        answer = _changed(sample, kind, lambda a, v=value: change(a, v))
        assert problems(answer, kind) != [], repr(value)


def test_the_tiers_do_not_grow(sample: dict[str, Any]) -> None:
    for tier in ("rumour", "OFFICIAL"):
        answer = _changed(sample, "asOf", lambda a, t=tier: _entry(a)["citations"][0].update(reliability=t))
        assert problems(answer, "asOf") != [], tier


MISSING: dict[str, tuple[str, Callable[[Any], None], str]] = {
    "as-of lists": ("asOf", lambda a: a.pop("lists"), "'lists' is a required property"),
    "entry status": ("asOf", lambda a: _entry(a).pop("status"), "'status' is a required property"),
    "citation url": ("asOf", lambda a: _entry(a)["citations"][0].pop("url"), "'url' is a required property"),
    "diff took_effect": ("diff", lambda a: a.pop("took_effect"), "'took_effect' is a required property"),
    "history item fields": ("history", lambda a: a["items"][0].pop("fields"), "'fields' is a required property"),
    "log recorded_at": ("log", lambda a: a[0].pop("recorded_at"), "'recorded_at' is a required property"),
    "log sources": ("log", lambda a: a[0].pop("sources"), "'sources' is a required property"),
    "report produced_at": ("report", lambda a: a.pop("produced_at"), "'produced_at' is a required property"),
    "report axes known_at": ("report", lambda a: a["axes"].pop("known_at"), "'known_at' is a required property"),
}


@pytest.mark.parametrize("where", list(MISSING))
def test_a_missing_documented_key_fails(sample: dict[str, Any], where: str) -> None:
    kind, change, message = MISSING[where]

    assert any(message in problem for problem in problems(_changed(sample, kind, change), kind))


WRONG_TYPES: dict[str, tuple[str, Callable[[Any], None]]] = {
    "as_of a number": ("asOf", lambda a: a.update(as_of=20190517)),
    "as_of not a date": ("asOf", lambda a: a.update(as_of="17 May 2019")),
    "known_at a date": ("asOf", lambda a: a.update(known_at="2019-05-17")),
    "notes a string": ("asOf", lambda a: a.update(notes="none")),
    "entry aliases a string": ("asOf", lambda a: _entry(a).update(aliases="华为")),
    "entry listed_on a moment": ("asOf", lambda a: _entry(a).update(listed_on="2019-05-16T00:00:00Z")),
    "citation title a number": ("asOf", lambda a: _entry(a)["citations"][0].update(title=84)),
    "lists an array": ("asOf", lambda a: a.update(lists=[])),
    "a detail a number": ("asOf", lambda a: _entry(a)["details"].update(license_policy=1)),
    "took_effect recorded_at a date": ("diff", lambda a: a["took_effect"][0].update(recorded_at="2024-03-01")),
    "amendment retracted a string": ("history", lambda a: _amendment(a).update(retracted="no")),
    "log position a string": ("log", lambda a: a[0].update(position="3")),
    "log position zero": ("log", lambda a: a[0].update(position=0)),
    "log party without key": ("log", lambda a: next(x for x in a if "party" in x)["party"].pop("key")),
    "report axes_text a string": ("report", lambda a: a.update(axes_text="every tier")),
    "report ledger_notes a string": ("report", lambda a: a.update(ledger_notes="foreign rows")),
    "report state not an answer": ("report", lambda a: a["state"].pop("as_of")),
    "report command another": ("report", lambda a: a.update(command="rm -rf /")),
}


@pytest.mark.parametrize("where", list(WRONG_TYPES))
def test_a_wrongly_typed_documented_key_fails(sample: dict[str, Any], where: str) -> None:
    kind, change = WRONG_TYPES[where]

    assert problems(_changed(sample, kind, change), kind) != []
