#!/usr/bin/env python3
"""Learning load benchmark (issue 4): the lesson page for signed-in learners, the progress
heartbeat and catalogue search, each measured with wrk against `hocvu serve` and against nginx
answering the same bytes, side by side in the same run, on the demo catalogue plus N generated
learners (default 100,000), each enrolled, with a session.

    bench/http/learning_load.py [--learners 100000] [--duration 10] [--connections 128]
                                [--threads 2] [--warmup 2] [--keep-tmp] [--check] [--smoke]

HOCVU_BINARY (default build-release/hocvu). Writes bench/out/learning-<date>.md. Targets (absolute,
on the 2-core machine): lesson page >= 10,000 req/s, heartbeat >= 10,000/s, search >= 2,000/s
(--check exits 1 on a miss). Checks, which always exit 1 when they fail: every search query finds
a course, every wrk run has no socket error and no answer other than 2xx/3xx, and the heartbeats
were saved. --smoke: 200 learners, 1 s per case against hocvu alone (no nginx), no speed targets.
"""
import argparse, base64, hashlib, io, json, os, random, re, shutil, signal, socket, sqlite3, subprocess
import sys, tempfile, time, urllib.request, zipfile

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib  # noqa: E402
from benchlib import free_port, http, say  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
TARGETS = {"lesson": 10000, "heartbeat": 10000, "search": 2000}


def video_package():
    """A course package with one 10-minute video lesson (the bytes are a stub MP4 header: the
    benchmark measures heartbeats, not playback)."""
    return benchlib.course_package("bench-video", "Video cho đo tải", "Một bài video để đo nhịp báo tiến độ.",
                                   "Bài video", """          - key: v
            kind: video
            file: media/clip.mp4
            duration_seconds: 600
          - key: t
            kind: text
            markdown: Đọc kỹ phần này.
""", {"media/clip.mp4": b"\0\0\0\x18ftypmp42" + b"\0" * 1024})


