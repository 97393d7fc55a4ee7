#include "accounts/people_routes.h"

#include "accounts/authorization.h"
#include "accounts/call.h"
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
#include "web/form.h"

#include <sodium.h>
#include "core/log.h"
#include "core/text.h"
#include "core/time.h"
#include "web/app.h"
#include "web/format.h"
#include "web/request_target.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <charconv>
#include <functional>
#include <memory>
#include <variant>

namespace hocvu::accounts {
namespace {

using web::App;
using web::parse_id;
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
  if (auto st = dir.audit(audit_entry(req, action, subject, std::move(detail))); !st.ok())
    log_error("audit write failed", {{"error", st.message()}, {"action", action}});
}

// A person the caller may at least list, with where they stand and the roles they hold; nullopt
// when the caller may not (answered 404, as for a person who does not exist).
struct Visible {
  Person person;
  Subject subject;
};
Result<std::optional<Visible>> visible_person(Directory& dir, const Principal& who, std::int64_t id) {
  auto subject = load_subject(dir, id);
  if (!subject) return subject.status();
  if (!*subject || !may(who, Action::list_people, **subject)) return std::optional<Visible>{};
  auto person = dir.person(id);
  if (!person) return person.status();
  if (!*person) return std::optional<Visible>{};
  return std::optional<Visible>(Visible{std::move(**person), std::move(**subject)});
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
  q.scopes = scopes_where(who, Action::list_people);
  return q;
}

struct GrantRequest {
  std::string role, scope_kind, scope_code;
};

// Grants a role to person `id` after every check.
Outcome<GrantRecord> grant(Directory& dir, const Request& req, const Principal& who, std::int64_t id, const GrantRequest& g) {
  auto target = visible_person(dir, who, id);
  if (!target) return unavailable_because("people", target.status());
  if (!*target) return not_found();
  if (!may(who, Action::grant_role, (*target)->subject)) return forbidden("Bạn không có quyền thay đổi vai trò của người này.");
  auto role = parse_role(g.role);
  auto kind = parse_scope_kind(g.scope_kind);
  web::FieldErrors errors;
  if (!role) errors.emplace_back("role", "Vai trò không hợp lệ.");
  if (!kind) errors.emplace_back("scope_kind", "Phạm vi phải là national, unit hoặc organisation.");
  if (!errors.empty()) return invalid("Một số trường chưa hợp lệ.", errors);
  Scope scope{*kind, *kind == ScopeKind::national ? "" : g.scope_code};
  auto reach = dir.reach_of_scope(scope);
  if (!reach) return unavailable_because("people", reach.status());
  if (reach->empty()) return invalid("Không có phạm vi này.", {{"scope_code", "Không có đơn vị hoặc tổ chức mang mã này."}});
  if (!may_grant(who, *role, scope, *reach)) {
    if (may_grant(who, *role, scope, Reach{reach->front()}))
      return forbidden("Tổ chức này có tổ chức cấp dưới hoặc thành viên ở nơi ngoài phạm vi quản lý của bạn; "
                       "chỉ người quản lý được cả những nơi đó mới cấp được vai trò này.");
    return forbidden("Bạn không có quyền cấp vai trò này ở phạm vi này.");
  }
  auto added = dir.add_grant(id, Grant{*role, scope}, who.id, format_utc(std::chrono::system_clock::now()));
  if (!added) {
    if (added.status().code() == ErrorCode::conflict) return conflict("Người này đã có vai trò này ở phạm vi này.");
    return unavailable_because("people", added.status());
  }
  audit(dir, req, "grant_role", id, std::string(role_name(*role)) + "@" + std::string(scope_kind_name(*kind)) + ":" + scope.code);
  return std::move(*added);
}

// Revokes grant `grant_id` of person `id` after every check.
Outcome<Done> revoke(Directory& dir, const Request& req, const Principal& who, std::int64_t id, std::int64_t grant_id) {
  auto target = visible_person(dir, who, id);
  if (!target) return unavailable_because("people", target.status());
  if (!*target) return not_found();
  if (!may(who, Action::grant_role, (*target)->subject)) return forbidden("Bạn không có quyền thay đổi vai trò của người này.");
  auto grants = dir.grants_of(id);
  if (!grants) return unavailable_because("people", grants.status());
  const GrantRecord* found = nullptr;
  for (const auto& g : *grants)
    if (g.id == grant_id) found = &g;
  if (!found) return not_found();
  auto reach = dir.reach_of_scope(found->grant.scope);
  if (!reach) return unavailable_because("people", reach.status());
  if (!may_grant(who, found->grant.role, found->grant.scope, *reach))
    return forbidden("Bạn không có quyền thu hồi vai trò này.");
  if (auto st = dir.remove_grant(id, grant_id); !st.ok())
    return st.code() == ErrorCode::not_found ? not_found() : unavailable_because("people", st);
  audit(dir, req, "revoke_role", id, std::string(role_name(found->grant.role)) + "@" + found->grant.scope.code);
  return Done{};
}

// Deletes person `id` (a manager acting on a deletion request, or on their own decision).
Outcome<Done> delete_person(Directory& dir, const Request& req, const Principal& who, std::int64_t id) {
  auto target = visible_person(dir, who, id);
  if (!target) return unavailable_because("people", target.status());
  if (!*target) return not_found();
  if (!may(who, Action::manage_person, (*target)->subject)) return forbidden("Bạn không có quyền xoá tài khoản này.");
  auto st = dir.delete_person(id, audit_entry(req, "delete_person", id, (*target)->person.full_name));
  if (!st.ok()) return st.code() == ErrorCode::not_found ? not_found() : unavailable_because("people", st);
  return Done{};
}

// A page's answer to a refused change: back to the person's page, saying what went wrong; 404
// and 503 as they are.
Response page_refusal(const Refused& r, std::int64_t id) {
  if (r.kind == Refused::Kind::not_found) return Response::text(404, "");
  if (r.kind == Refused::Kind::unavailable) return Response::text(503, "");
  std::string back = "/people/" + std::to_string(id) + "?error=";
  back += r.kind == Refused::Kind::forbidden ? "forbidden" : r.kind == Refused::Kind::conflict ? "conflict" : "invalid";
  Response res;
  res.status = 303;
  res.set_header("Location", back);
  return res;
}

Response see_other(std::string location) {
  Response r;
  r.status = 303;
  r.set_header("Location", std::move(location));
  return r;
}

Data person_row(const Person& p, Words& words) {
  Data d{Data::type::object};
  d.set("id", std::to_string(p.id));
  d.set("full_name", p.full_name);
  d.set("national_id", p.national_id ? mask_national_id(*p.national_id) : "");
  d.set("phone", p.phone ? mask_phone(*p.phone) : "");
  d.set("target_group", words.group(p.target_group));
  d.set("unit_code", words.unit(p.unit_code));
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
  // Every real import is recorded, even one that wrote nothing: refused rows are how someone
  // would probe for people outside their scope.
  if (plan && plan->error.empty() && !dry_run)
    audit(dir, req, "import_people", 0,
          "created " + std::to_string(plan->created) + ", updated " + std::to_string(plan->updated) + ", rejected " +
              std::to_string(plan->rejected));
  return plan;
}

// A manager's password reset: a fresh one-time code for a person in their scope, shown once.
struct IssuedCode {
  std::string code, expires_at;
};
Outcome<IssuedCode> issue_code(Directory& dir, const Request& req, const Principal& who, std::int64_t id) {
  auto target = visible_person(dir, who, id);
  if (!target) return unavailable_because("people", target.status());
  if (!*target) return not_found();
  if (!may(who, Action::manage_person, (*target)->subject))
    return forbidden("Bạn không có quyền cấp mã đặt lại mật khẩu cho người này.");
  IssuedCode out{new_setup_code(), format_utc(std::chrono::system_clock::now() + std::chrono::hours(72))};
  if (auto st = dir.issue_setup_code(id, token_digest(out.code), out.expires_at, who.id); !st.ok())
    return unavailable_because("people", st);
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

// The people routes' handlers. Each is named, starts after the prologue (accounts/call.h), and
// renders what one operation above came to.
class People {
 public:
  People(App& app, Directory& dir, Store& store, reference::Store& reference)
      : app_(app), dir_(dir), store_(store), reference_(reference) {}

  // ---- API ----

  Response list_api(Call& c) {
    if (!may_somewhere(c.who, Action::list_people)) return Response::text(403, "");
    auto page = dir_.search(query_from(c.req, c.who));
    if (!page) return unavailable("people", page.status());
    json::array items;
    for (const auto& person : page->people) items.push_back(masked_person_json(person));
    return private_json(200, json::object{{"items", std::move(items)}, {"total", page->total},
                                          {"page", to_page(c.req.query_param("page"))}, {"per_page", kPerPage}});
  }

  Response person_api(Call& c) {
    auto target = visible_person(dir_, c.who, c.id());
    if (!target) return unavailable("people", target.status());
    if (!*target) return Response::text(404, "");
    const auto& [person, subject] = **target;
    const bool full = may(c.who, Action::view_personal_data, subject);
    if (full && person.id != c.who.id) audit(dir_, c.req, "view_person", person.id, "api");
    json::object body = full ? person_json(person) : masked_person_json(person);
    auto grants = dir_.grants_of(person.id);
    if (!grants) return unavailable("people", grants.status());
    json::array roles;
    for (const auto& g : *grants) roles.push_back(grant_json(g));
    body["roles"] = std::move(roles);
    auto organisations = dir_.organisations_of(person.id);
    if (!organisations) return unavailable("people", organisations.status());
    json::array orgs;
    for (const auto& o : *organisations) orgs.push_back(json::object{{"id", o.id}, {"name", o.name}});
    body["organisations"] = std::move(orgs);
    body["personal_data"] = full ? "shown" : "masked";
    return private_json(200, std::move(body));
  }

  Response grant_api(Call& c) {
    auto done = grant(dir_, c.req, c.who, c.id(), GrantRequest{c.text("role"), c.text("scope_kind"), c.text("scope_code")});
    if (auto* r = std::get_if<Refused>(&done)) return api_refusal(*r);
    return Response::json(201, json::serialize(grant_json(std::get<GrantRecord>(done))));
  }

  Response revoke_api(Call& c) { return no_content(revoke(dir_, c.req, c.who, c.id(), c.id("grant"))); }

  Response delete_api(Call& c) { return no_content(delete_person(dir_, c.req, c.who, c.id())); }

  Response setup_code_api(Call& c) {
    auto issued = issue_code(dir_, c.req, c.who, c.id());
    if (auto* r = std::get_if<Refused>(&issued)) return api_refusal(*r);
    const auto& code = std::get<IssuedCode>(issued);
    return private_json(201, json::object{{"code", code.code}, {"expires_at", code.expires_at}});
  }

  Response import_api(Call& c) {
    if (!may_somewhere(c.who, Action::manage_person)) return Response::text(403, "");
    if (!c.req.header("Content-Type").starts_with("text/csv"))
      return App::api_error(415, "unsupported_media_type", "Hãy gửi tệp CSV với Content-Type: text/csv.");
    const bool dry_run = c.req.query_param("dry_run") == "1" || c.req.query_param("dry_run") == "true";
    auto plan = run_people_import(dir_, store_, reference_, c.req, c.who, c.req.body, dry_run);
    if (!plan) return unavailable("people", plan.status());
    if (!plan->error.empty()) return App::api_error(422, "invalid_file", plan->error);
    return private_json(200, import_report_json(*plan, dry_run));
  }

  Response audit_api(Call& c) {
    if (!may(c.who, Action::read_audit_log, kWholeCountry, 0)) return Response::text(403, "");
    std::int64_t subject = parse_id(c.req.query_param("subject"));
    auto entries = dir_.audit_log(to_page(c.req.query_param("page")), kPerPage, subject ? std::optional(subject) : std::nullopt);
    if (!entries) return unavailable("people", entries.status());
    json::array items;
    for (const auto& e : *entries)
      items.push_back(json::object{{"id", e.id}, {"at", e.at}, {"actor_id", e.actor_id ? json::value(*e.actor_id) : json::value(nullptr)},
                                   {"actor_name", e.actor_name}, {"action", e.action},
                                   {"subject_id", e.subject_id ? json::value(*e.subject_id) : json::value(nullptr)},
                                   {"subject_name", e.subject_name}, {"detail", e.detail}, {"request_id", e.request_id},
                                   {"address", e.address}});
    return private_json(200, json::object{{"items", std::move(items)}});
  }

  // ---- Pages ----

  Response import_page(Call& c) {
    if (!may_somewhere(c.who, Action::manage_person)) return Response::text(403, "");
    return app_.page(c.req, "people_import", app_.text(c.req, "people_import.title"), Data{Data::type::object});
  }

  Response import_form(Call& c) {
    if (!may_somewhere(c.who, Action::manage_person)) return Response::text(403, "");
    const bool dry_run = c.upload.dry_run;
    auto plan = run_people_import(dir_, store_, reference_, c.req, c.who, c.upload.file, dry_run);
    if (!plan) return unavailable("people", plan.status());
    Data d{Data::type::object};
    if (!plan->error.empty()) {
      d.set("error", plan->error);
      return app_.page(c.req, "people_import", app_.text(c.req, "people_import.title_errors"), d, 422);
    }
    d.set("report", import_report_data(*plan, dry_run));
    return app_.page(c.req, "people_import", app_.text(c.req, "people_import.title_done"), d);
  }

  Response list_page(Call& c) {
    if (!may_somewhere(c.who, Action::list_people)) return Response::text(403, "");
    const Request& req = c.req;
    int page_no = to_page(req.query_param("page"));
    auto page = dir_.search(query_from(req, c.who));
    if (!page) return unavailable("people", page.status());
    Data d{Data::type::object};
    Data rows{Data::type::list};
    Words words(reference_, req.lang);
    for (const auto& person : page->people) rows.push_back(person_row(person, words));
    d.set("people", rows);
    d.set("total", std::to_string(page->total));
    d.set("q", std::string(req.query_param("q")));
    d.set("unit", std::string(req.query_param("unit")));
    for (auto g : {"official", "student", "worker", "citizen"})
      if (req.query_param("group") == g) d.set(std::string("group_") + g, true);
    for (auto role : {"instructor", "community_helper", "org_manager", "unit_admin", "national_admin", "auditor"})
      if (req.query_param("role") == role) d.set(std::string("role_") + role, true);
    Data orgs{Data::type::list};
    if (auto all = dir_.organisations())
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
    return app_.page(req, "people", app_.text(req, "people.title"), d);
  }

  Response person_page(Call& c) {
    const Request& req = c.req;
    auto target = visible_person(dir_, c.who, c.id());
    if (!target) return unavailable("people", target.status());
    if (!*target) return Response::text(404, "");
    const auto& [person, subject] = **target;
    const std::int64_t id = person.id;
    const bool full = may(c.who, Action::view_personal_data, subject);
    if (full && id != c.who.id) audit(dir_, req, "view_person", id, "page");
    Data d{Data::type::object};
    d.set("id", std::to_string(id));
    d.set("full_name", person.full_name);
    d.set("national_id", full ? person.national_id.value_or("") : (person.national_id ? mask_national_id(*person.national_id) : ""));
    d.set("phone", full ? person.phone.value_or("") : (person.phone ? mask_phone(*person.phone) : ""));
    // Masked: the year alone ("1960"); in full, day first as people write it.
    d.set("birth_date", full ? web::format_date(req.lang, person.birth_date.value_or(""))
                             : (person.birth_date ? "**/**/" + person.birth_date->substr(0, 4) : ""));
    Words words(reference_, req.lang);
    d.set("target_group", words.group(person.target_group));
    d.set("unit_code", words.unit(person.unit_code));
    if (!full) d.set("masked", true);
    auto grants = dir_.grants_of(id);
    if (!grants) return unavailable("people", grants.status());
    Data roles{Data::type::list};
    for (const auto& g : *grants) {
      Data item{Data::type::object};
      item.set("grant_id", std::to_string(g.id));
      item.set("role", app_.text(req, "role." + std::string(role_name(g.grant.role))));
      item.set("scope", g.grant.scope.kind == ScopeKind::national ? app_.text(req, "people.national")
                                                                  : std::string(g.grant.scope.code));
      roles.push_back(item);
    }
    d.set("roles", roles);
    Data orgs{Data::type::list};
    if (auto organisations = dir_.organisations_of(id))
      for (const auto& o : *organisations) {
        Data item{Data::type::object};
        item.set("name", o.name);
        item.set("org_id", std::to_string(o.id));
        orgs.push_back(item);
      }
    d.set("organisations", orgs);
    if (may(c.who, Action::grant_role, subject)) d.set("can_grant", true);
    if (may(c.who, Action::manage_person, subject)) d.set("can_reset", true);
    if (may(c.who, Action::view_progress, subject)) d.set("can_follow", true);  // /people/{id}/learning
    if (auto pending = dir_.deletion_requested_at(id); pending && *pending) d.set("deletion_requested", web::format_date(req.lang, **pending));
    std::string_view error = req.query_param("error");
    if (error == "forbidden" || error == "conflict" || error == "invalid") d.set("error", app_.text(req, "people.grant_" + std::string(error)));
    return app_.page(req, "person", person.full_name, d);
  }

  Response grant_form(Call& c) {
    auto done = grant(dir_, c.req, c.who, c.id(), GrantRequest{c.field("role"), c.field("scope_kind"), c.field("scope_code")});
    if (auto* r = std::get_if<Refused>(&done)) return page_refusal(*r, c.id());
    return see_other("/people/" + std::to_string(c.id()));
  }

  Response revoke_form(Call& c) {
    auto done = revoke(dir_, c.req, c.who, c.id(), c.id("grant"));
    if (auto* r = std::get_if<Refused>(&done)) return page_refusal(*r, c.id());
    return see_other("/people/" + std::to_string(c.id()));
  }

  Response setup_code_form(Call& c) {
    auto issued = issue_code(dir_, c.req, c.who, c.id());
    if (auto* r = std::get_if<Refused>(&issued))
      return Response::text(r->kind == Refused::Kind::not_found ? 404 : r->kind == Refused::Kind::forbidden ? 403 : 503, "");
    Data d{Data::type::object};
    d.set("code", std::get<IssuedCode>(issued).code);
    d.set("person_href", "/people/" + std::to_string(c.id()));
    Response page = app_.page(c.req, "setup_code", app_.text(c.req, "reset.title"), d);
    page.set_header("Cache-Control", "private, no-store");
    return page;
  }

  Response delete_form(Call& c) {
    auto done = delete_person(dir_, c.req, c.who, c.id());
    if (auto* r = std::get_if<Refused>(&done)) return r->kind == Refused::Kind::forbidden ? Response::text(403, "") : page_refusal(*r, c.id());
    return see_other("/people");
  }

  Response audit_page(Call& c) {
    if (!may(c.who, Action::read_audit_log, kWholeCountry, 0)) return Response::text(403, "");
    auto entries = dir_.audit_log(to_page(c.req.query_param("page")), kPerPage, std::nullopt);
    if (!entries) return unavailable("people", entries.status());
    Data rows{Data::type::list};
    for (const auto& e : *entries) {
      Data row{Data::type::object};
      row.set("at", web::format_time(c.req.lang, e.at, true));
      row.set("at_utc", e.at);  // for <time datetime>
      row.set("actor", e.actor_name);
      // The action in words; an action without a label yet shows its name rather than nothing.
      const std::string key = "audit.did." + e.action;
      const std::string& label = app_.text(c.req, key);
      row.set("action", label == key ? e.action : label);
      row.set("subject", e.subject_name);
      row.set("detail", e.detail);
      row.set("address", e.address);
      rows.push_back(row);
    }
    Data d{Data::type::object};
    d.set("entries", rows);
    return app_.page(c.req, "audit", app_.text(c.req, "audit.title"), d);
  }

 private:
  static Response private_json(int status, json::object body) {
    Response res = Response::json(status, json::serialize(body));
    res.set_header("Cache-Control", "private, no-store");
    return res;
  }
  static Response no_content(const Outcome<Done>& done) {
    if (auto* r = std::get_if<Refused>(&done)) return api_refusal(*r);
    Response res;
    res.status = 204;
    return res;
  }
  static Data import_report_data(const ImportPlan& plan, bool dry_run) {
    Data report{Data::type::object};
    report.set("dry_run", dry_run);
    report.set("created", std::to_string(plan.created));
    report.set("updated", std::to_string(plan.updated));
    report.set("unchanged", std::to_string(plan.unchanged));
    report.set("rejected", std::to_string(plan.rejected));
    Data rejected{Data::type::list}, created{Data::type::list};
    for (const auto& row : plan.rows) {
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
    if (plan.rejected) report.set("has_rejected", true);
    if (!created.is_empty_list()) report.set("has_created", true);
    return report;
  }

  App& app_;
  Directory& dir_;
  Store& store_;
  reference::Store& reference_;
};

}  // namespace

void add_people_routes(App& app, Directory& dir, Store& store, reference::Store& reference) {
  auto& r = app.router();
  auto p = std::make_shared<People>(app, dir, store, reference);
  auto on = [&dir, p](Body body, Response (People::*handler)(Call&)) { return signed_in(dir, body, std::bind_front(handler, p)); };

  r.add("GET", "/api/v1/people", on(Body::none, &People::list_api));
  r.add("GET", "/api/v1/people/{id}", on(Body::none, &People::person_api));
  r.add("POST", "/api/v1/people/{id}/roles", on(Body::json, &People::grant_api));
  r.add("DELETE", "/api/v1/people/{id}/roles/{grant}", on(Body::none, &People::revoke_api));
  r.add("GET", "/api/v1/audit-log", on(Body::none, &People::audit_api));
  r.add("DELETE", "/api/v1/people/{id}", on(Body::none, &People::delete_api));
  r.add("POST", "/api/v1/people/{id}/setup-code", on(Body::none, &People::setup_code_api));
  r.add("POST", "/api/v1/people/import", on(Body::none, &People::import_api)).body_type = "text/csv";

  r.add("GET", "/people/import/template.csv", [](Request&) {
    Response res = Response::text(200, people_import_template(), "text/csv; charset=utf-8");
    res.set_header("Content-Disposition", "attachment; filename=\"mau-nhap-nguoi-hoc.csv\"");
    return res;
  }, web::Execution::io);
  r.add("GET", "/people/import", on(Body::none, &People::import_page));
  r.add("POST", "/people/import", on(Body::upload, &People::import_form));
  r.add("GET", "/people", on(Body::none, &People::list_page));
  r.add("GET", "/people/{id}", on(Body::none, &People::person_page));
  r.add("POST", "/people/{id}/roles", on(Body::form, &People::grant_form));
  r.add("POST", "/people/{id}/setup-code", on(Body::form, &People::setup_code_form));
  r.add("POST", "/people/{id}/delete", on(Body::form, &People::delete_form));
  r.add("POST", "/people/{id}/roles/{grant}/revoke", on(Body::form, &People::revoke_form));
  r.add("GET", "/audit", on(Body::none, &People::audit_page));
}

}  // namespace hocvu::accounts
