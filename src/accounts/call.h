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
#include "web/http.h"
#include "web/multipart.h"
#include "web/router.h"

#include <boost/json/object.hpp>

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace hocvu::accounts {

// What a route reads from its body, and how it is checked before the handler runs.
enum class Body {
  none,    // nothing is read (GET, DELETE, a POST whose path says it all)
  form,    // an HTML form: parsed (400) and carrying the browser's CSRF token from this site (403)
  json,    // an API body: declared application/json (415) and a JSON object (400)
  upload,  // a multipart form with a `file` part: parsed (400); pages check its CSRF token (403)
};

// A request that has passed the prologue.
struct Call {
  web::Request& req;
  Principal who;
  web::Fields form;             // Body::form, and the other fields of Body::upload
  boost::json::object json;     // Body::json
  web::UploadForm upload;       // Body::upload

  // A positive id from the path parameter `name`; 0 for anything else (answered 404 by callers).
  std::int64_t id(std::string_view name = "id") const;
  // The first value of form field `name`, or "".
  std::string field(std::string_view name) const;
  // The string member `name` of the JSON body, or "".
  std::string text(std::string_view name) const;
};

using CallHandler = std::function<web::Response(Call&)>;

// `handler` behind the prologue: the caller must be signed in (401 for the API, the sign-in page
// for pages, which comes back here), their grants are read (503 when they cannot be), and the body
// is checked as `body` says. The answers use the API's JSON errors under /api/ and the error pages
// elsewhere.
web::Handler signed_in(Directory& directory, Body body, CallHandler handler);

}  // namespace hocvu::accounts
