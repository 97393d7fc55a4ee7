#include "learning/routes.h"

#include "accounts/call.h"
#include "accounts/directory.h"
#include "accounts/route_support.h"
#include "core/json.h"
#include "core/log.h"
#include "core/text.h"
#include "core/time.h"
#include "learning/events_json.h"
#include "learning/json.h"
#include "learning/route_support.h"
#include "learning/service.h"
#include "reference/store.h"
#include "web/app.h"
#include "web/format.h"
#include "web/form.h"
#include "web/request_target.h"
#include "web/static_files.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <limits>

namespace hocvu::learning {
namespace {

using accounts::Body;
using accounts::Call;
using accounts::Refused;
using web::parse_id;
using web::field;
using web::redirect;
using web::to_int;
using accounts::unavailable;
using web::App;
using web::Data;
using web::Request;
using web::Response;
namespace json = boost::json;

// Reference names for the catalogue: target groups and framework domains, in the page language.
struct Names {
  std::vector<std::pair<std::string, std::string>> groups;  // code, name
  std::vector<std::pair<std::string, std::string>> areas;
};

Result<Names> names(reference::Store& reference, std::string_view lang) {
  Names n;
  auto groups = reference.target_groups();
  if (!groups) return groups.status();
  for (const auto& g : *groups) n.groups.emplace_back(g.code, g.name.pick(lang));
  auto frameworks = reference.frameworks();
  if (!frameworks) return frameworks.status();
  for (const auto& f : *frameworks)
    for (const auto& a : f.areas) n.areas.emplace_back(a.code, a.name.pick(lang));
  return n;
}

std::string name_of(const std::vector<std::pair<std::string, std::string>>& list, std::string_view code) {
  for (const auto& [c, n] : list)
    if (c == code) return n;
  return std::string(code);
}

CatalogueQuery catalogue_query(const Request& req) {
  CatalogueQuery q;
  q.folded_terms = fold_for_search(req.query_param("q").substr(0, 200));
  q.group = std::string(req.query_param("group"));
  q.area = std::string(req.query_param("domain"));
  q.provider = parse_id(req.query_param("provider"));
  q.max_minutes = std::max(0, to_int(req.query_param("max_minutes"), 0));
  q.page = std::max(1, to_int(req.query_param("page"), 1));
  q.per_page = std::clamp(to_int(req.query_param("per_page"), 20), 1, 100);
  return q;
}

// The signed-in learner's target group, to put their courses first; "" when unknown.
std::string learner_group(accounts::Directory& dir, std::int64_t user_id) {
  if (!user_id) return {};
  auto p = dir.person(user_id);
  return p && *p ? (*p)->target_group : std::string();
}

Data option_list(const std::vector<std::pair<std::string, std::string>>& list, std::string_view selected) {
  Data out{Data::type::list};
  for (const auto& [code, name] : list) {
    Data o{Data::type::object};
    o.set("code", code);
    o.set("name", name);
    if (code == selected) o.set("selected", true);
    out.push_back(o);
  }
  return out;
}

std::string duration_text(const App& app, const Request& req, int minutes) {
  return std::to_string(minutes) + " " + app.text(req, "courses.minutes");
}

Response catalogue_page(App& app, Service& service, accounts::Directory& dir, reference::Store& reference, Request& req) {
  auto q = catalogue_query(req);
  q.prefer_group = learner_group(dir, req.user_id);
  auto page = service.store().catalogue(q);
  if (!page) return unavailable("catalogue", page.status());
  auto n = names(reference, req.lang);
  if (!n) return unavailable("catalogue", n.status());
  Data items{Data::type::list};
  for (const auto& i : page->items) {
    Data d{Data::type::object};
    d.set("id", std::to_string(i.id));
    d.set("title", i.title);
    d.set("summary", i.summary);
    d.set("duration", duration_text(app, req, i.duration_minutes));
    d.set("provider", i.provider_name);
    Data groups{Data::type::list};
    for (const auto& g : i.target_groups) groups.push_back(Data{"name", name_of(n->groups, g)});
    d.set("groups", groups);
    Data comps{Data::type::list};
    for (const auto& c : i.competencies) comps.push_back(Data{"code", c.code});
    d.set("competencies", comps);
    items.push_back(d);
  }
  Data data{Data::type::object};
  data.set("items", items);
  data.set("q", std::string(req.query_param("q")));
  data.set("groups", option_list(n->groups, q.group));
  data.set("domains", option_list(n->areas, q.area));
  Data durations{Data::type::list};
  for (int m : {30, 60, 120}) {
    Data o{Data::type::object};
    o.set("value", std::to_string(m));
    o.set("name", app.text(req, "courses.up_to") + " " + duration_text(app, req, m));
    if (q.max_minutes == m) o.set("selected", true);
    durations.push_back(o);
  }
  data.set("durations", durations);
  auto providers = service.store().catalogue_providers();
  if (!providers) return unavailable("catalogue", providers.status());
  std::vector<std::pair<std::string, std::string>> provider_options;
  for (const auto& [id, name] : *providers) provider_options.emplace_back(std::to_string(id), name);
  data.set("providers", option_list(provider_options, q.provider ? std::to_string(q.provider) : std::string()));
  data.set("total", std::to_string(page->total));
  if (page->items.empty()) data.set("none", true);
  // The filters stay folded under the search box unless one is in use.
  if (!q.group.empty() || !q.area.empty() || q.provider || q.max_minutes) data.set("filtering", true);
  // Pagination keeps the filters.
  auto link = [&](int p) {
    std::string url = "/courses?page=" + std::to_string(p);
    for (const char* k : {"q", "group", "domain", "max_minutes", "provider"})
      if (!req.query_param(k).empty()) url += std::string("&") + k + "=" + web::percent_encode(req.query_param(k));
    return url;
  };
  if (q.page > 1) data.set("prev_url", link(q.page - 1));
  if (static_cast<std::int64_t>(q.page) * q.per_page < page->total) data.set("next_url", link(q.page + 1));
  return app.page(req, "courses", app.text(req, "courses.title"), data);
}

Response course_page(App& app, Service& service, accounts::Directory& dir, reference::Store& reference, Request& req) {
  const std::int64_t id = parse_id(req.path_param("id"));
  // The current version's number, settings and provider in one read; the structure from memory.
  auto current = service.store().current_version(id);
  if (!current) return unavailable("course", current.status());
  if (!*current) return Response::text(404, "");
  auto course = service.published(id, (*current)->version);
  if (!course) return unavailable("course", course.status());
  const Published& p = **course;
  const CurrentVersion& info = **current;
  if (req.wants_json()) return Response::json(200, json::serialize(course_json(p, info.provider_name, info.provider_id)));
  auto n = names(reference, req.lang);
  if (!n) return unavailable("course", n.status());
  const auto& c = p.version.content;
  Data data{Data::type::object};
  data.set("id", std::to_string(id));
  data.set("title", c.title);
  data.set("summary", c.summary);
  data.set("description_html", p.description_html);
  data.set("provider", info.provider_name);
  data.set("duration", duration_text(app, req, c.duration_minutes));
  Data groups{Data::type::list};
  for (const auto& g : c.target_groups) groups.push_back(Data{"name", name_of(n->groups, g)});
  data.set("groups", groups);
  Data comps{Data::type::list};
  for (const auto& t : c.competencies) {
    Data o{Data::type::object};
    o.set("code", t.code);
    o.set("level", std::to_string(t.level));
    comps.push_back(o);
  }
  data.set("competencies", comps);
  if (c.unlock == Unlock::sequential) data.set("sequential", true);
  const auto& s = info.settings;
  if (s.pacing == "dated") {
    data.set("dated", true);
    data.set("starts", web::format_date(req.lang, s.starts));
    data.set("ends", web::format_date(req.lang, s.ends));
    if (!s.enrol_closes.empty()) data.set("enrol_closes", web::format_date(req.lang, s.enrol_closes));
  }
  std::set<std::string, std::less<>> done;
  bool enrolled = false;
  if (req.user_id) {
    auto e = service.store().enrolment(id, req.user_id);
    if (!e) return unavailable("course", e.status());
    if (*e) {
      enrolled = true;
      data.set("percent", std::to_string((*e)->percent));
      if (!(*e)->completed_at.empty()) data.set("completed", true);
      auto states = service.store().block_states((*e)->id);
      if (!states) return unavailable("course", states.status());
      for (const auto& st : *states)
        if (st.done) done.insert(st.key);
      const Lesson* next = nullptr;
      for (const auto& ref : p.order)
        if (ref.lesson->key == (*e)->last_lesson_key) next = ref.lesson;
      if (!next) next = next_lesson(c, done);
      if (next) data.set("continue_id", std::to_string(p.lesson_id(next->key)));
    }
  }
  if (enrolled) data.set("enrolled", true);
  else data.set("can_enrol", true);
  if (req.user_id) {
    auto who = accounts::load_principal(dir, req.user_id);
    if (who && accounts::may_somewhere(*who, accounts::Action::assign_course)) data.set("can_assign", true);
    // Managers and auditors follow results from the course itself (the gradebook shows each
    // person only where the caller may follow progress).
    if (who && accounts::may_somewhere(*who, accounts::Action::view_progress)) data.set("can_follow", true);
  }
  auto open = open_lessons(c, done);
  Data sections{Data::type::list};
  for (const auto& sec : c.sections) {
    Data sd{Data::type::object};
    sd.set("title", sec.title);
    Data lessons{Data::type::list};
    for (const auto& l : sec.lessons) {
      Data ld{Data::type::object};
      ld.set("id", std::to_string(p.lesson_id(l.key)));
      ld.set("title", l.title);
      std::size_t index = 0;
      for (const auto& ref : p.order)
        if (ref.lesson == &l) index = ref.index;
      if (enrolled && open[index]) ld.set("link", true);
      if (enrolled && lesson_done(l, done)) ld.set("done", true);
      if (enrolled && !open[index]) ld.set("locked", true);
      lessons.push_back(ld);
    }
    sd.set("lessons", lessons);
    sections.push_back(sd);
  }
  data.set("sections", sections);
  return app.page(req, "course", c.title, data);
}

// Enrols the caller: the API answers 201 for a new enrolment and 200 for an existing one.
Response enrol(Service& service, Request& req, bool api) {
  const std::int64_t id = parse_id(req.path_param("id"));
  auto r = service.enrol(id, req.user_id, now_text());
  if (!r && r.status().code() == ErrorCode::not_found) return Response::text(404, "");
  if (!r && r.status().code() == ErrorCode::permission_denied)
    return api ? App::api_error(403, "enrolment_closed", "Khóa học này hiện không nhận đăng ký (ngoài thời gian đăng ký).")
               : Response::text(403, "");
  if (!r) return unavailable("enrol", r.status());
  if (api) {
    auto course = service.published(id);
    std::string title = course ? (*course)->version.content.title : "";
    return Response::json(r->second ? 201 : 200, json::serialize(enrolment_json(r->first, title)));
  }
  return redirect("/courses/" + std::to_string(id));
}

Data home_list(const std::vector<HomeEntry>& entries, std::string_view lang) {
  Data list{Data::type::list};
  for (const auto& h : entries) {
    const auto& e = h.course.enrolment;
    Data d{Data::type::object};
    d.set("course_id", std::to_string(e.course_id));
    d.set("title", h.course.title);
    d.set("percent", std::to_string(e.percent));
    if (!e.deadline.empty()) d.set("deadline", web::format_date(lang, e.deadline));
    if (!e.completed_at.empty()) d.set("completed_at", web::format_date(lang, e.completed_at));
    if (h.next_lesson_id) {
      d.set("next_id", std::to_string(h.next_lesson_id));
      d.set("next_title", h.next_lesson_title);
    }
    list.push_back(d);
  }
  return list;
}

// Scrollable tables are landmarks named "Bảng" by the Markdown renderer; a page with several
// needs distinct names, so they are numbered in page order ("Bảng 1", "Bảng 2", ...).
std::string number_tables(const std::string& html, int& tables) {
  static constexpr std::string_view kLabel = "aria-label=\"Bảng\"";
  if (html.find(kLabel) == std::string::npos) return html;
  std::string out;
  std::size_t at = 0;
  for (std::size_t hit; (hit = html.find(kLabel, at)) != std::string::npos; at = hit + kLabel.size()) {
    out.append(html, at, hit - at);
    out += "aria-label=\"Bảng " + std::to_string(++tables) + "\"";
  }
  out.append(html, at, std::string::npos);
  return out;
}

// 403 for a dated run before its first day (`starts`, YYYY-MM-DD), with the day in the message.
Response not_started(std::string_view starts) {
  std::string day = starts.size() == 10 ? std::string(starts.substr(8, 2)) + "/" + std::string(starts.substr(5, 2)) + "/" +
                                              std::string(starts.substr(0, 4))
                                        : std::string(starts);
  return App::api_error(403, "not_started", "Khóa học bắt đầu ngày " + day + ": bài học và tiến độ mở từ ngày đó.");
}

Response lesson_page(App& app, Service& service, Request& req) {
  auto view = service.lesson(req.user_id, parse_id(req.path_param("id")), now_text().substr(0, 10));
  if (!view && view.status().code() == ErrorCode::not_found) return Response::text(404, "");
  if (!view && view.status().message() == "not started")
    return req.wants_json() ? App::api_error(403, "not_started", "Khóa học chưa đến ngày bắt đầu.") : Response::text(403, "");
  if (!view && view.status().code() == ErrorCode::permission_denied) {
    if (req.wants_json()) return App::api_error(403, "not_enrolled", "Bạn cần đăng ký khóa học này trước khi học.");
    auto where = service.store().lesson(parse_id(req.path_param("id")));
    if (where && *where) return redirect("/courses/" + std::to_string((*where)->first) + "?enrol=1");
    return Response::text(403, "");
  }
  if (!view) return unavailable("lesson", view.status());
  if (req.wants_json()) return Response::json(200, json::serialize(lesson_json(*view)));

  const Published& p = *view->course;
  const std::int64_t course_id = p.version.course_id;
  const Lesson& lesson = *view->lesson->lesson;
  Data data{Data::type::object};
  data.set("id", std::to_string(p.lesson_id(lesson.key)));
  data.set("title", lesson.title);
  data.set("section", view->lesson->section->title);
  data.set("course_id", std::to_string(course_id));
  data.set("course_title", p.version.content.title);
  data.set("percent", std::to_string(view->percent));
  data.set("position", std::to_string(view->lesson->index + 1));
  data.set("count", std::to_string(p.order.size()));
  if (view->previous) data.set("previous_id", std::to_string(p.lesson_id(view->previous->lesson->key)));
  if (view->next) data.set("next_id", std::to_string(p.lesson_id(view->next->lesson->key)));
  if (!view->open) {
    // Not a dead end: name the lesson to finish first, what is left in it, and link to it.
    data.set("locked", true);
    const auto& content = p.version.content;
    if (const Lesson* first = next_lesson(content, view->done)) {
      data.set("blocking_id", std::to_string(p.lesson_id(first->key)));
      data.set("blocking_title", first->title);
      Data missing{Data::type::list};
      for (const Block* b : missing_blocks(*first, view->done)) {
        Data m{Data::type::object};
        m.set("what", app.text(req, "lesson.missing." + std::string(kind_name(b->kind))));
        if (!b->title.empty()) m.set("which", b->title);
        missing.push_back(m);
      }
      data.set("missing", missing);
    }
    return app.page(req, "lesson", lesson.title, data);
  }
  Data blocks{Data::type::list};
  int question_number = 0;
  int tables = 0;
  for (const auto& b : lesson.blocks) {
    Data d{Data::type::object};
    d.set("key", b.key);
    d.set("kind", kind_name(b.kind));
    // Only keys this block has: mustache would otherwise find the lesson's own "title".
    if (b.kind == BlockKind::link || b.kind == BlockKind::document) d.set("link_text", b.title.empty() ? b.url : b.title);
    else if (!b.title.empty()) d.set("heading", b.title);
    auto st = view->states.find(b.key);
    const BlockState* state = st == view->states.end() ? nullptr : &st->second;
    if (state && state->done) d.set("done", true);
    auto html = p.html.find(b.key);
    std::string body = html == p.html.end() ? std::string() : number_tables(html->second, tables);
    switch (b.kind) {
      case BlockKind::text: d.set("is_text", true), d.set("html", body); break;
      case BlockKind::video: {
        d.set("is_video", true);
        d.set("src", media_url(course_id, b.media));
        if (!b.captions.empty()) d.set("captions", media_url(course_id, b.captions));
        d.set("duration", std::to_string(b.duration_seconds));
        if (!body.empty()) d.set("transcript_html", body);
        // Resume where the unbroken watching from the start ended.
        auto covered = parse_intervals(state ? state->watched : "");
        double resume = !covered.empty() && covered.front().from <= 0.5 ? covered.front().to : 0;
        d.set("resume", std::to_string(static_cast<int>(resume)));
        int pct = b.duration_seconds > 0 ? static_cast<int>(std::min(100.0, VideoWatch{covered, 0}.covered_seconds() * 100 / b.duration_seconds)) : 0;
        d.set("watched_percent", std::to_string(pct));
        break;
      }
      case BlockKind::image:
        d.set("is_image", true), d.set("src", media_url(course_id, b.media)), d.set("alt", b.alt), d.set("caption_html", body);
        break;
      case BlockKind::document: d.set("is_document", true), d.set("href", media_url(course_id, b.media)); break;
      case BlockKind::link: d.set("is_link", true), d.set("url", b.url); break;
      case BlockKind::question: {
        d.set("is_question", true);
        d.set("number", std::to_string(++question_number));
        d.set("prompt_html", body);
        Data options{Data::type::list};
        const bool answered = state && state->answer;
        if (b.question)
          for (std::size_t i = 0; i < b.question->options.size(); ++i) {
            Data o{Data::type::object};
            o.set("index", std::to_string(i));
            o.set("text", b.question->options[i]);
            if (answered && static_cast<int>(i) == *state->answer) o.set("chosen", true);
            if (answered && static_cast<int>(i) == b.question->answer) o.set("right", true);
            options.push_back(o);
          }
        d.set("options", options);
        // Sent without a choice (the form has no browser validation: its message would be in the
        // browser's language), the server says so in the page's.
        if (!answered && req.query_param("unanswered") == b.key) d.set("unanswered", true);
        if (answered) {
          d.set("answered", true);
          if (state->correct) d.set("correct", true);
          auto ex = p.extra_html.find(b.key);
          if (ex != p.extra_html.end()) d.set("explanation_html", ex->second);
        }
        break;
      }
    }
    blocks.push_back(d);
  }
  data.set("blocks", blocks);
  return app.page(req, "lesson", lesson.title, data);
}

json::object progress_json(const ProgressResult& r) {
  json::array events;
  for (const auto& e : r.events) {
    json::object o{{"block", e.block}, {"verdict", e.verdict}, {"done", e.done}};
    if (e.correct) {
      o["correct"] = *e.correct;
      o["correct_option"] = e.correct_option;
    }
    events.emplace_back(std::move(o));
  }
  json::array courses;
  for (const auto& [id, pc] : r.courses)
    courses.emplace_back(json::object{{"course_id", id}, {"percent_complete", pc.first}, {"completed", pc.second}});
  return json::object{{"events", std::move(events)}, {"courses", std::move(courses)}};
}

// The learner's routes (catalogue, enrolment, lessons, progress), each a named function; add_learner_routes registers them.
// {"items": [...]}: a person's enrolments, assigned first, then in progress, then completed.
json::object enrolments_json(const Home& home) {
  json::array items;
  for (const auto* list : {&home.assigned, &home.in_progress, &home.completed})
    for (const auto& h : *list) {
      auto o = enrolment_json(h.course.enrolment, h.course.title);
      o["next_lesson_id"] = h.next_lesson_id ? json::value(h.next_lesson_id) : json::value(nullptr);
      items.emplace_back(std::move(o));
    }
  return json::object{{"items", std::move(items)}};
}

class Learner {
 public:
  Learner(App& app, Service& service, accounts::Directory& dir, reference::Store& reference) : app(app), service(service), dir(dir), reference(reference) {}

