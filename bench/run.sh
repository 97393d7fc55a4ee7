#!/usr/bin/env bash
# One command for every benchmark: builds a Release tree with the micro-benchmarks, runs them
# (Google Benchmark), then the HTTP load comparison against nginx (bench/http/run.sh, which
# takes its own options, e.g. --duration 10). Record what you measure in docs/performance.md.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/install-deps.sh --bench
cmake -S . -B build-release -G Ninja -DCMAKE_BUILD_TYPE=Release -DHOCVU_TESTS=OFF -DHOCVU_BENCH=ON >/dev/null
ninja -C build-release hocvu hocvu_micro_bench hocvu_import_bench
# Each benchmark runs even when an earlier one failed a check or missed a target; the exit
# status is 1 when any did.
failed=()
echo "== micro-benchmarks =="
build-release/hocvu_micro_bench --benchmark_min_time=0.5 || failed+=(micro)
echo "== importing 100,000 people into SQLite =="
build-release/hocvu_import_bench 100000 5000 || failed+=(import)
echo "== learning: lesson page, progress heartbeats and catalogue search with 100,000 learners =="
HOCVU_BINARY="$PWD/build-release/hocvu" python3 bench/http/learning_load.py || failed+=(learning_load)
echo "== exam day: 10,000 learners taking a 20-question final exam, then start and save throughput (SQLite, PostgreSQL) =="
HOCVU_BINARY="$PWD/build-release/hocvu" python3 bench/http/exam_day.py || failed+=(exam_day)
echo "== HTTP: hocvu next to nginx =="
HOCVU_BINARY="$PWD/build-release/hocvu" bench/http/run.sh "$@" || failed+=(http)
if [ "${#failed[@]}" -gt 0 ]; then
  echo "bench/run.sh: failed a check or missed a target: ${failed[*]} (see their reports above)" >&2
  exit 1
fi
