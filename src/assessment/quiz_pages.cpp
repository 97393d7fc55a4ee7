// Authors' pages for quizzes (create, settings, problems, regrade), gradebooks (page and CSV) and
// an attempt's event trail.
#include "accounts/directory.h"
#include "accounts/route_support.h"
#include "assessment/gradebook.h"
#include "assessment/question_json.h"
#include "assessment/route_support.h"
#include "core/text.h"
#include "learning/route_support.h"
#include "learning/service.h"
#include "reference/store.h"
#include "web/app.h"
#include "web/format.h"
#include "web/request_target.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <memory>

namespace hocvu::assessment {

std::string check_quiz_target(Context& c, const accounts::Principal& who, QuizRecord& quiz, std::string_view lang);

namespace {

using accounts::Body;
using accounts::Call;
using accounts::Principal;
using web::parse_id;
using accounts::unavailable;
using web::field;
using web::redirect;
using web::to_int;
using web::App;
using web::Data;
using web::Request;
using web::Response;

constexpr int kDrawRows = 4;

Data option(const std::string& value, const std::string& label, bool selected) {
  Data o{Data::type::object};
  o.set("value", value);
  o.set("label", label);
  if (selected) o.set("selected", true);
  return o;
}

Result<Data> area_options(Context& c, const Request& req, const std::string& selected) {
  auto frameworks = c.reference().frameworks();
  if (!frameworks) return frameworks.status();
  Data list{Data::type::list};
  list.push_back(option("", c.app().text(req, "quizedit.no_domain"), selected.empty()));
  for (const auto& f : *frameworks)
    for (const auto& a : f.areas) list.push_back(option(a.code, a.code + ". " + a.name.pick(req.lang), a.code == selected));
  return list;
}

Response quizzes_page(Context& c, Request& req, const Principal& who, const web::FieldErrors& errors, int status) {
  if (!accounts::may_somewhere(who, accounts::Action::author_course)) return Response::text(403, "");
  auto ids = c.provider_ids(who);
  if (!ids) return unavailable("quizzes", ids.status());
  auto quizzes = c.store().provider_quizzes(*ids, false);
  if (!quizzes) return unavailable("quizzes", quizzes.status());
  auto banks = c.store().banks(*ids, false);
  if (!banks) return unavailable("quizzes", banks.status());
  auto courses = c.learning().store().authored_courses(*ids, false);
  if (!courses) return unavailable("quizzes", courses.status());
  Data d = web::form_errors(errors);
  Data list{Data::type::list};
  for (const auto& q : *quizzes) {
    Data o{Data::type::object};
    o.set("id", std::to_string(q.id));
    o.set("quiz_title", q.title);
    o.set("kind", c.app().text(req, std::string("quiz.kind_") + kind_name(q.kind)));
    for (const auto& course : *courses)
      if (course.id == q.course_id) o.set("course_title", course.title);
    list.push_back(o);
  }
  d.set("quizzes", list);
  Data bank_list{Data::type::list};
  for (const auto& b : *banks) bank_list.push_back(option(std::to_string(b.id), b.title + " (" + std::to_string(b.questions) + ")", false));
  d.set("banks", bank_list);
  if (banks->empty()) d.set("no_banks", true);
  Data course_list{Data::type::list};
  course_list.push_back(option("", c.app().text(req, "quizedit.no_course"), false));
  const std::int64_t preselect = parse_id(req.query_param("course_id"));
  for (const auto& course : *courses)
    if (course.published_version || course.id == preselect)
      course_list.push_back(option(std::to_string(course.id), course.title, course.id == preselect));
  d.set("courses", course_list);
  Data kinds{Data::type::list};
  for (auto k : {QuizKind::final_exam, QuizKind::section, QuizKind::placement})
    kinds.push_back(option(kind_name(k), c.app().text(req, std::string("quiz.kind_") + kind_name(k)), false));
  d.set("kinds", kinds);
  auto areas = area_options(c, req, "");
  if (!areas) return unavailable("quizzes", areas.status());
  d.set("areas", *areas);
  return c.app().page(req, "quizzes", c.app().text(req, "quizedit.list_title"), d, status);
}

Response quiz_editor(Context& c, Request& req, const QuizRecord& quiz, const web::FieldErrors& errors,
                     const std::string& done, int status) {
  auto bank = c.store().bank(quiz.bank_id);
  if (!bank || !*bank) return unavailable("quizzes", bank.status());
  auto questions = c.service().questions(quiz.bank_id);
  if (!questions) return unavailable("quizzes", questions.status());
  auto problems = c.service().problems(quiz);
  if (!problems) return unavailable("quizzes", problems.status());
  const QuizSettings& s = quiz.settings;
  Data d = web::form_errors(errors);
  d.set("id", std::to_string(quiz.id));
  d.set("quiz_title", quiz.title);
  d.set("kind", c.app().text(req, std::string("quiz.kind_") + kind_name(quiz.kind)));
  d.set("bank_id", std::to_string(quiz.bank_id));
  d.set("bank_title", (*bank)->title);
  if (quiz.course_id) d.set("course_id", std::to_string(quiz.course_id));
  if (!done.empty()) d.set("done", done);
  Data fixed{Data::type::list};
  for (const auto& sq : *questions) {
    Data o{Data::type::object};
    o.set("qid", sq.question.id);
    o.set("name", sq.question.name.empty() ? sq.question.id : sq.question.name);
    o.set("category", sq.question.category);
    if (std::find(s.fixed.begin(), s.fixed.end(), sq.question.id) != s.fixed.end()) o.set("checked", true);
    fixed.push_back(o);
  }
  d.set("bank_questions", fixed);
  Data draws{Data::type::list};
  for (int i = 0; i < std::max<int>(kDrawRows, static_cast<int>(s.draws.size()) + 1); ++i) {
    Data o{Data::type::object};
    const DrawRule r = i < static_cast<int>(s.draws.size()) ? s.draws[i] : DrawRule{"", "", "", 0, 0};
    o.set("draw_n", std::to_string(i + 1));
    o.set("draw_category", r.category);
    o.set("draw_tag", r.tag);
    o.set("draw_competency", r.competency);
    o.set("draw_difficulty", r.difficulty ? std::to_string(r.difficulty) : std::string());
    o.set("draw_count", r.count ? std::to_string(r.count) : std::string());
    draws.push_back(o);
  }
  d.set("draws", draws);
  if (s.shuffle_questions) d.set("shuffle_questions", true);
  if (s.shuffle_options) d.set("shuffle_options", true);
  d.set("time_limit", std::to_string(s.time_limit_minutes));
  d.set("opens_at", local_input(s.opens_at_ms));
  d.set("closes_at", local_input(s.closes_at_ms));
  d.set("max_attempts", std::to_string(s.max_attempts));
  d.set("wait_minutes", std::to_string(s.wait_minutes));
  d.set("pass_percent", web::format_decimal("en", s.pass_percent));  // an input's value: machine notation
  d.set("per_page", std::to_string(s.per_page));
  Data rules{Data::type::list};
  for (auto r : {ScoreRule::highest, ScoreRule::last})
    rules.push_back(option(score_rule_name(r), c.app().text(req, std::string("quizedit.rule_") + score_rule_name(r)), r == s.score_rule));
  d.set("rules", rules);
  Data reviews{Data::type::list};
  for (auto r : {ReviewLevel::score, ReviewLevel::answers, ReviewLevel::correct})
    reviews.push_back(option(review_name(r), c.app().text(req, std::string("quizedit.review_") + review_name(r)), r == s.review));
  d.set("reviews", reviews);
  Data whens{Data::type::list};
  for (auto w : {ReviewWhen::immediately, ReviewWhen::after_close})
    whens.push_back(option(review_when_name(w), c.app().text(req, std::string("quizedit.when_") + review_when_name(w)), w == s.review_when));
  d.set("whens", whens);
  if (quiz.kind == QuizKind::placement) {
    auto areas = area_options(c, req, s.domain);
    if (!areas) return unavailable("quizzes", areas.status());
    d.set("areas", *areas);
    d.set("is_placement", true);
  }
  Data plist{Data::type::list};
  for (const auto& p : *problems) plist.push_back(Data{"text", p});
  d.set("problems", plist);
  if (!problems->empty()) d.set("has_problems", true);
  return c.app().page(req, "quiz_edit", quiz.title, d, status);
}

// Reads the settings form; field problems go to `errors`.
QuizSettings read_settings(const web::Fields& form, const QuizSettings& before, web::FieldErrors& errors) {
  QuizSettings s = before;
  s.fixed = web::fields(form, "fixed");
  s.draws.clear();
  const auto cats = web::fields(form, "draw_category");
  const auto tags = web::fields(form, "draw_tag");
  const auto comps = web::fields(form, "draw_competency");
  const auto diffs = web::fields(form, "draw_difficulty");
  const auto counts = web::fields(form, "draw_count");
  auto at = [](const std::vector<std::string>& v, std::size_t i) { return i < v.size() ? to_nfc(trim(v[i])) : std::string(); };
  for (std::size_t i = 0; i < counts.size() && i < 50; ++i) {
    const std::string count = at(counts, i);
    if (count.empty() || count == "0") continue;
    const int n = to_int(count, -1);
    if (n < 1) {
      errors.emplace_back("draws", "Lượt rút " + std::to_string(i + 1) + ": số câu phải là số nguyên dương.");
      continue;
    }
    s.draws.push_back({at(cats, i), at(tags, i), at(comps, i), std::clamp(to_int(at(diffs, i), 0), 0, 3), n});
  }
  s.shuffle_questions = field(form, "shuffle_questions") == "1";
  s.shuffle_options = field(form, "shuffle_options") == "1";
  auto int_field = [&](const char* name, int lo, int hi, int& out, const char* message) {
    const int v = to_int(trim(field(form, name)).empty() ? "0" : trim(field(form, name)), -1);
    if (v < lo || v > hi) errors.emplace_back(name, message);
    else out = v;
  };
  int_field("time_limit", 0, 1440, s.time_limit_minutes, "Thời gian làm bài từ 0 (không giới hạn) đến 1440 phút.");
  int_field("max_attempts", 0, 100, s.max_attempts, "Số lần làm bài từ 0 (không giới hạn) đến 100.");
  int_field("wait_minutes", 0, 525600, s.wait_minutes, "Thời gian chờ phải là số phút (0 nếu không chờ).");
  int_field("per_page", 0, 200, s.per_page, "Số câu mỗi trang từ 0 (tất cả một trang) đến 200.");
  std::string pass = trim(field(form, "pass_percent"));
  std::replace(pass.begin(), pass.end(), ',', '.');
  double p = -1;
  auto r = std::from_chars(pass.data(), pass.data() + pass.size(), p);
  if (pass.empty() || r.ec != std::errc{} || r.ptr != pass.data() + pass.size() || p < 0 || p > 100)
    errors.emplace_back("pass_percent", "Điểm đạt là một số từ 0 đến 100 (%).");
  else s.pass_percent = p;
  bool ok = true;
  s.opens_at_ms = parse_local_input(trim(field(form, "opens_at")), ok);
  if (!ok) errors.emplace_back("opens_at", "Thời điểm mở không hợp lệ.");
  s.closes_at_ms = parse_local_input(trim(field(form, "closes_at")), ok);
  if (!ok) errors.emplace_back("closes_at", "Thời điểm đóng không hợp lệ.");
  if (auto v = score_rule_from_name(field(form, "score_rule"))) s.score_rule = *v;
  if (auto v = review_from_name(field(form, "review"))) s.review = *v;
  if (auto v = review_when_from_name(field(form, "review_when"))) s.review_when = *v;
  if (form.end() != std::find_if(form.begin(), form.end(), [](const auto& kv) { return kv.first == "domain"; }))
    s.domain = trim(field(form, "domain"));
  return s;
}

Data gradebook_data(Context& c, const Request& req, const Gradebook& book) {
  Data d{Data::type::object};
  d.set("course_id", std::to_string(book.course_id));
  d.set("course_title", book.course_title);
  if (book.class_id) {
    d.set("class_id", std::to_string(book.class_id));
    d.set("class_name", book.class_name);
  }
  Data heads{Data::type::list};
  for (const auto& q : book.quizzes) heads.push_back(Data{"quiz_title", q.title});
  d.set("heads", heads);
  d.set("columns", std::to_string(3 + book.quizzes.size()));
  Data lines{Data::type::list};
  for (const auto& line : book.lines) {
    Data o{Data::type::object};
    o.set("full_name", line.full_name);
    o.set("percent", std::to_string(line.percent));
    if (!line.completed_at.empty()) o.set("completed_at", web::format_date(req.lang, line.completed_at));
    Data cells{Data::type::list};
    for (const auto& q : book.quizzes) {
      Data cell{Data::type::object};
      cell.set("label", q.title);  // the column's heading, shown beside the cell on a phone
      auto it = line.attempts.find(q.id);
      const AttemptRecord* a = counted(book, line, q);
      cell.set("attempts", std::to_string(it == line.attempts.end() ? 0 : it->second.size()));
      if (a) {
        cell.set("attempt_id", std::to_string(a->id));
        cell.set("cell_score", web::format_decimal(req.lang, a->score) + "/" + web::format_decimal(req.lang, a->max_score));
        if (a->passed) cell.set("cell_passed", true);
      }
      cells.push_back(cell);
    }
    o.set("cells", cells);
    lines.push_back(o);
  }
  d.set("lines", lines);
  return d;
}

// ---- The handlers, named; the authoring ones behind the one prologue (Context::on) ----

Response list_quizzes(Context& c, Call& call) { return quizzes_page(c, call.req, call.who, {}, 200); }

Response create_quiz(Context& c, Call& call) {
  QuizRecord quiz;
  quiz.title = to_nfc(trim(call.field("title")));
  quiz.kind = quiz_kind_from_name(call.field("kind")).value_or(QuizKind::final_exam);
  quiz.bank_id = parse_id(call.field("bank_id"));
  quiz.course_id = parse_id(call.field("course_id"));
  quiz.settings.domain = trim(call.field("domain"));
  if (auto problem = check_quiz_target(c, call.who, quiz, call.req.lang); !problem.empty())
    return quizzes_page(c, call.req, call.who, {{"title", problem}}, 422);
  auto id = c.store().create_quiz(quiz, call.who.id, learning::now_text());
  if (!id && id.status().code() == ErrorCode::conflict)
    return quizzes_page(c, call.req, call.who, {{"course_id", "Khóa học này đã có bài thi cuối khóa."}}, 409);
  if (!id) return unavailable("quizzes", id.status());
  return redirect("/author/quizzes/" + std::to_string(*id));
}

Response edit_quiz(Context& c, Call& call) {
  auto quiz = c.quiz_of(call);
  if (auto* res = std::get_if<Response>(&quiz)) return std::move(*res);
  Request& req = call.req;
  const auto done = req.query_param("done");
  std::string message = done == "saved" ? c.app().text(req, "quizedit.saved")
                        : done == "regraded" ? c.app().text(req, "quizedit.regraded") + " " + std::string(req.query_param("n"))
                        : std::string();
  return quiz_editor(c, req, std::get<QuizRecord>(quiz), {}, message, 200);
}

Response save_quiz(Context& c, Call& call) {
  auto found = c.quiz_of(call);
  if (auto* res = std::get_if<Response>(&found)) return std::move(*res);
  QuizRecord quiz = std::get<QuizRecord>(found);
  web::FieldErrors errors;
  quiz.title = to_nfc(trim(call.field("title")));
  if (quiz.title.empty() || quiz.title.size() > 200) errors.emplace_back("title", "Hãy đặt tên bài kiểm tra (tối đa 200 ký tự).");
  quiz.settings = read_settings(call.form, quiz.settings, errors);
  if (!errors.empty()) return quiz_editor(c, call.req, quiz, errors, "", 422);
  auto st = c.store().update_quiz(quiz, learning::now_text());
  if (!st.ok()) return unavailable("quizzes", st);
  return redirect("/author/quizzes/" + std::to_string(quiz.id) + "?done=saved");
}

Response regrade_quiz(Context& c, Call& call) {
  auto quiz = c.quiz_of(call);
  if (auto* res = std::get_if<Response>(&quiz)) return std::move(*res);
  auto changed = c.regrade(call.who, std::get<QuizRecord>(quiz), call.req);
  if (!changed) return unavailable("regrade", changed.status());
  return redirect("/author/quizzes/" + std::to_string(std::get<QuizRecord>(quiz).id) + "?done=regraded&n=" + std::to_string(*changed));
}

// The gradebook decides who sees which lines itself (load_gradebook, from the caller's grants).
Response gradebook_page(Context& c, Call& call) {
  Request& req = call.req;
  auto book = load_gradebook(c, call);
  if (auto* res = std::get_if<Response>(&book)) return std::move(*res);
  const Gradebook& g = std::get<Gradebook>(book);
  return c.app().page(req, "gradebook", c.app().text(req, "gradebook.title") + " — " + g.course_title, gradebook_data(c, req, g));
}

Response gradebook_download(Context& c, Call& call) {
  Request& req = call.req;
  auto book = load_gradebook(c, call);
  if (auto* res = std::get_if<Response>(&book)) return std::move(*res);
  const Gradebook& g = std::get<Gradebook>(book);
  Response res = Response::text(200, gradebook_csv(g, req.lang), "text/csv; charset=utf-8");
  res.set_header("Content-Disposition", "attachment; filename=\"gradebook-" + std::to_string(g.course_id) +
                                            (g.class_id ? "-class-" + std::to_string(g.class_id) : std::string()) + ".csv\"");
  res.set_header("Cache-Control", "no-store");
  return res;
}

// An attempt's event trail, for the authors of its quiz (Context::attempt_trail decides).
Response attempt_trail_page(Context& c, Call& call) {
  Request& req = call.req;
  auto trail = c.attempt_trail(call);
  if (auto* res = std::get_if<Response>(&trail)) return std::move(*res);
  const auto& [attempt, quiz, events] = std::get<0>(trail);
  auto person = c.dir().person(attempt.person_id);
  Data d{Data::type::object};
  d.set("quiz_id", std::to_string(quiz.id));
  d.set("quiz_title", quiz.title);
  d.set("attempt_number", std::to_string(attempt.number));
  if (person && *person) d.set("learner", (*person)->full_name);
  Data list{Data::type::list};
  for (const auto& e : events) {
    Data o{Data::type::object};
    o.set("at", web::format_time(req.lang, e.at_ms, true));
    o.set("event_kind", c.app().text(req, "trail." + e.kind));
    o.set("question", e.question);
    o.set("detail", e.detail);
    list.push_back(o);
  }
  d.set("events", list);
  return c.app().page(req, "attempt_events", c.app().text(req, "trail.title"), d);
}

}  // namespace

void add_quiz_pages(App& app, std::shared_ptr<Context> c) {
  auto& r = app.router();
  r.add("GET", "/author/quizzes", c->on(Body::none, list_quizzes));
  r.add("POST", "/author/quizzes", c->on(Body::form, create_quiz));
  r.add("GET", "/author/quizzes/{id}", c->on(Body::none, edit_quiz));
  r.add("POST", "/author/quizzes/{id}", c->on(Body::form, save_quiz));
  r.add("POST", "/author/quizzes/{id}/regrade", c->on(Body::form, regrade_quiz));
  r.add("GET", "/courses/{id}/gradebook", c->on(Body::none, gradebook_page));
  r.add("GET", "/courses/{id}/gradebook.csv", c->on(Body::none, gradebook_download));
  r.add("GET", "/author/attempts/{id}/events", c->on(Body::none, attempt_trail_page));
}

}  // namespace hocvu::assessment
