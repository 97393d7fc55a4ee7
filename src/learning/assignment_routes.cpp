// Managers assign a published course to the people of a place they manage (an organisation
// subtree, an administrative unit), optionally one target group, with an optional deadline: the
// "mandatory course" an agency gives its staff. Authorization: accounts::may(Action::assign_course)
// at the place assigned to.
#include "learning/routes.h"

#include "accounts/directory.h"
#include "accounts/route_support.h"
#include "learning/route_support.h"
#include "learning/service.h"
#include "reference/store.h"
#include "web/app.h"
#include "web/request_target.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace hocvu::learning {
namespace {

using accounts::Action;
using accounts::Principal;
using accounts::Scope;
using accounts::ScopeKind;
using accounts::parse_id;
using accounts::unavailable;
using web::App;
using web::Data;
using web::Request;
using web::Response;
namespace json = boost::json;

struct AssignInput {
  std::string scope_kind;  // organisation, unit, national
  std::string scope_code;
  std::string group;
  std::string deadline;
};


// Assigns after every check; the API's answer (201 with how many people it covers).
Response assign(Service& service, accounts::Directory& dir, reference::Store& reference, const Principal& who,
                std::int64_t course_id, const AssignInput& in) {
  auto current = service.store().current_version(course_id);
  if (!current) return unavailable("assign", current.status());
  if (!*current) return Response::text(404, "");
  web::FieldErrors errors;
  auto kind = accounts::parse_scope_kind(in.scope_kind);
  if (!kind) errors.emplace_back("scope_kind", "Hãy chọn giao cho một tổ chức hoặc một đơn vị hành chính.");
  if (!in.deadline.empty() && !valid_date(in.deadline))
    errors.emplace_back("deadline", "Hạn hoàn thành viết theo dạng năm-tháng-ngày, ví dụ 2026-12-31.");
  if (!in.deadline.empty() && valid_date(in.deadline) && in.deadline < now_text().substr(0, 10))
    errors.emplace_back("deadline", "Hạn hoàn thành không được ở trong quá khứ.");
  if (!in.group.empty()) {
    auto groups = reference.target_groups();
    if (!groups) return unavailable("assign", groups.status());
    if (std::none_of(groups->begin(), groups->end(), [&](const auto& g) { return g.code == in.group; }))
      errors.emplace_back("group", "Nhóm đối tượng không tồn tại.");
  }
  std::optional<accounts::Place> place;
  if (kind) {
    Scope scope{*kind, *kind == ScopeKind::national ? "" : in.scope_code};
    auto p = dir.place_of_scope(scope);
    if (!p) return unavailable("assign", p.status());
    if (!*p) errors.emplace_back("scope_code", "Không tìm thấy tổ chức hoặc đơn vị có mã này.");
    else place = **p;
  }
  if (!errors.empty()) return App::api_error(422, "invalid_field", "Một số trường chưa hợp lệ.", errors);
  if (!accounts::may(who, Action::assign_course, *place, 0))
    return App::api_error(403, "forbidden", "Nơi này nằm ngoài phạm vi quản lý của bạn.");
  Assignment a{course_id, Scope{*kind, *kind == ScopeKind::national ? "" : in.scope_code}, in.group, in.deadline, who.id};
  auto count = service.store().assign(a, now_text());
  if (!count) return unavailable("assign", count.status());
  return Response::json(201, json::serialize(json::object{{"course_id", course_id}, {"people", *count},
                                                           {"deadline", in.deadline.empty() ? json::value(nullptr) : json::value(in.deadline)}}));
}

}  // namespace