  // Course media. A file that a published version names is public, and cacheable for good (a
  // stored name is the digest of its bytes); a file only a draft names is served to those who may
  // author for the course's provider, and is 404 to everyone else, as if it did not exist.
  Response course_media(Request& req) {
    const std::int64_t course_id = parse_id(req.path_param("id"));
    const std::string name(req.path_param("name"));
    if (course_id <= 0) return Response::text(404, "");
    auto published = service.store().media_published(course_id, name);
    if (!published) return unavailable("media", published.status());
    bool allowed = *published;
    if (!allowed && req.user_id) {
      auto course = service.store().course(course_id);
      if (!course) return unavailable("media", course.status());
      if (*course) {
        auto who = accounts::load_principal(dir, req.user_id);
        if (!who) return unavailable("media", who.status());
        auto may = accounts::may_author_for(dir, *who, (*course)->provider_id);
        if (!may) return unavailable("media", may.status());
        allowed = *may;
      }
    }
    if (!allowed) return Response::text(404, "");
    Response res = web::serve_disk_file(req, app.config().data_dir + "/media",
                                        "courses/" + std::to_string(course_id) + "/" + name);
    if (*published && res.status != 404) res.set_header("Cache-Control", "public, max-age=31536000, immutable");
    else if (res.status != 404) res.set_header("Cache-Control", "private, no-cache");
    return res;
  }

