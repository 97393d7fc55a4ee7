#include "accounts/route_support.h"

#include "core/log.h"

#include <charconv>

namespace hocvu::accounts {

std::int64_t parse_id(std::string_view s) {
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return ec == std::errc{} && p == s.data() + s.size() && v > 0 ? v : 0;
}

Result<Principal> load_principal(Directory& dir, std::int64_t id) {
  auto grants = dir.grants_of(id);
  if (!grants) return grants.status();
  Principal p{id, {}};
  for (auto& g : *grants) p.grants.push_back(g.grant);
  return p;
}

std::variant<Principal, web::Response> signed_in_principal(web::Request& req, Directory& dir) {
  if (!req.user_id) {
    if (req.wants_json()) return web::Response::text(401, "");
    web::Response r;
    r.status = 303;
    r.set_header("Location", "/sign-in");
    return r;
  }
  auto p = load_principal(dir, req.user_id);
  if (!p) return unavailable("grants", p.status());
  return std::move(*p);
}

web::Response unavailable(std::string_view what, const Status& s) {
  log_error("database unavailable", {{"for", what}, {"error", s.message()}});
  return web::Response::text(503, "");
}

}  // namespace hocvu::accounts
