"""Make the README's picture of a report: the first A4 page of a real country report.

Builds the shared NRM tables and the seed minutes into a temporary store (or reads
--db), writes the report with ``htkg.reports.write_report``, opens it offline in
headless Chromium (tests/browser.py) as printed on A4, and saves the first page:

    .venv/bin/python scripts/screenshot-report.py                  # docs/report-nigeria.png
    .venv/bin/python scripts/screenshot-report.py --db ./store --country Albania --out a.png

It refuses to save a picture of a page that logged an error or asked the network for
anything.
"""
from __future__ import annotations

import argparse
import base64
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

# A4 at 96 pixels to the inch, and the report's print margins (report.css: 14mm 13mm).
PAGE = (794, 1123)
MARGINS = "14mm 13mm"


def first_page(html: Path, out: Path) -> None:
    from browser import Browser
    with Browser(width=PAGE[0], height=PAGE[1]) as b:
        b.open(html, wait_ready=None)
        b.wait_for("return document.readyState === 'complete'")
        b.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
        b.js(f"document.body.style.padding = '{MARGINS}'")
        time.sleep(0.5)
        errors = b.console_errors()
        outside = [u for u in b.requests() if not u.startswith("file://")]
        if errors or outside:
            sys.exit(f"screenshot-report: the page logged {errors} and asked for {outside}")
        shot = b.driver.execute_cdp_cmd("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": PAGE[0], "height": PAGE[1], "scale": 1}})
        out.write_bytes(base64.b64decode(shot["data"]))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", help="a store to read (default: build the shared data into a "
                                 "temporary one)")
    ap.add_argument("--country", default="Nigeria")
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "report-nigeria.png")
    args = ap.parse_args()
    from htkg.reports import write_report
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db
        if db is None:   # the full real data, built as the report benchmark builds it
            from bench_reports import build
            db = str(Path(tmp) / "store")
            print(build(Path(db)))
        html = write_report(db, "country", args.country, Path(tmp) / "report.html").path
        first_page(html, args.out)
    print(args.out)


if __name__ == "__main__":
    main()
