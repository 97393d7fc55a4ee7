// Classes (cohorts): an instructor or community helper gathers learners for one published course
// and follows their progress. Who may add a learner: accounts::may(Action::teach) at the
// learner's place. A class is seen by its instructor while they hold a role that teaches, and by
// those who may follow progress across the whole country; each member's progress is shown only
// where the caller may teach or follow progress at that member's place. All of it is decided from
// the caller's grants as they are at each request, so a revoked role sees nothing.
#include "learning/routes.h"

#include "accounts/directory.h"
#include "accounts/identity.h"
#include "accounts/route_support.h"
#include "core/text.h"
#include "learning/json.h"
#include "learning/route_support.h"
#include "learning/service.h"
#include "web/app.h"
#include "web/request_target.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace hocvu::learning {
namespace {

using accounts::Action;
using accounts::Principal;
using accounts::parse_id;
using accounts::unavailable;
using web::App;
using web::Data;
using web::Request;
using web::Response;
namespace json = boost::json;

json::object class_json(const ClassInfo& c) {
  return json::object{{"id", c.id}, {"course_id", c.course_id}, {"course_title", c.course_title}, {"name", c.name},
                      {"members", c.members}};
}

class Classes {
 public:
  Classes(App& app, Service& service, accounts::Directory& dir) : app_(app), service_(service), dir_(dir) {}

  // Creates a class: the API's answer (201 with the class).
  Response create(const Principal& who, std::int64_t course_id, std::string name) {
    if (!accounts::may_somewhere(who, Action::teach)) return App::api_error(403, "forbidden", "Chỉ giảng viên, người hỗ trợ và cán bộ quản lý mở được lớp học.");
    name = to_nfc(trim(name));
    web::FieldErrors errors;
    if (name.empty() || name.size() > 200) errors.emplace_back("name", "Hãy đặt tên lớp (tối đa 200 ký tự).");
    auto current = service_.store().current_version(course_id);
    if (!current) return unavailable("classes", current.status());
    if (!*current) errors.emplace_back("course_id", "Hãy chọn một khóa học đã xuất bản.");
    if (!errors.empty()) return App::api_error(422, "invalid_field", "Một số trường chưa hợp lệ.", errors);
    auto id = service_.store().create_class(course_id, name, who.id, now_text());
    if (!id) return unavailable("classes", id.status());
    auto info = service_.store().class_info(*id);
    if (!info || !*info) return unavailable("classes", info.status());
    return Response::json(201, json::serialize(class_json(**info)));
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

  // Adds a learner found by CCCD or phone (or id): the API's answer.
  Response add_member(const Principal& who, const ClassInfo& cls, const std::string& login, std::int64_t person_id) {
    // Following a class (an auditor) is not running it: only those who teach add learners.
    if (!accounts::may_somewhere(who, Action::teach))
      return App::api_error(403, "forbidden", "Chỉ giảng viên, người hỗ trợ và cán bộ quản lý thêm được người học vào lớp.");
    std::optional<accounts::Person> person;
    if (person_id) {
      auto p = dir_.person(person_id);
      if (!p) return unavailable("classes", p.status());
      person = *p;
    } else {
      auto phone = accounts::check_phone(login);
      Result<std::optional<accounts::Person>> p = phone.normalized ? dir_.person_by_phone(*phone.normalized)
                                                                   : dir_.person_by_national_id(trim(login));
      if (!p) return unavailable("classes", p.status());
      person = *p;
    }
    const char* not_found = "Không tìm thấy người học này trong phạm vi của bạn.";
    if (!person) return App::api_error(422, "invalid_field", not_found, {{"login", not_found}});
    auto place = dir_.place_of_person(person->id);
    if (!place) return unavailable("classes", place.status());
    // Outside the teacher's scope the answer is the same as for nobody.
    if (!*place || !accounts::may(who, Action::teach, **place, 0))
      return App::api_error(422, "invalid_field", not_found, {{"login", not_found}});
    auto added = service_.store().add_to_class(cls, person->id, now_text());
    if (!added) return unavailable("classes", added.status());
    return Response::json(*added ? 201 : 200, json::serialize(json::object{{"person_id", person->id}, {"full_name", person->full_name},
                                                                             {"added", *added}}));
  }

  Response page(Request& req, const Principal& who, const ClassInfo& cls, const web::FieldErrors& errors, std::string done,
                int status) {
    auto members = visible_members(who, cls);
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
      if (!m.completed_at.empty()) o.set("completed_at", display_date(m.completed_at, req.lang)), ++completed;
      if (!m.last_activity_at.empty()) o.set("last_activity", display_date(m.last_activity_at, req.lang));
      list.push_back(o);
    }
    d.set("members", list);
    d.set("count", std::to_string(members->size()));
    d.set("completed", std::to_string(completed));
    if (!done.empty()) d.set("done", done);
    return app_.page(req, "class", cls.name, d, status);
  }

