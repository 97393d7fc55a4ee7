// Learners' pages: a course's quizzes, a quiz's rules and past attempts, the attempt itself (one
// page of questions at a time, saved as a form without JavaScript, autosaved with it) and its
// review, and the competency profile. Every page calls the Service the API calls.
#include "accounts/route_support.h"
#include "assessment/gradebook.h"
#include "assessment/question_json.h"
#include "assessment/question_view.h"
#include "assessment/revision.h"
#include "assessment/route_support.h"
#include "learning/route_support.h"
#include "learning/service.h"
#include "web/app.h"
#include "web/format.h"
#include "web/request_target.h"

#include <boost/json/parse.hpp>

#include <cmath>
#include <cstdio>
#include <memory>

namespace hocvu::assessment {
namespace {

using web::parse_id;
using accounts::unavailable;
using web::field;
using web::redirect;
using accounts::Body;
using accounts::Call;
using web::App;
using web::Data;
using web::Request;
using web::Response;

std::string kind_label(App& app, const Request& req, QuizKind k) {
  return app.text(req, std::string("quiz.kind_") + kind_name(k));
}

Data attempt_row(const AttemptRecord& a, const std::string& lang) {
  Data o{Data::type::object};
  o.set("id", std::to_string(a.id));
  o.set("number", std::to_string(a.number));
  o.set("started", web::format_time(lang, a.started_ms));
  if (a.ended_ms) {
    o.set("ended", web::format_time(lang, a.ended_ms));
    o.set("score", web::format_decimal(lang, a.score) + "/" + web::format_decimal(lang, a.max_score));
    o.set("percent", web::format_decimal(lang, a.max_score > 0 ? a.score / a.max_score * 100 : 0, 1));
    if (a.passed) o.set("passed", true);
    if (a.ended_by == "timeout") o.set("timed_out", true);
  } else {
    o.set("open", true);
  }
  return o;
}

Response quiz_page(Context& c, Request& req, const QuizRecord& quiz, const std::string& refusal, int status) {
  auto attempts = c.store().attempts_of(quiz.id, req.user_id);
  if (!attempts) return unavailable("quizzes", attempts.status());
  const std::int64_t now = now_ms();
  std::vector<PastAttempt> past;
  Data rows{Data::type::list};
  for (const auto& a : *attempts) {
    past.push_back(a.past());
    rows.push_back(attempt_row(a, req.lang));
  }
  const QuizSettings& s = quiz.settings;
  Data d{Data::type::object};
  d.set("id", std::to_string(quiz.id));
  d.set("quiz_title", quiz.title);
  d.set("kind", kind_label(c.app(), req, quiz.kind));
  if (quiz.course_id) d.set("course_id", std::to_string(quiz.course_id));
  if (s.time_limit_minutes) d.set("time_limit", std::to_string(s.time_limit_minutes));
  if (s.opens_at_ms) d.set("opens_at", web::format_time(req.lang, s.opens_at_ms));
  if (s.closes_at_ms) d.set("closes_at", web::format_time(req.lang, s.closes_at_ms));
  if (s.max_attempts) d.set("max_attempts", std::to_string(s.max_attempts));
  if (s.wait_minutes) d.set("wait_minutes", std::to_string(s.wait_minutes));
  d.set("pass_percent", web::format_decimal(req.lang, s.pass_percent, 1));
  d.set(s.score_rule == ScoreRule::highest ? "rule_highest" : "rule_last", true);
  d.set("attempts", rows);
  if (!attempts->empty()) d.set("has_attempts", true);
  auto decision = may_start(s, past, now);
  if (decision.verdict == StartVerdict::resume) d.set("can_resume", true);
  else if (decision.verdict == StartVerdict::start) d.set(attempts->empty() ? "can_start" : "can_retry", true);
  else d.set("refusal", refusal_message(decision, req.lang));
  if (!refusal.empty()) d.set("error", refusal);
  if (auto i = counted_attempt(past, s.score_rule)) {
    const auto& a = (*attempts)[*i];
    d.set("counted", web::format_decimal(req.lang, a.score) + "/" + web::format_decimal(req.lang, a.max_score));
    if (a.passed) d.set("counted_passed", true);
  }
  return c.app().page(req, "quiz", quiz.title, d, status);
}

// The questions of one page of an attempt (per_page from the quiz; 0: all on one page).
struct PageRange {
  std::size_t from = 0, to = 0;
  int page = 1, pages = 1;
};
PageRange page_range(const AttemptView& v, int wanted) {
  const std::size_t n = v.questions.size();
  const int per = v.quiz.settings.per_page > 0 ? v.quiz.settings.per_page : static_cast<int>(std::max<std::size_t>(n, 1));
  PageRange r;
  r.pages = std::max(1, static_cast<int>((n + per - 1) / per));
  r.page = std::clamp(wanted, 1, r.pages);
  r.from = static_cast<std::size_t>((r.page - 1) * per);
  r.to = std::min(n, r.from + static_cast<std::size_t>(per));
  return r;
}

std::optional<Answer> saved_answer(const Question& q, const AttemptRecord& a) {
  auto it = a.answers.find(q.id);
  if (it == a.answers.end()) return std::nullopt;
  std::error_code ec;
  auto v = boost::json::parse(it->second.value, ec);
  if (ec) return std::nullopt;
  std::string error;
  return answer_from_json(q, v, error);
}

Response attempt_page(Context& c, Request& req, const AttemptView& v, int wanted_page, const std::string& error,
                      int status) {
  const std::int64_t now = now_ms();
  const AttemptRecord& a = v.attempt;
  const PageRange range = page_range(v, wanted_page);
  Data d{Data::type::object};
  d.set("id", std::to_string(a.id));
  d.set("quiz_id", std::to_string(a.quiz_id));
  d.set("quiz_title", v.quiz.title);
  d.set("attempt_number", std::to_string(a.number));
  d.set("page", std::to_string(range.page));
  d.set("pages", std::to_string(range.pages));
  if (!error.empty()) d.set("error", error);
  Data questions{Data::type::list};
  Data nav{Data::type::list};
  const int per = v.quiz.settings.per_page > 0 ? v.quiz.settings.per_page : static_cast<int>(std::max<std::size_t>(v.questions.size(), 1));
  for (std::size_t i = 0; i < v.questions.size() && i < a.drawn.size(); ++i) {
    const Question& q = *v.questions[i];
    auto answer = saved_answer(q, a);
    Data item{Data::type::object};
    item.set("n", std::to_string(i + 1));
    item.set("qid", q.id);
    item.set("page_of", std::to_string(i / per + 1));
    if (answer) item.set("done", true);
    if (i >= range.from && i < range.to) item.set("current", true);
    nav.push_back(item);
    if (v.open && (i < range.from || i >= range.to)) continue;
    QuestionPage p{static_cast<int>(i + 1), v.open, answer, std::nullopt, std::nullopt};
    if (!v.open) {
      Grade g = answer ? grade(q, *answer) : grade(q, Answer{});
      if (i < a.grades.size()) g.score = a.grades[i];
      if (v.review != ReviewLevel::score) p.grade = g;
      p.review = v.review;
    }
    if (!v.open && v.review == ReviewLevel::score) continue;  // the score alone: no questions
    questions.push_back(question_data(q, a.drawn[i], p));
  }
  d.set("questions", questions);
  d.set("nav", nav);
  if (v.open) {
    d.set("open", true);
    if (a.deadline_ms) {
      d.set("deadline", web::format_time(req.lang, a.deadline_ms));
      d.set("deadline_ms", std::to_string(a.deadline_ms));
      d.set("minutes_left", std::to_string(std::max<std::int64_t>(0, (a.deadline_ms - now + 59'999) / 60'000)));
    }
    d.set("server_ms", std::to_string(now));
    if (range.page > 1) d.set("prev_page", std::to_string(range.page - 1));
    if (range.page < range.pages) d.set("next_page", std::to_string(range.page + 1));
    d.set("answered", std::to_string(a.answers.size()));
    d.set("total", std::to_string(v.questions.size()));
    d.set("attempt_js_url", c.app().static_files().url("js/attempt.js"));
    if (req.query_param("confirm") == "1") {
      d.set("confirm", true);
      if (a.answers.size() < v.questions.size())
        d.set("unanswered", std::to_string(v.questions.size() - a.answers.size()));
    }
  } else {
    d.set("closed", true);
    d.set("score", web::format_decimal(req.lang, a.score));
    d.set("max_score", web::format_decimal(req.lang, a.max_score));
    d.set("percent", web::format_decimal(req.lang, a.max_score > 0 ? a.score / a.max_score * 100 : 0, 1));
    d.set(a.passed ? "passed" : "not_passed", true);
    d.set("pass_percent", web::format_decimal(req.lang, v.quiz.settings.pass_percent, 1));
    if (a.ended_by == "timeout") d.set("timed_out", true);
    d.set("ended", web::format_time(req.lang, a.ended_ms));
    if (v.review == ReviewLevel::score) d.set("score_only", true);
    if (v.quiz.course_id) d.set("course_id", std::to_string(v.quiz.course_id));
    // Not passed: a next step (the template's), and the topics where marks were lost — only when
    // the review in effect shows which answers were right anyway: a topic of one question would
    // otherwise say whether that answer was, during an exam window or with attempts left.
    if (!a.passed && v.review == ReviewLevel::correct) {
      Data topics{Data::type::list};
      for (const auto& t : revision_topics(v.questions, a.grades)) {
        Data o{Data::type::object};
        o.set("topic", t.topic.empty() ? c.app().text(req, "quiz.revise_other") : t.topic);
        o.set("missed", std::to_string(t.missed));
        o.set("asked", std::to_string(t.asked));
        topics.push_back(o);
      }
      if (!topics.is_empty_list()) {
        d.set("revise", topics);
        d.set("has_revise", true);
      }
    }
  }
  return c.app().page(req, "attempt", v.quiz.title, d, status);
}

// The learner's attempt, or the response to send instead (another person's attempt is 404).
std::variant<AttemptView, Response> own_attempt(Context& c, Request& req) {
  auto view = c.service().view(parse_id(req.path_param("id")), req.user_id, now_ms());
  if (!view && view.status().code() == ErrorCode::not_found) return Response::text(404, "");
  if (!view) return unavailable("attempts", view.status());
  return std::move(*view);
}

// The learner's quiz and attempt pages, each a named function; add_attempt_pages registers them.
class AttemptPages {
 public:
  AttemptPages(App& app, std::shared_ptr<Context> c) : app(app), c(std::move(c)) {}

  Response course_quizzes_page(Call& call) {
    Request& req = call.req;
    const std::int64_t course_id = parse_id(req.path_param("id"));
    auto current = c->learning().store().current_version(course_id);
    if (!current) return unavailable("quizzes", current.status());
    if (!*current) return Response::text(404, "");
    auto published = c->learning().published(course_id);
    if (!published) return unavailable("quizzes", published.status());
    auto quizzes = c->store().course_quizzes(course_id);
    if (!quizzes) return unavailable("quizzes", quizzes.status());
    Data d{Data::type::object};
    d.set("course_id", std::to_string(course_id));
    d.set("course_title", (*published)->version.content.title);
    Data list{Data::type::list};
    for (const auto& q : *quizzes) {
      Data o{Data::type::object};
      o.set("id", std::to_string(q.id));
      o.set("quiz_title", q.title);
      o.set("kind", kind_label(c->app(), req, q.kind));
      if (q.kind == QuizKind::final_exam) o.set("final", true);
      list.push_back(o);
    }
    d.set("quizzes", list);
    return c->app().page(req, "course_quizzes", (*published)->version.content.title, d);
  }

  Response show_quiz(Call& call) {
    Request& req = call.req;
    auto found = c->quiz_for_learner(call);
    if (auto* res = std::get_if<Response>(&found)) {
      if (res->status == 403) {
        // Not enrolled: say so on the course's page, where the learner can enrol.
        auto quiz = c->store().quiz(parse_id(req.path_param("id")));
        if (quiz && *quiz && (*quiz)->course_id) return redirect("/courses/" + std::to_string((*quiz)->course_id) + "?need=enrol");
      }
      return std::move(*res);
    }
    return quiz_page(*c, req, std::get<QuizRecord>(found), "", 200);
  }

  Response start_form(Call& call) {
    Request& req = call.req;
    auto found = c->quiz_for_learner(call);
    if (auto* res = std::get_if<Response>(&found)) return std::move(*res);
    const QuizRecord& quiz = std::get<QuizRecord>(found);
    auto started = c->service().start(quiz.id, req.user_id, now_ms());
    if (!started && started.status().code() == ErrorCode::conflict)
      return quiz_page(*c, req, quiz, started.status().message(), 409);
    if (!started && started.status().code() == ErrorCode::not_found) return Response::text(404, "");
    if (!started && started.status().code() == ErrorCode::permission_denied) return Response::text(403, "");
    if (!started) return unavailable("attempts", started.status());
    if (!started->attempt_id) return quiz_page(*c, req, quiz, refusal_message(started->decision, req.lang), 409);
    return redirect("/attempts/" + std::to_string(started->attempt_id));
  }

  Response show_attempt(Call& call) {
    Request& req = call.req;
    auto found = own_attempt(*c, req);
    if (auto* res = std::get_if<Response>(&found)) return std::move(*res);
    return attempt_page(*c, req, std::get<AttemptView>(found), web::to_int(req.query_param("page"), 1), "", 200);
  }

  // Without JavaScript: the page's answers arrive as a form; each is saved as the API saves it,
  // then the learner goes where the button said (another page, or the submit question).
  Response save_page_form(Call& call) {
    Request& req = call.req;
    auto found = own_attempt(*c, req);
    if (auto* res = std::get_if<Response>(&found)) return std::move(*res);
    AttemptView& v = std::get<AttemptView>(found);
    const std::string id = std::to_string(v.attempt.id);
    if (!v.open) return redirect("/attempts/" + id);
    const int page = web::to_int(call.field("page"), 1);
    std::string error;
    for (const auto& present : web::fields(call.form, "present")) {
      for (std::size_t i = 0; i < v.questions.size() && i < v.attempt.drawn.size(); ++i) {
        const auto& q = v.questions[i];
        if (q->id != present) continue;
        std::string problem;
        auto value = answer_from_form(*q, v.attempt.drawn[i], call.form, problem);
        if (!problem.empty()) error = problem;
        if (!value) continue;
        auto saved = c->service().save(v.attempt.id, req.user_id, q->id, *value, now_ms());
        if (!saved && saved.status().code() == ErrorCode::conflict) {
          auto again = own_attempt(*c, req);
          if (auto* res = std::get_if<Response>(&again)) return std::move(*res);
          return attempt_page(*c, req, std::get<AttemptView>(again), 1, saved.status().message(), 409);
        }
        if (!saved && saved.status().code() == ErrorCode::invalid_argument) error = saved.status().message();
        else if (!saved) return unavailable("answers", saved.status());
      }
    }
    if (!error.empty()) {
      auto again = own_attempt(*c, req);
      if (auto* res = std::get_if<Response>(&again)) return std::move(*res);
      return attempt_page(*c, req, std::get<AttemptView>(again), page, error, 422);
    }
    const std::string go = call.field("go");
    if (go == "submit") return redirect("/attempts/" + id + "?page=" + std::to_string(page) + "&confirm=1#submit");
    const int target = web::to_int(go, page);
    return redirect("/attempts/" + id + "?page=" + std::to_string(target));
  }

  Response submit_form(Call& call) {
    Request& req = call.req;
    auto view = c->service().submit(parse_id(req.path_param("id")), req.user_id, now_ms());
    if (!view && view.status().code() == ErrorCode::not_found) return Response::text(404, "");
    if (!view) return unavailable("submit", view.status());
    return redirect("/attempts/" + std::to_string(view->attempt.id));
  }

  Response competencies_page(Call& call) {
    Request& req = call.req;
    auto profile = competency_profile(*c, req.user_id, req.lang);
    if (!profile) return unavailable("competencies", profile.status());
    Data d{Data::type::object};
    Data comps{Data::type::list};
    for (const auto& l : profile->competencies) {
      Data o{Data::type::object};
      o.set("code", l.code);
      o.set("name", l.name);
      o.set("area", l.area);
      o.set("answered", std::to_string(l.answered));
      o.set("share", std::to_string(static_cast<int>(std::lround(l.share * 100))));
      comps.push_back(o);
    }
    d.set("competencies", comps);
    Data placements{Data::type::list};
    for (const auto& l : profile->placements) {
      Data o{Data::type::object};
      o.set("placement_title", l.title);
      o.set("domain", l.domain);
      o.set("first", web::format_decimal(req.lang, l.first));
      o.set("latest", web::format_decimal(req.lang, l.latest));
      o.set("attempts", std::to_string(l.attempts));
      placements.push_back(o);
    }
    d.set("placements", placements);
    if (profile->competencies.empty() && profile->placements.empty()) d.set("empty", true);
    // Placement tests anyone may take, to measure a domain before and after a course.
    auto quizzes = c->store().provider_quizzes({}, true);
    if (!quizzes) return unavailable("competencies", quizzes.status());
    Data tests{Data::type::list};
    for (const auto& q : *quizzes)
      if (q.kind == QuizKind::placement) {
        Data o{Data::type::object};
        o.set("id", std::to_string(q.id));
        o.set("test_title", q.title);
        tests.push_back(o);
      }
    d.set("placement_tests", tests);
    return c->app().page(req, "competencies", c->app().text(req, "competencies.title"), d);
  }

 private:
  App& app;
  std::shared_ptr<Context> c;
};

}  // namespace

void add_attempt_pages(App& app, std::shared_ptr<Context> c) {
  auto& r = app.router();
  auto h = std::make_shared<AttemptPages>(app, c);
  auto on = [&c, h](Body body, Response (AttemptPages::*handler)(Call&)) {
    return accounts::signed_in(c->dir(), body, std::bind_front(handler, h));
  };
  r.add("GET", "/courses/{id}/quizzes", on(Body::none, &AttemptPages::course_quizzes_page));
  r.add("GET", "/quizzes/{id}", on(Body::none, &AttemptPages::show_quiz));
  r.add("POST", "/quizzes/{id}/start", on(Body::form, &AttemptPages::start_form));
  r.add("GET", "/attempts/{id}", on(Body::none, &AttemptPages::show_attempt));
  r.add("POST", "/attempts/{id}", on(Body::form, &AttemptPages::save_page_form));
  r.add("POST", "/attempts/{id}/submit", on(Body::form, &AttemptPages::submit_form));
  r.add("GET", "/me/competencies", on(Body::none, &AttemptPages::competencies_page));
}

}  // namespace hocvu::assessment