  Response show_catalogue(Request& req) {
    return catalogue_page(app, service, dir, reference, req);
  }

  Response catalogue_api(Request& req) {
    auto q = catalogue_query(req);
    q.prefer_group = learner_group(dir, req.user_id);
    auto page = service.store().catalogue(q);
    if (!page) return unavailable("catalogue", page.status());
    json::array items;
    for (const auto& i : page->items) items.emplace_back(catalogue_item_json(i));
    return Response::json(200, json::serialize(json::object{{"items", std::move(items)}, {"total", page->total},
                                                            {"page", q.page}, {"per_page", q.per_page}}));
  }

  Response show_course(Request& req) {
    return course_page(app, service, dir, reference, req);
  }

  Response course_api(Request& req) {
    return course_page(app, service, dir, reference, req);
  }

  Response enrol_form(Call& c) { return enrol(service, c.req, false); }

  Response enrol_api(Call& c) { return enrol(service, c.req, true); }

  Response learn_page(Call& c) {
    Request& req = c.req;
    auto home = service.home(req.user_id);
    if (!home) return unavailable("home", home.status());
    Data data{Data::type::object};
    data.set("in_progress", home_list(home->in_progress, req.lang));
    data.set("assigned", home_list(home->assigned, req.lang));
    data.set("completed", home_list(home->completed, req.lang));
    if (home->in_progress.empty() && home->assigned.empty() && home->completed.empty()) data.set("empty", true);
    // Everything learned: the next step is another course, not an empty page.
    if (home->in_progress.empty() && home->assigned.empty() && !home->completed.empty()) data.set("all_done", true);
    if (accounts::may_somewhere(c.who, accounts::Action::author_course)) data.set("can_author", true);
    if (req.query_param("welcome") == "1") data.set("welcome", true);  // just registered
    return app.page(req, "learn", app.text(req, "learn.title"), data);
  }

