#include "accounts/routes.h"

#include "accounts/authorization.h"
#include "accounts/call.h"
#include "accounts/directory.h"
#include "accounts/identity.h"
#include "accounts/json.h"
#include "accounts/route_support.h"
#include "accounts/service.h"
#include "core/log.h"
#include "core/time.h"
#include "reference/store.h"
#include "web/app.h"
#include "web/format.h"
#include "web/form.h"
#include "web/request_target.h"

#include <boost/json/serialize.hpp>

namespace hocvu::accounts {
namespace {

using web::App;
using web::redirect;
using web::Data;
using web::Request;
using web::Response;
namespace json = boost::json;

constexpr std::string_view kSessionCookie = "hocvu_session";
// The OWASP device cookie: this browser has signed in to these accounts before (service.h).
constexpr std::string_view kDeviceCookie = "hocvu_device";
// It lives as long as its trust in the database (kDeviceTrustLifetime), renewed at every sign-in.
constexpr long kDeviceCookieSeconds = std::chrono::duration_cast<std::chrono::seconds>(kDeviceTrustLifetime).count();

std::string session_cookie(const Request& req, const std::string& token) {
  auto seconds = std::chrono::duration_cast<std::chrono::seconds>(kSessionLifetime).count();
  return web::set_cookie(req, kSessionCookie, token, "HttpOnly; SameSite=Lax; Max-Age=" + std::to_string(seconds));
}
std::string expired_session_cookie(const Request& req) {
  return web::set_cookie(req, kSessionCookie, "", "HttpOnly; SameSite=Lax; Max-Age=0");
}
std::string device_cookie(const Request& req, const std::string& token) {
  return web::set_cookie(req, kDeviceCookie, token, "HttpOnly; SameSite=Lax; Max-Age=" + std::to_string(kDeviceCookieSeconds));
}

Service::Client client_of(const Request& req) {
  return {req.remote_address, std::string(req.header("User-Agent")), std::string(req.cookie(web::cookie_name(req, kDeviceCookie)))};
}

// The session and device cookies of a successful sign-in, and its delay.
void signed_in_cookies(const Request& req, Response& res, const Service::SignedIn& s) {
  res.add_header("Set-Cookie", session_cookie(req, s.token));
  if (!s.device.empty()) res.add_header("Set-Cookie", device_cookie(req, s.device));
  res.delay = s.delay;
}

Response unavailable(const Status& s) {
  log_error("accounts unavailable", {{"error", s.message()}});
  return Response::text(503, "");
}

// A string member of a JSON object ("" when absent); a member of another type is a field error.
std::string member(const json::object& o, std::string_view name, web::FieldErrors& errors) {
  auto it = o.find(name);
  if (it == o.end() || it->value().is_null()) return {};
  if (!it->value().is_string()) {
    errors.emplace_back(std::string(name), "Giá trị phải là một chuỗi ký tự.");
    return {};
  }
  return std::string(it->value().as_string());
}

Response registrations_throttled(long seconds) {
  Response r = App::api_error(429, "throttled",
                              "Có quá nhiều lượt đăng ký từ địa chỉ mạng này. Hãy thử lại sau " + std::to_string((seconds + 59) / 60) +
                                  " phút.");
  r.set_header("Retry-After", std::to_string(seconds));
  return r;
}

Response throttled(long seconds) {
  Response r = App::api_error(429, "throttled",
                              "Bạn đã đăng nhập sai quá nhiều lần. Hãy thử lại sau " + std::to_string((seconds + 59) / 60) + " phút.");
  r.set_header("Retry-After", std::to_string(seconds));
  return r;
}

// Data for the registration form: kept values, errors beside fields and in a summary, choices.
Data registration_data(const Request& req, reference::Store& reference, const RegistrationForm& v,
                       const web::FieldErrors& errors) {
  Data d = web::form_errors(errors);
  Data values{Data::type::object};
  values.set("full_name", v.full_name);
  values.set("national_id", v.national_id);
  values.set("phone", v.phone);
  values.set("birth_date", v.birth_date);
  d.set("v", values);
  Data groups{Data::type::list};
  if (auto gs = reference.target_groups())
    for (const auto& g : *gs) {
      Data item{Data::type::object};
      item.set("code", g.code);
      item.set("name", g.name.pick(req.lang));
      if (g.code == v.target_group) item.set("checked", true);
      groups.push_back(item);
    }
  d.set("groups", groups);
  Data units{Data::type::list};
  if (auto ps = reference.provinces())
    for (const auto& p : *ps) {
      Data item{Data::type::object};
      item.set("code", p.code);
      item.set("name", p.short_name);
      if (p.code == v.unit_code) item.set("selected", true);
      units.push_back(item);
    }
  d.set("units", units);
  return d;
}

// The person's own details in words: names for their group and unit, the date day first.
Data person_data(const Person& p, Words& words, std::string_view lang) {
  Data d{Data::type::object};
  d.set("full_name", p.full_name);
  d.set("national_id", p.national_id.value_or(""));
  d.set("phone", p.phone.value_or(""));
  d.set("birth_date", web::format_date(lang, p.birth_date.value_or("")));
  d.set("target_group", words.group(p.target_group));
  d.set("unit_code", words.unit(p.unit_code));
  d.set("email", p.email.value_or(""));
  return d;
}

Data profile_form_data(const Request& req, reference::Store& reference, const Service::ProfileForm& v,
                       const web::FieldErrors& errors) {
  RegistrationForm as_registration{v.full_name, "", v.phone, "", "", v.target_group, v.unit_code};
  Data d = registration_data(req, reference, as_registration, errors);
  Data values{Data::type::object};
  values.set("full_name", v.full_name);
  values.set("phone", v.phone);
  values.set("email", v.email);
  d.set("v", values);
  return d;
}


json::object personal_data_json(const Service::PersonalData& data) {
  json::array sessions;
  for (const auto& s : data.sessions)
    sessions.push_back(json::object{{"created_at", s.created_at}, {"expires_at", s.expires_at},
                                    {"user_agent", s.user_agent}, {"current", s.current}});
  return json::object{{"format", "hocvu-personal-data/1"},
                      {"person", person_json(data.person)},
                      {"sessions", std::move(sessions)}};
}

// The accounts routes' handlers: registration, sign-in, the signed-in person's own pages and API.
// Each is a named function; add_routes registers them. Registration, sign-in, first sign-in and
// sign-out admit callers who are not signed in, so they stand behind `anyone` (the body checks
// alone); every other route acts on the caller's own account, behind `signed_in`, and takes the
// caller's record read fresh (add_routes' `own`).
class Accounts {
 public:
  Accounts(App& app, Service& service, Directory& directory, reference::Store& reference)
      : app(app), service(service), directory(directory), reference(reference) {}

