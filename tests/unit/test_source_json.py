"""A source's JSON is made once per source and shared by every answer that cites it (`SourceJSON`): it cannot be
changed in place, copies of it are plain dicts, renderers keep what they work out from it, and it reads, renders
and serialises exactly as the plain dict it replaced."""

from __future__ import annotations

import copy
import json
import pickle
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from regledger.adapters.render.answers_json import SourceJSON, citation_json
from regledger.adapters.render.reports.environment import DataEnvironment
from regledger.adapters.render.reports.filters import citations_text
from regledger.adapters.safe_text import safe_data
from regledger.projections.items import Citation

ADDITION = Citation("84 FR 22961", "2019-10616", "https://www.federalregister.gov/d/2019-10616", "Addition of Huawei",
                    "Federal Register", "official", date(2019, 5, 21), "federal_register", ("15 CFR part 744",))
HOSTILE = Citation("x\x1b[2J", None, None, "Title \u202eevil", "Press", "reported", date(2020, 1, 2), "press")


def _pickled(data: object) -> object:
    return pickle.loads(pickle.dumps(data))  # noqa: S301 - bytes this test just made


def test_a_source_is_made_once_and_shared_by_every_answer_that_cites_it() -> None:
    first, again = citation_json(ADDITION), citation_json(Citation(*(getattr(ADDITION, f) for f in (
        "citation", "document_number", "url", "title", "publisher", "reliability", "published_on", "kind", "cfr"))))

    assert first is again
    assert type(first) is SourceJSON
    assert first == {"citation": "84 FR 22961", "document_number": "2019-10616",
                     "url": "https://www.federalregister.gov/d/2019-10616", "title": "Addition of Huawei",
                     "publisher": "Federal Register", "reliability": "official", "published_on": "2019-05-21",
                     "kind": "federal_register", "cfr": ["15 CFR part 744"],
                     "bluebook": "84 Fed. Reg. 22,961 (May 21, 2019) (codified at 15 C.F.R. pt. 744)"}


@pytest.mark.parametrize("change", [
    lambda s: s.__setitem__("title", "x"), lambda s: s.__delitem__("title"), lambda s: s.update(title="x"),
    lambda s: s.setdefault("new", 1), lambda s: s.pop("title"), lambda s: s.popitem(), lambda s: s.clear(),
    lambda s: s.__ior__({"title": "x"}),
])
def test_a_shared_source_refuses_to_change(change: object) -> None:
    shared = citation_json(ADDITION)
    before = dict(shared)

    with pytest.raises(TypeError, match="shared by every answer"):
        change(shared)  # type: ignore[operator]
    assert shared == before
    assert citation_json(ADDITION) == before


@pytest.mark.parametrize("copied", [dict, copy.copy, copy.deepcopy, _pickled])
def test_a_copy_of_a_shared_source_is_a_plain_dict_to_change(copied: object) -> None:
    shared = citation_json(ADDITION)
    mine = copied(shared)  # type: ignore[operator]
    mine["title"] = "Changed"

    assert type(mine) is dict
    assert shared["title"] == "Addition of Huawei"


@pytest.mark.parametrize("copied", [copy.deepcopy, _pickled])
def test_a_deep_copy_of_a_shared_source_holds_lists_of_its_own(copied: object) -> None:
    shared = citation_json(ADDITION)
    mine = copied({"citations": [shared, shared]})  # type: ignore[operator]
    mine["citations"][0]["cfr"].append("elsewhere")

    assert shared["cfr"] == ["15 CFR part 744"]
    assert mine["citations"][1] is mine["citations"][0]  # one source cited twice is copied once, as a dict is


def test_a_shared_source_serialises_and_reads_as_a_plain_dict() -> None:
    shared = citation_json(ADDITION)
    template = ("{{ c.title }}|{{ c.kept is defined }}|{{ c.items is callable }}|{{ c.absent is defined }}"
                "|{{ c.bluebook }}")

    assert json.dumps(shared, indent=2) == json.dumps(dict(shared), indent=2)
    assert DataEnvironment(autoescape=True).from_string(template).render(c=shared) == \
        DataEnvironment(autoescape=True).from_string(template).render(c=dict(shared))


@given(style=st.sampled_from(["plain", "bluebook"]), order=st.permutations([0, 1, 2]))
def test_a_shared_sources_line_is_the_plain_dicts_and_is_kept(style: str, order: list[int]) -> None:
    sources = [citation_json(ADDITION), citation_json(HOSTILE), citation_json(ADDITION)]
    shown = [sources[i] for i in order]

    assert citations_text(shown, style) == citations_text([dict(s) for s in shown], style)  # type: ignore[arg-type]
    assert style in citation_json(ADDITION).kept


def test_a_shared_source_holding_text_to_escape_is_copied_made_safe_never_changed() -> None:
    shared = citation_json(HOSTILE)
    made = safe_data({"citations": [shared]})

    assert made["citations"][0]["citation"] == "x\\x1b[2J"
    assert made["citations"][0]["title"] == "Title \\u202eevil"
    assert type(made["citations"][0]) is dict
    assert shared["citation"] == "x\x1b[2J"


def test_a_page_of_shared_sources_needing_no_change_is_passed_as_it_is() -> None:
    page = {"lists": {"us-bis-entity-list": [{"citations": [citation_json(ADDITION)] * 3}]}}

    assert safe_data(page) is page
