"""Screenshots of pages at phone and desktop widths, for looking at what readers see.

Usage: .venv/bin/python scripts/screenshots.py http://127.0.0.1:8000 / /blogs/ ...
Writes var/screenshots/<name>-<width>.png using Debian's Chromium.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

WIDTHS = (360, 1440)
# Set VESTNIK_SHOT_SELECTOR to also capture one element (e.g. ".footnotes") on each page.
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


def main(base: str, paths: list[str]) -> None:
    out = Path(__file__).resolve().parents[1] / "var" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for width in WIDTHS:
            page = browser.new_page(viewport={"width": width, "height": 900})
            for path in paths:
                page.goto(base + path, wait_until="networkidle")
                name = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "home"
                target = out / f"{name}-{width}.png"
                # The first two screens: what a reader sees before scrolling, and just after.
                page.screenshot(
                    path=str(target), clip={"x": 0, "y": 0, "width": width, "height": 1800}
                )
                print(target)
            page.close()
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1].rstrip("/"), sys.argv[2:] or ["/"])