  // --- anyone: registration, sign-in, first sign-in, sign-out ---
  Response register_api(Call& call) {
    const auto& o = call.json;
    web::FieldErrors type_errors;
    RegistrationForm form{member(o, "full_name", type_errors), member(o, "national_id", type_errors),
                          member(o, "phone", type_errors),     member(o, "password", type_errors),
                          member(o, "birth_date", type_errors), member(o, "target_group", type_errors),
                          member(o, "unit_code", type_errors)};
    if (!type_errors.empty()) return App::api_error(422, "invalid_field", "Một số trường chưa hợp lệ.", type_errors);
    auto result = service.register_person(form, call.req.remote_address, std::chrono::system_clock::now());
    if (!result) return unavailable(result.status());
    if (result->retry_after > 0) return registrations_throttled(result->retry_after);
    if (result->conflict)
      return App::api_error(409, "conflict", result->errors.front().second, result->errors);
    if (!result->errors.empty())
      return App::api_error(422, "invalid_field", "Một số trường chưa hợp lệ. Hãy sửa rồi gửi lại.", result->errors);
    Response res = Response::json(201, json::serialize(person_json(*result->person)));
    res.set_header("Location", "/api/v1/me");
    return res;
  }

  Response sign_in_api(Call& call) {
    Request& req = call.req;
    web::FieldErrors type_errors;
    std::string login = member(call.json, "login", type_errors), password = member(call.json, "password", type_errors);
    if (!type_errors.empty()) return App::api_error(422, "invalid_field", "Một số trường chưa hợp lệ.", type_errors);
    auto result = service.sign_in(login, password, client_of(req), std::chrono::system_clock::now());
    if (!result) return unavailable(result.status());
    using Outcome = Service::SignedIn::Outcome;
    Response res;
    if (result->outcome == Outcome::throttled) {
      res = throttled(result->retry_after);
    } else if (result->outcome != Outcome::ok) {
      res = App::api_error(401, "invalid_credentials", "Số CCCD, số điện thoại hoặc mật khẩu không đúng.");
    } else {
      res = Response::json(201, json::serialize(json::object{{"token", result->token},
                                                             {"expires_at", result->expires_at},
                                                             {"person", person_json(*result->person)}}));
      signed_in_cookies(req, res, *result);
    }
    res.delay = result->delay;
    res.set_header("Cache-Control", "no-store");
    return res;
  }

