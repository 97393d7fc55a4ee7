// Classes (cohorts): an instructor or community helper gathers learners for one published course
// and follows their progress. Who may add a learner: accounts::may(Action::teach) at the
// learner's place. A class is seen by its instructor while they hold a role that teaches, and by
// those who may follow progress across the whole country; each member's progress is shown only
// where the caller may teach or follow progress at that member's place. All of it is decided from
// the caller's grants as they are at each request, so a revoked role sees nothing.
#include "learning/routes.h"

#include "accounts/call.h"
#include "accounts/directory.h"
#include "accounts/identity.h"
#include "accounts/route_support.h"
#include "core/text.h"
#include "learning/json.h"
#include "learning/route_support.h"
#include "learning/service.h"
#include "web/app.h"
#include "web/format.h"
#include "web/form.h"
#include "web/request_target.h"

#include <boost/json/serialize.hpp>

namespace hocvu::learning {
namespace {

using accounts::Action;
using web::redirect;
using accounts::Body;
using accounts::Call;
using accounts::Done;
using accounts::Outcome;
using accounts::Principal;
using accounts::Refused;
using accounts::unavailable;
using accounts::unavailable_because;
using web::App;
using web::Data;
using web::Request;
using web::Response;
namespace json = boost::json;

json::object class_json(const ClassInfo& c) {
  return json::object{{"id", c.id}, {"course_id", c.course_id}, {"course_title", c.course_title}, {"name", c.name},
                      {"members", c.members}};
}

// Someone added to a class: who, and whether they were already in it.
struct Added {
  std::int64_t person_id = 0;
  std::string full_name;
  bool added = false;
};

class Classes {
 public:
  Classes(App& app, Service& service, accounts::Directory& dir) : app_(app), service_(service), dir_(dir) {}

  // ---- Operations: what the API and the pages both call ----

  // Opens a class of `who` on a published course.
  Outcome<ClassInfo> create(const Principal& who, std::int64_t course_id, std::string name) {
    if (!accounts::may_somewhere(who, Action::teach))
      return accounts::forbidden("Chỉ giảng viên, người hỗ trợ và cán bộ quản lý mở được lớp học.");
    name = to_nfc(trim(name));
    web::FieldErrors errors;
    if (name.empty() || name.size() > 200) errors.emplace_back("name", "Hãy đặt tên lớp (tối đa 200 ký tự).");
    auto current = service_.store().current_version(course_id);
    if (!current) return unavailable_because("classes", current.status());
    if (!*current) errors.emplace_back("course_id", "Hãy chọn một khóa học đã xuất bản.");
    if (!errors.empty()) return accounts::invalid("Một số trường chưa hợp lệ.", errors);
    auto id = service_.store().create_class(course_id, name, who.id, now_text());
    if (!id) return unavailable_because("classes", id.status());
    auto info = service_.store().class_info(*id);
    if (!info || !*info) return unavailable_because("classes", info.status());
    return std::move(**info);
  }

  // The class when `who` may follow it now; nullopt for anyone else (answered 404).
  Result<std::optional<ClassInfo>> own_class(const Principal& who, std::int64_t class_id) {
    auto info = service_.store().class_info(class_id);
    if (!info || !*info) return info;
    const bool runs_it = (*info)->instructor_id == who.id && accounts::may_somewhere(who, Action::teach);
    if (!runs_it && !accounts::may(who, Action::view_progress, accounts::kWholeCountry, 0)) return std::optional<ClassInfo>{};
    return info;
  }

  // The members whose progress `who` may see: where they may teach (their own class) or follow progress.
  Result<std::vector<ClassMember>> visible_members(const Principal& who, const ClassInfo& cls) {
    auto members = service_.store().class_members(cls.id);
    if (!members) return members;
    std::vector<ClassMember> out;
    for (auto& m : *members) {
      auto place = dir_.place_of_person(m.person_id);
      if (!place) return place.status();
      if (!*place) continue;
      if (accounts::may(who, Action::view_progress, **place, m.person_id) ||
          (cls.instructor_id == who.id && accounts::may(who, Action::teach, **place, m.person_id)))
        out.push_back(std::move(m));
    }
    return out;
  }

