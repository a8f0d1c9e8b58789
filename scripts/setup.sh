#!/usr/bin/env bash
# Set up htkg in ./.venv. With --test, also the test extras and the headless
# browser the map tests drive. Safe to run again: it only adds what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
if [ "${1:-}" = "--test" ]; then
  .venv/bin/python -m pip install --quiet -e '.[test]'
  # The map tests drive Debian's headless Chromium; without root or sudo it
  # cannot be installed here, and those tests skip saying so.
  bash scripts/install-browser.sh || echo "setup: Chromium not installed; the browser tests will be skipped" >&2
else
  .venv/bin/python -m pip install --quiet -e .
fi
