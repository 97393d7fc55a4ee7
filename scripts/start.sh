#!/usr/bin/env bash
# One command for a newcomer: installs what HọcVụ needs, builds it, loads the demo content into
# the embedded SQLite database and serves the platform at http://127.0.0.1:8080 (HOCVU_LISTEN
# changes that). Stop it with Ctrl-C. Data lives in ./hocvu-data unless HOCVU_DATA_DIR says otherwise.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

scripts/install-deps.sh
cmake -S . -B build-release -G Ninja -DCMAKE_BUILD_TYPE=Release -DHOCVU_TESTS=OFF >/dev/null
ninja -C build-release hocvu

export HOCVU_DATA_DIR="${HOCVU_DATA_DIR:-$PWD/hocvu-data}"
export HOCVU_LISTEN="${HOCVU_LISTEN:-127.0.0.1:8080}"
build-release/hocvu seed --demo
echo "HọcVụ: http://${HOCVU_LISTEN} (Ctrl-C to stop)"
exec build-release/hocvu serve
