#!/usr/bin/env bash
# Runs a command against a fresh database on the test PostgreSQL server started by start.sh.
#   tests/postgres/with_database.sh <state-dir> <command> [args...]
# Creates a uniquely named database, exports HOCVU_TEST_DATABASE_URL for the command, and drops
# the database afterwards, so that test binaries running in parallel never share tables.
set -uo pipefail
state="$1"; shift
url_file="$state/url"
[ -s "$url_file" ] || { echo "with_database.sh: no PostgreSQL URL in $url_file (did postgres.start run?)" >&2; exit 1; }
base_url="$(cat "$url_file")"
name="hocvu_t_$$_${RANDOM}"
psql_bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)/psql"
[ -x "$psql_bin" ] || psql_bin=psql
"$psql_bin" -X -q -v ON_ERROR_STOP=1 "$base_url" -c "CREATE DATABASE $name" || exit 1
export HOCVU_TEST_DATABASE_URL="${base_url%/*}/$name"
"$@"
rc=$?
"$psql_bin" -X -q "$base_url" -c "DROP DATABASE IF EXISTS $name WITH (FORCE)" >/dev/null 2>&1 || true
exit $rc
