#include "accounts/people_routes.h"

#include "accounts/authorization.h"
#include "accounts/credentials.h"
#include "accounts/directory.h"
#include "accounts/identity.h"
#include "accounts/json.h"
#include "accounts/route_support.h"
#include "accounts/people_import.h"
#include "accounts/people_importer.h"
#include "accounts/store.h"
#include "reference/store.h"
#include "web/multipart.h"

#include <sodium.h>
#include "core/log.h"
#include "core/text.h"
#include "core/time.h"
#include "web/app.h"
#include "web/request_target.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <charconv>
#include <variant>

namespace hocvu::accounts {
namespace {

using web::App;
using web::Data;
using web::Request;
using web::Response;
namespace json = boost::json;

constexpr int kPerPage = 50;



int to_page(std::string_view s) {
  int v = 1;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return ec == std::errc{} && v >= 1 && v <= 100000 ? v : 1;
}

json::object grant_json(const GrantRecord& g) {
  return json::object{{"id", g.id},
                      {"role", role_name(g.grant.role)},
                      {"scope_kind", scope_kind_name(g.grant.scope.kind)},
                      {"scope_code", g.grant.scope.code},
                      {"granted_at", g.granted_at}};
}

void audit(Directory& dir, const Request& req, std::string_view action, std::int64_t subject, std::string detail) {
  AuditEntry e;
  e.at = format_utc(std::chrono::system_clock::now());
  e.actor_id = req.user_id;
  e.action = std::string(action);
  if (subject) e.subject_id = subject;  // 0: the action concerns no one person (an import)
  e.detail = std::move(detail);
  e.request_id = req.request_id;
  e.address = req.remote_address;
  if (auto st = dir.audit(e); !st.ok()) log_error("audit write failed", {{"error", st.message()}, {"action", action}});
}

// The scopes in which `who` may list people.
std::vector<Scope> listing_scopes(const Principal& who) {
  std::vector<Scope> out;
  for (const auto& g : who.grants)
    if (g.role == Role::org_manager || g.role == Role::unit_admin || g.role == Role::national_admin || g.role == Role::auditor)
      out.push_back(g.scope);
  return out;
}

// A person the caller may at least list, with where they stand; nullopt when the caller may not
// (answered 404, as for a person who does not exist).
struct Visible {
  Person person;
  Place place;
};
Result<std::optional<Visible>> visible_person(Directory& dir, const Principal& who, std::int64_t id) {
  if (id == 0) return std::optional<Visible>{};
  auto place = dir.place_of_person(id);
  if (!place) return place.status();
  if (!*place || !may(who, Action::list_people, **place, id)) return std::optional<Visible>{};
  auto person = dir.person(id);
  if (!person) return person.status();
  if (!*person) return std::optional<Visible>{};
  return std::optional<Visible>(Visible{std::move(**person), std::move(**place)});
}

PeopleQuery query_from(const Request& req, const Principal& who) {
  PeopleQuery q;
  q.folded_name = fold_for_search(req.query_param("q"));
  q.unit_code = std::string(req.query_param("unit"));
  q.target_group = std::string(req.query_param("group"));
  q.role = std::string(req.query_param("role"));
  q.organisation = std::string(req.query_param("organisation"));
  q.page = to_page(req.query_param("page"));
  q.per_page = kPerPage;
  q.scopes = listing_scopes(who);
  return q;
}

struct GrantRequest {
  std::string role, scope_kind, scope_code;
};

// Grants a role after every check; the response for the API (pages redirect on success).
Response grant(Directory& dir, Request& req, const Principal& who, std::int64_t id, const GrantRequest& g) {
  auto target = visible_person(dir, who, id);
  if (!target) return unavailable("people", target.status());
  if (!*target) return Response::text(404, "");
  auto role = parse_role(g.role);
  auto kind = parse_scope_kind(g.scope_kind);
  web::FieldErrors errors;
  if (!role) errors.emplace_back("role", "Vai trò không hợp lệ.");
  if (!kind) errors.emplace_back("scope_kind", "Phạm vi phải là national, unit hoặc organisation.");
  if (!errors.empty()) return App::api_error(422, "invalid_field", "Một số trường chưa hợp lệ.", errors);
  Scope scope{*kind, *kind == ScopeKind::national ? "" : g.scope_code};
  auto place = dir.place_of_scope(scope);
  if (!place) return unavailable("people", place.status());
  if (!*place) return App::api_error(422, "invalid_field", "Không có phạm vi này.", {{"scope_code", "Không có đơn vị hoặc tổ chức mang mã này."}});
  if (!may_grant(who, *role, scope, **place))
    return App::api_error(403, "forbidden", "Bạn không có quyền cấp vai trò này ở phạm vi này.");
  auto added = dir.add_grant(id, Grant{*role, scope}, who.id, format_utc(std::chrono::system_clock::now()));
  if (!added) {
    if (added.status().code() == ErrorCode::conflict)
      return App::api_error(409, "conflict", "Người này đã có vai trò này ở phạm vi này.");
    return unavailable("people", added.status());
  }
  audit(dir, req, "grant_role", id, std::string(role_name(*role)) + "@" + std::string(scope_kind_name(*kind)) + ":" + scope.code);
  return Response::json(201, json::serialize(grant_json(*added)));
}

Response revoke(Directory& dir, Request& req, const Principal& who, std::int64_t id, std::int64_t grant_id) {
  auto target = visible_person(dir, who, id);
  if (!target) return unavailable("people", target.status());
  if (!*target) return Response::text(404, "");
  auto grants = dir.grants_of(id);
  if (!grants) return unavailable("people", grants.status());
  const GrantRecord* found = nullptr;
  for (const auto& g : *grants)
    if (g.id == grant_id) found = &g;
  if (!found) return Response::text(404, "");
  auto place = dir.place_of_scope(found->grant.scope);
  if (!place) return unavailable("people", place.status());
  if (!*place || !may_grant(who, found->grant.role, found->grant.scope, **place))
    return App::api_error(403, "forbidden", "Bạn không có quyền thu hồi vai trò này.");
  if (auto st = dir.remove_grant(id, grant_id); !st.ok()) return st.code() == ErrorCode::not_found ? Response::text(404, "") : unavailable("people", st);
  audit(dir, req, "revoke_role", id, std::string(role_name(found->grant.role)) + "@" + found->grant.scope.code);
  Response r;
  r.status = 204;
  return r;
}

Data person_row(const Person& p) {
  Data d{Data::type::object};
  d.set("id", std::to_string(p.id));
  d.set("full_name", p.full_name);
  d.set("national_id", p.national_id ? mask_national_id(*p.national_id) : "");
  d.set("phone", p.phone ? mask_phone(*p.phone) : "");
  d.set("target_group", p.target_group);
  d.set("unit_code", p.unit_code);
  return d;
}

std::string query_string(const Request& req, int page) {
  std::string q = "?page=" + std::to_string(page);
  for (auto name : {"q", "unit", "group", "role", "organisation"}) {
    std::string_view v = req.query_param(name);
    if (v.empty()) continue;
    q += "&" + std::string(name) + "=";
    for (unsigned char c : v) {
      if (std::isalnum(c) || c == '-' || c == '_' || c == '.') q.push_back(static_cast<char>(c));
      else {
        char buf[4];
        std::snprintf(buf, sizeof buf, "%%%02X", c);
        q += buf;
      }
    }
  }
  return q;
}

bool manages_people(const Principal& p) {
  return std::any_of(p.grants.begin(), p.grants.end(), [](const Grant& g) {
    return g.role == Role::org_manager || g.role == Role::unit_admin || g.role == Role::national_admin;
  });
}

std::string new_setup_code() {
  std::string code;
  for (int i = 0; i < 8; ++i) code.push_back(static_cast<char>('0' + randombytes_uniform(10)));
  return code;
}

// Runs an import of `csv` by `who` and audits it when something was written.
Result<ImportPlan> run_people_import(Directory& dir, Store& store, reference::Store& reference, const Request& req,
                                     const Principal& who, std::string_view csv, bool dry_run) {
  auto units = reference.units_by_code();
  if (!units) return units.status();
  UnitPlaces places;
  for (const auto& [code, u] : *units) places[code] = Place{code, u.parent_code.empty() ? code : u.parent_code, {}};
  auto plan = accounts::run_people_import(dir, store, places, who, csv, dry_run, std::chrono::system_clock::now());
  if (plan && plan->error.empty() && !dry_run && (plan->created || plan->updated))
    audit(dir, req, "import_people", 0,
          "created " + std::to_string(plan->created) + ", updated " + std::to_string(plan->updated) + ", rejected " +
              std::to_string(plan->rejected));
  return plan;
}

// A manager's password reset: a fresh one-time code for a person in their scope, shown once.
struct IssuedCode {
  std::string code, expires_at;
};
std::variant<IssuedCode, Response> issue_code(Directory& dir, const Request& req, const Principal& who, std::int64_t id) {
  auto target = visible_person(dir, who, id);
  if (!target) return unavailable("people", target.status());
  if (!*target) return Response::text(404, "");
  if (!may(who, Action::view_personal_data, (*target)->place, id) || id == who.id)
    return App::api_error(403, "forbidden", "Bạn không có quyền cấp mã đặt lại mật khẩu cho người này.");
  IssuedCode out{new_setup_code(), format_utc(std::chrono::system_clock::now() + std::chrono::hours(72))};
  if (auto st = dir.issue_setup_code(id, token_digest(out.code), out.expires_at, who.id); !st.ok()) return unavailable("people", st);
  audit(dir, req, "reset_password", id, "one-time code issued");
  return out;
}

json::object import_report_json(const ImportPlan& plan, bool dry_run) {
  json::array rows;
  for (const auto& r : plan.rows) {
    json::object o{{"line", r.line}, {"action", action_name(r.action)}, {"full_name", r.person.full_name}};
    if (r.person.national_id) o["national_id"] = mask_national_id(*r.person.national_id);
    if (!r.reason.empty()) o["reason"] = r.reason;
    if (!r.setup_code.empty()) o["setup_code"] = r.setup_code;
    rows.push_back(std::move(o));
  }
  return json::object{{"dry_run", dry_run}, {"created", plan.created}, {"updated", plan.updated},
                      {"unchanged", plan.unchanged}, {"rejected", plan.rejected}, {"rows", std::move(rows)}};
}

}  // namespace

void add_people_routes(App& app, Directory& dir, Store& store, reference::Store& reference) {
  auto& r = app.router();

  // ---- API ----

  r.add("GET", "/api/v1/people", [&dir](Request& req) {
    auto who = signed_in_principal(req, dir);
    if (auto* res = std::get_if<Response>(&who)) return std::move(*res);
    const auto& p = std::get<Principal>(who);
    if (!manages_anything(p)) return Response::text(403, "");
    auto page = dir.search(query_from(req, p));
    if (!page) return unavailable("people", page.status());
    json::array items;
    for (const auto& person : page->people) items.push_back(masked_person_json(person));
    Response res = Response::json(200, json::serialize(json::object{
                                           {"items", std::move(items)}, {"total", page->total},
                                           {"page", to_page(req.query_param("page"))}, {"per_page", kPerPage}}));
    res.set_header("Cache-Control", "private, no-store");
    return res;
  });

  r.add("GET", "/api/v1/people/{id}", [&dir](Request& req) {
    auto who = signed_in_principal(req, dir);
    if (auto* res = std::get_if<Response>(&who)) return std::move(*res);
    const auto& p = std::get<Principal>(who);
    std::int64_t id = parse_id(req.path_param("id"));
    auto target = visible_person(dir, p, id);
    if (!target) return unavailable("people", target.status());
    if (!*target) return Response::text(404, "");
    const bool full = may(p, Action::view_personal_data, (*target)->place, id);
    if (full && id != p.id) audit(dir, req, "view_person", id, "api");
    json::object body = full ? person_json((*target)->person) : masked_person_json((*target)->person);
    auto grants = dir.grants_of(id);
    if (!grants) return unavailable("people", grants.status());
    json::array roles;
    for (const auto& g : *grants) roles.push_back(grant_json(g));
    body["roles"] = std::move(roles);
    auto organisations = dir.organisations_of(id);
    if (!organisations) return unavailable("people", organisations.status());
    json::array orgs;
    for (const auto& o : *organisations) orgs.push_back(json::object{{"id", o.id}, {"name", o.name}});
    body["organisations"] = std::move(orgs);
    body["personal_data"] = full ? "shown" : "masked";
    Response res = Response::json(200, json::serialize(body));
    res.set_header("Cache-Control", "private, no-store");
    return res;
  });

  r.add("POST", "/api/v1/people/{id}/roles", [&dir](Request& req) {
    auto who = signed_in_principal(req, dir);
    if (auto* res = std::get_if<Response>(&who)) return std::move(*res);
    if (!req.header("Content-Type").starts_with("application/json"))
      return App::api_error(415, "unsupported_media_type", "Nội dung gửi lên phải là JSON (Content-Type: application/json).");
    boost::system::error_code ec;
    auto v = json::parse(req.body, ec);
    if (ec || !v.is_object()) return App::api_error(400, "bad_request", "Nội dung gửi lên không phải một đối tượng JSON hợp lệ.");
    auto str = [&](std::string_view k) {
      auto* x = v.as_object().if_contains(k);
      return x && x->is_string() ? std::string(x->as_string()) : std::string();
    };
    return grant(dir, req, std::get<Principal>(who), parse_id(req.path_param("id")),
                 GrantRequest{str("role"), str("scope_kind"), str("scope_code")});
  });

  r.add("DELETE", "/api/v1/people/{id}/roles/{grant}", [&dir](Request& req) {
    auto who = signed_in_principal(req, dir);
    if (auto* res = std::get_if<Response>(&who)) return std::move(*res);
    return revoke(dir, req, std::get<Principal>(who), parse_id(req.path_param("id")), parse_id(req.path_param("grant")));
  });

  r.add("GET", "/api/v1/audit-log", [&dir](Request& req) {
    auto who = signed_in_principal(req, dir);
    if (auto* res = std::get_if<Response>(&who)) return std::move(*res);
    if (!may(std::get<Principal>(who), Action::read_audit_log, Place{}, 0)) return Response::text(403, "");
    std::int64_t subject = parse_id(req.query_param("subject"));
    auto entries = dir.audit_log(to_page(req.query_param("page")), kPerPage, subject ? std::optional(subject) : std::nullopt);
    if (!entries) return unavailable("people", entries.status());
    json::array items;
    for (const auto& e : *entries)
      items.push_back(json::object{{"id", e.id}, {"at", e.at}, {"actor_id", e.actor_id ? json::value(*e.actor_id) : json::value(nullptr)},
                                   {"actor_name", e.actor_name}, {"action", e.action},
                                   {"subject_id", e.subject_id ? json::value(*e.subject_id) : json::value(nullptr)},
                                   {"subject_name", e.subject_name}, {"detail", e.detail}, {"request_id", e.request_id},
                                   {"address", e.address}});
    Response res = Response::json(200, json::serialize(json::object{{"items", std::move(items)}}));
    res.set_header("Cache-Control", "private, no-store");
    return res;
  });

  r.add("DELETE", "/api/v1/people/{id}", [&dir](Request& req) {
    auto who = signed_in_principal(req, dir);
    if (auto* res = std::get_if<Response>(&who)) return std::move(*res);
    const auto& p = std::get<Principal>(who);
    std::int64_t id = parse_id(req.path_param("id"));
    auto target = visible_person(dir, p, id);
    if (!target) return unavailable("people", target.status());
    if (!*target) return Response::text(404, "");
    if (id == p.id || !may(p, Action::view_personal_data, (*target)->place, id))
      return App::api_error(403, "forbidden", "Bạn không có quyền xoá tài khoản này.");
    std::string name = (*target)->person.full_name;
    audit(dir, req, "delete_person", id, name);  // before: the entry then loses its subject link
    if (auto st = dir.delete_person(id); !st.ok()) return st.code() == ErrorCode::not_found ? Response::text(404, "") : unavailable("people", st);
    Response res;
    res.status = 204;
    return res;
  });

  r.add("POST", "/api/v1/people/{id}/setup-code", [&dir](Request& req) {
    auto who = signed_in_principal(req, dir);
    if (auto* res = std::get_if<Response>(&who)) return std::move(*res);
    auto issued = issue_code(dir, req, std::get<Principal>(who), parse_id(req.path_param("id")));
    if (auto* res = std::get_if<Response>(&issued)) return std::move(*res);
    const auto& code = std::get<IssuedCode>(issued);
    Response res = Response::json(201, json::serialize(json::object{{"code", code.code}, {"expires_at", code.expires_at}}));
    res.set_header("Cache-Control", "private, no-store");
    return res;
  });

  r.add("POST", "/api/v1/people/import", [&dir, &store, &reference](Request& req) {
    auto who = signed_in_principal(req, dir);
    if (auto* res = std::get_if<Response>(&who)) return std::move(*res);
    const auto& p = std::get<Principal>(who);
    if (!manages_people(p)) return Response::text(403, "");
    if (!req.header("Content-Type").starts_with("text/csv"))
      return App::api_error(415, "unsupported_media_type", "Hãy gửi tệp CSV với Content-Type: text/csv.");
    const bool dry_run = req.query_param("dry_run") == "1" || req.query_param("dry_run") == "true";
    auto plan = run_people_import(dir, store, reference, req, p, req.body, dry_run);
    if (!plan) return unavailable("people", plan.status());
    if (!plan->error.empty()) return App::api_error(422, "invalid_file", plan->error);
    Response res = Response::json(200, json::serialize(import_report_json(*plan, dry_run)));
    res.set_header("Cache-Control", "private, no-store");
    return res;
  }).body_type = "text/csv";

  // ---- Pages ----

  r.add("GET", "/people/import/template.csv", [](Request&) {
    Response res = Response::text(200, people_import_template(), "text/csv; charset=utf-8");
    res.set_header("Content-Disposition", "attachment; filename=\"mau-nhap-nguoi-hoc.csv\"");
    return res;
  }, web::Execution::io);

  r.add("GET", "/people/import", [&app, &dir](Request& req) {
    auto who = signed_in_principal(req, dir);
    if (auto* res = std::get_if<Response>(&who)) return std::move(*res);
    if (!manages_people(std::get<Principal>(who))) return Response::text(403, "");
    return app.page(req, "people_import", app.text(req, "people_import.title"), Data{Data::type::object});
  });

  r.add("POST", "/people/import", [&app, &dir, &store, &reference](Request& req) {
    auto who = signed_in_principal(req, dir);
    if (auto* res = std::get_if<Response>(&who)) return std::move(*res);
    const auto& p = std::get<Principal>(who);
    if (!manages_people(p)) return Response::text(403, "");
    auto upload = web::parse_upload(req);
    if (!upload) return Response::text(400, "");
    if (!App::csrf_ok(req, upload->fields)) return Response::text(403, "");
    const std::string& csv = upload->file;
    const bool dry_run = upload->dry_run;
    auto plan = run_people_import(dir, store, reference, req, p, csv, dry_run);
    if (!plan) return unavailable("people", plan.status());
    Data d{Data::type::object};
    if (!plan->error.empty()) {
      d.set("error", plan->error);
      return app.page(req, "people_import", app.text(req, "people_import.title_errors"), d, 422);
    }
    Data report{Data::type::object};
    report.set("dry_run", dry_run);
    report.set("created", std::to_string(plan->created));
    report.set("updated", std::to_string(plan->updated));
    report.set("unchanged", std::to_string(plan->unchanged));
    report.set("rejected", std::to_string(plan->rejected));
    Data rejected{Data::type::list}, created{Data::type::list};
    for (const auto& row : plan->rows) {
      Data item{Data::type::object};
      item.set("line", std::to_string(row.line));
      item.set("full_name", row.person.full_name);
      item.set("national_id", row.person.national_id ? mask_national_id(*row.person.national_id) : "");
      item.set("reason", row.reason);
      item.set("setup_code", row.setup_code);
      if (row.action == ImportRow::Action::reject) rejected.push_back(item);
      if (!row.setup_code.empty()) created.push_back(item);
    }
    report.set("rejected_rows", rejected);
    report.set("created_rows", created);
    if (plan->rejected) report.set("has_rejected", true);
    if (!created.is_empty_list()) report.set("has_created", true);
    d.set("report", report);
    return app.page(req, "people_import", app.text(req, "people_import.title_done"), d);
  });

  r.add("GET", "/people", [&app, &dir](Request& req) {
    auto who = signed_in_principal(req, dir);
    if (auto* res = std::get_if<Response>(&who)) return std::move(*res);
    const auto& p = std::get<Principal>(who);
    if (!manages_anything(p)) return Response::text(403, "");
    int page_no = to_page(req.query_param("page"));
    auto page = dir.search(query_from(req, p));
    if (!page) return unavailable("people", page.status());
    Data d{Data::type::object};
    Data rows{Data::type::list};
    for (const auto& person : page->people) rows.push_back(person_row(person));
    d.set("people", rows);
    d.set("total", std::to_string(page->total));
    d.set("q", std::string(req.query_param("q")));
    d.set("unit", std::string(req.query_param("unit")));
    for (auto g : {"official", "student", "worker", "citizen"})
      if (req.query_param("group") == g) d.set(std::string("group_") + g, true);
    for (auto role : {"instructor", "community_helper", "org_manager", "unit_admin", "national_admin", "auditor"})
      if (req.query_param("role") == role) d.set(std::string("role_") + role, true);
    Data orgs{Data::type::list};
    if (auto all = dir.organisations())
      for (const auto& o : *all) {
        Data item{Data::type::object};
        item.set("id", std::to_string(o.id));
        item.set("name", o.name);
        if (req.query_param("organisation") == std::to_string(o.id)) item.set("selected", true);
        orgs.push_back(item);
      }
    d.set("organisations", orgs);
    if (page_no > 1) d.set("prev_href", "/people" + query_string(req, page_no - 1));
    if (static_cast<std::int64_t>(page_no) * kPerPage < page->total) d.set("next_href", "/people" + query_string(req, page_no + 1));
    d.set("page", std::to_string(page_no));
    return app.page(req, "people", app.text(req, "people.title"), d);
  });

  r.add("GET", "/people/{id}", [&app, &dir](Request& req) {
    auto who = signed_in_principal(req, dir);
    if (auto* res = std::get_if<Response>(&who)) return std::move(*res);
    const auto& p = std::get<Principal>(who);
    std::int64_t id = parse_id(req.path_param("id"));
    auto target = visible_person(dir, p, id);
    if (!target) return unavailable("people", target.status());
    if (!*target) return Response::text(404, "");
    const Person& person = (*target)->person;
    const bool full = may(p, Action::view_personal_data, (*target)->place, id);
    if (full && id != p.id) audit(dir, req, "view_person", id, "page");
    Data d{Data::type::object};
    d.set("id", std::to_string(id));
    d.set("full_name", person.full_name);
    d.set("national_id", full ? person.national_id.value_or("") : (person.national_id ? mask_national_id(*person.national_id) : ""));
    d.set("phone", full ? person.phone.value_or("") : (person.phone ? mask_phone(*person.phone) : ""));
    d.set("birth_date", full ? person.birth_date.value_or("") : (person.birth_date ? person.birth_date->substr(0, 4) + "-**-**" : ""));
    d.set("target_group", person.target_group);
    d.set("unit_code", person.unit_code);
    if (!full) d.set("masked", true);
    auto grants = dir.grants_of(id);
    if (!grants) return unavailable("people", grants.status());
    Data roles{Data::type::list};
    for (const auto& g : *grants) {
      Data item{Data::type::object};
      item.set("grant_id", std::to_string(g.id));
      item.set("role", app.text(req, "role." + std::string(role_name(g.grant.role))));
      item.set("scope", g.grant.scope.kind == ScopeKind::national ? app.text(req, "people.national")
                                                                  : std::string(g.grant.scope.code));
      roles.push_back(item);
    }
    d.set("roles", roles);
    Data orgs{Data::type::list};
    if (auto organisations = dir.organisations_of(id))
      for (const auto& o : *organisations) {
        Data item{Data::type::object};
        item.set("name", o.name);
        item.set("org_id", std::to_string(o.id));
        orgs.push_back(item);
      }
    d.set("organisations", orgs);
    if (may(p, Action::grant_role, (*target)->place, id)) d.set("can_grant", true);
    if (full && id != p.id) d.set("can_reset", true);
    if (auto pending = dir.deletion_requested_at(id); pending && *pending) d.set("deletion_requested", (**pending).substr(0, 10));
    std::string_view error = req.query_param("error");
    if (error == "forbidden" || error == "conflict" || error == "invalid") d.set("error", app.text(req, "people.grant_" + std::string(error)));
    return app.page(req, "person", person.full_name, d);
  });

  r.add("POST", "/people/{id}/roles", [&dir](Request& req) {
    auto who = signed_in_principal(req, dir);
    if (auto* res = std::get_if<Response>(&who)) return std::move(*res);
    auto form = web::parse_form(req.body);
    if (!form) return Response::text(400, "");
    if (!App::csrf_ok(req, *form)) return Response::text(403, "");
    auto field = [&](std::string_view name) {
      for (const auto& [k, v] : *form) if (k == name) return v;
      return std::string();
    };
    std::int64_t id = parse_id(req.path_param("id"));
    Response result = grant(dir, req, std::get<Principal>(who), id, GrantRequest{field("role"), field("scope_kind"), field("scope_code")});
    if (result.status == 404 || result.status >= 500) return Response::text(result.status, "");
    Response r;
    r.status = 303;
    std::string back = "/people/" + std::to_string(id);
    if (result.status == 403) back += "?error=forbidden";
    else if (result.status == 409) back += "?error=conflict";
    else if (result.status == 422) back += "?error=invalid";
    r.set_header("Location", back);
    return r;
  });

  r.add("POST", "/people/{id}/setup-code", [&app, &dir](Request& req) {
    auto who = signed_in_principal(req, dir);
    if (auto* res = std::get_if<Response>(&who)) return std::move(*res);
    auto form = web::parse_form(req.body);
    if (!form) return Response::text(400, "");
    if (!App::csrf_ok(req, *form)) return Response::text(403, "");
    auto issued = issue_code(dir, req, std::get<Principal>(who), parse_id(req.path_param("id")));
    if (auto* res = std::get_if<Response>(&issued)) return Response::text(res->status, "");
    Data d{Data::type::object};
    d.set("code", std::get<IssuedCode>(issued).code);
    d.set("person_href", "/people/" + std::to_string(parse_id(req.path_param("id"))));
    Response page = app.page(req, "setup_code", app.text(req, "reset.title"), d);
    page.set_header("Cache-Control", "private, no-store");
    return page;
  });

  r.add("POST", "/people/{id}/delete", [&dir](Request& req) {
    auto who = signed_in_principal(req, dir);
    if (auto* res = std::get_if<Response>(&who)) return std::move(*res);
    const auto& p = std::get<Principal>(who);
    auto form = web::parse_form(req.body);
    if (!form) return Response::text(400, "");
    if (!App::csrf_ok(req, *form)) return Response::text(403, "");
    std::int64_t id = parse_id(req.path_param("id"));
    auto target = visible_person(dir, p, id);
    if (!target) return unavailable("people", target.status());
    if (!*target) return Response::text(404, "");
    if (id == p.id || !may(p, Action::view_personal_data, (*target)->place, id)) return Response::text(403, "");
    audit(dir, req, "delete_person", id, (*target)->person.full_name);
    if (auto st = dir.delete_person(id); !st.ok()) return unavailable("people", st);
    Response r;
    r.status = 303;
    r.set_header("Location", "/people");
    return r;
  });

  r.add("POST", "/people/{id}/roles/{grant}/revoke", [&dir](Request& req) {
    auto who = signed_in_principal(req, dir);
    if (auto* res = std::get_if<Response>(&who)) return std::move(*res);
    auto form = web::parse_form(req.body);
    if (!form) return Response::text(400, "");
    if (!App::csrf_ok(req, *form)) return Response::text(403, "");
    std::int64_t id = parse_id(req.path_param("id"));
    Response result = revoke(dir, req, std::get<Principal>(who), id, parse_id(req.path_param("grant")));
    if (result.status == 404 || result.status >= 500) return Response::text(result.status, "");
    Response r;
    r.status = 303;
    r.set_header("Location", "/people/" + std::to_string(id) + (result.status == 403 ? "?error=forbidden" : ""));
    return r;
  });

  r.add("GET", "/audit", [&app, &dir](Request& req) {
    auto who = signed_in_principal(req, dir);
    if (auto* res = std::get_if<Response>(&who)) return std::move(*res);
    if (!may(std::get<Principal>(who), Action::read_audit_log, Place{}, 0)) return Response::text(403, "");
    auto entries = dir.audit_log(to_page(req.query_param("page")), kPerPage, std::nullopt);
    if (!entries) return unavailable("people", entries.status());
    Data rows{Data::type::list};
    for (const auto& e : *entries) {
      Data row{Data::type::object};
      row.set("at", e.at);
      row.set("actor", e.actor_name);
      row.set("action", e.action);
      row.set("subject", e.subject_name);
      row.set("detail", e.detail);
      row.set("address", e.address);
      rows.push_back(row);
    }
    Data d{Data::type::object};
    d.set("entries", rows);
    return app.page(req, "audit", app.text(req, "audit.title"), d);
  });
}

}  // namespace hocvu::accounts
