#include "web/metrics.h"

#include <cstdio>

namespace hocvu::web {
namespace {

constexpr std::string_view kMethodNames[] = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "other"};

int method_index(std::string_view m) {
  for (int i = 0; i < 7; ++i)
    if (kMethodNames[i] == m) return i;
  return 7;
}

// Label values escape backslash, quote and newline.
std::string label(std::string_view v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') { out.push_back('\\'); out.push_back(c); }
    else if (c == '\n') out += "\\n";
    else out.push_back(c);
  }
  return out;
}

std::string number(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

}  // namespace

Metrics::Metrics(std::vector<std::string> routes) : routes_(std::move(routes)) {
  routes_.push_back("(unmatched)");
  routes_.push_back("(refused)");
  data_ = std::make_unique<PerRoute[]>(routes_.size());
}

void Metrics::record(std::size_t route, std::string_view method, int status, std::chrono::nanoseconds latency) {
  if (route >= routes_.size()) route = unmatched_index();
  if (status < 100 || status > 599) status = 500;
  PerRoute& d = data_[route];
  d.by_method_status[static_cast<std::size_t>(method_index(method) * 500 + status - 100)].fetch_add(1, std::memory_order_relaxed);
  double secs = std::chrono::duration<double>(latency).count();
  for (std::size_t i = 0; i < kBuckets.size(); ++i)
    if (secs <= kBuckets[i]) { d.buckets[i].fetch_add(1, std::memory_order_relaxed); break; }
  d.count.fetch_add(1, std::memory_order_relaxed);
  d.sum_ns.fetch_add(static_cast<std::uint64_t>(latency.count()), std::memory_order_relaxed);
}

void Metrics::add_gauge(std::string name, std::string help, std::function<double()> read, std::string type) {
  std::lock_guard lock(gauges_mutex_);
  gauges_.push_back({std::move(name), std::move(help), std::move(type), std::move(read)});
}

std::string Metrics::render() const {
  std::string out;
  out.reserve(8192);
  out += "# HELP hocvu_http_requests_total HTTP requests by route pattern, method and status.\n";
  out += "# TYPE hocvu_http_requests_total counter\n";
  for (std::size_t r = 0; r < routes_.size(); ++r) {
    for (int m = 0; m < kMethods; ++m)
      for (int s = 0; s < 500; ++s) {
        auto n = data_[r].by_method_status[static_cast<std::size_t>(m * 500 + s)].load(std::memory_order_relaxed);
        if (n == 0) continue;
        out += "hocvu_http_requests_total{route=\"" + label(routes_[r]) + "\",method=\"" +
               std::string(kMethodNames[m]) + "\",status=\"" + std::to_string(s + 100) + "\"} " +
               std::to_string(n) + "\n";
      }
  }
  out += "# HELP hocvu_http_request_duration_seconds Time from a request's arrival to its response, by route.\n";
  out += "# TYPE hocvu_http_request_duration_seconds histogram\n";
  for (std::size_t r = 0; r < routes_.size(); ++r) {
    const PerRoute& d = data_[r];
    auto count = d.count.load(std::memory_order_relaxed);
    if (count == 0) continue;
    std::string l = label(routes_[r]);
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < kBuckets.size(); ++i) {
      cumulative += d.buckets[i].load(std::memory_order_relaxed);
      out += "hocvu_http_request_duration_seconds_bucket{route=\"" + l + "\",le=\"" + number(kBuckets[i]) + "\"} " +
             std::to_string(cumulative) + "\n";
    }
    out += "hocvu_http_request_duration_seconds_bucket{route=\"" + l + "\",le=\"+Inf\"} " + std::to_string(count) + "\n";
    out += "hocvu_http_request_duration_seconds_sum{route=\"" + l + "\"} " +
           number(static_cast<double>(d.sum_ns.load(std::memory_order_relaxed)) / 1e9) + "\n";
    out += "hocvu_http_request_duration_seconds_count{route=\"" + l + "\"} " + std::to_string(count) + "\n";
  }
  std::lock_guard lock(gauges_mutex_);
  for (const auto& g : gauges_) {
    out += "# HELP " + g.name + " " + g.help + "\n# TYPE " + g.name + " " + g.type + "\n";
    out += g.name + " " + number(g.read()) + "\n";
  }
  return out;
}

}  // namespace hocvu::web
