#!/usr/bin/env python3
"""Hold many idle keep-alive HTTP/1.1 connections open and measure the server's memory.

Opens N (default 10,000) TCP connections to HOST:PORT, sends one
`GET /healthz HTTP/1.1` on each and reads the whole response, so every
connection is a real kept-alive HTTP connection, then leaves them all idle and:

  * reads VmRSS and VmHWM of the server from /proc/<pid>/status (with
    --with-children, the sum over the process and all its descendants, e.g. an
    nginx master and its workers) before opening, while the connections are
    held, and after closing them;
  * counts how many of the idle connections the server closed while held;
  * times fresh requests on new connections while the idle ones are held
    (the server must stay responsive);
  * sends a second request on every still-open idle connection, proving they
    were kept alive and still work;
  * closes them all.

Non-blocking sockets and one epoll selector, so 10,000 connections open in a
second or two. Only the standard library. Linux only (/proc).

Prints a human-readable report; --json-out FILE also writes the figures as JSON.
Exit status: 0 when the measurement ran and its checks passed; 1 when a check
failed (a connection not kept alive after a full 200 response, one closed while
held, a fresh request or a second request that failed), or with --check when a
target was missed (RSS over --rss-target-mb or a fresh request slower than
--fresh-max-ms); 2 on a usage or setup error. --smoke: 200 connections held
1 s, 5 fresh requests, the checks and no targets (bench/http/run.sh --smoke).
"""
from __future__ import annotations

import argparse
import errno
import json
import os
import resource
import selectors
import socket
import statistics
import sys
import time

# ---------------------------------------------------------------- /proc


def _status_kb(pid: int) -> dict[str, int]:
    out: dict[str, int] = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                out[key] = int(rest.split()[0])
    return out


