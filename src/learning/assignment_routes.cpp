// Managers assign a published course to the people of a place they manage (an organisation
// subtree, an administrative unit), optionally one target group, with an optional deadline: the
// "mandatory course" an agency gives its staff. Authorization: accounts::may(Action::assign_course)
// at the place assigned to.
#include "learning/routes.h"

#include "accounts/call.h"
#include "accounts/directory.h"
#include "accounts/route_support.h"
#include "learning/route_support.h"
#include "learning/service.h"
#include "reference/store.h"
#include "core/text.h"
#include "web/app.h"
#include "web/format.h"
#include "web/request_target.h"

#include <boost/json/serialize.hpp>

#include <algorithm>
#include <variant>

namespace hocvu::learning {
namespace {

using accounts::Action;
using accounts::Body;
using accounts::Call;
using accounts::Outcome;
using accounts::Refused;
using accounts::unavailable_because;
using accounts::Principal;
using accounts::Scope;
using accounts::ScopeKind;
using web::parse_id;
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


enum class Mode { preview, assign };

// Assigns after every check (Mode::preview: checks and counts, writes nothing); how many people
// the assignment covers.
Outcome<std::int64_t> assign(Service& service, accounts::Directory& dir, reference::Store& reference, const Principal& who,
                             std::int64_t course_id, const AssignInput& in, Mode mode) {
  auto current = service.store().current_version(course_id);
  if (!current) return unavailable_because("assign", current.status());
  if (!*current) return accounts::not_found();
  web::FieldErrors errors;
  auto kind = accounts::parse_scope_kind(in.scope_kind);
  if (!kind) errors.emplace_back("scope_kind", "Hãy chọn giao cho một tổ chức hoặc một đơn vị hành chính.");
  if (!in.deadline.empty() && !valid_date(in.deadline))
    errors.emplace_back("deadline", "Hạn hoàn thành viết theo dạng năm-tháng-ngày, ví dụ 2026-12-31.");
  if (!in.deadline.empty() && valid_date(in.deadline) && in.deadline < now_text().substr(0, 10))
    errors.emplace_back("deadline", "Hạn hoàn thành không được ở trong quá khứ.");
  if (!in.group.empty()) {
    auto groups = reference.target_groups();
    if (!groups) return unavailable_because("assign", groups.status());
    if (std::none_of(groups->begin(), groups->end(), [&](const auto& g) { return g.code == in.group; }))
      errors.emplace_back("group", "Nhóm đối tượng không tồn tại.");
  }
  accounts::Reach reach;
  if (kind) {
    Scope scope{*kind, *kind == ScopeKind::national ? "" : in.scope_code};
    auto r = dir.reach_of_scope(scope);
    if (!r) return unavailable_because("assign", r.status());
    if (r->empty()) errors.emplace_back("scope_code", "Không tìm thấy tổ chức hoặc đơn vị có mã này.");
    reach = std::move(*r);
  }
  if (!errors.empty()) return accounts::invalid("Một số trường chưa hợp lệ.", errors);
  // Everyone the assignment enrols: an organisation's members may stand beyond its own unit.
  if (!accounts::may_everywhere(who, Action::assign_course, reach))
    return accounts::forbidden("Nơi này (hoặc một phần thành viên của nó) nằm ngoài phạm vi quản lý của bạn.");
  Assignment a{course_id, Scope{*kind, *kind == ScopeKind::national ? "" : in.scope_code}, in.group, in.deadline, who.id};
  auto count = mode == Mode::preview ? service.store().count_covered(a) : service.store().assign(a, now_text());
  if (!count) return unavailable_because("assign", count.status());
  return *count;
}

// The assignment routes' handlers, named and behind the one prologue (accounts/call.h).
class Assignments {
 public:
  Assignments(App& app, Service& service, accounts::Directory& dir, reference::Store& reference)
      : app(app), service(service), dir(dir), reference(reference) {}

  Response assign_page(Call& c) {
    // After an assignment (assign_form's redirect): how many people it enrolled.
    const std::string done(c.req.query_param("done"));
    if (!done.empty() && done.size() < 19 && std::all_of(done.begin(), done.end(), [](char ch) { return ch >= '0' && ch <= '9'; }))
      return page(c, {}, {}, Done{std::stoll(done)}, 200);
    return page(c, {}, {}, {}, 200);
  }

  // The form first shows how many people the choice enrols and asks again (a bulk action is never
  // one tap); the second post carries the count the person saw, and acts only if it still holds.
  Response assign_form(Call& c) {
    std::string scope = c.field("scope");
    auto colon = scope.find(':');
    AssignInput in{scope.substr(0, colon), colon == std::string::npos ? "" : scope.substr(colon + 1), c.field("group"),
                   trim(c.field("deadline"))};
    if (scope.empty()) return page(c, {{"scope_code", app.text(c.req, "assign.choose_error")}}, in, {}, 422);
    auto counted = assign(service, dir, reference, c.who, c.id(), in, Mode::preview);
    if (auto* r = std::get_if<Refused>(&counted)) return refused(c, *r, in);
    const std::int64_t people = std::get<std::int64_t>(counted);
    const std::string confirmed = c.field("confirm");
    if (confirmed != std::to_string(people) || people == 0)
      return page(c, {}, in, Confirmation{people, !confirmed.empty()}, 200);
    auto done = assign(service, dir, reference, c.who, c.id(), in, Mode::assign);
    if (auto* r = std::get_if<Refused>(&done)) return refused(c, *r, in);
    // Post, then redirect: reloading the answer must not assign again.
    return web::redirect("/courses/" + std::to_string(c.id()) + "/assign?done=" + std::to_string(std::get<std::int64_t>(done)));
  }

