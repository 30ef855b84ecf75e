"""Write docs/_static/report.png: the report of a seed page as headless Chromium draws it.

    apt-get install chromium fonts-noto-cjk && pip install -e '.[test-browser]'
    python tools/report_screenshot.py

The picture in docs/report.md is this file's output: the report of
seeds/000_8f24790f293e97a4.txt (营口日报) with its first article selected, the top of the page
and the start of the article, reduced to a palette of 192 colours to stay small.
"""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

import corepress
from corepress.report import render_report
from corepress.report.marks import article_anchor, page_key

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "000_8f24790f293e97a4.txt"
TARGET = ROOT / "docs" / "_static" / "report.png"
VIEWPORT = {"width": 1280, "height": 1500}


def main() -> None:
    import os

    os.chdir(ROOT)  # the report shows the path as given: seeds/…
    page = corepress.parse(SEED.relative_to(ROOT))
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "report.html"
        report.write_text(render_report([page]), encoding="utf-8")
        with sync_playwright() as driver:
            browser = driver.chromium.launch(executable_path="/usr/bin/chromium")
            tab = browser.new_page(viewport=VIEWPORT)
            tab.goto(report.as_uri())
            # a click that does not scroll: the panel shows the article, the view stays at the top
            tab.locator(f"#{article_anchor(page_key(page), page.articles[0].id)}").dispatch_event("click")
            png = tab.screenshot()
            browser.close()
    picture = Image.open(io.BytesIO(png)).convert("RGB").quantize(colors=192, method=Image.Quantize.MEDIANCUT)
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    picture.save(TARGET, optimize=True)
    print(f"{TARGET.relative_to(ROOT)}: {TARGET.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()
