// Small JSON helpers shared by every area.
#pragma once

#include "core/status.h"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hocvu {

// Appends `s` as a JSON string literal (with quotes), escaping as RFC 8259 requires.
void append_json_string(std::string& out, std::string_view s);

// The whole number `v` holds when it is one within [lo, hi]: an integer, or a double without a
// fraction (5.0); nullopt for anything else. A number out of range is never converted (casting
// 1e300 to an integer is undefined behaviour): callers refuse it.
std::optional<std::int64_t> json_whole_number(const boost::json::value& v, std::int64_t lo, std::int64_t hi);

// Whether every number in `v` (at any depth) is finite. Boost.JSON 1.81 reads 1e309 as infinity
// and writes infinity as `Infinity`, which is not JSON: a document holding one, once stored, could
// never be read back. Readers of request bodies that are stored refuse such a document.
bool json_numbers_finite(const boost::json::value& v);

// The same for a request, with the error to answer: the whole number a JSON value stands for, a number without a fraction (3,
// 3.0 and 3e0 are 3) within [lo, hi]. Anything else (2.5, 1e300, -0.5, "3", true, null) is
// invalid_argument with a Vietnamese message naming `field`, for a 422. Converting a double
// outside the target's range is undefined behaviour in C++, so every number of a request that
// becomes an integer goes through here.
Result<std::int64_t> json_integer(const boost::json::value& v, std::string_view field, std::int64_t lo, std::int64_t hi);
// The same for member `key` of `o`: `fallback` when it is absent or null (fallback is not checked).
Result<std::int64_t> json_integer(const boost::json::object& o, std::string_view key, std::int64_t fallback,
                                  std::int64_t lo, std::int64_t hi);

}  // namespace hocvu
