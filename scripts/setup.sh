#!/usr/bin/env bash
# Set up htkg in ./.venv. With --test, also the test extras and the headless
# browser the map tests drive. Safe to run again: it only adds what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
# pip's own notes (setuptools' warnings about the editable install and the data
# folders) go to a log, shown only if the install fails.
LOG=.venv/setup.log
pip_install() {
  if ! .venv/bin/python -m pip install --quiet "$@" >"$LOG" 2>&1; then
    cat "$LOG" >&2
    echo "setup: 'pip install $*' failed; the output above is also in $LOG" >&2
    exit 1
  fi
}
pip_install --upgrade pip
if [ "${1:-}" = "--test" ]; then
  pip_install -e '.[test]'
  # The map tests drive Debian's headless Chromium; without root or sudo it
  # cannot be installed here, and those tests skip saying so.
  bash scripts/install-browser.sh || echo "setup: Chromium not installed; the browser tests will be skipped" >&2
else
  pip_install -e .
fi
echo "setup: htkg is installed in .venv (pip's log: $LOG)"
