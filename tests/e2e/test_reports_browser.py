"""Headless Chromium opens each HTML report from a file: the rendered page holds the expected text, and a
screenshot of it is kept under tests/artifacts/ (git-ignored). Skipped only where Chromium is absent; under
CI=true that is a failure (.ci/run installs Debian's `chromium`)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE
from tests.e2e.report_kit import HOSTILE_NAME, PINNED_EPOCH, REPORTS, artifact, hostile_timeline, parsed

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]
EXPECTED = {
    "changes": ["Changes after 2019-05-15 through 2019-08-31", "Summary", "1. Control lists",
                "Huawei Technologies Co., Ltd.", "84 Fed. Reg. 22,961 (May 21, 2019)",
                "6. Corrections and retractions in the window"],
    "snapshot": ["The rules as of 2020-03-01", "Temporary General License for Huawei", "Upcoming", "Positions"],
    "party": ["Dossier: Huawei Technologies Co., Ltd., as of 2020-09-01", "1. Names and aliases", "華為", "2. Timeline",
              "4. Measures that apply to it"],
    "replay": ["Replay of the ledger up to the end of 2100-01-01 (UTC)", "173 records in 1 run", "1. measure adopted"],
    "knowledge": ["What was in force on 2019-05-17, and what the public record showed", "Huawei Technologies Co., Ltd.",
                  "Federal Register Public Inspection, Doc. No. 2019-10616 (filed May 16, 2019)",
                  "84 Fed. Reg. 22,961 (May 21, 2019)"],
}


def chromium() -> str:
    """The Chromium binary; skip when absent, except under CI=true, where it must be there."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail("chromium is not installed (CI=true: the browser test must run; .ci/run installs it)")
    pytest.skip("chromium is not installed (Debian: apt-get install chromium)")


def browse(page: Path, profile: Path, *action: str) -> subprocess.CompletedProcess[str]:
    """Chromium, headless and offline-minded, with a fresh profile, doing `action` on the page."""
    command = [chromium(), *FLAGS, f"--user-data-dir={profile}", *action, page.as_uri()]
    return subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)


def open_report(page: Path, tmp_path: Path, shot: Path) -> str:
    """The page's DOM after Chromium rendered it; a screenshot of it at `shot`."""
    dom = browse(page, tmp_path / "profile-dom", "--dump-dom")
    assert dom.returncode == 0, dom.stderr[-2000:]
    shot.unlink(missing_ok=True)
    taken = browse(page, tmp_path / "profile-shot", f"--screenshot={shot}", "--window-size=1200,2000")
    assert taken.returncode == 0, taken.stderr[-2000:]
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    return dom.stdout


@pytest.mark.parametrize("name", list(REPORTS))
def test_chromium_renders_each_html_report_from_a_file(sqlite_db: str, run_cli, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    chromium()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", PINNED_EPOCH)
    run_cli("record", str(EXAMPLE), "--db", sqlite_db)
    page = tmp_path / f"report-{name}.html"
    assert run_cli("report", *REPORTS[name], "-o", str(page), "--db", sqlite_db).code == 0

    dom = open_report(page, tmp_path, artifact(f"report-{name}.png"))

    text = " ".join("".join(parsed(dom).text).split())
    for expected in EXPECTED[name]:
        assert expected in text, expected
    assert "2026-01-01 00:00:00 UTC by regledger" in text


def test_chromium_shows_a_hostile_party_name_as_text(sqlite_db: str, run_cli, write_timeline,
                                                     tmp_path: Path) -> None:
    chromium()
    run_cli("record", str(write_timeline(hostile_timeline())), "--db", sqlite_db)
    page = tmp_path / "report-hostile.html"
    run_cli("report", "party", "hostile", "--as-of", "2020-03-01", "-o", str(page), "--db", sqlite_db)

    dom = open_report(page, tmp_path, artifact("report-party-hostile.png"))

    seen = parsed(dom)
    assert "script" not in seen.tags
    assert HOSTILE_NAME in "".join(seen.text)
