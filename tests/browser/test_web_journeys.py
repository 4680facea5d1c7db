"""The web application's main journeys in a real browser: Debian's Chromium (/usr/bin/chromium), driven by
Playwright for Python (its bundled driver only; no browser is downloaded: never `playwright install`), against
`regledger serve` on a free port of 127.0.0.1 over a ledger holding the bundled Huawei case.

Journeys: pick a past date and read Huawei's status with its citation; compare 2019-05-15 and 2020-08-31 (paging
through the window's subjects to Huawei's and HiSilicon's listings); open
HiSilicon's page; download a report. Each checks the rendered text, and every page's form controls are reached with
Tab and carry an accessible label (<label for>, aria-label, aria-labelledby, or a button's own text). 華為 must render:
the page's text holds it, and Chromium draws its glyphs with a CJK font (asked through the DevTools protocol; .ci/run
installs fonts-wqy-zenhei), not as boxes; screening the name 華為 finds Huawei. Screenshots go to
tests/artifacts/ (git-ignored); REGLEDGER_UPDATE_SCREENSHOTS=1 also writes the README's docs/images/web-as-of.png.

Skipped, saying why, where Chromium is absent; under CI=true that is a failure (.ci/run installs it).
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.conftest import EXAMPLE, ROOT
from tests.e2e.report_kit import artifact

FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run"]
CITATION = re.compile(r"84 FR 22961|84 Fed\. Reg\. 22,961")  # the citation form may be either
README_SHOT = ROOT / "docs" / "images" / "web-as-of.png"
CONTROLS = "input:not([type=hidden]), select, textarea, button"
IN_CI = os.environ.get("CI", "").lower() == "true"

# Marks each visible form control with data-kbd=N and returns, for each, its tag, type, name and accessible label
# (aria-labelledby, aria-label, its <label>s, a button's own text or value), as a screen reader would name it.
_LABELS_JS = """(selector) => {
  const visible = (el) => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
  const text = (el) => (el ? el.textContent : "").replace(/\\s+/g, " ").trim();
  return Array.from(document.querySelectorAll(selector)).filter(visible).map((el, index) => {
    el.dataset.kbd = String(index);
    let label = "";
    const by = el.getAttribute("aria-labelledby");
    if (by) label = by.split(/\\s+/).map((id) => text(document.getElementById(id))).join(" ").trim();
    if (!label) label = (el.getAttribute("aria-label") || "").trim();
    if (!label && el.labels) label = Array.from(el.labels).map(text).join(" ").trim();
    if (!label && (el.tagName === "BUTTON")) label = text(el);
    if (!label && el.tagName === "INPUT" && ["submit", "button", "reset"].includes(el.type)) label = el.value;
    return {index, tag: el.tagName.toLowerCase(), type: el.type || "", name: el.name || "", label,
            disabled: !!el.disabled};
  });
}"""


def chromium() -> str:
    """Debian's Chromium; skip when absent, except under CI=true, where it must be there."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    if IN_CI:
        pytest.fail("chromium is not installed (CI=true: the browser tests must run; .ci/run installs it)")
    pytest.skip("chromium is not installed (Debian: apt-get install chromium)")


def _regledger() -> list[str]:
    """The command that runs this installation's CLI."""
    beside = Path(sys.executable).with_name("regledger")
    return [str(beside)] if beside.exists() else [sys.executable, "-c",
                                                  "from regledger.adapters.cli import main; main()"]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - http://127.0.0.1 only
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


@pytest.fixture(scope="session")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`regledger serve` on a free port of 127.0.0.1 over the bundled case; its base URL. Stopped at the end."""
    chromium()  # no server for nothing: skip (or fail under CI) before recording
    folder = tmp_path_factory.mktemp("web-browser")
    db = folder / "huawei.db"
    recorded = subprocess.run([*_regledger(), "record", str(EXAMPLE), "--db", str(db)], capture_output=True,
                              text=True, timeout=300, check=False)
    assert recorded.returncode == 0, recorded.stderr[-2000:]
    port = _free_port()
    log = folder / "serve.log"
    with log.open("wb") as output:
        server = subprocess.Popen([*_regledger(), "serve", "--host", "127.0.0.1", "--port", str(port),
                                   "--db", str(db)], stdout=output, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while not _answers(f"{base}/api/v1/openapi.json"):
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"regledger serve did not answer on {base}: {log.read_text(errors='replace')[-2000:]}")
            time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=20)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Headless Debian Chromium under Playwright, for the whole session."""
    executable = chromium()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, headless=True, args=FLAGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser, served: str) -> Iterator[Page]:
    """A fresh page (its own context) on the served application, 1280 wide, downloads accepted."""
    context = browser.new_context(base_url=served, viewport={"width": 1280, "height": 900}, accept_downloads=True)
    opened = context.new_page()
    opened.set_default_timeout(30_000)
    yield opened
    context.close()


def text_of(page: Page) -> str:
    """The page's rendered text, whitespace collapsed."""
    return " ".join(page.inner_text("body").split())


