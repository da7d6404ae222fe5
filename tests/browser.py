"""Open an HTML file in headless Chromium (Debian's package, driven by Playwright) and report what it drew.

Skips (with the reason) where Chromium or Playwright is not installed; scripts/setup.sh installs both.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]

# Marks each plotly chart drew: bars are paths in g.point, a heatmap is an <image> in g.hm.
_MARKS_JS = """() => Array.from(document.querySelectorAll('.js-plotly-plot')).map(d => ({
  id: d.id, marks: d.querySelectorAll('g.point path, g.hm image, g.scatterlayer path.point').length}))"""


@dataclass
class PageResult:
    errors: list[str] = field(default_factory=list)  # console errors and uncaught exceptions
    charts: list[dict] = field(default_factory=list)  # {"id", "marks"} per plotly chart
    requests: list[str] = field(default_factory=list)  # URLs other than the page itself


def chromium_path() -> str:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    pytest.skip("Chromium is not installed (scripts/setup.sh installs Debian's chromium package)")
    return ""


def load_page(page_path: Path, screenshot: Path | None = None) -> PageResult:
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install -e .[test])")
    executable = chromium_path()
    result = PageResult()
    url = page_path.resolve().as_uri()
    with sync_api.sync_playwright() as pw, tempfile.TemporaryDirectory() as profile:
        browser = pw.chromium.launch_persistent_context(
            profile, executable_path=executable, args=CHROMIUM_ARGS, headless=True,
            viewport={"width": 1280, "height": 900})
        try:
            page = browser.new_page()
            page.on("console", lambda m: result.errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: result.errors.append(str(e)))
            page.on("request", lambda r: result.requests.append(r.url) if r.url != url else None)
            page.goto(url, wait_until="load")
            page.wait_for_timeout(500)
            result.charts = page.evaluate(_MARKS_JS)
            if screenshot is not None:
                page.screenshot(path=str(screenshot), full_page=False)
        finally:
            browser.close()
    return result