  // Adds a learner found by CCCD or phone (or id).
  Outcome<Added> add_member(const Principal& who, const ClassInfo& cls, const std::string& login, std::int64_t person_id) {
    // Following a class (an auditor) is not running it: only those who teach add learners.
    if (!accounts::may_somewhere(who, Action::teach))
      return accounts::forbidden("Chỉ giảng viên, người hỗ trợ và cán bộ quản lý thêm được người học vào lớp.");
    std::optional<accounts::Person> person;
    if (person_id) {
      auto p = dir_.person(person_id);
      if (!p) return unavailable_because("classes", p.status());
      person = *p;
    } else {
      auto phone = accounts::check_phone(login);
      Result<std::optional<accounts::Person>> p = phone.normalized ? dir_.person_by_phone(*phone.normalized)
                                                                   : dir_.person_by_national_id(trim(login));
      if (!p) return unavailable_because("classes", p.status());
      person = *p;
    }
    const char* not_found = "Không tìm thấy người học này trong phạm vi của bạn.";
    if (!person) return accounts::invalid(not_found, {{"login", not_found}});
    auto place = dir_.place_of_person(person->id);
    if (!place) return unavailable_because("classes", place.status());
    // Outside the teacher's scope the answer is the same as for nobody.
    if (!*place || !accounts::may(who, Action::teach, **place, 0)) return accounts::invalid(not_found, {{"login", not_found}});
    auto added = service_.store().add_to_class(cls, person->id, now_text());
    if (!added) return unavailable_because("classes", added.status());
    return Added{person->id, person->full_name, *added};
  }

  // ---- API ----

  Response list_api(Call& c) {
    json::array items;
    // The classes one runs, while one holds a role that teaches: a revoked helper sees none.
    if (accounts::may_somewhere(c.who, Action::teach)) {
      auto mine = service_.store().classes_of(c.who.id);
      if (!mine) return unavailable("classes", mine.status());
      for (const auto& k : *mine) items.emplace_back(class_json(k));
    }
    return Response::json(200, json::serialize(json::object{{"items", std::move(items)}}));
  }

  Response create_api(Call& c) {
    std::int64_t course = 0;
    if (auto* x = c.json.if_contains("course_id"); x && x->is_int64()) course = x->as_int64();
    auto made = create(c.who, course, c.text("name"));
    if (auto* r = std::get_if<Refused>(&made)) return accounts::api_refusal(*r);
    return Response::json(201, json::serialize(class_json(std::get<ClassInfo>(made))));
  }

  Response class_api(Call& c) {
    return with_class(c, [&](const ClassInfo& k) -> Response {
      auto members = visible_members(c.who, k);
      if (!members) return unavailable("classes", members.status());
      json::array list;
      for (const auto& m : *members)
        list.emplace_back(json::object{{"person_id", m.person_id}, {"full_name", m.full_name}, {"percent_complete", m.percent},
                                       {"completed_at", m.completed_at.empty() ? json::value(nullptr) : json::value(m.completed_at)},
                                       {"last_activity_at", m.last_activity_at.empty() ? json::value(nullptr) : json::value(m.last_activity_at)}});
      auto o = class_json(k);
      o["members_progress"] = std::move(list);
      return Response::json(200, json::serialize(o));
    });
  }

  Response add_member_api(Call& c) {
    return with_class(c, [&](const ClassInfo& k) -> Response {
      std::int64_t person = 0;
      if (auto* x = c.json.if_contains("person_id"); x && x->is_int64()) person = x->as_int64();
      auto added = add_member(c.who, k, c.text("login"), person);
      if (auto* r = std::get_if<Refused>(&added)) return accounts::api_refusal(*r);
      const auto& a = std::get<Added>(added);
      return Response::json(a.added ? 201 : 200, json::serialize(json::object{{"person_id", a.person_id}, {"full_name", a.full_name},
                                                                                {"added", a.added}}));
    });
  }

  // ---- Pages ----

  Response list_page(Call& c) { return classes_page(c, {}, 200); }

  Response create_form(Call& c) {
    auto made = create(c.who, web::parse_id(c.field("course_id")), c.field("name"));
    if (auto* r = std::get_if<Refused>(&made)) {
      if (r->kind == Refused::Kind::invalid) return classes_page(c, r->errors, 422);
      return Response::text(r->kind == Refused::Kind::forbidden ? 403 : 503, "");
    }
    return redirect("/classes/" + std::to_string(std::get<ClassInfo>(made).id));
  }

  Response class_page(Call& c) {
    return with_class(c, [&](const ClassInfo& k) { return page(c, k, {}, "", 200); });
  }

