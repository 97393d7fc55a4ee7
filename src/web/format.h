// Numbers and dates as a person reads them in the page's language: Vietnamese groups thousands with a dot
// ("1.234.567"), English with a comma ("1,234,567"). One place for it, so no page shows
// "1234567" beside "1.234", or 2026-12-31 beside 31/12/2026.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace hocvu::web {

// A whole number with its thousands grouped for `lang` ("vi" unless "en").
std::string format_count(std::string_view lang, std::int64_t n);

// A calendar date "YYYY-MM-DD" as a person reads it: "31/12/2026" in Vietnamese (day first, as
// on paper and in the people import), "31 Dec 2026" in English; a stored moment
// ("2026-12-31T17:30:00.000Z") as the day it was in Vietnam. Anything else is returned as it is.
std::string format_date(std::string_view lang, std::string_view iso);

// A decimal number with at most `digits` decimals, no trailing zeros, in `lang`'s notation:
// "3,33" in Vietnamese (decimal comma, thousands with a dot), "3.33" in English.
std::string format_decimal(std::string_view lang, double v, int digits = 2);

// A moment (milliseconds since 1970, UTC) as people in Vietnam read it, in Vietnam's time (UTC+7):
// "09:00 01/12/2026" in Vietnamese, "09:00, 1 Dec 2026" in English; with seconds "09:00:05 ...";
// "" for 0.
std::string format_time(std::string_view lang, std::int64_t ms, bool seconds = false);
// The same for a stored UTC timestamp ("2026-12-01T02:00:00.000Z"); anything else as it is.
std::string format_time(std::string_view lang, std::string_view utc, bool seconds = false);

}  // namespace hocvu::web
