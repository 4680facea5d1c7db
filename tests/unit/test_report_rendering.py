"""The report environment, its filters and the timeline layout, without a ledger."""

from __future__ import annotations

import fnmatch
import tomllib

import pytest
from jinja2 import StrictUndefined, UndefinedError

from regledger.adapters.render.reports.environment import environment, render, tidy_markdown
from regledger.adapters.render.reports.filters import (
    cite_label,
    is_web_url,
    label,
    list_name,
    md,
    md_url,
    moment,
    shown,
    words,
)
from regledger.adapters.render.reports.svg import LABEL_PX, fit_label, svg_layout, text_width
from regledger.adapters.safe_text import safe_data
from tests.conftest import ROOT


@pytest.mark.parametrize("url", ["https://www.federalregister.gov/d/2019-10616", "HTTP://example.org/a?b=1&c=2"])
def test_http_and_https_urls_are_links(url: str) -> None:
    assert is_web_url(url)


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,x", "file:///etc/passwd", "//example.org",
                                 "https://", "https://exa mple.org", "84 FR 22961", None, 3])
def test_anything_else_is_not_a_link(url: object) -> None:
    assert not is_web_url(url)


def test_md_escapes_markdown_and_html_and_joins_lines() -> None:
    assert str(md("<b>*A* & [b]|_c_\n`d`\\")) == "&lt;b&gt;\\*A\\* &amp; \\[b\\]\\|\\_c\\_ \\`d\\`\\\\"
    assert str(md("華為 \"quoted\" 'single'")) == "華為 \"quoted\" 'single'"


def test_md_url_encodes_what_would_end_the_destination() -> None:
    assert str(md_url("https://e.org/a b?x=<1>&y")) == "<https://e.org/a%20b?x=%3C1%3E&amp;y>"


def test_text_filters_name_things_in_words() -> None:
    assert words("entity_listed") == "listed"
    assert words("in_force") == "in force"
    assert shown(None) == "—"
    assert shown(["a", 2]) == "a, 2"
    assert cite_label({"citation": None, "document_number": None, "title": "T", "url": "https://x"}) == "T"


def test_the_environment_escapes_and_refuses_undefined_names() -> None:
    env = environment()

    assert env.autoescape is True
    assert env.undefined is StrictUndefined
    assert env.from_string("{{ x }}").render(x="<script>") == "&lt;script&gt;"
    with pytest.raises(UndefinedError):
        env.from_string("{{ missing }}").render()


def test_json_reports_are_the_report_data_as_given() -> None:
    assert render({"report": "changes", "name": "華為"}, "json") == '{\n  "report": "changes",\n  "name": "華為"\n}\n'


def test_markdown_is_tidied_of_trailing_spaces_and_blank_runs() -> None:
    assert tidy_markdown("\n# A  \n\n\n\ntext \n") == "# A\n\ntext\n"


def test_every_template_ships_as_package_data() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    globs = pyproject["tool"]["setuptools"]["package-data"]["regledger.templates"]
    files = [p.name for p in (ROOT / "templates").iterdir() if p.is_file() and p.suffix != ".py"]

    assert {"base.html", "base.md", "changes.html", "party.md", "_svg_timeline.html"} <= set(files)
    assert [f for f in files if not any(fnmatch.fnmatch(f, g) for g in globs)] == []
    assert set(files) <= set(environment().list_templates())


def _timeline() -> dict[str, object]:
    return {"rows": [
        {"label": "us-bis-entity-list", "periods": [
            {"from": "2019-05-15", "to": "2019-05-15", "status": "pending"},
            {"from": "2019-05-16", "to": None, "status": "in_force"}],
         "events": [{"on": "2019-05-16", "kind": "entity_listed", "id": "el-1"}]},
        {"label": "A measure with a title far longer than the label column can hold", "periods": [
            {"from": "2019-08-19", "to": "2020-08-16", "status": "in_force"}], "events": []},
    ]}


def test_timeline_layout_places_bars_in_date_order_and_runs_open_ones_to_the_edge() -> None:
    layout = svg_layout(_timeline())

    pending, in_force = layout["rows"][0]["bars"]
    assert pending["x"] < in_force["x"]
    assert in_force["open"] is True
    assert in_force["x"] + in_force["w"] == pytest.approx(layout["width"] - 16, abs=1)
    assert [line["text"] for line in layout["rows"][1]["lines"]] == [
        "A measure with a title far longer than the", "label column can hold"]
    assert layout["rows"][1]["full_label"].startswith("A measure")
    assert [t["label"] for t in layout["ticks"]] == sorted(t["label"] for t in layout["ticks"])


@pytest.mark.parametrize("label", [
    "Foreign-produced direct product rule (General Prohibition Three) applied to Entity List entities with a "
    "footnote 1 designation (Huawei and its listed affiliates)",
    "华为技术有限公司" * 6, "W" * 80, "Huawei Technologies Research & Development Belgium NV",
])
def test_timeline_labels_are_measured_to_fit_their_column_on_two_lines_at_most(label: str) -> None:
    lines = fit_label(label)

    assert 1 <= len(lines) <= 2
    assert all(text_width(line) <= LABEL_PX for line in lines)
    whole = "".join(label.split())
    shown = "".join("".join(lines).split())
    assert shown == whole or (lines[-1].endswith("…") and whole.startswith(shown[:-1]))


def test_a_label_that_is_cut_keeps_its_full_text_in_the_tooltip() -> None:
    long = {"label": "Addition of Certain Entities to the Entity List and Revision of Entries on the Entity List: 46 "
                     "additional Huawei non-U.S. affiliates", "events": [],
            "periods": [{"from": "2019-08-19", "to": None, "status": "in_force"}]}

    (row,) = svg_layout({"rows": [long]})["rows"]

    assert row["lines"][-1]["text"].endswith("…")
    assert row["full_label"] == long["label"]
    assert text_width("W") > text_width("i")  # measured, not counted