def shoot(page: Page, name: str) -> Path:
    """A full-page screenshot under tests/artifacts/; its path (a PNG, checked)."""
    path = artifact(f"web-{name}.png")
    path.unlink(missing_ok=True)
    page.screenshot(path=str(path), full_page=True)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    return path


def form_controls(page: Page) -> list[dict[str, Any]]:
    """The page's visible form controls with their accessible labels (each marked data-kbd=N)."""
    found: list[dict[str, Any]] = page.evaluate(_LABELS_JS, CONTROLS)
    return found


def assert_keyboard_reachable_and_labelled(page: Page) -> list[dict[str, Any]]:
    """Every visible, enabled form control has an accessible label and is focused by Tab alone; the controls."""
    controls = form_controls(page)
    assert controls, f"no form controls on {page.url}"
    unlabelled = [c for c in controls if not c["label"]]
    assert unlabelled == [], f"form controls without an accessible label on {page.url}: {unlabelled}"
    wanted = {c["index"] for c in controls if not c["disabled"]}
    links = int(page.evaluate("() => document.querySelectorAll('a[href]').length"))
    page.evaluate("() => { if (document.activeElement) document.activeElement.blur(); }")
    reached: set[int] = set()
    for _ in range(links + 8 * len(controls) + 10):  # a date input takes a Tab per part; links pass on the way
        page.keyboard.press("Tab")
        mark = page.evaluate("() => document.activeElement && document.activeElement.dataset "
                             "? document.activeElement.dataset.kbd ?? null : null")
        if mark is not None:
            reached.add(int(mark))
        if wanted <= reached:
            break
    missed = [c for c in controls if c["index"] in wanted - reached]
    assert missed == [], f"form controls Tab never reaches on {page.url}: {missed}"
    return controls


def cjk_fonts() -> set[str]:
    """The families fontconfig has for Chinese (Traditional); skip where there is none (fail under CI=true)."""
    listing = subprocess.run(["fc-list", ":lang=zh-tw", "family"], capture_output=True, text=True, check=False)
    families = {name.strip() for line in listing.stdout.splitlines() for name in line.split(",") if name.strip()}
    if families:
        return families
    if IN_CI:
        pytest.fail("no CJK font (CI=true: .ci/run installs fonts-wqy-zenhei so that 華為 renders)")
    pytest.skip("no CJK font for 華為 (Debian: apt-get install fonts-wqy-zenhei)")


def fonts_drawing(page: Page, text: str) -> dict[str, int]:
    """The fonts Chromium drew the first text node holding `text` with, and how many glyphs each (DevTools
    protocol: CSS.getPlatformFontsForNode): what the screenshot shows, not just what the DOM holds."""
    found = page.evaluate("""(text) => {
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      while (walker.nextNode()) {
        if (walker.currentNode.nodeValue.includes(text)) {
          walker.currentNode.parentElement.setAttribute("data-drawn", "1");
          return true;
        }
      }
      return false;
    }""", text)
    assert found, f"{text!r} is not on {page.url}"
    devtools = page.context.new_cdp_session(page)
    devtools.send("DOM.enable")
    devtools.send("CSS.enable")
    root = devtools.send("DOM.getDocument")
    node = devtools.send("DOM.querySelector", {"nodeId": root["root"]["nodeId"], "selector": "[data-drawn]"})
    fonts = devtools.send("CSS.getPlatformFontsForNode", {"nodeId": node["nodeId"]})["fonts"]
    return {font["familyName"]: int(font["glyphCount"]) for font in fonts}


def test_a_past_date_shows_huaweis_status_with_its_citation(page: Page) -> None:
    page.goto("/")
    assert re.search(r"/as-of/\d{4}-\d{2}-\d{2}$", page.url), page.url
    assert_keyboard_reachable_and_labelled(page)

    page.get_by_label("Legal date").fill("2019-06-01")
    party = page.get_by_label("Party", exact=True)
    party.fill("Huawei Technologies")
    party.press("Enter")
    page.wait_for_url(re.compile(r"/as-of/2019-06-01\?.*party=Huawei"))

    text = text_of(page)
    assert "The rules as of 2019-06-01" in text
    assert "Huawei Technologies Co., Ltd." in text
    assert CITATION.search(text), text[:3000]
    assert "2019-05-16" in text  # listed since
    assert page.get_by_role("status").count() == 1  # the banner: not today's view
    assert page.get_by_label("Legal date").input_value() == "2019-06-01"  # the form shows what was asked
    shoot(page, "as-of-huawei")