void add_assignment_routes(App& app, Service& service, accounts::Directory& dir, reference::Store& reference) {
  auto& r = app.router();

  auto page = [&app, &service, &dir, &reference](Request& req, const web::FieldErrors& errors, const AssignInput& in,
                                                 std::string done, int status) -> Response {
    auto who = accounts::signed_in_principal(req, dir);
    if (auto* res = std::get_if<Response>(&who)) return std::move(*res);
    const Principal& p = std::get<Principal>(who);
    const std::int64_t id = parse_id(req.path_param("id"));
    auto course = service.published(id);
    if (!course && course.status().code() == ErrorCode::not_found) return Response::text(404, "");
    if (!course) return unavailable("assign", course.status());
    // The places this manager may assign to: their own scopes.
    Data scopes{Data::type::list};
    for (const auto& scope : accounts::scopes_where(p, Action::assign_course)) {
      Data o{Data::type::object};
      o.set("kind", std::string(accounts::scope_kind_name(scope.kind)));
      o.set("code", scope.code);
      std::string label = app.text(req, "assign.scope." + std::string(accounts::scope_kind_name(scope.kind)));
      if (scope.kind == ScopeKind::organisation) {
        auto org = dir.organisation(parse_id(scope.code));
        if (org && *org) label += ": " + (*org)->name;
      } else if (scope.kind == ScopeKind::unit) {
        label += " " + scope.code;
      }
      o.set("label", label);
      const std::string value = std::string(accounts::scope_kind_name(scope.kind)) + ":" + scope.code;
      o.set("value", value);
      if (value == in.scope_kind + ":" + in.scope_code) o.set("selected", true);  // kept after an error
      scopes.push_back(o);
    }
    if (scopes.is_empty_list()) return Response::text(403, "");
    auto groups = reference.target_groups();
    if (!groups) return unavailable("assign", groups.status());
    Data d = web::form_errors(errors);
    d.set("id", std::to_string(id));
    d.set("title", (*course)->version.content.title);
    d.set("scopes", scopes);
    Data gl{Data::type::list};
    for (const auto& g : *groups) {
      Data o{Data::type::object};
      o.set("code", g.code);
      o.set("name", g.name.pick(req.lang));
      if (g.code == in.group) o.set("selected", true);
      gl.push_back(o);
    }
    d.set("groups", gl);
    d.set("deadline", in.deadline);
    if (!done.empty()) d.set("done", done);
    return app.page(req, "assign", app.text(req, "assign.title"), d, status);
  };

  r.add("GET", "/courses/{id}/assign", [page](Request& req) { return page(req, {}, {}, "", 200); });

  r.add("POST", "/courses/{id}/assign", [&app, &service, &dir, &reference, page](Request& req) {
    auto who = accounts::signed_in_principal(req, dir);
    if (auto* res = std::get_if<Response>(&who)) return std::move(*res);
    auto form = web::parse_form(req.body);
    if (!form) return Response::text(400, "");
    if (!App::csrf_ok(req, *form)) return Response::text(403, "");
    std::string scope = field(*form, "scope");
    auto colon = scope.find(':');
    AssignInput in{scope.substr(0, colon), colon == std::string::npos ? "" : scope.substr(colon + 1), field(*form, "group"),
                   trim(field(*form, "deadline"))};
    Response res = assign(service, dir, reference, std::get<Principal>(who), parse_id(req.path_param("id")), in);
    if (res.status == 201) {
      auto v = json::parse(res.body);
      return page(req, {}, in, app.text(req, "assign.done") + " " + std::to_string(v.as_object().at("people").as_int64()), 200);
    }
    if (res.status == 422 || res.status == 403) {
      web::FieldErrors errors;
      auto v = json::parse(res.body);
      const auto& err = v.as_object().at("error").as_object();
      if (auto* f = err.if_contains("fields"); f && f->is_object())
        for (const auto& [k, m] : f->as_object()) errors.emplace_back(std::string(k), std::string(m.as_string()));
      if (errors.empty()) errors.emplace_back("scope", std::string(err.at("message").as_string()));
      return page(req, errors, in, "", res.status);
    }
    return Response::text(res.status, "");
  });

  r.add("POST", "/api/v1/courses/{id}/assignments", [&service, &dir, &reference](Request& req) {
    auto who = accounts::signed_in_principal(req, dir);
    if (auto* res = std::get_if<Response>(&who)) return std::move(*res);
    if (auto res = require_json(req)) return std::move(*res);
    boost::system::error_code ec;
    auto v = json::parse(req.body, ec);
    if (ec || !v.is_object()) return App::api_error(400, "bad_request", "Nội dung gửi lên không phải một đối tượng JSON hợp lệ.");
    const auto& o = v.as_object();
    auto str = [&](std::string_view k) {
      auto* x = o.if_contains(k);
      if (x && x->is_int64()) return std::to_string(x->as_int64());
      return x && x->is_string() ? std::string(x->as_string()) : std::string();
    };
    return assign(service, dir, reference, std::get<Principal>(who), parse_id(req.path_param("id")),
                  AssignInput{str("scope_kind"), str("scope_code"), str("group"), str("deadline")});
  });
}

}  // namespace hocvu::learning
