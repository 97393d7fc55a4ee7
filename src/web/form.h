// Reading what a request sent, for every area's handlers: form fields, ids and numbers from text,
// and the redirect a form answers with.
#pragma once

#include "web/http.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace hocvu::web {

// The first value of form field `name`, or ""; every value of a repeated field, in order.
std::string field(const Fields& form, std::string_view name);
std::vector<std::string> fields(const Fields& form, std::string_view name);

// A positive id from a path or query parameter; 0 for anything else (callers answer 404).
std::int64_t parse_id(std::string_view text);

// `text` as a whole int, or `fallback`.
int to_int(std::string_view text, int fallback);

// 303 See Other to `location`, never cached: the answer to a form that worked.
Response redirect(std::string location);

}  // namespace hocvu::web
