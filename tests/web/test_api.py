"""The HTTP API answers exactly as the command line does: for every endpoint, on the bundled case, on SQLite and
on PostgreSQL, the JSON of `GET /api/v1/…` equals the JSON `regledger … --format json` prints (a report's
`produced_at` aside: it is the moment each was made). Bad input gets the command line's one-line message."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.web.web_kit import TestClient, bundled, cli_error, cli_json, cli_text, client_of, web

__all__ = ["bundled", "web"]  # the fixtures, imported for pytest to find

AXES = [
    ({}, []),
    ({"published_by": "2019-05-17"}, ["--published-by", "2019-05-17"]),
    ({"known_at": "2100-01-01", "min_reliability": "statement"}, ["--known-at", "2100-01-01",
                                                                  "--min-reliability", "statement"]),
    ({"party": "Huawei Technologies"}, ["--party", "Huawei Technologies"]),
    ({"list": "us-bis-entity-list", "party": "華為"}, ["--list", "us-bis-entity-list", "--party", "華為"]),
]


def _get(web: TestClient, path: str, params: dict[str, str] | None = None) -> Any:
    response = web.get(path, params=params)
    assert response.status_code == 200, response.text[:500]
    assert response.headers["content-type"].startswith("application/json")
    return response.json()


@pytest.mark.parametrize(("params", "options"), AXES)
def test_as_of_equals_the_command_line(web: TestClient, bundled: str, params: dict[str, str],
                                       options: list[str]) -> None:
    answer = _get(web, "/api/v1/as-of/2019-05-17", params)

    assert answer == cli_json(bundled, "as-of", "2019-05-17", *options, "--format", "json")
    assert answer["as_of"] == "2019-05-17"


@pytest.mark.parametrize(("params", "options"), AXES[:4])
def test_diff_equals_the_command_line(web: TestClient, bundled: str, params: dict[str, str],
                                      options: list[str]) -> None:
    answer = _get(web, "/api/v1/diff/2019-05-15/2020-08-31", params)

    assert answer == cli_json(bundled, "diff", "2019-05-15", "2020-08-31", *options, "--format", "json")
    assert answer["transitions"]


@pytest.mark.parametrize("subject", ["huawei-technologies", "HiSilicon", "us-bis-entity-list/huawei-technologies"])
def test_history_equals_the_command_line(web: TestClient, bundled: str, subject: str) -> None:
    answer = _get(web, "/api/v1/history", {"subject": subject, "published_by": "2020-12-31"})

    assert answer == cli_json(bundled, "history", subject, "--published-by", "2020-12-31", "--format", "json")
    assert answer["items"]


def test_log_equals_the_command_line(web: TestClient, bundled: str) -> None:
    answer = _get(web, "/api/v1/log")

    assert answer == cli_json(bundled, "log", "--format", "json")
    assert answer
    assert answer[0]["position"] < answer[-1]["position"]


REPORTS = {
    "changes": ({"from": "2019-05-15", "to": "2019-08-31"}, ["--from", "2019-05-15", "--to", "2019-08-31"]),
    "snapshot": ({"as_of": "2020-03-01"}, ["2020-03-01"]),
    "party": ({"key": "huawei-technologies", "as_of": "2020-09-01"}, ["huawei-technologies", "--as-of",
                                                                      "2020-09-01"]),
    "replay": ({"until": "2100-01-01"}, ["--until", "2100-01-01"]),
    "knowledge": ({"as_of": "2019-05-17"}, ["2019-05-17"]),
}


def _made(report: dict[str, Any]) -> dict[str, Any]:
    return {**report, "produced_at": "<PRODUCED_AT>"}


@pytest.mark.parametrize("kind", sorted(REPORTS))
def test_each_report_equals_the_command_line(web: TestClient, bundled: str, kind: str) -> None:
    params, options = REPORTS[kind]

    answer = _get(web, f"/api/v1/reports/{kind}", {**params, "published_by": "2020-12-31", "format": "json"})

    expected = cli_json(bundled, "report", kind, *options, "--published-by", "2020-12-31", "--format", "json")
    assert _made(answer) == _made(expected)
    assert answer["command"] == expected["command"]


def test_the_citation_style_and_the_legend_are_the_command_lines(web: TestClient, bundled: str) -> None:
    answer = _get(web, "/api/v1/reports/snapshot", {"as_of": "2020-03-01", "citation_style": "plain",
                                                    "legend": "Privileged & Confidential", "format": "json"})

    expected = cli_json(bundled, "report", "snapshot", "2020-03-01", "--citation-style", "plain", "--legend",
                        "Privileged & Confidential", "--format", "json")
    assert _made(answer) == _made(expected)
    assert answer["legend"] == "Privileged & Confidential"


@pytest.mark.parametrize("output", ["html", "markdown"])
def test_a_report_downloads_as_a_file_in_each_text_format(web: TestClient, output: str) -> None:
    response = web.get("/api/v1/reports/changes", params={"from": "2019-05-15", "to": "2019-08-31",
                                                          "format": output, "legend": "Draft"})

    assert response.status_code == 200
    assert response.headers["content-disposition"].startswith("attachment; filename=\"regledger-changes.")
    assert response.text.count("Draft") >= 2  # the legend, at the top and at the bottom
    assert "22,961" in response.text


@pytest.mark.parametrize(("output", "starts"), [("pdf", b"%PDF"), ("docx", b"PK")])
def test_a_report_downloads_as_a_document(small: str, output: str, starts: bytes) -> None:
    response = client_of(small).get("/api/v1/reports/snapshot", params={"as_of": "2020-02-01", "format": output})

    assert response.status_code == 200
    assert response.headers["content-disposition"] == f'attachment; filename="regledger-snapshot.{output}"'
    assert response.content.startswith(starts)


def test_screening_one_name_equals_the_command_line(web: TestClient, bundled: str) -> None:
    answer = _get(web, "/api/v1/screen", {"name": "Huawei Technologies Co., Ltd.", "on": "2019-06-01"})

    expected = cli_json(bundled, "screen", "--name", "Huawei Technologies Co., Ltd.", "--on", "2019-06-01",
                        "--format", "json")
    assert answer == expected
    assert answer["results"][0]["decision"] == "match"


def test_screening_a_csv_upload_equals_the_command_line(web: TestClient, bundled: str, tmp_path) -> None:
    text = "id,name,country\nc-1,HiSilicon Technologies,CN\nc-2,Acme Widgets GmbH,DE\n"
    path = tmp_path / "counterparties.csv"
    path.write_text(text, encoding="utf-8")

    response = web.post("/api/v1/screen", params={"on": "2020-01-01"},
                        files={"file": ("counterparties.csv", text.encode(), "text/csv")})

    assert response.status_code == 200, response.text[:500]
    assert response.json() == cli_json(bundled, "screen", str(path), "--on", "2020-01-01", "--format", "json")


def test_screening_as_csv_equals_the_command_line(web: TestClient, bundled: str) -> None:
    response = web.get("/api/v1/screen", params={"name": "華為", "on": "2019-06-01", "format": "csv"})

    assert response.status_code == 200
    assert response.text == _cli_csv(bundled)


def _cli_csv(db: str) -> str:
    from tests.web.web_kit import cli_text  # noqa: PLC0415

    return cli_text(db, "screen", "--name", "華為", "--on", "2019-06-01", "--format", "csv")


@pytest.mark.parametrize(("path", "params", "args", "status"), [
    ("/api/v1/as-of/2019-13-01", {}, ["as-of", "2019-13-01"], 400),
    ("/api/v1/as-of/2019-05-17", {"published_by": "17 May"}, ["as-of", "2019-05-17", "--published-by", "17 May"],
     400),
    ("/api/v1/as-of/2019-05-17", {"known_at": "yesterday"}, ["as-of", "2019-05-17", "--known-at", "yesterday"], 400),
    ("/api/v1/as-of/2019-05-17", {"list": "no-such-list"}, ["as-of", "2019-05-17", "--list", "no-such-list"], 404),
    ("/api/v1/history", {"subject": "no-such-thing"}, ["history", "no-such-thing"], 404),
    ("/api/v1/diff/2020-01-01/2019-01-01", {}, ["diff", "2020-01-01", "2019-01-01"], 400),
])
def test_bad_input_is_a_4xx_with_the_command_lines_message(web: TestClient, bundled: str, *, path: str,
                                                           params: dict[str, str], args: list[str],
                                                           status: int) -> None:
    response = web.get(path, params=params)

    assert response.status_code == status
    message = response.json()["error"]
    cli_message = cli_error(bundled, *args)
    assert message == _in_the_requests_words(cli_message)
    assert "\n" not in message


_NAMES = {"D": "date", "D1": "from", "D2": "to", "--published-by": "published_by", "--known-at": "known_at",
          "--list": "list", "--party": "party", "SUBJECT": "subject"}


def _in_the_requests_words(message: str) -> str:
    """The command line's message naming the request's parameters where it names its own arguments and options."""
    return re.sub(r"(?<![\w-])(--[a-z-]+|D[12]?|SUBJECT)(?![\w-])", lambda m: _NAMES.get(m[0], m[0]), message)


def test_an_unknown_tier_or_report_is_400_naming_the_parameter(web: TestClient) -> None:
    tier = web.get("/api/v1/as-of/2019-05-17", params={"min_reliability": "rumour"})
    kind = web.get("/api/v1/reports/gossip")
    missing = web.get("/api/v1/reports/changes", params={"from": "2019-05-15"})

    assert (tier.status_code, kind.status_code, missing.status_code) == (400, 400, 400)
    assert tier.json()["error"].startswith("min_reliability: 'rumour' is not one of official")
    assert kind.json()["error"].startswith("kind: 'gossip' is not a report")
    assert missing.json()["error"] == "to: required by the changes report"


def test_the_openapi_description_is_served_and_the_cdn_docs_are_not(web: TestClient) -> None:
    described = web.get("/api/v1/openapi.json").json()

    assert {"/api/v1/as-of/{day}", "/api/v1/diff/{start}/{end}", "/api/v1/history", "/api/v1/log",
            "/api/v1/reports/{kind}", "/api/v1/screen"} <= set(described["paths"])
    assert not any(path.startswith(("/as-of", "/parties")) for path in described["paths"])
    assert web.get("/docs").status_code == 404
    assert web.get("/redoc").status_code == 404


def test_a_running_server_shares_its_stores_and_answers_the_same(bundled: str) -> None:
    with client_of(bundled) as served:  # the lifespan opens the stores once, for every request
        shared = served.app.state.shared_stores
        answer = _get(served, "/api/v1/as-of/2019-05-17", {"party": "HiSilicon"})
        again = _get(served, "/api/v1/history", {"subject": "huawei-technologies"})

    assert shared is not None
    assert answer == cli_json(bundled, "as-of", "2019-05-17", "--party", "HiSilicon", "--format", "json")
    assert again == cli_json(bundled, "history", "huawei-technologies", "--format", "json")


@pytest.fixture
def small(tmp_path) -> str:
    """A SQLite ledger of one listing."""
    db = str(tmp_path / "small.db")
    timeline = tmp_path / "one.yaml"
    timeline.write_text(
        "- kind: entity_listed\n  id: a-1\n  list: us-bis-entity-list\n  party: {key: acme, name: Acme Ltd}\n"
        "  effective_on: 2020-01-10\n  published_on: 2020-01-08\n  sources: [{citation: 85 FR 1, reliability: "
        "official}]\n", encoding="utf-8")
    cli_text(db, "record", str(timeline))
    return db


def test_a_recorded_runs_certificate_downloads_as_the_command_line_writes_it(small: str) -> None:
    db = small
    cli_text(db, "screen", "--name", "Acme Ltd", "--on", "2020-02-01", "--record")
    run_id = cli_json(db, "screenings", "--format", "json")[0]["run_id"]
    web = client_of(db)

    certificate = _get(web, "/api/v1/reports/screening", {"run_id": run_id, "format": "json"})
    html = web.get("/api/v1/reports/screening", params={"run_id": run_id, "format": "html"})
    pdf = web.get("/api/v1/reports/screening", params={"run_id": run_id, "format": "pdf"})
    page = web.get("/screen").text

    assert certificate == cli_json(db, "report", "screening", run_id, "--format", "json")
    assert html.status_code == 200
    assert run_id in html.text
    assert pdf.content.startswith(b"%PDF")
    assert run_id in page
    assert f"/api/v1/reports/screening?run_id={run_id}&amp;format=pdf" in page
