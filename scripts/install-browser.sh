#!/usr/bin/env bash
# Install the headless browser the map tests drive: Debian's chromium and
# chromium-driver, and a font so that labels draw. Idempotent and quick when
# they are already there; runs 'apt-get update' only when the package lists
# do not know them yet.
# Needs root (or sudo) for apt-get.
set -euo pipefail

PACKAGES=(chromium chromium-driver fonts-dejavu-core)

installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}

missing=()
for p in "${PACKAGES[@]}"; do
  installed "$p" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ] && command -v chromedriver >/dev/null; then
  echo "install-browser: ${PACKAGES[*]} already installed"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null; then
    SUDO="sudo"
  else
    echo "install-browser: need root (or sudo) to install: ${missing[*]}" >&2
    exit 1
  fi
fi

export DEBIAN_FRONTEND=noninteractive
known() {
  apt-cache show "$1" >/dev/null 2>&1 \
    && [ -n "$(apt-cache policy "$1" | awk '/Candidate:/ {print $2}' | grep -v '(none)')" ]
}
need_update=0
for p in "${missing[@]}"; do
  known "$p" || need_update=1
done
if [ "$need_update" -eq 1 ]; then
  $SUDO apt-get update -qq
fi
if ! $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; then
  # Package lists older than the mirror name files that are gone: refresh once, retry.
  [ "$need_update" -eq 1 ] && exit 1
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
echo "install-browser: installed ${missing[*]}"
chromium --version 2>/dev/null || true
