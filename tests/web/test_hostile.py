"""A hostile party — a name with markup, quotes and Markdown, aliases in right-to-left and CJK scripts and of 2,000
characters, a `javascript:` source URL, markup in its entry's details — renders escaped and intact on every page
that shows it: a reader sees the text as recorded, and the page holds no element or link the text brought."""

from __future__ import annotations

import pytest
import yaml

from tests.e2e.report_kit import HOSTILE_ALIASES, HOSTILE_NAME, TextOf, hostile_timeline
from tests.web.web_kit import TestClient, cli_text, client_of

PAGES = [
    "/as-of/2020-03-01",
    "/as-of/2020-03-01?q=script",
    "/as-of/2020-03-01?party=hostile",
    "/diff/2020-01-01/2020-03-01",
    "/parties/hostile?as_of=2020-03-01",
    "/history?subject=hostile",
    "/history?subject=us-bis-entity-list/hostile",
    "/measures/hostile-rule?as_of=2020-03-01",
    "/log",
    "/screen?on=2020-03-01&name=" + "%3Cscript%3Ealert(1)%3C%2Fscript%3E+%22Double%22",
]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    """The application over a ledger holding the hostile party."""
    folder = tmp_path_factory.mktemp("web-hostile")
    timeline = folder / "hostile.yaml"
    timeline.write_text(yaml.safe_dump(hostile_timeline(), allow_unicode=True, sort_keys=False), encoding="utf-8")
    db = str(folder / "hostile.db")
    cli_text(db, "record", str(timeline))
    return client_of(db)


def _tags(html: str) -> TextOf:
    parsed = TextOf()
    parsed.feed(html)
    return parsed


@pytest.mark.parametrize("path", PAGES)
def test_the_hostile_party_renders_escaped_on_every_page(hostile: TestClient, path: str) -> None:
    response = hostile.get(path)

    assert response.status_code == 200, response.text[:500]
    html = response.text
    assert "<script" not in html
    assert "<b>bold</b>" not in html
    assert "<i>Presumption</i>" not in html
    assert 'href="javascript:' not in html
    assert set(_tags(html).tags) <= {"html", "head", "meta", "title", "link", "body", "a", "header", "nav", "main",
                                     "footer", "h1", "h2", "h3", "h4", "p", "div", "span", "b", "i", "code", "ul",
                                     "ol", "li", "table", "thead", "tbody", "tr", "th", "td", "section", "form",
                                     "label", "input", "select", "option", "button", "bdi", "strong", "dl", "dt",
                                     "dd", "svg", "line", "text", "rect", "circle", "path", "figure", "figcaption",
                                     "br", "small", "em", "tspan"}


@pytest.mark.parametrize("path", ["/as-of/2020-03-01", "/parties/hostile?as_of=2020-03-01", "/log"])
def test_the_reader_sees_the_hostile_text_as_recorded(hostile: TestClient, path: str) -> None:
    html = hostile.get(path).text
    text = " ".join(_tags(html).text)

    if path != "/log":
        assert HOSTILE_NAME in text
        for alias in HOSTILE_ALIASES:
            assert alias in text
    else:
        assert "hostile" in text


def test_the_hostile_party_comes_back_exact_in_the_json_twins(hostile: TestClient) -> None:
    state = hostile.get("/as-of/2020-03-01", params={"format": "json"}).json()
    dossier = hostile.get("/parties/hostile", params={"as_of": "2020-03-01", "format": "json"}).json()

    entry = state["lists"]["us-bis-entity-list"][0]
    assert entry["name"] == HOSTILE_NAME
    assert entry["aliases"] == HOSTILE_ALIASES
    assert dossier["party"]["names"] == [HOSTILE_NAME]


def test_a_hostile_value_in_an_error_is_escaped(hostile: TestClient) -> None:
    response = hostile.get("/as-of/<script>alert(1)<%2Fscript>")

    assert response.status_code in {400, 404}
    assert "<script>" not in response.text


