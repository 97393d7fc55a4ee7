#include "web/router.h"

#include <stdexcept>

namespace hocvu::web {
namespace {

std::vector<std::string_view> split(std::string_view path) {
  std::vector<std::string_view> out;
  if (path.empty() || path.front() != '/') return out;
  path.remove_prefix(1);
  for (;;) {
    auto slash = path.find('/');
    out.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return out;
}

bool is_param(std::string_view s) { return s.size() > 2 && s.front() == '{' && s.back() == '}'; }
bool is_rest(std::string_view s) { return is_param(s) && s[1] == '*'; }

}  // namespace

Route& Router::add(std::string method, std::string pattern, Handler handler, Execution execution) {
  if (pattern.empty() || pattern.front() != '/') throw std::logic_error("route pattern must start with '/': " + pattern);
  Compiled c;
  auto parts = split(pattern);
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (is_rest(parts[i]) && i + 1 != parts.size())
      throw std::logic_error("{*rest} must be the last segment: " + pattern);
    if (!is_param(parts[i])) ++c.literal_score;
    c.segments.emplace_back(parts[i]);
  }
  for (const auto& r : routes_)
    if (r.method == method && r.pattern == pattern) throw std::logic_error("duplicate route " + method + " " + pattern);
  Route r{std::move(method), std::move(pattern), std::move(handler), execution, 0, {}, routes_.size(), {}};
  routes_.push_back(std::move(r));
  compiled_.push_back(std::move(c));
  return routes_.back();
}

bool Router::match_path(const Compiled& c, std::string_view path, const std::vector<std::string_view>& parts,
                        Fields* params) {
  const auto& segs = c.segments;
  bool rest = !segs.empty() && is_rest(segs.back());
  if (rest ? parts.size() < segs.size() : parts.size() != segs.size()) return false;
  for (std::size_t i = 0; i < segs.size(); ++i) {
    const std::string& s = segs[i];
    if (is_rest(s)) {
      // The rest of the path from this segment on, without its leading '/'.
      std::size_t offset = static_cast<std::size_t>(parts[i].data() - path.data());
      std::string_view tail = path.substr(offset);
      if (tail.empty()) return false;
      if (params) params->emplace_back(s.substr(2, s.size() - 3), std::string(tail));
      return true;
    }
    if (is_param(s)) {
      if (parts[i].empty()) return false;
      if (params) params->emplace_back(s.substr(1, s.size() - 2), std::string(parts[i]));
    } else if (s != parts[i]) {
      return false;
    }
  }
  return true;
}

RouteMatch Router::match(std::string_view method, std::string_view path) const {
  RouteMatch m;
  std::string_view wanted = method == "HEAD" ? std::string_view("GET") : method;
  const auto parts = split(path);  // once, not once per route
  int best = -1;
  Fields params;
  for (std::size_t i = 0; i < routes_.size(); ++i) {
    const Compiled& c = compiled_[i];
    if (routes_[i].method != wanted) continue;
    if (c.literal_score <= best) continue;
    params.clear();
    if (!match_path(c, path, parts, &params)) continue;
    best = c.literal_score;
    m.route = &routes_[i];
    m.params = params;
  }
  if (m.route) return m;
  for (std::size_t i = 0; i < routes_.size(); ++i) {
    if (!match_path(compiled_[i], path, parts, nullptr)) continue;
    const auto& method_name = routes_[i].method;
    bool seen = false;
    for (const auto& a : m.allowed) seen = seen || a == method_name;
    if (!seen) m.allowed.push_back(method_name);
    if (method_name == "GET" && !seen) m.allowed.push_back("HEAD");
  }
  return m;
}

void Router::add_upload(std::string method, std::string pattern, Handler handler, std::size_t max_body, Gate gate) {
  if (!gate) throw std::logic_error("upload route without a gate: " + pattern);
  add(std::move(method), std::move(pattern), std::move(handler), Execution::blocking);
  routes_.back().max_body = max_body;
  routes_.back().gate = std::move(gate);
  routes_.back().body_type = "*";
}

}  // namespace hocvu::web
