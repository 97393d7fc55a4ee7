// Small JSON helpers shared by every area.
#pragma once

#include "core/status.h"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace hocvu {

// Appends `s` as a JSON string literal (with quotes), escaping as RFC 8259 requires.
void append_json_string(std::string& out, std::string_view s);

// The whole number a JSON value of a request stands for, checked: a number without a fraction (3,
// 3.0 and 3e0 are 3) within [lo, hi]. Anything else (2.5, 1e300, -0.5, "3", true, null) is
// invalid_argument with a Vietnamese message naming `field`, for a 422. Converting a double
// outside the target's range is undefined behaviour in C++, so every number of a request that
// becomes an integer goes through here.
Result<std::int64_t> json_integer(const boost::json::value& v, std::string_view field, std::int64_t lo, std::int64_t hi);
// The same for member `key` of `o`: `fallback` when it is absent or null (fallback is not checked).
Result<std::int64_t> json_integer(const boost::json::object& o, std::string_view key, std::int64_t fallback,
                                  std::int64_t lo, std::int64_t hi);

}  // namespace hocvu
