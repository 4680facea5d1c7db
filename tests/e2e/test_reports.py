"""`regledger report …`: golden files of each report on the bundled case in HTML, Markdown and JSON; what each
report says on small ledgers; a hostile party name rendered escaped and intact; self-contained HTML.

Golden files live in tests/golden/; the produced-at time is pinned with SOURCE_DATE_EPOCH, and recorded_at stamps,
the version and the ledger are normalised (report_kit.normalise). After an intended change, rewrite them with
`REGLEDGER_UPDATE_GOLDEN=1 .venv/bin/pytest tests/e2e/test_reports.py` and review `git diff tests/golden`.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from regledger.adapters.store.settings import parse_store
from tests.conftest import EXAMPLE, listed
from tests.e2e.report_kit import (
    HOSTILE_ALIASES,
    HOSTILE_NAME,
    LONG_NAME,
    PINNED_EPOCH,
    REPORTS,
    RTL_NAME,
    assert_golden,
    hostile_timeline,
    normalise,
    parsed,
)

SUFFIX = {"html": "html", "markdown": "md", "json": "json"}


@pytest.fixture
def pinned(monkeypatch: pytest.MonkeyPatch) -> None:
    """Reports say they were produced at 2026-01-01T00:00:00Z."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", PINNED_EPOCH)


@pytest.fixture
def bundled(db: str, run_cli, pinned: None) -> str:
    """The bundled Huawei case, recorded on each store."""
    assert run_cli("record", str(EXAMPLE), "--db", db).code == 0
    return db


def report(run_cli, db: str, name: str, *args: str) -> str:
    """The report `name` of REPORTS (its arguments as there), with more arguments."""
    result = run_cli("report", *REPORTS[name], *args, "--db", db)
    assert result.code == 0, result.err
    return result.out


# -- golden files ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("output", ["html", "markdown", "json"])
@pytest.mark.parametrize("name", list(REPORTS))
def test_each_report_on_the_bundled_case_matches_its_golden_file(bundled: str, run_cli, name: str,
                                                                  output: str) -> None:
    text = report(run_cli, bundled, name, "--format", output)

    assert_golden(f"report-{name}.{SUFFIX[output]}", normalise(text, bundled))


# -- what the reports say --------------------------------------------------------------------------------------------


def test_every_report_states_version_query_time_and_ledger(bundled: str, run_cli) -> None:
    for name in REPORTS:
        data = json.loads(report(run_cli, bundled, name, "--format", "json", "--min-reliability", "attributed"))

        assert data["regledger_version"]
        assert data["command"].startswith(f"regledger report {name} ")
        assert "--min-reliability attributed" in data["command"]
        assert data["produced_at"] == "2026-01-01T00:00:00Z"
        assert data["axes"]["min_reliability"] == "attributed"
        assert "Sources: only tier attributed or stronger." in data["axes_text"]
        assert data["ledger"] == f"{data['ledger_size']} events, head digest {data['ledger_head']}"
        assert data["ledger_size"] > 0
        assert re.fullmatch(r"[0-9a-f]{64}", data["ledger_head"])


def test_no_report_names_where_the_ledger_is_stored(bundled: str, run_cli) -> None:
    place = parse_store(bundled).display
    for name in REPORTS:
        for output in ("html", "markdown", "json"):
            assert place not in report(run_cli, bundled, name, "--format", output), (name, output)


def test_changes_counts_kinds_and_shows_each_amendment_before_and_after(bundled: str, run_cli) -> None:
    data = json.loads(report(run_cli, bundled, "changes", "--format", "json"))

    # Huawei and 37 affiliates on 2019-05-16, 48 affiliates on 2019-08-19 (the press report dated 2019-05-17 is
    # retracted); the two EL rules, the TGL, the standards advisory opinion and the Entity List's party roles as BIS
    # notices stated them (us-bis-el-party-roles-notices, from 2019-05-16); the TGL's extension and Huawei's revised
    # entry.
    assert {r["kind"]: r["count"] for r in data["summary"]["by_kind"]} == {
        "entity_listed": 86, "entry_amended": 1, "measure_adopted": 5, "measure_amended": 1}
    assert {"what": "list entries added (in force at the end, not at the start)", "count": 86} in (
        data["summary"]["net"])
    tgl = next(b for b in data["measures"] if b["subject"] == "us-bis-huawei-tgl")
    extension = next(a for a in tgl["actions"] if a["kind"] == "measure_amended")
    assert extension["change"]["fields"] == [
        {"field": "expires_on", "before": "2019-08-19", "after": "2019-11-18"},
        {"field": "parameters.authorized_activities",
         "before": ["existing_network_operation", "existing_device_support", "security_vulnerability_disclosure",
                    "standards_5g"],
         "after": ["existing_network_operation", "existing_device_support", "security_vulnerability_disclosure"]},
        {"field": "parameters.certification_required", "before": None, "after": True}]  # the narrowed terms
    assert [a["effective_on"] for a in tgl["actions"]] == sorted(a["effective_on"] for a in tgl["actions"])
    (entries,) = data["lists"]
    huawei = next(s for s in entries["subjects"] if s["subject"] == "us-bis-entity-list/huawei-technologies")
    assert huawei["over_window"]["change"] == "added"  # announced at the start, in force at the end
    assert {"field": "status", "before": "announced", "after": "in_force"} in huawei["over_window"]["fields"]
    assert [c["id"] for c in data["corrections"]] == ["retr-2019-05-21-convergedigest-effective-date"]
    assert data["corrections"][0]["in_window"] == ["published"]


