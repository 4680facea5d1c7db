"""The HTML fragments drawn for every item of a page, written as functions (`reports.items_html`, the pages'
links, the cached source lines), against what they replaced: the same bytes as the jinja2 macros for any item,
every value escaped as `markupsafe.escape` escapes it, and a dict's fields read as jinja2 reads them."""

from __future__ import annotations

from typing import Any

import jinja2
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import Markup, escape

from regledger.adapters.render.reports.environment import DataEnvironment, environment
from regledger.adapters.render.reports.filters import citations_text, html_text
from regledger.adapters.web.filters import party_link_html, subject_link_html
from regledger.adapters.web.inputs import AxisParams
from regledger.adapters.web.views import View
from tests.conftest import ROOT

ORACLE = (ROOT / "tests" / "fixtures" / "templates" / "items_macros.html").read_text(encoding="utf-8")

# Text that tries every escape: markup, quotes, ampersands, right-to-left and wide characters, and blanks.
text = st.text(alphabet=st.sampled_from(list("aZ9 <>&'\"/;=\u202e華為ـ\n")), max_size=12)
maybe = st.none() | text
day = st.none() | st.dates().map(str)
tier = st.none() | st.sampled_from(["official", "authoritative", "reported", "anonymous", "rumour"])
citation = st.fixed_dictionaries({
    "citation": maybe, "document_number": maybe, "title": maybe, "publisher": maybe, "reliability": tier,
    "published_on": day, "kind": st.none() | st.sampled_from(["federal_register", "public_inspection", "press",
                                                               "agency", "court", "other", "odd"]),
    "cfr": st.lists(st.sampled_from(["15 CFR part 744", "15 CFR 734.9(e)", "odd place"]), max_size=2),
    "url": st.none() | text | st.sampled_from(["https://www.federalregister.gov/d/2019-10616", "javascript:x",
                                               "https://e.org/a?b=1&c=<2>"]),
    "bluebook": text,
})
citations = st.lists(citation, max_size=4)
change = st.fixed_dictionaries({"kind": text, "effective_on": day, "published_on": day})
announced = st.fixed_dictionaries({"change": st.sampled_from(["add", "remove", "amend", ""]), "published_on": day})
field_name = st.sampled_from(["Zeta", "alpha", "Beta", "license_policy", "details.us_content"]) | text
fields = st.dictionaries(field_name, st.none() | text | st.booleans() | st.integers() | st.lists(text, max_size=2),
                         max_size=3)


@st.composite
def provenance(draw: Any, values: dict[str, Any]) -> dict[str, Any]:
    return {name: {"set_by": draw(text), "reliability": draw(tier)} for name in values if draw(st.booleans())}


@st.composite
def entry(draw: Any) -> dict[str, Any]:
    details = draw(fields)
    return {"party": draw(text), "name": draw(maybe), "aliases": draw(st.lists(text, max_size=3)),
            "country": draw(maybe), "status": draw(st.sampled_from(["in_force", "pending", "odd_status"])),
            "listed_on": draw(day), "details": details, "details_provenance": draw(provenance(details)),
            "reliability": draw(tier), "citations": draw(citations), "pending": draw(st.lists(change, max_size=2)),
            "announced": draw(st.none() | st.lists(announced, max_size=2))}


@st.composite
def measure(draw: Any) -> dict[str, Any]:
    parameters = draw(fields)
    dates = {name: draw(day) for name in ("proposed_on", "effective_on", "expires_on", "comments_close_on",
                                          "revoked_on", "withdrawn_on")}
    return {"key": draw(text), "title": draw(maybe), "status": draw(text), **dates, "parameters": parameters,
            "parameters_provenance": draw(provenance(parameters)), "reliability": draw(tier),
            "citations": draw(citations), "pending": draw(st.lists(change, max_size=2)),
            "announced": draw(st.lists(announced, max_size=2))}


meeting = st.fixed_dictionaries({"key": text, "title": maybe, "status": text, "date": day, "outcome": maybe,
                                 "citations": citations})
position = st.fixed_dictionaries({"actor": text, "actor_name": maybe, "subject": text, "stance": text,
                                  "certainty": maybe, "stated_on": day, "published_on": day, "reliability": tier,
                                  "citations": citations})
style = st.sampled_from(["plain", "bluebook"])


def _both(macro: str, item: dict[str, Any], chosen: str) -> tuple[str, str]:
    """`macro` of `item` in the citation style `chosen`: by the old macros, and by what `_items.html` exports."""
    env, settings = environment(), {"citation_style": chosen}
    old = getattr(env.from_string(ORACLE).make_module({"r": settings}), macro)(item)
    new = env.from_string(f'{{% from "_items.html" import {macro} %}}{{{{ {macro}(item) }}}}')
    return str(old), new.render(item=item, r=settings)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(item=entry(), chosen=style)
