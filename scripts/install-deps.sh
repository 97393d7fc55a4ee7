#!/usr/bin/env bash
# Installs every Debian package HọcVụ needs, and nothing else.
#   scripts/install-deps.sh          build and run the platform
#   scripts/install-deps.sh --test   also what the test suite needs (PostgreSQL server, chromium, node,
#                                    wrk, the sqlite3 shell that checks a restored backup)
#   scripts/install-deps.sh --bench  also what bench/ needs (wrk, nginx)
# Idempotent: packages already present are not reinstalled, and apt-get update runs only when needed.
set -euo pipefail

want_test=0; want_bench=0
for arg in "$@"; do
  case "$arg" in
    --test) want_test=1 ;;
    --bench) want_bench=1 ;;
    *) echo "install-deps: unknown option '$arg' (use --test or --bench)" >&2; exit 2 ;;
  esac
done

packages=(
  g++ cmake ninja-build pkg-config
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libsqlite3-dev libpq-dev libsodium-dev zlib1g-dev libkainjow-mustache-dev
  libcmark-gfm-dev libcmark-gfm-extensions-dev libyaml-cpp-dev libzip-dev libxml2-dev
)
if [ "$want_test" = 1 ]; then
  packages+=(libgtest-dev libgmock-dev postgresql-15 chromium clang libclang-rt-14-dev curl ffmpeg sqlite3)
  # Every benchmark's smoke mode runs in the test command (bench/smoke.cmake): wrk, no nginx.
  packages+=(wrk libbenchmark-dev python3)
  command -v node >/dev/null 2>&1 || packages+=(nodejs)
  command -v npm >/dev/null 2>&1 || packages+=(npm)
fi
if [ "$want_bench" = 1 ]; then
  packages+=(wrk nginx libbenchmark-dev curl python3)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if [ "${#missing[@]}" -gt 0 ]; then
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  echo "install-deps: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
echo "install-deps: all packages present"
