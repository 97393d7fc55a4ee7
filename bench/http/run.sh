#!/usr/bin/env bash
# HTTP benchmark: `hocvu serve` against nginx serving the same bytes, side by side.
#
#   bench/http/run.sh [--duration 10] [--connections 256] [--threads 2] [--warmup 2]
#                     [--idle-connections 10000] [--hold 5] [--static-path /static/...]
#                     [--keep-tmp] [--check] [--smoke]
#
# Starts `$HOCVU_BINARY serve` (default build-release/hocvu) and an nginx of its own on
# free loopback ports, copies each hocvu response body into nginx's root (same bytes,
# same Content-Type), then for every case runs wrk against both servers, alternating,
# each after a short warm-up, and prints req/s, p50, p99 and the hocvu/nginx ratio.
# Then holds --idle-connections idle keep-alive connections against each server
# (idle_connections.py) and reports their memory. Writes the report as Markdown to
# bench/out/http-<date>.md and wrk's raw output beside it (.log).
# Both servers are stopped on exit, also on Ctrl-C or failure. See bench/README.md.
# Exits 1 when a check fails (a case hocvu does not answer, an error in a wrk run, an idle
# connection dropped or not reused), and with --check when a target is missed.
# --smoke (the test command's): hocvu alone, no nginx, 1 s per case with 8 connections, 200 idle
# connections held 1 s, every case required, no report file and no speed targets.
# shellcheck disable=SC2015,SC2016,SC2317  # a && b || c on purpose; literal backquotes; trap-called functions
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"

duration=10
connections=256
threads=2
warmup=2
idle_n=10000
hold=5
static_path=""
keep_tmp=0
check=0
smoke=0

usage() { sed -n '2,/^# shellcheck/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; }
need_value() { [ $# -ge 2 ] && [ -n "$2" ] || { echo "run.sh: $1 needs a value" >&2; exit 2; }; }
while [ $# -gt 0 ]; do
  case "$1" in
    --*=*) set -- "${1%%=*}" "${1#*=}" "${@:2}"; continue ;;
    --duration) need_value "$@"; duration="$2"; shift 2 ;;
    --connections) need_value "$@"; connections="$2"; shift 2 ;;
    --threads) need_value "$@"; threads="$2"; shift 2 ;;
    --warmup) need_value "$@"; warmup="$2"; shift 2 ;;
    --idle-connections) need_value "$@"; idle_n="$2"; shift 2 ;;
    --hold) need_value "$@"; hold="$2"; shift 2 ;;
    --static-path) need_value "$@"; static_path="$2"; shift 2 ;;
    --keep-tmp) keep_tmp=1; shift ;;
    --check) check=1; shift ;;
    --smoke) smoke=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "run.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
if [ "$smoke" = 1 ]; then
  duration=1; connections=8; warmup=0; idle_n=200; hold=1
fi
for v in duration connections threads warmup idle_n hold; do
  [[ "${!v}" =~ ^[0-9]+$ ]] || { echo "run.sh: --${v/_n/-connections} must be a whole number, got '${!v}'" >&2; exit 2; }
done
[ "$duration" -ge 1 ] && [ "$connections" -ge 1 ] && [ "$threads" -ge 1 ] \
  || { echo "run.sh: --duration, --connections and --threads must be at least 1" >&2; exit 2; }
[ "$connections" -ge "$threads" ] || { echo "run.sh: wrk needs --connections >= --threads" >&2; exit 2; }

HOCVU_BINARY="${HOCVU_BINARY:-$repo/build-release/hocvu}"
web_dir="${HOCVU_WEB_DIR:-$repo/web}"
tools=(wrk nginx curl python3)
[ "$smoke" = 1 ] && tools=(wrk curl python3)
for tool in "${tools[@]}"; do
  command -v "$tool" >/dev/null 2>&1 \
    || { echo "run.sh: '$tool' not found (scripts/install-deps.sh --bench installs wrk, nginx and curl)" >&2; exit 2; }
