#!/usr/bin/env bash
# Builds a libFuzzer target with clang in its own build tree and runs it for a while.
#   tests/fuzz/run.sh <build-dir> <target> <seconds>
# The seed corpus is the request-target cases of tests/data; new inputs found go to
# <build-dir>/corpus-<target>. A crash leaves its input in <build-dir> and fails the run.
set -euo pipefail
mkdir -p "$1"
build="$(cd "$1" && pwd)"; target="$2"; seconds="$3"
src="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
command -v clang++ >/dev/null || { echo "fuzz/run.sh: clang++ not found (scripts/install-deps.sh --test)" >&2; exit 1; }
if [ ! -f "$build/build.ninja" ]; then
  cmake -S "$src" -B "$build" -G Ninja -DHOCVU_FUZZ=ON -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=Debug >/dev/null
fi
ninja -C "$build" "$target" >/dev/null
corpus="$build/corpus-$target"
seeds="$build/seeds-$target"
mkdir -p "$corpus" "$seeds"
# Seeds: the first column of the target's data tables, one file per line.
case "$target" in
  request_target_fuzz) tables=(request_targets.tsv) ;;
  text_fuzz) tables=(search_folding.tsv nfc.tsv) ;;
  *) tables=() ;;
esac
i=0
for table in "${tables[@]}"; do
  grep -v '^#' "$src/tests/data/$table" | cut -f1 | while IFS= read -r line; do
    i=$((i + 1)); printf '%s' "$line" > "$seeds/$table-$i"
  done
done
cd "$build"
exec "./$target" -max_total_time="$seconds" -timeout=5 -rss_limit_mb=2048 -print_final_stats=1 "$corpus" "$seeds"
