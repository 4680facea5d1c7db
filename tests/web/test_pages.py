"""The pages: each renders on the bundled case with what a reader looks for, every axis in its URL; each has a
JSON twin (`?format=json` or `Accept: application/json`) that is the command line's JSON (cut to the page, with a
link to the next); paging and search; the banner of a view that is not today's; bad input as a 4xx error page with
the command line's one-line message; no inline script or style anywhere."""

from __future__ import annotations

import json
import re
from collections import Counter
from typing import Any

import pytest

from regledger.adapters.web.views import today
from tests.web.web_kit import TestClient, bundled, cli_json, cli_text, client_of, web

__all__ = ["bundled", "web"]  # the fixtures, imported for pytest to find

PAGES = {
    "/as-of/2019-05-17?published_by=2019-05-17": ["The rules as of 2019-05-17", "Huawei Technologies Co., Ltd.",
                                                  "FR Doc. 2019-10616 (public inspection)", "us-bis-entity-list"],
    "/diff/2019-05-15/2020-08-31": ["What changed after 2019-05-15 through 2020-08-31", "Side by side",
                                    "Every status transition in the window", "Change log"],
    "/parties/huawei-technologies": ["Huawei Technologies Co., Ltd.", "華為", "<svg", "Measures that apply",
                                     "Positions about it"],
    "/parties/shanghai-hisilicon-technologies": ["Shanghai HiSilicon Technologies Co., Ltd.", "<svg"],
    "/history?subject=huawei-technologies": ["History of", "us-bis-entity-list/huawei-technologies"],
    "/log": ["The ledger's log", "Head digest", "Verify the hash chain", "Stored actions"],
    "/screen?name=Huawei+Technologies&on=2019-06-01": ["Results", "match", "Huawei Technologies Co., Ltd."],
    "/reports": ["Change log of a window", "Snapshot of a date", "Dossier of a party", "Replay",
                 "Certificate of a recorded screening run"],
    "/diff": ["Compare two dates"],
    "/history": ["History of a subject"],
}


@pytest.mark.parametrize("path", sorted(PAGES))
def test_each_page_renders_what_a_reader_looks_for(web: TestClient, path: str) -> None:
    response = web.get(path)

    assert response.status_code == 200, response.text[:800]
    assert response.headers["content-type"].startswith("text/html")
    for text in PAGES[path]:
        assert text in response.text, text
    assert "<script" not in response.text
    assert " style=" not in response.text
    assert "<style" not in response.text


def test_the_measure_and_meeting_pages_show_status_and_history(web: TestClient, bundled: str) -> None:
    state = cli_json(bundled, "as-of", "2020-09-01", "--format", "json")
    measure, meeting = state["measures"][0]["key"], state["meetings"][0]["key"]

    measure_page = web.get(f"/measures/{measure}", params={"as_of": "2020-09-01"})
    meeting_page = web.get(f"/meetings/{meeting}", params={"as_of": "2020-09-01"})

    assert measure_page.status_code == meeting_page.status_code == 200
    assert "On 2020-09-01" in measure_page.text
    assert "Every visible action" in measure_page.text
    assert state["measures"][0]["title"].split(":")[0][:20] in measure_page.text
    assert web.get(f"/measures/{measure}", params={"format": "json"}).json()["items"] == cli_json(
        bundled, "history", measure, "--format", "json")["items"][:50]


def test_the_home_page_is_today(web: TestClient) -> None:
    response = web.get("/", follow_redirects=False)

    assert response.status_code == 307
    assert response.headers["location"] == f"/as-of/{today()}"


def test_the_banner_shows_only_when_the_view_is_not_today_as_published_as_known_now(web: TestClient) -> None:
    now = web.get(f"/as-of/{today()}").text
    past = web.get("/as-of/2019-05-17").text
    published = web.get(f"/as-of/{today()}", params={"published_by": "2019-05-17"}).text

    assert 'class="banner"' not in now
    assert 'class="banner"' in past
    assert "The rules as they stood on 2019-05-17" in past
    assert "Only what the public record showed by 2019-05-17" in published