  Response enrollments_api(Call& c) {
    auto home = service.home(c.req.user_id);
    if (!home) return unavailable("home", home.status());
    return Response::json(200, json::serialize(enrolments_json(*home)));
  }

  // Someone's learning, for those who follow their progress (accounts::may view_progress at the
  // person's place): a person they may not even list is not found; one they list but may not
  // follow is forbidden.
  Response person_learning_page(Call& c) {
    auto seen = person_learning(c);
    if (auto* r = std::get_if<Refused>(&seen)) {
      return Response::text(r->kind == Refused::Kind::not_found ? 404 : r->kind == Refused::Kind::forbidden ? 403 : 503, "");
    }
    const auto& [person, home] = std::get<std::pair<accounts::Person, Home>>(seen);
    Data data{Data::type::object};
    data.set("person_id", std::to_string(person.id));
    data.set("name", person.full_name);
    data.set("assigned", home_list(home.assigned, c.req.lang));
    data.set("in_progress", home_list(home.in_progress, c.req.lang));
    data.set("completed", home_list(home.completed, c.req.lang));
    if (home.assigned.empty() && home.in_progress.empty() && home.completed.empty()) data.set("nothing", true);
    return app.page(c.req, "person_learning", app.text(c.req, "person_learning.title") + ": " + person.full_name, data);
  }

