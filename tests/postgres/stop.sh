#!/usr/bin/env bash
# Stops the test cluster started by tests/postgres/start.sh <state-dir> and deletes its data.
#   tests/postgres/stop.sh <state-dir>
# Exits 0 when nothing is running (or the state dir does not exist); safe to run any number of times.
set -uo pipefail

[ $# -eq 1 ] && [ -n "$1" ] || { echo "usage: $0 <state-dir>" >&2; exit 2; }
[ -d "$1" ] || exit 0
state="$(cd "$1" && pwd -P)"
pgdata="$state/pgdata"
say() { echo "postgres/stop.sh: $*" >&2; }

if [ -n "${PG_BIN:-}" ]; then
  bindir="$PG_BIN"
elif [ -x /usr/lib/postgresql/15/bin/pg_ctl ]; then
  bindir=/usr/lib/postgresql/15/bin
else
  bindir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
  [ -n "$bindir" ] && [ -x "$bindir/pg_ctl" ] || bindir="$(dirname "$(command -v pg_ctl 2>/dev/null || echo /nonexistent/pg_ctl)")"
fi

if [ "$(id -u)" = 0 ] && id -u postgres >/dev/null 2>&1; then
  as_owner() { (cd / && runuser -u postgres -- "$@"); }
else
  as_owner() { (cd / && "$@"); }
fi

# PID of the postmaster recorded in pgdata, if that process is still alive.
live_pid() {
  local pid
  [ -f "$pgdata/postmaster.pid" ] || return 1
  pid="$(head -n 1 "$pgdata/postmaster.pid" 2>/dev/null)"
  [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null || return 1
  # Make sure the PID was not reused by something else.
  case "$(cat "/proc/$pid/comm" 2>/dev/null)" in postgres|postmaster) ;; *) return 1 ;; esac
  echo "$pid"
}

status=0
if pid="$(live_pid)"; then
  say "stopping server (pid $pid) in $pgdata"
  if [ -x "$bindir/pg_ctl" ]; then
    as_owner "$bindir/pg_ctl" stop --pgdata="$pgdata" -m fast --wait --timeout=30 --silent >&2 ||
      as_owner "$bindir/pg_ctl" stop --pgdata="$pgdata" -m immediate --wait --timeout=10 --silent >&2 || true
  fi
  if pid="$(live_pid)"; then
    say "pg_ctl could not stop pid $pid; killing it"
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then say "pid $pid is still alive"; status=1; fi
  fi
fi

if [ "$status" = 0 ]; then
  rm -rf "$pgdata" "$state/sock" "$state/url"
  if [ -f "$state/sockdir" ]; then
    sockdir="$(cat "$state/sockdir")"
    case "$sockdir" in /tmp/hocvu-pgsock.*) rm -rf "$sockdir" ;; esac
    rm -f "$state/sockdir"
  fi
fi
exit "$status"
