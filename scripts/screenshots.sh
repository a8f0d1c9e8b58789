#!/usr/bin/env bash
# Remake the pictures in the docs with htkg's own code:
#   docs/map-vietnam-top10.png  htkg map --focus Vietnam --top 10 (the PNG renderer)  } from the
#   docs/nation-view.png        htkg query nation-source-countries, caveat and all    } data that
#                               (scripts/screenshot-readme.py)                        } ships
#   docs/map-overview.png       the HTML map of Nigeria in headless Chromium, network cut off,
#                               from the team's shared data
#   docs/report-nigeria.png     is made by scripts/screenshot-report.py
# Usage: bash scripts/screenshots.sh   (SHARED=path/to/shared if not ../shared)
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED=${SHARED:-../shared}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
.venv/bin/python scripts/screenshot-readme.py
.venv/bin/htkg build "$SHARED/data/nrm" "$SHARED/data/nrm-archive" --db "$WORK/store" --no-map \
  > /dev/null
.venv/bin/htkg map --db "$WORK/store" --focus Nigeria -o "$WORK/nigeria.html"
.venv/bin/python tests/browser.py "$WORK/nigeria.html" docs/map-overview.png --size 1400x1080 \
  --find "Salvation Army"
