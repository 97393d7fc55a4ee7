#include "accounts/call.h"

#include "accounts/route_support.h"
#include "web/app.h"
#include "web/form.h"
#include "web/request_target.h"

#include <boost/json/parse.hpp>

namespace hocvu::accounts {
namespace {

namespace json = boost::json;
using web::App;
using web::parse_id;
using web::Response;

bool is_api(const web::Request& req) { return req.path.starts_with("/api/"); }

// 400 for a body that cannot be read: the API's JSON error, or the error page.
Response bad_request(const web::Request& req, std::string_view message) {
  return is_api(req) ? App::api_error(400, "bad_request", message) : Response::text(400, "");
}

Response refuse_forgery(const web::Request& req) {
  return is_api(req) ? App::api_error(403, "forbidden", "Yêu cầu không đến từ trang của HọcVụ (thiếu mã chống giả mạo).")
                     : Response::text(403, "");
}

// Who is calling, with their grants; the response to send instead for nobody (not_signed_in)
// or when the grants cannot be read (503).
std::variant<Principal, Response> identify(web::Request& req, Directory& directory) {
  if (!req.user_id) return not_signed_in(req);
  auto who = load_principal(directory, req.user_id);
  if (!who) return unavailable("grants", who.status());
  return std::move(*who);
}

}  // namespace

Response not_signed_in(const web::Request& req) {
  if (req.wants_json()) return Response::text(401, "");
  // Back to the page after signing in; a form post starts again from the page that had it.
  return web::redirect(req.method == "GET" ? "/sign-in?next=" + web::percent_encode(req.target) : std::string("/sign-in"));
}

std::optional<Response> read_body(Body body, Call& call) {
  web::Request& req = call.req;
  switch (body) {
    case Body::none: return std::nullopt;
    case Body::form: {
      auto form = web::parse_form(req.body);
      if (!form) return bad_request(req, "Nội dung biểu mẫu không đọc được.");
      call.form = std::move(*form);
      if (!App::csrf_ok(req, call.form)) return refuse_forgery(req);
      return std::nullopt;
    }
    case Body::json: {
      // The media type was checked by App::run for every API body (any case, +json types).
      boost::system::error_code ec;
      auto v = json::parse(req.body, ec);
      if (ec || !v.is_object()) return bad_request(req, "Nội dung gửi lên không phải một đối tượng JSON hợp lệ.");
      call.json = std::move(v.as_object());
      return std::nullopt;
    }
    case Body::upload: {
      auto upload = web::parse_upload(req);
      if (!upload) return bad_request(req, "Hãy gửi tệp dạng multipart/form-data, trường \"file\".");
      call.upload = std::move(*upload);
      call.form = call.upload.fields;
      if (!is_api(req) && !App::csrf_ok(req, call.form)) return refuse_forgery(req);
      return std::nullopt;
    }
    case Body::parts: {
      auto parts = web::parse_multipart(req.header("Content-Type"), req.body);
      if (!parts) return bad_request(req, "Hãy gửi tệp dạng multipart/form-data, trường \"file\".");
      call.parts = std::move(*parts);
      for (const auto& p : call.parts)
        if (p.filename.empty()) call.form.emplace_back(p.name, p.data);
      if (!is_api(req) && !App::csrf_ok(req, call.form)) return refuse_forgery(req);
      return std::nullopt;
    }
  }
  return std::nullopt;
}

std::int64_t Call::id(std::string_view name) const { return parse_id(req.path_param(name)); }

std::string Call::field(std::string_view name) const {
  for (const auto& [k, v] : form)
    if (k == name) return v;
  return {};
}

std::string Call::text(std::string_view name) const {
  auto* v = json.if_contains(name);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

Refused not_found() { return Refused{Refused::Kind::not_found, {}, {}}; }
Refused forbidden(std::string message) { return Refused{Refused::Kind::forbidden, std::move(message), {}}; }
Refused invalid(std::string message, web::FieldErrors errors) {
  return Refused{Refused::Kind::invalid, std::move(message), std::move(errors)};
}
Refused conflict(std::string message, web::FieldErrors errors) {
  return Refused{Refused::Kind::conflict, std::move(message), std::move(errors)};
}
Refused unavailable_because(std::string_view what, const Status& status) {
  unavailable(what, status);  // logs the cause
  return Refused{};
}

Response api_refusal(const Refused& r) {
  switch (r.kind) {
    case Refused::Kind::not_found: return Response::text(404, "");
    case Refused::Kind::forbidden: return App::api_error(403, "forbidden", r.message);
    case Refused::Kind::invalid: return App::api_error(422, "invalid_field", r.message, r.errors);
    case Refused::Kind::conflict: return App::api_error(409, "conflict", r.message, r.errors);
    case Refused::Kind::unavailable: break;
  }
  return Response::text(503, "");
}

web::Handler signed_in(Directory& directory, Body body, CallHandler handler) {
  return [&directory, body, handler = std::move(handler)](web::Request& req) -> Response {
    auto who = identify(req, directory);
    if (auto* refused = std::get_if<Response>(&who)) return std::move(*refused);
    Call call{req, std::move(std::get<Principal>(who)), {}, {}, {}, {}};
    if (auto refused = read_body(body, call)) return std::move(*refused);
    return handler(call);
  };
}

web::Handler signed_in_self(Body body, CallHandler handler) {
  return [body, handler = std::move(handler)](web::Request& req) -> Response {
    if (!req.user_id) return not_signed_in(req);
    Call call{req, Principal{req.user_id, {}}, {}, {}, {}, {}};
    if (auto refused = read_body(body, call)) return std::move(*refused);
    return handler(call);
  };
}

web::Handler anyone(Body body, CallHandler handler) {
  return [body, handler = std::move(handler)](web::Request& req) -> Response {
    Call call{req, Principal{}, {}, {}, {}, {}};
    if (auto refused = read_body(body, call)) return std::move(*refused);
    return handler(call);
  };
}

web::Gate signed_in_gate(Directory& directory, GateCheck decide) {
  return [&directory, decide = std::move(decide)](web::Request& req) -> std::optional<Response> {
    auto who = identify(req, directory);
    if (auto* refused = std::get_if<Response>(&who)) return std::move(*refused);
    Call call{req, std::move(std::get<Principal>(who)), {}, {}, {}, {}};
    return decide(call);
  };
}

}  // namespace hocvu::accounts
