#!/usr/bin/env python3
"""Exam-day benchmark (issue 5): 10,000 learners start the same 20-question final exam within
60 seconds, each saves 20 answers with think time and submits; then the highest rate of attempt
starts and of answer saves, measured with wrk against `hocvu serve` and against nginx answering
bodies of the same size, side by side. Afterwards every answer the server acknowledged with 200 is
looked up in the database (attempt_answers must hold the last value sent), and every submitted
attempt must have its score, equal to the one the bench computes from the answers it sent.
Runs on SQLite (the default) and then on a throwaway PostgreSQL (tests/postgres/start.sh).

    bench/http/exam_day.py [--engines sqlite,postgres] [--learners 10000] [--arrival 60]
                           [--think 1.5] [--real-connections 256] [--pool 150000]
                           [--duration 10] [--warmup 2] [--connections 128] [--threads 2]
                           [--save-attempts 1000] [--keep-tmp] [--check]

Phase 1, the exam: learners arrive at random times over --arrival seconds; each starts its attempt
(POST /api/v1/quizzes/{id}/attempts), saves one answer per question drawn (PUT
/api/v1/attempts/{id}/answers/{q}, a random option, true/false, or a typed text) with a think time
of 0.5 to 1.5 x --think seconds before each request, then submits (POST .../submit). wrk drives
all learners over --real-connections keep-alive connections with a Lua scheduler; per-kind
latencies come from the Lua side, and "lag" says how late the client sent a request compared with
when the learner wanted to (a large lag would mean the client, not the server, was the limit).

Phase 2, throughput: wrk -t{threads} -c{connections} -d{duration}s after a --warmup run, hocvu and
nginx alternating: starts, each by a learner of a --pool of fresh enrolled learners; saves, on
--save-attempts of the open attempts those starts created, each changing the value.

HOCVU_BINARY (default build-release/hocvu). PG_BIN as for tests/postgres/start.sh. Writes
bench/out/exam-<date>.md. Targets (2-core machine): starts and saves >= 5,000/s each with p99
under 100 ms, no error, no lost answer.
"""
import argparse, base64, csv, hashlib, io, json, os, random, re, shutil, signal, socket, sqlite3, subprocess
import sys, tempfile, time, urllib.request, zipfile

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib  # noqa: E402
from benchlib import free_port, http, say  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
TARGET_RATE = 5000
TARGET_P99_MS = 100
ADMIN_LOGIN, ADMIN_PASSWORD = "0900000001", "Quan-tri-2025!"


def api(base, method, path, token=None, body=None, ctype="application/json", expect=(200, 201)):
    headers = {}
    if token:
        headers["Authorization"] = "Bearer " + token
    data = None
    if body is not None:
        data = body if isinstance(body, bytes) else (json.dumps(body).encode() if ctype == "application/json" else body.encode())
        headers["Content-Type"] = ctype
    st, out, h = http(method, base + path, data, headers)
    if expect and st not in expect:
        raise SystemExit(f"exam_day.py: {method} {path} answered {st}: {out[:500]!r}")
    return st, (json.loads(out) if out[:1] in (b"{", b"[") else out), h


def pct(values, p):
    if not values:
        return 0.0
    s = sorted(values)
    return s[min(len(s) - 1, max(0, int(round(p / 100 * len(s) + 0.5)) - 1))]


# ---------------------------------------------------------------------------------------------
# What the server stores for what a learner sends. Learners name options (and ordering items) by
# their position in the order drawn for their attempt, "1", "2", ... (src/assessment/question_json.h,
# to_learner / from_learner); attempt_answers holds the author's ids, and attempts.drawn holds, per
# question, that order. So a value the bench sent is checked against the database, and scored,
# through the attempt's drawn order as stored.

POSITIONAL = ("single_choice", "multiple_choice", "ordering")


def stored_form(qtype, order, sent):
    """The value attempt_answers must hold for `sent`, or None when `sent` names a position the
    draw does not have (the server must refuse such a value with 422)."""
    if qtype not in POSITIONAL:
        return sent

    def at(p):
        if isinstance(p, str) and re.fullmatch(r"[0-9]{1,4}", p) and 1 <= int(p) <= len(order):
            return order[int(p) - 1]
        return None
    if isinstance(sent, str):
        return at(sent)
    if isinstance(sent, list) and qtype == "ordering":
        ids = [at(p) for p in sent]
        return None if None in ids else ids
    return None  # multiple choice's stored (canonical) form is not needed by this bench's bank


def save_candidates(gs, got, sent_at, answered_at):
    """The phase-2 requests to one slot whose value the database may hold at the end: those that no
    acknowledged (200) request sent after their answer supersedes. sent_at and answered_at give a
    request's place as (run, wrk thread, line in that thread's log); order is known within a thread
    and between runs, not between threads of one run."""
    def before(g, h):
        if g not in answered_at:
            return False  # never answered: it may have been applied at any time
        (rg, tg, pg), (rh, th, ph) = answered_at[g], sent_at[h]
        return rg < rh or (rg == rh and tg == th and pg < ph)
    ok = [g for g in gs if got.get(g) == 200]
    return [g for g in gs if not any(before(g, h) for h in ok if h != g)]


def check_answers(sent, stored, orders, bank_types):
    """sent: {attempt: {question: last value acknowledged}}; stored: {attempt: {question: value in
    attempt_answers}}; orders: {attempt: {question: drawn order}}; bank_types: {question: type}.
    Returns (checked, missing, wrong, extra): every acknowledged value must be stored in its
    stored form, and nothing else may be stored for those attempts."""
    missing, wrong, extra, checked = [], [], [], 0
    for aid, want in sent.items():
        have = stored.get(aid, {})
        for q, value in want.items():
            checked += 1
            expect = stored_form(bank_types[q], orders.get(aid, {}).get(q, []), value)
            if q not in have:
                missing.append((aid, q, value))
            elif expect is None or have[q] != expect:
                wrong.append((aid, q, value, expect, have[q]))
        for q in have:
            if q not in want:
                extra.append((aid, q, have[q]))
    return checked, missing, wrong, extra


def expected_score(drawn, sent, bank):
    """(score, max) of an attempt that drew `drawn` (attempts.drawn: [{id, order}]) and whose last
    acknowledged values were `sent` ({question: value}), from the bank's right answers: full mark
    for the right option, truth or accepted text, nothing otherwise (the bench's bank has no
    partial credit and no negative marks)."""
    got = total = 0.0
    for d in drawn:
        q = bank[d["id"]]
        total += q["mark"]
        value = sent.get(d["id"])
        if value is not None and stored_form(q["type"], d["order"], value) == q["right"]:
            got += q["mark"]
    return got, total


# ---------------------------------------------------------------------------------------------
# The exam: a course, a GIFT bank of 40 questions in two categories, a final exam drawing 10 of each.

def course_package():
    return benchlib.course_package("bench-exam", "Khóa học có bài thi cuối khóa", "Một khóa học để đo tải ngày thi.",
                                   "Bài đọc", """          - key: t
            kind: text
            markdown: Đọc kỹ phần này trước khi thi.
""")


CATEGORIES = ["An toàn thông tin", "Dịch vụ công trực tuyến"]


def gift_bank():
    """40 questions: per category 10 single choice (4 options), 5 true/false, 5 short answer.
    Texts hold none of GIFT's special characters, nor quotes or braces (the Lua side reads the
    attempt JSON with patterns)."""
    out = []
    n = 0
    for c, cat in enumerate(CATEGORIES):
        out.append(f"$CATEGORY: {cat}\n")
        for i in range(20):
            n += 1
            if i < 10:
                out.append(f"Câu {n} thuộc phần {cat}. Cách làm nào là đúng nhất trong tình huống số {n}? "
                           f"{{=Cách làm đúng của câu {n} ~Cách làm sai thứ nhất ~Cách làm sai thứ hai ~Cách làm sai thứ ba}}\n")
            elif i < 15:
                out.append(f"Nhận định số {n} thuộc phần {cat} là {'đúng' if n % 2 else 'sai'}. {{{'T' if n % 2 else 'F'}}}\n")
            else:
                out.append(f"Câu {n}. Hãy gõ cụm từ khóa của câu này, viết thường. {{=khóa {n}}}\n")
    return "\n".join(out)


# ---------------------------------------------------------------------------------------------
# Databases: SQLite through the sqlite3 module, PostgreSQL through psql (COPY in CSV both ways).

