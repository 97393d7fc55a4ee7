#include "assessment/store.h"

#include "assessment/question_json.h"
#include "storage/database.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <cstdio>

namespace hocvu::assessment {
namespace {

namespace json = boost::json;
using storage::Connection;
using storage::Dialect;
using storage::Row;
using storage::Value;

std::string body_of(const Question& q) { return json::serialize(question_to_json(q)); }

std::optional<Question> question_of(std::string_view body) {
  std::error_code ec;
  auto v = json::parse(body, ec);
  if (ec) return std::nullopt;
  std::string error;
  return question_from_json(v, error);
}

QuizSettings settings_of(std::string_view text) {
  std::error_code ec;
  auto v = json::parse(text, ec);
  std::string error;
  auto s = ec ? std::nullopt : settings_from_json(v, error);
  return s ? *s : QuizSettings{};
}

std::string grades_to_json(const std::vector<double>& grades) {
  json::array a;
  for (double g : grades) a.emplace_back(g);
  return json::serialize(a);
}
std::vector<double> grades_from_json(std::string_view text) {
  std::vector<double> out;
  std::error_code ec;
  auto v = json::parse(text, ec);
  if (ec || !v.is_array()) return out;
  for (const auto& x : v.get_array()) out.push_back(x.is_double() ? x.get_double() : x.is_int64() ? double(x.get_int64()) : 0);
  return out;
}

constexpr std::string_view kQuizColumns =
    "q.id, q.bank_id, COALESCE(q.course_id, 0), b.provider_id, q.kind, q.title, q.settings, q.updated_at";

QuizRecord read_quiz(const Row& r) {
  QuizRecord q;
  q.id = r.int64(0);
  q.bank_id = r.int64(1);
  q.course_id = r.int64(2);
  q.provider_id = r.int64(3);
  q.kind = quiz_kind_from_name(r.text(4)).value_or(QuizKind::section);
  q.title = r.string(5);
  q.settings = settings_of(r.text(6));
  q.updated_at = r.string(7);
  return q;
}

constexpr std::string_view kAttemptColumns =
    "a.id, a.quiz_id, a.person_id, a.number, a.drawn, a.started_ms, COALESCE(a.deadline_ms, 0), COALESCE(a.ended_ms, 0),"
    " COALESCE(a.ended_by, ''), COALESCE(a.score, 0), COALESCE(a.max_score, 0), COALESCE(a.passed, 0), COALESCE(a.grades, '[]')";
constexpr int kAttemptColumnCount = 13;

AttemptRecord read_attempt(const Row& r, int at = 0) {
  AttemptRecord a;
  a.id = r.int64(at);
  a.quiz_id = r.int64(at + 1);
  a.person_id = r.int64(at + 2);
  a.number = static_cast<int>(r.int64(at + 3));
  a.drawn = drawn_from_json(r.text(at + 4));
  a.started_ms = r.int64(at + 5);
  a.deadline_ms = r.int64(at + 6);
  a.ended_ms = r.int64(at + 7);
  a.ended_by = r.string(at + 8);
  a.score = r.real(at + 9);
  a.max_score = r.real(at + 10);
  a.passed = r.int64(at + 11) != 0;
  a.grades = grades_from_json(r.text(at + 12));
  return a;
}

Status read_answers(Connection& c, AttemptRecord& a) {
  return c.query("SELECT question, value, saved_ms FROM attempt_answers WHERE attempt_id = $1", {a.id},
                 [&](const Row& r) { a.answers[r.string(0)] = {r.string(1), r.int64(2)}; });
}

Status add_event(Connection& c, std::int64_t attempt_id, std::string_view kind, std::string_view question,
                 std::int64_t at_ms, std::int64_t by, std::string_view detail) {
  auto n = c.execute("INSERT INTO attempt_events (attempt_id, kind, question, at_ms, by_person, detail) VALUES ($1, $2, $3, $4, $5, $6)",
                     {attempt_id, kind, question.empty() ? Value(nullptr) : Value(question), at_ms,
                      by ? Value(by) : Value(nullptr), detail.empty() ? Value(nullptr) : Value(detail)});
  return n.ok() ? Status{} : n.status();
}

std::string now_text_of(std::int64_t ms) {
  // Evidence rows keep a readable time; the attempt rows keep milliseconds.
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms % 1000));
  return buf;
}

