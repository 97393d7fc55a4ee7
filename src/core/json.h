// Small JSON helpers shared by every area.
#pragma once

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

}  // namespace hocvu
