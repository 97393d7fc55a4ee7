#include "web/form.h"

#include <charconv>

namespace hocvu::web {

std::string field(const Fields& form, std::string_view name) {
  for (const auto& [k, v] : form)
    if (k == name) return v;
  return {};
}

std::vector<std::string> fields(const Fields& form, std::string_view name) {
  std::vector<std::string> out;
  for (const auto& [k, v] : form)
    if (k == name) out.push_back(v);
  return out;
}

std::int64_t parse_id(std::string_view s) {
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return ec == std::errc{} && p == s.data() + s.size() && v > 0 ? v : 0;
}

int to_int(std::string_view s, int fallback) {
  int v = fallback;
  auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  return r.ec == std::errc{} && r.ptr == s.data() + s.size() ? v : fallback;
}

Response redirect(std::string location) {
  Response r;
  r.status = 303;
  r.set_header("Location", location);
  r.set_header("Cache-Control", "no-store");
  return r;
}

}  // namespace hocvu::web
