#include "core/json.h"

#include <cmath>
#include <cstdio>
#include <limits>

namespace hocvu {

void append_json_string(std::string& out, std::string_view s) {
  out.push_back('"');
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
  out.push_back('"');
}

std::optional<std::int64_t> json_whole_number(const boost::json::value& v, std::int64_t lo, std::int64_t hi) {
  if (v.is_int64()) {
    const std::int64_t n = v.get_int64();
    return n >= lo && n <= hi ? std::optional(n) : std::nullopt;
  }
  if (v.is_uint64()) {
    const std::uint64_t n = v.get_uint64();
    return hi >= 0 && n <= static_cast<std::uint64_t>(hi) && static_cast<std::int64_t>(n) >= lo ? std::optional(static_cast<std::int64_t>(n))
                                                                                                : std::nullopt;
  }
  if (v.is_double()) {
    const double d = v.get_double();
    // Compared as doubles first: only a value inside [lo, hi] is converted.
    if (!std::isfinite(d) || d != std::trunc(d) || d < static_cast<double>(lo) || d > static_cast<double>(hi)) return std::nullopt;
    // A large bound may round up as a double (INT64_MAX becomes 2^63): 2^63 itself cannot be
    // converted, and what can is checked against the exact bounds.
    if (d >= 9223372036854775808.0) return std::nullopt;
    const auto n = static_cast<std::int64_t>(d);
    return n >= lo && n <= hi ? std::optional(n) : std::nullopt;
  }
  return std::nullopt;
}

bool json_numbers_finite(const boost::json::value& v) {
  if (v.is_double()) return std::isfinite(v.get_double());
  if (v.is_array()) {
    for (const auto& x : v.get_array())
      if (!json_numbers_finite(x)) return false;
  } else if (v.is_object()) {
    for (const auto& m : v.get_object())
      if (!json_numbers_finite(m.value())) return false;
  }
  return true;
}

Result<std::int64_t> json_integer(const boost::json::value& v, std::string_view field, std::int64_t lo, std::int64_t hi) {
  if (auto n = json_whole_number(v, lo, hi)) return *n;
  std::string m = "\"" + std::string(field) + "\" phải là một số nguyên ";
  if (hi == std::numeric_limits<std::int64_t>::max()) m += "từ " + std::to_string(lo) + " trở lên.";
  else m += "từ " + std::to_string(lo) + " đến " + std::to_string(hi) + ".";
  return Error(ErrorCode::invalid_argument, m);
}

Result<std::int64_t> json_integer(const boost::json::object& o, std::string_view key, std::int64_t fallback,
                                  std::int64_t lo, std::int64_t hi) {
  auto* v = o.if_contains(key);
  if (!v || v->is_null()) return fallback;
  return json_integer(*v, key, lo, hi);
}

}  // namespace hocvu
