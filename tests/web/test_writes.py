"""The writes over HTTP (issue 18, item 4): `POST /api/v1/record`, the imports and recorded screening need a server
started with `--write` and a token (or a signed-in session with its CSRF token); they answer as the command line
does, bad input gets a 400 with the command line's one-line message (`request body` where it names the file), and a
refused write stores nothing: the ledger's size and chain head stay as they were. On both stores."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from httpx import Response

from tests.conftest import EXAMPLE, ROOT, listed, source
from tests.web.security_kit import TestClient, client, ledger_state, make_token, revoke, sign_in

FR = ROOT / "tests" / "fixtures" / "federal-register"
CSL = ROOT / "tests" / "fixtures" / "screening-list"
WRITES = [  # every write endpoint, with a body it would accept
    ("/api/v1/record", {"content": EXAMPLE.read_bytes()}),
    ("/api/v1/import/federal-register", {"content": (FR / "eo-13873.json").read_bytes()}),
    ("/api/v1/import/screening-list?as_published=2019-06-03", {"content": (CSL / "csl-2019-06-03.json").read_bytes(),
                                                                "headers": {"content-type": "application/json"}}),
    ("/api/v1/screen/record?name=Huawei", {}),
    ("/record", {"files": {"file": ("huawei.yaml", EXAMPLE.read_bytes())}}),
]


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _post(web: TestClient, path: str, body: dict[str, Any], headers: dict[str, str]) -> Response:
    """POST `body` (content, files, its own headers) to `path` with `headers` added."""
    given = {name: value for name, value in body.items() if name != "headers"}
    return web.post(path, **given, headers={**body.get("headers", {}), **headers})


@pytest.mark.parametrize(("path", "body"), WRITES)
def test_no_token_no_write_on_any_write_endpoint(sqlite_db, path, body) -> None:
    made = make_token(sqlite_db)
    web = client(sqlite_db)
    before = ledger_state(sqlite_db)
    refusals = [
        _post(web, path, body, {}),  # no credentials at all
        _post(web, path, body, _bearer(made.token[:-2] + "xx")),
        _post(web, path, body, {"Authorization": f"Basic {made.token}"}),
    ]
    for refused in refusals:
        assert refused.status_code == 401, (path, refused.text)
        assert refused.headers["www-authenticate"] == "Bearer"
    assert "writing needs a token" in refusals[0].text
    assert ledger_state(sqlite_db) == before


@pytest.mark.parametrize(("path", "body"), WRITES)
def test_a_revoked_token_cannot_write(sqlite_db, path, body) -> None:
    made = make_token(sqlite_db)
    revoke(sqlite_db, made.info.token_id)
    before = ledger_state(sqlite_db)
    refused = _post(client(sqlite_db), path, body, _bearer(made.token))
    assert refused.status_code == 401
    assert f"the token {made.info.token_id} was revoked on " in refused.text
    assert ledger_state(sqlite_db) == before


@pytest.mark.parametrize(("path", "body"), WRITES)
def test_a_read_only_server_refuses_every_write_even_with_a_token(sqlite_db, path, body) -> None:
    made = make_token(sqlite_db)
    before = ledger_state(sqlite_db)
    refused = _post(client(sqlite_db, write=False), path, body, _bearer(made.token))
    assert refused.status_code == 403
    assert "this server is read-only: writes need it started with `regledger serve --write`" in refused.text
    assert ledger_state(sqlite_db) == before


def test_record_over_http_stores_the_timeline_as_the_command_line_does(run_cli, db, tmp_path) -> None:
    made = make_token(db)
    web = client(db)
    done = web.post("/api/v1/record", content=EXAMPLE.read_bytes(), headers=_bearer(made.token))
    assert done.status_code == 200, done.text
    answer = done.json()
    count = len(yaml.safe_load(EXAMPLE.read_text(encoding="utf-8")))
    assert (answer["recorded"], answer["skipped"], answer["attempts"]) == (count, 0, 1)
    assert answer["message"] == (f"recorded {count} action(s) at {answer['recorded_at']}; skipped 0 already "
                                 "recorded")
    # the same ledger as the command line records from the same file
    cli_db = str(tmp_path / "cli.db")
    assert run_cli("record", "--db", cli_db, str(EXAMPLE)).code == 0
    cli_at = json.loads(run_cli("log", "--db", cli_db, "--format", "json").out)[0]["recorded_at"]
    for words in (("as-of", "2020-08-31"), ("diff", "2019-05-15", "2020-08-31"), ("history", "huawei")):
        over_http = run_cli(*words, "--db", db, "--format", "json")
        assert over_http.code == 0
        by_cli = run_cli(*words, "--db", cli_db, "--format", "json").out
        assert over_http.out == by_cli.replace(cli_at, answer["recorded_at"])  # the same, but when each was recorded
    assert run_cli("verify", "--db", db).code == 0
    again = web.post("/api/v1/record", content=EXAMPLE.read_bytes(), headers=_bearer(made.token))
    assert (again.json()["recorded"], again.json()["skipped"]) == (0, count)


def test_a_json_body_is_read_as_json(sqlite_db) -> None:
    made = make_token(sqlite_db)
    body = json.dumps([listed()]).encode()
    done = client(sqlite_db).post("/api/v1/record", content=body,
                                  headers={**_bearer(made.token), "content-type": "application/json"})
    assert done.status_code == 200
    assert done.json()["recorded"] == 1


BAD = [  # a bad timeline, and the command line's message for it after `FILE: `
    ([listed(), {**listed(party="zte"), "effective_on": "2019-02-30"}], "action 2: effective_on: "),
    ([listed(), {**listed(party="zte"), "kind": "entity_listd"}], "action 2: kind: unknown kind 'entity_listd'"),
    ([listed(), listed(party="zte", sources=[source(reliability="rumour")])], "action 2: sources[1].reliability: "),
    ({"actions": [], "extra": 1}, "a timeline mapping holds only 'actions'"),
]


@pytest.mark.parametrize(("actions", "start"), BAD)
def test_a_bad_timeline_is_400_with_the_command_lines_message_and_stores_nothing(
        run_cli, db, write_timeline, actions, start) -> None:
    made = make_token(db)
    assert run_cli("record", "--db", db, str(write_timeline([listed(party="hisilicon", name="HiSilicon")]))).code == 0
    before = ledger_state(db)
    path = write_timeline(actions)
    cli = run_cli("record", "--db", db, str(path))
    assert cli.code == 1
    message = cli.err.strip().removeprefix("regledger: error: ")
    assert message.startswith(f"{path}: {start}"), message
    refused = client(db).post("/api/v1/record", content=path.read_bytes(), headers=_bearer(made.token))
    assert refused.status_code == 400
    assert refused.json() == {"error": message.replace(str(path), "request body")}
    assert ledger_state(db) == before


def test_a_timeline_the_ledger_refuses_is_400_naming_the_request_body(sqlite_db, write_timeline, run_cli) -> None:
    made = make_token(sqlite_db)
    delisted = {"kind": "entity_delisted", "list": "us-bis-entity-list", "party": {"key": "nobody-listed"},
                "effective_on": "2020-01-01", "published_on": "2020-01-02", "sources": [source()]}
    path = write_timeline([delisted])
    cli = run_cli("record", "--db", str(Path(sqlite_db).with_name("cli.db")), str(path))
    assert cli.code == 1
    before = ledger_state(sqlite_db)
    refused = client(sqlite_db).post("/api/v1/record", content=path.read_bytes(), headers=_bearer(made.token))
    assert refused.status_code == 400
    expected = cli.err.strip().removeprefix("regledger: error: ").replace(str(path), "request body")
    assert refused.json() == {"error": expected}
    assert refused.json()["error"].startswith("request body: action 1")
    assert ledger_state(sqlite_db) == before


@pytest.mark.parametrize("declared", [True, False])
def test_an_upload_over_the_limit_is_413_and_leaves_no_trace(db, declared) -> None:
    made = make_token(db)
    web = client(db, upload_limit=1000)
    assert web.post("/api/v1/record", content=yaml.safe_dump([listed()]).encode(),
                    headers=_bearer(made.token)).status_code == 200
    before = ledger_state(db)
    body = yaml.safe_dump([listed(party=f"party-{n}", name=f"Party {n}") for n in range(40)]).encode()
    assert len(body) > 1000
    content = body if declared else iter([body[:600], body[600:]])  # a generator: sent chunked, no Content-Length
    refused = web.post("/api/v1/record", content=content, headers=_bearer(made.token))
    assert refused.status_code == 413
    assert refused.json() == {"error": "request body: larger than the upload limit of 1,000 bytes (`regledger serve "
                                       "--upload-limit BYTES` sets it); nothing was stored"}
    assert ledger_state(db) == before


def test_a_form_upload_over_the_limit_is_413_and_leaves_no_trace(sqlite_db) -> None:
    made = make_token(sqlite_db)
    web = client(sqlite_db, upload_limit=2000)
    csrf = sign_in(web, made.token)
    before = ledger_state(sqlite_db)
    refused = web.post("/record", data={"csrf_token": csrf}, files={"file": ("huawei.yaml", EXAMPLE.read_bytes())})
    assert refused.status_code == 413
    assert "larger than the upload limit of 2,000 bytes" in refused.text
    assert ledger_state(sqlite_db) == before


def test_a_person_signs_in_and_records_through_the_page(db) -> None:
    made = make_token(db)
    web = client(db)
    page = web.get("/record")
    assert "sign in</a> first" in page.text
    csrf = sign_in(web, made.token)
    page = web.get("/record")
    assert 'enctype="multipart/form-data"' in page.text
    assert made.info.token_id in page.text
    timeline = yaml.safe_dump([listed(), listed(party="hisilicon", name="HiSilicon")]).encode()
    done = web.post("/record", data={"csrf_token": csrf}, files={"file": ("two.yaml", timeline)})
    assert done.status_code == 200
    assert "recorded 2 action(s) at " in done.text
    assert ledger_state(db)[0] > 0
    before = ledger_state(db)
    bad = yaml.safe_dump([{**listed(), "effective_on": "2019-13-01"}]).encode()
    refused = web.post("/record", data={"csrf_token": csrf}, files={"file": ("my timeline.yaml", bad)})
    assert refused.status_code == 400
    assert "my timeline.yaml: action 1: effective_on: " in refused.text
    assert "Nothing was stored." in refused.text
    assert ledger_state(db) == before


def test_imports_over_http_answer_as_the_command_line(run_cli, db, tmp_path) -> None:
    made = make_token(db)
    web = client(db)
    document = (FR / "eo-13873.json").read_bytes()
    done = web.post("/api/v1/import/federal-register", content=document, headers=_bearer(made.token))
    assert done.status_code == 200, done.text
    cli_db = str(tmp_path / "cli.db")
    cli = run_cli("import", "federal-register", "--db", cli_db, str(FR / "eo-13873.json"))
    assert cli.code == 0
    assert cli.out.strip().splitlines()[-1] == done.json()["message"]
    snapshot = (CSL / "csl-2019-06-03.csv").read_bytes()
    listed_snapshot = web.post("/api/v1/import/screening-list?as_published=2019-06-03", content=snapshot,
                               headers={**_bearer(made.token), "content-type": "text/csv"})
    assert listed_snapshot.status_code == 200, listed_snapshot.text
    cli = run_cli("import", "screening-list", "--db", cli_db, "--as-published", "2019-06-03",
                  str(CSL / "csl-2019-06-03.csv"))
    assert cli.code == 0
    assert cli.out.strip().splitlines() == [*listed_snapshot.json()["lists"], listed_snapshot.json()["message"]]
    for words in (("log",), ("as-of", "2019-06-03")):
        assert run_cli(*words, "--db", db, "--format", "json").out.replace(db, "") \
            .count('"kind"') == run_cli(*words, "--db", cli_db, "--format", "json").out.count('"kind"')


def test_a_bad_import_body_is_400_naming_the_request_body_and_stores_nothing(run_cli, sqlite_db) -> None:
    made = make_token(sqlite_db)
    web = client(sqlite_db)
    before = ledger_state(sqlite_db)
    bad = FR / "bad-date.json"
    cli = run_cli("import", "federal-register", "--db", str(Path(sqlite_db).with_name("cli.db")), str(bad))
    assert cli.code == 1
    expected = cli.err.strip().splitlines()[0].removeprefix("regledger: error: ").replace(str(bad), "request body")
    refused = web.post("/api/v1/import/federal-register", content=bad.read_bytes(), headers=_bearer(made.token))
    assert refused.status_code == 400
    assert refused.json() == {"error": expected}
    bad_day = web.post("/api/v1/import/screening-list?as_published=2019-02-30",
                       content=(CSL / "csl-2019-06-03.json").read_bytes(), headers=_bearer(made.token))
    assert bad_day.status_code == 400
    assert bad_day.json()["error"].startswith("as_published: ")
    assert ledger_state(sqlite_db) == before


def test_a_recorded_screening_over_http_is_a_run_the_command_line_lists(run_cli, db, write_timeline) -> None:
    assert run_cli("record", "--db", db, str(write_timeline([listed()]))).code == 0
    made = make_token(db)
    done = client(db).post("/api/v1/screen/record?name=Huawei%20Technologies&on=2020-08-31",
                           headers=_bearer(made.token))
    assert done.status_code == 200, done.text
    run_id = done.json()["run_id"]
    runs = run_cli("screenings", "--db", db, "--format", "json")
    assert [run["run_id"] for run in json.loads(runs.out)] == [run_id]
    replayed = run_cli("screenings", "replay", run_id, "--db", db)
    assert replayed.code == 0
    assert "no difference" in replayed.out
    csv = b"name,country\nHuawei Technologies Co. Ltd.,CN\nAcme Widgets,US\n"
    uploaded = client(db).post("/api/v1/screen/record?on=2020-08-31", files={"file": ("people.csv", csv)},
                               headers=_bearer(made.token))
    assert uploaded.status_code == 200, uploaded.text
    assert len(uploaded.json()["results"]) == 2


def test_a_federal_register_import_takes_its_mapping_as_the_command_line_does(run_cli, sqlite_db, tmp_path) -> None:
    made = make_token(sqlite_db)
    documents, links = FR / "tgl-2020-notices.json", FR / "links.yaml"
    done = client(sqlite_db).post("/api/v1/import/federal-register", headers=_bearer(made.token), files={
        "file": ("tgl-2020-notices.json", documents.read_bytes()), "mapping": ("links.yaml", links.read_bytes())})
    assert done.status_code == 200, done.text
    cli_db = str(tmp_path / "cli.db")
    cli = run_cli("import", "federal-register", "--db", cli_db, "--mapping", str(links), str(documents))
    assert cli.code == 0
    assert cli.out.strip().splitlines()[-1] == done.json()["message"]
    assert run_cli("log", "--db", sqlite_db, "--format", "json").out.count("us-bis-huawei-tgl") == \
        run_cli("log", "--db", cli_db, "--format", "json").out.count("us-bis-huawei-tgl") > 0
    before = ledger_state(sqlite_db)
    bad = client(sqlite_db).post("/api/v1/import/federal-register", headers=_bearer(made.token), files={
        "file": ("tgl-2020-notices.json", documents.read_bytes()), "mapping": ("my links.yaml", b"- not a mapping\n")})
    assert bad.status_code == 400
    assert bad.json()["error"].startswith("my links.yaml: a links file maps document numbers or RINs")
    assert ledger_state(sqlite_db) == before


def test_a_form_sent_where_a_file_is_the_body_is_400(sqlite_db) -> None:
    made = make_token(sqlite_db)
    before = ledger_state(sqlite_db)
    refused = client(sqlite_db).post("/api/v1/record", headers=_bearer(made.token),
                                     files={"file": ("huawei.yaml", EXAMPLE.read_bytes())})
    assert refused.status_code == 400
    assert refused.json() == {"error": "request body: send the timeline file (YAML or JSON) itself as the body, not "
                                       "a form"}
    assert ledger_state(sqlite_db) == before
