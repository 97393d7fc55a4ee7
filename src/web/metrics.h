// Request metrics in the Prometheus text exposition format (version 0.0.4): requests by route,
// method and status, a latency histogram per route, and gauges registered by other parts (open
// connections, database pool). Recording is lock-free (relaxed atomics); safe from any thread.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace hocvu::web {

class Metrics {
 public:
  // Latency bucket upper bounds, in seconds.
  static constexpr std::array<double, 14> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                      0.1,    0.25,  0.5,    1,     2.5,   5,     10};

  // `routes` are the labels for route indexes 0..n-1 (the router's patterns); two more slots
  // follow for requests that matched no route and requests refused before routing.
  explicit Metrics(std::vector<std::string> routes);

  std::size_t unmatched_index() const { return routes_.size() - 2; }
  std::size_t refused_index() const { return routes_.size() - 1; }

  void record(std::size_t route, std::string_view method, int status, std::chrono::nanoseconds latency);

  // A value read when /metrics is scraped; `type` is "gauge" or "counter".
  void add_gauge(std::string name, std::string help, std::function<double()> read, std::string type = "gauge");

  std::string render() const;

 private:
  static constexpr int kMethods = 8;  // GET HEAD POST PUT PATCH DELETE OPTIONS other
  struct PerRoute {
    std::array<std::atomic<std::uint64_t>, kMethods * 500> by_method_status{};  // status 100..599
    std::array<std::atomic<std::uint64_t>, kBuckets.size()> buckets{};
    std::atomic<std::uint64_t> count{0};
    std::atomic<std::uint64_t> sum_ns{0};
  };
  struct Gauge {
    std::string name, help, type;
    std::function<double()> read;
  };
  std::vector<std::string> routes_;
  std::unique_ptr<PerRoute[]> data_;
  mutable std::mutex gauges_mutex_;
  std::vector<Gauge> gauges_;
};

}  // namespace hocvu::web
