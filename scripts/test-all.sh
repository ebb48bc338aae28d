#!/usr/bin/env bash
# Everything CI needs, in order of cost: types, unit tests, builds (Chrome MV3 and Firefox),
# web-ext lint, real-browser tests. Stops at the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."
step() { printf '\n=== %s ===\n' "$1"; }
step "typecheck";        npm run --silent typecheck
step "unit tests";       npm run --silent test:unit
step "build (chrome)";   npm run --silent build >/dev/null
step "build + lint (firefox)"; npm run --silent lint
step "real-browser tests"; npm run --silent test:e2e
