#!/usr/bin/env bash
# Builds a libFuzzer target with clang (ASan and UBSan, UBSan errors fatal) in its own build tree
# and runs it.
#   tests/fuzz/run.sh <build-dir> <target> <seconds> [<runs>]
# Runs for <seconds>, or until <runs> inputs have been executed when <runs> is given (the long
# runs recorded in docs/testing.md: FUZZ_TIMEOUT=30 tests/fuzz/run.sh build/fuzz csv_fuzz 86400 10000000).
# Seeds are made from tests/data (seeds.sh) into <build-dir>/seeds-<target>; new inputs found go
# to <build-dir>/corpus-<target>. A crash leaves its input in <build-dir> and fails the run.
set -euo pipefail
mkdir -p "$1"
build="$(cd "$1" && pwd)"; target="$2"; seconds="$3"; runs="${4:-}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
src="$(cd "$here/../.." && pwd)"
command -v clang++ >/dev/null || { echo "fuzz/run.sh: clang++ not found (scripts/install-deps.sh --test)" >&2; exit 1; }
if [ ! -f "$build/build.ninja" ]; then
  cmake -S "$src" -B "$build" -G Ninja -DHOCVU_FUZZ=ON -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=Debug >/dev/null
fi
ninja -C "$build" "$target" >/dev/null
corpus="$build/corpus-$target"
seeds="$build/seeds-$target"
mkdir -p "$corpus"
rm -rf "$seeds"
"$here/seeds.sh" "$target" "$seeds"
cd "$build"
# UBSan reports are fatal (-fno-sanitize-recover at build time); print their stack too.
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
# FUZZ_TIMEOUT (seconds one input may take, default 5): long runs at nice 19 on a loaded machine
# raise it, since a starved process can pass 5 s on an input that takes 0.2 s alone.
args=(-max_total_time="$seconds" -timeout="${FUZZ_TIMEOUT:-5}" -rss_limit_mb=2048 -print_final_stats=1)
[ -n "$runs" ] && args+=(-runs="$runs")
exec "./$target" "${args[@]}" "$corpus" "$seeds"