done
[ -x "$HOCVU_BINARY" ] || { echo "run.sh: no executable hocvu at $HOCVU_BINARY (build it, or set HOCVU_BINARY)" >&2; exit 2; }

say() { printf '%s\n' "$*" >&2; }

# ---- open-file limit: both servers and the idle-connection client inherit it
want_nofile=$(( idle_n + connections + 4096 ))
[ "$want_nofile" -ge 65536 ] || want_nofile=65536
hard_nofile="$(ulimit -Hn)"
if [ "$hard_nofile" != unlimited ] && [ "$hard_nofile" -lt "$want_nofile" ]; then
  ulimit -Hn "$want_nofile" 2>/dev/null || true   # root without CAP_SYS_RESOURCE cannot; fine if it suffices
  hard_nofile="$(ulimit -Hn)"
fi
if [ "$hard_nofile" = unlimited ] || [ "$hard_nofile" -ge "$want_nofile" ]; then
  ulimit -Sn "$want_nofile"
else
  ulimit -Sn "$hard_nofile"
fi
nofile="$(ulimit -Sn)"
if [ "$idle_n" -gt 0 ] && [ "$nofile" -lt $(( idle_n + 512 )) ]; then
  say "run.sh: open-file limit is $nofile, too low for $idle_n idle connections; lower --idle-connections or raise the hard limit"
  exit 2
fi

# ---- temp dir, servers and cleanup
tmp="$(mktemp -d "${TMPDIR:-/tmp}/hocvu-bench.XXXXXX")"
hocvu_pid=""
nginx_pid=""
wrk_pid=""

stop_pid() {  # stop_pid PID NAME: SIGTERM, wait up to 5 s, then SIGKILL
  local pid="$1" i
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 50); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    say "run.sh: $2 (pid $pid) ignored SIGTERM; killing it"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}
cleanup() {
  local rc=$?
  trap - EXIT INT TERM HUP
  [ -n "$wrk_pid" ] && kill -TERM "$wrk_pid" 2>/dev/null || true
  stop_pid "$hocvu_pid" "hocvu"
  stop_pid "$nginx_pid" "nginx"
  if [ "$keep_tmp" = 1 ] || { [ "$rc" != 0 ] && [ "${HOCVU_BENCH_KEEP_ON_FAILURE:-0}" = 1 ]; }; then
    say "run.sh: kept $tmp"
  else
    rm -rf "$tmp"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'say "run.sh: interrupted"; exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}
hocvu_port="$(free_port)"
nginx_port="$(free_port)"
while [ "$nginx_port" = "$hocvu_port" ]; do nginx_port="$(free_port)"; done

# ---- start hocvu
mkdir -p "$tmp/hocvu-data" "$tmp/nginx/root" "$tmp/nginx/tmp" "$tmp/bodies"
hocvu_env=(HOCVU_LISTEN="127.0.0.1:$hocvu_port" HOCVU_DATA_DIR="$tmp/hocvu-data" HOCVU_ACCESS_LOG=1)
[ -n "${HOCVU_THREADS:-}" ] && hocvu_env+=(HOCVU_THREADS="$HOCVU_THREADS")
[ -n "${HOCVU_WEB_DIR:-}" ] && hocvu_env+=(HOCVU_WEB_DIR="$HOCVU_WEB_DIR")

hocvu_version="$(timeout 10 "$HOCVU_BINARY" version 2>&1 | head -n 1 || true)"
[ -n "$hocvu_version" ] || hocvu_version="unknown"

if ! env "${hocvu_env[@]}" "$HOCVU_BINARY" migrate >"$tmp/hocvu-migrate.log" 2>&1 </dev/null; then
  say "run.sh: '$HOCVU_BINARY migrate' failed:"; tail -n 20 "$tmp/hocvu-migrate.log" >&2; exit 1
fi
# stdout (the JSON access log) goes to a file, as nginx writes its access log to a file
env "${hocvu_env[@]}" "$HOCVU_BINARY" serve >>"$tmp/hocvu-stdout.log" 2>"$tmp/hocvu-stderr.log" </dev/null &
hocvu_pid=$!

hocvu_addr=""
for _ in $(seq 300); do  # up to 30 s
  if ! kill -0 "$hocvu_pid" 2>/dev/null; then
    say "run.sh: hocvu serve exited during start-up; its output:"
    tail -n 20 "$tmp/hocvu-stdout.log" "$tmp/hocvu-stderr.log" >&2; exit 1
  fi
  line="$(grep -m 1 -E '"msg" ?: ?"listening"' "$tmp/hocvu-stdout.log" 2>/dev/null || true)"
  if [ -n "$line" ]; then
    hocvu_addr="$(printf '%s' "$line" | grep -oE '"address" ?: ?"[^"]+"' | sed -E 's/.*"([^"]+)"$/\1/' || true)"
    break
  fi
  sleep 0.1