def test_changes_lists_what_was_published_in_the_window_to_take_effect_later_or_announced_in_it(
        bundled: str, run_cli) -> None:
    def pending(*axes: str) -> list[tuple[str, str | None, str]]:
        result = run_cli("report", "changes", "--from", "2019-05-14", "--to", "2019-05-16", *axes, "--format", "json",
                         "--db", bundled)
        assert result.code == 0, result.err
        return [(p["id"], p["effective_on"], p["published_on"]) for p in json.loads(result.out)["pending"]]

    # By 2019-05-20 the public record held the press report that the listing would take effect on 2019-05-17; its
    # retraction was published on 2019-05-21. The announcement of 2019-05-15 has no effective date.
    assert pending("--published-by", "2019-05-20") == [
        ("ann-2019-05-15-huawei-listing-announced", None, "2019-05-15"),
        ("el-2019-05-17-huawei-convergedigest-report", "2019-05-17", "2019-05-16")]
    assert pending() == [("ann-2019-05-15-huawei-listing-announced", None, "2019-05-15")]


def test_changes_show_an_item_changed_by_dates_alone(bundled: str, run_cli) -> None:
    data = json.loads(run_cli("report", "changes", "--from", "2020-08-13", "--to", "2020-08-15", "--format", "json",
                              "--db", bundled).out)

    (tgl,) = data["measures"]
    assert tgl["by_dates_alone"] is True
    assert {"field": "status", "before": "in_force", "after": "expired"} in tgl["over_window"]["fields"]
    assert data["summary"]["by_dates_alone"] == 1


def test_party_dossier_says_why_each_measure_applies_to_the_party(bundled: str, run_cli) -> None:
    data = json.loads(report(run_cli, bundled, "party", "--format", "json"))

    reasons = {m["key"]: {(r["rule"], r["what"]) for r in m["reasons"]} for m in data["measures"]}
    assert reasons["us-bis-el-rule-2019-05-huawei"] == {("applies_to", "huawei-technologies")}
    assert reasons["us-bis-huawei-tgl"] == {("applies_to", "huawei-technologies")}
    assert "us-eo-13873" not in reasons  # the executive order does not say whom it applies to
    assert "us-bis-el-rule-2020-08-huawei-affiliates" not in reasons  # it applies to 38 affiliates, not to Huawei
    statuses = {m["key"]: m["status"] for m in data["measures"]}
    assert (statuses["us-bis-huawei-tgl"], statuses["us-bis-huawei-de-minimis-draft-rule"]) == ("revoked", "withdrawn")
    assert "its applies_to names the party" in data["measures_method"]
    assert data["party"]["aliases"] == ["华为", "華為", "华为技术有限公司", "華為技術有限公司"]
    (listing,) = data["listings"]
    assert listing["status"] == "in_force"
    assert [i["status"] for i in listing["timeline"]].count("retracted") == 1
    assert data["timeline"]["rows"][0]["periods"][:2] == [
        {"from": "2019-05-15", "to": "2019-05-15", "status": "announced"},
        {"from": "2019-05-16", "to": None, "status": "in_force"}]


