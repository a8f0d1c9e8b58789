#!/usr/bin/env bash
# Remake the pictures of maps in the docs from the team's shared data, with htkg's own code:
#   docs/map-vietnam-top10.png  htkg map --focus Vietnam --top 10 (the PNG renderer)
#   docs/map-overview.png       the HTML map of Nigeria in headless Chromium, network cut off
# Usage: bash scripts/screenshots.sh   (SHARED=path/to/shared if not ../shared)
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED=${SHARED:-../shared}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
.venv/bin/htkg build "$SHARED/data/nrm" "$SHARED/data/nrm-archive" --db "$WORK/store" --no-map \
  > /dev/null
.venv/bin/htkg map --db "$WORK/store" --focus Vietnam --top 10 -o docs/map-vietnam-top10.png
.venv/bin/htkg map --db "$WORK/store" --focus Nigeria -o "$WORK/nigeria.html"
.venv/bin/python tests/browser.py "$WORK/nigeria.html" docs/map-overview.png --size 1400x1080 \
  --find "Salvation Army"
