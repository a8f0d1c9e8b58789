"""Make the README's pictures of a map and a nation view, from the data that ships.

Builds the bundled data into a temporary store as ``htkg build`` does (or reads --db), then:

* ``docs/map-vietnam-top10.png``: ``htkg map --focus Vietnam --top 10`` (the map's own
  PNG renderer);
* ``docs/nation-view.png``: what ``htkg query nation-source-countries -p year=2023
  -p quarter=4 -p limit=3`` prints, caveat and all (the command's own rendering, at 200
  characters so that its columns do not fold), drawn in headless Chromium
  (tests/browser.py) with the network cut off.

    .venv/bin/python scripts/screenshot-readme.py               # both, into docs/
    .venv/bin/python scripts/screenshot-readme.py --db ./store --out /tmp

It refuses to save a picture of a page that logged an error or asked the network for
anything.
"""
from __future__ import annotations

import argparse
import base64
import html
import shlex
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

MAP = ["map", "--focus", "Vietnam", "--top", "10"]
NATION_VIEW = ("nation-source-countries", {"year": "2023", "quarter": "4", "limit": "3"})
WIDTH = 200        # characters: the table's columns side by side, none folded
PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>{title}</title><style>
body {{ margin: 0; background: #fff; }}
pre {{ margin: 0; padding: 16px 20px; font: 12px/1.35 "DejaVu Sans Mono", monospace;
       color: #1b1b1b; white-space: pre-wrap; width: {width}ch; }}
.prompt {{ color: #555; }}
</style></head><body><pre><span class="prompt">$ {command}</span>
{text}</pre></body></html>
"""


def the_map(db: str, out: Path) -> None:
    from click.testing import CliRunner
    from htkg.cli import main
    result = CliRunner().invoke(main, [*MAP, "--db", db, "-o", str(out)])
    if result.exit_code != 0:
        sys.exit(f"screenshot-readme: htkg map failed: {result.output}")


def nation_view_text(db: str) -> tuple[str, str]:
    """(the command, what it prints) for the nation view, through htkg's own code."""
    from htkg.commands.queries import shown
    from htkg.graph.store import open_store
    from htkg.queries import load_catalogue, run_query
    name, params = NATION_VIEW
    query = load_catalogue().get(name)
    with open_store(db) as store:
        result = run_query(store, query, params)
    command = " ".join(["htkg query", name, *(f"-p {k}={v}" for k, v in params.items())])
    return command, shown(result.columns, result.rows, "table", query.caveat, width=WIDTH)


def picture(page: Path, out: Path) -> None:
    from browser import Browser
    with Browser(width=1500, height=900) as b:
        b.open(page, wait_ready=None)
        b.wait_for("return document.readyState === 'complete'")
        time.sleep(0.3)
        errors = b.console_errors()
        outside = [u for u in b.requests() if not u.startswith("file://")]
        if errors or outside:
            sys.exit(f"screenshot-readme: the page logged {errors} and asked for {outside}")
        w, h = b.js("const p = document.querySelector('pre').getBoundingClientRect();"
                    "return [Math.ceil(p.width), Math.ceil(p.height)];")
        shot = b.driver.execute_cdp_cmd("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": w, "height": h, "scale": 1}})
        out.write_bytes(base64.b64decode(shot["data"]))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", help="a store to read (default: build the bundled data into a "
                                 "temporary one)")
    ap.add_argument("--out", type=Path, default=ROOT / "docs", help="folder for the pictures")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db
        if db is None:
            import htkg
            db = str(Path(tmp) / "store")
            htkg.build([], db)
        the_map(db, args.out / "map-vietnam-top10.png")
        print(args.out / "map-vietnam-top10.png", "<-", "htkg", shlex.join(MAP))
        command, text = nation_view_text(db)
        page = Path(tmp) / "nation-view.html"
        page.write_text(PAGE.format(title=html.escape(command), width=WIDTH,
                                    command=html.escape(command), text=html.escape(text)),
                        encoding="utf-8")
        picture(page, args.out / "nation-view.png")
        print(args.out / "nation-view.png", "<-", command)


if __name__ == "__main__":
    main()