  Response person_learning_api(Call& c) {
    auto seen = person_learning(c);
    if (auto* r = std::get_if<Refused>(&seen)) return accounts::api_refusal(*r);
    return Response::json(200, json::serialize(enrolments_json(std::get<std::pair<accounts::Person, Home>>(seen).second)));
  }

  // The page and the API alike (lesson_page answers as the request wants).
  Response lesson(Call& c) { return lesson_page(app, service, c.req); }

  // Registered with Body::none: events_from_json reads the body and names what is wrong in it (422).
  Response progress_api(Call& c) {
    std::string problem;
    auto events = events_from_json(c.req.body, problem);
    if (!events) return App::api_error(422, "invalid_events", problem);
    auto result = service.record(c.req.user_id, *events, now_ms(), now_text());
    if (!result) return unavailable("progress", result.status());
    // A dated run before its first day: refused as its lessons are (verdicts say which events,
    // when others in the batch were for courses that have begun).
    const bool all_not_started = !result->events.empty() &&
        std::all_of(result->events.begin(), result->events.end(), [](const EventResult& e) { return e.verdict == "not_started"; });
    if (all_not_started) return not_started(result->not_started);
    return Response::json(202, json::serialize(progress_json(*result)));
  }

  // Without JavaScript: "I have read this lesson" marks its reading blocks and goes on.
  Response lesson_done_form(Call& c) {
    const Request& req = c.req;
    auto view = service.lesson(req.user_id, parse_id(req.path_param("id")), now_text().substr(0, 10));
    if (!view && view.status().code() == ErrorCode::not_found) return Response::text(404, "");
    if (!view && view.status().code() == ErrorCode::permission_denied) return Response::text(403, "");
    if (!view) return unavailable("lesson", view.status());
    std::vector<ProgressEvent> events;
    const std::int64_t lesson_id = parse_id(req.path_param("id"));
    for (const auto& b : view->lesson->lesson->blocks)
      if (b.kind != BlockKind::video && b.kind != BlockKind::question) events.push_back({lesson_id, b.key, "viewed"});
    auto result = service.record(req.user_id, events, now_ms(), now_text());
    if (!result) return unavailable("progress", result.status());
    const Published& p = *view->course;
    if (view->next) {
      // "Continue" now goes to the next lesson, whatever it starts with.
      auto moved = service.continue_at(req.user_id, p.version.course_id, view->next->lesson->key, now_text());
      if (!moved.ok()) return unavailable("progress", moved);
      return redirect("/lessons/" + std::to_string(p.lesson_id(view->next->lesson->key)));
    }
    return redirect("/courses/" + std::to_string(p.version.course_id));
  }

