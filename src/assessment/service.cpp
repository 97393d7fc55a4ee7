#include "assessment/service.h"

#include "assessment/gift.h"
#include "assessment/grading.h"
#include "assessment/moodle_xml.h"
#include "assessment/question_json.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <mutex>
#include <random>

namespace hocvu::assessment {
namespace json = boost::json;
namespace {


int key_number(const std::string& id) {
  if (id.size() < 2 || id[0] != 'q') return 0;
  int n = 0;
  for (std::size_t i = 1; i < id.size(); ++i) {
    if (id[i] < '0' || id[i] > '9' || n > 100'000'000) return 0;
    n = n * 10 + (id[i] - '0');
  }
  return n;
}

std::uint64_t fresh_seed() {
  thread_local std::random_device device;
  return (static_cast<std::uint64_t>(device()) << 32) ^ device();
}

std::optional<Answer> stored_answer(const Question& q, const AttemptRecord& a) {
  auto it = a.answers.find(q.id);
  if (it == a.answers.end()) return std::nullopt;
  std::error_code ec;
  auto v = json::parse(it->second.value, ec);
  if (ec) return std::nullopt;
  std::string error;
  return answer_from_json(q, v, error);
}

// The evidence an attempt's grade as stored gave: its stored score per question (a regrade since
// it was closed may have changed it) over the questions as drawn. A regrade takes this away
// before adding the new grade's, so that regrading twice never counts a grade that is gone.
std::map<std::string, Evidence> stored_evidence(const std::vector<QuestionPtr>& questions, const AttemptRecord& a) {
  std::vector<const Question*> qs;
  std::vector<Grade> grades;
  for (std::size_t i = 0; i < questions.size(); ++i) {
    const Question& q = *questions[i];
    auto answer = stored_answer(q, a);
    Grade g = answer ? grade(q, *answer) : grade(q, Answer{});
    if (i < a.grades.size()) g.score = a.grades[i];
    qs.push_back(&q);
    grades.push_back(std::move(g));
  }
  return evidence(qs, grades);
}

}  // namespace

Result<ImportReport> Service::import(std::int64_t bank_id, ImportFormat format, std::string_view text, bool valid_only,
                                     std::int64_t by, const std::string& now) {
  ImportReport report;
  std::vector<Question> questions;
  if (format == ImportFormat::gift) {
    auto parsed = parse_gift(text);
    for (auto& e : parsed.errors) report.errors.push_back({e.line, e.message});
    report.skipped_lines = parsed.skipped_lines;
    questions = std::move(parsed.questions);
  } else {
    auto parsed = parse_moodle_xml(text);
    for (auto& e : parsed.errors) report.errors.push_back({e.line, e.message});
    report.skipped_lines = parsed.skipped_lines;
    questions = std::move(parsed.questions);
  }
  if (questions.empty() && report.errors.empty())
    report.errors.push_back({0, "Tệp không có câu hỏi nào HọcVụ đọc được."});
  if ((!report.errors.empty() && !valid_only) || questions.empty()) return report;
  auto existing = store_.questions(bank_id);
  if (!existing) return existing.status();
  int next = 0;
  for (const auto& q : *existing) next = std::max(next, key_number(q.question.id));
  for (auto& q : questions) q.id = "q" + std::to_string(++next);
  auto saved = store_.save_questions(bank_id, questions, by, now);
  if (!saved) return saved.status();
  report.saved = std::move(*saved);
  report.imported = true;
  return report;
}

Result<SavedQuestion> Service::save_question(std::int64_t bank_id, Question q, std::int64_t by, const std::string& now) {
  auto problems = question_problems(q);
  if (!problems.empty()) {
    std::string joined;
    for (const auto& p : problems) joined += (joined.empty() ? "" : "\n") + p;
    return Error(ErrorCode::invalid_argument, joined);
  }
  if (q.id.empty()) {
    auto existing = store_.questions(bank_id);
    if (!existing) return existing.status();
    int next = 0;
    for (const auto& e : *existing) next = std::max(next, key_number(e.question.id));
    q.id = "q" + std::to_string(next + 1);
  }
  auto saved = store_.save_questions(bank_id, {q}, by, now);
  if (!saved) return saved.status();
  return saved->front();
}

Result<std::shared_ptr<const Service::Pool>> Service::pool(std::int64_t bank_id,
                                                           std::optional<std::pair<std::int64_t, std::int64_t>> known) {
  Result<std::pair<std::int64_t, std::int64_t>> stamp = known ? Result<std::pair<std::int64_t, std::int64_t>>(*known)
                                                              : store_.bank_stamp(bank_id);
  if (!stamp) return stamp.status();
  if (auto hit = pools_.get(bank_id); hit && (*hit)->stamp == *stamp) return *hit;
  auto stored = store_.questions(bank_id);
  if (!stored) return stored.status();
  auto p = std::make_shared<Pool>();
  p->stamp = *stamp;
  for (auto& s : *stored) {
    p->versions.push_back(s.version);
    p->questions.push_back(std::move(s.question));
  }
  // The stamp read before the questions: if a save slipped in between, the next start sees a new
  // stamp and reads again; a pool is never kept newer than its stamp says.
  pools_.assign(bank_id, p);
  return std::shared_ptr<const Pool>(p);
}

Result<std::vector<std::string>> Service::problems(const QuizRecord& quiz) {
  auto p = pool(quiz.bank_id);
  if (!p) return p.status();
  auto list = quiz_problems(quiz.settings, (*p)->questions);
  if (quiz.kind == QuizKind::placement && quiz.settings.domain.empty())
    list.push_back("Bài kiểm tra đầu vào cần một lĩnh vực năng lực.");
  return list;
}

Result<QuestionPtr> Service::question(std::int64_t bank_id, const std::string& id, int version) {
  auto key = std::make_tuple(bank_id, id, version);
  if (auto hit = questions_.get(key)) return *hit;
  auto q = store_.question_version(bank_id, id, version);
  if (!q) return q.status();
  if (!*q) return Error(ErrorCode::not_found, "no question " + id + " version " + std::to_string(version));
  return questions_.put(key, std::make_shared<const Question>(std::move(**q)));
}

Result<std::vector<QuestionPtr>> Service::drawn_questions(std::int64_t bank_id, const std::vector<DrawnQuestion>& drawn) {
  std::vector<QuestionPtr> out;
  out.reserve(drawn.size());
  for (const auto& d : drawn) {
    auto q = question(bank_id, d.id, d.version);
    if (!q) return q.status();
    out.push_back(std::move(*q));
  }
  return out;
}

Result<std::shared_ptr<const Service::AttemptMeta>> Service::meta(std::int64_t attempt_id) {
  if (auto hit = attempts_.get(attempt_id)) return *hit;
  auto a = store_.attempt(attempt_id, false);
  if (!a) return a.status();
  if (!*a) return Error(ErrorCode::not_found, "no such attempt");
  auto quiz = store_.quiz((*a)->quiz_id);
  if (!quiz) return quiz.status();
  if (!*quiz) return Error(ErrorCode::not_found, "no such quiz");
  auto m = std::make_shared<AttemptMeta>();
  m->quiz_id = (*a)->quiz_id;
  m->person_id = (*a)->person_id;
  m->bank_id = (*quiz)->bank_id;
  m->drawn = std::move((*a)->drawn);
  return attempts_.put(attempt_id, std::move(m));
}

Result<StartResult> Service::start(std::int64_t quiz_id, std::int64_t person_id, std::int64_t now_ms) {
  // Decided on one read of the context, written in one short insert; a concurrent start that
  // wins makes the insert find its attempt (or, rarely, asks for a fresh look).
  for (int round = 0; round < 3; ++round) {
    auto ctx = store_.start_context(quiz_id, person_id);
    if (!ctx) return ctx.status();
    if (!ctx->quiz || !ctx->course_published) return Error(ErrorCode::not_found, "no such quiz");
    if (!ctx->enrolled) return Error(ErrorCode::permission_denied, "not enrolled");
    const QuizRecord& quiz = *ctx->quiz;
    StartResult result;
    std::vector<PastAttempt> past;
    std::int64_t open_id = 0;
    for (const auto& a : ctx->attempts) {
      if (a.ended_ms == 0 && !accepts_answers(a.deadline_ms, now_ms, grace_ms_)) {
        // Its time is over: close it, so that the learner may start the next one.
        auto st = close(a.id, now_ms, 0, "timeout");
        if (!st.ok()) return st;
        auto closed = store_.attempt(a.id, false);
        if (!closed) return closed.status();
        if (*closed) past.push_back((*closed)->past());
        continue;
      }
      if (a.ended_ms == 0) open_id = a.id;
      past.push_back(a.past());
    }
    if (open_id) {
      // Resuming (a double click, a retry over a bad network): the saved answers come back.
      result.attempt_id = open_id;
      result.decision.verdict = StartVerdict::resume;
      auto v = view(open_id, person_id, now_ms);
      if (!v) return v.status();
      result.view = std::move(*v);
      return result;
    }
    result.decision = may_start(quiz.settings, past, now_ms);
    if (result.decision.verdict != StartVerdict::start) return result;
    auto p = pool(quiz.bank_id, ctx->bank_stamp);
    if (!p) return p.status();
    auto drawn = draw(quiz.settings, (*p)->questions, (*p)->versions, fresh_seed());
    if (!drawn)
      return Error(ErrorCode::conflict, "Bài kiểm tra chưa sẵn sàng: ngân hàng câu hỏi không đủ câu như cài đặt.");
    auto started = store_.insert_attempt(quiz.id, person_id, now_ms, static_cast<int>(ctx->attempts.size() + 1),
                                         NewAttempt{std::move(*drawn), deadline_ms(quiz.settings, now_ms)});
    if (!started) return started.status();
    if (!started->attempt.id) continue;  // a concurrent start took the number and is already over
    result.attempt_id = started->attempt.id;
    result.created = started->created;
    if (!result.created) {
      result.decision.verdict = StartVerdict::resume;
      auto v = view(result.attempt_id, person_id, now_ms);
      if (!v) return v.status();
      result.view = std::move(*v);
      return result;
    }
    // A new attempt has no answers yet: its view needs no read.
    auto questions = drawn_questions(quiz.bank_id, started->attempt.drawn);
    if (!questions) return questions.status();
    attempts_.put(result.attempt_id,
                  std::make_shared<const AttemptMeta>(AttemptMeta{quiz.id, person_id, quiz.bank_id, started->attempt.drawn}));
    result.view = AttemptView{std::move(started->attempt), quiz, std::move(*questions), true, ReviewLevel::score};
    return result;
  }
  return Error(ErrorCode::unavailable, "attempt start kept racing; try again");
}

Closing Service::grade_closing(const std::vector<QuestionPtr>& questions, const AttemptRecord& a, double pass_percent,
                               const std::string& ended_by) {
  std::vector<const Question*> qs;
  std::vector<std::optional<Answer>> answers;
  for (const auto& q : questions) {
    qs.push_back(q.get());
    answers.push_back(stored_answer(*q, a));
  }
  AttemptGrade g = grade_attempt(qs, answers, pass_percent);
  Closing c{ended_by, g.score, g.max_score, g.passed, {}, evidence(qs, g.questions)};
  for (const auto& one : g.questions) c.grades.push_back(one.score);
  return c;
}

Status Service::close(std::int64_t attempt_id, std::int64_t now_ms, std::int64_t by, const std::string& ended_by) {
  auto m = meta(attempt_id);
  if (!m) return m.status();
  auto quiz = store_.quiz((*m)->quiz_id);
  if (!quiz) return quiz.status();
  if (!*quiz) return Error(ErrorCode::not_found, "no such quiz");
  auto questions = drawn_questions((*m)->bank_id, (*m)->drawn);
  if (!questions) return questions.status();
  const double pass = (*quiz)->settings.pass_percent;
  bool passed = false;
  auto closed = store_.close_attempt(attempt_id, now_ms, by, [&](const AttemptRecord& a) {
    Closing c = grade_closing(*questions, a, pass, ended_by);
    passed = c.passed;
    return c;
  });
  if (!closed) return closed.status();
  if (*closed && passed && (*quiz)->kind == QuizKind::final_exam && (*quiz)->course_id && final_passed_)
    return final_passed_((*quiz)->course_id, (*m)->person_id);
  return Status{};
}

Result<AttemptView> Service::view(std::int64_t attempt_id, std::int64_t person_id, std::int64_t now_ms) {
  auto a = store_.attempt(attempt_id, true);
  if (!a) return a.status();
  if (!*a || (*a)->person_id != person_id) return Error(ErrorCode::not_found, "no such attempt");
  if ((*a)->ended_ms == 0 && !accepts_answers((*a)->deadline_ms, now_ms, grace_ms_)) {
    auto st = close(attempt_id, now_ms, 0, "timeout");
    if (!st.ok()) return st;
    a = store_.attempt(attempt_id, true);
    if (!a) return a.status();
    if (!*a) return Error(ErrorCode::not_found, "no such attempt");
  }
  auto quiz = store_.quiz((*a)->quiz_id);
  if (!quiz) return quiz.status();
  if (!*quiz) return Error(ErrorCode::not_found, "no such quiz");
  auto questions = drawn_questions((*quiz)->bank_id, (*a)->drawn);
  if (!questions) return questions.status();
  AttemptView v{std::move(**a), std::move(**quiz), std::move(*questions), true, ReviewLevel::score};
  v.open = v.attempt.ended_ms == 0;
  v.review = review_now(v.quiz.settings, now_ms);
  return v;
}

Result<SaveOutcome> Service::save(std::int64_t attempt_id, std::int64_t person_id, const std::string& question_id,
                                  const json::value& value, std::int64_t now_ms) {
  auto m = meta(attempt_id);
  if (!m) return m.status();
  if ((*m)->person_id != person_id) return Error(ErrorCode::not_found, "no such attempt");
  const DrawnQuestion* drawn = nullptr;
  for (const auto& d : (*m)->drawn)
    if (d.id == question_id) drawn = &d;
  if (!drawn) return Error(ErrorCode::invalid_argument, "Câu hỏi \"" + question_id + "\" không thuộc lượt làm bài này.");
  auto q = question((*m)->bank_id, drawn->id, drawn->version);
  if (!q) return q.status();
  std::string error;
  // The learner names options and items by their position in this attempt (to_learner).
  auto answer = answer_from_json(**q, from_learner(**q, *drawn, value), error);
  if (!answer) return Error(ErrorCode::invalid_argument, error);
  // Stored in a canonical form, so that the same answer sent twice is the same text.
  const std::string text = json::serialize(answer_to_json(**q, *answer));
  auto outcome = store_.save_answer(attempt_id, question_id, text, now_ms, grace_ms_, person_id);
  if (!outcome) return outcome.status();
  if (*outcome == SaveOutcome::late) {
    auto st = close(attempt_id, now_ms, 0, "timeout");
    if (!st.ok()) return st;
    return Error(ErrorCode::conflict, "Đã hết giờ làm bài: câu trả lời này đến sau hạn chót nên không được lưu. "
                                      "Bài đã được nộp với các câu trả lời đã lưu trước đó.");
  }
  if (*outcome == SaveOutcome::closed)
    return Error(ErrorCode::conflict, "Bài làm đã nộp; không thể sửa câu trả lời nữa.");
  if (*outcome == SaveOutcome::no_attempt) return Error(ErrorCode::not_found, "no such attempt");
  return *outcome;
}

Result<AttemptView> Service::submit(std::int64_t attempt_id, std::int64_t person_id, std::int64_t now_ms) {
  auto m = meta(attempt_id);
  if (!m) return m.status();
  if ((*m)->person_id != person_id) return Error(ErrorCode::not_found, "no such attempt");
  auto a = store_.attempt(attempt_id, false);
  if (!a) return a.status();
  if (*a && (*a)->ended_ms != 0 && (*a)->passed && final_passed_) {
    // Submitted again (a retry after an error): recording a passed final exam is idempotent, so
    // a completion that failed to be written after the grade is written now.
    auto quiz = store_.quiz((*a)->quiz_id);
    if (!quiz) return quiz.status();
    if (*quiz && (*quiz)->kind == QuizKind::final_exam && (*quiz)->course_id) {
      auto st = final_passed_((*quiz)->course_id, person_id);
      if (!st.ok()) return st;
    }
  }
  if (*a && (*a)->ended_ms == 0) {
    // Past the deadline and grace, the attempt ends as a time-out (at its deadline), not as
    // the learner's submission: what was saved in time is what counts either way.
    const bool late = !accepts_answers((*a)->deadline_ms, now_ms, grace_ms_);
    auto st = close(attempt_id, now_ms, late ? 0 : person_id, late ? "timeout" : "learner");
    if (!st.ok()) return st;
  }
  return view(attempt_id, person_id, now_ms);
}

Status Service::close_expired(std::int64_t quiz_id, std::int64_t now_ms) {
  auto ids = store_.expired_attempts(quiz_id, now_ms, grace_ms_);
  if (!ids) return ids.status();
  for (auto id : *ids) {
    auto st = close(id, now_ms, 0, "timeout");
    if (!st.ok()) return st;
  }
  return Status{};
}

Result<int> Service::regrade(std::int64_t quiz_id, std::int64_t by, std::int64_t now_ms) {
  auto quiz = store_.quiz(quiz_id);
  if (!quiz) return quiz.status();
  if (!*quiz) return Error(ErrorCode::not_found, "no such quiz");
  auto p = pool((*quiz)->bank_id);
  if (!p) return p.status();
  auto attempts = store_.closed_attempts(quiz_id);
  if (!attempts) return attempts.status();
  int changed = 0;
  for (const auto& a : *attempts) {
    auto old_questions = drawn_questions((*quiz)->bank_id, a.drawn);
    if (!old_questions) return old_questions.status();
    // The same questions at their current versions (a question no longer in the bank keeps the
    // version drawn).
    std::vector<QuestionPtr> current;
    std::string detail;
    for (std::size_t i = 0; i < a.drawn.size(); ++i) {
      QuestionPtr q = (*old_questions)[i];
      for (std::size_t k = 0; k < (*p)->questions.size(); ++k)
        if ((*p)->questions[k].id == a.drawn[i].id && (*p)->versions[k] != a.drawn[i].version) {
          auto newer = question((*quiz)->bank_id, a.drawn[i].id, (*p)->versions[k]);
          if (!newer) return newer.status();
          q = *newer;
          detail += (detail.empty() ? "" : ", ") + a.drawn[i].id + " v" + std::to_string(a.drawn[i].version) + "→v" +
                    std::to_string((*p)->versions[k]);
        }
      current.push_back(std::move(q));
    }
    if (detail.empty()) continue;
    Closing before = grade_closing(*old_questions, a, (*quiz)->settings.pass_percent, a.ended_by);
    before.score = a.score;
    before.max_score = a.max_score;
    before.passed = a.passed;
    before.grades = a.grades;  // what is stored: the write is made only over it
    before.evidence = stored_evidence(*old_questions, a);
    Closing after = grade_closing(current, a, (*quiz)->settings.pass_percent, a.ended_by);
    if (after.score == a.score && after.max_score == a.max_score && after.grades == a.grades) continue;
    char score[96];
    std::snprintf(score, sizeof score, "; %.7g/%.7g → %.7g/%.7g", a.score, a.max_score, after.score, after.max_score);
    auto st = store_.regrade_attempt(a.id, before, after, now_ms, by, detail + score);
    if (st.code() == ErrorCode::conflict) continue;  // a concurrent regrade did it
    if (!st.ok()) return st;
    ++changed;
    if (after.passed && !a.passed && (*quiz)->kind == QuizKind::final_exam && (*quiz)->course_id && final_passed_) {
      st = final_passed_((*quiz)->course_id, a.person_id);
      if (!st.ok()) return st;
    }
  }
  return changed;
}

}  // namespace hocvu::assessment
