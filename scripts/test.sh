#!/usr/bin/env bash
# One command for the whole test suite: installs what the tests need (PostgreSQL server, chromium,
# clang for the fuzzer, Node packages), builds, and runs every test through CTest: unit tests,
# the storage suite and HTTP tests on SQLite and on a throwaway PostgreSQL server, browser tests
# in real chromium with axe-core, and a time-boxed libFuzzer run. Ends with CTest's summary.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

scripts/install-deps.sh --test
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHOCVU_TESTS=ON >/dev/null
ninja -C build
# Two cores: the suites run side by side (PostgreSQL ones each get their own database).
exec ctest --test-dir build --output-on-failure -j "$(nproc)" "$@"
