"""On both stores: each detail and parameter of an as-of answer names the action that set it and its tier; text marks
a value set below its item's tier."""

from __future__ import annotations

import json
from typing import Any

from tests.conftest import listed, source
from tests.e2e.test_query_schema import problems

_ALERT = source("Law firm alert", "attributed", publisher="Thompson Hine")


def _actions() -> list[dict[str, Any]]:
    return [
        listed(id="rule", details={"license_policy": "Presumption of denial"}),
        {"kind": "entry_amended", "id": "alert", "list": "us-bis-entity-list", "party": {"key": "huawei"},
         "effective_on": "2019-06-01", "published_on": "2019-06-01", "sources": [_ALERT],
         "details": {"wind_down_ends": "2019-09-14"}},
        {"kind": "measure_adopted", "id": "fdp", "measure": {"key": "fdp", "title": "Foreign direct product rule"},
         "effective_on": "2020-05-15", "published_on": "2020-05-19", "sources": [source("85 FR 29849")],
         "parameters": {"foreign_direct_product_footnote": "1"}},
        {"kind": "measure_amended", "measure": {"key": "fdp"}, "effective_on": "2020-05-15",
         "published_on": "2020-05-20", "sources": [_ALERT], "parameters": {"wind_down_ends_on": "2020-09-14"}},
    ]


def test_as_of_json_gives_each_value_its_provenance(db: str, run_cli: Any, write_timeline: Any) -> None:
    assert run_cli("record", "--db", db, write_timeline(_actions()).as_posix()).code == 0

    result = run_cli("as-of", "2020-06-01", "--format", "json", "--db", db)

    assert result.code == 0, result.err
    answer = json.loads(result.out)
    assert problems(answer, "asOf", strict=True) == []
    entry = answer["lists"]["us-bis-entity-list"][0]
    assert entry["details_provenance"] == {
        "license_policy": {"set_by": "rule", "reliability": "official"},
        "wind_down_ends": {"set_by": "alert", "reliability": "attributed"},
    }
    measure = answer["measures"][0]
    assert measure["parameters_provenance"]["foreign_direct_product_footnote"] == {"set_by": "fdp",
                                                                                  "reliability": "official"}
    amendment = measure["parameters_provenance"]["wind_down_ends_on"]
    assert amendment["set_by"].startswith("sha256:")
    assert amendment["reliability"] == "attributed"
    attributed_only = json.loads(run_cli("as-of", "2020-06-01", "--min-reliability", "attributed", "--format", "json",
                                         "--db", db).out)
    assert attributed_only["measures"][0]["parameters_provenance"] == measure["parameters_provenance"]


def test_text_marks_a_value_set_below_its_items_tier(db: str, run_cli: Any, write_timeline: Any) -> None:
    assert run_cli("record", "--db", db, write_timeline(_actions()).as_posix()).code == 0

    text = run_cli("as-of", "2020-06-01", "--db", db).out

    assert "wind_down_ends: 2019-09-14 (attributed: alert)" in text
    assert "license_policy: Presumption of denial\n" in text
    assert "foreign_direct_product_footnote = 1;" in text
    assert "wind_down_ends_on = 2020-09-14 (attributed: sha256:" in text