Status add_evidence(Connection& c, std::int64_t person_id, const std::map<std::string, Evidence>& evidence, int sign,
                    std::int64_t now_ms) {
  const std::string now = now_text_of(now_ms);
  for (const auto& [code, e] : evidence) {
    auto n = c.execute(
        "INSERT INTO competency_evidence (person_id, competency, answered, credit, updated_at) VALUES ($1, $2, $3, $4, $5)"
        " ON CONFLICT (person_id, competency) DO UPDATE SET answered = competency_evidence.answered + excluded.answered,"
        " credit = competency_evidence.credit + excluded.credit, updated_at = excluded.updated_at",
        {person_id, std::string_view(code), std::int64_t{sign * e.answered}, sign * e.credit, std::string_view(now)});
    if (!n.ok()) return n.status();
  }
  return Status{};
}

class SqlStore final : public Store {
 public:
  explicit SqlStore(storage::Database& db) : db_(db) {}

  Result<std::int64_t> create_bank(std::int64_t provider_id, const std::string& title, std::int64_t by,
                                   const std::string& now) override {
    std::int64_t id = 0;
    auto st = db_.write([&](Connection& c) {
      return c.query("INSERT INTO question_banks (provider_id, title, created_by, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
                     {provider_id, std::string_view(title), by ? Value(by) : Value(nullptr), std::string_view(now)},
                     [&](const Row& r) { id = r.int64(0); });
    });
    if (!st.ok()) return st;
    return id;
  }

  static constexpr std::string_view kBankSelect =
      "SELECT b.id, b.provider_id, o.name, b.title, (SELECT COUNT(*) FROM questions q WHERE q.bank_id = b.id)"
      " FROM question_banks b JOIN organisations o ON o.id = b.provider_id";

  static Bank read_bank(const Row& r) { return {r.int64(0), r.int64(1), r.string(2), r.string(3), r.int64(4)}; }

  Result<std::optional<Bank>> bank(std::int64_t id) override {
    std::optional<Bank> out;
    auto st = db_.read([&](Connection& c) {
      return c.query(std::string(kBankSelect) + " WHERE b.id = $1", {id}, [&](const Row& r) { out = read_bank(r); });
    });
    if (!st.ok()) return st;
    return out;
  }

  Result<std::vector<Bank>> banks(const std::vector<std::int64_t>& providers, bool all) override {
    std::vector<Bank> out;
    auto st = db_.read([&](Connection& c) {
      return c.query(std::string(kBankSelect) + " ORDER BY b.title, b.id", {}, [&](const Row& r) {
        Bank b = read_bank(r);
        if (all || std::find(providers.begin(), providers.end(), b.provider_id) != providers.end()) out.push_back(std::move(b));
      });
    });
    if (!st.ok()) return st;
    return out;
  }