  Response first_sign_in_api(Call& call) {
    Request& req = call.req;
    const auto& o = call.json;
    web::FieldErrors type_errors;
    std::string login = member(o, "login", type_errors), code = member(o, "code", type_errors),
                password = member(o, "new_password", type_errors);
    if (!type_errors.empty()) return App::api_error(422, "invalid_field", "Một số trường chưa hợp lệ.", type_errors);
    auto result = service.first_sign_in(login, code, password, client_of(req), std::chrono::system_clock::now());
    if (!result) return unavailable(result.status());
    using Outcome = Service::SignedIn::Outcome;
    Response res;
    if (!result->errors.empty()) {
      res = App::api_error(422, "invalid_field", result->errors.front().second, result->errors);
    } else if (result->signed_in.outcome == Outcome::throttled) {
      res = throttled(result->signed_in.retry_after);
    } else if (result->signed_in.outcome != Outcome::ok) {
      res = App::api_error(401, "invalid_credentials", "Số CCCD, số điện thoại hoặc mã đăng nhập lần đầu không đúng.");
    } else {
      res = Response::json(201, json::serialize(json::object{{"token", result->signed_in.token},
                                                             {"expires_at", result->signed_in.expires_at},
                                                             {"person", person_json(*result->signed_in.person)}}));
      signed_in_cookies(req, res, result->signed_in);
    }
    res.delay = result->signed_in.delay;
    res.set_header("Cache-Control", "no-store");
    return res;
  }

  Response register_page(Request& req) {
    if (req.user_id) return redirect("/me");
    return app.page(req, "register", app.text(req, "register.title"),
                    registration_data(req, reference, RegistrationForm{}, {}));
  }

  Response register_form(Call& call) {
    Request& req = call.req;
    RegistrationForm v{call.field("full_name"),  call.field("national_id"), call.field("phone"),
                       call.field("password"),   call.field("birth_date"),  call.field("target_group"),
                       call.field("unit_code")};
    auto now = std::chrono::system_clock::now();
    auto result = service.register_person(v, req.remote_address, now);
    if (!result) return unavailable(result.status());
    if (result->retry_after > 0) {
      v.password.clear();
      Data d = registration_data(req, reference, v, {});
      d.set("error", app.text(req, "register.throttled") + " " + std::to_string((result->retry_after + 59) / 60) + " " +
                         app.text(req, "sign_in.minutes"));
      Response res = app.page(req, "register", app.text(req, "register.title_errors"), d, 429);
      res.set_header("Retry-After", std::to_string(result->retry_after));
      return res;
    }
    if (!result->errors.empty()) {
      // A password that was fine stays in its field (typing it again on a phone is where people
      // give up; the page is never cached); one that was refused is not sent back.
      const bool password_refused = std::any_of(result->errors.begin(), result->errors.end(),
                                                [](const auto& e) { return e.first == "password"; });
      if (password_refused) v.password.clear();
      Data d = registration_data(req, reference, v, result->errors);
      if (!password_refused) d.set("password", v.password);
      return app.page(req, "register", app.text(req, "register.title_errors"), d, result->conflict ? 409 : 422);
    }
    auto session = service.start_session(*result->person, client_of(req), now);
    if (!session) return unavailable(session.status());
    // A welcome and a first step, not the account details.
    Response res = redirect("/learn?welcome=1");
    signed_in_cookies(req, res, *session);
    return res;
  }

