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
  if [ -x scripts/install-browser.sh ] || [ -f scripts/install-browser.sh ]; then
    bash scripts/install-browser.sh
  fi
else
  .venv/bin/python -m pip install --quiet -e .
fi