  Result<std::vector<SavedQuestion>> save_questions(std::int64_t bank_id, const std::vector<Question>& questions,
                                                    std::int64_t by, const std::string& now) override {
    std::vector<SavedQuestion> out;
    auto st = db_.write([&](Connection& c) -> Status {
      out.clear();
      for (const auto& q : questions) {
        const std::string body = body_of(q);
        std::int64_t row = 0;
        int version = 0;
        std::string current;
        auto st = c.query("SELECT q.id, q.version, v.body FROM questions q JOIN question_versions v"
                          " ON v.question_id = q.id AND v.version = q.version WHERE q.bank_id = $1 AND q.key = $2",
                          {bank_id, std::string_view(q.id)}, [&](const Row& r) {
                            row = r.int64(0);
                            version = static_cast<int>(r.int64(1));
                            current = r.string(2);
                          });
        if (!st.ok()) return st;
        SavedQuestion saved{q.id, version, row == 0, false};
        if (row == 0) {
          st = c.query("INSERT INTO questions (bank_id, key, version, type, name, category, updated_at)"
                       " VALUES ($1, $2, 1, $3, $4, $5, $6) RETURNING id",
                       {bank_id, std::string_view(q.id), type_name(q.type), std::string_view(q.name),
                        std::string_view(q.category), std::string_view(now)},
                       [&](const Row& r) { row = r.int64(0); });
          if (!st.ok()) return st;
          saved.version = 1;
        } else if (current != body) {
          saved.version = version + 1;
          auto n = c.execute("UPDATE questions SET version = $2, type = $3, name = $4, category = $5, updated_at = $6 WHERE id = $1",
                             {row, std::int64_t{saved.version}, type_name(q.type), std::string_view(q.name),
                              std::string_view(q.category), std::string_view(now)});
          if (!n.ok()) return n.status();
        } else {
          out.push_back(saved);
          continue;
        }
        saved.changed = true;
        auto n = c.execute("INSERT INTO question_versions (question_id, version, body, saved_at, saved_by) VALUES ($1, $2, $3, $4, $5)",
                           {row, std::int64_t{saved.version}, std::string_view(body), std::string_view(now),
                            by ? Value(by) : Value(nullptr)});
        if (!n.ok()) return n.status();
        out.push_back(saved);
      }
      return Status{};
    });
    if (!st.ok()) return st;
    return out;
  }

  Result<std::vector<StoredQuestion>> questions(std::int64_t bank_id) override {
    std::vector<StoredQuestion> out;
    Status bad;
    auto st = db_.read([&](Connection& c) {
      return c.query("SELECT q.id, q.version, q.updated_at, v.body FROM questions q JOIN question_versions v"
                     " ON v.question_id = q.id AND v.version = q.version WHERE q.bank_id = $1 ORDER BY q.id",
                     {bank_id}, [&](const Row& r) {
                       auto q = question_of(r.text(3));
                       if (!q) {
                         bad = Error(ErrorCode::internal, "stored question " + std::to_string(r.int64(0)) + " is unreadable");
                         return;
                       }
                       out.push_back({r.int64(0), static_cast<int>(r.int64(1)), r.string(2), std::move(*q)});
                     });
    });
    if (!st.ok()) return st;
    if (!bad.ok()) return bad;
    return out;
  }

  Result<std::pair<std::int64_t, std::int64_t>> bank_stamp(std::int64_t bank_id) override {
    std::pair<std::int64_t, std::int64_t> out;
    auto st = db_.read([&](Connection& c) {
      return c.query("SELECT COUNT(*), COALESCE(SUM(version), 0) FROM questions WHERE bank_id = $1", {bank_id},
                     [&](const Row& r) { out = {r.int64(0), r.int64(1)}; });
    });
    if (!st.ok()) return st;
    return out;
  }

  Result<std::optional<Question>> question_version(std::int64_t bank_id, const std::string& id, int version) override {
    std::optional<Question> out;
    auto st = db_.read([&](Connection& c) {
      return c.query("SELECT v.body FROM questions q JOIN question_versions v ON v.question_id = q.id"
                     " WHERE q.bank_id = $1 AND q.key = $2 AND v.version = $3",
                     {bank_id, std::string_view(id), std::int64_t{version}}, [&](const Row& r) { out = question_of(r.text(0)); });
    });
    if (!st.ok()) return st;
    return out;
  }