done
[ -n "$line" ] || { say "run.sh: hocvu printed no \"listening\" line within 30 s"; tail -n 20 "$tmp/hocvu-stdout.log" "$tmp/hocvu-stderr.log" >&2; exit 1; }
[ -n "$hocvu_addr" ] || hocvu_addr="127.0.0.1:$hocvu_port"
[ "$hocvu_addr" = "127.0.0.1:$hocvu_port" ] \
  || say "run.sh: note: hocvu says it listens on $hocvu_addr (asked for 127.0.0.1:$hocvu_port); using $hocvu_addr"
hocvu_url="http://$hocvu_addr"
hocvu_port="${hocvu_addr##*:}"

# ---- discover the cases
declare -a case_names=() case_paths=() case_types=() case_bytes=()
declare -a skipped=()

fetch_case() {  # fetch_case NAME PATH: fetch the body from hocvu into nginx's root
  local name="$1" path="$2" out status ctype
  if ! [[ "$path" =~ ^/[A-Za-z0-9._~/-]*$ ]] || [[ "$path" == *..* ]] || [[ "$path" == */ ]]; then
    skipped+=("$name ($path): path not usable as a file name"); return 0
  fi
  out="$tmp/nginx/root$path"
  mkdir -p "$(dirname "$out")"
  if ! read -r status ctype < <(curl -sS --max-time 10 -o "$out" -w '%{http_code} %{content_type}\n' "$hocvu_url$path" 2>"$tmp/curl.err"); then
    status="000"
  fi
  if [ "$status" != 200 ]; then
    skipped+=("$name ($path): hocvu answered $status $(head -c 200 "$tmp/curl.err")")
    rm -f "$out"; return 0
  fi
  [ -n "$ctype" ] || ctype="application/octet-stream"
  case_names+=("$name"); case_paths+=("$path"); case_types+=("$ctype")
  case_bytes+=("$(stat -c %s "$out")")
}

fetch_case healthz /healthz

# The fingerprinted stylesheet: the href of <link rel="stylesheet"> on the home page.
if curl -sS --max-time 10 -o "$tmp/bodies/index.html" "$hocvu_url/" 2>"$tmp/curl.err"; then
  css_href="$(python3 - "$tmp/bodies/index.html" <<'PY'
import sys
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

class P(HTMLParser):
    href = None
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "link" and self.href is None and "stylesheet" in (a.get("rel") or "").lower().split():
            self.href = a.get("href")
    handle_startendtag = handle_starttag

p = P()
p.feed(open(sys.argv[1], encoding="utf-8", errors="replace").read())
if p.href:
    print(urlsplit(urljoin("http://host/", p.href)).path)
PY
)"
  if [ -n "$css_href" ]; then fetch_case asset "$css_href"; else skipped+=("asset: no <link rel=\"stylesheet\"> on /"); fi
else
  skipped+=("asset: GET / failed: $(head -c 200 "$tmp/curl.err")")
fi

