"""corepress report in a real browser: headless Chromium (Debian's ``chromium``) driven by Playwright.

Playwright never downloads a browser here: it launches the system's Chromium by its
path (``/usr/bin/chromium``, or ``COREPRESS_CHROMIUM``).  Without Playwright or a
Chromium the tests skip, saying which is missing; with ``COREPRESS_REQUIRE_BROWSER=1``
(as ``.ci/run`` sets, after installing the browser) they fail instead, so CI cannot
pass without having run them.
"""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path

import pytest
from conftest import SEEDS
from test_cli import run
from test_report import HOSTILE_NAME, HOSTILE_PAGE, key_of

import corepress
from corepress.report import render_report

SEED = SEEDS[0]  # 营口日报, 7 articles, a masthead, two dropped items and repairs of every kind the report draws


def _missing(reason: str) -> None:
    if os.environ.get("COREPRESS_REQUIRE_BROWSER") == "1":
        pytest.fail(f"COREPRESS_REQUIRE_BROWSER=1 but {reason}")
    pytest.skip(reason)


def _chromium() -> str:
    given = os.environ.get("COREPRESS_CHROMIUM")
    found = given or shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        _missing("no Chromium to drive: apt-get install chromium (Debian), or set COREPRESS_CHROMIUM to a Chromium binary")
    return str(found)


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        _missing("Playwright is not installed: pip install 'corepress[test-browser]'")
    executable = _chromium()
    with sync_playwright() as driver:
        try:
            chromium = driver.chromium.launch(executable_path=executable)
        except Error as exc:
            _missing(f"Chromium at {executable} does not start: {str(exc).splitlines()[0]}")
        yield chromium
        chromium.close()


@pytest.fixture
def tab(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, offline=True)
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    page.on("dialog", lambda dialog: (page.errors.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    yield page
    context.close()


def _open(tab, path: Path) -> None:
    tab.goto(path.resolve().as_uri())
    tab.wait_for_load_state("load")


def test_the_seed_report_draws_one_region_per_article_and_the_panel_follows_a_click(tab, tmp_path):
    parsed = corepress.parse(SEED)
    report = tmp_path / "report.html"
    assert run("report", SEED, "-o", report)[0] == 0
    _open(tab, report)
    key = parsed.source.sha256[:12]
    source = f"#page-{key}-source"
    assert tab.locator(f"{source} .article").count() == len(parsed.articles) == 7
    assert tab.locator(source).evaluate("pane => pane.textContent") == parsed.text
    # each region has a colour of its own behind it
    colours = tab.locator(f"{source} .article").evaluate_all("rs => rs.map(r => getComputedStyle(r).backgroundColor)")
    assert len(set(colours)) == 7 and "rgba(0, 0, 0, 0)" not in colours
    assert tab.locator("#panel .sheet:visible").count() == 0
    second = parsed.articles[1]
    tab.locator(f"#page-{key}-article-{second.id} .f-title").click()
    shown = tab.locator("#panel .sheet:visible")
    assert shown.count() == 1
    assert shown.locator("dd.field-title").inner_text() == second.title.text == "我国将开展基层医疗质量改善三年行动"
    assert shown.locator("dd.field-reporters").inner_text() == "彭韵佳"
    assert tab.locator("#panel-empty").is_hidden()
    assert tab.evaluate("location.hash") == f"#page-{key}-article-{second.id}"
    assert tab.errors == []


def test_the_screenshot_is_not_blank(tab, tmp_path):
    from PIL import Image

    parsed = corepress.parse(SEED)
    report = tmp_path / "report.html"
    report.write_text(render_report([parsed]), encoding="utf-8")
    _open(tab, report)
    tab.locator(f"#page-{parsed.source.sha256[:12]}-article-a1").scroll_into_view_if_needed()
    picture = Image.open(io.BytesIO(tab.screenshot(full_page=False))).convert("RGB")
    assert picture.size == (1400, 1000)
    colours = picture.getcolors(maxcolors=1 << 20)
    assert colours is not None and len(colours) > 200, len(colours or ())  # text, eight article tints, the panel
    # the first article's tint fills a good part of the picture: hsl(210 85% 88%) is rgb(198, 224, 250)
    tint = sum(count for count, rgb in colours if all(abs(a - b) <= 2 for a, b in zip(rgb, (198, 224, 250))))
    assert tint > 1400 * 1000 // 20, tint


def test_an_anchor_selects_the_characters_it_names(tab, tmp_path):
    parsed = corepress.parse(SEED)
    report = tmp_path / "report.html"
    report.write_text(render_report([parsed]), encoding="utf-8")
    start = parsed.text.index("钍基熔盐")
    tab.goto(report.resolve().as_uri() + f"#page-{parsed.source.sha256[:12]}-chars-{start}-{start + 4}")
    tab.wait_for_load_state("load")
    assert tab.evaluate("window.getSelection().toString()") == "钍基熔盐"


def test_a_hostile_page_runs_nothing_and_reads_as_text(tab, tmp_path):
    page_file = tmp_path / HOSTILE_NAME
    page_file.write_text(HOSTILE_PAGE, encoding="utf-8")
    report = tmp_path / "report.html"
    assert run("report", page_file, "--paper", "yingkou", "-o", report)[0] == 0
    _open(tab, report)
    assert tab.errors == []  # no alert(), no script error
    assert tab.locator("img").count() == 0 and tab.evaluate("document.scripts.length") == 1
    assert tab.locator(f"#page-{key_of(HOSTILE_PAGE)}-source").evaluate("pane => pane.textContent") == HOSTILE_PAGE
    assert tab.locator("section.page h2").inner_text() == f"1. {page_file}"
    tab.locator(f"#page-{key_of(HOSTILE_PAGE)}-article-a1 .f-title").click()
    assert tab.locator("#panel .sheet:visible dd.field-title").inner_text() == "<script>alert(1)</script>新城区\"供暖\"提前启动"