  Result<std::int64_t> create_quiz(const QuizRecord& quiz, std::int64_t by, const std::string& now) override {
    std::int64_t id = 0;
    const std::string settings = json::serialize(settings_to_json(quiz.settings));
    auto st = db_.write([&](Connection& c) -> Status {
      auto st = c.query("INSERT INTO quizzes (bank_id, course_id, kind, title, settings, created_by, updated_at)"
                        " VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                        {quiz.bank_id, quiz.course_id ? Value(quiz.course_id) : Value(nullptr), kind_name(quiz.kind),
                         std::string_view(quiz.title), std::string_view(settings), by ? Value(by) : Value(nullptr),
                         std::string_view(now)},
                        [&](const Row& r) { id = r.int64(0); });
      if (!st.ok()) return st;
      if (quiz.kind == QuizKind::final_exam && quiz.course_id) {
        auto n = c.execute("UPDATE courses SET final_quiz_id = $2 WHERE id = $1", {quiz.course_id, id});
        if (!n.ok()) return n.status();
      }
      return Status{};
    });
    if (!st.ok()) return st;
    return id;
  }

  Status update_quiz(const QuizRecord& quiz, const std::string& now) override {
    const std::string settings = json::serialize(settings_to_json(quiz.settings));
    return db_.write([&](Connection& c) -> Status {
      auto n = c.execute("UPDATE quizzes SET title = $2, settings = $3, updated_at = $4 WHERE id = $1",
                         {quiz.id, std::string_view(quiz.title), std::string_view(settings), std::string_view(now)});
      if (!n.ok()) return n.status();
      if (*n == 0) return Error(ErrorCode::not_found, "no such quiz");
      return Status{};
    });
  }

  Result<std::optional<QuizRecord>> quiz(std::int64_t id) override {
    std::optional<QuizRecord> out;
    auto st = db_.read([&](Connection& c) {
      return c.query("SELECT " + std::string(kQuizColumns) + " FROM quizzes q JOIN question_banks b ON b.id = q.bank_id WHERE q.id = $1",
                     {id}, [&](const Row& r) { out = read_quiz(r); });
    });
    if (!st.ok()) return st;
    return out;
  }

  Result<std::vector<QuizRecord>> course_quizzes(std::int64_t course_id) override {
    std::vector<QuizRecord> out;
    auto st = db_.read([&](Connection& c) {
      return c.query("SELECT " + std::string(kQuizColumns) +
                         " FROM quizzes q JOIN question_banks b ON b.id = q.bank_id WHERE q.course_id = $1 ORDER BY q.id",
                     {course_id}, [&](const Row& r) { out.push_back(read_quiz(r)); });
    });
    if (!st.ok()) return st;
    return out;
  }

  Result<std::vector<QuizRecord>> provider_quizzes(const std::vector<std::int64_t>& providers, bool all) override {
    std::vector<QuizRecord> out;
    auto st = db_.read([&](Connection& c) {
      return c.query("SELECT " + std::string(kQuizColumns) + " FROM quizzes q JOIN question_banks b ON b.id = q.bank_id ORDER BY q.id",
                     {}, [&](const Row& r) {
                       auto q = read_quiz(r);
                       if (all || std::find(providers.begin(), providers.end(), q.provider_id) != providers.end())
                         out.push_back(std::move(q));
                     });
    });
    if (!st.ok()) return st;
    return out;
  }

  static Status read_attempts(Connection& c, std::int64_t quiz_id, std::int64_t person_id, std::vector<AttemptRecord>& out) {
    out.clear();
    return c.query("SELECT " + std::string(kAttemptColumns) +
                       " FROM attempts a WHERE a.quiz_id = $1 AND a.person_id = $2 ORDER BY a.number",
                   {quiz_id, person_id}, [&](const Row& r) { out.push_back(read_attempt(r)); });
  }

  Result<bool> has_attempt_on_bank(std::int64_t person_id, std::int64_t bank_id) override {
    bool found = false;
    auto st = db_.read([&](Connection& c) {
      return c.query("SELECT 1 FROM attempts a JOIN quizzes q ON q.id = a.quiz_id WHERE a.person_id = $1 AND q.bank_id = $2"
                     " LIMIT 1",
                     {person_id, bank_id}, [&](const Row&) { found = true; });
    });
    if (!st.ok()) return st;
    return found;
  }

  Result<std::vector<AttemptRecord>> attempts_of(std::int64_t quiz_id, std::int64_t person_id) override {
    std::vector<AttemptRecord> out;
    auto st = db_.read([&](Connection& c) { return read_attempts(c, quiz_id, person_id, out); });
    if (!st.ok()) return st;
    return out;
  }

  Result<Started> insert_attempt(std::int64_t quiz_id, std::int64_t person_id, std::int64_t now_ms, int number,
                                 const NewAttempt& fresh) override {
    Started out;
    AttemptRecord& a = out.attempt;
    a.quiz_id = quiz_id;
    a.person_id = person_id;
    a.number = number;
    a.drawn = fresh.drawn;
    a.started_ms = now_ms;
    a.deadline_ms = fresh.deadline_ms;
    const std::string drawn = drawn_to_json(a.drawn);
    auto st = db_.write([&](Connection& c) -> Status {
      auto st = c.query("INSERT INTO attempts (quiz_id, person_id, number, drawn, started_ms, deadline_ms) VALUES ($1, $2, $3, $4, $5, $6)"
                        " RETURNING id",
                        {quiz_id, person_id, std::int64_t{number}, std::string_view(drawn), now_ms,
                         fresh.deadline_ms ? Value(fresh.deadline_ms) : Value(nullptr)},
                        [&](const Row& r) { a.id = r.int64(0); });
      if (!st.ok()) return st;
      return add_event(c, a.id, "started", "", now_ms, person_id, "");
    });
    if (st.ok()) {
      out.created = true;
      return out;
    }
    if (st.code() != ErrorCode::conflict) return st;
    // One open attempt per learner (attempts_one_open) or this number taken (a concurrent start
    // won): return the open attempt, if any.
    std::vector<AttemptRecord> past;
    auto again = db_.read([&](Connection& c) { return read_attempts(c, quiz_id, person_id, past); });
    if (!again.ok()) return again;
    for (auto& p : past)
      if (p.ended_ms == 0) return Started{std::move(p), false};
    return Started{};
  }

  Result<StartContext> start_context(std::int64_t quiz_id, std::int64_t person_id) override {
    StartContext ctx;
    auto st = db_.read([&](Connection& c) -> Status {
      auto st = c.query("SELECT " + std::string(kQuizColumns) +
                            ", COALESCE(c.published_version, 0), (SELECT COUNT(*) FROM enrolments e WHERE e.course_id = q.course_id"
                            " AND e.person_id = $2), (SELECT COUNT(*) FROM questions x WHERE x.bank_id = q.bank_id),"
                            " (SELECT COALESCE(SUM(x.version), 0) FROM questions x WHERE x.bank_id = q.bank_id)"
                            " FROM quizzes q JOIN question_banks b ON b.id = q.bank_id LEFT JOIN courses c ON c.id = q.course_id"
                            " WHERE q.id = $1",
                        {quiz_id, person_id}, [&](const Row& r) {
                          ctx.quiz = read_quiz(r);
                          if (ctx.quiz->course_id) {
                            ctx.course_published = r.int64(8) > 0;
                            ctx.enrolled = r.int64(9) > 0;
                          }
                          ctx.bank_stamp = {r.int64(10), r.int64(11)};
                        });
      if (!st.ok() || !ctx.quiz) return st;
      return read_attempts(c, quiz_id, person_id, ctx.attempts);
    });
    if (!st.ok()) return st;
    return ctx;
  }

  Result<std::optional<AttemptRecord>> attempt(std::int64_t id, bool with_answers) override {
    std::optional<AttemptRecord> out;
    auto st = db_.read([&](Connection& c) -> Status {
      auto st = c.query("SELECT " + std::string(kAttemptColumns) + " FROM attempts a WHERE a.id = $1", {id},
                        [&](const Row& r) { out = read_attempt(r); });
      if (!st.ok() || !out || !with_answers) return st;
      return read_answers(c, *out);
    });
    if (!st.ok()) return st;
    return out;
  }

  Result<SaveOutcome> save_answer(std::int64_t attempt_id, const std::string& question, const std::string& value,
                                  std::int64_t now_ms, std::int64_t grace_ms, std::int64_t by) override {
    SaveOutcome outcome = SaveOutcome::saved;
    auto st = db_.write([&](Connection& c) -> Status {
      // One statement on the hot path: it writes only into an open attempt within its time, and
      // only when the value differs. PostgreSQL: FOR SHARE on the attempt makes a concurrent
      // close wait for this save (and a save after the close see it closed).
      std::string sql =
          "INSERT INTO attempt_answers (attempt_id, question, value, saved_ms)"
          " SELECT a.id, $2, $3, $4 FROM attempts a WHERE a.id = $1 AND a.ended_ms IS NULL"
          " AND (a.deadline_ms IS NULL OR $4 <= a.deadline_ms + $5)";
      if (c.dialect() == Dialect::postgres) sql += " FOR SHARE";
      sql += " ON CONFLICT (attempt_id, question) DO UPDATE SET value = excluded.value, saved_ms = excluded.saved_ms"
             " WHERE attempt_answers.value <> excluded.value";
      auto n = c.execute(sql, {attempt_id, std::string_view(question), std::string_view(value), now_ms, grace_ms});
      if (!n.ok()) return n.status();
      if (*n == 1) {
        outcome = SaveOutcome::saved;
        return add_event(c, attempt_id, "saved", question, now_ms, by, "");
      }
      // Nothing written: find out why.
      bool found = false, open = false;
      std::int64_t deadline = 0;
      auto st = c.query("SELECT ended_ms IS NULL, COALESCE(deadline_ms, 0) FROM attempts WHERE id = $1", {attempt_id},
                        [&](const Row& r) {
                          found = true;
                          open = r.int64(0) != 0;
                          deadline = r.int64(1);
                        });
      if (!st.ok()) return st;
      outcome = !found ? SaveOutcome::no_attempt
                : !open ? SaveOutcome::closed
                : !accepts_answers(deadline, now_ms, grace_ms) ? SaveOutcome::late
                : SaveOutcome::unchanged;
      return Status{};
    });
    if (!st.ok()) return st;
    return outcome;
  }

  Result<bool> close_attempt(std::int64_t attempt_id, std::int64_t now_ms, std::int64_t by, const Grader& grade) override {
    bool closed = false;
    auto st = db_.write([&](Connection& c) -> Status {
      std::optional<AttemptRecord> a;
      std::string sql = "SELECT " + std::string(kAttemptColumns) + " FROM attempts a WHERE a.id = $1";
      if (c.dialect() == Dialect::postgres) sql += " FOR UPDATE";
      auto st = c.query(sql, {attempt_id}, [&](const Row& r) { a = read_attempt(r); });
      if (!st.ok()) return st;
      if (!a) return Error(ErrorCode::not_found, "no such attempt");
      if (a->ended_ms != 0) return Status{};
      st = read_answers(c, *a);
      if (!st.ok()) return st;
      Closing g = grade(*a);
      // A time-out ends at the deadline, whenever the server noticed it.
      const std::int64_t ended = g.ended_by == "timeout" && a->deadline_ms ? a->deadline_ms : now_ms;
      auto n = c.execute("UPDATE attempts SET ended_ms = $2, ended_by = $3, score = $4, max_score = $5, passed = $6, grades = $7"
                         " WHERE id = $1 AND ended_ms IS NULL",
                         {attempt_id, ended, std::string_view(g.ended_by), g.score, g.max_score,
                          std::int64_t{g.passed ? 1 : 0}, std::string_view(grades_to_json(g.grades))});
      if (!n.ok()) return n.status();
      if (*n == 0) return Status{};
      st = add_event(c, attempt_id, g.ended_by == "timeout" ? "timed_out" : "submitted", "", now_ms,
                     g.ended_by == "timeout" ? 0 : by, "");
      if (!st.ok()) return st;
      char detail[96];
      std::snprintf(detail, sizeof detail, "%.7g/%.7g%s", g.score, g.max_score, g.passed ? " passed" : "");
      st = add_event(c, attempt_id, "graded", "", now_ms, 0, detail);
      if (!st.ok()) return st;
      st = add_evidence(c, a->person_id, g.evidence, 1, now_ms);
      if (!st.ok()) return st;
      closed = true;
      return Status{};
    });
    if (!st.ok()) return st;
    return closed;
  }

  Status regrade_attempt(std::int64_t attempt_id, const Closing& old_grade, const Closing& new_grade, std::int64_t now_ms,
                         std::int64_t by, const std::string& detail) override {
    return db_.write([&](Connection& c) -> Status {
      std::int64_t person = 0;
      auto st = c.query("SELECT person_id FROM attempts WHERE id = $1 AND ended_ms IS NOT NULL", {attempt_id},
                        [&](const Row& r) { person = r.int64(0); });
      if (!st.ok()) return st;
      if (!person) return Error(ErrorCode::not_found, "no closed attempt");
      // Only over the grade the regrade was computed from: a concurrent regrade that got there
      // first leaves this one nothing to do (and the evidence is moved once).
      auto n = c.execute("UPDATE attempts SET score = $2, max_score = $3, passed = $4, grades = $5 WHERE id = $1 AND grades = $6",
                         {attempt_id, new_grade.score, new_grade.max_score, std::int64_t{new_grade.passed ? 1 : 0},
                          std::string_view(grades_to_json(new_grade.grades)), std::string_view(grades_to_json(old_grade.grades))});
      if (!n.ok()) return n.status();
      if (*n == 0) return Error(ErrorCode::conflict, "the attempt's grade changed meanwhile");
      st = add_evidence(c, person, old_grade.evidence, -1, now_ms);
      if (!st.ok()) return st;
      st = add_evidence(c, person, new_grade.evidence, 1, now_ms);
      if (!st.ok()) return st;
      return add_event(c, attempt_id, "regraded", "", now_ms, by, detail);
    });
  }

  Result<std::vector<AttemptRecord>> closed_attempts(std::int64_t quiz_id) override {
    std::vector<AttemptRecord> out;
    auto st = db_.read([&](Connection& c) -> Status {
      auto st = c.query("SELECT " + std::string(kAttemptColumns) +
                            " FROM attempts a WHERE a.quiz_id = $1 AND a.ended_ms IS NOT NULL ORDER BY a.id",
                        {quiz_id}, [&](const Row& r) { out.push_back(read_attempt(r)); });
      if (!st.ok()) return st;
      for (auto& a : out) {
        st = read_answers(c, a);
        if (!st.ok()) return st;
      }
      return Status{};
    });
    if (!st.ok()) return st;
    return out;
  }

  Result<std::vector<std::int64_t>> expired_attempts(std::int64_t quiz_id, std::int64_t now_ms, std::int64_t grace_ms) override {
    std::vector<std::int64_t> out;
    auto st = db_.read([&](Connection& c) {
      return c.query("SELECT id FROM attempts WHERE quiz_id = $1 AND ended_ms IS NULL AND deadline_ms IS NOT NULL"
                     " AND deadline_ms + $3 < $2",
                     {quiz_id, now_ms, grace_ms}, [&](const Row& r) { out.push_back(r.int64(0)); });
    });
    if (!st.ok()) return st;
    return out;
  }

  Result<std::vector<AttemptEvent>> attempt_events(std::int64_t attempt_id) override {
    std::vector<AttemptEvent> out;
    auto st = db_.read([&](Connection& c) {
      return c.query("SELECT kind, COALESCE(question, ''), at_ms, COALESCE(by_person, 0), COALESCE(detail, '')"
                     " FROM attempt_events WHERE attempt_id = $1 ORDER BY id",
                     {attempt_id}, [&](const Row& r) {
                       out.push_back({r.string(0), r.string(1), r.int64(2), r.int64(3), r.string(4)});
                     });
    });
    if (!st.ok()) return st;
    return out;
  }

  Result<std::vector<GradebookLine>> gradebook(std::int64_t course_id, std::int64_t class_id) override {
    std::vector<GradebookLine> out;
    auto st = db_.read([&](Connection& c) -> Status {
      std::map<std::int64_t, std::size_t> index;
      std::string sql = "SELECT p.id, p.full_name, e.percent, COALESCE(e.completed_at, '') FROM enrolments e"
                        " JOIN people p ON p.id = e.person_id WHERE e.course_id = $1";
      if (class_id) sql += " AND e.class_id = $2";
      sql += " ORDER BY p.full_name, p.id";
      auto on_row = [&](const Row& r) {
        index[r.int64(0)] = out.size();
        out.push_back({r.int64(0), r.string(1), static_cast<int>(r.int64(2)), r.string(3), {}});
      };
      auto st = class_id ? c.query(sql, {course_id, class_id}, on_row) : c.query(sql, {course_id}, on_row);
      if (!st.ok()) return st;
      return c.query("SELECT " + std::string(kAttemptColumns) +
                         " FROM attempts a JOIN quizzes q ON q.id = a.quiz_id WHERE q.course_id = $1 ORDER BY a.id",
                     {course_id}, [&](const Row& r) {
                       auto a = read_attempt(r);
                       auto it = index.find(a.person_id);
                       if (it != index.end()) out[it->second].attempts[a.quiz_id].push_back(std::move(a));
                     });
    });
    if (!st.ok()) return st;
    return out;
  }

  Result<std::vector<EvidenceRow>> evidence_of(std::int64_t person_id) override {
    std::vector<EvidenceRow> out;
    auto st = db_.read([&](Connection& c) {
      return c.query("SELECT competency, answered, credit FROM competency_evidence WHERE person_id = $1 AND answered > 0"
                     " ORDER BY competency",
                     {person_id}, [&](const Row& r) {
                       out.push_back({r.string(0), static_cast<int>(r.int64(1)), r.real(2)});
                     });
    });
    if (!st.ok()) return st;
    return out;
  }

  Result<std::vector<PlacementResult>> placements_of(std::int64_t person_id) override {
    std::vector<PlacementResult> out;
    auto st = db_.read([&](Connection& c) {
      return c.query("SELECT q.id, q.title, q.settings, a.score, a.max_score, a.ended_ms FROM attempts a"
                     " JOIN quizzes q ON q.id = a.quiz_id WHERE a.person_id = $1 AND q.kind = 'placement'"
                     " AND a.ended_ms IS NOT NULL ORDER BY a.ended_ms",
                     {person_id}, [&](const Row& r) {
                       out.push_back({r.int64(0), r.string(1), settings_of(r.text(2)).domain, r.real(3), r.real(4), r.int64(5)});
                     });
    });
    if (!st.ok()) return st;
    return out;
  }

 private:
  storage::Database& db_;
};

}  // namespace

