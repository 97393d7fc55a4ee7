#include "accounts/routes.h"

#include "accounts/authorization.h"
#include "accounts/directory.h"
#include "accounts/identity.h"
#include "accounts/json.h"
#include "accounts/route_support.h"
#include "accounts/service.h"
#include "core/log.h"
#include "core/time.h"
#include "reference/store.h"
#include "web/app.h"
#include "web/form.h"
#include "web/request_target.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <charconv>
#include <variant>

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

std::string field(const web::Fields& form, std::string_view name) {
  for (const auto& [k, v] : form)
    if (k == name) return v;
  return {};
}

Response unavailable(const Status& s) {
  log_error("accounts unavailable", {{"error", s.message()}});
  return Response::text(503, "");
}

// A JSON request body as an object, or the API error that says why not. (The App has already
// refused a body that is not JSON with 415.)
std::variant<json::object, Response> json_body(const Request& req) {
  boost::system::error_code ec;
  auto v = json::parse(req.body, ec);
  if (ec || !v.is_object()) return App::api_error(400, "bad_request", "Nội dung gửi lên không phải một đối tượng JSON hợp lệ.");
  return std::move(v.as_object());
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

Data person_data(const Person& p) {
  Data d{Data::type::object};
  d.set("full_name", p.full_name);
  d.set("national_id", p.national_id.value_or(""));
  d.set("phone", p.phone.value_or(""));
  d.set("birth_date", p.birth_date.value_or(""));
  d.set("target_group", p.target_group);
  d.set("unit_code", p.unit_code);
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
// Each is a named function; add_routes registers them.
class Accounts {
 public:
  Accounts(App& app, Service& service, Directory& directory, reference::Store& reference)
      : app(app), service(service), directory(directory), reference(reference) {}

  Response register_api(Request& req) {
    auto body = json_body(req);
    if (auto* err = std::get_if<Response>(&body)) return std::move(*err);
    const auto& o = std::get<json::object>(body);
    web::FieldErrors type_errors;
    RegistrationForm form{member(o, "full_name", type_errors), member(o, "national_id", type_errors),
                          member(o, "phone", type_errors),     member(o, "password", type_errors),
                          member(o, "birth_date", type_errors), member(o, "target_group", type_errors),
                          member(o, "unit_code", type_errors)};
    if (!type_errors.empty()) return App::api_error(422, "invalid_field", "Một số trường chưa hợp lệ.", type_errors);
    auto result = service.register_person(form, req.remote_address, std::chrono::system_clock::now());
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

  Response sign_in_api(Request& req) {
    auto body = json_body(req);
    if (auto* err = std::get_if<Response>(&body)) return std::move(*err);
    const auto& o = std::get<json::object>(body);
    web::FieldErrors type_errors;
    std::string login = member(o, "login", type_errors), password = member(o, "password", type_errors);
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

  Response first_sign_in_api(Request& req) {
    auto body = json_body(req);
    if (auto* err = std::get_if<Response>(&body)) return std::move(*err);
    const auto& o = std::get<json::object>(body);
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

  Response sign_out_api(Request& req) {
    if (!req.user_id) return Response::text(401, "");
    if (auto st = service.sign_out(req.session_token); !st.ok()) return unavailable(st);
    Response res;
    res.status = 204;
    res.add_header("Set-Cookie", expired_session_cookie(req));
    return res;
  }

  Response me_api(Request& req) {
    if (!req.user_id) return Response::text(401, "");
    auto person = directory.person(req.user_id);
    if (!person) return unavailable(person.status());
    if (!*person) return Response::text(401, "");
    Response res = Response::json(200, json::serialize(person_json(**person)));
    res.set_header("Cache-Control", "private, no-store");
    return res;
  }

  // The signed-in person, fresh from the database, or the response to send instead.
  std::variant<Person, Response> me(Request& req) {
    if (!req.user_id) return req.wants_json() ? Response::text(401, "") : redirect("/sign-in");
    auto person = directory.person(req.user_id);
    if (!person) return unavailable(person.status());
    if (!*person) return req.wants_json() ? Response::text(401, "") : redirect("/sign-in");
    return std::move(**person);
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

  Response tokens_api(Request& req) {
    auto who = me(req);
    if (auto* res = std::get_if<Response>(&who)) return std::move(*res);
    auto tokens = service.api_tokens(std::get<Person>(who));
    if (!tokens) return unavailable(tokens.status());
    json::array items;
    for (const auto& t : *tokens) items.push_back(token_json(t));
    Response res = Response::json(200, json::serialize(json::object{{"items", std::move(items)}}));
    res.set_header("Cache-Control", "private, no-store");
    return res;
  }

  Response create_token_api(Request& req) {
    auto who = me(req);
    if (auto* res = std::get_if<Response>(&who)) return std::move(*res);
    auto body = json_body(req);
    if (auto* err = std::get_if<Response>(&body)) return std::move(*err);
    const auto& o = std::get<json::object>(body);
    web::FieldErrors errors;
    std::string name = member(o, "name", errors), scopes = member(o, "scopes", errors);
    auto scope = parse_scopes(scopes);
    if (name.empty() || name.size() > 100) errors.emplace_back("name", "Hãy đặt tên cho khóa (tối đa 100 ký tự), ví dụ: hệ thống nhân sự.");
    if (!scope) errors.emplace_back("scopes", "Quyền phải là \"read\" (chỉ đọc) hoặc \"read write\" (đọc và ghi).");
    if (!errors.empty()) return App::api_error(422, "invalid_field", "Một số trường chưa hợp lệ.", errors);
    auto created = service.create_api_token(std::get<Person>(who), name, *scope, std::chrono::system_clock::now());
    if (!created) return unavailable(created.status());
    auto body_json = token_json(created->token);
    body_json["token"] = created->secret;
    Response res = Response::json(201, json::serialize(body_json));
    res.set_header("Cache-Control", "no-store");
    return res;
  }

  Response revoke_token_api(Request& req) {
    auto who = me(req);
    if (auto* res = std::get_if<Response>(&who)) return std::move(*res);
    std::int64_t id = 0;
    auto text = req.path_param("id");
    std::from_chars(text.data(), text.data() + text.size(), id);
    auto st = service.revoke_api_token(std::get<Person>(who), id);
    if (st.code() == ErrorCode::not_found) return Response::text(404, "");
    if (!st.ok()) return unavailable(st);
    Response res;
    res.status = 204;
    return res;
  }

  Response create_token_form(Request& req) {
    auto who = me(req);
    if (auto* res = std::get_if<Response>(&who)) return std::move(*res);
    auto form = web::parse_form(req.body);
    if (!form) return Response::text(400, "");
    if (!App::csrf_ok(req, *form)) return Response::text(403, "");
    std::string name = field(*form, "name");
    auto scope = parse_scopes(field(*form, "scopes"));
    if (name.empty() || name.size() > 100 || !scope) return redirect("/me?done=token_invalid");
    auto created = service.create_api_token(std::get<Person>(who), name, *scope, std::chrono::system_clock::now());
    if (!created) return unavailable(created.status());
    Data d{Data::type::object};
    d.set("name", name);
    d.set("token", created->secret);
    Response page = app.page(req, "token_created", app.text(req, "tokens.created_title"), d);
    page.set_header("Cache-Control", "private, no-store");
    return page;
  }

  Response revoke_token_form(Request& req) {
    auto who = me(req);
    if (auto* res = std::get_if<Response>(&who)) return std::move(*res);
    auto form = web::parse_form(req.body);
    if (!form) return Response::text(400, "");
    if (!App::csrf_ok(req, *form)) return Response::text(403, "");
    std::int64_t id = 0;
    auto text = req.path_param("id");
    std::from_chars(text.data(), text.data() + text.size(), id);
    auto st = service.revoke_api_token(std::get<Person>(who), id);
    if (!st.ok() && st.code() != ErrorCode::not_found) return unavailable(st);
    return redirect("/me?done=token_revoked");
  }

  Response update_me_api(Request& req) {
    auto who = me(req);
    if (auto* res = std::get_if<Response>(&who)) return std::move(*res);
    const Person& p = std::get<Person>(who);
    auto body = json_body(req);
    if (auto* err = std::get_if<Response>(&body)) return std::move(*err);
    const auto& o = std::get<json::object>(body);
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

  Response change_password_api(Request& req) {
    auto who = me(req);
    if (auto* res = std::get_if<Response>(&who)) return std::move(*res);
    auto body = json_body(req);
    if (auto* err = std::get_if<Response>(&body)) return std::move(*err);
    const auto& o = std::get<json::object>(body);
    web::FieldErrors type_errors;
    std::string current = member(o, "current_password", type_errors), next = member(o, "new_password", type_errors);
    if (!type_errors.empty()) return App::api_error(422, "invalid_field", "Một số trường chưa hợp lệ.", type_errors);
    auto errors = service.change_password(std::get<Person>(who), current, next, req.session_token, std::chrono::system_clock::now());
    if (!errors) return unavailable(errors.status());
    if (!errors->empty()) return App::api_error(422, "invalid_field", errors->front().second, *errors);
    Response res;
    res.status = 204;
    return res;
  }

  Response sign_out_elsewhere_api(Request& req) {
    auto who = me(req);
    if (auto* res = std::get_if<Response>(&who)) return std::move(*res);
    if (auto st = service.sign_out_elsewhere(std::get<Person>(who), req.session_token); !st.ok()) return unavailable(st);
    Response res;
    res.status = 204;
    return res;
  }

  Response request_deletion_api(Request& req) {
    auto who = me(req);
    if (auto* res = std::get_if<Response>(&who)) return std::move(*res);
    // The body is optional: {"reason": "..."}.
    std::string reason;
    if (!req.body.empty()) {
      auto body = json_body(req);
      if (auto* err = std::get_if<Response>(&body)) return std::move(*err);
      web::FieldErrors type_errors;
      reason = member(std::get<json::object>(body), "reason", type_errors).substr(0, 1000);
      if (!type_errors.empty()) return App::api_error(422, "invalid_field", "Một số trường chưa hợp lệ.", type_errors);
    }
    if (auto st = directory.request_deletion(std::get<Person>(who).id, reason, format_utc(std::chrono::system_clock::now())); !st.ok())
      return unavailable(st);
    Response res = Response::json(202, R"({"status":"requested"})");
    return res;
  }

  Response request_deletion_form(Request& req) {
    auto who = me(req);
    if (auto* res = std::get_if<Response>(&who)) return std::move(*res);
    auto form = web::parse_form(req.body);
    if (!form) return Response::text(400, "");
    if (!App::csrf_ok(req, *form)) return Response::text(403, "");
    if (auto st = directory.request_deletion(std::get<Person>(who).id, field(*form, "reason").substr(0, 1000),
                                             format_utc(std::chrono::system_clock::now()));
        !st.ok())
      return unavailable(st);
    return redirect("/me?done=deletion");
  }

  Response personal_data_api(Request& req) {
    auto who = me(req);
    if (auto* res = std::get_if<Response>(&who)) return std::move(*res);
    auto data = service.personal_data(std::get<Person>(who), req.session_token);
    if (!data) return unavailable(data.status());
    Response res = Response::json(200, json::serialize(personal_data_json(*data)));
    res.set_header("Content-Disposition", "attachment; filename=\"hocvu-du-lieu-cua-toi.json\"");
    res.set_header("Cache-Control", "private, no-store");
    return res;
  }

  Response register_page(Request& req) {
    if (req.user_id) return redirect("/me");
    return app.page(req, "register", app.text(req, "register.title"),
                    registration_data(req, reference, RegistrationForm{}, {}));
  }

  Response register_form(Request& req) {
    auto form = web::parse_form(req.body);
    if (!form) return Response::text(400, "");
    if (!App::csrf_ok(req, *form)) return Response::text(403, "");
    RegistrationForm v{field(*form, "full_name"),  field(*form, "national_id"), field(*form, "phone"),
                       field(*form, "password"),   field(*form, "birth_date"),  field(*form, "target_group"),
                       field(*form, "unit_code")};
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
      v.password.clear();  // never sent back
      return app.page(req, "register", app.text(req, "register.title_errors"),
                      registration_data(req, reference, v, result->errors), result->conflict ? 409 : 422);
    }
    auto session = service.start_session(*result->person, client_of(req), now);
    if (!session) return unavailable(session.status());
    Response res = redirect("/me");
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

  Response sign_in_form(Request& req) {
    auto form = web::parse_form(req.body);
    if (!form) return Response::text(400, "");
    if (!App::csrf_ok(req, *form)) return Response::text(403, "");
    std::string login = field(*form, "login");
    auto result = service.sign_in(login, field(*form, "password"), client_of(req), std::chrono::system_clock::now());
    if (!result) return unavailable(result.status());
    using Outcome = Service::SignedIn::Outcome;
    std::string next = field(*form, "next");
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

  Response first_sign_in_form(Request& req) {
    auto form = web::parse_form(req.body);
    if (!form) return Response::text(400, "");
    if (!App::csrf_ok(req, *form)) return Response::text(403, "");
    std::string login = field(*form, "login");
    auto result = service.first_sign_in(login, field(*form, "code"), field(*form, "new_password"), client_of(req),
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

  Response sign_out_form(Request& req) {
    auto form = web::parse_form(req.body);
    if (!form) return Response::text(400, "");
    if (!App::csrf_ok(req, *form)) return Response::text(403, "");
    if (req.user_id)
      if (auto st = service.sign_out(req.session_token); !st.ok()) return unavailable(st);
    Response res = redirect("/");
    res.add_header("Set-Cookie", expired_session_cookie(req));
    return res;
  }

  Response me_page(Request& req) {
    auto who = me(req);
    if (auto* res = std::get_if<Response>(&who)) return std::move(*res);
    const Person& p = std::get<Person>(who);
    auto data = service.personal_data(p, req.session_token);
    if (!data) return unavailable(data.status());
    Data d{Data::type::object};
    d.set("person", person_data(p));
    d.set("session_count", std::to_string(data->sessions.size()));
    if (auto principal = load_principal(directory, p.id)) {
      if (may_somewhere(*principal, Action::list_people)) d.set("manages", true);
      if (may(*principal, Action::read_audit_log, kWholeCountry, 0)) d.set("audits", true);
    }
    if (data->sessions.size() > 1) d.set("other_sessions", true);
    if (auto pending = directory.deletion_requested_at(p.id); pending && *pending) d.set("deletion_requested", (**pending).substr(0, 10));
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

  Response edit_me_page(Request& req) {
    auto who = me(req);
    if (auto* res = std::get_if<Response>(&who)) return std::move(*res);
    const Person& p = std::get<Person>(who);
    Service::ProfileForm v{p.full_name, p.phone.value_or(""), p.email.value_or(""), p.target_group, p.unit_code};
    return app.page(req, "me_edit", app.text(req, "me.edit_title"), profile_form_data(req, reference, v, {}));
  }

  Response edit_me_form(Request& req) {
    auto who = me(req);
    if (auto* res = std::get_if<Response>(&who)) return std::move(*res);
    auto form = web::parse_form(req.body);
    if (!form) return Response::text(400, "");
    if (!App::csrf_ok(req, *form)) return Response::text(403, "");
    Service::ProfileForm v{field(*form, "full_name"), field(*form, "phone"), field(*form, "email"),
                           field(*form, "target_group"), field(*form, "unit_code")};
    auto result = service.update_profile(std::get<Person>(who), v, std::chrono::system_clock::now());
    if (!result) return unavailable(result.status());
    if (!result->errors.empty())
      return app.page(req, "me_edit", app.text(req, "me.edit_title_errors"), profile_form_data(req, reference, v, result->errors),
                      result->conflict ? 409 : 422);
    return redirect("/me?done=profile");
  }

  Response password_page(Request& req) {
    auto who = me(req);
    if (auto* res = std::get_if<Response>(&who)) return std::move(*res);
    return app.page(req, "me_password", app.text(req, "me.password_title"), web::form_errors({}));
  }

  Response password_form(Request& req) {
    auto who = me(req);
    if (auto* res = std::get_if<Response>(&who)) return std::move(*res);
    auto form = web::parse_form(req.body);
    if (!form) return Response::text(400, "");
    if (!App::csrf_ok(req, *form)) return Response::text(403, "");
    auto errors = service.change_password(std::get<Person>(who), field(*form, "current_password"), field(*form, "new_password"),
                                          req.session_token, std::chrono::system_clock::now());
    if (!errors) return unavailable(errors.status());
    if (!errors->empty()) return app.page(req, "me_password", app.text(req, "me.password_title_errors"), web::form_errors(*errors), 422);
    return redirect("/me?done=password");
  }

  Response sign_out_others_form(Request& req) {
    auto who = me(req);
    if (auto* res = std::get_if<Response>(&who)) return std::move(*res);
    auto form = web::parse_form(req.body);
    if (!form) return Response::text(400, "");
    if (!App::csrf_ok(req, *form)) return Response::text(403, "");
    if (auto st = service.sign_out_elsewhere(std::get<Person>(who), req.session_token); !st.ok()) return unavailable(st);
    return redirect("/me?done=sessions");
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
  // Routes that hash or verify a password (argon2id, 19 MiB and tens of milliseconds each) run on
  // the server's hashing pool, never on the workers that serve database requests.
  constexpr auto kHashes = web::Execution::hashing;
  r.add("POST", "/api/v1/accounts", std::bind_front(&Accounts::register_api, a), kHashes);
  r.add("POST", "/api/v1/sessions", std::bind_front(&Accounts::sign_in_api, a), kHashes);
  r.add("POST", "/api/v1/sessions/setup", std::bind_front(&Accounts::first_sign_in_api, a), kHashes);
  r.add("DELETE", "/api/v1/sessions/current", std::bind_front(&Accounts::sign_out_api, a));
  r.add("GET", "/api/v1/me", std::bind_front(&Accounts::me_api, a));
  r.add("GET", "/api/v1/me/tokens", std::bind_front(&Accounts::tokens_api, a));
  r.add("POST", "/api/v1/me/tokens", std::bind_front(&Accounts::create_token_api, a));
  r.add("DELETE", "/api/v1/me/tokens/{id}", std::bind_front(&Accounts::revoke_token_api, a));
  r.add("POST", "/me/tokens", std::bind_front(&Accounts::create_token_form, a));
  r.add("POST", "/me/tokens/{id}/revoke", std::bind_front(&Accounts::revoke_token_form, a));
  r.add("PATCH", "/api/v1/me", std::bind_front(&Accounts::update_me_api, a));
  r.add("POST", "/api/v1/me/password", std::bind_front(&Accounts::change_password_api, a), kHashes);
  r.add("DELETE", "/api/v1/me/sessions", std::bind_front(&Accounts::sign_out_elsewhere_api, a));
  r.add("POST", "/api/v1/me/deletion-request", std::bind_front(&Accounts::request_deletion_api, a));
  r.add("POST", "/me/deletion-request", std::bind_front(&Accounts::request_deletion_form, a));
  r.add("GET", "/api/v1/me/data", std::bind_front(&Accounts::personal_data_api, a));
  r.add("GET", "/register", std::bind_front(&Accounts::register_page, a));
  r.add("POST", "/register", std::bind_front(&Accounts::register_form, a), kHashes);
  r.add("GET", "/sign-in", std::bind_front(&Accounts::sign_in_page, a));
  r.add("POST", "/sign-in", std::bind_front(&Accounts::sign_in_form, a), kHashes);
  r.add("GET", "/first-sign-in", std::bind_front(&Accounts::first_sign_in_page, a));
  r.add("POST", "/first-sign-in", std::bind_front(&Accounts::first_sign_in_form, a), kHashes);
  r.add("POST", "/sign-out", std::bind_front(&Accounts::sign_out_form, a));
  r.add("GET", "/me", std::bind_front(&Accounts::me_page, a));
  r.add("GET", "/me/edit", std::bind_front(&Accounts::edit_me_page, a));
  r.add("POST", "/me/edit", std::bind_front(&Accounts::edit_me_form, a));
  r.add("GET", "/me/password", std::bind_front(&Accounts::password_page, a));
  r.add("POST", "/me/password", std::bind_front(&Accounts::password_form, a), kHashes);
  r.add("POST", "/me/sessions/sign-out-others", std::bind_front(&Accounts::sign_out_others_form, a));
}

}  // namespace hocvu::accounts