# A plain small file under /static/: --static-path, else web/static/css/app.css, else the
# smallest file under web/static.
if [ -z "$static_path" ]; then
  if [ -f "$web_dir/static/css/app.css" ]; then
    static_path=/static/css/app.css
  elif [ -d "$web_dir/static" ]; then
    f="$(find "$web_dir/static" -type f -size +0 -printf '%s %P\n' 2>/dev/null | sort -n | head -n 1 | cut -d' ' -f2-)"
    [ -n "$f" ] && static_path="/static/$f"
  fi
fi
if [ -n "$static_path" ]; then fetch_case static "$static_path"; else skipped+=("static: no file under $web_dir/static"); fi

fetch_case frameworks /frameworks

[ "${#case_names[@]}" -gt 0 ] || { say "run.sh: no case could be fetched from hocvu"; printf '  %s\n' "${skipped[@]}" >&2; exit 1; }
if [ "$smoke" = 1 ] && [ "${#skipped[@]}" -gt 0 ]; then
  say "run.sh: every case must be answered; skipped:"; printf '  %s\n' "${skipped[@]}" >&2; exit 1
fi

# ---- nginx serving the same bytes with the same Content-Type (not in a smoke run)
ncores="$(nproc)"
if [ "$smoke" = 0 ]; then
{
  [ "$(id -u)" = 0 ] && echo "user root;"  # workers must read the 0700 temp dir
  cat <<EOF
worker_processes $ncores;
worker_rlimit_nofile $nofile;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/error.log warn;
daemon off;

events {
    worker_connections $(( idle_n + connections + 1024 ));
}

http {
    access_log $tmp/nginx/access.log;
    sendfile on;
    tcp_nopush on;
    tcp_nodelay on;
    keepalive_timeout 75s;
    keepalive_requests 100000;
    open_file_cache max=1000 inactive=60s;
    open_file_cache_valid 60s;
    open_file_cache_errors on;
    server_tokens off;
    client_body_temp_path $tmp/nginx/tmp/body;
    proxy_temp_path $tmp/nginx/tmp/proxy;
    fastcgi_temp_path $tmp/nginx/tmp/fastcgi;
    uwsgi_temp_path $tmp/nginx/tmp/uwsgi;
    scgi_temp_path $tmp/nginx/tmp/scgi;

    server {
        listen 127.0.0.1:$nginx_port;
        root $tmp/nginx/root;
        location / { return 404; }
EOF
  for i in "${!case_names[@]}"; do
    printf '        location = %s { types { } default_type "%s"; }\n' "${case_paths[$i]}" "${case_types[$i]//\"/}"
  done
  cat <<EOF
    }
}
EOF
} >"$tmp/nginx/nginx.conf"

