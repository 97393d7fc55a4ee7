#!/usr/bin/env bash
# Starts a throwaway PostgreSQL 15 cluster for the test suite.
#   tests/postgres/start.sh <state-dir>
# Creates <state-dir>/pgdata afresh (stopping and deleting any old cluster there), listens only on
# 127.0.0.1 on a free TCP port with trust auth, creates the database hocvu_test, writes
#   postgresql://postgres@127.0.0.1:<port>/hocvu_test
# to <state-dir>/url and prints it on stdout (progress goes to stderr). Stop it with stop.sh.
# As root, pgdata, the socket dir and the log are chowned to the `postgres` user and the server runs as
# that user (PostgreSQL refuses to run as root); the state dir must be traversable by it.
set -euo pipefail

die() {
  echo "postgres/start.sh: $*" >&2
  if [ -n "${log:-}" ] && [ -f "$log" ]; then
    echo "---- last lines of $log ----" >&2
    tail -n 40 "$log" >&2 || true
    echo "----" >&2
  fi
  exit 1
}
say() { echo "postgres/start.sh: $*" >&2; }

[ $# -eq 1 ] && [ -n "$1" ] || { echo "usage: $0 <state-dir>" >&2; exit 2; }

# Locate the server binaries: PG_BIN, then Debian's PostgreSQL 15 (or newest), then PATH.
if [ -n "${PG_BIN:-}" ]; then
  bindir="$PG_BIN"
elif [ -x /usr/lib/postgresql/15/bin/initdb ]; then
  bindir=/usr/lib/postgresql/15/bin
else
  bindir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
  if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
    bindir="$(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent/initdb)")"
  fi
fi
for tool in initdb pg_ctl pg_isready psql; do
  [ -x "$bindir/$tool" ] || die "cannot find $tool (looked in $bindir; set PG_BIN or run scripts/install-deps.sh --test)"
done

mkdir -p "$1" || die "cannot create state dir '$1'"
state="$(cd "$1" && pwd -P)"
pgdata="$state/pgdata"
log="$state/postgres.log"
url_file="$state/url"
sockdir_file="$state/sockdir"
superuser=postgres

# Run a command as the cluster owner: `postgres` when we are root, ourselves otherwise.
if [ "$(id -u)" = 0 ]; then
  id -u postgres >/dev/null 2>&1 || die "running as root but there is no 'postgres' user to run the server as"
  owner=postgres
  as_owner() { (cd / && runuser -u postgres -- "$@"); }
else
  owner="$(id -un)"
  as_owner() { (cd / && "$@"); }
fi

# 1. Get rid of any previous cluster in this state dir (stop.sh is idempotent and quiet when none).
"$(dirname "${BASH_SOURCE[0]}")/stop.sh" "$state" >&2 || die "could not stop the old cluster in $state"
rm -f "$url_file" "$log"

# pgdata, the socket dir and the log belong to the cluster owner; the state dir itself keeps its
# owner and only needs to be reachable by the cluster owner.
mkdir -p "$pgdata" || die "cannot create $pgdata"
chmod 700 "$pgdata"
: >"$log"
if [ "$owner" != "$(id -un)" ]; then
  chown "$owner:" "$pgdata" "$log" || die "cannot chown $pgdata to $owner"
  as_owner test -w "$pgdata" -a -w "$log" ||
    die "user $owner cannot reach $state (a parent directory is not traversable?); use a state dir under e.g. /tmp or the build tree"
fi

# The unix socket path (<dir>/.s.PGSQL.<port>) must fit in sun_path (107 bytes); a deep build tree
# may not, so fall back to a private directory under /tmp and remember it for stop.sh.
sockdir="$state/sock"
if [ "${#sockdir}" -gt 80 ]; then
  sockdir="$(mktemp -d /tmp/hocvu-pgsock.XXXXXX)" || die "cannot create a socket dir under /tmp"
  echo "$sockdir" >"$sockdir_file"
else
  mkdir -p "$sockdir"
fi
[ "$owner" = "$(id -un)" ] || chown "$owner:" "$sockdir"
chmod 700 "$sockdir"

# 2. A fresh cluster.
say "initdb in $pgdata"
as_owner "$bindir/initdb" --pgdata="$pgdata" --username="$superuser" --auth=trust \
  --encoding=UTF8 --locale=C.UTF-8 --no-sync --no-instructions >>"$log" 2>&1 ||
  die "initdb failed"

# 3. A free TCP port on 127.0.0.1 (not 5432). Ask the kernel for an ephemeral one when python3 is
# around, else probe random ports with bash's /dev/tcp; retried below if the server cannot bind it.
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
pick_port() {
  local p
  if command -v python3 >/dev/null 2>&1 &&
     p="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()' 2>/dev/null)" &&
     [ -n "$p" ] && [ "$p" != 5432 ] && ! port_in_use "$p"; then
    echo "$p"; return 0
  fi
  for _ in $(seq 1 200); do
    p=$(( 20000 + (RANDOM * 32768 + RANDOM) % 40000 ))
    [ "$p" != 5432 ] || continue
    port_in_use "$p" || { echo "$p"; return 0; }
  done
  return 1
}

started=0
for attempt in 1 2 3 4 5; do
  port="$(pick_port)" || die "could not find a free TCP port on 127.0.0.1"
  # postgresql.auto.conf is read last, so rewrite it whole on each attempt.
  cat >"$pgdata/postgresql.auto.conf" <<CONF
# Written by tests/postgres/start.sh: throwaway test cluster, durability off on purpose.
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$sockdir'
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
logging_collector = off
log_min_messages = warning
CONF
  [ "$owner" = "$(id -un)" ] || chown "$owner:" "$pgdata/postgresql.auto.conf"
  say "starting server on 127.0.0.1:$port (attempt $attempt)"
  log_offset=$(( $(stat -c %s "$log") + 1 ))
  if as_owner "$bindir/pg_ctl" start --pgdata="$pgdata" --log="$log" --wait --timeout=60 --silent >>"$log" 2>&1; then
    started=1
    break
  fi
  # Lost a race for the port? Then try another one; any other failure is final.
  if tail -c +"$log_offset" "$log" | grep -qiE 'could not (bind|create listen socket)|address already in use'; then
    as_owner "$bindir/pg_ctl" stop --pgdata="$pgdata" -m immediate --silent >/dev/null 2>&1 || true
    continue
  fi
  die "pg_ctl start failed"
done
[ "$started" = 1 ] || die "could not start the server on a free port after 5 attempts"

# 4. Wait until it accepts TCP connections, then create the database.
ready=0
for _ in $(seq 1 100); do
  if "$bindir/pg_isready" -q -h 127.0.0.1 -p "$port" -U "$superuser" -d postgres; then ready=1; break; fi
  sleep 0.2
done
[ "$ready" = 1 ] || die "server on 127.0.0.1:$port did not accept connections within 20 s"

"$bindir/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U "$superuser" -d postgres \
  -c 'CREATE DATABASE hocvu_test' >>"$log" 2>&1 || die "could not create database hocvu_test"
"$bindir/pg_isready" -q -h 127.0.0.1 -p "$port" -U "$superuser" -d hocvu_test ||
  die "database hocvu_test is not reachable"

url="postgresql://$superuser@127.0.0.1:$port/hocvu_test"
echo "$url" >"$url_file"
say "ready: $url (data $pgdata, log $log)"
echo "$url"
