// The one prologue of every protected route: who is calling and what they sent, decided the same
// way everywhere before a handler runs. A route file registers named handler functions over it:
//
//   r.add("POST", "/api/v1/people/{id}/roles", signed_in(dir, Body::json, bind_front(&People::grant_api, people)));
//
// so a handler starts with a signed-in caller whose grants are read and a body already checked,
// and only parses its own fields, asks the authority (accounts::may), calls the domain and renders.
#pragma once

#include "accounts/authorization.h"
#include "accounts/directory.h"
#include "web/app.h"
#include "web/http.h"
#include "web/multipart.h"
#include "web/router.h"

#include <boost/json/object.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace hocvu::accounts {

// What a route reads from its body, and how it is checked before the handler runs.
enum class Body {
  none,    // nothing is read (GET, DELETE, a POST whose path says it all)
  form,    // an HTML form: parsed (400) and carrying the browser's CSRF token from this site (403)
  json,    // an API body: declared application/json (415) and a JSON object (400)
  upload,  // a multipart form with a `file` part: parsed (400); pages check its CSRF token (403)
  parts,   // a multipart form of several parts, files keeping their names: parsed (400); pages
           // check its CSRF token (403)
};

// A request that has passed the prologue.
struct Call {
  web::Request& req;
  Principal who;
  web::Fields form;             // Body::form, and the plain fields of Body::upload and Body::parts
  boost::json::object json;     // Body::json
  web::UploadForm upload;       // Body::upload
  std::vector<web::FormPart> parts;  // Body::parts: every part as sent

  // A positive id from the path parameter `name`; 0 for anything else (answered 404 by callers).
  std::int64_t id(std::string_view name = "id") const;
  // The first value of form field `name`, or "".
  std::string field(std::string_view name) const;
  // The string member `name` of the JSON body, or "".
  std::string text(std::string_view name) const;
};

using CallHandler = std::function<web::Response(Call&)>;

// Why an operation behind a route did not happen. Operations return Outcome<T>; the API handler
// and the page handler both call the same operation and render its outcome each in its own way,
// so a page never calls an API handler and reads its status.
struct Refused {
  enum class Kind { not_found, forbidden, invalid, conflict, unavailable } kind = Kind::unavailable;
  std::string message;       // Vietnamese; for forbidden, invalid and conflict
  web::FieldErrors errors;   // for invalid: field -> message
};
template <typename T>
using Outcome = std::variant<T, Refused>;
struct Done {};  // an operation that changes something and returns nothing

Refused not_found();
Refused forbidden(std::string message);
Refused invalid(std::string message, web::FieldErrors errors = {});
Refused conflict(std::string message, web::FieldErrors errors = {});
// Logs the cause under `what` (as unavailable() does) and refuses with 503.
Refused unavailable_because(std::string_view what, const Status& status);

// The API's answer for a refusal: 404, or the JSON error with 403, 422, 409 (with the fields
// that refused, if any) or 503.
web::Response api_refusal(const Refused& r);

// `handler` behind the prologue: the caller must be signed in (401 for the API, the sign-in page
// for pages, which comes back here), their grants are read (503 when they cannot be), and the body
// is checked as `body` says. The answers use the API's JSON errors under /api/ and the error pages
// elsewhere. Where the handler runs is the route's own (Router::add's Execution: a route that
// hashes a password is registered `hashing` around the wrapped handler), not the prologue's.
web::Handler signed_in(Directory& directory, Body body, CallHandler handler);

// `handler` behind the prologue for a signed-in caller acting only on their own learning (saving
// an answer, a progress heartbeat): as signed_in, but no grants are read — `call.who` is the
// caller with no grants — so the busiest requests of an exam day cost no extra read. A handler
// registered this way acts on rows the caller owns and never asks the authority about anyone.
web::Handler signed_in_self(Body body, CallHandler handler);

// `handler` behind the body checks alone, for the few routes that admit callers who are not
// signed in (registration, sign-in, first sign-in, sign-out): they act on credentials or on the
// session cookie, never on grants, so no grants are read and `call.who` is nobody (id 0, no
// grants) whoever calls; such a handler reads `call.req.user_id` when it cares who is signed in.
web::Handler anyone(Body body, CallHandler handler);

// The answer to a caller who is not signed in: 401 for the API, and for pages the sign-in page,
// which comes back to a GET's target after signing in.
web::Response not_signed_in(const web::Request& req);

// Reads the body as `body` says, for a handler registered with Body::none that must find its
// target before it reads what was sent (so that a caller who may not see the target gets 404,
// whatever they sent). The response to send instead (400, 403), or nothing.
std::optional<web::Response> read_body(Body body, Call& call);

// An upload's gate (Router::add_upload) behind the same prologue, decided from the request head
// before its body is read: nobody gets 401 or the sign-in page, unreadable grants 503, and a
// signed-in caller whatever `decide` answers (nothing to admit the upload).
using GateCheck = std::function<std::optional<web::Response>(Call&)>;
web::Gate signed_in_gate(Directory& directory, GateCheck decide);

}  // namespace hocvu::accounts