def test_affiliate_dossier_lists_the_measures_that_include_affiliates_of_its_parent(bundled: str, run_cli) -> None:
    result = run_cli("report", "party", "huawei-chile", "--as-of", "2020-09-01", "--format", "json", "--db", bundled)
    assert result.code == 0, result.err
    data = json.loads(result.out)

    reasons = {m["key"]: {(r["rule"], r["what"]) for r in m["reasons"]} for m in data["measures"]}
    assert reasons["us-bis-el-rule-2019-05-huawei"] == {("applies_to", "huawei-chile")}
    assert reasons["us-bis-huawei-tgl"] == {("affiliate_of", "huawei-technologies")}
    assert "us-bis-huawei-de-minimis-draft-rule" not in reasons  # it applies to Huawei, not to its affiliates
    assert data["listings"][0]["entry"]["affiliate_of"] == "huawei-technologies"


def test_party_dossier_draws_an_inline_svg_timeline(bundled: str, run_cli) -> None:
    html = report(run_cli, bundled, "party")

    svg = html[html.index("<svg"):html.index("</svg>")]
    assert svg.count("<rect") >= 4
    assert 'class="s-announced"' in svg  # Huawei's listing, announced on 2019-05-15
    assert 'class="s-revoked"' in svg  # the TGL, revoked on 2020-08-17
    assert "<circle" in svg


def test_party_that_is_not_in_the_ledger_gets_a_dossier_that_says_so(bundled: str, run_cli) -> None:
    result = run_cli("report", "party", "nokia", "--as-of", "2020-09-01", "--format", "json", "--db", bundled)
    html = run_cli("report", "party", "nokia", "--as-of", "2020-09-01", "--db", bundled)

    assert (result.code, result.err, html.code, html.err) == (0, "", 0, "")
    data = json.loads(result.out)
    assert (data["party"]["asked"], data["party"]["found"], data["party"]["key"]) == ("nokia", False, None)
    assert (data["listings"], data["measures"], data["timeline"]["rows"]) == ([], [], [])
    said = '"nokia": not on any list on 2020-09-01 (no party by that name in the ledger)'
    assert data["notes"][0] == said
    assert said in "".join(parsed(html.out).text)
    assert "<svg" not in html.out


def test_party_text_that_names_several_parties_is_an_error(sqlite_db: str, run_cli, write_timeline) -> None:
    run_cli("record", str(write_timeline([listed("acme-east", name="Acme East"),
                                          listed("acme-west", name="Acme West")])), "--db", sqlite_db)

    result = run_cli("report", "party", "acme", "--db", sqlite_db)

    assert result.code == 1
    assert "names 2 parties: acme-east (Acme East); acme-west (Acme West); give one key" in result.err


def test_replay_shows_each_run_up_to_t_and_what_each_record_changed(sqlite_db: str, run_cli, write_timeline,
                                                                     pinned: None) -> None:
    first = write_timeline([{"kind": "entity_listed", "id": "a-1", "list": "us-bis-entity-list",
                             "party": {"key": "acme", "name": "Acme"}, "effective_on": "2020-01-10",
                             "published_on": "2020-01-08", "details": {"license_policy": "denial"},
                             "sources": [{"reliability": "official", "citation": "85 FR 1"}]}])
    second = write_timeline([{"kind": "correction", "id": "c-1", "corrects": "a-1", "published_on": "2020-02-01",
                              "fields": {"details.license_policy": "case by case"},
                              "sources": [{"reliability": "official", "citation": "85 FR 2"}]}])
    run_cli("record", str(first), "--db", sqlite_db)
    between = json.loads(run_cli("log", "--format", "json", "--db", sqlite_db).out)[0]["recorded_at"]
    run_cli("record", str(second), "--db", sqlite_db)

    cut = json.loads(run_cli("report", "replay", "--until", between, "--format", "json", "--db", sqlite_db).out)
    whole = json.loads(run_cli("report", "replay", "--format", "json", "--db", sqlite_db).out)

    assert (cut["recorded"], cut["later"], len(cut["runs"])) == (1, 1, 1)
    assert cut["runs"][0]["steps"][0]["changes"][0]["change"] == "added"
    correction = whole["runs"][1]["steps"][0]
    assert (correction["kind"], correction["as_of"], correction["target"]) == ("correction", "2020-01-10", "a-1")
    assert correction["changes"][0]["fields"] == [
        {"field": "details.license_policy", "before": "denial", "after": "case by case"}]


def test_a_window_that_runs_backwards_is_an_error(bundled: str, run_cli) -> None:
    result = run_cli("report", "changes", "--from", "2020-01-02", "--to", "2020-01-01", "--db", bundled)

    assert result.code == 1
    assert "must run forward" in result.err


