// What the learning routes share: the time now, dates as people read them, and the answers for
// "JSON expected" and "sign in first". Form fields, ids and redirects are in web/form.h.
#pragma once

#include "web/form.h"
#include "web/http.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hocvu::learning {

std::string now_text();       // ISO-8601 UTC, as stored
std::int64_t now_ms();        // milliseconds since the epoch, for heartbeats


// A date (YYYY-MM-DD, or the date part of a stored time) as people read it: 24/12/2026 in
// Vietnamese, 2026-12-24 in English. Anything else is returned unchanged.
std::string display_date(std::string_view iso, std::string_view lang);

// True for a real calendar date written YYYY-MM-DD ("2026-02-30" is not one).
bool valid_date(std::string_view d);

// `s` as a whole int, or `fallback`.

// 415 with a Vietnamese message unless the request's body is declared as JSON.
std::optional<web::Response> require_json(const web::Request& req);

// The learner must sign in: 401 for the API; for a page, the sign-in page, which comes back here.
std::optional<web::Response> require_sign_in(const web::Request& req);

}  // namespace hocvu::learning