  Response add_member_form(Call& c) {
    return with_class(c, [&](const ClassInfo& k) -> Response {
      auto added = add_member(c.who, k, c.field("login"), 0);
      if (auto* r = std::get_if<Refused>(&added)) {
        if (r->kind == Refused::Kind::invalid) return page(c, k, r->errors, "", 422);
        return Response::text(r->kind == Refused::Kind::forbidden ? 403 : 503, "");
      }
      const auto& a = std::get<Added>(added);
      auto fresh = own_class(c.who, k.id);
      return page(c, fresh && *fresh ? **fresh : k, {}, app_.text(c.req, a.added ? "classes.added" : "classes.already") + " " + a.full_name, 200);
    });
  }

 private:
  // Runs `then` on the class of the path when the caller may follow it; 404 otherwise.
  template <typename Then>
  Response with_class(Call& c, Then&& then) {
    auto k = own_class(c.who, c.id());
    if (!k) return unavailable("classes", k.status());
    if (!*k) return Response::text(404, "");
    return then(**k);
  }

  Response classes_page(Call& c, const web::FieldErrors& errors, int status) {
    if (!accounts::may_somewhere(c.who, Action::teach)) return Response::text(403, "");
    auto mine = service_.store().classes_of(c.who.id);
    if (!mine) return unavailable("classes", mine.status());
    CatalogueQuery q;
    q.per_page = 100;
    auto courses = service_.store().catalogue(q);
    if (!courses) return unavailable("classes", courses.status());
    Data d = web::form_errors(errors);
    Data list{Data::type::list};
    for (const auto& k : *mine) {
      Data o{Data::type::object};
      o.set("id", std::to_string(k.id));
      o.set("name", k.name);
      o.set("course_title", k.course_title);
      o.set("members", std::to_string(k.members));
      list.push_back(o);
    }
    d.set("classes", list);
    Data options{Data::type::list};
    for (const auto& k : courses->items) {
      Data o{Data::type::object};
      o.set("id", std::to_string(k.id));
      o.set("title", k.title);
      options.push_back(o);
    }
    d.set("courses", options);
    return app_.page(c.req, "classes", app_.text(c.req, "classes.title"), d, status);
  }

  Response page(Call& c, const ClassInfo& cls, const web::FieldErrors& errors, std::string done, int status) {
    auto members = visible_members(c.who, cls);
    if (!members) return unavailable("classes", members.status());
    Data d = web::form_errors(errors);
    d.set("id", std::to_string(cls.id));
    d.set("name", cls.name);
    d.set("course_id", std::to_string(cls.course_id));
    d.set("course_title", cls.course_title);
    Data list{Data::type::list};
    int completed = 0;
    for (const auto& m : *members) {
      Data o{Data::type::object};
      o.set("full_name", m.full_name);
      o.set("percent", std::to_string(m.percent));
      if (!m.completed_at.empty()) o.set("completed_at", web::format_date(c.req.lang, m.completed_at)), ++completed;
      if (!m.last_activity_at.empty()) o.set("last_activity", web::format_date(c.req.lang, m.last_activity_at));
      list.push_back(o);
    }
    d.set("members", list);
    d.set("count", std::to_string(members->size()));
    d.set("completed", std::to_string(completed));
    if (!done.empty()) d.set("done", done);
    return app_.page(c.req, "class", cls.name, d, status);
  }

  App& app_;
  Service& service_;
  accounts::Directory& dir_;
};

}  // namespace

void add_class_routes(App& app, Service& service, accounts::Directory& dir) {
  auto& r = app.router();
  auto k = std::make_shared<Classes>(app, service, dir);
  auto on = [&dir, k](Body body, Response (Classes::*handler)(Call&)) { return accounts::signed_in(dir, body, std::bind_front(handler, k)); };
  r.add("GET", "/classes", on(Body::none, &Classes::list_page));
  r.add("POST", "/classes", on(Body::form, &Classes::create_form));
  r.add("GET", "/classes/{id}", on(Body::none, &Classes::class_page));
  r.add("POST", "/classes/{id}/members", on(Body::form, &Classes::add_member_form));
  r.add("GET", "/api/v1/classes", on(Body::none, &Classes::list_api));
  r.add("POST", "/api/v1/classes", on(Body::json, &Classes::create_api));
  r.add("GET", "/api/v1/classes/{id}", on(Body::none, &Classes::class_api));
  r.add("POST", "/api/v1/classes/{id}/members", on(Body::json, &Classes::add_member_api));
}

}  // namespace hocvu::learning
