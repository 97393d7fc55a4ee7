#!/usr/bin/env bash
# Runs the browser tests against the server binary named by HOCVU_BINARY, e.g.
#   HOCVU_BINARY=build/hocvu tests/browser/run.sh
# Installs the locked npm packages first when node_modules is missing or older than package-lock.json.
# Optional: HOCVU_TEST_DATABASE_URL (run the server on that database instead of SQLite),
#           HOCVU_TEST_CHROMIUM (browser binary, default /usr/bin/chromium).
set -euo pipefail

if [ -z "${HOCVU_BINARY:-}" ]; then
  echo "tests/browser/run.sh: HOCVU_BINARY is not set (the path of the built hocvu server)" >&2
  exit 2
fi
case "$HOCVU_BINARY" in /*) ;; *) HOCVU_BINARY="$PWD/$HOCVU_BINARY" ;; esac
if [ ! -f "$HOCVU_BINARY" ] || [ ! -x "$HOCVU_BINARY" ]; then
  echo "tests/browser/run.sh: HOCVU_BINARY=$HOCVU_BINARY is not an executable file" >&2
  exit 2
fi
export HOCVU_BINARY

cd "$(dirname "${BASH_SOURCE[0]}")"
command -v node >/dev/null || { echo "tests/browser/run.sh: node is not installed (scripts/install-deps.sh --test)" >&2; exit 2; }

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules ]; then
  npm ci --no-audit --no-fund
  touch node_modules
fi

exec node --test --test-reporter=spec ./*.test.mjs