def test_field_paths_read_as_labels_and_unknown_names_are_spelt_out() -> None:
    assert label("details.license_policy") == "Licence review policy (as worded)"
    assert label("details.license_requirement") == "Licence requirement (as worded)"
    assert label("expires_on") == "Valid through"
    assert label("parameters.fdp_technology_eccns") == "FDP technology ECCNs"
    assert label("details.non_us_affiliates_listed_with_huawei") == "Non-U.S. affiliates listed with Huawei"
    assert list_name("us-bis-entity-list") == "Entity List (BIS)"
    assert list_name("a-list-of-our-own") == "a-list-of-our-own"


def test_times_read_to_the_second_in_utc() -> None:
    assert moment("2026-12-06T07:08:59.178557Z") == "2026-12-06 07:08:59 UTC"
    assert moment("2019-05-16T18:00:00-04:00") == "2019-05-16 22:00:00 UTC"
    assert moment(None) == "—"


def test_timeline_layout_of_nothing_is_empty() -> None:
    assert svg_layout({"rows": []})["empty"] is True


def test_every_package_folder_is_in_the_distribution() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    packaged = set(pyproject["tool"]["setuptools"]["packages"])
    folders = {"regledger." + ".".join(p.parent.relative_to(ROOT).parts)
               for top in ("domain", "projections", "adapters", "templates") for p in (ROOT / top).rglob("__init__.py")}

    assert folders - packaged == set()


def test_timeline_layout_reaches_the_calendars_ends() -> None:
    layout = svg_layout({"rows": [
        {"label": "early", "periods": [{"from": "0001-01-01", "to": "9999-12-30", "status": "in_force"},
                                       {"from": "9999-12-31", "to": None, "status": "expired"}],
         "events": [{"on": "0001-01-01", "kind": "entity_listed", "id": None}]},
        {"label": "late", "periods": [{"from": "9999-12-31", "to": "9999-12-31", "status": "pending"}],
         "events": [{"on": "9999-12-31", "kind": "entity_listed", "id": "late"}]},
    ]})

    first, last = layout["rows"][0]["bars"]
    assert first["x"] < last["x"] <= layout["width"]
    assert layout["ticks"][-1]["label"] <= "9999-12"


def test_html_and_markdown_reports_render_their_data_made_safe() -> None:
    template = environment().from_string("{{ r.name }}|{{ r.name|md }}|{% for k in r.terms %}{{ k }}{% endfor %}")
    data = {"name": "a\x1b[2J\nb\u202e", "terms": {"x\ny": 1}}

    assert template.render(r=safe_data(data)) == "a\\x1b[2J\\nb\\u202e|a\\\\x1b\\[2J\\\\nb\\\\u202e|x\\ny"


_SOURCES = [
    {"label": "report", "reliability": "attributed", "publisher": "<b>Wire</b>", "title": "A & B", "citation": "Wire 1",
     "url": "ftp://files.example/x?a=<1>"},
    {"label": "federal_register", "reliability": "official", "citation": "84 FR 22961", "document_number": "2019-10616",
     "publisher": "Federal Register", "url": "https://www.federalregister.gov/d/2019-10616?a=1&b=2"},
    {"label": "report", "reliability": "anonymous", "title": "Same", "citation": "Same"},
]


def _citations(style: str, sources: object) -> str:
    template = environment().from_string('{% from "_citations.html" import citations with context %}'
                                         "{{ citations(r.sources) }}")
    return template.render(r={"citation_style": style, "sources": sources})


def test_a_plain_source_list_shows_each_source_escaped_official_first_with_what_adds_to_its_label() -> None:
    assert _citations("plain", _SOURCES) == (
        '<ul class="cites">\n'
        '<li><a href="https://www.federalregister.gov/d/2019-10616?a=1&amp;b=2">84 FR 22961</a> '
        '<span class="tier t0">official</span> · Federal Register · doc. 2019-10616</li>\n'
        '<li>Wire 1 <span class="tier t2">attributed</span> · &lt;b&gt;Wire&lt;/b&gt; · <i>A &amp; B</i>'
        ' · <span class="mono">ftp://files.example/x?a=&lt;1&gt;</span> (not a web link)</li>\n'
        '<li>Same <span class="tier t3">anonymous</span></li>\n'
        "</ul>\n")


def test_a_bluebook_source_list_cites_each_source_as_a_memo_does_with_no_more_than_its_tier() -> None:
    assert _citations("bluebook", _SOURCES[:2]) == (
        '<ul class="cites">\n'
        '<li><a href="https://www.federalregister.gov/d/2019-10616?a=1&amp;b=2">Federal Register, 84 FR 22961</a> '
        '<span class="tier t0">official</span></li>\n'
        '<li>&lt;b&gt;Wire&lt;/b&gt;, <i>A &amp; B</i> <span class="tier t2">attributed</span>'
        ' · <span class="mono">ftp://files.example/x?a=&lt;1&gt;</span> (not a web link)</li>\n'
        "</ul>\n")


def test_no_source_is_said() -> None:
    assert _citations("plain", []) == '<p class="muted">No source.</p>\n'


def test_a_tier_and_a_name_render_escaped() -> None:
    template = environment().from_string('{% from "_macros.html" import tier, name %}'
                                         "{{ tier(r.t) }}|{{ tier(none) }}|{{ name(r.n) }}")

    assert template.render(r={"t": "<official>", "n": "\u202eA&B"}) == (
        '<span class="tier t4">&lt;official&gt;</span>|<span class="muted">no tier</span>|<bdi>\u202eA&amp;B</bdi>')