  Response assign_api(Call& c) {
    auto str = [&](std::string_view k) {
      auto* x = c.json.if_contains(k);
      if (x && x->is_int64()) return std::to_string(x->as_int64());
      return x && x->is_string() ? std::string(x->as_string()) : std::string();
    };
    AssignInput in{str("scope_kind"), str("scope_code"), str("group"), str("deadline")};
    // "dry_run": true answers how many people it would enrol, and enrols nobody.
    const auto* dry = c.json.if_contains("dry_run");
    if (dry && !dry->is_bool())  // a mistyped flag must never enrol a whole scope for real
      return App::api_error(422, "invalid_field", "dry_run phải là true hoặc false.", {{"dry_run", "Hãy gửi true hoặc false."}});
    const bool dry_run = dry && dry->as_bool();
    auto done = assign(service, dir, reference, c.who, c.id(), in, dry_run ? Mode::preview : Mode::assign);
    if (auto* r = std::get_if<Refused>(&done)) return accounts::api_refusal(*r);
    return Response::json(dry_run ? 200 : 201,
                          json::serialize(json::object{{"course_id", c.id()}, {"people", std::get<std::int64_t>(done)},
                                                       {"deadline", in.deadline.empty() ? json::value(nullptr) : json::value(in.deadline)},
                                                       {"dry_run", dry_run}}));
  }

 private:
  // What the page says above the form: how many people a choice enrols (asking to confirm), or
  // how many it did enrol.
  struct Confirmation {
    std::int64_t people = 0;
    bool changed = false;  // the count differs from the one the person confirmed
  };
  struct Done {
    std::int64_t people = 0;
  };
  using Shown = std::variant<std::monostate, Confirmation, Done>;

  Response refused(Call& c, const Refused& r, const AssignInput& in) {
    if (r.kind == Refused::Kind::invalid) return page(c, r.errors, in, {}, 422);
    if (r.kind == Refused::Kind::forbidden) return page(c, {{"scope_code", r.message}}, in, {}, 403);
    return Response::text(r.kind == Refused::Kind::not_found ? 404 : 503, "");
  }

  Response page(Call& c, const web::FieldErrors& errors, const AssignInput& in, const Shown& shown, int status) {
    const std::int64_t id = c.id();
    const Request& req = c.req;
    const Principal& p = c.who;
    auto course = service.published(id);
    if (!course && course.status().code() == ErrorCode::not_found) return Response::text(404, "");
    if (!course) return unavailable("assign", course.status());
    // The places this manager may assign to: their own scopes, by name. None is chosen until the
    // person chooses (no default that enrols a whole province or the country).
    auto units = reference.units_by_code();
    if (!units) return unavailable("assign", units.status());
    Data scopes{Data::type::list};
    std::string chosen;
    for (const auto& scope : accounts::scopes_where(p, Action::assign_course)) {
      Data o{Data::type::object};
      o.set("kind", std::string(accounts::scope_kind_name(scope.kind)));
      o.set("code", scope.code);
      std::string label = app.text(req, "assign.scope." + std::string(accounts::scope_kind_name(scope.kind)));
      if (scope.kind == ScopeKind::organisation) {
        auto org = dir.organisation(parse_id(scope.code));
        if (org && *org) label += ": " + (*org)->name;
      } else if (scope.kind == ScopeKind::unit) {
        auto unit = units->find(scope.code);
        label += ": " + (unit != units->end() ? unit->second.name : scope.code);
      }
      o.set("label", label);
      const std::string value = std::string(accounts::scope_kind_name(scope.kind)) + ":" + scope.code;
      o.set("value", value);
      if (value == in.scope_kind + ":" + in.scope_code) {  // kept after an error and while confirming
        o.set("selected", true);
        chosen = label;
      }
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
    if (const auto* ask = std::get_if<Confirmation>(&shown)) {
      Data confirm{Data::type::object};
      confirm.set("people", web::format_count(req.lang, ask->people));
      if (ask->people > 0) confirm.set("count", std::to_string(ask->people));
      else confirm.set("nobody", true);
      if (ask->changed) confirm.set("changed", true);
      confirm.set("scope", chosen);
      if (!in.deadline.empty()) confirm.set("deadline_shown", web::format_date(req.lang, in.deadline));
      d.set("confirm", confirm);
    }
    if (const auto* done = std::get_if<Done>(&shown)) d.set("done", web::format_count(req.lang, done->people));
    return app.page(req, "assign", app.text(req, "assign.title"), d, status);
  }

  App& app;
  Service& service;
  accounts::Directory& dir;
  reference::Store& reference;
};

}  // namespace

void add_assignment_routes(App& app, Service& service, accounts::Directory& dir, reference::Store& reference) {
  auto& r = app.router();
  auto a = std::make_shared<Assignments>(app, service, dir, reference);
  auto on = [&dir, a](Body body, Response (Assignments::*handler)(Call&)) { return accounts::signed_in(dir, body, std::bind_front(handler, a)); };
  r.add("GET", "/courses/{id}/assign", on(Body::none, &Assignments::assign_page));
  r.add("POST", "/courses/{id}/assign", on(Body::form, &Assignments::assign_form));
  r.add("POST", "/api/v1/courses/{id}/assignments", on(Body::json, &Assignments::assign_api));
}

}  // namespace hocvu::learning
