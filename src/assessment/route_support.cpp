#include "assessment/route_support.h"

#include "web/format.h"

#include "accounts/directory.h"
#include "accounts/route_support.h"
#include "assessment/question_json.h"
#include "core/time.h"
#include "learning/route_support.h"
#include "learning/service.h"
#include "web/app.h"

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <chrono>
#include <cstdio>

namespace hocvu::assessment {

using accounts::Principal;
using web::parse_id;
using accounts::unavailable;
using web::Request;
using web::Response;
namespace json = boost::json;

namespace {
constexpr std::int64_t kVietnamOffsetMs = 7 * 3600 * 1000;  // UTC+7, no daylight saving

std::tm utc_tm(std::int64_t ms) {
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  return tm;
}
}  // namespace

Result<bool> Context::may_author(const Principal& who, std::int64_t provider_id) {
  return accounts::may_author_for(dir_, who, provider_id);
}

Result<std::vector<std::pair<std::int64_t, std::string>>> Context::providers(const Principal& who) {
  return accounts::authoring_providers(dir_, who);
}

Result<std::vector<std::int64_t>> Context::provider_ids(const Principal& who) {
  auto providers = accounts::authoring_providers(dir_, who);
  if (!providers) return providers.status();
  std::vector<std::int64_t> ids;
  for (const auto& [id, name] : *providers) ids.push_back(id);
  return ids;
}

std::variant<std::tuple<AttemptRecord, QuizRecord, std::vector<AttemptEvent>>, Response> Context::attempt_trail(
    const accounts::Call& call) {
  auto a = store().attempt(call.id(), false);
  if (!a) return unavailable("attempts", a.status());
  if (!*a) return Response::text(404, "");
  auto quiz = store().quiz((*a)->quiz_id);
  if (!quiz) return unavailable("attempts", quiz.status());
  if (!*quiz) return Response::text(404, "");
  auto ok = may_author(call.who, (*quiz)->provider_id);
  if (!ok) return unavailable("attempts", ok.status());
  if (!*ok) return Response::text(404, "");
  auto events = store().attempt_events((*a)->id);
  if (!events) return unavailable("attempts", events.status());
  return std::make_tuple(std::move(**a), std::move(**quiz), std::move(*events));
}

web::Handler Context::on(accounts::Body body, CallHandler handler) {
  return accounts::signed_in(dir_, body, [self = shared_from_this(), handler](accounts::Call& call) { return handler(*self, call); });
}

std::variant<Bank, Response> Context::bank_of(const accounts::Call& call, std::string_view param) {
  auto bank = store().bank(call.id(param));
  if (!bank) return unavailable("banks", bank.status());
  if (!*bank) return Response::text(404, "");
  auto ok = may_author(call.who, (*bank)->provider_id);
  if (!ok) return unavailable("banks", ok.status());
  if (!*ok) return Response::text(404, "");
  return std::move(**bank);
}

std::variant<QuizRecord, Response> Context::quiz_of(const accounts::Call& call) {
  auto quiz = store().quiz(call.id());
  if (!quiz) return unavailable("quizzes", quiz.status());
  if (!*quiz) return Response::text(404, "");
  auto ok = may_author(call.who, (*quiz)->provider_id);
  if (!ok) return unavailable("quizzes", ok.status());
  if (!*ok) return Response::text(404, "");
  return std::move(**quiz);
}

Result<int> Context::regrade(const Principal& who, const QuizRecord& quiz, const Request& req) {
  auto changed = service_.regrade(quiz.id, who.id, now_ms());
  if (!changed) return changed.status();
  accounts::AuditEntry entry;
  entry.actor_id = who.id;
  entry.action = "quiz_regraded";
  entry.detail = "quiz " + std::to_string(quiz.id) + ": " + std::to_string(*changed) + " attempts changed";
  entry.request_id = req.request_id;
  entry.address = req.remote_address;
  entry.at = learning::now_text();
  auto st = dir_.audit(entry);
  if (!st.ok()) return st;
  return *changed;
}

std::variant<QuizRecord, Response> Context::quiz_for_learner(const accounts::Call& call) {
  auto quiz = store().quiz(call.id());
  if (!quiz) return unavailable("quizzes", quiz.status());
  if (!*quiz) return Response::text(404, "");
  if ((*quiz)->course_id) {
    auto current = learning_.store().current_version((*quiz)->course_id);
    if (!current) return unavailable("quizzes", current.status());
    if (!*current) return Response::text(404, "");
    auto enrolment = learning_.store().enrolment((*quiz)->course_id, call.req.user_id);
    if (!enrolment) return unavailable("quizzes", enrolment.status());
    if (!*enrolment)
      return web::App::api_error(403, "not_enrolled", "Bạn cần ghi danh vào khóa học trước khi làm bài kiểm tra này.");
  }
  return std::move(**quiz);
}

web::Gate bank_gate(std::shared_ptr<Context> c) {
  return accounts::signed_in_gate(c->dir(), [c](accounts::Call& call) -> std::optional<web::Response> {
    auto found = c->bank_of(call);
    if (auto* res = std::get_if<web::Response>(&found)) return std::move(*res);
    return std::nullopt;
  });
}

std::int64_t now_ms() { return learning::now_ms(); }

std::string iso(std::int64_t ms) { return ms ? format_utc(SystemTime(std::chrono::milliseconds(ms))) : std::string(); }

std::string local_input(std::int64_t ms) {
  if (!ms) return {};
  std::tm t = utc_tm(ms + kVietnamOffsetMs);
  char buf[24];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d", t.tm_year + 1900, t.tm_mon + 1, t.tm_mday, t.tm_hour, t.tm_min);
  return buf;
}

std::int64_t parse_local_input(std::string_view text, bool& ok) {
  ok = true;
  if (text.empty()) return 0;
  // "YYYY-MM-DDTHH:MM" (seconds, if a browser adds them, are ignored).
  if (text.size() < 16 || text[10] != 'T' || !learning::valid_date(text.substr(0, 10)) || text[13] != ':') {
    ok = false;
    return 0;
  }
  const std::string stamp = std::string(text.substr(0, 10)) + "T" + std::string(text.substr(11, 5)) + ":00.000Z";
  auto t = parse_utc(stamp);
  if (!t) {
    ok = false;
    return 0;
  }
  return std::chrono::duration_cast<std::chrono::milliseconds>(t->time_since_epoch()).count() - kVietnamOffsetMs;
}

json::object attempt_json(const AttemptView& v, std::int64_t now, std::int64_t grace_ms, json::storage_ptr sp) {
  const AttemptRecord& a = v.attempt;
  const char* status = a.ended_ms == 0 ? "open" : a.ended_by == "timeout" ? "timed_out" : "submitted";
  json::object o({{"id", a.id},
                 {"quiz_id", a.quiz_id},
                 {"number", a.number},
                 {"status", status},
                 {"started_at", iso(a.started_ms)},
                 {"deadline", a.deadline_ms ? json::value(iso(a.deadline_ms)) : json::value(nullptr)},
                 {"ended_at", a.ended_ms ? json::value(iso(a.ended_ms)) : json::value(nullptr)},
                 {"server_time", iso(now)},
                 {"grace_seconds", grace_ms / 1000},
                 {"per_page", v.quiz.settings.per_page}}, sp);
  json::array questions(sp);
  questions.reserve(v.questions.size());
  json::object answers(sp);
  for (std::size_t i = 0; i < v.questions.size() && i < a.drawn.size(); ++i) {
    const Question& q = *v.questions[i];
    json::object qo = learner_question(q, a.drawn[i], sp);
    auto saved = a.answers.find(q.id);
    std::optional<Answer> answer;
    if (saved != a.answers.end()) {
      std::error_code ec;
      auto value = json::parse(saved->second.value, ec, sp);
      if (!ec) {
        answers[q.id] = to_learner(q, a.drawn[i], value);
        std::string error;
        answer = answer_from_json(q, value, error);
      }
    }
    if (!v.open) {
      Grade g = answer ? grade(q, *answer) : grade(q, Answer{});
      // The stored grade is what counts (a regrade may have changed it).
      if (i < a.grades.size()) g.score = a.grades[i];
      add_review(qo, q, a.drawn[i], answer, g, v.review);
    }
    questions.emplace_back(std::move(qo));
  }
  o.emplace("questions", std::move(questions));
  o.emplace("answers", std::move(answers));
  if (!v.open) {
    o["score"] = a.score;
    o["max_score"] = a.max_score;
    o["percent"] = a.max_score > 0 ? a.score / a.max_score * 100 : 0.0;
    o["passed"] = a.passed;
    o["review"] = review_name(v.review);
  }
  return o;
}

std::string attempt_body(const AttemptView& v, std::int64_t now_ms, std::int64_t grace_ms) {
  // One monotonic buffer for the whole document: freed at once when the body is written.
  alignas(16) unsigned char buffer[32 * 1024];
  json::monotonic_resource memory(buffer, sizeof buffer);
  return json::serialize(attempt_json(v, now_ms, grace_ms, &memory));
}

std::string refusal_message(const StartDecision& d, std::string_view lang) {
  const bool vi = lang == "vi";
  switch (d.verdict) {
    case StartVerdict::not_open_yet:
      return (vi ? "Bài kiểm tra chưa mở. Bài mở lúc " : "The quiz is not open yet. It opens at ") + web::format_time(lang, d.retry_at_ms) + ".";
    case StartVerdict::closed:
      return vi ? "Bài kiểm tra đã đóng." : "The quiz is closed.";
    case StartVerdict::no_attempts_left:
      return vi ? "Bạn đã dùng hết số lần làm bài." : "You have used all your attempts.";
    case StartVerdict::wait:
      return (vi ? "Bạn cần chờ đến " : "You may try again at ") + web::format_time(lang, d.retry_at_ms) +
             (vi ? " mới được làm lại." : ".");
    default:
      return {};
  }
}

const char* refusal_code(StartVerdict v) {
  switch (v) {
    case StartVerdict::not_open_yet: return "not_open_yet";
    case StartVerdict::closed: return "closed";
    case StartVerdict::no_attempts_left: return "no_attempts_left";
    case StartVerdict::wait: return "wait";
    default: return "refused";
  }
}

}  // namespace hocvu::assessment
