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
// on paper and in the people import), "31 Dec 2026" in English. Anything else is returned as it is.
std::string format_date(std::string_view lang, std::string_view iso);

}  // namespace hocvu::web