  App& app() { return app_; }
  Service& service() { return service_; }
  accounts::Directory& dir() { return dir_; }

 private:
  App& app_;
  Service& service_;
  accounts::Directory& dir_;
};

web::FieldErrors fields_of(const Response& res) {
  web::FieldErrors errors;
  auto v = json::parse(res.body);
  const auto& err = v.as_object().at("error").as_object();
  if (auto* f = err.if_contains("fields"); f && f->is_object())
    for (const auto& [k, m] : f->as_object()) errors.emplace_back(std::string(k), std::string(m.as_string()));
  if (errors.empty()) errors.emplace_back("name", std::string(err.at("message").as_string()));
  return errors;
}

}  // namespace

void add_class_routes(App& app, Service& service, accounts::Directory& dir) {
  auto& r = app.router();
  auto k = std::make_shared<Classes>(app, service, dir);

  auto list_page = [k](Request& req, const web::FieldErrors& errors, int status) -> Response {
    auto who = accounts::signed_in_principal(req, k->dir());
    if (auto* res = std::get_if<Response>(&who)) return std::move(*res);
    const Principal& p = std::get<Principal>(who);
    if (!accounts::may_somewhere(p, Action::teach)) return Response::text(403, "");
    auto mine = k->service().store().classes_of(p.id);
    if (!mine) return unavailable("classes", mine.status());
    CatalogueQuery q;
    q.per_page = 100;
    auto courses = k->service().store().catalogue(q);
    if (!courses) return unavailable("classes", courses.status());
    Data d = web::form_errors(errors);
    Data list{Data::type::list};
    for (const auto& c : *mine) {
      Data o{Data::type::object};
      o.set("id", std::to_string(c.id));
      o.set("name", c.name);
      o.set("course_title", c.course_title);
      o.set("members", std::to_string(c.members));
      list.push_back(o);
    }
    d.set("classes", list);
    Data options{Data::type::list};
    for (const auto& c : courses->items) {
      Data o{Data::type::object};
      o.set("id", std::to_string(c.id));
      o.set("title", c.title);
      options.push_back(o);
    }
    d.set("courses", options);
    return k->app().page(req, "classes", k->app().text(req, "classes.title"), d, status);
  };

  r.add("GET", "/classes", [list_page](Request& req) { return list_page(req, {}, 200); });

  r.add("POST", "/classes", [k, list_page](Request& req) {
    auto who = accounts::signed_in_principal(req, k->dir());
    if (auto* res = std::get_if<Response>(&who)) return std::move(*res);
    auto form = web::parse_form(req.body);
    if (!form) return Response::text(400, "");
    if (!App::csrf_ok(req, *form)) return Response::text(403, "");
    Response res = k->create(std::get<Principal>(who), parse_id(field(*form, "course_id")), field(*form, "name"));
    if (res.status == 201) return redirect("/classes/" + std::to_string(json::parse(res.body).as_object().at("id").as_int64()));
    if (res.status == 422) return list_page(req, fields_of(res), 422);
    return Response::text(res.status, "");
  });

  auto with_class = [k](Request& req, auto&& then) -> Response {
    auto who = accounts::signed_in_principal(req, k->dir());
    if (auto* res = std::get_if<Response>(&who)) return std::move(*res);
    const Principal& p = std::get<Principal>(who);
    auto cls = k->own_class(p, parse_id(req.path_param("id")));
    if (!cls) return unavailable("classes", cls.status());
    if (!*cls) return Response::text(404, "");
    return then(p, **cls);
  };

  r.add("GET", "/classes/{id}", [k, with_class](Request& req) {
    return with_class(req, [&](const Principal& p, const ClassInfo& c) { return k->page(req, p, c, {}, "", 200); });
  });

  r.add("POST", "/classes/{id}/members", [k, with_class](Request& req) {
    return with_class(req, [&](const Principal& p, const ClassInfo& c) -> Response {
      auto form = web::parse_form(req.body);
      if (!form) return Response::text(400, "");
      if (!App::csrf_ok(req, *form)) return Response::text(403, "");
      Response res = k->add_member(p, c, field(*form, "login"), 0);
      if (res.status == 201 || res.status == 200) {
        auto v = json::parse(res.body);
        std::string name(v.as_object().at("full_name").as_string());
        auto fresh = k->own_class(p, c.id);
        return k->page(req, p, fresh && *fresh ? **fresh : c, {}, k->app().text(req, res.status == 201 ? "classes.added" : "classes.already") + " " + name, 200);
      }
      if (res.status == 422) return k->page(req, p, c, fields_of(res), "", 422);
      return Response::text(res.status, "");
    });
  });

  r.add("GET", "/api/v1/classes", [k](Request& req) {
    auto who = accounts::signed_in_principal(req, k->dir());
    if (auto* res = std::get_if<Response>(&who)) return std::move(*res);
    auto mine = k->service().store().classes_of(std::get<Principal>(who).id);
    if (!mine) return unavailable("classes", mine.status());
    json::array items;
    for (const auto& c : *mine) items.emplace_back(class_json(c));
    return Response::json(200, json::serialize(json::object{{"items", std::move(items)}}));
  });

  r.add("POST", "/api/v1/classes", [k](Request& req) {
    auto who = accounts::signed_in_principal(req, k->dir());
    if (auto* res = std::get_if<Response>(&who)) return std::move(*res);
    if (auto res = require_json(req)) return std::move(*res);
    boost::system::error_code ec;
    auto v = json::parse(req.body, ec);
    if (ec || !v.is_object()) return App::api_error(400, "bad_request", "Nội dung gửi lên không phải một đối tượng JSON hợp lệ.");
    const auto& o = v.as_object();
    std::int64_t course = 0;
    if (auto* x = o.if_contains("course_id"); x && x->is_int64()) course = x->as_int64();
    std::string name;
    if (auto* x = o.if_contains("name"); x && x->is_string()) name = std::string(x->as_string());
    return k->create(std::get<Principal>(who), course, name);
  });

  r.add("GET", "/api/v1/classes/{id}", [k, with_class](Request& req) {
    return with_class(req, [&](const Principal& p, const ClassInfo& c) -> Response {
      auto members = k->visible_members(p, c);
      if (!members) return unavailable("classes", members.status());
      json::array list;
      for (const auto& m : *members)
        list.emplace_back(json::object{{"person_id", m.person_id}, {"full_name", m.full_name}, {"percent_complete", m.percent},
                                       {"completed_at", m.completed_at.empty() ? json::value(nullptr) : json::value(m.completed_at)},
                                       {"last_activity_at", m.last_activity_at.empty() ? json::value(nullptr) : json::value(m.last_activity_at)}});
      auto o = class_json(c);
      o["members_progress"] = std::move(list);
      return Response::json(200, json::serialize(o));
    });
  });

  r.add("POST", "/api/v1/classes/{id}/members", [k, with_class](Request& req) {
    return with_class(req, [&](const Principal& p, const ClassInfo& c) -> Response {
      if (auto res = require_json(req)) return std::move(*res);
      boost::system::error_code ec;
      auto v = json::parse(req.body, ec);
      if (ec || !v.is_object()) return App::api_error(400, "bad_request", "Nội dung gửi lên không phải một đối tượng JSON hợp lệ.");
      const auto& o = v.as_object();
      std::int64_t person = 0;
      std::string login;
      if (auto* x = o.if_contains("person_id"); x && x->is_int64()) person = x->as_int64();
      if (auto* x = o.if_contains("login"); x && x->is_string()) login = std::string(x->as_string());
      return k->add_member(p, c, login, person);
    });
  });
}

}  // namespace hocvu::learning
