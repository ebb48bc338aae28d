#!/usr/bin/env bash
# Everything CI needs: types, both builds (the manifest and bundle tests read them), web-ext lint,
# unit tests, real-browser tests. Stops at the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."
step() { printf '\n=== %s ===\n' "$1"; }
step "typecheck";                npm run --silent typecheck
step "build (chrome)";           npm run --silent build >/dev/null
step "build + lint (firefox)";   npm run --silent lint
step "unit tests";               npm run --silent test:unit
step "real-browser tests";       npm run --silent test:e2e