  // Without JavaScript: answering an embedded question.
  Response lesson_answer_form(Call& c) {
    const std::int64_t lesson_id = c.id();
    std::string block = c.field("block");
    std::string option = c.field("answer");
    if (option.empty()) return redirect("/lessons/" + std::to_string(lesson_id) + "?unanswered=" + web::percent_encode(block) + "#block-" + block);
    {
      ProgressEvent e{lesson_id, block, "answer"};
      e.answer = to_int(option, -1);
      auto result = service.record(c.req.user_id, {e}, now_ms(), now_text());
      if (!result) return unavailable("progress", result.status());
    }
    return redirect("/lessons/" + std::to_string(lesson_id) + "#block-" + block);
  }

 private:
  // The person the path names and their learning, after the checks person_learning_page names.
  accounts::Outcome<std::pair<accounts::Person, Home>> person_learning(Call& c) {
    auto subject = accounts::load_subject(dir, c.id());
    if (!subject) return accounts::unavailable_because("people", subject.status());
    if (!*subject || !accounts::may(c.who, accounts::Action::list_people, **subject)) return accounts::not_found();
    if (!accounts::may(c.who, accounts::Action::view_progress, **subject))
      return accounts::forbidden("Bạn không theo dõi việc học của người này.");
    auto person = dir.person(c.id());
    if (!person) return accounts::unavailable_because("people", person.status());
    if (!*person) return accounts::not_found();
    auto home = service.home(c.id());
    if (!home) return accounts::unavailable_because("home", home.status());
    // Someone else's learning is personal data: every view is in the audit log.
    if (c.id() != c.who.id)
      if (auto st = dir.audit(accounts::audit_entry(c.req, "view_learning", c.id(), c.req.wants_json() ? "api" : "page")); !st.ok())
        return accounts::unavailable_because("audit", st);
    return std::pair<accounts::Person, Home>{std::move(**person), std::move(*home)};
  }

