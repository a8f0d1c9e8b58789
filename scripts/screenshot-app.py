"""Make the README's pictures of the app: an entity page and a country page, as served.

Builds the shared NRM tables and the seed minutes into a temporary store (or reads
--db), starts `htkg app` on a free loopback port (bench/bench_app.py's launcher,
stopped on every path), opens the pages in headless Chromium (tests/browser.py)
that may resolve no address but 127.0.0.1, and saves each:

    .venv/bin/python scripts/screenshot-app.py         # docs/app-entity.png, docs/app-country.png
    .venv/bin/python scripts/screenshot-app.py --db ./store --entity "Home Office"

It refuses to save a picture of a page that logged an error or asked for anything
beyond the app.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

SIZE = (1280, 1400)
LOCAL_ONLY = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"


def shoot(url: str, pages: list[tuple[str, str, Path]]) -> None:
    """Open each (path, what to wait for, picture) of the app and save the window."""
    from browser import Browser
    with Browser(width=SIZE[0], height=SIZE[1], offline=False, flags=(LOCAL_ONLY,)) as b:
        for path, ready, out in pages:
            b.visit(url + path)
            b.wait_for("return document.documentElement.getAttribute('data-app-ready')", 60)
            b.wait_for(ready, 60)
            time.sleep(1.0)
            errors = b.console_errors()
            outside = [u for u in b.requests() if not u.startswith((url, "data:", "about:"))]
            if errors or outside:
                sys.exit(f"screenshot-app: {path} logged {errors} and asked for {outside}")
            b.screenshot(out)
            print(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path, help="a store to read (default: build the shared data "
                                            "into a temporary one)")
    ap.add_argument("--entity", default="The Salvation Army")
    ap.add_argument("--country", default="Nigeria")
    ap.add_argument("--out", type=Path, default=ROOT / "docs")
    args = ap.parse_args()
    from bench_app import App
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db
        if db is None:   # the full real data, built as the report benchmark builds it
            from bench_reports import build
            db = Path(tmp) / "store"
            print(build(db))
        app = App(db, timeout=60)
        try:
            url = f"http://127.0.0.1:{app.port}"
            report_ready = ("var f = document.getElementById('report-frame'); return f && "
                            "f.contentDocument && f.contentDocument.readyState === 'complete'"
                            " && f.offsetHeight > 1000")
            shoot(url, [(f"/entity/{quote(args.entity)}", "return !!document.querySelector("
                         "'#referrals svg, #relationships')", args.out / "app-entity.png"),
                        (f"/country/{quote(args.country)}", report_ready,
                         args.out / "app-country.png")])
        finally:
            app.stop()


if __name__ == "__main__":
    main()
