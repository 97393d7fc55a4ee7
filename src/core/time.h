// UTC timestamps as ISO-8601 text ("2026-11-24T20:31:05.123Z"): how times are stored, so that
// they compare correctly as strings on both database engines.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace hocvu {

using SystemTime = std::chrono::system_clock::time_point;

std::string format_utc(SystemTime t);
// The format above only, within the years SystemTime holds (1678 to 2261).
std::optional<SystemTime> parse_utc(std::string_view text);

}  // namespace hocvu