  App& app;
  Service& service;
  accounts::Directory& dir;
  reference::Store& reference;
};

}  // namespace

void add_learner_routes(App& app, Service& service, accounts::Directory& dir, reference::Store& reference) {
  auto& r = app.router();
  auto h = std::make_shared<Learner>(app, service, dir, reference);
  r.add("GET", "/media/courses/{id}/{name}", std::bind_front(&Learner::course_media, h));
  r.add("GET", "/courses", std::bind_front(&Learner::show_catalogue, h));
  r.add("GET", "/api/v1/courses", std::bind_front(&Learner::catalogue_api, h));
  r.add("GET", "/courses/{id}", std::bind_front(&Learner::show_course, h));
  r.add("GET", "/api/v1/courses/{id}", std::bind_front(&Learner::course_api, h));
  auto on = [&dir, h](accounts::Body body, Response (Learner::*handler)(Call&)) {
    return accounts::signed_in(dir, body, std::bind_front(handler, h));
  };
  r.add("POST", "/courses/{id}/enrol", on(Body::form, &Learner::enrol_form));
  r.add("POST", "/api/v1/courses/{id}/enrollments", on(Body::none, &Learner::enrol_api));
  r.add("GET", "/learn", on(Body::none, &Learner::learn_page));
  r.add("GET", "/api/v1/me/enrollments", on(Body::none, &Learner::enrollments_api));
  r.add("GET", "/people/{id}/learning", on(Body::none, &Learner::person_learning_page));
  r.add("GET", "/api/v1/people/{id}/enrollments", on(Body::none, &Learner::person_learning_api));
  r.add("GET", "/lessons/{id}", on(Body::none, &Learner::lesson));
  r.add("GET", "/api/v1/lessons/{id}", on(Body::none, &Learner::lesson));
  // Heartbeats act on the caller's own enrolments only: no grants read.
  r.add("POST", "/api/v1/progress", accounts::signed_in_self(Body::none, std::bind_front(&Learner::progress_api, h)));
  r.add("POST", "/lessons/{id}/done", on(Body::form, &Learner::lesson_done_form));
  r.add("POST", "/lessons/{id}/answer", on(Body::form, &Learner::lesson_answer_form));
}

}  // namespace hocvu::learning