  // ?next= brings the person back to the page that asked them to sign in (a local path only).
  Response sign_in_page(Request& req) {
    std::string next(req.query_param("next"));
    if (!web::safe_local_target(next)) next.clear();
    if (req.user_id) return redirect(next.empty() ? "/me" : next);
    Data d{Data::type::object};
    d.set("next", next);
    return app.page(req, "sign_in", app.text(req, "sign_in.title"), d);
  }

  Response sign_in_form(Call& call) {
    Request& req = call.req;
    std::string login = call.field("login");
    auto result = service.sign_in(login, call.field("password"), client_of(req), std::chrono::system_clock::now());
    if (!result) return unavailable(result.status());
    using Outcome = Service::SignedIn::Outcome;
    std::string next = call.field("next");
    if (result->outcome == Outcome::ok) {
      Response res = redirect(web::safe_local_target(next) ? next : "/me");
      signed_in_cookies(req, res, *result);
      return res;
    }
    Data d{Data::type::object};
    d.set("login", login);
    if (web::safe_local_target(next)) d.set("next", next);
    int status = 401;
    if (result->outcome == Outcome::throttled) {
      status = 429;
      d.set("error", app.text(req, "sign_in.throttled") + " " + std::to_string((result->retry_after + 59) / 60) + " " +
                         app.text(req, "sign_in.minutes"));
    } else {
      d.set("error", app.text(req, "sign_in.failed"));
    }
    Response res = app.page(req, "sign_in", app.text(req, "sign_in.title_errors"), d, status);
    if (status == 429) res.set_header("Retry-After", std::to_string(result->retry_after));
    res.delay = result->delay;
    return res;
  }

  Response first_sign_in_page(Request& req) {
    if (req.user_id) return redirect("/me");
    return app.page(req, "first_sign_in", app.text(req, "first.title"), Data{Data::type::object});
  }

  Response first_sign_in_form(Call& call) {
    Request& req = call.req;
    std::string login = call.field("login");
    auto result = service.first_sign_in(login, call.field("code"), call.field("new_password"), client_of(req),
                                        std::chrono::system_clock::now());
    if (!result) return unavailable(result.status());
    using Outcome = Service::SignedIn::Outcome;
    if (result->errors.empty() && result->signed_in.outcome == Outcome::ok) {
      Response res = redirect("/me");
      signed_in_cookies(req, res, result->signed_in);
      return res;
    }
    Data d{Data::type::object};
    d.set("login", login);
    int status = 401;
    if (!result->errors.empty()) {
      status = 422;
      d.set("error", result->errors.front().second);
    } else if (result->signed_in.outcome == Outcome::throttled) {
      status = 429;
      d.set("error", app.text(req, "sign_in.throttled") + " " + std::to_string((result->signed_in.retry_after + 59) / 60) + " " +
                         app.text(req, "sign_in.minutes"));
    } else {
      d.set("error", app.text(req, "first.failed"));
    }
    Response res = app.page(req, "first_sign_in", app.text(req, "first.title_errors"), d, status);
    if (status == 429) res.set_header("Retry-After", std::to_string(result->signed_in.retry_after));
    res.delay = result->signed_in.delay;
    return res;
  }

  // Signing out of a session that has already ended still clears its cookie.
  Response sign_out_form(Call& call) {
    Request& req = call.req;
    if (req.user_id)
      if (auto st = service.sign_out(req.session_token); !st.ok()) return unavailable(st);
    Response res = redirect("/");
    res.add_header("Set-Cookie", expired_session_cookie(req));
    return res;
  }