def test_an_entry_renders_as_the_macro_did(item: dict[str, Any], chosen: str) -> None:
    old, new = _both("entry", item, chosen)
    assert new == old


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(item=measure(), chosen=style)
def test_a_measure_renders_as_the_macro_did(item: dict[str, Any], chosen: str) -> None:
    old, new = _both("measure", item, chosen)
    assert new == old


@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow])
@given(item=meeting, chosen=style)
def test_a_meeting_renders_as_the_macro_did(item: dict[str, Any], chosen: str) -> None:
    old, new = _both("meeting", item, chosen)
    assert new == old


@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow])
@given(item=position, chosen=style)
def test_a_position_renders_as_the_macro_did(item: dict[str, Any], chosen: str) -> None:
    old, new = _both("position", item, chosen)
    assert new == old


def test_a_hostile_value_is_escaped_in_every_part_of_an_entry() -> None:
    hostile = '<script>alert("x")</script>&\''
    cited = {"citation": hostile, "document_number": None, "title": hostile, "publisher": hostile,
             "reliability": "official", "published_on": None, "kind": "press", "cfr": [], "url": hostile,
             "bluebook": hostile}
    item = {"party": hostile, "name": hostile, "aliases": [hostile], "country": hostile, "status": "in_force",
            "listed_on": None, "details": {hostile: hostile}, "details_provenance": {}, "reliability": "official",
            "citations": [cited], "pending": [{"kind": hostile, "effective_on": None, "published_on": None}],
            "announced": []}
    _, shown = _both("entry", item, "plain")

    assert "<script>" not in shown
    assert shown.count("&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&amp;&#39;") >= 8


@given(value=st.none() | st.integers() | st.booleans() | st.text() | text)
def test_html_text_escapes_as_markupsafe_does(value: object) -> None:
    assert html_text(value) == str(escape(value))


def test_html_text_keeps_markup_as_it_is() -> None:
    assert html_text(Markup("<b>bold</b>")) == "<b>bold</b>"


@given(data=st.dictionaries(st.sampled_from(["name", "items", "get", "keys", "status", "missing_not"]), text))
def test_a_dicts_fields_read_as_jinja2_reads_them(data: dict[str, str]) -> None:
    source = "{{ d.name is defined }}|{{ d.status is defined }}|{{ d.items is callable }}|{{ d.get('status') }}" \
             "|{{ d.name if d.name is defined }}|{{ d.keys is callable }}"
    plain = jinja2.Environment(autoescape=True).from_string(source)
    ours = DataEnvironment(autoescape=True).from_string(source)

    assert ours.render(d=data) == plain.render(d=data)


def test_a_missing_field_is_still_an_error_under_strict_undefined() -> None:
    env = DataEnvironment(undefined=jinja2.StrictUndefined)

    with pytest.raises(jinja2.UndefinedError, match="absent"):
        env.from_string("{{ d.absent }}").render(d={})


def test_a_source_line_is_worked_out_from_the_source_as_it_is_now() -> None:
    cited = {"citation": "84 FR 22961", "document_number": None, "title": "Addition", "publisher": "BIS",
             "reliability": "official", "published_on": "2019-05-21", "kind": "federal_register",
             "cfr": ["15 CFR part 744"], "url": "https://www.federalregister.gov/d/2019-10616", "bluebook": ""}
    first = citations_text([cited], "plain")
    again = citations_text([dict(cited)], "plain")
    retitled = citations_text([{**cited, "title": "Removal"}], "plain")
    nested = citations_text([{**cited, "extra": {"a": 1}}], "plain")  # not a cache key: worked out afresh

    assert first == again
    assert "Removal" in retitled
    assert "Addition" not in retitled
    assert nested == first


def test_the_pages_links_keep_the_axes_and_escape_key_and_text() -> None:
    view = View(AxisParams(published_by="2019-05-20", known_at=None, min_reliability="official"))
    link = str(party_link_html("a/b&<c>", "<Huawei & co>", view))
    subject = str(subject_link_html("measures", "m 1", "t", view))

    assert link == ('<a href="/parties/a%2Fb%26%3Cc%3E?published_by=2019-05-20&amp;min_reliability=official">'
                    "<bdi>&lt;Huawei &amp; co&gt;</bdi></a>")
    assert subject.startswith('<a href="/measures/m%201?published_by=2019-05-20&amp;')