def test_o_writes_the_report_to_a_file(bundled: str, run_cli, tmp_path: Path) -> None:
    target = tmp_path / "changes.md"

    result = report(run_cli, bundled, "changes", "--format", "markdown", "-o", str(target))

    assert result == ""
    assert target.read_text(encoding="utf-8").startswith("<!-- regledger changes report")
    assert run_cli("report", "snapshot", "2020-01-01", "-o", str(tmp_path / "missing" / "x.html"),
                   "--db", bundled).code == 1


# -- HTML that stands alone ------------------------------------------------------------------------------------------


def test_html_reports_are_self_contained_and_print_friendly(bundled: str, run_cli) -> None:
    for name in REPORTS:
        html = report(run_cli, bundled, name)

        tags = set(parsed(html).tags)
        assert not tags & {"script", "link", "img", "iframe", "object", "embed"}, name
        assert not re.search(r"\b(src|srcset)=|@import|url\(|@font-face", html), name
        assert "default-src 'none'" in html
        assert "@media print" in html
        assert html.count("<style>") == 1


def test_only_http_urls_become_links(sqlite_db: str, run_cli, write_timeline, pinned: None) -> None:
    run_cli("record", str(write_timeline(hostile_timeline())), "--db", sqlite_db)

    html = run_cli("report", "snapshot", "2020-03-01", "--db", sqlite_db).out
    markdown = run_cli("report", "snapshot", "2020-03-01", "--format", "markdown", "--db", sqlite_db).out

    assert all(h.startswith(("https://", "http://")) for h in re.findall(r'href="([^"]*)"', html))
    assert 'href="https://example.org/a?b=1&amp;c=&lt;2&gt;"' in html
    assert "](<javascript" not in markdown
    assert "javascript:alert(1), not a web link" in markdown


# -- a hostile party name --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["party", "snapshot", "changes"])
def test_a_hostile_party_name_renders_escaped_and_intact_in_html(sqlite_db: str, run_cli, write_timeline,
                                                                 pinned: None, name: str) -> None:
    run_cli("record", str(write_timeline(hostile_timeline())), "--db", sqlite_db)
    args = {"party": ["party", "hostile", "--as-of", "2020-03-01"], "snapshot": ["snapshot", "2020-03-01"],
            "changes": ["changes", "--from", "2020-01-01", "--to", "2020-03-01"]}[name]

    html = run_cli("report", *args, "--db", sqlite_db).out

    seen = parsed(html)
    text = "".join(seen.text)
    assert "script" not in seen.tags
    assert "<b>bold</b>" not in html
    assert "<i>Presumption</i>" not in html
    assert HOSTILE_NAME in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    if name != "changes":  # the change log names the party, not its aliases
        assert all(alias in text for alias in HOSTILE_ALIASES)
    assert "<bdi>" in html  # right-to-left names are isolated from the text around them


@pytest.mark.parametrize("name", ["party", "snapshot"])
def test_a_hostile_party_name_renders_escaped_and_intact_in_markdown(sqlite_db: str, run_cli, write_timeline,
                                                                     pinned: None, name: str) -> None:
    run_cli("record", str(write_timeline(hostile_timeline())), "--db", sqlite_db)
    args = {"party": ["party", "hostile"], "snapshot": ["snapshot", "2020-03-01"]}[name]

    markdown = run_cli("report", *args, "--format", "markdown", "--db", sqlite_db).out

    assert "<script>" not in markdown
    assert "<b>" not in markdown
    escaped = ("&lt;script&gt;alert(1)&lt;/script&gt; \"Double\" &amp; 'single' quotes &lt;b&gt;bold&lt;/b&gt; "
               "\\[link\\](javascript:x) \\| \\*star\\* \\`tick\\`")
    assert escaped in markdown
    assert LONG_NAME in markdown
    assert RTL_NAME in markdown
    assert "華為" in markdown
    if name == "snapshot":
        assert "Case by case &lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;&lt;script&gt;" in markdown


def test_a_hostile_party_name_survives_json_unchanged(sqlite_db: str, run_cli, write_timeline, pinned: None) -> None:
    run_cli("record", str(write_timeline(hostile_timeline())), "--db", sqlite_db)

    data = json.loads(run_cli("report", "party", "hostile", "--format", "json", "--db", sqlite_db).out)

    assert data["party"]["names"] == [HOSTILE_NAME]
    assert data["party"]["aliases"] == HOSTILE_ALIASES
    assert [(m["key"], m["title"]) for m in data["measures"]] == [("hostile-rule", f"Rule on {RTL_NAME}")]
