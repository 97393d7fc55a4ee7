// What the learning routes share: the time now and dates as people read them. Form fields, ids
// and redirects are in web/form.h; who is calling and what they sent, in accounts/call.h.
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

}  // namespace hocvu::learning