  // --- signed in ---
  Response sign_out_api(Call& call) {
    if (auto st = service.sign_out(call.req.session_token); !st.ok()) return unavailable(st);
    Response res;
    res.status = 204;
    res.add_header("Set-Cookie", expired_session_cookie(call.req));
    return res;
  }

  // --- signed in, on the caller's own record (`own`) ---
  Response me_api(Call&, const Person& p) {
    Response res = Response::json(200, json::serialize(person_json(p)));
    res.set_header("Cache-Control", "private, no-store");
    return res;
  }

  // Personal API tokens: the owner creates (shown once), lists and revokes them.
  static json::object token_json(const Store::ApiToken& t) {
    return json::object{{"id", t.id}, {"name", t.name}, {"scopes", t.scopes}, {"created_at", t.created_at}};
  }

  static std::optional<std::string> parse_scopes(std::string_view s) {
    if (s == "read") return std::string("read");
    if (s == "read write" || s == "write") return std::string("read write");
    return std::nullopt;
  }

  Response tokens_api(Call&, const Person& p) {
    auto tokens = service.api_tokens(p);
    if (!tokens) return unavailable(tokens.status());
    json::array items;
    for (const auto& t : *tokens) items.push_back(token_json(t));
    Response res = Response::json(200, json::serialize(json::object{{"items", std::move(items)}}));
    res.set_header("Cache-Control", "private, no-store");
    return res;
  }

  Response create_token_api(Call& call, const Person& p) {
    web::FieldErrors errors;
    std::string name = member(call.json, "name", errors), scopes = member(call.json, "scopes", errors);
    auto scope = parse_scopes(scopes);
    if (name.empty() || name.size() > 100) errors.emplace_back("name", "Hãy đặt tên cho khóa (tối đa 100 ký tự), ví dụ: hệ thống nhân sự.");
    if (!scope) errors.emplace_back("scopes", "Quyền phải là \"read\" (chỉ đọc) hoặc \"read write\" (đọc và ghi).");
    if (!errors.empty()) return App::api_error(422, "invalid_field", "Một số trường chưa hợp lệ.", errors);
    auto created = service.create_api_token(p, name, *scope, std::chrono::system_clock::now());
    if (!created) return unavailable(created.status());
    auto body_json = token_json(created->token);
    body_json["token"] = created->secret;
    Response res = Response::json(201, json::serialize(body_json));
    res.set_header("Cache-Control", "no-store");
    return res;
  }

  Response revoke_token_api(Call& call, const Person& p) {
    auto st = service.revoke_api_token(p, call.id());
    if (st.code() == ErrorCode::not_found) return Response::text(404, "");
    if (!st.ok()) return unavailable(st);
    Response res;
    res.status = 204;
    return res;
  }

  Response create_token_form(Call& call, const Person& p) {
    Request& req = call.req;
    std::string name = call.field("name");
    auto scope = parse_scopes(call.field("scopes"));
    if (name.empty() || name.size() > 100 || !scope) return redirect("/me?done=token_invalid");
    auto created = service.create_api_token(p, name, *scope, std::chrono::system_clock::now());
    if (!created) return unavailable(created.status());
    Data d{Data::type::object};
    d.set("name", name);
    d.set("token", created->secret);
    Response page = app.page(req, "token_created", app.text(req, "tokens.created_title"), d);
    page.set_header("Cache-Control", "private, no-store");
    return page;
  }

  Response revoke_token_form(Call& call, const Person& p) {
    auto st = service.revoke_api_token(p, call.id());
    if (!st.ok() && st.code() != ErrorCode::not_found) return unavailable(st);
    return redirect("/me?done=token_revoked");
  }

