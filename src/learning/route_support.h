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

// True for a real calendar date written YYYY-MM-DD ("2026-02-30" is not one).
bool valid_date(std::string_view d);

}  // namespace hocvu::learning