def test_comparing_two_dates_shows_the_listings_of_the_window(page: Page) -> None:
    page.goto("/")
    page.get_by_role("link", name="Compare dates").click()
    assert_keyboard_reachable_and_labelled(page)
    page.get_by_label("From (exclusive)").fill("2019-05-15")
    page.get_by_label("To (inclusive)").fill("2020-08-31")
    page.get_by_role("button", name="Compare").click()
    page.wait_for_url(re.compile(r"/diff/2019-05-15/2020-08-31"))

    text = text_of(page)
    assert "What changed after 2019-05-15 through 2020-08-31" in text
    assert "Subjects 1–50 (more on the next page) that changed or took effect in the window" in text
    assert_keyboard_reachable_and_labelled(page)
    shoot(page, "diff-2019-05-15-2020-08-31")
    seen = [text]
    while page.get_by_role("link", name="Next →").count():  # the window's subjects, a page at a time
        page.get_by_role("link", name="Next →").first.click()
        page.wait_for_url(re.compile(r"/diff/2019-05-15/2020-08-31\?page=\d+"))
        seen.append(text_of(page))
    assert len(seen) > 1
    assert any("Huawei Technologies Co., Ltd." in t and CITATION.search(t) for t in seen)
    assert any("Shanghai HiSilicon Technologies Co., Ltd." in t for t in seen)
    assert_keyboard_reachable_and_labelled(page)


def test_hisilicons_page_shows_its_listing_and_timeline(page: Page) -> None:
    page.goto("/as-of/2019-09-01")
    search = page.get_by_label("Search the entries")
    search.fill("HiSilicon")
    search.press("Enter")
    page.wait_for_url(re.compile(r"q=HiSilicon"))
    page.get_by_role("link", name="Shanghai HiSilicon Technologies Co., Ltd.").first.click()
    page.wait_for_url(re.compile(r"/parties/shanghai-hisilicon-technologies"))

    text = text_of(page)
    assert "Shanghai HiSilicon Technologies Co., Ltd." in text
    assert "2019-08-19" in text  # listed with effect from
    assert "84 FR 43493" in text or "84 Fed. Reg. 43,493" in text
    assert "huawei-technologies" in text  # an affiliate of Huawei
    assert page.locator("svg").count() >= 1  # the listings' timeline
    assert_keyboard_reachable_and_labelled(page)
    shoot(page, "party-hisilicon")


@pytest.mark.parametrize("path", ["/screen", "/log", "/history", "/history?subject=huawei-technologies",
                                  "/measures/us-bis-huawei-tgl", "/signin"])
def test_every_form_control_is_labelled_and_reached_with_tab(page: Page, path: str) -> None:
    response = page.goto(path)

    assert response is not None
    assert response.status == 200, (path, response.status)
    assert_keyboard_reachable_and_labelled(page)


def test_screening_a_chinese_name_finds_huawei(page: Page) -> None:
    cjk = cjk_fonts()
    page.goto("/screen")
    name = page.get_by_label("Name", exact=True)
    name.fill("華為")
    name.press("Enter")
    page.wait_for_load_state()

    text = text_of(page)
    assert "華為" in text
    assert "Huawei Technologies Co., Ltd." in text
    assert any(family in cjk for family in fonts_drawing(page, "華為"))
    shoot(page, "screen-huawei-cjk")


def test_huaweis_chinese_names_render(page: Page) -> None:
    cjk = cjk_fonts()
    page.goto("/parties/huawei-technologies")

    assert "華為" in text_of(page)
    assert "华为" in text_of(page)
    drawn = fonts_drawing(page, "華為")
    assert sum(glyphs for family, glyphs in drawn.items() if family in cjk) >= 2, (drawn, cjk)  # not boxes
    shoot(page, "party-huawei")


def test_a_report_downloads_as_a_file(page: Page, tmp_path: Path) -> None:
    page.goto("/reports")
    assert_keyboard_reachable_and_labelled(page)
    changes = page.locator("form", has=page.get_by_label("From (exclusive)"))
    changes.get_by_label("From (exclusive)").fill("2019-05-15")
    changes.get_by_label("To (inclusive)").fill("2020-08-31")
    changes.get_by_label("Format").select_option("html")
    with page.expect_download() as waiting:
        changes.get_by_role("button", name="Download").click()
    download = waiting.value
    saved = tmp_path / download.suggested_filename
    download.save_as(str(saved))

    assert saved.suffix == ".html"
    content = saved.read_text(encoding="utf-8")
    assert "Changes after 2019-05-15 through 2020-08-31" in content
    assert "Huawei Technologies Co., Ltd." in content
    assert CITATION.search(content)
    shoot(page, "reports")


def test_the_readme_screenshot(page: Page) -> None:
    page.goto("/as-of/2019-05-17?published_by=2019-05-17&party=Huawei+Technologies")
    text = text_of(page)
    assert "Huawei Technologies Co., Ltd." in text
    assert "FR Doc. 2019-10616 (public inspection)" in text  # by 2019-05-17 the rule was on public inspection
    assert not CITATION.search(text)  # and not yet in the Federal Register (2019-05-21)
    assert "華為" in text

    shot = artifact("web-readme-as-of.png")
    page.screenshot(path=str(shot), full_page=False)  # the first screen, as a person sees it
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    if os.environ.get("REGLEDGER_UPDATE_SCREENSHOTS") == "1":
        README_SHOT.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shot, README_SHOT)