  Response update_me_api(Call& call, const Person& p) {
    const auto& o = call.json;
    web::FieldErrors type_errors;
    // PATCH: a field left out keeps its value.
    auto pick = [&](std::string_view name, const std::string& current) {
      return o.contains(name) ? member(o, name, type_errors) : current;
    };
    Service::ProfileForm form{pick("full_name", p.full_name), pick("phone", p.phone.value_or("")),
                              pick("email", p.email.value_or("")), pick("target_group", p.target_group),
                              pick("unit_code", p.unit_code)};
    for (auto fixed : {"national_id", "birth_date"})
      if (o.contains(fixed)) type_errors.emplace_back(fixed, "Không thể tự sửa trường này; hãy nhờ cán bộ quản lý.");
    if (!type_errors.empty()) return App::api_error(422, "invalid_field", "Một số trường chưa hợp lệ.", type_errors);
    auto result = service.update_profile(p, form, std::chrono::system_clock::now());
    if (!result) return unavailable(result.status());
    if (result->conflict) return App::api_error(409, "conflict", result->errors.front().second, result->errors);
    if (!result->errors.empty())
      return App::api_error(422, "invalid_field", "Một số trường chưa hợp lệ. Hãy sửa rồi gửi lại.", result->errors);
    Response res = Response::json(200, json::serialize(person_json(*result->person)));
    res.set_header("Cache-Control", "private, no-store");
    return res;
  }

  Response change_password_api(Call& call, const Person& p) {
    web::FieldErrors type_errors;
    std::string current = member(call.json, "current_password", type_errors), next = member(call.json, "new_password", type_errors);
    if (!type_errors.empty()) return App::api_error(422, "invalid_field", "Một số trường chưa hợp lệ.", type_errors);
    auto errors = service.change_password(p, current, next, call.req.session_token, std::chrono::system_clock::now());
    if (!errors) return unavailable(errors.status());
    if (!errors->empty()) return App::api_error(422, "invalid_field", errors->front().second, *errors);
    Response res;
    res.status = 204;
    return res;
  }

  Response sign_out_elsewhere_api(Call& call, const Person& p) {
    if (auto st = service.sign_out_elsewhere(p, call.req.session_token); !st.ok()) return unavailable(st);
    Response res;
    res.status = 204;
    return res;
  }

  // Registered with Body::none: the body is optional ({"reason": "..."}), and read when sent.
  Response request_deletion_api(Call& call, const Person& p) {
    std::string reason;
    if (!call.req.body.empty()) {
      if (auto refused = read_body(Body::json, call)) return std::move(*refused);
      web::FieldErrors type_errors;
      reason = member(call.json, "reason", type_errors).substr(0, 1000);
      if (!type_errors.empty()) return App::api_error(422, "invalid_field", "Một số trường chưa hợp lệ.", type_errors);
    }
    if (auto st = directory.request_deletion(p.id, reason, format_utc(std::chrono::system_clock::now())); !st.ok())
      return unavailable(st);
    Response res = Response::json(202, R"({"status":"requested"})");
    return res;
  }

  Response request_deletion_form(Call& call, const Person& p) {
    if (auto st = directory.request_deletion(p.id, call.field("reason").substr(0, 1000), format_utc(std::chrono::system_clock::now()));
        !st.ok())
      return unavailable(st);
    return redirect("/me?done=deletion");
  }

  Response personal_data_api(Call& call, const Person& p) {
    auto data = service.personal_data(p, call.req.session_token);
    if (!data) return unavailable(data.status());
    Response res = Response::json(200, json::serialize(personal_data_json(*data)));
    res.set_header("Content-Disposition", "attachment; filename=\"hocvu-du-lieu-cua-toi.json\"");
    res.set_header("Cache-Control", "private, no-store");
    return res;
  }

  Response me_page(Call& call, const Person& p) {
    Request& req = call.req;
    auto data = service.personal_data(p, req.session_token);
    if (!data) return unavailable(data.status());
    Data d{Data::type::object};
    Words words(reference, req.lang);
    d.set("person", person_data(p, words, req.lang));
    d.set("session_count", std::to_string(data->sessions.size()));
    if (may_somewhere(call.who, Action::list_people)) d.set("manages", true);
    if (may(call.who, Action::read_audit_log, kWholeCountry, 0)) d.set("audits", true);
    if (data->sessions.size() > 1) d.set("other_sessions", true);
    if (auto pending = directory.deletion_requested_at(p.id); pending && *pending) d.set("deletion_requested", web::format_date(req.lang, **pending));
    if (auto tokens = service.api_tokens(p)) {
      Data list{Data::type::list};
      for (const auto& t : *tokens) {
        Data item{Data::type::object};
        item.set("id", std::to_string(t.id));
        item.set("name", t.name);
        item.set("scopes", t.scopes == "read" ? app.text(req, "tokens.read") : app.text(req, "tokens.read_write"));
        item.set("created_at", t.created_at.substr(0, 10));
        list.push_back(item);
      }
      d.set("tokens", list);
    }
    std::string_view notice = req.query_param("done");
    if (notice == "profile" || notice == "password" || notice == "sessions" || notice == "token_revoked" || notice == "token_invalid" ||
        notice == "deletion")
      d.set("notice", app.text(req, "me.done_" + std::string(notice)));
    return app.page(req, "me", app.text(req, "me.title"), d);
  }