def generate_learners(db_path, n, course_ids, seed=1):
    """People with sessions and enrolments, written straight into SQLite in one transaction."""
    rnd = random.Random(seed)
    now = "2026-11-24T00:00:00.000Z"
    far = "2099-01-01T00:00:00.000Z"
    groups = ["citizen", "official", "worker", "student"]
    con = sqlite3.connect(db_path)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=OFF")
    tokens = []
    with con:
        start = con.execute("SELECT COALESCE(MAX(id), 0) FROM people").fetchone()[0] + 1
        people, sessions, enrolments = [], [], []
        for i in range(n):
            pid = start + i
            phone = "08%08d" % i
            people.append((pid, f"Người học {i}", f"nguoi hoc {i}", phone, groups[i % 4], "01", now, now))
            token = base64.urlsafe_b64encode(rnd.randbytes(32)).decode().rstrip("=")
            tokens.append(token)
            sessions.append((hashlib.blake2b(token.encode(), digest_size=32).hexdigest(), pid, now, far, "bench"))
            for cid in course_ids:
                enrolments.append((cid, pid, "self", now))
        con.executemany("INSERT INTO people (id, full_name, search_name, phone, target_group, unit_code, created_at, updated_at)"
                        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", people)
        con.executemany("INSERT INTO sessions (token_digest, person_id, created_at, expires_at, user_agent) VALUES (?, ?, ?, ?, ?)", sessions)
        con.executemany("INSERT INTO enrolments (course_id, person_id, source, enrolled_at) VALUES (?, ?, ?, ?)", enrolments)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    return tokens


def lua_tokens(path, tokens, count=20000):
    sample = random.Random(2).sample(tokens, min(count, len(tokens)))
    with open(path, "w") as f:
        f.write("tokens = {\n" + ",\n".join('"%s"' % t for t in sample) + "\n}\n")


WRK_COMMON = r"""
local report = dofile("%(report)s")
math.randomseed(os.time() + (tonumber(tostring({}):sub(8)) or 0))
dofile("%(tokens)s")
done = report.done
"""

LESSON_LUA = WRK_COMMON + r"""
request = function()
  return wrk.format("GET", "%(path)s", {["Cookie"] = "hocvu_session=" .. tokens[math.random(#tokens)]})
end
"""

HEARTBEAT_LUA = WRK_COMMON + r"""
local n = 0
request = function()
  n = n + 1
  local from = (n * 7) %% 590
  local body = '{"events":[{"lesson_id":%(lesson)d,"block":"v","kind":"video","from":' .. from .. ',"to":' .. (from + 5) .. '}]}'
  return wrk.format("POST", "/api/v1/progress", {["Authorization"] = "Bearer " .. tokens[math.random(#tokens)],
                    ["Content-Type"] = "application/json"}, body)
end
"""

SEARCH_QUERIES = ["bao+ve+du+lieu", "dich+vu+cong", "lua+dao", "thanh+toan", "tri+tue+nhan+tao", "tin+gia", "dien+thoai", "vneid"]

SEARCH_LUA = r"""
local report = dofile("%(report)s")
done = report.done
local queries = {%(queries)s}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", "/api/v1/courses?q=" .. queries[(i %% #queries) + 1])
end
"""

REPORT_LUA = r"""
local M = {}
M.done = function(summary, latency, requests)
  local e = summary.errors
  local secs = summary.duration / 1e6
  io.write(string.format(
    "BENCH_RESULT requests=%d seconds=%.3f rps=%.2f bytes=%d p50_us=%d p99_us=%d err_connect=%d err_read=%d err_write=%d err_status=%d err_timeout=%d\n",
    summary.requests, secs, summary.requests / secs, summary.bytes, latency:percentile(50), latency:percentile(99),
    e.connect, e.read, e.write, e.status, e.timeout))
end
return M
"""


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--learners", type=int, default=100000)
    ap.add_argument("--duration", type=int, default=10)
    ap.add_argument("--connections", type=int, default=128)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--keep-tmp", action="store_true")
    ap.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    ap.add_argument("--smoke", action="store_true", help="small counts, hocvu alone, every check, no speed targets")
    args = ap.parse_args()
    if args.smoke:
        args.learners, args.duration, args.connections, args.warmup = min(args.learners, 200), 1, 8, 0
    binary = os.environ.get("HOCVU_BINARY", os.path.join(REPO, "build-release", "hocvu"))
    for tool in ("wrk",) if args.smoke else ("wrk", "nginx"):
        if not shutil.which(tool):
            sys.exit(f"learning_load.py: {tool} not found (scripts/install-deps.sh --bench)")
    if not os.access(binary, os.X_OK):
        sys.exit(f"learning_load.py: no executable hocvu at {binary}")

    tmp = tempfile.mkdtemp(prefix="hocvu-learning-bench.")
    procs = []

    def cleanup():
        for p in procs:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
                try:
                    p.wait(10)
                except subprocess.TimeoutExpired:
                    p.kill()
        if not args.keep_tmp:
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            say(f"kept {tmp}")

    try:
        data = os.path.join(tmp, "data")
        env = dict(os.environ, HOCVU_DATA_DIR=data, HOCVU_ACCESS_LOG="1")
        port = free_port()
        env["HOCVU_LISTEN"] = f"127.0.0.1:{port}"
        say("== seeding the demo catalogue")
        subprocess.run([binary, "seed", "--demo"], env=env, check=True, stdout=subprocess.DEVNULL)
        subprocess.run([binary, "create-admin", "--login", "0900000001", "--name", "Quản Trị"], env=env, check=True,
                       input=b"Quan-tri-2025!\n", stdout=subprocess.DEVNULL)
        log = open(os.path.join(tmp, "hocvu.log"), "w")
        server = subprocess.Popen([binary, "serve"], env=env, stdout=log, stderr=subprocess.STDOUT)
        procs.append(server)
        base = f"http://127.0.0.1:{port}"
        for _ in range(200):
            try:
                if http("GET", base + "/healthz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.05)
        st, body, _ = http("POST", base + "/api/v1/sessions", json.dumps({"login": "0900000001", "password": "Quan-tri-2025!"}).encode(),
                           {"Content-Type": "application/json"})
        admin = {"Authorization": "Bearer " + json.loads(body)["token"]}
        st, body, _ = http("POST", base + "/api/v1/organisations", json.dumps({"name": "Đo tải", "kind": "other", "unit_code": "01"}).encode(),
                           dict(admin, **{"Content-Type": "application/json"}))
        org = json.loads(body)["id"]
        st, body, _ = http("POST", base + f"/api/v1/author/packages?provider_id={org}", video_package(),
                           dict(admin, **{"Content-Type": "application/zip"}))
        assert st in (200, 201), body
        video_course = json.loads(body)["course_id"]
        st, body, _ = http("POST", base + f"/api/v1/author/courses/{video_course}/publish", b"", admin)
        assert st == 200, body
        courses = json.loads(http("GET", base + "/api/v1/courses?q=bao+ve+du+lieu")[1])
        text_course = courses["items"][0]["id"]
        text_lesson = json.loads(http("GET", base + f"/api/v1/courses/{text_course}")[1])["sections"][0]["lessons"][0]["id"]
        video_lesson = json.loads(http("GET", base + f"/api/v1/courses/{video_course}")[1])["sections"][0]["lessons"][0]["id"]

        say(f"== generating {args.learners} learners, each enrolled in two courses, with a session")
        t0 = time.time()
        tokens = generate_learners(os.path.join(data, "hocvu.db"), args.learners, [text_course, video_course])
        say(f"   done in {time.time() - t0:.1f}s")
        tokens_lua = os.path.join(tmp, "tokens.lua")
        lua_tokens(tokens_lua, tokens)
        report_lua = os.path.join(tmp, "report.lua")
        open(report_lua, "w").write(REPORT_LUA)

        # The bytes each case answers, fetched from hocvu for nginx to serve.
        lesson_path = f"/lessons/{text_lesson}"
        st, lesson_body, h = http("GET", base + lesson_path, headers={"Cookie": "hocvu_session=" + tokens[0]})
        assert st == 200 and b"data-lesson-id" in lesson_body, (st, lesson_body[:300])
        beat = json.dumps({"events": [{"lesson_id": video_lesson, "block": "v", "kind": "video", "from": 0, "to": 5}]}).encode()
        st, beat_body, _ = http("POST", base + "/api/v1/progress", beat, {"Authorization": "Bearer " + tokens[1], "Content-Type": "application/json"})
        assert st == 202, (st, beat_body)
        st, search_body, _ = http("GET", base + "/api/v1/courses?q=bao+ve+du+lieu")
        assert st == 200
        problems = []
        for q in SEARCH_QUERIES:  # a query that finds nothing would time an empty answer
            st, body, _ = http("GET", base + "/api/v1/courses?q=" + q)
            if st != 200 or not json.loads(body).get("items"):
                problems.append(f"search {q!r} answered {st} with no course")

        nbase = None  # --smoke: hocvu alone
        ncores = os.cpu_count()
        if not args.smoke:
            root = os.path.join(tmp, "nginx", "root")
            os.makedirs(os.path.join(root, "lessons"), exist_ok=True)
            os.makedirs(os.path.join(root, "api", "v1"), exist_ok=True)
            open(os.path.join(root, "lesson.html"), "wb").write(lesson_body)
            open(os.path.join(root, "courses.json"), "wb").write(search_body)
            open(os.path.join(root, "progress.json"), "wb").write(beat_body)
            nport = free_port()
            conf = f"""
    {"user root;" if os.getuid() == 0 else ""}
    worker_processes {ncores};
    pid {tmp}/nginx/nginx.pid;
    error_log {tmp}/nginx/error.log warn;
    daemon off;
    events {{ worker_connections 4096; }}
    http {{
      access_log {tmp}/nginx/access.log;
      sendfile on; tcp_nodelay on; keepalive_requests 1000000; open_file_cache max=100;
      client_body_temp_path {tmp}/nginx/body;
      server {{
        listen 127.0.0.1:{nport};
        root {root};
        location = {lesson_path} {{ default_type "text/html; charset=utf-8"; try_files /lesson.html =404; }}
        location = /api/v1/courses {{ default_type "application/json"; try_files /courses.json =404; }}
        # POST to a static file is refused by nginx; a body read and answered from memory instead.
        location = /api/v1/progress {{ client_body_buffer_size 16k; default_type "application/json"; return 202 '{beat_body.decode()}'; }}
      }}
    }}
    """
            os.makedirs(os.path.join(tmp, "nginx"), exist_ok=True)
            open(os.path.join(tmp, "nginx", "nginx.conf"), "w").write(conf)
            ng = subprocess.Popen(["nginx", "-p", os.path.join(tmp, "nginx"), "-c", os.path.join(tmp, "nginx", "nginx.conf"),
                                   "-e", os.path.join(tmp, "nginx", "error.log")], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
            procs.append(ng)
            nbase = f"http://127.0.0.1:{nport}"
            for _ in range(100):
                try:
                    if http("GET", nbase + lesson_path)[0] == 200:
                        break
                except OSError:
                    time.sleep(0.05)
            assert http("GET", nbase + lesson_path)[1] == lesson_body

        scripts = {}
        for name, tmpl in (("lesson", LESSON_LUA), ("heartbeat", HEARTBEAT_LUA), ("search", SEARCH_LUA)):
            path = os.path.join(tmp, f"{name}.lua")
            open(path, "w").write(tmpl % {"report": report_lua, "tokens": tokens_lua, "path": lesson_path, "lesson": video_lesson,
                                          "queries": ", ".join(f'"{q}"' for q in SEARCH_QUERIES)})
            scripts[name] = path

        results = {}
        say(f"== wrk -t{args.threads} -c{args.connections} -d{args.duration}s (+{args.warmup}s warm-up), "
            + ("hocvu alone (smoke)" if args.smoke else "servers alternating"))
        for i, name in enumerate(("lesson", "heartbeat", "search")):
            order = [("hocvu", base)] if args.smoke else [("hocvu", base), ("nginx", nbase)]
            if i % 2:
                order.reverse()
            for server, url in order:
                if args.warmup:
                    subprocess.run(["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{args.warmup}s", "-s", scripts[name], url],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                # A smoke run shares a busy test machine: a slow answer is not a wrong one.
                timeout = ["--timeout", "10s"] if args.smoke else []
                out = subprocess.run(["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{args.duration}s", "--latency", *timeout,
                                      "-s", scripts[name], url], capture_output=True, text=True).stdout
                m = re.search(r"^BENCH_RESULT (.*)$", out, re.M)
                if not m:
                    sys.exit(f"no result from wrk for {name} on {server}:\n{out}")
                d = dict(kv.split("=", 1) for kv in m.group(1).split())
                results[(name, server)] = d
                errs = sum(int(v) for k, v in d.items() if k.startswith("err_"))
                if server == "hocvu" and errs:
                    problems.append(f"{name}: {errs} errors (" + ", ".join(f"{k[4:]} {v}" for k, v in d.items() if k.startswith("err_"))
                                    + "; status: answers other than 2xx/3xx)")
                if int(d["requests"]) == 0:
                    problems.append(f"{name} on {server}: no request completed")
                say(f"  {name:10} {server:6} {float(d['rps']):10.0f} req/s  p50 {int(d['p50_us'])/1000:.2f} ms  p99 {int(d['p99_us'])/1000:.2f} ms"
                    + (f"  {errs} errors" if errs else ""))
                if server == "hocvu" and server_dead(server_proc=server_proc_of(procs)):
                    sys.exit("hocvu died; see " + os.path.join(tmp, "hocvu.log"))

        # Stopped first, so that every acknowledged heartbeat is in the database file.
        cleanup_server(procs[0])
        con = sqlite3.connect(os.path.join(data, "hocvu.db"))
        saved = con.execute("SELECT COUNT(*) FROM block_progress WHERE block_key = 'v'").fetchone()[0]
        con.close()
        beats = int(results[("heartbeat", "hocvu")]["requests"])
        # Each acknowledged heartbeat is a learner's progress row (one per learner; the probe's too).
        if not 1 <= saved <= min(args.learners, beats + 1):
            problems.append(f"{beats} heartbeats answered, but {saved} learners have video progress")

        rows, missed = [], []
        for name in ("lesson", "heartbeat", "search"):
            h, n = results[(name, "hocvu")], results.get((name, "nginx"))
            ratio = float(h["rps"]) / float(n["rps"]) if n else None
            errs = sum(int(v) for k, v in h.items() if k.startswith("err_"))
            ok = (args.smoke or float(h["rps"]) >= TARGETS[name]) and errs == 0
            if not ok:
                missed.append(name)
            for server, d in (("hocvu", h), ("nginx", n)) if n else (("hocvu", h),):
                rows.append([name, server, f"{float(d['rps']):.0f}", f"{int(d['p50_us'])/1000:.2f} ms", f"{int(d['p99_us'])/1000:.2f} ms",
                             str(sum(int(v) for k, v in d.items() if k.startswith("err_"))),
                             f"{ratio:.2f}" if server == "hocvu" and ratio else "",
                             ("smoke, no target" if args.smoke else f">= {TARGETS[name]} {'ok' if ok else 'MISSED'}") if server == "hocvu" else ""])
        hdr = ["case", "server", "req/s", "p50", "p99", "errors", "hocvu/nginx", "target"]
        md = ["| " + " | ".join(hdr) + " |", "|" + "|".join("---" for _ in hdr) + "|"] + ["| " + " | ".join(r) + " |" for r in rows]
        stamp = time.strftime("%Y-%m-%d-%H%M%S")
        report = os.path.join(REPO, "bench", "out", f"learning-{stamp}.md") if not args.smoke else os.devnull
        os.makedirs(os.path.dirname(report), exist_ok=True)
        cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "")
        text = (f"# Learning load, {stamp}\n\n{ncores} cores ({cpu}); {args.learners} learners with sessions and two enrolments each; "
                f"wrk -t{args.threads} -c{args.connections} -d{args.duration}s; lesson `{lesson_path}` ({len(lesson_body)} bytes, "
                f"random session of 20,000), heartbeat `POST /api/v1/progress` (a 5 s video stretch, random learner), "
                f"search `GET /api/v1/courses?q=...` (8 queries in turn). Heartbeats saved: {saved} learners have video progress.\n\n"
                + "\n".join(md) + "\n")
        open(report, "w").write(text)
        print("\n" + "\n".join("  ".join(c.ljust(12) for c in r) for r in [hdr] + rows))
        print(f"\nheartbeat rows in block_progress for the video: {saved}" + ("" if args.smoke else f"\nreport: {report}"))
        for p in problems:
            print("PROBLEM: " + p)
        print("checks: " + ("all passed" if not problems else f"{len(problems)} FAILED"))
        if problems or (args.check and missed):
            sys.exit(1)
    finally:
        cleanup()


def cleanup_server(proc):
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()


def server_proc_of(procs):
    return procs[0]


def server_dead(server_proc):
    return server_proc.poll() is not None


if __name__ == "__main__":
    main()
