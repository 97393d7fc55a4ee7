#include "assessment/gradebook.h"

#include "accounts/directory.h"
#include "accounts/call.h"
#include "accounts/route_support.h"
#include "core/csv.h"
#include "learning/service.h"
#include "reference/store.h"
#include "web/app.h"

#include <cmath>
#include <cstdio>

namespace hocvu::assessment {

using accounts::Principal;
using web::parse_id;
using accounts::unavailable;
using web::Request;
using web::Response;
namespace json = boost::json;


std::variant<Gradebook, Response> load_gradebook(Context& c, const accounts::Call& call) {
  const Principal& who = call.who;
  Gradebook book;
  book.course_id = call.id();
  book.class_id = parse_id(call.req.query_param("class_id"));
  auto course = c.learning().store().course(book.course_id);
  if (!course) return unavailable("gradebook", course.status());
  if (!*course) return Response::text(404, "");
  book.course_title = (*course)->draft.title;
  // Who sees which lines, decided from the caller's grants as they are now: the provider's authors
  // see everyone; a class's instructor, while they hold a role that teaches, sees the members
  // standing where they may teach; anyone sees the learners standing where they may follow progress.
  bool runs_class = false;
  if (book.class_id) {
    auto cls = c.learning().store().class_info(book.class_id);
    if (!cls) return unavailable("gradebook", cls.status());
    if (!*cls || (*cls)->course_id != book.course_id) return Response::text(404, "");
    book.class_name = (*cls)->name;
    runs_class = (*cls)->instructor_id == who.id && accounts::may_somewhere(who, accounts::Action::teach);
  }
  auto author = c.may_author(who, (*course)->provider_id);
  if (!author) return unavailable("gradebook", author.status());
  const bool all_learners = *author;
  if (!all_learners && !runs_class && !accounts::may_somewhere(who, accounts::Action::view_progress))
    return Response::text(404, "");
  auto quizzes = c.store().course_quizzes(book.course_id);
  if (!quizzes) return unavailable("gradebook", quizzes.status());
  book.quizzes = std::move(*quizzes);
  const std::int64_t now = now_ms();
  for (const auto& q : book.quizzes) {
    auto st = c.service().close_expired(q.id, now);
    if (!st.ok()) return unavailable("gradebook", st);
  }
  auto lines = c.store().gradebook(book.course_id, book.class_id);
  if (!lines) return unavailable("gradebook", lines.status());
  if (all_learners) {
    book.lines = std::move(*lines);
  } else {
    for (auto& line : *lines) {
      auto place = c.dir().place_of_person(line.person_id);
      if (!place) return unavailable("gradebook", place.status());
      if (*place && (accounts::may(who, accounts::Action::view_progress, **place, line.person_id) ||
                     (runs_class && accounts::may(who, accounts::Action::teach, **place, line.person_id))))
        book.lines.push_back(std::move(line));
    }
  }
  return book;
}

const AttemptRecord* counted(const Gradebook&, const GradebookLine& line, const QuizRecord& quiz) {
  auto it = line.attempts.find(quiz.id);
  if (it == line.attempts.end()) return nullptr;
  std::vector<PastAttempt> past;
  for (const auto& a : it->second) past.push_back(a.past());
  auto index = counted_attempt(past, quiz.settings.score_rule);
  return index ? &it->second[*index] : nullptr;
}

json::object gradebook_json(const Gradebook& book) {
  json::array quizzes, learners;
  for (const auto& q : book.quizzes)
    quizzes.emplace_back(json::object{{"id", q.id}, {"kind", kind_name(q.kind)}, {"title", q.title}});
  for (const auto& line : book.lines) {
    json::array results;
    for (const auto& q : book.quizzes) {
      auto it = line.attempts.find(q.id);
      const AttemptRecord* a = counted(book, line, q);
      json::object r{{"quiz_id", q.id}, {"attempts", it == line.attempts.end() ? 0 : it->second.size()}};
      if (a) {
        r["attempt_id"] = a->id;
        r["score"] = a->score;
        r["max_score"] = a->max_score;
        r["percent"] = a->max_score > 0 ? a->score / a->max_score * 100 : 0.0;
        r["passed"] = a->passed;
      }
      results.emplace_back(std::move(r));
    }
    learners.emplace_back(json::object{{"person_id", line.person_id}, {"full_name", line.full_name}, {"percent", line.percent},
                                       {"completed_at", line.completed_at.empty() ? json::value(nullptr) : json::value(line.completed_at)},
                                       {"results", std::move(results)}});
  }
  return json::object{{"course_id", book.course_id},
                      {"class_id", book.class_id ? json::value(book.class_id) : json::value(nullptr)},
                      {"quizzes", std::move(quizzes)},
                      {"learners", std::move(learners)}};
}

std::string gradebook_csv(const Gradebook& book, std::string_view lang) {
  const bool vi = lang == "vi";
  // Names and titles come from people: text cells (formulas neutralised). Counts, scores and
  // percentages are the platform's own: number cells, rounded as the pages show them.
  auto rounded = [](double v) { return std::round(v * 100) / 100; };
  CsvWriter csv;
  csv.text(vi ? "Họ và tên" : "Name").text(vi ? "Tiến độ (%)" : "Progress (%)").text(vi ? "Hoàn thành lúc" : "Completed at");
  for (const auto& q : book.quizzes) {
    csv.text(q.title + (vi ? " — số lần" : " — attempts"));
    csv.text(q.title + (vi ? " — điểm" : " — score"));
    csv.text(q.title + (vi ? " — điểm tối đa" : " — max score"));
    csv.text(q.title + " — %");
    csv.text(q.title + (vi ? " — đạt" : " — passed"));
  }
  csv.end_row();
  for (const auto& line : book.lines) {
    csv.text(line.full_name).number(line.percent).text(line.completed_at);
    for (const auto& q : book.quizzes) {
      auto it = line.attempts.find(q.id);
      const AttemptRecord* a = counted(book, line, q);
      csv.number(static_cast<double>(it == line.attempts.end() ? 0 : it->second.size()));
      if (a) csv.number(rounded(a->score)).number(rounded(a->max_score));
      else csv.empty().empty();
      if (a && a->max_score > 0) csv.number(rounded(a->score / a->max_score * 100));
      else csv.empty();
      if (a) csv.text(a->passed ? (vi ? "đạt" : "yes") : (vi ? "chưa đạt" : "no"));
      else csv.empty();
    }
    csv.end_row();
  }
  return csv.take();
}

Result<CompetencyProfile> competency_profile(Context& c, std::int64_t person_id, std::string_view lang) {
  CompetencyProfile p;
  auto rows = c.store().evidence_of(person_id);
  if (!rows) return rows.status();
  auto frameworks = c.reference().frameworks();
  if (!frameworks) return frameworks.status();
  for (const auto& row : *rows) {
    CompetencyLine line{row.competency, row.competency, "", row.answered, row.answered ? row.credit / row.answered : 0};
    for (const auto& f : *frameworks)
      for (const auto& a : f.areas)
        for (const auto& comp : a.competencies)
          if (comp.code == row.competency) {
            line.name = comp.name.pick(lang);
            line.area = a.name.pick(lang);
          }
    line.share = std::clamp(line.share, 0.0, 1.0);
    p.competencies.push_back(std::move(line));
  }
  auto placements = c.store().placements_of(person_id);
  if (!placements) return placements.status();
  std::map<std::int64_t, std::size_t> index;
  for (const auto& r : *placements) {
    const double percent = r.max_score > 0 ? r.score / r.max_score * 100 : 0;
    auto it = index.find(r.quiz_id);
    if (it == index.end()) {
      index[r.quiz_id] = p.placements.size();
      std::string domain = r.domain;
      for (const auto& f : *frameworks)
        for (const auto& a : f.areas)
          if (a.code == r.domain) domain = a.name.pick(lang);
      p.placements.push_back({r.title, domain, percent, percent, 1});
    } else {
      auto& line = p.placements[it->second];
      line.latest = percent;
      line.attempts += 1;
    }
  }
  return p;
}

json::object competency_json(const CompetencyProfile& p) {
  json::array comps, placements;
  for (const auto& l : p.competencies)
    comps.emplace_back(json::object{{"code", l.code}, {"name", l.name}, {"area", l.area}, {"answered", l.answered},
                                    {"share_correct", std::round(l.share * 1000) / 1000}});
  for (const auto& l : p.placements)
    placements.emplace_back(json::object{{"title", l.title}, {"domain", l.domain}, {"first_percent", l.first},
                                         {"latest_percent", l.latest}, {"attempts", l.attempts}});
  return json::object{{"competencies", std::move(comps)}, {"placements", std::move(placements)}};
}

}  // namespace hocvu::assessment