  Response edit_me_page(Call& call, const Person& p) {
    Service::ProfileForm v{p.full_name, p.phone.value_or(""), p.email.value_or(""), p.target_group, p.unit_code};
    return app.page(call.req, "me_edit", app.text(call.req, "me.edit_title"), profile_form_data(call.req, reference, v, {}));
  }

  Response edit_me_form(Call& call, const Person& p) {
    Request& req = call.req;
    Service::ProfileForm v{call.field("full_name"), call.field("phone"), call.field("email"), call.field("target_group"),
                           call.field("unit_code")};
    auto result = service.update_profile(p, v, std::chrono::system_clock::now());
    if (!result) return unavailable(result.status());
    if (!result->errors.empty())
      return app.page(req, "me_edit", app.text(req, "me.edit_title_errors"), profile_form_data(req, reference, v, result->errors),
                      result->conflict ? 409 : 422);
    return redirect("/me?done=profile");
  }

  Response password_page(Call& call, const Person&) {
    return app.page(call.req, "me_password", app.text(call.req, "me.password_title"), web::form_errors({}));
  }

  Response password_form(Call& call, const Person& p) {
    Request& req = call.req;
    auto errors = service.change_password(p, call.field("current_password"), call.field("new_password"), req.session_token,
                                          std::chrono::system_clock::now());
    if (!errors) return unavailable(errors.status());
    if (!errors->empty()) return app.page(req, "me_password", app.text(req, "me.password_title_errors"), web::form_errors(*errors), 422);
    return redirect("/me?done=password");
  }

  Response sign_out_others_form(Call& call, const Person& p) {
    if (auto st = service.sign_out_elsewhere(p, call.req.session_token); !st.ok()) return unavailable(st);
    return redirect("/me?done=sessions");
  }

  // The caller's own record, read fresh for `handler`; a person deleted since their session was
  // checked is answered as one who is not signed in.
  Response with_own_record(Response (Accounts::*handler)(Call&, const Person&), Call& call) {
    auto person = directory.person(call.who.id);
    if (!person) return unavailable(person.status());
    if (!*person) return not_signed_in(call.req);
    return (this->*handler)(call, **person);
  }