class SqliteDb:
    name = "SQLite"

    def __init__(self, path):
        self.path = path

    def query(self, sql):
        con = sqlite3.connect(self.path, timeout=60)
        try:
            return [tuple(r) for r in con.execute(sql).fetchall()]
        finally:
            con.close()

    def execute(self, sql):
        con = sqlite3.connect(self.path, timeout=60)
        with con:
            con.execute(sql)
        con.close()

    def insert_learners(self, people, sessions, enrolments):
        con = sqlite3.connect(self.path, timeout=60)
        with con:
            con.executemany("INSERT INTO people (id, full_name, search_name, phone, target_group, unit_code, created_at, updated_at)"
                            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", people)
            con.executemany("INSERT INTO sessions (token_digest, person_id, created_at, expires_at, user_agent) VALUES (?, ?, ?, ?, ?)",
                            sessions)
            con.executemany("INSERT INTO enrolments (course_id, person_id, source, enrolled_at) VALUES (?, ?, ?, ?)", enrolments)
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        con.close()


class PgDb:
    name = "PostgreSQL"

    def __init__(self, url, psql):
        self.url, self.psql = url, psql

    def _psql(self, command, data=None):
        r = subprocess.run([self.psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", self.url, "-c", command],
                           input=data, capture_output=True)
        if r.returncode != 0:
            raise SystemExit(f"exam_day.py: psql failed on {command[:200]!r}: {r.stderr.decode()[:2000]}")
        return r.stdout

    def query(self, sql):
        out = self._psql(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)").decode()
        return [tuple(r) for r in csv.reader(io.StringIO(out))]

    def execute(self, sql):
        self._psql(sql)

    def _copy(self, table, columns, rows):
        buf = io.StringIO()
        csv.writer(buf).writerows(rows)
        self._psql(f"\\copy {table} ({', '.join(columns)}) FROM STDIN WITH (FORMAT csv)", buf.getvalue().encode())

    def insert_learners(self, people, sessions, enrolments):
        self._copy("people", ["id", "full_name", "search_name", "phone", "target_group", "unit_code", "created_at", "updated_at"], people)
        self._psql("SELECT setval(pg_get_serial_sequence('people', 'id'), (SELECT MAX(id) FROM people))")
        self._copy("sessions", ["token_digest", "person_id", "created_at", "expires_at", "user_agent"], sessions)
        self._copy("enrolments", ["course_id", "person_id", "source", "enrolled_at"], enrolments)
        self._psql("ANALYZE")


def generate_learners(db, n, course_id, phone_base, seed):
    """n people, each with a session and enrolled in the course, written straight into the database.
    Returns [(person_id, token)]."""
    rnd = random.Random(seed)
    now, far = "2026-11-25T00:00:00.000Z", "2099-01-01T00:00:00.000Z"
    start = int(db.query("SELECT COALESCE(MAX(id), 0) FROM people")[0][0]) + 1
    people, sessions, enrolments, out = [], [], [], []
    for i in range(n):
        pid = start + i
        token = base64.urlsafe_b64encode(rnd.randbytes(32)).decode().rstrip("=")
        people.append((pid, f"Thí sinh {phone_base + i}", f"thi sinh {phone_base + i}", "07%08d" % (phone_base + i), "citizen", "01", now, now))
        sessions.append((hashlib.blake2b(token.encode(), digest_size=32).hexdigest(), pid, now, far, "bench"))
        enrolments.append((course_id, pid, "self", now))
        out.append((pid, token))
    db.insert_learners(people, sessions, enrolments)
    return out


# ---------------------------------------------------------------------------------------------
# wrk runs

def parse_wrk(out):
    m = re.search(r"^BENCH_RESULT (.*)$", out, re.M)
    if not m:
        return None
    d = dict(kv.split("=", 1) for kv in m.group(1).split())
    d["errors"] = sum(int(v) for k, v in d.items() if k.startswith("err_"))
    d["threads"] = [dict(kv.split("=", 1) for kv in l.split()[1:]) for l in re.findall(r"^EXAM_THREAD .*$", out, re.M)]
    return d


def read_thread(prefix, t):
    """The lines of wrk thread t's log, in the order it wrote them."""
    path = f"{prefix}-{t}.log"
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            yield from f


def read_lines(prefix, threads):
    for t in range(threads):
        yield from read_thread(prefix, t)


def run_wrk(script, url, env, threads, connections, seconds, latency=True, timeout="30s"):
    cmd = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", f"--timeout={timeout}"]
    if latency:
        cmd.append("--latency")
    cmd += ["-s", script, url]
    r = subprocess.run(cmd, env=env, capture_output=True, text=True)
    return r.stdout + r.stderr


def log_extent(prefix, threads):
    """The highest request number a start/save run sent (from its '>' lines)."""
    hi = -1
    for line in read_lines(prefix, threads):
        if line.startswith("> "):
            hi = max(hi, int(line[2:]))
    return hi


# ---------------------------------------------------------------------------------------------
# The machine may be shared: how much CPU went to processes other than the bench's own (hocvu,
# nginx and PostgreSQL with their children, wrk and this script) while a phase ran.

HZ = os.sysconf("SC_CLK_TCK")


def machine_busy():
    f = [int(x) for x in open("/proc/stat").readline().split()[1:]]
    return sum(f) - f[3] - f[4]  # all but idle and iowait, in ticks


def process_table():
    table = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                st = open(f"/proc/{d}/stat").read()
            except OSError:
                continue
            rest = st[st.rfind(")") + 2:].split()
            table[int(d)] = (int(rest[1]), int(rest[11]) + int(rest[12]))  # ppid, utime + stime
    return table


def tree_ticks(table, roots):
    total, todo, seen = 0, [r for r in roots if r], set()
    children = {}
    for pid, (ppid, _) in table.items():
        children.setdefault(ppid, []).append(pid)
    while todo:
        pid = todo.pop()
        if pid in seen or pid not in table:
            continue
        seen.add(pid)
        total += table[pid][1]
        todo += children.get(pid, [])
    return total


class CpuMeter:
    def __init__(self, roots):
        self.roots = roots
        self.t0, self.b0 = time.time(), machine_busy()
        self.o0 = tree_ticks(process_table(), roots())
        t = os.times()
        self.c0 = t.children_user + t.children_system + t.user + t.system

    def stop(self):
        secs, busy = time.time() - self.t0, machine_busy() - self.b0
        ours = tree_ticks(process_table(), self.roots()) - self.o0
        t = os.times()
        mine = t.children_user + t.children_system + t.user + t.system - self.c0
        bench = ours / HZ + mine
        return {"seconds": secs, "machine_cores": busy / HZ / secs, "bench_cores": bench / secs,
                "other_cores": max(0.0, busy / HZ - bench) / secs}


class Engine:
    """One complete run on one database engine: server, exam, learners, both phases, checks."""

    def __init__(self, kind, args, binary, root):
        self.kind, self.args, self.binary = kind, args, binary
        self.tmp = os.path.join(root, kind)
        os.makedirs(self.tmp)
        self.procs = []
        self.pg_state = None
        self.result = {"engine": kind, "problems": []}

    def problem(self, text):
        say("   PROBLEM: " + text)
        self.result["problems"].append(text)

    # --- servers ---------------------------------------------------------------------------
    def start_postgres(self):
        """A database URL and psql: --database-url's (an empty database, as the test suite's
        tests/postgres/with_database.sh gives), else a throwaway cluster of our own."""
        url = self.args.database_url
        if not url:
            # The cluster owner (postgres, when we are root) must reach the state dir.
            self.pg_state = tempfile.mkdtemp(prefix="hocvu-exam-pg.")
            os.chmod(self.pg_state, 0o755)
            r = subprocess.run([os.path.join(REPO, "tests", "postgres", "start.sh"), self.pg_state], capture_output=True, text=True)
            if r.returncode != 0:
                raise SystemExit("exam_day.py: tests/postgres/start.sh failed:\n" + r.stderr[-3000:])
            url = r.stdout.strip().splitlines()[-1]
        bindir = os.environ.get("PG_BIN") or next((d for d in sorted(
            (os.path.join("/usr/lib/postgresql", v, "bin") for v in (os.listdir("/usr/lib/postgresql") if os.path.isdir("/usr/lib/postgresql") else [])),
            reverse=True) if os.path.exists(os.path.join(d, "psql"))), "")
        psql = os.path.join(bindir, "psql") if bindir else shutil.which("psql")
        ver = subprocess.run([psql, "-X", "-A", "-t", url, "-c", "SHOW server_version"], capture_output=True, text=True).stdout.strip()
        self.result["pg_version"] = ver
        return url, psql

    def stop(self):
        for p in reversed(self.procs):
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
                try:
                    p.wait(20)
                except subprocess.TimeoutExpired:
                    p.kill()
        self.procs = []

    def stop_postgres(self):
        if self.pg_state:
            subprocess.run([os.path.join(REPO, "tests", "postgres", "stop.sh"), self.pg_state], capture_output=True)
            shutil.rmtree(self.pg_state, ignore_errors=True)
            self.pg_state = None

    def start_hocvu(self):
        log = open(os.path.join(self.tmp, "hocvu.log"), "a")
        self.hocvu = subprocess.Popen([self.binary, "serve"], env=self.env, stdout=log, stderr=subprocess.STDOUT)
        self.procs.append(self.hocvu)
        for _ in range(300):
            try:
                if http("GET", self.base + "/healthz", timeout=2)[0] == 200:
                    return
            except OSError:
                pass
            if self.hocvu.poll() is not None:
                break
            time.sleep(0.1)
        raise SystemExit("exam_day.py: hocvu serve did not start; see " + os.path.join(self.tmp, "hocvu.log"))

    def bench_pids(self):
        pids = [p.pid for p in self.procs if p.poll() is None and p.args[0] != "wrk"]
        if self.pg_state:
            try:
                pids.append(int(open(os.path.join(self.pg_state, "pgdata", "postmaster.pid")).readline()))
            except (OSError, ValueError):
                pass
        return pids

    def hocvu_alive(self):
        return self.hocvu.poll() is None

    # --- the whole run ---------------------------------------------------------------------
    def run(self):
        a = self.args
        self.result["load_start"] = open("/proc/loadavg").read().split()[0]
        data = os.path.join(self.tmp, "data")
        self.env = dict(os.environ, HOCVU_DATA_DIR=data, HOCVU_ACCESS_LOG="1")
        self.env.pop("HOCVU_DATABASE_URL", None)
        port = free_port()
        self.env["HOCVU_LISTEN"] = f"127.0.0.1:{port}"
        self.base = f"http://127.0.0.1:{port}"
        if self.kind == "postgres":
            url, psql = self.start_postgres()
            self.env["HOCVU_DATABASE_URL"] = url
            self.db = PgDb(url, psql)
        else:
            self.db = SqliteDb(os.path.join(data, "hocvu.db"))
        with open(os.path.join(self.tmp, "migrate.log"), "w") as mlog:
            subprocess.run([self.binary, "migrate"], env=self.env, check=True, stdout=mlog, stderr=subprocess.STDOUT)
        subprocess.run([self.binary, "create-admin", "--login", ADMIN_LOGIN, "--name", "Quản Trị"], env=self.env, check=True,
                       input=(ADMIN_PASSWORD + "\n").encode(), stdout=subprocess.DEVNULL)
        self.start_hocvu()
        self.setup_exam()
        self.seed()
        if not a.smoke:
            self.start_nginx()
        meter = CpuMeter(self.bench_pids)
        self.realistic()
        self.result["cpu_real"] = meter.stop()
        meter = CpuMeter(self.bench_pids)
        self.throughput()
        self.result["cpu_tp"] = meter.stop()
        self.result["load_end"] = open("/proc/loadavg").read().split()[0]
        say("== stopping hocvu, then checking the database")
        self.stop()
        self.verify()
        if a.smoke and not self.result["problems"]:
            self.check_the_checks()
        return self.result

    def setup_exam(self):
        say(f"== [{self.kind}] the exam: organisation, course, bank of 40 questions, final exam")
        _, s, _ = api(self.base, "POST", "/api/v1/sessions", body={"login": ADMIN_LOGIN, "password": ADMIN_PASSWORD})
        admin = s["token"]
        _, org, _ = api(self.base, "POST", "/api/v1/organisations", admin, {"name": "Hội đồng thi", "kind": "other", "unit_code": "01"})
        _, pkg, _ = api(self.base, "POST", f"/api/v1/author/packages?provider_id={org['id']}", admin, course_package(), "application/zip")
        course = pkg["course_id"]
        api(self.base, "POST", f"/api/v1/author/courses/{course}/publish", admin, expect=(200,))
        _, bank, _ = api(self.base, "POST", "/api/v1/banks", admin, {"title": "Ngân hàng đề thi cuối khóa", "provider_id": org["id"]})
        _, imp, _ = api(self.base, "POST", f"/api/v1/banks/{bank['id']}/import?format=gift", admin, gift_bank(),
                        "text/plain; charset=utf-8", expect=(200,))
        if imp["imported"] != 40 or imp["errors"]:
            raise SystemExit(f"exam_day.py: the GIFT import gave {imp}")
        _, full, _ = api(self.base, "GET", f"/api/v1/banks/{bank['id']}", admin)
        self.bank = {}
        for q in full["items"]:
            if q["type"] == "single_choice":
                right = max(q["options"], key=lambda o: o["fraction"])["id"]
            elif q["type"] == "true_false":
                right = q["truth"]
            else:
                right = next(x["text"] for x in q["accepted"] if x["fraction"] >= 1)
            self.bank[q["id"]] = {"type": q["type"], "right": right, "mark": q["mark"], "category": q["category"],
                                  "options": {o["id"]: o["text"] for o in q.get("options", [])}}
        settings = {"draws": [{"category": CATEGORIES[0], "count": 10}, {"category": CATEGORIES[1], "count": 10}],
                    "time_limit_minutes": 30, "max_attempts": 3, "pass_percent": 50, "shuffle_options": True,
                    "review": "answers"}
        _, quiz, _ = api(self.base, "POST", "/api/v1/quizzes", admin,
                         {"kind": "final_exam", "bank_id": bank["id"], "course_id": course, "title": "Bài thi cuối khóa", "settings": settings})
        if quiz.get("problems"):
            raise SystemExit(f"exam_day.py: the quiz has problems: {quiz['problems']}")
        self.course, self.quiz = course, quiz["id"]
        types = {}
        for q in self.bank.values():
            types[q["type"]] = types.get(q["type"], 0) + 1
        self.result["exam"] = {"bank_questions": len(self.bank), "types": types, "quiz": self.quiz}

    def seed(self):
        a = self.args
        say(f"== [{self.kind}] generating {a.learners} exam learners + {a.pool} for the throughput phase + 1 probe, enrolled, with sessions")
        t0 = time.time()
        everyone = generate_learners(self.db, a.learners + a.pool + 1, self.course, 0, seed=5)
        self.learners = everyone[:a.learners]
        self.pool = everyone[a.learners:a.learners + a.pool]
        self.probe = everyone[-1]
        self.person_of_token = {t: p for p, t in everyone}
        say(f"   done in {time.time() - t0:.1f}s")
        # The bytes nginx will answer: a real start and a real save, by the probe learner.
        st, body, _ = http("POST", f"{self.base}/api/v1/quizzes/{self.quiz}/attempts", b"", {"Authorization": "Bearer " + self.probe[1]})
        if st != 201:
            raise SystemExit(f"exam_day.py: the probe start answered {st}: {body[:500]!r}")
        attempt = json.loads(body)
        if len(attempt["questions"]) != 20:
            self.problem(f"a start drew {len(attempt['questions'])} questions, not 20")
        self.start_body = body
        # The premise of every check below: the options a learner sees, named "1", "2", ..., are
        # the stored draw's order, and a position sent is stored as the option at that place.
        drawn = {d["id"]: d["order"] for d in json.loads(
            self.db.query(f"SELECT drawn FROM attempts WHERE id = {int(attempt['id'])}")[0][0])}
        choice = [q for q in attempt["questions"] if q["type"] == "single_choice"]
        for q in choice:
            seen = [(o["id"], o["text"]) for o in q["options"]]
            want = [(str(i + 1), self.bank[q["id"]]["options"][oid]) for i, oid in enumerate(drawn[q["id"]])]
            if seen != want:
                self.problem(f"the probe's attempt shows question {q['id']} as {seen}, its stored draw is {want}")
        q = choice[0] if choice else attempt["questions"][0]
        value = q["options"][-1]["id"] if q["type"] == "single_choice" else (True if q["type"] == "true_false" else "thử")
        st, body, _ = http("PUT", f"{self.base}/api/v1/attempts/{attempt['id']}/answers/{q['id']}", json.dumps({"value": value}).encode(),
                           {"Authorization": "Bearer " + self.probe[1], "Content-Type": "application/json"})
        if st != 200:
            raise SystemExit(f"exam_day.py: the probe save answered {st}: {body[:500]!r}")
        self.save_body = body
        stored = self.db.query(f"SELECT value FROM attempt_answers WHERE attempt_id = {int(attempt['id'])} AND question = '{q['id']}'")
        want = stored_form(q["type"], drawn[q["id"]], value)
        if not stored or json.loads(stored[0][0]) != want:
            self.problem(f"the probe saved {value!r} for {q['id']}; attempt_answers holds {stored}, not {want!r}")

    def start_nginx(self):
        def literal(b):  # same size, nothing nginx's quoted strings or variables would read
            return b.decode("utf-8").replace("\\", "/").replace("'", '"').replace("$", "S")
        ng = os.path.join(self.tmp, "nginx")
        os.makedirs(ng)
        self.nport = free_port()
        conf = f"""
{"user root;" if os.getuid() == 0 else ""}
worker_processes {os.cpu_count()};
pid {ng}/nginx.pid;
error_log {ng}/error.log warn;
daemon off;
events {{ worker_connections 4096; }}
http {{
  access_log {ng}/access.log;
  tcp_nodelay on; keepalive_requests 1000000;
  client_body_temp_path {ng}/body;
  client_body_buffer_size 16k;
  server {{
    listen 127.0.0.1:{self.nport};
    root {ng}/root;
    # The start body is longer than a configuration token may be: a file, which nginx refuses to
    # POST (405) and then serves by error_page with status 201.
    location ~ ^/api/v1/quizzes/[0-9]+/attempts$ {{ error_page 405 =201 /start.json; try_files /start.json =404; }}
    location = /start.json {{ internal; default_type "application/json"; }}
    location ~ ^/api/v1/attempts/[0-9]+/answers/ {{ default_type "application/json"; return 200 '{literal(self.save_body)}'; }}
  }}
}}
"""
        os.makedirs(os.path.join(ng, "root"))
        open(os.path.join(ng, "root", "start.json"), "wb").write(self.start_body)
        open(os.path.join(ng, "nginx.conf"), "w").write(conf)
        p = subprocess.Popen(["nginx", "-p", ng, "-c", os.path.join(ng, "nginx.conf"), "-e", os.path.join(ng, "error.log")],
                             stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        self.procs.insert(0, p)
        self.nbase = f"http://127.0.0.1:{self.nport}"
        for _ in range(100):
            try:
                st, body, _ = http("POST", f"{self.nbase}/api/v1/quizzes/{self.quiz}/attempts", b"")
                if st == 201:
                    if len(body) != len(self.start_body):
                        raise SystemExit("exam_day.py: nginx's start body differs in size")
                    return
            except OSError:
                time.sleep(0.05)
        raise SystemExit("exam_day.py: nginx did not start; see " + os.path.join(ng, "error.log"))

    # --- phase 1 ---------------------------------------------------------------------------
    def realistic(self):
        a = self.args
        rnd = random.Random(11)
        learners_file = os.path.join(self.tmp, "learners.txt")
        with open(learners_file, "w") as f:
            for i, (pid, tok) in enumerate(self.learners):
                f.write(f"{i} {tok} {int(rnd.random() * a.arrival * 1000)}\n")
        short_file = os.path.join(self.tmp, "short.txt")
        with open(short_file, "w", encoding="utf-8") as f:
            for qid, q in self.bank.items():
                if q["type"] == "short_answer":
                    f.write(f"{qid} {q['right']}\n")
        prefix = os.path.join(self.tmp, "real")
        lead = 0.5 if a.smoke else 2.0  # seconds for wrk to start and read its files
        t0_us = int((time.time() + lead) * 1e6)
        env = dict(os.environ, EXAM_THREADS=str(a.threads), EXAM_T0_US=str(t0_us), EXAM_THINK_MS=str(int(a.think * 1000)),
                   EXAM_QUIZ=str(self.quiz), EXAM_SHORT=short_file, EXAM_LEARNERS=learners_file, EXAM_LOG=prefix)
        limit = lead + a.arrival + 22 * 1.5 * a.think + 300
        say(f"== [{self.kind}] phase 1: {a.learners} learners arrive over {a.arrival}s; start, 20 saves, submit; think "
            f"{0.5 * a.think:.2f}-{1.5 * a.think:.2f}s; wrk -t{a.threads} -c{a.real_connections}")
        cmd = ["wrk", f"-t{a.threads}", f"-c{a.real_connections}", f"-d{int(limit)}s", "--timeout=60s", "-s", self.scripts["real"], self.base]
        out_path = os.path.join(self.tmp, "real-wrk.out")
        wrk = subprocess.Popen(cmd, env=env, stdout=open(out_path, "w"), stderr=subprocess.STDOUT)
        self.procs.append(wrk)  # stopped with the servers should anything below fail
        # Learners log a U (submitted) or X (gave up) line when they are done; stop wrk when all are.
        offsets, finished, started = {}, 0, time.time()
        last_report = 0
        while wrk.poll() is None:
            time.sleep(0.25 if a.smoke else 1)
            for t in range(a.threads):
                path = f"{prefix}-{t}.log"
                if not os.path.exists(path):
                    continue
                with open(path, "rb") as f:
                    f.seek(offsets.get(t, 0))
                    chunk = f.read()
                    cut = chunk.rfind(b"\n") + 1
                    offsets[t] = offsets.get(t, 0) + cut
                    finished += sum(1 for l in chunk[:cut].splitlines() if l[:2] in (b"U ", b"X "))
            if time.time() - last_report >= 10:
                last_report = time.time()
                say(f"   {time.time() - started:5.0f}s: {finished} learners done")
            if finished >= a.learners:
                time.sleep(0.5)
                wrk.send_signal(signal.SIGINT)
                break
            if not self.hocvu_alive():
                wrk.send_signal(signal.SIGINT)
                self.problem("hocvu died during phase 1; see " + os.path.join(self.tmp, "hocvu.log"))
                break
        try:
            wrk.wait(60)
        except subprocess.TimeoutExpired:
            wrk.kill()
        wall = time.time() - started
        out = open(out_path).read()
        w = parse_wrk(out)
        # Parse the learners' logs.
        starts, saves, submits, gave_up = [], [], [], []
        for line in read_lines(prefix, a.threads):
            p = line.rstrip("\n").split(" ", 9)
            if p[0] == "S":
                starts.append({"t": int(p[1]), "idx": int(p[2]), "status": int(p[3]), "attempt": None if p[4] == "-" else int(p[4]),
                               "lat": int(p[5]), "lag": float(p[6]), "n": int(p[7])})
            elif p[0] == "A":
                saves.append({"t": int(p[1]), "idx": int(p[2]), "attempt": int(p[3]), "q": p[4], "status": int(p[5]), "lat": int(p[6]),
                              "lag": float(p[7]), "saved": p[8] == "1", "value": json.loads(p[9])})
            elif p[0] == "U":
                submits.append({"t": int(p[1]), "idx": int(p[2]), "attempt": int(p[3]), "status": int(p[4]), "lat": int(p[5]), "lag": float(p[6])})
            elif p[0] == "X":
                gave_up.append({"idx": int(p[2]), "status": int(p[3])})
        self.real = {"starts": starts, "saves": saves, "submits": submits, "gave_up": gave_up}

        def stats(rows):
            ok = [r for r in rows if 200 <= r["status"] < 300]
            lat = [r["lat"] / 1000 for r in rows]
            lag = [r["lag"] / 1000 for r in rows]
            ts = [r["t"] for r in rows]
            span = (max(ts) - min(ts)) / 1000 if len(ts) > 1 else 0
            per_sec = {}
            for t in ts:
                per_sec[t // 1000] = per_sec.get(t // 1000, 0) + 1
            statuses = {}
            for r in rows:
                statuses[r["status"]] = statuses.get(r["status"], 0) + 1
            return {"count": len(rows), "ok": len(ok), "statuses": statuses, "p50": pct(lat, 50), "p99": pct(lat, 99),
                    "max": max(lat) if lat else 0, "rate": len(rows) / span if span else 0, "peak": max(per_sec.values()) if per_sec else 0,
                    "lag_p99": pct(lag, 99), "lag_max": max(lag) if lag else 0, "span": span}

        r = {"learners": a.learners, "completed": sum(1 for s in submits if s["status"] == 200), "gave_up": len(gave_up),
             "start": stats(starts), "save": stats(saves), "submit": stats(submits), "wall": wall,
             "resumed": sum(1 for s in starts if s["status"] == 200), "wrk_errors": w["errors"] if w else None,
             "wrk_threads": w["threads"] if w else [], "saved_false": sum(1 for s in saves if s["status"] == 200 and not s["saved"])}
        r["errors"] = (sum(1 for s in starts if s["status"] != 201) + sum(1 for s in saves if s["status"] != 200)
                       + sum(1 for s in submits if s["status"] != 200) + (w["errors"] if w else 0))
        r["incomplete"] = a.learners - len(submits) - len(gave_up)
        self.result["real"] = r
        say(f"   {r['completed']}/{a.learners} submitted in {wall:.0f}s; errors {r['errors']}; "
            f"start p50 {r['start']['p50']:.1f} p99 {r['start']['p99']:.1f} ms; save p50 {r['save']['p50']:.1f} p99 {r['save']['p99']:.1f} ms;"
            f" submit p50 {r['submit']['p50']:.1f} p99 {r['submit']['p99']:.1f} ms; peak {r['save']['peak']} saves/s; client lag p99 "
            f"{max(r['start']['lag_p99'], r['save']['lag_p99']):.1f} ms")
        if r["incomplete"]:
            self.problem(f"phase 1: {r['incomplete']} learners never finished (a request without a response)")
        if not w:
            self.problem("phase 1: no summary from wrk:\n" + out[-2000:])
        for s in starts:
            if s["status"] not in (200, 201):
                self.problem(f"phase 1: a start answered {s['status']} (learner {s['idx']})")
                break
        bad = [s for s in saves if s["status"] != 200]
        if bad:
            self.problem(f"phase 1: {len(bad)} saves did not answer 200 (first: {bad[0]})")
        if r["saved_false"]:
            self.problem(f"phase 1: {r['saved_false']} first saves of an answer came back as \"saved\": false")
        bad = [s for s in submits if s["status"] != 200]
        if bad:
            self.problem(f"phase 1: {len(bad)} submits did not answer 200 (first: {bad[0]})")

    # --- phase 2 ---------------------------------------------------------------------------
    def throughput(self):
        a = self.args
        pool_file = os.path.join(self.tmp, "pool.txt")
        with open(pool_file, "w") as f:
            f.write("".join(tok + "\n" for _, tok in self.pool))
        self.tp = {}
        self.start_runs = []   # log prefixes of hocvu start runs, in order
        self.save_runs = []
        say(f"== [{self.kind}] phase 2: wrk -t{a.threads} -c{a.connections} -d{a.duration}s (+{a.warmup}s warm-up), "
            + ("hocvu only (smoke)" if a.smoke else "hocvu and nginx alternating"))
        offset = 0
        env = dict(os.environ, EXAM_THREADS=str(a.threads), EXAM_QUIZ=str(self.quiz), EXAM_POOL=pool_file)
        servers = [("hocvu", self.base)] if a.smoke else [("hocvu", self.base), ("nginx", self.nbase)]
        for i, (server, url) in enumerate(servers):
            for run, secs in (("warmup", a.warmup), ("measured", a.duration)):
                if secs <= 0:
                    continue
                prefix = os.path.join(self.tmp, f"start-{server}-{run}")
                e = dict(env, EXAM_OFFSET=str(offset if server == "hocvu" else 0), EXAM_LOG=prefix,
                         EXAM_MAX=str(len(self.pool) if server == "hocvu" else 1 << 50))
                out = run_wrk(self.scripts["start"], url, e, a.threads, a.connections, secs)
                if server == "hocvu":
                    self.start_runs.append(prefix)
                    offset = log_extent(prefix, a.threads) + 1
                if run == "measured":
                    self.record("start", server, out, prefix)
        if offset >= len(self.pool) and not a.smoke:
            # The start script stops a thread when the pool runs out (a smoke run's small pool
            # does): the run measured less than --duration.
            self.problem(f"phase 2: the starts used up the pool of {len(self.pool)} learners; raise --pool")
        # Saves, on open attempts the starts created.
        rows = self.db.query(f"SELECT a.id, a.person_id, a.drawn FROM attempts a WHERE a.quiz_id = {self.quiz} AND a.ended_ms IS NULL"
                             f" AND a.person_id >= {self.pool[0][0]} AND a.person_id <= {self.pool[-1][0]} ORDER BY a.id")
        token_of = {p: t for p, t in self.pool}
        natt = min(a.save_attempts, len(rows))
        natt -= natt % a.threads  # slot count a multiple of the threads: a slot always on the same thread
        self.save_attempts = []
        saves_file = os.path.join(self.tmp, "saves.txt")
        with open(saves_file, "w", encoding="utf-8") as f:
            for aid, pid, drawn in rows[:natt]:
                drawn = json.loads(drawn)
                if len(drawn) != 20:
                    self.problem(f"attempt {aid} drew {len(drawn)} questions")
                    continue
                items, qs = [], []
                for d in drawn:
                    t = self.bank[d["id"]]["type"]
                    if t == "single_choice":
                        # Options are named by their position in the attempt (stored_form).
                        positions = [str(i + 1) for i in range(len(d["order"]))]
                        items.append(f"{d['id']}:c:{','.join(positions)}")
                        qs.append((d["id"], "c", positions, list(d["order"])))
                    elif t == "true_false":
                        items.append(f"{d['id']}:t")
                        qs.append((d["id"], "t", [], []))
                    else:
                        items.append(f"{d['id']}:s")
                        qs.append((d["id"], "s", [], []))
                f.write(f"{aid} {token_of[int(pid)]} {' '.join(items)}\n")
                self.save_attempts.append((int(aid), qs))
        if len(self.save_attempts) < a.threads:
            self.problem("phase 2: no open attempts to save answers into")
            return
        env = dict(os.environ, EXAM_THREADS=str(a.threads), EXAM_SAVES=saves_file)
        offset = 0
        servers = [("hocvu", self.base)] if a.smoke else [("nginx", self.nbase), ("hocvu", self.base)]
        for i, (server, url) in enumerate(servers):
            for run, secs in (("warmup", a.warmup), ("measured", a.duration)):
                if secs <= 0:
                    continue
                prefix = os.path.join(self.tmp, f"save-{server}-{run}")
                e = dict(env, EXAM_OFFSET=str(offset if server == "hocvu" else 0), EXAM_LOG=prefix)
                out = run_wrk(self.scripts["save"], url, e, a.threads, a.connections, secs)
                if server == "hocvu":
                    self.save_runs.append(prefix)
                    offset = log_extent(prefix, a.threads) + 1 + a.threads
                if run == "measured":
                    self.record("save", server, out, prefix)
        for case in ("start", "save"):
            h, n = self.tp.get((case, "hocvu")), self.tp.get((case, "nginx"))
            if h and n and float(n["rps"]) > 0:
                h["ratio"] = float(h["rps"]) / float(n["rps"])

    def record(self, case, server, out, prefix):
        d = parse_wrk(out)
        if not d:
            self.problem(f"phase 2: no result from wrk for {case} on {server}:\n{out[-2000:]}")
            return
        statuses = {}
        for line in read_lines(prefix, self.args.threads):
            if line.startswith("< "):
                st = line.split()[2]
                statuses[st] = statuses.get(st, 0) + 1
        d["statuses"] = statuses
        want = "201" if case == "start" else "200"
        d["bad_status"] = sum(v for k, v in statuses.items() if k != want)
        # Errors: wrk's socket errors (its err_status counts the same refused answers again).
        d["errors"] -= int(d.get("err_status", 0))
        self.tp[(case, server)] = d
        if server == "hocvu" and (d["bad_status"] or d["errors"]):
            # A refused start or save is work the server did not do: it must not pass for speed.
            self.problem(f"phase 2: {d['bad_status']} of hocvu's {case}s answered other than {want}"
                         f" ({', '.join(f'{k}: {v}' for k, v in sorted(statuses.items()))}), {d['errors']} socket errors")
        say(f"   {case:6} {server:6} {float(d['rps']):9.0f} req/s  p50 {int(d['p50_us']) / 1000:6.2f} ms  p99 {int(d['p99_us']) / 1000:7.2f} ms"
            f"  statuses {statuses}" + (f"  {d['errors']} socket/HTTP errors" if d["errors"] else ""))
        if server == "hocvu" and not self.hocvu_alive():
            raise SystemExit("exam_day.py: hocvu died; see " + os.path.join(self.tmp, "hocvu.log"))

    # --- checks ----------------------------------------------------------------------------
    def check_the_checks(self):
        """Smoke only, after a clean verify: the checks must see a wrong answer, a wrong score and a
        wrong phase-2 answer when the database is given them. Makes one of each (the server has
        stopped) and runs the checks again, which must count exactly those."""
        say(f"== [{self.kind}] the checks shown one wrong answer, one wrong score and one wrong phase-2 answer")
        sm = self.samples
        if not sm.get("answer") or not sm.get("score") or not sm.get("save"):
            self.problem(f"smoke: too little acknowledged to test the checks on ({sm})")
            return
        corrupt = """'"bench: not what was sent"'"""
        aid, q = sm["answer"]
        self.db.execute(f"UPDATE attempt_answers SET value = {corrupt} WHERE attempt_id = {aid} AND question = '{q}'")
        self.db.execute(f"UPDATE attempts SET score = score + 1 WHERE id = {sm['score']}")
        aid, q = sm["save"]
        self.db.execute(f"UPDATE attempt_answers SET value = {corrupt} WHERE attempt_id = {aid} AND question = '{q}'")
        v = self.verify(record=False)
        seen = (v["real"]["wrong"], v["real"]["score_mismatch"], v["saves"]["wrong"], v["real"]["missing"], v["saves"]["lost"])
        if seen != (1, 1, 1, 0, 0):
            self.problem(f"smoke: the checks did not catch exactly what was planted: (wrong, score mismatches,"
                         f" phase-2 wrong, missing, lost) = {seen}, not (1, 1, 1, 0, 0)")
        else:
            say("   caught all three")

    def verify(self, record=True):
        """Looks up in the database what the server acknowledged. With record, every discrepancy
        is a problem of the run; returns the counts either way."""
        problem = self.problem if record else (lambda text: None)
        v = {}
        db = self.db
        # Phase 1: each learner's attempt, its 20 answers as last sent (acknowledged with 200), its score.
        person = {i: pid for i, (pid, _) in enumerate(self.learners)}
        lo, hi = self.learners[0][0], self.learners[-1][0]
        attempts = {int(r[0]): r for r in db.query(
            f"SELECT id, person_id, COALESCE(ended_by, ''), score, max_score, drawn FROM attempts WHERE quiz_id = {self.quiz}"
            f" AND person_id BETWEEN {lo} AND {hi}")}
        answers = {}
        for aid, q, value in db.query(f"SELECT x.attempt_id, x.question, x.value FROM attempt_answers x JOIN attempts a ON a.id = x.attempt_id"
                                      f" WHERE a.quiz_id = {self.quiz} AND a.person_id BETWEEN {lo} AND {hi}"):
            answers.setdefault(int(aid), {})[q] = json.loads(value)
        real = self.real
        expected = {}   # attempt -> {question: last value acknowledged}
        for s in real["saves"]:
            if s["status"] == 200:
                expected.setdefault(s["attempt"], {})[s["q"]] = s["value"]
        foreign = []
        for s in real["starts"]:
            if s["attempt"] is None:
                continue
            row = attempts.get(s["attempt"])
            if not row or int(row[1]) != person[s["idx"]]:
                foreign.append(s)
        # Each attempt's draw as stored: the order its options were shown in, which is what the
        # positions the learner sent name.
        drawn = {aid: json.loads(row[5]) for aid, row in attempts.items()}
        orders = {aid: {d["id"]: d["order"] for d in ds} for aid, ds in drawn.items()}
        types = {q: b["type"] for q, b in self.bank.items()}
        checked, missing, wrong, extra = check_answers(expected, answers, orders, types)
        self.samples = {"answer": next(((aid, q) for aid, w in expected.items() for q in w), None)}
        # Scores: what the bench computes from the values it sent and the bank's right answers.
        score_bad, unscored, not_submitted = [], [], []
        for u in real["submits"]:
            if u["status"] != 200:
                continue
            row = attempts.get(u["attempt"])
            if not row or row[2] != "learner":
                not_submitted.append((u["attempt"], row[2] if row else None))
                continue
            if row[3] in (None, ""):
                unscored.append(u["attempt"])
                continue
            got, total = expected_score(drawn[u["attempt"]], expected.get(u["attempt"], {}), self.bank)
            if abs(float(row[3]) - got) > 1e-6 or abs(float(row[4]) - total) > 1e-6:
                score_bad.append((u["attempt"], float(row[3]), float(row[4]), got, total))
            self.samples["score"] = u["attempt"]
        v["real"] = {"answers_checked": checked, "missing": len(missing), "wrong": len(wrong), "extra": len(extra),
                     "foreign": len(foreign), "scored": sum(1 for u in real["submits"] if u["status"] == 200) - len(unscored) - len(not_submitted),
                     "unscored": len(unscored), "not_submitted": len(not_submitted), "score_mismatch": len(score_bad),
                     "attempts_in_db": len(attempts)}
        for name, lst in (("missing", missing), ("wrong", wrong), ("extra", extra), ("foreign", foreign), ("unscored", unscored),
                          ("not_submitted", not_submitted), ("score_mismatch", score_bad)):
            if lst:
                problem(f"phase 1 check: {len(lst)} {name}; first: {lst[:3]}")

        # Phase 2 starts: every acknowledged start is an attempt of the right learner.
        pool_of = {}
        for prefix in self.start_runs:
            for line in read_lines(prefix, self.args.threads):
                if line.startswith("< "):
                    _, g, st, aid = line.split()
                    if st in ("200", "201") and aid != "-":
                        pool_of[int(aid)] = (self.pool[int(g) % len(self.pool)][0], st)
        lo, hi = self.pool[0][0], self.pool[-1][0]
        owners = {int(r[0]): int(r[1]) for r in db.query(f"SELECT id, person_id FROM attempts WHERE quiz_id = {self.quiz}"
                                                          f" AND person_id BETWEEN {lo} AND {hi}")}
        bad_starts = [(aid, p) for aid, (p, _) in pool_of.items() if owners.get(aid) != p]
        v["starts"] = {"acknowledged": len(pool_of), "created_201": sum(1 for _, s in pool_of.values() if s == "201"),
                       "attempts_in_db": len(owners), "wrong_or_missing": len(bad_starts)}
        if bad_starts:
            problem(f"phase 2 check: {len(bad_starts)} acknowledged starts without their attempt; first {bad_starts[:3]}")

        # Phase 2 saves: the stored value of a slot must be that of a request to it that nothing
        # acknowledged later supersedes. Requests to one slot can be in flight at once on several
        # connections (a slow save overlaps the next pass over the slots), so "the last 200 wins"
        # does not hold; what is known is order within one wrk thread's log (a request answered
        # before another was sent came first) and between runs (one wrk run ends before the next).
        # A request without a response (in flight when wrk stopped) or with an error may or may not
        # have been applied.
        S = len(self.save_attempts) * 20
        if S:
            sent, got, sent_at, answered_at = set(), {}, {}, {}
            for run, prefix in enumerate(self.save_runs):
                for t in range(self.args.threads):
                    for pos, line in enumerate(read_thread(prefix, t)):
                        if line.startswith("> "):
                            g = int(line[2:])
                            sent.add(g)
                            sent_at[g] = (run, t, pos)
                        elif line.startswith("< "):
                            p = line.split()
                            if p[1].isdigit():
                                got[int(p[1])] = int(p[2])
                                answered_at[int(p[1])] = (run, t, pos)


            def value(g):
                """What request g stored: its value (as SAVE_LUA makes it) in the stored form."""
                slot, pas = g % S, g // S
                _, qs = self.save_attempts[slot % len(self.save_attempts)]
                qid, kind, vals, order = qs[slot // len(self.save_attempts)]
                if kind == "c":
                    return stored_form("single_choice", order, vals[pas % len(vals)])
                if kind == "t":
                    return pas % 2 == 0
                return f"trả lời {pas}"

            per_slot = {}
            for g in sorted(sent):
                per_slot.setdefault(g % S, []).append(g)
            ids = ",".join(str(aid) for aid, _ in self.save_attempts)
            have = {}
            for aid, q, val in db.query(f"SELECT attempt_id, question, value FROM attempt_answers WHERE attempt_id IN ({ids})"):
                have[(int(aid), q)] = json.loads(val)
            lost, wrong2, uncertain, checked2, acked = [], [], 0, 0, 0
            for slot, gs in per_slot.items():
                aid, qs = self.save_attempts[slot % len(self.save_attempts)]
                key = (aid, qs[slot // len(self.save_attempts)][0])
                ok = [g for g in gs if got.get(g) == 200]
                acked += len(ok)
                if not ok:
                    continue  # nothing acknowledged: nothing to hold the server to
                # Candidates: every request that no acknowledged request sent after its answer supersedes.
                live = save_candidates(gs, got, sent_at, answered_at)
                if any(got.get(g) != 200 for g in live):
                    uncertain += 1
                allowed = [value(g) for g in live]
                checked2 += 1
                self.samples["save"] = key
                if key not in have:
                    lost.append((key, value(max(ok))))
                elif have[key] not in allowed:
                    wrong2.append((key, allowed, have[key]))
            v["saves"] = {"acknowledged": acked, "slots_checked": checked2, "lost": len(lost), "wrong": len(wrong2),
                          "slots_with_unanswered_last_request": uncertain}
            if lost or wrong2:
                problem(f"phase 2 check: {len(lost)} lost and {len(wrong2)} wrong answers; first {(lost + wrong2)[:3]}")
        if not record:
            return v
        self.result["verify"] = v
        say(f"   phase 1: {checked} acknowledged answers checked, {len(missing)} missing, {len(wrong)} wrong, {len(extra)} unexpected;"
            f" {v['real']['scored']} submitted attempts scored, {len(score_bad)} score mismatches")
        if "saves" in v:
            say(f"   phase 2: {v['saves']['acknowledged']} acknowledged saves over {v['saves']['slots_checked']} answers checked,"
                f" {v['saves']['lost']} lost, {v['saves']['wrong']} wrong; starts: {v['starts']['acknowledged']} acknowledged,"
                f" {v['starts']['wrong_or_missing']} without their attempt")


# ---------------------------------------------------------------------------------------------
# Report

def fmt_rate(x):
    return f"{x:,.0f}"


def report(results, args, stamp):
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "")
    lines = [f"# Exam day, {stamp}", "",
             f"{os.cpu_count()} cores ({cpu}). "
             f"Exam: a final exam drawing 10 + 10 questions from a GIFT bank of 40 in two categories (single choice with 4 options,"
             f" true/false, short answer), 30-minute limit. Phase 1: {args.learners} learners arrive at random over {args.arrival} s;"
             f" each starts, saves 20 answers with a think time of {0.5 * args.think:.2f}-{1.5 * args.think:.2f} s before each request,"
             f" and submits (wrk with a Lua scheduler, {args.real_connections} keep-alive connections). Phase 2: wrk -t{args.threads}"
             f" -c{args.connections} -d{args.duration}s after a {args.warmup} s warm-up, no think time; starts by fresh learners,"
             f" saves changing answers of open attempts; nginx answers bodies of the same size (`return` from memory). hocvu with"
             f" the access log on, as in the other benchmarks.", ""]
    def cpu(r, key):
        c = r.get(key)
        return f"{c['other_cores']:.2f} of {os.cpu_count()} cores" if c else "?"
    loads = "; ".join(f"{r['engine']}: phase 1 {cpu(r, 'cpu_real')}, phase 2 {cpu(r, 'cpu_tp')} (load average"
                      f" {r.get('load_start', '?')} at the start, {r.get('load_end', '?')} after phase 2)" for r in results)
    lines += [f"The server, PostgreSQL, wrk and nginx share the machine's cores. CPU used meanwhile by processes outside the"
              f" bench (the machine is shared): {loads}. Figures taken while others used much CPU are low.", ""]
    missed = []
    lines += ["## Phase 1: the exam", "",
              "| engine | learners | submitted | errors | starts/s (avg, peak 1 s) | start p50 / p99 | saves/s (avg, peak 1 s) | save p50 / p99 | submit p50 / p99 | client lag p99 | wall |",
              "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        if "real" not in r:
            continue
        x = r["real"]
        lines.append(f"| {r['engine']} | {x['learners']} | {x['completed']} | {x['errors']} | {x['start']['rate']:.0f}, {x['start']['peak']} |"
                     f" {x['start']['p50']:.1f} / {x['start']['p99']:.1f} ms | {x['save']['rate']:.0f}, {x['save']['peak']} |"
                     f" {x['save']['p50']:.1f} / {x['save']['p99']:.1f} ms | {x['submit']['p50']:.1f} / {x['submit']['p99']:.1f} ms |"
                     f" {max(x['start']['lag_p99'], x['save']['lag_p99'], x['submit']['lag_p99']):.1f} ms | {x['wall']:.0f} s |")
        if x["errors"] or x["completed"] != x["learners"]:
            missed.append(f"{r['engine']}: phase 1 errors or unfinished learners")
        for k in ("start", "save", "submit"):
            if x[k]["p99"] >= TARGET_P99_MS and not args.smoke:
                missed.append(f"{r['engine']}: phase 1 {k} p99 {x[k]['p99']:.0f} ms")
    lines += ["", "## Phase 2: throughput", "",
              "| engine | case | server | req/s | p50 | p99 | errors | statuses | hocvu/nginx | target |",
              "|---|---|---|---:|---:|---:|---:|---|---:|---|"]
    for r in results:
        tp = r.get("tp", {})
        for case in ("start", "save"):
            for server in ("hocvu", "nginx"):
                d = tp.get((case, server))
                if not d:
                    continue
                errs = d["errors"] + d["bad_status"]
                t = ""
                if server == "hocvu" and args.smoke:
                    ok = errs == 0
                    t = f"smoke, no speed target; errors: {'none' if ok else 'MISSED'}"
                    if not ok:
                        missed.append(f"{r['engine']}: {case} errors {errs}")
                elif server == "hocvu":
                    ok = float(d["rps"]) >= TARGET_RATE and int(d["p99_us"]) < TARGET_P99_MS * 1000 and errs == 0
                    t = f"≥ {TARGET_RATE:,}/s, p99 < {TARGET_P99_MS} ms: {'ok' if ok else 'MISSED'}"
                    if not ok:
                        missed.append(f"{r['engine']}: {case} {float(d['rps']):.0f}/s p99 {int(d['p99_us']) / 1000:.1f} ms errors {errs}")
                st = ", ".join(f"{k}: {v}" for k, v in sorted(d["statuses"].items())) if server == "hocvu" else ""
                ratio = f"{d['ratio']:.2f}" if "ratio" in d else "-"
                lines.append(f"| {r['engine']} | {case} | {server} | {fmt_rate(float(d['rps']))} | {int(d['p50_us']) / 1000:.2f} ms |"
                             f" {int(d['p99_us']) / 1000:.2f} ms | {errs} | {st} | {ratio} |" if server == "hocvu" else
                             f"| {r['engine']} | {case} | {server} | {fmt_rate(float(d['rps']))} | {int(d['p50_us']) / 1000:.2f} ms |"
                             f" {int(d['p99_us']) / 1000:.2f} ms | {errs} | | | |")
                if server == "hocvu":
                    lines[-1] += f" {t} |"
    lines += ["", "## Checks in the database", ""]
    for r in results:
        v = r.get("verify")
        if not v:
            continue
        x = v["real"]
        lines.append(f"- **{r['engine']}**, phase 1: {x['answers_checked']:,} acknowledged answers looked up in attempt_answers:"
                     f" {x['missing']} missing, {x['wrong']} with another value, {x['extra']} unexpected; {x['scored']:,} submitted"
                     f" attempts scored, {x['score_mismatch']} scores differing from the bench's own count, {x['unscored']} without"
                     f" score, {x['not_submitted']} acknowledged but not submitted.")
        if "saves" in v:
            s = v["saves"]
            lines.append(f"  Phase 2: {s['acknowledged']:,} acknowledged saves; the last acknowledged value of each of"
                         f" {s['slots_checked']:,} answers looked up: {s['lost']} lost, {s['wrong']} with another value"
                         f" ({s['slots_with_unanswered_last_request']} answers had a later request still in flight when wrk stopped,"
                         f" either value accepted). Starts: {v['starts']['acknowledged']:,} acknowledged, {v['starts']['wrong_or_missing']}"
                         f" without their attempt in the database.")
        if v["real"]["missing"] or v["real"]["wrong"] or v.get("saves", {}).get("lost") or v.get("saves", {}).get("wrong"):
            missed.append(f"{r['engine']}: lost or wrong answers")
    for r in results:
        if r.get("pg_version"):
            lines.append(f"\nPostgreSQL {r['pg_version']}, started by tests/postgres/start.sh (fsync off:"
                         f" a throwaway cluster, so its commits never wait for a disk; hocvu's sessions run"
                         f" synchronous_commit=on. SQLite runs WAL with synchronous=FULL, decision 0008).")
    problems = [(r["engine"], p) for r in results for p in r["problems"]]
    if problems:
        lines += ["", "## Problems", ""] + [f"- {e}: {p}" for e, p in problems]
        missed += [f"{e}: {p.splitlines()[0]}" for e, p in problems]
    if args.smoke:
        lines += ["", "Smoke (figures mean nothing; checks only): no error, refused request, lost or wrong answer or score"
                  " mismatch, and the checks caught what was planted: " + ("all passed." if not missed else "FAILED: " + "; ".join(missed) + ".")]
    else:
        lines += ["", "Targets: starts and saves ≥ 5,000/s, p99 < 100 ms, no error, no lost answer: "
                  + ("all met." if not missed else "MISSED: " + "; ".join(missed) + ".")]
    return "\n".join(lines) + "\n", missed


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    # Defaults per mode: (full, --smoke). A smoke run takes seconds per engine and keeps every check.
    sizes = {"learners": (10000, 30), "arrival": (60, 1), "think": (1.5, 0.05), "real_connections": (256, 8),
             "pool": (150000, 3000), "duration": (10, 1), "warmup": (2, 0), "connections": (128, 8), "threads": (2, 2),
             "save_attempts": (1000, 20)}
    ap.add_argument("--smoke", action="store_true",
                    help="small counts, a few seconds per engine, every check, no nginx and no speed targets")
    ap.add_argument("--engines", default="sqlite,postgres")
    ap.add_argument("--database-url", default=os.environ.get("HOCVU_TEST_DATABASE_URL", ""),
                    help="an empty PostgreSQL database to use instead of a throwaway cluster (default: $HOCVU_TEST_DATABASE_URL,"
                         " which the test suite's tests/postgres/with_database.sh sets)")
    ap.add_argument("--learners", type=int)
    ap.add_argument("--arrival", type=float)
    ap.add_argument("--think", type=float, help="mean think time in seconds (each is 0.5-1.5x this)")
    ap.add_argument("--real-connections", type=int)
    ap.add_argument("--pool", type=int)
    ap.add_argument("--duration", type=int)
    ap.add_argument("--warmup", type=int)
    ap.add_argument("--connections", type=int)
    ap.add_argument("--threads", type=int)
    ap.add_argument("--save-attempts", type=int)
    ap.add_argument("--keep-tmp", action="store_true")
    ap.add_argument("--check", action="store_true", help=argparse.SUPPRESS)  # the default now; kept for old command lines
    args = ap.parse_args()
    for k, (full, smoke) in sizes.items():
        if getattr(args, k) is None:
            setattr(args, k, smoke if args.smoke else full)
    binary = os.environ.get("HOCVU_BINARY", os.path.join(REPO, "build-release", "hocvu"))
    for tool in ("wrk",) if args.smoke else ("wrk", "nginx"):
        if not shutil.which(tool):
            sys.exit(f"exam_day.py: {tool} not found (scripts/install-deps.sh --bench)")
    if not os.access(binary, os.X_OK):
        sys.exit(f"exam_day.py: no executable hocvu at {binary}")
    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    if any(e not in ("sqlite", "postgres") for e in engines) or not engines:
        sys.exit(f"exam_day.py: --engines takes sqlite and/or postgres, not {args.engines!r}")
    if "postgres" in engines and not args.database_url and not (
            os.environ.get("PG_BIN") or os.path.isdir("/usr/lib/postgresql") or shutil.which("initdb")):
        if args.smoke:  # a smoke run that skips an engine would pass without checking it
            sys.exit("exam_day.py: no PostgreSQL server binaries (scripts/install-deps.sh --test installs them)")
        say("exam_day.py: no PostgreSQL server binaries (scripts/install-deps.sh --test installs them); SQLite only")
        engines.remove("postgres")
    try:
        import resource
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 65536) if hard != resource.RLIM_INFINITY else 65536, hard))
    except (ValueError, OSError):
        pass

    root = tempfile.mkdtemp(prefix="hocvu-exam-bench.")
    scripts = {}
    for name, text in (("real", REALISTIC_LUA), ("start", START_LUA), ("save", SAVE_LUA)):
        scripts[name] = os.path.join(root, f"{name}.lua")
        open(scripts[name], "w").write(text)
    results = []
    try:
        for kind in engines:
            e = Engine(kind, args, binary, root)
            e.scripts = scripts
            try:
                results.append(e.run())
                e.result["tp"] = getattr(e, "tp", {})
            finally:
                e.stop()
                e.stop_postgres()
    finally:
        if args.keep_tmp:
            say(f"kept {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)
    stamp = time.strftime("%Y-%m-%d-%H%M%S")
    text, missed = report(results, args, stamp)
    print("\n" + text)
    if not args.smoke:  # a smoke run's figures mean nothing: no report file
        os.makedirs(os.path.join(REPO, "bench", "out"), exist_ok=True)
        path = os.path.join(REPO, "bench", "out", f"exam-{stamp}.md")
        open(path, "w").write(text)
        print(f"report: {path}")
    # Any wrong or lost answer, score mismatch, refused request or (full mode) missed target.
    if missed:
        sys.exit(1)


# ---------------------------------------------------------------------------------------------
# wrk scripts. Parameters come from the environment (EXAM_*), so the texts are static. wrk gives a
# script no handle on the connection a response came back on, so each request carries an
# X-Request-Id that hocvu echoes; response() finds the learner (or the request number) by it.
# Shared by every script: thread numbers (setup runs in wrk's main Lua state before each thread's
# init), a machine-readable summary from done(), and per-thread figures fetched with thread:get.
COMMON_LUA = r"""
local threads, next_tid = {}, 0
function setup(thread)
  thread:set("tid", next_tid)
  next_tid = next_tid + 1
  threads[#threads + 1] = thread
end

function done(summary, latency, requests)
  local e = summary.errors
  local secs = summary.duration / 1e6
  io.write(string.format(
    "BENCH_RESULT requests=%d seconds=%.3f rps=%.2f bytes=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d mean_us=%.1f "
    .. "err_connect=%d err_read=%d err_write=%d err_status=%d err_timeout=%d\n",
    summary.requests, secs, summary.requests / secs, summary.bytes, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, latency.mean, e.connect, e.read, e.write, e.status, e.timeout))
  for _, t in ipairs(threads) do
    io.write(string.format("EXAM_THREAD tid=%d active=%d fillers=%d strays=%d inflight=%d\n", t:get("tid"),
      t:get("active") or 0, t:get("fillers") or 0, t:get("strays") or 0, t:get("inflight_n") or 0))
  end
end
"""

# Phase 1: learners arriving over the arrival window. Each is a little state machine: start the
# attempt, think, save question 1, think, ... save question 20, think, submit. Learners due next
# sit in a heap; before each request wrk asks delay() how long to wait, which reserves the
# earliest-due learner and sleeps until it is due, and request() then sends for the earliest
# reserved one (a connection's timer never fires before some reserved learner is due, so every
# request is for a learner whose time has come). Latency is measured here from the moment the
# request is handed to wrk to its response, per kind; "lag" is how late the client sent it
# compared with when the learner was due (large lag would mean the load generator fell behind).
REALISTIC_LUA = r"""
local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_nsec; } exam_timespec;
int clock_gettime(int clk, exam_timespec *tp);
]]
local tsbuf = ffi.new("exam_timespec")
local function now_us()
  ffi.C.clock_gettime(0, tsbuf)  -- CLOCK_REALTIME: T0 comes from the driver
  return tonumber(tsbuf.tv_sec) * 1000000 + math.floor(tonumber(tsbuf.tv_nsec) / 1000)
end
""" + COMMON_LUA + r"""
active, fillers, strays, inflight_n = 0, 0, 0, 0
local heap, reserved, inflight, short = {}, {}, {}, {}
local log, T0, think, quiz

local function hpush(x)
  local n = #heap + 1
  heap[n] = x
  while n > 1 do
    local p = math.floor(n / 2)
    if heap[p].due <= heap[n].due then break end
    heap[p], heap[n] = heap[n], heap[p]
    n = p
  end
end

local function hpop()
  local n = #heap
  if n == 0 then return nil end
  local top = heap[1]
  heap[1] = heap[n]
  heap[n] = nil
  n = n - 1
  local i = 1
  while true do
    local l, r, m = 2 * i, 2 * i + 1, i
    if l <= n and heap[l].due < heap[m].due then m = l end
    if r <= n and heap[r].due < heap[m].due then m = r end
    if m == i then break end
    heap[i], heap[m] = heap[m], heap[i]
    i = m
  end
  return top
end

function init(args)
  local nthreads = tonumber(os.getenv("EXAM_THREADS"))
  T0 = tonumber(os.getenv("EXAM_T0_US"))
  think = tonumber(os.getenv("EXAM_THINK_MS")) * 1000
  quiz = os.getenv("EXAM_QUIZ")
  math.randomseed(1000 + tid * 7919)
  for line in io.lines(os.getenv("EXAM_SHORT")) do
    local q, text = line:match("^(%S+) (.*)$")
    if q then short[q] = text end
  end
  for line in io.lines(os.getenv("EXAM_LEARNERS")) do
    local idx, tok, at = line:match("^(%d+) (%S+) (%d+)$")
    idx = tonumber(idx)
    if idx and idx % nthreads == tid then
      hpush({idx = idx, tok = tok, due = T0 + tonumber(at) * 1000, step = 0})
      active = active + 1
    end
  end
  log = io.open(os.getenv("EXAM_LOG") .. "-" .. tid .. ".log", "w")
end

function delay()
  local x = hpop()
  if x then
    reserved[#reserved + 1] = {due = x.due, x = x}
    local d = (x.due - now_us()) / 1000
    if d <= 0 then return 0 end
    return math.floor(d)
  end
  if active == 0 then
    reserved[#reserved + 1] = {due = math.huge}
    return 3600000
  end
  -- Every remaining learner is waiting for a response: look again shortly.
  reserved[#reserved + 1] = {due = now_us() + 20000}
  return 20
end

local function earliest_reserved()
  local bi, bd = nil, math.huge
  for i = 1, #reserved do
    if reserved[i].due <= bd then bi, bd = i, reserved[i].due end
  end
  if not bi then return nil end
  local r = reserved[bi]
  reserved[bi] = reserved[#reserved]
  reserved[#reserved] = nil
  return r
end

local function choose(q)
  if q.type == "single_choice" and #q.options > 0 then
    return '"' .. q.options[math.random(#q.options)] .. '"'
  elseif q.type == "true_false" then
    return math.random() < 0.5 and "true" or "false"
  elseif q.type == "short_answer" then
    if short[q.id] and math.random() < 0.6 then return '"' .. short[q.id] .. '"' end
    return '"không nhớ"'
  end
  return "null"
end

function request()
  local r = earliest_reserved()
  local x = r and r.x
  if not x and heap[1] and heap[1].due <= now_us() then x = hpop() end
  if not x then
    -- Nothing due (wrk also calls request() once at start-up to check the script): a cheap
    -- request that no learner waits for.
    fillers = fillers + 1
    return wrk.format("GET", "/healthz", {["X-Request-Id"] = "filler"})
  end
  local t = now_us()
  x.sent, x.lag = t, t - x.due
  x.rid = "L" .. x.idx .. "-" .. x.step
  inflight[x.rid] = x
  inflight_n = inflight_n + 1
  local h = {["Authorization"] = "Bearer " .. x.tok, ["X-Request-Id"] = x.rid}
  if x.step == 0 then
    return wrk.format("POST", "/api/v1/quizzes/" .. quiz .. "/attempts", h)
  elseif x.step <= #x.qs then
    local q = x.qs[x.step]
    x.value = choose(q)
    h["Content-Type"] = "application/json"
    return wrk.format("PUT", "/api/v1/attempts/" .. x.attempt .. "/answers/" .. q.id, h, '{"value":' .. x.value .. '}')
  end
  return wrk.format("POST", "/api/v1/attempts/" .. x.attempt .. "/submit", h)
end

-- The questions of an attempt as sent by POST /api/v1/quizzes/{id}/attempts (compact JSON, keys in
-- the order the server writes them; the bench's question texts hold no quotes or braces).
local function questions_of(body)
  local qs, marks = {}, {}
  local pos = body:find('"questions":[', 1, true)
  if not pos then return qs end
  while true do
    local s, e, id, ty = body:find('{"id":"(q%d+)","type":"([%w_]+)"', pos)
    if not s then break end
    marks[#marks + 1] = {s = s, e = e}
    qs[#qs + 1] = {id = id, type = ty, options = {}}
    pos = e + 1
  end
  for i, q in ipairs(qs) do
    local last = marks[i + 1] and marks[i + 1].s or #body
    local seg = body:sub(marks[i].e, last)
    for oid in seg:gmatch('{"id":"([^"]+)","text"') do q.options[#q.options + 1] = oid end
  end
  return qs
end

local function finish()
  active = active - 1
  log:flush()
end

function response(status, headers, body)
  local rid = headers["X-Request-Id"] or headers["x-request-id"]
  local x = rid and inflight[rid]
  if not x then
    strays = strays + 1
    return
  end
  inflight[rid] = nil
  inflight_n = inflight_n - 1
  local t = now_us()
  local lat = t - x.sent
  local ts = math.floor((t - T0) / 1000)
  if x.step == 0 then
    local aid = (status == 201 or status == 200) and body:match('^{"id":(%d+)')
    local qs = aid and questions_of(body) or {}
    log:write("S ", ts, " ", x.idx, " ", status, " ", aid or "-", " ", lat, " ", x.lag, " ", #qs, "\n")
    if not aid or #qs == 0 then
      log:write("X ", ts, " ", x.idx, " ", status, "\n")
      return finish()
    end
    x.attempt, x.qs = aid, qs
  elseif x.step <= #x.qs then
    local saved = body:find('"saved":true', 1, true) and 1 or 0
    log:write("A ", ts, " ", x.idx, " ", x.attempt, " ", x.qs[x.step].id, " ", status, " ", lat, " ", x.lag, " ", saved, " ",
              x.value, "\n")
  else
    log:write("U ", ts, " ", x.idx, " ", x.attempt, " ", status, " ", lat, " ", x.lag, "\n")
    return finish()
  end
  x.step = x.step + 1
  x.due = t + math.floor(think * (0.5 + math.random()))
  hpush(x)
end
"""

# Phase 2a: as many attempt starts as the server takes, each by a learner who has none yet
# (request number g takes learner g of the pool; EXAM_OFFSET continues the numbering across runs).
START_LUA = COMMON_LUA + r"""
local k, log, pool, path, nthreads, offset, max = 0, nil, {}, nil, 1, 0, 0
function init(args)
  nthreads = tonumber(os.getenv("EXAM_THREADS"))
  offset = tonumber(os.getenv("EXAM_OFFSET"))
  max = tonumber(os.getenv("EXAM_MAX"))
  for line in io.lines(os.getenv("EXAM_POOL")) do pool[#pool + 1] = line end
  path = "/api/v1/quizzes/" .. os.getenv("EXAM_QUIZ") .. "/attempts"
  log = io.open(os.getenv("EXAM_LOG") .. "-" .. tid .. ".log", "w")
end
function request()
  local g = offset + tid + k * nthreads
  if g >= max then
    -- Every learner of the pool has started (a smoke run's pool is small): a request no learner
    -- makes, whose answer stops this thread.
    return wrk.format("GET", "/healthz", {["X-Request-Id"] = "pool-done"})
  end
  k = k + 1
  log:write("> ", g, "\n")
  return wrk.format("POST", path, {["Authorization"] = "Bearer " .. pool[(g % #pool) + 1], ["X-Request-Id"] = "g" .. g})
end
function response(status, headers, body)
  local rid = headers["X-Request-Id"] or headers["x-request-id"]
  if rid == "pool-done" then
    wrk.thread:stop()
    return
  end
  log:write("< ", rid and rid:sub(2) or "-", " ", status, " ", body:match('^{"id":(%d+)') or "-", "\n")
end
"""

# Phase 2b: as many answer saves as the server takes, over open attempts. Request number g saves
# slot g mod S (attempt slot mod A, its question slot div A: consecutive requests go to different
# attempts, as different learners' saves would) on pass g div S, with a value that differs from
# the previous pass's, so every save is a real change; the driver recomputes the value from g.
SAVE_LUA = COMMON_LUA + r"""
local k, log, att, nthreads, offset, S = 0, nil, {}, 1, 0, 0
function init(args)
  nthreads = tonumber(os.getenv("EXAM_THREADS"))
  offset = tonumber(os.getenv("EXAM_OFFSET"))
  for line in io.lines(os.getenv("EXAM_SAVES")) do
    local aid, tok, rest = line:match("^(%d+) (%S+) (.*)$")
    local qs = {}
    for item in rest:gmatch("%S+") do
      local id, kind, vals = item:match("^([^:]+):(%a):?(.*)$")
      local q = {id = id, kind = kind, vals = {}}
      for v in vals:gmatch("[^,]+") do q.vals[#q.vals + 1] = v end
      qs[#qs + 1] = q
    end
    att[#att + 1] = {path = "/api/v1/attempts/" .. aid .. "/answers/", auth = "Bearer " .. tok, qs = qs}
  end
  S = #att * 20
  log = io.open(os.getenv("EXAM_LOG") .. "-" .. tid .. ".log", "w")
end
function request()
  local g = offset + tid + k * nthreads
  k = k + 1
  local slot, pass = g % S, math.floor(g / S)
  local a = att[(slot % #att) + 1]
  local q = a.qs[math.floor(slot / #att) + 1]
  local v
  if q.kind == "c" then v = '"' .. q.vals[(pass % #q.vals) + 1] .. '"'
  elseif q.kind == "t" then v = (pass % 2 == 0) and "true" or "false"
  else v = '"trả lời ' .. pass .. '"' end
  log:write("> ", g, "\n")
  return wrk.format("PUT", a.path .. q.id, {["Authorization"] = a.auth, ["X-Request-Id"] = "g" .. g,
                    ["Content-Type"] = "application/json"}, '{"value":' .. v .. '}')
end
function response(status, headers, body)
  local rid = headers["X-Request-Id"] or headers["x-request-id"]
  log:write("< ", rid and rid:sub(2) or "-", " ", status, " ", body:find('"saved":true', 1, true) and 1 or 0, "\n")
end
"""


if __name__ == "__main__":
    main()
