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

Result<std::int64_t> json_integer(const boost::json::value& v, std::string_view field, std::int64_t lo, std::int64_t hi) {
  auto refuse = [&] {
    std::string m = "\"" + std::string(field) + "\" phải là một số nguyên ";
    if (hi == std::numeric_limits<std::int64_t>::max()) m += "từ " + std::to_string(lo) + " trở lên.";
    else m += "từ " + std::to_string(lo) + " đến " + std::to_string(hi) + ".";
    return Error(ErrorCode::invalid_argument, m);
  };
  std::int64_t n = 0;
  if (v.is_int64()) {
    n = v.get_int64();
  } else if (v.is_uint64()) {
    if (v.get_uint64() > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) return refuse();
    n = static_cast<std::int64_t>(v.get_uint64());
  } else if (v.is_double()) {
    const double d = v.get_double();
    // [-2^63, 2^63) holds exactly the doubles that convert to int64 without undefined behaviour.
    if (!std::isfinite(d) || std::trunc(d) != d || d < -9223372036854775808.0 || d >= 9223372036854775808.0)
      return refuse();
    n = static_cast<std::int64_t>(d);
  } else {
    return refuse();
  }
  if (n < lo || n > hi) return refuse();
  return n;
}

Result<std::int64_t> json_integer(const boost::json::object& o, std::string_view key, std::int64_t fallback,
                                  std::int64_t lo, std::int64_t hi) {
  auto* v = o.if_contains(key);
  if (!v || v->is_null()) return fallback;
  return json_integer(*v, key, lo, hi);
}

}  // namespace hocvu