def test_the_forms_lead_to_dated_addresses_keeping_every_axis(web: TestClient) -> None:
    as_of = web.get("/as-of", params={"date": "2019-05-17", "published_by": "2019-05-16", "min_reliability": ""},
                    follow_redirects=False)
    diff = web.get("/diff", params={"from": "2019-05-15", "to": "2020-08-31", "known_at": "2100-01-01"},
                   follow_redirects=False)

    assert as_of.headers["location"] == "/as-of/2019-05-17?published_by=2019-05-16"
    assert diff.headers["location"] == "/diff/2019-05-15/2020-08-31?known_at=2100-01-01"


SECTIONS = ("measures", "meetings", "positions")  # the as-of answer's sections besides its list entries


@pytest.mark.parametrize(("suffix", "headers"), [("&format=json", {}), ("", {"accept": "application/json"})])
def test_the_as_of_twin_is_the_command_lines_json_cut_to_the_page(bundled: str, suffix: str,
                                                                  headers: dict[str, str]) -> None:
    """Page N holds rows [10(N-1), 10N) of every section of the command line's answer (15 measures: 5 on page 2;
    2 meetings and 3 positions: none on page 2); every other key is the command line's."""
    small = client_of(bundled, page_size=10)
    whole = cli_json(bundled, "as-of", "2020-09-01", "--published-by", "2020-08-31", "--format", "json")
    rows = [(key, e) for key, entries in whole["lists"].items() for e in entries]

    first = small.get(f"/as-of/2020-09-01?published_by=2020-08-31{suffix}", headers=headers).json()
    second = small.get(first["page"]["next"] + suffix, headers=headers).json()

    assert len(rows) > 20
    assert 10 < len(whole["measures"]) < 20
    assert 0 < len(whole["positions"]) < 10
    assert first["page"]["total"] is None  # published by P: not counted, each section's number on its last page
    assert first["page"]["sections"] == {"lists": None, "measures": None, "meetings": len(whole["meetings"]),
                                         "positions": len(whole["positions"])}
    assert second["page"]["sections"] == {"lists": None, "measures": len(whole["measures"]), "meetings": None,
                                          "positions": None}
    assert first["page"]["pages"] is second["page"]["pages"] is None
    assert first["page"]["next"] == "/as-of/2020-09-01?published_by=2020-08-31&page=2"
    assert [(k, e) for k, es in first["lists"].items() for e in es] == rows[:10]
    assert [(k, e) for k, es in second["lists"].items() for e in es] == rows[10:20]
    for name in SECTIONS:
        assert first[name] == whole[name][0:10], name
        assert second[name] == whole[name][10:20], name
    assert {k: v for k, v in first.items() if k not in {"lists", "page", *SECTIONS}} == {
        k: v for k, v in whole.items() if k not in {"lists", *SECTIONS}}