def _pss_kb(pid: int) -> int:
    """Proportional set size: shared pages divided among the processes sharing them."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _descendants(root: int) -> list[int]:
    """root and every process below it (by scanning /proc/*/stat for the parent id)."""
    parent_of: dict[int, int] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        # the command name (field 2) is in parentheses and may contain spaces
        fields = stat[stat.rfind(")") + 2:].split()
        parent_of[int(name)] = int(fields[1])
    tree, frontier = [root], [root]
    while frontier:
        nxt = [p for p, pp in parent_of.items() if pp in frontier and p not in tree]
        tree += nxt
        frontier = nxt
    return tree


def memory(pid: int, with_children: bool) -> dict:
    """VmRSS, VmHWM and Pss in MB, summed over the process (tree).

    Summed VmRSS counts pages shared between processes (nginx master and workers)
    once per process; the Pss sum counts them once in all."""
    pids = _descendants(pid) if with_children else [pid]
    rss = hwm = pss = 0
    counted = []
    for p in pids:
        try:
            st = _status_kb(p)
        except OSError:
            continue
        rss += st.get("VmRSS", 0)
        hwm += st.get("VmHWM", 0)
        pss += _pss_kb(p)
        counted.append(p)
    if not counted:
        raise RuntimeError(f"process {pid} is gone")
    return {"rss_mb": rss / 1024.0, "hwm_mb": hwm / 1024.0, "pss_mb": pss / 1024.0, "pids": counted}


# ---------------------------------------------------------------- HTTP response parsing


class Response:
    """Incremental HTTP/1.1 response reader: Content-Length or chunked bodies."""

    def __init__(self) -> None:
        self.buf = bytearray()
        self.status = 0
        self.keep_alive = True
        self.done = False
        self._body_start = -1
        self._length: int | None = None
        self._chunked = False
        self._pos = 0  # parse position inside a chunked body

    def feed(self, data: bytes) -> None:
        self.buf += data
        if self._body_start < 0:
            end = self.buf.find(b"\r\n\r\n")
            if end < 0:
                return
            head = bytes(self.buf[:end]).decode("latin-1").split("\r\n")
            parts = head[0].split(" ", 2)
            if len(parts) < 2 or not parts[0].startswith("HTTP/"):
                raise ValueError(f"bad status line {head[0]!r}")
            self.status = int(parts[1])
            version = parts[0]
            conn = ""
            for h in head[1:]:
                k, _, v = h.partition(":")
                k, v = k.strip().lower(), v.strip()
                if k == "content-length":
                    self._length = int(v)
                elif k == "transfer-encoding" and "chunked" in v.lower():
                    self._chunked = True
                elif k == "connection":
                    conn = v.lower()
            self.keep_alive = "close" not in conn and (version != "HTTP/1.0" or "keep-alive" in conn)
            self._body_start = end + 4
            self._pos = self._body_start
            if not self._chunked and self._length is None:
                # no framing: the body runs to EOF, so this connection cannot be kept alive
                self.keep_alive = False
                self._length = 0
        if self._chunked:
            while True:
                eol = self.buf.find(b"\r\n", self._pos)
                if eol < 0:
                    return
                size = int(bytes(self.buf[self._pos:eol]).split(b";")[0], 16)
                if size == 0:
                    if self.buf.find(b"\r\n\r\n", eol) >= 0:
                        self.done = True
                    return
                nxt = eol + 2 + size + 2
                if len(self.buf) < nxt:
                    return
                self._pos = nxt
        elif len(self.buf) - self._body_start >= (self._length or 0):
            self.done = True


# ---------------------------------------------------------------- the connection pool


CONNECTING, READING, IDLE, FAILED = range(4)


class Conn:
    __slots__ = ("sock", "state", "resp", "started")

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.state = CONNECTING
        self.resp = Response()
        self.started = time.monotonic()


def raise_nofile(needed: int) -> int:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft >= needed:
        return soft
    if hard != resource.RLIM_INFINITY and hard < needed:
        try:  # root may raise the hard limit up to fs.nr_open
            with open("/proc/sys/fs/nr_open") as f:
                cap = int(f.read())
            resource.setrlimit(resource.RLIMIT_NOFILE, (min(needed, cap), min(needed, cap)))
            return min(needed, cap)
        except (OSError, ValueError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
            return hard
    resource.setrlimit(resource.RLIMIT_NOFILE, (needed, hard))
    return needed


def request_bytes(host: str, port: int, path: str) -> bytes:
    return (f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\n"
            f"User-Agent: hocvu-bench-idle\r\nAccept: */*\r\n\r\n").encode()


def run_requests(sel: selectors.BaseSelector, conns: list[Conn], req: bytes, timeout: float,
                 pending_new: list[tuple[str, int]] | None = None, total: int = 0,
                 concurrency: int = 0) -> dict[str, int]:
    """Drive conns (and, when pending_new is given, opens up to `total` new ones, at most
    `concurrency` in flight) until every one has a full response or failed."""
    counts = {"ok": 0, "failed": 0, "not_keep_alive": 0, "bad_status": 0}
    inflight = 0
    opened = 0
    errors: dict[str, int] = {}

    def fail(c: Conn, why: str) -> None:
        nonlocal inflight
        errors[why] = errors.get(why, 0) + 1
        counts["failed"] += 1
        try:
            sel.unregister(c.sock)
        except (KeyError, ValueError):
            pass
        c.sock.close()
        c.state = FAILED
        inflight -= 1

    def open_one() -> None:
        nonlocal inflight, opened
        host, port = pending_new[0]
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setblocking(False)
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        c = Conn(s)
        conns.append(c)
        opened += 1
        inflight += 1
        rc = s.connect_ex((host, port))
        if rc not in (0, errno.EINPROGRESS):
            fail(c, errno.errorcode.get(rc, str(rc)))
            return
        sel.register(s, selectors.EVENT_WRITE, c)

    # re-use existing idle connections: send the request right away
    for c in conns:
        if c.state == IDLE:
            c.resp = Response()
            c.started = time.monotonic()
            try:
                c.sock.send(req)
            except OSError as e:
                inflight += 1
                fail(c, type(e).__name__)
                continue
            c.state = READING
            inflight += 1
            sel.register(c.sock, selectors.EVENT_READ, c)

    deadline = time.monotonic() + timeout
    while True:
        while pending_new is not None and opened < total and inflight < concurrency:
            open_one()
        if inflight == 0 and (pending_new is None or opened >= total):
            break
        if time.monotonic() > deadline:
            for c in conns:
                if c.state in (CONNECTING, READING):
                    fail(c, "timeout")
            break
        for key, _ in sel.select(timeout=0.5):
            c: Conn = key.data
            if c.state == CONNECTING:
                err = c.sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
                if err:
                    fail(c, errno.errorcode.get(err, str(err)))
                    continue
                try:
                    c.sock.send(req)  # ~100 bytes: always fits the fresh send buffer
                except OSError as e:
                    fail(c, type(e).__name__)
                    continue
                c.state = READING
                sel.modify(c.sock, selectors.EVENT_READ, c)
            elif c.state == READING:
                try:
                    data = c.sock.recv(65536)
                except BlockingIOError:
                    continue
                except OSError as e:
                    fail(c, type(e).__name__)
                    continue
                if not data:
                    fail(c, "closed-by-server")
                    continue
                try:
                    c.resp.feed(data)
                except ValueError:
                    fail(c, "bad-response")
                    continue
                if c.resp.done:
                    sel.unregister(c.sock)
                    inflight -= 1
                    if c.resp.status != 200:
                        counts["bad_status"] += 1
                    if not c.resp.keep_alive:
                        counts["not_keep_alive"] += 1
                        counts["failed"] += 1
                        c.sock.close()
                        c.state = FAILED
                    else:
                        counts["ok"] += 1
                        c.state = IDLE
    counts["errors"] = errors  # type: ignore[assignment]
    return counts


def count_closed(sel: selectors.BaseSelector, conns: list[Conn]) -> int:
    """Idle connections the server has closed (readable with EOF, or reset) meanwhile."""
    idle = [c for c in conns if c.state == IDLE]
    for c in idle:
        sel.register(c.sock, selectors.EVENT_READ, c)
    closed = 0
    for key, _ in sel.select(timeout=0):
        c = key.data
        try:
            c.sock.recv(65536)
        except BlockingIOError:
            continue
        except OSError:
            pass
        # EOF or reset (data == b""); unexpected bytes on an idle connection count too
        closed += 1
        sel.unregister(c.sock)
        c.sock.close()
        c.state = FAILED
    for c in idle:
        if c.state == IDLE:
            sel.unregister(c.sock)
    return closed


def fresh_requests(host: str, port: int, path: str, n: int) -> list[float]:
    """Milliseconds for n requests, each on a new connection (connect + request + full response)."""
    times = []
    req = request_bytes(host, port, path)
    for _ in range(n):
        t0 = time.perf_counter()
        with socket.create_connection((host, port), timeout=10) as s:
            s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            s.sendall(req)
            r = Response()
            while not r.done:
                data = s.recv(65536)
                if not data:
                    raise ConnectionError("server closed the fresh connection before responding")
                r.feed(data)
            if r.status != 200:
                raise ConnectionError(f"fresh request got status {r.status}")
        times.append((time.perf_counter() - t0) * 1000.0)
    return times


# ---------------------------------------------------------------- main


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--pid", type=int, required=True, help="server process to measure")
    ap.add_argument("--with-children", action="store_true",
                    help="sum memory over the process and its descendants (nginx master + workers)")
    ap.add_argument("-n", "--connections", type=int)
    ap.add_argument("--path", default="/healthz")
    ap.add_argument("--hold", type=float, help="seconds to hold the connections idle")
    ap.add_argument("--concurrency", type=int, default=256, help="connections being opened at once")
    ap.add_argument("--timeout", type=float, default=60.0, help="seconds allowed for opening them all")
    ap.add_argument("--fresh", type=int, help="fresh requests timed while holding")
    ap.add_argument("--fresh-max-ms", type=float, default=250.0)
    ap.add_argument("--rss-target-mb", type=float, default=200.0)
    ap.add_argument("--label", default="server")
    ap.add_argument("--json-out")
    ap.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    ap.add_argument("--smoke", action="store_true", help="a few connections for a second: the checks, no targets")
    a = ap.parse_args()
    for k, full, smoke in (("connections", 10000, 200), ("hold", 5.0, 1.0), ("fresh", 20, 5)):
        if getattr(a, k) is None:
            setattr(a, k, smoke if a.smoke else full)

    limit = raise_nofile(a.connections + 256)
    if limit < a.connections + 64:
        print(f"idle_connections: RLIMIT_NOFILE is {limit}, too low for {a.connections} connections",
              file=sys.stderr)
        return 2
    try:
        before = memory(a.pid, a.with_children)
    except (OSError, RuntimeError) as e:
        print(f"idle_connections: cannot read memory of pid {a.pid}: {e}", file=sys.stderr)
        return 2

    label = a.label
    print(f"[{label}] baseline: VmRSS {before['rss_mb']:.1f} MB, VmHWM {before['hwm_mb']:.1f} MB "
          f"(pids {','.join(map(str, before['pids']))})")

    sel = selectors.DefaultSelector()
    conns: list[Conn] = []
    req = request_bytes(a.host, a.port, a.path)
    t0 = time.monotonic()
    opened = run_requests(sel, conns, req, a.timeout, pending_new=[(a.host, a.port)],
                          total=a.connections, concurrency=a.concurrency)
    open_s = time.monotonic() - t0
    idle = sum(1 for c in conns if c.state == IDLE)
    print(f"[{label}] opened {a.connections} connections in {open_s:.2f} s: {opened['ok']} kept alive "
          f"after a full response, {opened['failed']} failed"
          + (f" {opened['errors']}" if opened["errors"] else "")
          + (f", {opened['not_keep_alive']} not keep-alive" if opened["not_keep_alive"] else "")
          + (f", {opened['bad_status']} non-200" if opened["bad_status"] else ""))

    # hold them idle, sampling memory
    samples = []
    end = time.monotonic() + a.hold
    while True:
        samples.append(memory(a.pid, a.with_children))
        if time.monotonic() >= end:
            break
        time.sleep(min(0.5, max(0.0, end - time.monotonic())))
    held = samples[-1]
    peak_rss = max(s["rss_mb"] for s in samples)
    closed = count_closed(sel, conns)
    still_open = sum(1 for c in conns if c.state == IDLE)
    print(f"[{label}] holding {idle} idle connections for {a.hold:.0f} s: VmRSS {held['rss_mb']:.1f} MB "
          f"(peak sample {peak_rss:.1f} MB), VmHWM {held['hwm_mb']:.1f} MB, Pss {held['pss_mb']:.1f} MB; "
          f"{closed} closed by the server meanwhile, {still_open} still open")

    fresh_ms: list[float] = []
    fresh_error = None
    try:
        fresh_ms = fresh_requests(a.host, a.port, a.path, a.fresh)
    except OSError as e:
        fresh_error = str(e)
    if fresh_ms:
        print(f"[{label}] {len(fresh_ms)} fresh requests while holding: median "
              f"{statistics.median(fresh_ms):.2f} ms, max {max(fresh_ms):.2f} ms")
    else:
        print(f"[{label}] fresh request FAILED while holding: {fresh_error}")

    reused = run_requests(sel, conns, req, a.timeout)
    print(f"[{label}] second request on each of the {still_open} held connections: "
          f"{reused['ok']} ok, {reused['failed']} failed" + (f" {reused['errors']}" if reused["errors"] else ""))

    for c in conns:
        if c.state != FAILED:
            c.sock.close()
    sel.close()
    time.sleep(1.0)
    try:
        after = memory(a.pid, a.with_children)
    except RuntimeError:
        after = {"rss_mb": float("nan"), "hwm_mb": float("nan"), "pss_mb": float("nan"), "pids": []}
    print(f"[{label}] after closing: VmRSS {after['rss_mb']:.1f} MB, VmHWM {after['hwm_mb']:.1f} MB")

    per_conn_kb = (held["rss_mb"] - before["rss_mb"]) * 1024.0 / idle if idle else float("nan")
    result = {
        "label": label,
        "connections": a.connections,
        "kept_alive": idle,
        "failed": opened["failed"],
        "open_errors": opened["errors"],
        "open_seconds": round(open_s, 3),
        "hold_seconds": a.hold,
        "closed_while_held": closed,
        "reused_ok": reused["ok"],
        "rss_mb_before": round(before["rss_mb"], 1),
        "rss_mb_held": round(held["rss_mb"], 1),
        "rss_mb_held_peak": round(peak_rss, 1),
        "hwm_mb_held": round(held["hwm_mb"], 1),
        "pss_mb_held": round(held["pss_mb"], 1),
        "rss_mb_after": round(after["rss_mb"], 1),
        "rss_kb_per_connection": round(per_conn_kb, 2),
        "fresh_ms_median": round(statistics.median(fresh_ms), 2) if fresh_ms else None,
        "fresh_ms_max": round(max(fresh_ms), 2) if fresh_ms else None,
        "fresh_error": fresh_error,
        "pids": held["pids"],
        "rss_target_mb": a.rss_target_mb,
    }
    result["meets_target"] = bool(
        idle == a.connections and closed == 0 and fresh_ms and max(fresh_ms) <= a.fresh_max_ms
        and peak_rss < a.rss_target_mb)
    # What must hold whatever the machine: every connection kept alive after a full 200 response,
    # none closed while held, every fresh request and every second request answered.
    result["checks_ok"] = bool(
        idle == a.connections and opened["failed"] == 0 and closed == 0 and fresh_error is None
        and len(fresh_ms) == a.fresh and reused["ok"] == a.connections and reused["failed"] == 0)
    print(f"[{label}] {'+' if per_conn_kb >= 0 else ''}{per_conn_kb:.1f} KB RSS per idle connection; "
          + ("" if a.smoke else f"target < {a.rss_target_mb:.0f} MB with {a.connections} idle: "
             f"{'met' if result['meets_target'] else 'NOT met'}; ")
          + f"checks: {'passed' if result['checks_ok'] else 'FAILED'}")
    if a.json_out:
        with open(a.json_out, "w") as f:
            json.dump(result, f, indent=2)
            f.write("\n")
    return 1 if not result["checks_ok"] or (a.check and not a.smoke and not result["meets_target"]) else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except RuntimeError as e:  # the server process went away while measuring
        print(f"idle_connections: {e}", file=sys.stderr)
        sys.exit(1)