 private:
  App& app;
  Service& service;
  Directory& directory;
  reference::Store& reference;
};

}  // namespace

void add_routes(App& app, Service& service, Directory& directory, reference::Store& reference) {
  app.set_authenticator([&service](Request& req) {
    auto now = std::chrono::system_clock::now();
    std::string bearer(req.bearer_token());
    if (!bearer.empty()) {
      // A session token or a personal API token; a read-only API token authenticates only reads.
      const bool writes = req.method != "GET" && req.method != "HEAD";
      auto who = service.authenticate_bearer(bearer, writes, now);
      if (!who) {
        log_error("token lookup failed", {{"error", who.status().message()}});
        return;
      }
      if (!who->person) return;
      req.user_id = who->person->id;
      req.user_name = who->person->full_name;
      req.session_token = bearer;
      return;
    }
    std::string token(req.cookie(web::cookie_name(req, kSessionCookie)));
    if (token.empty()) return;
    auto person = service.authenticate(token, now);
    if (!person) {
      log_error("session lookup failed", {{"error", person.status().message()}});
      return;
    }
    if (!*person) return;
    req.user_id = (*person)->id;
    req.user_name = (*person)->full_name;
    req.session_token = token;
    req.cookie_authenticated = true;
  });

  auto& r = app.router();
  auto a = std::make_shared<Accounts>(app, service, directory, reference);
  // Registration, sign-in, first sign-in and sign-out admit callers who are not signed in: behind
  // the body checks alone. Every other route is the caller's own account: behind the prologue,
  // with the caller's record (`own`).
  auto anyone = [a](Body body, Response (Accounts::*handler)(Call&)) { return accounts::anyone(body, std::bind_front(handler, a)); };
  auto own = [&directory, a](Body body, Response (Accounts::*handler)(Call&, const Person&)) {
    return signed_in(directory, body, std::bind_front(&Accounts::with_own_record, a, handler));
  };
  // Routes that hash or verify a password (argon2id, 19 MiB and tens of milliseconds each) run on
  // the server's hashing pool, never on the workers that serve database requests.
  constexpr auto kHashes = web::Execution::hashing;
  r.add("POST", "/api/v1/accounts", anyone(Body::json, &Accounts::register_api), kHashes);
  r.add("POST", "/api/v1/sessions", anyone(Body::json, &Accounts::sign_in_api), kHashes);
  r.add("POST", "/api/v1/sessions/setup", anyone(Body::json, &Accounts::first_sign_in_api), kHashes);
  r.add("DELETE", "/api/v1/sessions/current", signed_in(directory, Body::none, std::bind_front(&Accounts::sign_out_api, a)));
  r.add("GET", "/api/v1/me", own(Body::none, &Accounts::me_api));
  r.add("GET", "/api/v1/me/tokens", own(Body::none, &Accounts::tokens_api));
  r.add("POST", "/api/v1/me/tokens", own(Body::json, &Accounts::create_token_api));
  r.add("DELETE", "/api/v1/me/tokens/{id}", own(Body::none, &Accounts::revoke_token_api));
  r.add("POST", "/me/tokens", own(Body::form, &Accounts::create_token_form));
  r.add("POST", "/me/tokens/{id}/revoke", own(Body::form, &Accounts::revoke_token_form));
  r.add("PATCH", "/api/v1/me", own(Body::json, &Accounts::update_me_api));
  r.add("POST", "/api/v1/me/password", own(Body::json, &Accounts::change_password_api), kHashes);
  r.add("DELETE", "/api/v1/me/sessions", own(Body::none, &Accounts::sign_out_elsewhere_api));
  r.add("POST", "/api/v1/me/deletion-request", own(Body::none, &Accounts::request_deletion_api));
  r.add("POST", "/me/deletion-request", own(Body::form, &Accounts::request_deletion_form));
  r.add("GET", "/api/v1/me/data", own(Body::none, &Accounts::personal_data_api));
  r.add("GET", "/register", std::bind_front(&Accounts::register_page, a));
  r.add("POST", "/register", anyone(Body::form, &Accounts::register_form), kHashes);
  r.add("GET", "/sign-in", std::bind_front(&Accounts::sign_in_page, a));
  r.add("POST", "/sign-in", anyone(Body::form, &Accounts::sign_in_form), kHashes);
  r.add("GET", "/first-sign-in", std::bind_front(&Accounts::first_sign_in_page, a));
  r.add("POST", "/first-sign-in", anyone(Body::form, &Accounts::first_sign_in_form), kHashes);
  r.add("POST", "/sign-out", anyone(Body::form, &Accounts::sign_out_form));
  r.add("GET", "/me", own(Body::none, &Accounts::me_page));
  r.add("GET", "/me/edit", own(Body::none, &Accounts::edit_me_page));
  r.add("POST", "/me/edit", own(Body::form, &Accounts::edit_me_form));
  r.add("GET", "/me/password", own(Body::none, &Accounts::password_page));
  r.add("POST", "/me/password", own(Body::form, &Accounts::password_form), kHashes);
  r.add("POST", "/me/sessions/sign-out-others", own(Body::form, &Accounts::sign_out_others_form));
}

}  // namespace hocvu::accounts