def test_a_page_known_now_and_published_now_counts_every_section(bundled: str) -> None:
    small = client_of(bundled, page_size=10)
    whole = cli_json(bundled, "as-of", "2020-09-01", "--format", "json")

    first = small.get("/as-of/2020-09-01?format=json").json()

    total = sum(len(entries) for entries in whole["lists"].values())
    assert first["page"]["total"] == total > 20
    assert first["page"]["sections"] == {"lists": total, **{name: len(whole[name]) for name in SECTIONS}}
    assert first["page"]["pages"] == -(-total // 10)


@pytest.mark.parametrize("axes", [{"published_by": "2020-08-31"}, {"known_at": "2100-01-01T00:00:00Z"}])
def test_a_page_not_counted_says_each_sections_number_on_the_page_of_its_last_row(bundled: str,
                                                                                   axes: dict[str, str]) -> None:
    """Published by P or known at T, the pages follow `next` to the last; each page says the number of the sections
    whose last row it shows, and the last page says them all that it shows; the HTML says "more on the next page"."""
    small = client_of(bundled, page_size=10)
    flags = [f"--{name.replace('_', '-')}={value}" for name, value in axes.items()]
    whole = cli_json(bundled, "as-of", "2020-09-01", *flags, "--format", "json")
    rows = [(key, e) for key, entries in whole["lists"].items() for e in entries]
    pages, link = [], f"/as-of/2020-09-01?{'&'.join(f'{k}={v}' for k, v in axes.items())}"
    while link and len(pages) < 50:
        pages.append(small.get(f"{link}&format=json").json())
        link = pages[-1]["page"]["next"]

    html = small.get("/as-of/2020-09-01", params=axes).text

    assert len(pages) == -(-len(rows) // 10)
    assert [(k, e) for page in pages for k, es in page["lists"].items() for e in es] == rows
    assert [m for page in pages for m in page["measures"]] == whole["measures"]
    assert pages[-1]["page"]["total"] == len(rows)
    assert pages[-1]["page"]["pages"] == len(pages)
    assert all(page["page"]["total"] is None and page["page"]["pages"] is None for page in pages[:-1])
    said = {name: [n for n, page in enumerate(pages) if page["page"]["sections"][name] is not None]
            for name in ("lists", *SECTIONS)}
    numbers = {"lists": len(rows), **{name: len(whole[name]) for name in SECTIONS}}
    assert said == {name: [max(0, -(-n // 10) - 1)] for name, n in numbers.items()}
    assert "Showing 1–10 (more on the next page)." in html
    assert f"Showing 1–{len(whole['positions'])} of {len(whole['positions'])}." in html
    assert "Page 1 (10 rows of each section a page)" in html


def test_the_pages_go_on_while_any_section_has_rows(bundled: str) -> None:
    """Pages of 4 of a search that finds fewer entries than there are measures: the pages follow the measures, and
    a page past the entries and the meetings shows the measures' rows alone, saying so. With one list, the measures
    are left out (as the command line leaves them out) and the pages follow its entries."""
    small = client_of(bundled, page_size=4)
    whole = cli_json(bundled, "as-of", "2020-09-01", "--published-by", "2020-08-31", "--format", "json")
    asked = {"published_by": "2020-08-31", "q": "hisilicon"}

    first = small.get("/as-of/2020-09-01", params={**asked, "format": "json"}).json()
    pages = first["page"]["pages"]
    last = small.get("/as-of/2020-09-01", params={**asked, "page": pages, "format": "json"}).json()
    html = small.get("/as-of/2020-09-01", params={**asked, "page": 2}).text

    assert 0 < first["page"]["total"] <= 4 < len(whole["measures"])
    assert pages == -(-len(whole["measures"]) // 4)
    assert last["page"]["next"] is None
    assert last["lists"] == {}
    assert last["meetings"] == []
    assert last["measures"] == whole["measures"][4 * (pages - 1):]
    assert f"Showing 5–8 of {len(whole['measures'])}." in html
    assert f"None on this page ({len(whole['meetings'])} in all, on earlier pages)." in html
    assert 'rel="next"' in html
    key, entries = next(iter(whole["lists"].items()))
    one = small.get("/as-of/2020-09-01", params={"published_by": "2020-08-31", "list": key, "format": "json"}).json()
    assert one["measures"] == []
    assert one["page"]["sections"]["measures"] == 0
    assert len(entries) > 4
    assert one["page"]["pages"] is None  # published by P, more than a page of entries: not counted
    assert one["page"]["next"] is not None


def test_a_search_pages_its_entries_and_every_other_section(bundled: str) -> None:
    small = client_of(bundled, page_size=10)
    whole = cli_json(bundled, "as-of", "2020-09-01", "--format", "json")

    first = small.get("/as-of/2020-09-01", params={"q": "huawei", "format": "json"}).json()
    second = small.get("/as-of/2020-09-01", params={"q": "huawei", "page": 2, "format": "json"}).json()

    found = [e for es in whole["lists"].values() for e in es if "huawei" in (e["name"] + e["party"]).casefold()]
    assert first["page"]["sections"]["lists"] >= len(found) > 0
    for name in SECTIONS:
        assert first["page"]["sections"][name] == len(whole[name])
        assert first[name] == whole[name][0:10], name
        assert second[name] == whole[name][10:20], name


def test_the_last_page_has_no_next_and_a_page_past_the_end_is_empty(bundled: str) -> None:
    small = client_of(bundled, page_size=100)
    first = small.get("/as-of/2020-09-01", params={"format": "json"}).json()
    pages = first["page"]["pages"]

    last = small.get("/as-of/2020-09-01", params={"format": "json", "page": pages}).json()
    beyond = small.get("/as-of/2020-09-01", params={"format": "json", "page": pages + 1}).json()

    assert last["page"]["next"] is None
    assert last["page"]["previous"]
    assert beyond["lists"] == {}


def test_the_entries_are_searchable(web: TestClient) -> None:
    found = web.get("/as-of/2020-09-01", params={"q": "hisilicon", "format": "json"}).json()
    page = web.get("/as-of/2020-09-01", params={"q": "hisilicon"}).text

    names = [e["name"] for entries in found["lists"].values() for e in entries]
    assert names
    assert all("hisilicon" in (n + " ".join(e["aliases"])).casefold() for entries in
                         found["lists"].values() for e in entries for n in [e["name"]])
    assert 'value="hisilicon"' in page


def test_the_diff_and_history_twins_are_the_command_lines_json_cut_to_the_page(web: TestClient, bundled: str) -> None:
    diff = web.get("/diff/2019-05-15/2020-08-31", params={"format": "json"}).json()
    history = web.get("/history", params={"subject": "huawei-technologies", "format": "json"}).json()

    whole_diff = cli_json(bundled, "diff", "2019-05-15", "2020-08-31", "--format", "json")
    whole_history = cli_json(bundled, "history", "huawei-technologies", "--format", "json")
    subjects = {t["subject"] for t in whole_diff["took_effect"]} | {t["subject"] for t in whole_diff["transitions"]}
    assert len(subjects) > 50  # the window's subjects, 50 a page
    assert diff["page"]["next"] == "/diff/2019-05-15/2020-08-31?page=2"
    pages = [diff]
    while pages[-1]["page"]["next"] and len(pages) < 20:  # followed as a script would
        pages.append(web.get(pages[-1]["page"]["next"] + "&format=json").json())
    assert [(p["page"]["total"], p["page"]["pages"]) for p in pages[:-1]] == [(None, None)] * (len(pages) - 1)
    last = pages[-1]["page"]
    assert len(subjects) <= last["total"] <= 50 * len(pages)  # counted on the last page
    assert last["pages"] == len(pages)
    assert {k: v for k, v in diff.items() if k not in _DIFF_SECTIONS} == {
        **{k: v for k, v in whole_diff.items() if k not in _DIFF_SECTIONS}, "page": diff["page"]}
    assert sum((_diff_contents(p) for p in pages), Counter()) == _diff_contents(whole_diff)  # each once, nothing else
    assert history["items"] == whole_history["items"][:50]


_DIFF_SECTIONS = {"took_effect", "transitions", "lists", "measures", "meetings", "positions"}


def _diff_contents(answer: dict[str, Any]) -> Counter[str]:
    """Every change, transition and action taken effect of a diff's JSON, counted (as JSON text, with its place)."""
    found = Counter(json.dumps([section, item], sort_keys=True) for section in _DIFF_SECTIONS - {"lists"}
                    for item in answer[section])
    found.update(json.dumps([key, group, item], sort_keys=True) for key, groups in answer["lists"].items()
                 for group, items in groups.items() for item in items)
    return found


def test_the_party_twin_is_the_dossiers_json(web: TestClient, bundled: str) -> None:
    twin = web.get("/parties/huawei-technologies", params={"as_of": "2020-09-01", "format": "json"}).json()

    expected = cli_json(bundled, "report", "party", "huawei-technologies", "--as-of", "2020-09-01", "--format",
                        "json")
    assert {**twin, "produced_at": None} == {**expected, "produced_at": None}


def test_a_name_of_several_parties_asks_which(web: TestClient) -> None:
    response = web.get("/parties/huawei")

    assert response.status_code == 300
    assert 'href="/parties/huawei-technologies"' in response.text


def test_the_log_twin_is_the_command_lines_log_cut_to_the_page(bundled: str) -> None:
    small = client_of(bundled, page_size=25)

    first = small.get("/log", params={"format": "json"}).json()
    second = small.get(first["page"]["next"] + "&format=json").json()

    whole = cli_json(bundled, "log", "--format", "json")
    assert first["items"] == whole[:25]
    assert second["items"] == whole[25:50]
    assert first["page"]["next"] == f"/log?after={whole[24]['position']}"
    assert second["page"]["next"] == f"/log?after={whole[49]['position']}"
    verified = re.match(r"(\d+) events verified, head digest ([0-9a-f]{64})", cli_text(bundled, "verify"))
    assert verified is not None
    assert (second["ledger"]["size"], second["ledger"]["head"]) == (int(verified[1]), verified[2])


def test_the_verify_button_runs_verify_and_shows_its_result(web: TestClient, bundled: str) -> None:
    page = web.post("/log/verify")
    twin = web.post("/log/verify", headers={"accept": "application/json"}).json()

    said = cli_text(bundled, "verify").splitlines()[0]
    assert page.status_code == 200
    assert f"ok: {twin['verified']} events verified, head digest" in page.text
    assert said == f"{twin['verified']} events verified, head digest {twin['head']}"
    assert twin["holds"] is True
    assert twin["divergence"] is None


def test_a_csv_upload_is_screened_on_the_page(web: TestClient) -> None:
    text = "id,name\nc-1,HiSilicon Technologies\n"

    response = web.post("/screen", data={"on": "2020-01-01"}, files={"file": ("mine.csv", text.encode(), "text/csv")})

    assert response.status_code == 200
    assert "Row 1" in response.text
    assert "HiSilicon" in response.text


def test_a_csv_with_bad_rows_is_refused_listing_them(web: TestClient) -> None:
    text = "id,name,date\nc-1,,2020-01-01\nc-2,Acme,2020-13-01\n"

    response = web.post("/screen", files={"file": ("mine.csv", text.encode(), "text/csv")})
    twin = web.post("/screen", headers={"accept": "application/json"},
                    files={"file": ("mine.csv", text.encode(), "text/csv")})

    assert response.status_code == twin.status_code == 400
    assert "mine.csv: 2 bad rows" in response.text
    assert twin.json()["error"].startswith("mine.csv: 2 bad rows")
    assert [b["row"] for b in twin.json()["bad_rows"]] == [1, 2]


@pytest.mark.parametrize(("path", "status", "message"), [
    ("/as-of/2019-13-01", 400, "date: &#39;2019-13-01&#39; is not a calendar date"),
    ("/as-of/2019-05-17?list=nope", 404, "list: no list &#39;nope&#39; in the ledger"),
    ("/diff/2020-01-01/2019-01-01", 400, "to (2019-01-01) is before from (2020-01-01)"),
    ("/as-of/2019-05-17?page=0", 400, "page: &#39;0&#39; is not a page number"),
    ("/history?subject=nothing-of-that-name", 404, "subject: "),
])
def test_bad_input_is_an_error_page_with_one_line(web: TestClient, path: str, status: int, message: str) -> None:
    page = web.get(path)
    twin = web.get(path, headers={"accept": "application/json"})

    assert page.status_code == twin.status_code == status
    assert message in page.text
    assert 'role="alert"' in page.text
    assert "\n" not in twin.json()["error"]


def test_the_stylesheet_is_served_from_the_package(web: TestClient) -> None:
    css = web.get("/static/web.css")

    assert css.status_code == 200
    assert css.headers["content-type"].startswith("text/css")
    assert ".banner" in css.text


def test_verify_streams_its_progress_into_the_page(bundled: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("regledger.adapters.web.verifying.EVERY", 0.0)  # a line for every event verified

    page = client_of(bundled).post("/log/verify").text

    lines = re.findall(r"<li>([\d,]+) of ([\d,]+) events verified \((\d+)%\)</li>", page)
    assert len(lines) > 10
    assert lines[-1][0] == lines[-1][1]
    assert page.index("events verified (") < page.index("ok: ")


def test_verify_names_the_first_divergence_of_a_tampered_ledger(tmp_path) -> None:
    from tests.integration.integrity_kit import Attacker, find_event  # noqa: PLC0415

    db = str(tmp_path / "tampered.db")
    timeline = tmp_path / "one.yaml"
    timeline.write_text(
        "- kind: entity_listed\n  id: a-1\n  list: us-bis-entity-list\n  party: {key: acme, name: Acme Ltd}\n"
        "  effective_on: 2020-01-10\n  published_on: 2020-01-08\n  sources: [{citation: 85 FR 1, reliability: "
        "official}]\n", encoding="utf-8")
    cli_text(db, "record", str(timeline))
    position, event = find_event(db, "85 FR 1")
    attacker = Attacker(db)
    attacker.change(event.notification_id, b"85 FR 1", b"85 FR 9")
    attacker.close()
    web = client_of(db)

    page = web.post("/log/verify").text
    twin = web.post("/log/verify", headers={"accept": "application/json"}).json()

    assert f"FAILED: {position - 1} events verified before the first divergence" in page
    assert f"changed: position {position} in recording order" in page
    assert twin["holds"] is False
    assert twin["divergence"]
    assert twin["divergence"][0] in page


@pytest.mark.parametrize("path", ["/history", "/diff"])
def test_a_form_pages_twin_without_its_parameters_is_a_400(web: TestClient, path: str) -> None:
    response = web.get(path, params={"format": "json"})

    assert response.status_code == 400
    assert response.json()["error"].startswith(("subject: ", "from: "))


def test_the_last_page_of_the_log_has_no_next(web: TestClient, bundled: str) -> None:
    whole = cli_json(bundled, "log", "--format", "json")

    last = web.get("/log", params={"after": whole[-3]["position"], "format": "json"}).json()
    bad = web.get("/log", params={"after": "-1"})

    assert last["items"] == whole[-2:]
    assert last["page"]["next"] is None
    assert bad.status_code == 400


@pytest.mark.parametrize("path", ["/as-of/2019-05-17", "/api/v1/as-of/2019-05-17?party=huawei-technologies",
                                  "/parties/huawei-technologies", "/static/web.css"])
def test_a_head_request_is_answered_as_its_get_without_the_body(web: TestClient, path: str) -> None:
    got, head = web.get(path), web.head(path)

    assert (got.status_code, head.status_code) == (200, 200)
    assert head.content == b""
    assert got.content
    assert head.headers["content-type"] == got.headers["content-type"]
    assert head.headers["content-security-policy"] == got.headers["content-security-policy"]


def test_a_compare_page_for_a_party_that_names_nobody_is_the_command_lines_answer(web: TestClient,
                                                                                  bundled: str) -> None:
    twin = web.get("/diff/2019-05-15/2020-08-31", params={"party": "huawai", "format": "json"}).json()

    expected = cli_json(bundled, "diff", "2019-05-15", "2020-08-31", "--party", "huawai", "--format", "json")
    assert {k: v for k, v in twin.items() if k != "page"} == expected
    assert expected["notes"][0].startswith('"huawai": not on any list between 2019-05-15 and 2020-08-31')
    assert (twin["page"]["total"], twin["page"]["next"]) == (0, None)


def test_a_compare_page_says_which_of_the_windows_subjects_it_shows(web: TestClient) -> None:
    twin, last = web.get("/diff/2019-05-15/2020-08-31", params={"format": "json"}).json(), 1
    while twin["page"]["next"] and last < 20:
        twin, last = web.get(twin["page"]["next"] + "&format=json").json(), last + 1
    total = twin["page"]["total"]

    first = web.get("/diff/2019-05-15/2020-08-31").text
    final = web.get("/diff/2019-05-15/2020-08-31", params={"page": str(last)}).text
    beyond = web.get("/diff/2019-05-15/2020-08-31", params={"page": str(last + 1)}).text

    assert last > 2
    assert "Subjects 1–50 (more on the next page) that changed or took effect in the window" in first
    assert "Page 1 (50 subjects a page)" in first
    assert f"Subjects {(last - 1) * 50 + 1}–{total} of {total} that changed" in final
    assert f"Page {last} of {last} (50 subjects a page)" in final
    assert "No subjects on this page (the window's are on earlier pages)" in beyond