nginx_cmd=(nginx -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" -e "$tmp/nginx/error.log")
"${nginx_cmd[@]}" -t >"$tmp/nginx/configtest.log" 2>&1 \
  || { say "run.sh: nginx rejected its config:"; cat "$tmp/nginx/configtest.log" >&2; exit 1; }
"${nginx_cmd[@]}" </dev/null >"$tmp/nginx/stdout.log" 2>&1 &
nginx_pid=$!
nginx_url="http://127.0.0.1:$nginx_port"
for _ in $(seq 100); do
  kill -0 "$nginx_pid" 2>/dev/null || { say "run.sh: nginx exited during start-up:"; cat "$tmp/nginx/error.log" >&2; exit 1; }
  curl -s -o /dev/null --max-time 1 "$nginx_url/healthz" 2>/dev/null && break
  sleep 0.1
done

# Both must answer every case with identical bytes and Content-Type.
say "== cases (the same bytes and Content-Type from both servers)"
for i in "${!case_names[@]}"; do
  p="${case_paths[$i]}"
  read -r st ct < <(curl -sS --max-time 10 -o "$tmp/bodies/nginx.$i" -w '%{http_code} %{content_type}\n' "$nginx_url$p" || echo "000 -")
  if [ "$st" != 200 ] || ! cmp -s "$tmp/bodies/nginx.$i" "$tmp/nginx/root$p" || [ "$ct" != "${case_types[$i]}" ]; then
    say "run.sh: nginx does not mirror hocvu for $p: status $st, Content-Type '$ct' vs '${case_types[$i]}'"; exit 1
  fi
  say "$(printf '  %-10s %-40s %7s bytes  %s' "${case_names[$i]}" "$p" "${case_bytes[$i]}" "${case_types[$i]}")"
done
else
say "== cases (smoke: hocvu alone)"
for i in "${!case_names[@]}"; do
  say "$(printf '  %-10s %-40s %7s bytes  %s' "${case_names[$i]}" "${case_paths[$i]}" "${case_bytes[$i]}" "${case_types[$i]}")"
done
fi
for s in "${skipped[@]}"; do say "  skipped: $s"; done

# ---- machine
cpu_model="$(grep -m 1 -E '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//' || true)"
[ -n "$cpu_model" ] || cpu_model="$(uname -m)"
kernel="$(uname -srm)"
mem_total="$(awk '/^MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
load_start="$(cut -d' ' -f1-3 /proc/loadavg)"
nginx_version="-"
[ "$smoke" = 1 ] || nginx_version="$(nginx -v 2>&1 | sed 's/^nginx version: //' || true)"
wrk_version="$(wrk -v 2>&1 | head -n 1 | awk '{print $2}' || true)"
wrk_base="wrk -t$threads -c$connections -d${duration}s --latency -s bench/http/wrk_report.lua"
threads_note="${HOCVU_THREADS:-default (= cores)}"

say ""
say "== machine: $ncores cores ($cpu_model), $mem_total, $kernel; load average at start $load_start"
say "== hocvu: $hocvu_version ($HOCVU_BINARY, HOCVU_THREADS=$threads_note, access log on)"
[ "$smoke" = 1 ] || say "== nginx: $nginx_version, worker_processes $ncores, access log on, sendfile, open_file_cache"
say "== wrk $wrk_version: $wrk_base <url>   (warm-up: -d${warmup}s, discarded)"
if awk -v l="${load_start%% *}" -v n="$ncores" 'BEGIN { exit !(l > n / 2) }'; then
  say "== WARNING: load average ${load_start%% *} on $ncores cores: other work on this machine skews the figures"
fi

# ---- the wrk runs
stamp="$(date +%Y-%m-%d-%H%M%S)"
out_dir="$repo/bench/out"
[ "$smoke" = 0 ] || out_dir="$tmp"   # a smoke run's figures mean nothing: no report kept
mkdir -p "$out_dir"
raw="$out_dir/http-$stamp.log"
results="$tmp/results.tsv"
: >"$results"
: >"$raw"

# A smoke run shares a busy test machine: a slow answer (over wrk's 2 s) is not a wrong one.
wrk_timeout=()
[ "$smoke" = 1 ] && wrk_timeout=(--timeout 10s)
run_wrk() {  # run_wrk SERVER CASE URL
  local server="$1" name="$2" url="$3" line
  if [ "$warmup" -gt 0 ]; then
    printf '### warm-up %s %s: wrk -t%s -c%s -d%ss %s\n' "$server" "$name" "$threads" "$connections" "$warmup" "$url" >>"$raw"
    wrk -t"$threads" -c"$connections" -d"${warmup}s" "$url" >>"$raw" 2>&1 &
    wrk_pid=$!; wait "$wrk_pid" || true; wrk_pid=""
  fi
  printf '### %s %s: %s %s\n' "$server" "$name" "$wrk_base" "$url" >>"$raw"
  wrk -t"$threads" -c"$connections" -d"${duration}s" --latency "${wrk_timeout[@]}" -s "$here/wrk_report.lua" "$url" >"$tmp/wrk.out" 2>&1 &
  wrk_pid=$!
  if ! wait "$wrk_pid"; then wrk_pid=""; cat "$tmp/wrk.out" >>"$raw"; say "run.sh: wrk failed against $url:"; cat "$tmp/wrk.out" >&2; exit 1; fi
  wrk_pid=""
  cat "$tmp/wrk.out" >>"$raw"
  if ! kill -0 "$hocvu_pid" 2>/dev/null; then
    say "run.sh: hocvu died during the $name run; the end of its stderr:"; tail -n 20 "$tmp/hocvu-stderr.log" >&2; exit 1
  fi
  if [ "$smoke" = 0 ] && ! kill -0 "$nginx_pid" 2>/dev/null; then
    say "run.sh: nginx died during the $name run:"; tail -n 20 "$tmp/nginx/error.log" >&2; exit 1
  fi
  line="$(grep -m 1 '^BENCH_RESULT ' "$tmp/wrk.out" || true)"
  [ -n "$line" ] || { say "run.sh: no result from wrk against $url:"; cat "$tmp/wrk.out" >&2; exit 1; }
  # case server key=value...
  printf '%s\t%s\t%s\n' "$name" "$server" "${line#BENCH_RESULT }" >>"$results"
  say "$(printf '%s\n' "${line#BENCH_RESULT }" | tr ' ' '\n' | awk -F= -v name="$name" -v server="$server" '
    { v[$1] = $2 } $1 ~ /^err_/ { errs += $2 }
    END { printf "  %-10s %-6s %10.0f req/s  p50 %.2f ms  p99 %.2f ms%s", name, server, v["rps"], v["p50_us"] / 1000,
          v["p99_us"] / 1000, errs ? "  " errs " errors" : "" }')"
}

say ""
if [ "$smoke" = 1 ]; then
  say "== wrk: ${#case_names[@]} runs of ${duration}s against hocvu alone (smoke)"
else
  say "== wrk: $(( ${#case_names[@]} * 2 )) runs of ${duration}s (+${warmup}s warm-up each), servers alternating"
fi
for i in "${!case_names[@]}"; do
  if [ "$smoke" = 1 ]; then order=(hocvu); elif [ $(( i % 2 )) = 0 ]; then order=(hocvu nginx); else order=(nginx hocvu); fi
  for server in "${order[@]}"; do
    if [ "$server" = hocvu ]; then base="$hocvu_url"; else base="$nginx_url"; fi
    run_wrk "$server" "${case_names[$i]}" "$base${case_paths[$i]}"
  done
done

# ---- idle keep-alive connections
idle_hocvu="$tmp/idle-hocvu.json"
idle_nginx="$tmp/idle-nginx.json"
if [ "$idle_n" -gt 0 ]; then
  say ""
  say "== $idle_n idle keep-alive connections (GET /healthz on each, then held ${hold}s)"
  smoke_flag=()
  [ "$smoke" = 1 ] && smoke_flag=(--smoke)
  python3 "$here/idle_connections.py" --label hocvu --host 127.0.0.1 --port "$hocvu_port" --pid "$hocvu_pid" \
    -n "$idle_n" --hold "$hold" "${smoke_flag[@]}" --json-out "$idle_hocvu" >&2 \
    || say "run.sh: idle-connection run against hocvu failed"
fi
if [ "$idle_n" -gt 0 ] && [ "$smoke" = 0 ]; then
  nginx_master="$(cat "$tmp/nginx/nginx.pid" 2>/dev/null || echo "$nginx_pid")"
  python3 "$here/idle_connections.py" --label nginx --host 127.0.0.1 --port "$nginx_port" --pid "$nginx_master" \
    --with-children -n "$idle_n" --hold "$hold" --json-out "$idle_nginx" >&2 \
    || say "run.sh: idle-connection run against nginx failed"
fi

load_end="$(cut -d' ' -f1-3 /proc/loadavg)"
hocvu_log_lines="$(wc -l <"$tmp/hocvu-stdout.log")"
nginx_log_lines=0
[ "$smoke" = 1 ] || nginx_log_lines="$(wc -l <"$tmp/nginx/access.log")"

# ---- report: terminal table and Markdown
md="$out_dir/http-$stamp.md"
set +e
cases_md="$(for i in "${!case_names[@]}"; do printf '%s `%s` (%s bytes, %s); ' "${case_names[$i]}" "${case_paths[$i]}" "${case_bytes[$i]}" "${case_types[$i]}"; done)"
for s in "${skipped[@]}"; do cases_md+="skipped: $s; "; done
cases_md="${cases_md%; }."
export stamp ncores cpu_model mem_total kernel load_start load_end hocvu_version threads_note hocvu_log_lines \
  nginx_version nginx_log_lines wrk_version wrk_base warmup connections hold cases_md idle_n
python3 - "$results" "$md" "$idle_hocvu" "$idle_nginx" "$check" "$smoke" <<'PY'
import json, os, sys
results, md_path, idle_h, idle_n, check, smoke = sys.argv[1:7]
smoke = smoke == "1"
failed = []  # checks, whatever the machine: every exit 1
targets = {"healthz": 0.8, "static": 0.7, "asset": 0.7}
rows = {}
order = []
for line in open(results):
    name, server, kv = line.rstrip("\n").split("\t")
    d = dict(x.split("=", 1) for x in kv.split())
    rows[(name, server)] = d
    if name not in order:
        order.append(name)

def lat(us):
    us = float(us)
    return f"{us:.0f}us" if us < 1000 else (f"{us/1000:.2f}ms" if us < 1e6 else f"{us/1e6:.2f}s")

header = ["case", "server", "req/s", "p50", "p99", "errors", "bytes/resp", "hocvu/nginx", "target"]
table = []
missed = []
for name in order:
    h, n = rows.get((name, "hocvu")), rows.get((name, "nginx"))
    ratio = float(h["rps"]) / float(n["rps"]) if h and n and float(n["rps"]) > 0 else None
    for server, d in (("hocvu", h), ("nginx", n)):
        if not d:
            continue
        errs = sum(int(v) for k, v in d.items() if k.startswith("err_"))
        per = int(d["bytes"]) / int(d["requests"]) if int(d["requests"]) else 0
        if errs or int(d["requests"]) == 0:
            failed.append(f"{name} on {server}: {d['requests']} requests, {errs} errors (non-2xx/3xx: {d['err_status']})")
        r = t = ""
        if server == "hocvu" and ratio is not None:
            r = f"{ratio:.2f}"
            if name in targets:
                ok = ratio >= targets[name] and errs == 0
                t = f">= {targets[name]:.2f} {'ok' if ok else 'MISSED'}"
                if not ok:
                    missed.append(name)
            else:
                t = "none"
        table.append([name, server, f"{float(d['rps']):.0f}", lat(d["p50_us"]), lat(d["p99_us"]),
                      str(errs), f"{per:.0f}", r, t])

def text_table(rows):
    w = [max(len(str(x)) for x in col) for col in zip(header, *rows)]
    right = {2, 3, 4, 5, 6, 7}
    fmt = lambda r: "  ".join(str(c).rjust(w[i]) if i in right else str(c).ljust(w[i]) for i, c in enumerate(r)).rstrip()
    return "\n".join([fmt(header), fmt(["-" * x for x in w])] + [fmt(r) for r in rows])

def md_table(hdr, rows):
    out = ["| " + " | ".join(hdr) + " |", "|" + "|".join("---:" if i in (2, 3, 4, 5, 6, 7) else "---" for i in range(len(hdr))) + "|"]
    return "\n".join(out + ["| " + " | ".join(r) + " |" for r in rows])

idle = []
for label, path in (("hocvu", idle_h),) if smoke else (("hocvu", idle_h), ("nginx", idle_n)):
    if os.path.exists(path):
        idle.append(json.load(open(path)))
    elif os.environ["idle_n"] != "0":
        idle.append({"label": label, "failed_run": True})
idle_hdr = ["server", "idle conns kept alive", "RSS before (MB)", "RSS held (MB)", "VmHWM held (MB)", "Pss held (MB)", "KB/conn",
            "closed while held", "2nd request ok", "fresh req median/max (ms)", "< 200 MB"]
idle_rows = []
for d in idle:
    if d.get("failed_run"):
        idle_rows.append([d["label"], "FAILED (see the output above)"] + [""] * (len(idle_hdr) - 3) + ["MISSED" if d["label"] == "hocvu" else ""])
        if d["label"] == "hocvu":
            missed.append("idle")
            failed.append("idle connections: no result")
        continue
    if d["label"] == "hocvu" and not d.get("checks_ok"):
        failed.append("idle connections: not all kept alive, reused and answered (see above)")
    fresh = f"{d['fresh_ms_median']}/{d['fresh_ms_max']}" if d["fresh_ms_median"] is not None else f"FAILED: {d['fresh_error']}"
    verdict = ("ok" if d["meets_target"] else "MISSED") if d["label"] == "hocvu" else ("yes" if d["rss_mb_held_peak"] < d["rss_target_mb"] else "no")
    if d["label"] == "hocvu" and not d["meets_target"]:
        missed.append("idle")
    idle_rows.append([d["label"], f"{d['kept_alive']}/{d['connections']}", f"{d['rss_mb_before']}", f"{d['rss_mb_held']}",
                      f"{d['hwm_mb_held']}", f"{d['pss_mb_held']}", f"{d['rss_kb_per_connection']}", str(d["closed_while_held"]),
                      str(d["reused_ok"]), fresh, verdict])

print()
print(text_table(table))
if idle_rows:
    print()
    w = [max(len(str(x)) for x in col) for col in zip(idle_hdr, *idle_rows)]
    for r in [idle_hdr] + idle_rows:
        print("  ".join(str(c).ljust(w[i]) for i, c in enumerate(r)).rstrip())
print()
if not smoke:
    print("targets: " + ("all met" if not missed else "MISSED: " + ", ".join(missed)))
print("checks: " + ("all passed" if not failed else "FAILED: " + "; ".join(failed)))

env = os.environ
md = f"""# HTTP benchmark, {env['stamp']}

- machine: {env['ncores']} cores, {env['cpu_model']}, {env['mem_total']}, {env['kernel']}
- load average at start / end: {env['load_start']} / {env['load_end']}
- hocvu: `{env['hocvu_version']}` (HOCVU_THREADS={env['threads_note']}, access log on: {env['hocvu_log_lines']} lines)
- nginx: {env['nginx_version']}, worker_processes {env['ncores']}, sendfile, open_file_cache, keepalive_requests 100000, access log on ({env['nginx_log_lines']} lines)
- wrk {env['wrk_version']}: `{env['wrk_base']} <url>`, after a {env['warmup']}s warm-up; servers alternate, nginx serves the same bytes with the same Content-Type
- raw wrk output: `bench/out/http-{env['stamp']}.log`

## Throughput and latency ({env['connections']} keep-alive connections)

{md_table(header, table)}

Cases: {env['cases_md']}
"""
if idle_rows:
    md += f"""
## Idle keep-alive connections

Each connection sent `GET /healthz` and read the full response, then was held idle {env['hold']}s.
RSS is VmRSS from /proc/<pid>/status, sampled while the connections are held (nginx: master + workers summed,
which counts their shared pages once per process; the Pss column counts them once). KB/conn = (RSS held - RSS before) / connections.

{md_table(idle_hdr, idle_rows)}
"""
md += "\nTargets: static file >= 0.7x nginx req/s, /healthz >= 0.8x nginx, 10,000 idle keep-alive connections under 200 MB RSS: " \
      + ("all met." if not missed else "MISSED: " + ", ".join(missed) + ".") + "\n"
md += "Checks (no errors, every idle connection kept alive and reused): " + ("all passed." if not failed else "FAILED: " + "; ".join(failed) + ".") + "\n"
if not smoke:
    open(md_path, "w").write(md)
sys.exit(1 if failed or (missed and check == "1" and not smoke) else 0)
PY
report_rc=$?
set -e
say ""
[ "$smoke" = 1 ] || say "report: ${md#"$repo"/}   raw wrk output: ${raw#"$repo"/}"
exit "$report_rc"
