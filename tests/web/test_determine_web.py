"""The determination over the web, on the bundled case (both stores): `POST /api/v1/determine` answers exactly
`regledger determine --format json` (with its options as query parameters); the page /determine has labelled
controls and answers a pasted or uploaded file as a memo, its JSON twin the same JSON; the report comes in every
format from `POST /api/v1/reports/determination`; bad input gets 400 and the command line's one line, naming the
request body where the command line names FILE."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.web.web_kit import TestClient, bundled, cli_error, cli_json, client_of, web

__all__ = ["bundled", "web"]  # the fixtures, imported for pytest to find

HUAWEI = "Huawei Technologies Co., Ltd."
NOBODY = {"purchaser": [], "intermediate_consignee": []}
EAR99_US = {"type": "commodity", "eccn": "EAR99", "reasons_for_control": [], "origin": "us"}
LISTED = {"date": "2019-05-17", "ship_from": "US", "destination": "CN", "item": EAR99_US,
          "parties": {**NOBODY, "ultimate_consignee": HUAWEI, "end_user": HUAWEI}}
CONTENT_20 = {"ship_from": "TW", "destination": "CN",
              "item": {"type": "commodity", "eccn": "EAR99", "reasons_for_control": [], "origin": "foreign",
                       "controlled_us_content_percent": 20, "direct_product_of": [], "plant_direct_product_of": [],
                       "developed_by": [], "incorporated_into_items_of": []},
              "parties": {**NOBODY, "ultimate_consignee": HUAWEI, "end_user": HUAWEI}}
SHIPMENTS = [LISTED, {**LISTED, "date": "2019-05-15"}, {**CONTENT_20, "date": "2019-06-01"}]
DRAFT = "us-bis-huawei-de-minimis-draft-rule"


def _file(tmp_path: Path, data: Any, suffix: str = ".yaml") -> tuple[Path, str]:
    """The transactions written as a file, and its text."""
    text = json.dumps(data) if suffix == ".json" else yaml.safe_dump(data, sort_keys=False)
    path = tmp_path / f"transactions{suffix}"
    path.write_text(text, encoding="utf-8")
    return path, text


@pytest.mark.parametrize(("params", "options"), [
    ({}, []),
    ({"published_by": "2019-05-16", "min_reliability": "official"},
     ["--published-by", "2019-05-16", "--min-reliability", "official"]),
])
def test_the_api_answers_exactly_the_command_lines_json(web: TestClient, bundled: str, tmp_path: Path,
                                                       params: dict[str, str], options: list[str]) -> None:
    path, text = _file(tmp_path, SHIPMENTS)

    response = web.post("/api/v1/determine", params=params, content=text,  # as `curl --data-binary @FILE` sends it
                        headers={"content-type": "application/x-www-form-urlencoded"})

    assert response.status_code == 200, response.text
    assert response.json() == cli_json(bundled, "determine", str(path), "--format", "json", *options)
    if not params:
        assert [r["determination"] for r in response.json()["results"]][:2] == ["licence_required",
                                                                                "no_licence_required"]


def test_the_api_reads_json_bodies_and_the_on_and_assume_adopted_options(web: TestClient, bundled: str,
                                                                           tmp_path: Path) -> None:
    path, text = _file(tmp_path, CONTENT_20, ".json")

    response = web.post("/api/v1/determine", params={"on": "2020-02-01", "assume_adopted": DRAFT}, content=text,
                        headers={"content-type": "application/json"})

    assert response.status_code == 200, response.text
    expected = cli_json(bundled, "determine", str(path), "--on", "2020-02-01", "--assume-adopted", DRAFT,
                        "--format", "json")
    assert response.json() == expected
    assert (expected["determination"], expected["determination_before"]) == ("licence_required",
                                                                              "not_subject_to_ear")


class _Controls(HTMLParser):
    """The ids of the form controls, and the ids the labels name."""

    def __init__(self) -> None:
        super().__init__()
        self.controls: list[tuple[str, str | None]] = []
        self.labelled: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag in {"input", "textarea", "select"} and found.get("type") not in {"hidden", "submit"}:
            self.controls.append((tag, found.get("id")))
        if tag == "label" and found.get("for"):
            self.labelled.add(str(found["for"]))


def test_the_page_has_labelled_controls_and_answers_pasted_yaml_citing_the_listing(web: TestClient) -> None:
    empty = web.get("/determine")
    page = web.post("/determine", data={"transactions": yaml.safe_dump(LISTED, sort_keys=False)})

    assert empty.status_code == 200
    assert 'href="/determine"' in empty.text  # the navigation leads to it
    controls = _Controls()
    controls.feed(empty.text)
    names = {i for _, i in controls.controls}
    assert {"file", "transactions", "on", "published_by", "known_at", "min_reliability", "assume_adopted"} <= names
    assert all(i is not None and i in controls.labelled for _, i in controls.controls), controls.controls
    assert page.status_code == 200, page.text[:500]
    assert re.search(r'<h2>The shipment on 2019-05-17: <span class="status">licence required</span>', page.text)
    assert "presumption of denial" in page.text
    assert "84 FR 22961" in page.text
    assert "<script" not in page.text
    assert " style=" not in page.text


def test_the_page_answers_an_upload_and_its_twin_is_the_api_json(web: TestClient) -> None:
    text = yaml.safe_dump(SHIPMENTS, sort_keys=False)

    page = web.post("/determine", files={"file": ("shipments.yaml", text.encode())})
    twin = web.post("/determine", params={"format": "json"}, files={"file": ("shipments.yaml", text.encode())})

    assert page.status_code == 200
    assert page.text.count('class="block determination"') == 3
    assert twin.json() == web.post("/api/v1/determine", content=text).json()


@pytest.mark.parametrize("output", ["html", "markdown", "json", "pdf", "docx"])
def test_the_report_comes_in_every_format(web: TestClient, bundled: str, tmp_path: Path, output: str) -> None:
    path, text = _file(tmp_path, LISTED)

    response = web.post("/api/v1/reports/determination", params={"format": output}, content=text)

    assert response.status_code == 200, response.text[:500]
    assert "regledger-determination." in response.headers.get("content-disposition", "regledger-determination.")
    if output == "json":
        report = response.json()
        assert report["answer"] == cli_json(bundled, "determine", str(path), "--format", "json")
        assert report["command"] == "regledger report determination FILE --format json"
    elif output in {"html", "markdown"}:
        assert "84 Fed. Reg. 22,961" in response.text
    else:
        assert response.content[:4] in {b"%PDF", b"PK\x03\x04"}


def test_the_download_forms_on_the_page_post_the_same_file(web: TestClient) -> None:
    text = yaml.safe_dump(LISTED, sort_keys=False)
    page = web.post("/determine", data={"transactions": text, "on": "2019-05-17"}).text

    assert page.count('action="/api/v1/reports/determination"') == 5
    fields = {"transactions": text, "format": "json", "on": "2019-05-17"}
    report = web.post("/api/v1/reports/determination", files={k: (None, v) for k, v in fields.items()})
    assert 'enctype="multipart/form-data"' in page.split('action="/api/v1/reports/determination"')[1][:40]
    assert report.json()["answer"]["determination"] == "licence_required"
    assert report.json()["axes"]["on"] == "2019-05-17"


def test_bad_input_is_a_400_with_the_command_lines_line(web: TestClient, bundled: str, tmp_path: Path) -> None:
    bad = {**LISTED, "item": {**EAR99_US, "origin": "mars"}}
    path, text = _file(tmp_path, bad)
    expected = cli_error(bundled, "determine", str(path)).replace(str(path), "request body")

    api = web.post("/api/v1/determine", content=text)
    page = web.post("/determine", data={"transactions": text})
    twin = web.post("/determine", params={"format": "json"}, data={"transactions": text})

    assert expected == "request body: transaction 1: item.origin: Input should be 'us' or 'foreign'"
    assert (api.status_code, api.json()) == (400, {"error": expected})
    assert page.status_code == 400
    assert "transactions: transaction 1: item.origin" in page.text
    assert (twin.status_code, twin.json()["error"]) == (400, expected.replace("request body", "transactions"))


@pytest.mark.parametrize(("params", "content", "message"), [
    ({}, "", "request body: empty: send a transaction file (YAML or JSON) as the body"),
    ({"on": "2019-13-01"}, "ship_from: US\n", "on: '2019-13-01' is not a calendar date"),
    ({"assume_adopted": "us-ear-de-minimis"}, yaml.safe_dump(LISTED),
     "assume_adopted: us-ear-de-minimis: no draft, proposal or announcement of this measure is visible"),
    ({"min_reliability": "rumour"}, yaml.safe_dump(LISTED), "min_reliability: 'rumour' is not one of"),
])
def test_bad_options_are_400s_naming_the_parameter(web: TestClient, params: dict[str, str], content: str,
                                                   message: str) -> None:
    response = web.post("/api/v1/determine", params=params, content=content)

    assert response.status_code == 400
    assert response.json()["error"].startswith(message)


def test_the_report_endpoint_explains_that_it_needs_the_file(web: TestClient) -> None:
    response = web.get("/api/v1/reports/determination")

    assert response.status_code == 400
    assert "POST the transaction file" in response.json()["error"]


def test_the_api_is_described_and_the_upload_limit_applies(web: TestClient, bundled: str) -> None:
    described = web.get("/api/v1/openapi.json").json()
    small = client_of(bundled, upload_limit=200)

    assert {"/api/v1/determine", "/api/v1/reports/determination"} <= set(described["paths"])
    assert "/determine" not in described["paths"]
    response = small.post("/api/v1/determine", content=yaml.safe_dump(SHIPMENTS))
    assert response.status_code == 413
    assert response.json()["error"].startswith("request body: larger than the upload limit of 200 bytes")