std::unique_ptr<Store> make_sql_store(storage::Database& db) { return std::make_unique<SqlStore>(db); }

std::string drawn_to_json(const std::vector<DrawnQuestion>& drawn) {
  json::array a;
  for (const auto& d : drawn) {
    json::array order;
    for (const auto& o : d.order) order.emplace_back(o);
    a.emplace_back(json::object{{"id", d.id}, {"version", d.version}, {"order", std::move(order)}});
  }
  return json::serialize(a);
}

std::vector<DrawnQuestion> drawn_from_json(std::string_view text) {
  std::vector<DrawnQuestion> out;
  std::error_code ec;
  auto v = json::parse(text, ec);
  if (ec || !v.is_array()) return out;
  for (const auto& x : v.get_array()) {
    if (!x.is_object()) continue;
    const auto& o = x.get_object();
    DrawnQuestion d;
    if (auto* id = o.if_contains("id"); id && id->is_string()) d.id = std::string(id->get_string());
    if (auto* ver = o.if_contains("version"); ver && ver->is_int64()) d.version = static_cast<int>(ver->get_int64());
    if (auto* order = o.if_contains("order"); order && order->is_array())
      for (const auto& s : order->get_array())
        if (s.is_string()) d.order.emplace_back(s.get_string());
    out.push_back(std::move(d));
  }
  return out;
}

}  // namespace hocvu::assessment
