#!/usr/bin/env bash
# One-time set-up on a fresh Debian machine with Node 20: Debian's Chromium (for the real-browser
# tests, the demo and the benchmark) and the npm packages. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null 2>&1 && [ ! -x /usr/bin/chromium ]; then
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium fonts-noto-core >/dev/null
fi
# `npm ci` refuses this lock: the registry mirror lacks some platform builds of rollup that
# rollup lists as optional (android, freebsd, …), so they cannot be in the lock; `npm install`
# installs exactly the locked versions and skips the optional ones it cannot get.
npm install --no-audit --no-fund
