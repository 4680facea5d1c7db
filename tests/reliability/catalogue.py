"""The catalogue of bad inputs: one `Case` per input, grouped by the part of regledger it attacks (the first word of
its id). `test_catalogue.py` runs every case and checks that regledger answers it cleanly: the exit status, exactly
one line on standard error (`regledger: error: …`, or click's usage error for a wrong command line), never a
traceback, and nothing stored. docs/reliability.md lists the categories and their counts.

The builders at the top make valid actions and files to spoil; each case changes one thing.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.conftest import POSTGRES_URL, ROOT
from tests.reliability.kit import Case, Input, json_of, yaml_of

__all__ = ["CASES", "ENDS_SEED", "HOSTILE", "SEED", "SIZE_LIMIT", "by_category"]

HOSTILE = "\x1b]0;pwned\x07\x1b[2J"  # retitles and clears a terminal that prints it raw
SIZE_LIMIT = 256 * 1024**2  # the documented limit of an input file
DEEP = 5000  # nesting far beyond the documented limit
FR = ROOT / "tests" / "fixtures" / "federal-register"
CSL = ROOT / "tests" / "fixtures" / "screening-list"
PG_HOST = POSTGRES_URL.split("?")[0].rsplit("/", 1)[0]  # postgresql://postgres@127.0.0.1:5432
NAN, INF = float("nan"), float("inf")
SOURCE = {"citation": "84 FR 22961", "reliability": "official"}


def _merged(base: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """`base` with `changes` applied; a value of `...` removes the field."""
    merged = {**base, **changes}
    return {key: value for key, value in merged.items() if value is not ...}


def listed(**changes: Any) -> dict[str, Any]:
    """A valid `entity_listed` action, changed by `changes`."""
    return _merged({"kind": "entity_listed", "id": "el-1", "list": "us-bis-entity-list",
                    "party": {"key": "huawei", "name": "Huawei Technologies Co., Ltd."},
                    "effective_on": "2019-05-16", "published_on": "2019-05-21", "sources": [SOURCE]}, changes)


def party(**changes: Any) -> dict[str, Any]:
    """`entity_listed` whose party mapping is changed by `changes`."""
    return listed(party=_merged({"key": "huawei", "name": "Huawei Technologies Co., Ltd."}, changes))


def adopted(**changes: Any) -> dict[str, Any]:
    """A valid `measure_adopted` action with parameters, changed by `changes`."""
    return _merged({"kind": "measure_adopted", "id": "ma-1", "measure": {"key": "tgl", "title": "A licence"},
                    "parameters": {"percent": 25}, "effective_on": "2019-05-20", "published_on": "2019-05-22",
                    "sources": [SOURCE]}, changes)


def source(**changes: Any) -> dict[str, Any]:
    """`entity_listed` whose one source is changed by `changes`."""
    return listed(sources=[_merged(SOURCE, changes)])


def yaml_file(*actions: Any) -> Input:
    """A YAML timeline of `actions`."""
    return Input(yaml_of(list(actions)))


def json_file(*actions: Any) -> Input:
    """A JSON timeline of `actions` (NaN and the infinities as JSON-like literals)."""
    return Input(json_of(list(actions)), ".json")


def text(content: str | bytes, suffix: str = ".yaml") -> Input:
    """A file of exactly this content."""
    return Input(content, suffix)


def nested_json(depth: int, leaf: str = "1") -> str:
    """A JSON list nested `depth` deep."""
    return "[" * depth + leaf + "]" * depth


def nested_yaml(depth: int) -> str:
    """A YAML flow list nested `depth` deep."""
    return "- " + "[" * depth + "1" + "]" * depth + "\n"


def fixture(path: Path) -> Input:
    """A fixture file as it is."""
    return Input(path.read_bytes(), path.suffix)


def padded(content: str, suffix: str) -> Input:
    """`content`, otherwise accepted, padded with spaces to just over the size limit."""
    return Input(content, suffix, special="padded", pad=SIZE_LIMIT + 1 - len(content.encode()))


FIFO, DEV_ZERO = Input(special="fifo"), Input(special="dev-zero")
DIRECTORY, MISSING = Input(special="directory"), Input(special="missing")

# -- the seeds: a small ledger for queries and reports, and one with dates at the calendar's ends -------------------

SEED = [
    listed(),
    adopted(),
    {"kind": "meeting_scheduled", "meeting": {"key": "cabinet", "title": "Cabinet meeting"}, "date": "2020-02-28",
     "effective_on": "2020-02-05", "published_on": "2020-02-05", "sources": [SOURCE]},
    {"kind": "position_stated", "actor": "us-dod", "topic": "exclude-huawei", "stance": "supports",
     "effective_on": "2020-02-12", "published_on": "2020-02-12", "sources": [SOURCE]},
]
ENDS_SEED = [
    listed(id="late", party={"key": "late", "name": "Late Co."}, effective_on="9999-12-31",
           published_on="9999-12-31"),
    listed(id="early", party={"key": "early", "name": "Early Co."}, effective_on="0001-01-01",
           published_on="0001-01-01"),
    adopted(id="always", measure={"key": "always", "title": "Early Co. forever"}, effective_on="0001-01-01",
            published_on="0001-01-01", expires_on="9999-12-31"),
    {"kind": "meeting_scheduled", "meeting": {"key": "last", "title": "The last meeting"}, "date": "9999-12-31",
     "effective_on": "0001-01-01", "published_on": "0001-01-01", "sources": [SOURCE]},
]

# -- record: timeline files ------------------------------------------------------------------------------------------

R = ("record", "{FILE}")


def _record(name: str, content: Input, says: str = "{FILE}", **extra: Any) -> Case:
    return Case(f"record/{name}", R, (content,), says=says, **extra)


RECORD_FILES = [
    Case("record/missing-file", R, (MISSING,), says="{FILE}"),
    Case("record/directory", R, (DIRECTORY,), status=2, says="is a directory"),
    Case("record/fifo", R, (FIFO,), says="{FILE}", stores="sqlite", hazard=True),
    Case("record/dev-zero", R, (DEV_ZERO,), says="/dev/zero", stores="sqlite", hazard=True),
    Case("record/over-size-limit-json", R, (padded("[]", ".json"),), says="{FILE}", stores="sqlite", hazard=True),
    Case("record/over-size-limit-yaml", R, (padded("[]", ".yaml"),), says="{FILE}", stores="sqlite", hazard=True),
    Case("record/second-file-missing", ("record", "{FILE}", "{FILE2}"), (yaml_file(listed()), MISSING),
         says="{FILE2}"),
    Case("record/second-file-invalid", ("record", "{FILE}", "{FILE2}"),
         (yaml_file(listed()), yaml_file(adopted(effective_on="2019-02-30"))), says="{FILE2}"),
    _record("empty", text("")),
    _record("whitespace-only", text("  \n\n")),
    _record("empty-json", text("", ".json")),
    _record("yaml-scalar", text("hello\n")),
    _record("json-number", text("42", ".json")),
    _record("json-null", text("null", ".json")),
    _record("json-string", text('"actions"', ".json")),
    _record("mapping-without-actions", text('{"things": []}', ".json")),
    _record("mapping-with-extra-key", text('{"actions": [], "other": 1}', ".json")),
    _record("actions-not-a-list", text('{"actions": "many"}', ".json")),
    _record("list-of-scalars", json_file("a", "b")),
    _record("list-of-lists", json_file([1])),
]
RECORD_SYNTAX = [
    _record("yaml-unclosed-flow", text("- kind: entity_listed\n  party: {key: [unclosed\n")),
    _record("yaml-tab-indent", text("-\tkind: entity_listed\n\tlist: x\n")),
    _record("yaml-bad-indent", text("- kind: entity_listed\n   list: a\n  party: b\n")),
    _record("yaml-unterminated-quote", text('- kind: "entity_listed\n')),
    _record("yaml-duplicate-key", text("- kind: entity_listed\n  kind: entity_delisted\n")),
    _record("yaml-undefined-alias", text("- *nothing\n")),
    _record("yaml-python-tag", text("- !!python/object/apply:os.system ['echo hi']\n")),
    _record("yaml-two-documents", text("- a\n---\n- b\n")),
    _record("yaml-raw-nul-byte", text(b"- kind: entity_listed\n  list: a\x00b\n")),
    _record("yaml-raw-escape-byte", text(b"- kind: entity_listed\n  list: a\x1b[2Jb\n")),
    _record("json-truncated", text('[{"kind": "entity_listed",', ".json")),
    _record("json-trailing-comma", text("[1,]", ".json")),
    _record("json-single-quotes", text("[{'kind': 'entity_listed'}]", ".json")),
    _record("json-comment", text("// a comment\n[]", ".json")),
    _record("json-duplicate-key", text('[{"kind": "entity_listed", "kind": "entity_delisted"}]', ".json")),
    _record("json-two-values", text("[] []", ".json")),
    _record("non-utf8-yaml", text(b"- kind: entity_listed\n  list: caf\xe9\n")),
    _record("non-utf8-json", text(b'[{"kind": "entity_listed", "list": "caf\xe9"}]', ".json")),
    _record("utf16-with-bom", text("[]".encode("utf-16"), ".json")),
    _record("utf8-bom-json", text(b"\xef\xbb\xbf" + json_of([listed()]).encode(), ".json"), says="", status=0,
            adds=True),
    _record("utf8-bom-yaml", text(b"\xef\xbb\xbf" + yaml_of([listed()]).encode()), says="", status=0, adds=True),
    _record("lone-surrogate-in-name", text(json_of([listed()]).replace("Huawei", "Hua\\ud800wei"), ".json")),
]
RECORD_TYPES = [
    _record("kind-number", json_file(listed(kind=5)), says="kind"),
    _record("kind-list", json_file(listed(kind=["entity_listed"])), says="kind"),
    _record("kind-mapping", json_file(listed(kind={"a": 1})), says="kind"),
    _record("party-string", json_file(listed(party="huawei")), says="party"),
    _record("party-list", json_file(listed(party=["huawei"])), says="party"),
    _record("party-key-number", json_file(party(key=5)), says="party.key"),
    _record("party-key-null", json_file(party(key=None)), says="party.key"),
    _record("party-key-empty", json_file(party(key="")), says="party.key"),
    _record("party-key-newline", json_file(party(key="hua\nwei")), says="party.key"),
    _record("party-name-number", json_file(party(name=5)), says="party.name"),
    _record("aliases-string", json_file(party(aliases="Huawei")), says="party.aliases"),
    _record("aliases-numbers", json_file(party(aliases=[1, 2])), says="party.aliases"),
    _record("sources-string", json_file(listed(sources="84 FR 22961")), says="sources"),
    _record("sources-empty", json_file(listed(sources=[])), says="sources"),
    _record("source-number", json_file(listed(sources=[5])), says="sources"),
    _record("source-unknown-tier", json_file(source(reliability="rumour")), says="reliability"),
    _record("source-without-label", json_file(listed(sources=[{"reliability": "official"}])), says="sources"),
    _record("effective-number", json_file(listed(effective_on=20190516)), says="effective_on"),
    _record("effective-boolean", json_file(listed(effective_on=True)), says="effective_on"),
    _record("effective-list", json_file(listed(effective_on=["2019-05-16"])), says="effective_on"),
    _record("id-number", json_file(listed(id=5)), says="id"),
    _record("id-empty", json_file(listed(id="")), says="id"),
    _record("list-number", json_file(listed(list=5)), says="list"),
    _record("details-string", json_file(listed(details="presumption of denial")), says="details"),
    _record("parameters-list", json_file(adopted(parameters=[1, 2])), says="parameters"),
    _record("parameters-string", json_file(adopted(parameters="25%")), says="parameters"),
    _record("stance-unknown", json_file({**SEED[3], "stance": "maybe"}), says="stance"),
    _record("certainty-number", json_file({**SEED[3], "certainty": 2}), says="certainty"),
]
RECORD_FIELDS = [
    _record("kind-unknown", json_file(listed(kind="entity_blacklisted")), says="unknown kind 'entity_blacklisted'"),
    _record("kind-missing", json_file(listed(kind=...)), says="kind: missing"),
    _record("kind-hostile", json_file(listed(kind=HOSTILE + "\nforged line")), says="kind"),
    _record("unknown-field", json_file(listed(colour="red")), says="colour: unknown field"),
    _record("unknown-party-field", json_file(party(colour="red")), says="party.colour: unknown field"),
    _record("unknown-source-field", json_file(source(colour="red")), says="colour"),
    _record("unknown-field-nul", json_file(listed(**{"\x00evil": 1})), says="unknown field"),
    _record("unknown-field-hostile", json_file(listed(**{HOSTILE + "\nforged": 1})), says="unknown field"),
    _record("effective-missing", json_file(listed(effective_on=...)), says="effective_on"),
    _record("published-missing", json_file(listed(published_on=...)), says="published_on"),
    _record("sources-missing", json_file(listed(sources=...)), says="sources"),
    _record("party-missing", json_file(listed(party=...)), says="party"),
]
RECORD_DATES = [
    _record(f"date-{name}", json_file(listed(effective_on=value)), says="effective_on")
    for name, value in [("february-30", "2019-02-30"), ("day-first", "16/05/2019"), ("month-13", "2019-13-01"),
                        ("empty", ""), ("with-time", "2019-05-16T00:00:00"), ("words", "yesterday"),
                        ("year-0", "0000-01-01"), ("year-10000", "10000-01-01"), ("negative-year", "-0001-01-01"),
                        ("one-digit-month", "2019-5-16"), ("december-32", "9999-12-32"),
                        ("hostile", "2019-05-16" + HOSTILE)]
] + [
    _record("published-february-30", json_file(listed(published_on="2019-02-30")), says="published_on"),
    _record("expires-before-calendar", json_file(adopted(expires_on="0000-12-31")), says="expires_on"),
    _record("comments-close-bad", json_file({"kind": "comment_period_opened", "measure": {"key": "tgl"},
                                             "comments_close_on": "2020-02-30", "effective_on": "2020-03-10",
                                             "published_on": "2020-03-12", "sources": [SOURCE]}),
            says="comments_close_on"),
    _record("meeting-date-bad", json_file({**SEED[2], "date": "2020-02-30"}), says="date"),
]
RECORD_NUMBERS = [
    _record("nan-parameter", json_file(adopted(parameters={"weird": NAN})), says="parameters"),
    _record("infinity-parameter", json_file(adopted(parameters={"big": INF})), says="parameters"),
    _record("minus-infinity-parameter", json_file(adopted(parameters={"small": -INF})), says="parameters"),
    _record("nan-and-infinity", text(json_of([adopted()]).replace('"percent": 25', '"weird": NaN, "big": Infinity'),
                                     ".json"), says="parameters"),
    _record("1e999-parameter", text(json_of([adopted()]).replace('"percent": 25', '"big": 1e999'), ".json"),
            says="parameters"),
    _record("minus-1e999-parameter", text(json_of([adopted()]).replace('"percent": 25', '"big": -1e999'), ".json"),
            says="parameters"),
    _record("nan-in-parameter-list", json_file(adopted(parameters={"levels": [1, NAN]})), says="parameters"),
    _record("nan-in-parameter-mapping", json_file(adopted(parameters={"a": {"b": NAN}})), says="parameters"),
    _record("nan-in-details", json_file(listed(details={"threshold": NAN})), says="details"),
    _record("nan-in-correction", json_file(adopted(), {"kind": "correction", "corrects": "ma-1",
                                                       "fields": {"parameters.percent": NAN},
                                                       "published_on": "2019-05-23", "sources": [SOURCE]}),
            says="fields"),
    _record("infinity-in-correction", json_file(adopted(), {"kind": "correction", "corrects": "ma-1",
                                                            "fields": {"parameters": {"percent": INF}},
                                                            "published_on": "2019-05-23", "sources": [SOURCE]}),
            says="fields"),
    _record("5000-digit-integer", text(json_of([adopted()]).replace("25", "9" * 5000), ".json")),
    _record("nan-as-date", json_file(listed(effective_on=NAN)), says="effective_on"),
    _record("number-as-name", text(json_of([listed()]).replace('"Huawei Technologies Co., Ltd."', "1e999"), ".json"),
            says="party.name"),
]
RECORD_TEXT = [
    _record(f"control-in-{name}", json_file(action), says=field)
    for name, field, action in [
        ("party-name-nul", "party.name", party(name="Hua\x00wei")),
        ("party-key-nul", "party.key", party(key="hua\x00wei")),
        ("list-nul", "list", listed(list="us-bis\x00")),
        ("note-nul", "note", listed(note="a\x00b")),
        ("citation-nul", "citation", source(citation="84 FR\x00 22961")),
        ("measure-title-nul", "measure.title", adopted(measure={"key": "tgl", "title": "A\x00licence"})),
        ("id-nul", "id", listed(id="el\x001")),
        ("alias-nul", "party.aliases", party(aliases=["Hua\x00wei"])),
        ("party-name-escape", "party.name", party(name="Evil " + HOSTILE + " Co")),
        ("note-bell", "note", listed(note="ring\x07")),
        ("alias-unit-separator", "party.aliases", party(aliases=["a\x1fb"])),
        ("party-name-carriage-return", "party.name", party(name="Hua\rwei")),
        ("actor-nul", "actor", {**SEED[3], "actor": "us\x00dod"}),
        ("outcome-nul", "outcome", {"kind": "meeting_held", "meeting": {"key": "m"}, "date": "2020-02-20",
                                    "outcome": "none\x00", "effective_on": "2020-02-20",
                                    "published_on": "2020-02-28", "sources": [SOURCE]}),
    ]
] + [
    _record("control-in-correction-value", json_file(listed(), {"kind": "correction", "corrects": "el-1",
                                                                "fields": {"party.name": "a\x00b"},
                                                                "published_on": "2019-05-23", "sources": [SOURCE]}),
            says="fields"),
    _record("control-in-retraction-reason", json_file(listed(), {"kind": "retraction", "retracts": "el-1",
                                                                 "reason": "wrong\x1b[2J",
                                                                 "published_on": "2019-05-23", "sources": [SOURCE]}),
            says="reason"),
    _record("control-in-yaml-name", yaml_file(party(name="Evil " + HOSTILE)), says="party.name"),
]
RECORD_DEPTH = [
    _record("deep-json-file", text(nested_json(DEEP), ".json")),
    _record("very-deep-json-file", text(nested_json(100_000), ".json")),
    _record("deep-yaml-file", text(nested_yaml(DEEP))),
    _record("deep-yaml-block", text("".join("  " * i + "a:\n" for i in range(1000)) + "  " * 1000 + "b\n")),
    _record("deep-json-parameters", text(json_of([adopted()]).replace("25", nested_json(DEEP)), ".json")),
    _record("deep-json-details", text(json_of([listed(details={"x": 1})]).replace('"x": 1', '"x": '
                                      + '{"x": ' * DEEP + "1" + "}" * DEEP), ".json")),
    _record("deep-yaml-parameters", text(yaml_of([adopted()]).replace("percent: 25", "percent: "
                                         + "[" * DEEP + "1" + "]" * DEEP))),
]
RECORD_GUARDS = [
    _record("duplicate-id-in-file", json_file(listed(), listed(effective_on="2019-06-01")), says="el-1"),
    Case("record/duplicate-id-of-recorded", R, (json_file(listed(effective_on="2019-06-01")),), seed="timeline",
         says="el-1"),
    _record("delist-never-listed", json_file(listed(kind="entity_delisted", id="d-1")), says="d-1"),
    _record("amend-never-listed", json_file(listed(kind="entry_amended", id="a-1",
                                                   details={"license_policy": "x"})), says="a-1"),
    _record("delist-before-listing", json_file(listed(), listed(kind="entity_delisted", id="d-1",
                                                                effective_on="2019-05-01")), says="d-1"),
    _record("amend-withdrawn-measure", json_file(
        adopted(), {"kind": "measure_withdrawn", "id": "mw-1", "measure": {"key": "tgl"}, "effective_on": "2019-06-01",
                    "published_on": "2019-06-01", "sources": [SOURCE]},
        {"kind": "measure_amended", "id": "mm-1", "measure": {"key": "tgl"}, "expires_on": "2019-12-01",
         "effective_on": "2019-07-01", "published_on": "2019-07-01", "sources": [SOURCE]}), says="mm-1"),
    _record("meeting-held-twice", json_file(*[{"kind": "meeting_held", "id": f"mh-{n}",
                                               "meeting": {"key": "m", "title": "A meeting"},
                                               "date": "2020-02-20", "outcome": "none", "effective_on": "2020-02-20",
                                               "published_on": "2020-02-28", "sources": [SOURCE]} for n in (1, 2)]),
            says="mh-2"),
    _record("correction-of-unknown", json_file({"kind": "correction", "id": "c-1", "corrects": "nothing",
                                                "fields": {"note": "x"}, "published_on": "2019-05-23",
                                                "sources": [SOURCE]}), says="nothing"),
    _record("retraction-of-unknown", json_file({"kind": "retraction", "id": "r-1", "retracts": "nothing",
                                                "reason": "x", "published_on": "2019-05-23",
                                                "sources": [SOURCE]}), says="nothing"),
    _record("correction-of-kind", json_file(listed(), {"kind": "correction", "id": "c-1", "corrects": "el-1",
                                                       "fields": {"kind": "entity_delisted"},
                                                       "published_on": "2019-05-23", "sources": [SOURCE]}),
            says="kind"),
    _record("correction-of-subject", json_file(listed(), {"kind": "correction", "id": "c-1", "corrects": "el-1",
                                                          "fields": {"party.key": "zte"},
                                                          "published_on": "2019-05-23", "sources": [SOURCE]}),
            says="party.key"),
    _record("correction-unknown-field", json_file(listed(), {"kind": "correction", "id": "c-1", "corrects": "el-1",
                                                             "fields": {"colour": "red"},
                                                             "published_on": "2019-05-23", "sources": [SOURCE]}),
            says="colour"),
    _record("retraction-without-reason", json_file(listed(), {"kind": "retraction", "id": "r-1", "retracts": "el-1",
                                                              "published_on": "2019-05-23", "sources": [SOURCE]}),
            says="reason"),
]

# -- import federal-register -----------------------------------------------------------------------------------------

F = ("import", "federal-register", "{FILE}")
DOCUMENT: dict[str, Any] = json.loads((FR / "eo-13873.json").read_text(encoding="utf-8"))


def document(**changes: Any) -> Input:
    """The valid executive-order document, changed by `changes`, as a JSON file."""
    return Input(json_of(_merged(DOCUMENT, changes)), ".json")


def _fr(name: str, content: Input, says: str = "{FILE}", **extra: Any) -> Case:
    return Case(f"federal-register/{name}", F, (content,), says=says, **extra)


FEDERAL_REGISTER = [
    _fr("malformed-json", text('{"document_number": "2019-1",', ".json")),
    _fr("document-number-missing", document(document_number=...), says="document_number"),
    _fr("document-number-integer", document(document_number=201910538), says="document_number"),
    _fr("document-number-empty", document(document_number=""), says="document_number"),
    _fr("document-number-newline", document(document_number="2019-10538\nregledger: error: forged"),
        says="document_number"),
    _fr("document-number-escape", document(document_number="2019" + HOSTILE), says="document_number"),
    _fr("document-number-nul", document(document_number="2019\x0010538"), says="document_number"),
    _fr("type-unknown", document(type="BLOG"), says="type"),
    _fr("type-number", document(type=5), says="type"),
    _fr("date-day-first", document(publication_date="01/02/2099"), says="publication_date"),
    _fr("date-february-30", document(publication_date="2019-02-30"), says="publication_date"),
    _fr("effective-bad", document(effective_on="2019-13-01"), says="effective_on"),
    _fr("agencies-string", document(agencies="BIS"), says="agencies"),
    _fr("citation-list", document(citation=["84 FR 22689"]), says="citation"),
    _fr("title-number", document(title=5), says="title"),
    _fr("title-nul", document(title="Securing\x00"), says="title"),
    _fr("results-string", text('{"results": "x"}', ".json")),
    _fr("results-of-scalars", text('{"results": [1, 2]}', ".json")),
    _fr("scalar", text("42", ".json")),
    _fr("null", text("null", ".json")),
    _fr("empty", text("", ".json")),
    _fr("non-utf8", text(json_of(DOCUMENT).encode().replace(b"Securing", b"S\xe9curing"), ".json")),
    _fr("utf8-bom", text(b"\xef\xbb\xbf" + json_of(DOCUMENT).encode(), ".json"), says="", status=0, adds=True),
    _fr("missing-file", MISSING),
    _fr("directory", DIRECTORY, status=2, says="is a directory"),
    _fr("deep-nesting", text(nested_json(DEEP), ".json")),
    _fr("deep-nesting-in-field", text(json_of(DOCUMENT).replace('"action": null', '"action": '
                                      + nested_json(DEEP)), ".json")),
    _fr("nan", text(json_of(DOCUMENT).replace("13873", "NaN"), ".json")),
    _fr("1e999", text(json_of(DOCUMENT).replace("13873", "1e999"), ".json")),
    _fr("duplicate-key", text('{"document_number": "1", "document_number": "2"}', ".json")),
    _fr("over-size-limit", padded("[]", ".json"), stores="sqlite", hazard=True),
    _fr("fifo", FIFO, stores="sqlite", hazard=True),
    _fr("dev-zero", DEV_ZERO, says="/dev/zero", stores="sqlite", hazard=True),
    *[_fr(f"fixture-{path.stem}", fixture(path), seed="federal-register" if "changed" in path.stem else "")
      for path in sorted(FR.glob("bad-*.json"))],
    Case("federal-register/mapping-malformed", (*F, "--mapping", "{FILE2}"),
         (fixture(FR / "eo-13873.json"), text("a: [unclosed\n")), says="{FILE2}"),
    Case("federal-register/mapping-deep", (*F, "--mapping", "{FILE2}"),
         (fixture(FR / "eo-13873.json"), text("a: " + "[" * DEEP + "]" * DEEP + "\n")), says="{FILE2}"),
    Case("federal-register/mapping-not-a-mapping", (*F, "--mapping", "{FILE2}"),
         (fixture(FR / "eo-13873.json"), text("- a\n- b\n")), says="{FILE2}"),
    Case("federal-register/mapping-missing", (*F, "--mapping", "{FILE2}"), (fixture(FR / "eo-13873.json"), MISSING),
         says="{FILE2}"),
    Case("federal-register/mapping-value-nul", (*F, "--mapping", "{FILE2}"),
         (fixture(FR / "eo-13873.json"), text('{"2019-10538": "tgl\\u0000"}', ".json")), says="{FILE2}"),
    Case("federal-register/measure-hostile", (*F, "--measure", "tgl\n" + HOSTILE), (fixture(FR / "eo-13873.json"),),
         says="measure"),
]

# -- import screening-list -------------------------------------------------------------------------------------------

S = ("import", "screening-list", "{FILE}", "--as-published", "2019-06-03")
SNAPSHOT: dict[str, Any] = json.loads((CSL / "csl-2019-06-03.json").read_text(encoding="utf-8"))
CSV = (CSL / "csl-2019-06-03.csv").read_text(encoding="utf-8")


def snapshot(**changes: Any) -> Input:
    """The valid JSON snapshot, its first entry changed by `changes`."""
    first, *others = SNAPSHOT["results"]
    return Input(json_of({**SNAPSHOT, "results": [_merged(first, changes), *others]}), ".json")


def _sl(name: str, content: Input, says: str = "{FILE}", **extra: Any) -> Case:
    return Case(f"screening-list/{name}", S, (content,), says=says, **extra)


SCREENING_LIST = [
    _sl("addresses-numbers", snapshot(addresses=[1, 2]), says="addresses"),
    _sl("name-number", snapshot(name=5), says="name"),
    _sl("name-missing", snapshot(name=...), says="name"),
    _sl("name-nul", snapshot(name="Hua\x00wei"), says="name"),
    _sl("name-escape", snapshot(name="Evil " + HOSTILE), says="name"),
    _sl("alt-names-nul", snapshot(alt_names=["a\x00"]), says="alt_names"),
    _sl("alt-names-numbers", snapshot(alt_names=[1]), says="alt_names"),
    _sl("start-date-bad", snapshot(start_date="2019-02-30"), says="start_date"),
    _sl("start-date-number", snapshot(start_date=20190516), says="start_date"),
    _sl("source-number", snapshot(source=5), says="source"),
    _sl("nan", text(json_of(SNAPSHOT).replace('"total": 4', '"total": NaN'), ".json")),
    _sl("1e999-in-entry", text(json_of(SNAPSHOT).replace('"entity_number": null', '"entity_number": 1e999', 1),
                               ".json")),
    _sl("results-string", text('{"results": "x"}', ".json")),
    _sl("results-of-lists", text('{"results": [[1]]}', ".json")),
    _sl("scalar", text("42", ".json")),
    _sl("empty-json", text("", ".json")),
    _sl("deep-nesting", text(nested_json(DEEP), ".json")),
    _sl("deep-nesting-in-entry", text(json_of(SNAPSHOT).replace('"entity_number": null', '"entity_number": '
                                      + nested_json(DEEP), 1), ".json")),
    _sl("utf8-bom-json", text(b"\xef\xbb\xbf" + json_of(SNAPSHOT).encode(), ".json"), says="", status=0, adds=True),
    _sl("utf8-bom-csv", text(b"\xef\xbb\xbf" + CSV.encode(), ".csv"), says="", status=0, adds=True),
    _sl("csv-unclosed-quote", text(CSV.replace('"Huawei Technologies Co., Ltd."', '"Huawei Technologies'), ".csv")),
    _sl("csv-missing-name-column", text(CSV.replace(",name,", ",nom,", 1), ".csv"), says="name"),
    _sl("csv-non-utf8", text(CSV.encode().replace(b"Bantian", b"B\xe4ntian"), ".csv")),
    _sl("csv-nul-byte", text(CSV.replace("Bantian", "Ban\x00tian"), ".csv")),
    _sl("csv-escape-in-name", text(CSV.replace("Example Trading Co.", "Example " + HOSTILE), ".csv"), says="name"),
    _sl("csv-extra-cells", text("\n".join(line + (",extra,cells" if number == 1 else "")
                                          for number, line in enumerate(CSV.splitlines())) + "\n", ".csv")),
    _sl("csv-empty", text("", ".csv")),
    _sl("missing-file", MISSING),
    _sl("directory", DIRECTORY, status=2, says="is a directory"),
    _sl("over-size-limit", padded(json_of({"results": []}), ".json"), stores="sqlite", hazard=True),
    _sl("fifo", Input(special="fifo", suffix=".json"), stores="sqlite", hazard=True),
    _sl("dev-zero", DEV_ZERO, says="/dev/zero", stores="sqlite", hazard=True),
    *[_sl(f"fixture-{path.stem}", fixture(path)) for path in sorted(CSL.glob("bad-*"))],
    Case("screening-list/as-published-bad", ("import", "screening-list", "{FILE}", "--as-published", "2019-02-30"),
         (fixture(CSL / "csl-2019-06-03.json"),), status=2, says="--as-published"),
    Case("screening-list/as-published-missing", ("import", "screening-list", "{FILE}"),
         (fixture(CSL / "csl-2019-06-03.json"),), status=2, says="--as-published"),
    Case("screening-list/older-than-imported", S, (fixture(CSL / "csl-2019-06-03.json"),), seed="screening",
         says="{FILE}"),
]

# -- --db: store settings ---------------------------------------------------------------------------------------------

VALID = json_file(listed())


STORE_FILES = (Input("not a database\n", ".txt"), Input(bytes(range(256)) * 64, ".bin"))


def _db(name: str, command: tuple[str, ...], url: str, says: str = "--db", **extra: Any) -> Case:
    """A store setting that must be refused; FILE is a valid timeline, FILE2 a text file, FILE3 a binary one."""
    return Case(f"db/{name}", (*command, "--db", url), (VALID, *STORE_FILES), says=says, stores="own", **extra)


LOG, RECORD, AS_OF = ("log",), ("record", "{FILE}"), ("as-of", "2019-06-01")
DB = [
    _db("port-99999", LOG, f"{PG_HOST.rsplit(':', 1)[0]}:99999/test"),
    _db("port-99999-record", RECORD, f"{PG_HOST.rsplit(':', 1)[0]}:99999/test"),
    _db("port-abc", LOG, f"{PG_HOST.rsplit(':', 1)[0]}:abc/test"),
    _db("port-negative", LOG, f"{PG_HOST.rsplit(':', 1)[0]}:-1/test"),
    _db("unclosed-ipv6", LOG, "postgresql://postgres@[::1/test"),
    _db("empty-schema", RECORD, f"{POSTGRES_URL}?schema=", leaves="schema:public"),
    _db("information-schema", RECORD, f"{POSTGRES_URL}?schema=information_schema",
        leaves="schema:information_schema"),
    _db("information-schema-log", LOG, f"{POSTGRES_URL}?schema=information_schema"),
    _db("pg-catalog", RECORD, f"{POSTGRES_URL}?schema=pg_catalog", leaves="schema:pg_catalog"),
    _db("pg-catalog-log", LOG, f"{POSTGRES_URL}?schema=pg_catalog"),
    _db("pg-toast", RECORD, f"{POSTGRES_URL}?schema=pg_toast"),
    _db("schema-quote", RECORD, f'{POSTGRES_URL}?schema=a"b'),
    _db("schema-nul", RECORD, f"{POSTGRES_URL}?schema=a%00b"),
    _db("schema-too-long", RECORD, f"{POSTGRES_URL}?schema={'s' * 64}"),
    _db("schema-twice", RECORD, f"{POSTGRES_URL}?schema=a&schema=b"),
    _db("unknown-parameter", LOG, f"{POSTGRES_URL}?colour=red"),
    _db("unknown-parameter-record", RECORD, f"{POSTGRES_URL}?schema=t_unknown_param&colour=red"),
    _db("sslmode-bogus", LOG, f"{POSTGRES_URL}?sslmode=bogus"),
    _db("unknown-scheme", LOG, "mysql://root@127.0.0.1/test"),
    _db("no-server", AS_OF, "postgresql://postgres@127.0.0.1:1/test"),
    _db("no-such-database", LOG, f"{PG_HOST}/regledger_no_such_database"),
    _db("empty", LOG, ""),
    _db("sqlite-empty-path", LOG, "sqlite:///"),
    _db("sqlite-no-such-folder", RECORD, "sqlite:///{TMP}/no/such/folder/ledger.db"),
    _db("directory", LOG, "{TMP}"),
    _db("text-file-log", LOG, "{FILE2}", leaves="file:FILE2"),
    _db("text-file-record", RECORD, "{FILE2}", leaves="file:FILE2"),
    _db("text-file-as-of", AS_OF, "{FILE2}", leaves="file:FILE2"),
    _db("binary-file", LOG, "{FILE3}", leaves="file:FILE3"),
]

# -- queries ----------------------------------------------------------------------------------------------------------


def _query(name: str, args: tuple[str, ...], says: str, status: int = 1) -> Case:
    return Case(f"query/{name}", args, status=status, says=says, seed="timeline")


QUERIES = [
    _query("as-of-february-30", ("as-of", "2019-02-30"), "D"),
    _query("as-of-slashes", ("as-of", "2019/05/16"), "D"),
    _query("as-of-empty", ("as-of", ""), "D"),
    _query("as-of-year-0", ("as-of", "0000-01-01"), "D"),
    _query("as-of-year-10000", ("as-of", "10000-01-01"), "D"),
    _query("as-of-hostile", ("as-of", HOSTILE), "D"),
    _query("diff-backwards", ("diff", "2020-01-01", "2019-01-01"), "D2"),
    _query("diff-bad-start", ("diff", "2019-13-01", "2020-01-01"), "D1"),
    _query("known-at-before-calendar", ("as-of", "2019-06-01", "--known-at", "0001-01-01T00:00:00+01:00"),
           "--known-at"),
    _query("known-at-after-calendar", ("as-of", "2019-06-01", "--known-at", "9999-12-31T23:59:59-05:00"),
           "--known-at"),
    _query("known-at-words", ("as-of", "2019-06-01", "--known-at", "last week"), "--known-at"),
    _query("known-at-hour-25", ("as-of", "2019-06-01", "--known-at", "2019-05-16T25:00:00Z"), "--known-at"),
    _query("known-at-empty", ("as-of", "2019-06-01", "--known-at", ""), "--known-at"),
    _query("history-known-at-before-calendar", ("history", "huawei", "--known-at", "0001-01-01T00:00:00+01:00"),
           "--known-at"),
    _query("published-by-month-13", ("as-of", "2019-06-01", "--published-by", "2019-13-01"), "--published-by"),
    _query("unknown-list", ("as-of", "2019-06-01", "--list", "no-such-list"), "no-such-list"),
    _query("hostile-list", ("diff", "2019-01-01", "2019-06-01", "--list", HOSTILE), "list"),
    _query("unknown-subject", ("history", "no-such-subject"), "no-such-subject"),
    _query("empty-subject", ("history", ""), "subject"),
    _query("hostile-subject", ("history", HOSTILE + "\nforged"), "subject"),
    _query("tier-unknown", ("as-of", "2019-06-01", "--min-reliability", "rumour"), "--min-reliability", 2),
    _query("format-unknown", ("as-of", "2019-06-01", "--format", "xml"), "--format", 2),
    _query("log-format-unknown", ("log", "--format", "xml"), "--format", 2),
    _query("as-of-without-date", ("as-of",), "D", 2),
    _query("diff-one-date", ("diff", "2019-01-01"), "D2", 2),
    _query("check-views-samples-words", ("check-views", "--samples", "many"), "--samples", 2),
]

# -- reports ----------------------------------------------------------------------------------------------------------


def _report(name: str, args: tuple[str, ...], says: str, status: int = 1) -> Case:
    return Case(f"report/{name}", ("report", *args), status=status, says=says, seed="timeline")


REPORTS = [
    _report("party-as-of-bad", ("party", "huawei", "--as-of", "2019-02-30"), "--as-of"),
    _report("party-known-at-before-calendar", ("party", "huawei", "--known-at", "0001-01-01T00:00:00+01:00"),
            "--known-at"),
    _report("replay-until-before-calendar", ("replay", "--until", "0001-01-01T00:00:00+05:00"), "--"),
    _report("replay-until-words", ("replay", "--until", "soon"), "--"),
    _report("changes-backwards", ("changes", "--from", "2020-01-01", "--to", "2019-01-01"), "--to"),
    _report("changes-bad-from", ("changes", "--from", "2019-13-01", "--to", "2020-01-01"), "--from"),
    _report("changes-without-to", ("changes", "--from", "2019-01-01"), "--to", 2),
    _report("snapshot-february-30", ("snapshot", "2019-02-30"), "D"),
    _report("snapshot-timestamp", ("snapshot", "2019-06-01T00:00:00"), "D"),
    _report("snapshot-no-such-folder", ("snapshot", "2019-06-01", "-o", "{TMP}/no/such/folder/r.html"), "-o"),
    _report("snapshot-to-directory", ("snapshot", "2019-06-01", "-o", "{TMP}"), "-o", 2),
    _report("snapshot-format-rtf", ("snapshot", "2019-06-01", "--format", "rtf"), "--format", 2),
]

# -- calendar ends: valid, if odd, and answered (exit 0) ---------------------------------------------------------------


def _ends(name: str, *args: str) -> Case:
    return Case(f"ends/{name}", args, status=0, seed="ends")


ENDS = [
    _ends("report-party-listed-9999-12-31", "report", "party", "late"),
    _ends("report-party-listed-0001-01-01", "report", "party", "early"),
    _ends("report-party-markdown", "report", "party", "late", "--format", "markdown"),
    _ends("report-party-as-of-9999-12-31", "report", "party", "late", "--as-of", "9999-12-31"),
    _ends("report-party-as-of-0001-01-01", "report", "party", "early", "--as-of", "0001-01-01"),
    _ends("report-changes-whole-calendar", "report", "changes", "--from", "0001-01-01", "--to", "9999-12-31"),
    _ends("report-snapshot-0001-01-01", "report", "snapshot", "0001-01-01"),
    _ends("report-snapshot-9999-12-31", "report", "snapshot", "9999-12-31", "--format", "markdown"),
    _ends("report-replay-until-9999-12-31", "report", "replay", "--until", "9999-12-31"),
    _ends("as-of-9999-12-31", "as-of", "9999-12-31"),
    _ends("diff-whole-calendar", "diff", "0001-01-01", "9999-12-31"),
    _ends("history-late", "history", "late"),
    _ends("as-of-known-at-9999-12-31", "as-of", "9999-12-31", "--known-at", "9999-12-31"),
]

# -- integrity commands: checkpoints, keys, bundles -------------------------------------------------------------------


def _integrity(name: str, args: tuple[str, ...], content: Input | None = None, says: str = "{FILE}",
               **extra: Any) -> Case:
    extra.setdefault("seed", "timeline")
    return Case(f"integrity/{name}", args, (content,) if content else (), says=says, **extra)


CHECKPOINT = ("verify", "--checkpoint", "{FILE}")
INTEGRITY = [
    _integrity("checkpoint-deep", CHECKPOINT, text(nested_json(DEEP), ".json")),
    _integrity("checkpoint-very-deep", CHECKPOINT, text('{"a": ' * 100_000 + "1" + "}" * 100_000, ".json")),
    _integrity("checkpoint-malformed", CHECKPOINT, text("{", ".json")),
    _integrity("checkpoint-not-an-object", CHECKPOINT, text("[1, 2]", ".json")),
    _integrity("checkpoint-nan-size", CHECKPOINT, text('{"statement": {"size": NaN}}', ".json")),
    _integrity("checkpoint-binary", CHECKPOINT, text(bytes(range(256)), ".json")),
    _integrity("checkpoint-missing", CHECKPOINT, MISSING),
    _integrity("public-key-garbage", ("verify", "--checkpoint", "{FILE}", "--public-key", "{FILE}"),
               text("not a key\n", ".pem")),
    _integrity("bundle-text-file", ("verify-bundle", "{FILE}"), text("not a bundle\n", ".db"), stores="own", seed=""),
    _integrity("bundle-binary-file", ("verify-bundle", "{FILE}"), text(bytes(range(256)) * 64, ".db"), stores="own",
               seed=""),
    _integrity("bundle-missing", ("verify-bundle", "{FILE}"), MISSING, stores="own", seed=""),
    _integrity("checkpoint-key-garbage", ("checkpoint", "--key", "{FILE}", "-o", "{TMP}/c.json"),
               text("-----BEGIN PRIVATE KEY-----\nxx\n", ".pem")),
    _integrity("export-until-words", ("export", "{TMP}/bundle.db", "--until", "soon"), says="--until"),
]

CASES: list[Case] = [*RECORD_FILES, *RECORD_SYNTAX, *RECORD_TYPES, *RECORD_FIELDS, *RECORD_DATES, *RECORD_NUMBERS,
                     *RECORD_TEXT, *RECORD_DEPTH, *RECORD_GUARDS, *FEDERAL_REGISTER, *SCREENING_LIST, *DB,
                     *QUERIES, *REPORTS, *ENDS, *INTEGRITY]


def by_category() -> dict[str, int]:
    """How many cases each category holds (the first word of the ids), for docs/reliability.md."""
    counts: dict[str, int] = {}
    for case in CASES:
        counts[case.category] = counts.get(case.category, 0) + 1
    return counts
