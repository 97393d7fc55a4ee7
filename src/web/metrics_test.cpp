#include "web/metrics.h"

#include <gtest/gtest.h>

namespace hocvu::web {
namespace {

using namespace std::chrono_literals;

TEST(Metrics, CountsAndHistogramInPrometheusFormat) {
  Metrics m({"/healthz", "/frameworks/{code}"});
  m.record(0, "GET", 200, 300us);
  m.record(0, "GET", 200, 3ms);
  m.record(1, "GET", 404, 20ms);
  m.record(m.unmatched_index(), "POST", 404, 1ms);
  m.add_gauge("hocvu_test_gauge", "A test gauge.", [] { return 7.0; });
  std::string text = m.render();
  EXPECT_NE(text.find("hocvu_http_requests_total{route=\"/healthz\",method=\"GET\",status=\"200\"} 2\n"), std::string::npos);
  EXPECT_NE(text.find("hocvu_http_requests_total{route=\"/frameworks/{code}\",method=\"GET\",status=\"404\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("route=\"(unmatched)\",method=\"POST\",status=\"404\"} 1"), std::string::npos);
  EXPECT_NE(text.find("hocvu_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"0.00050000000000000001\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("hocvu_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"0.0050000000000000001\"} 2\n"), std::string::npos);
  EXPECT_NE(text.find("hocvu_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"+Inf\"} 2\n"), std::string::npos);
  EXPECT_NE(text.find("hocvu_http_request_duration_seconds_count{route=\"/healthz\"} 2\n"), std::string::npos);
  EXPECT_NE(text.find("# TYPE hocvu_test_gauge gauge\nhocvu_test_gauge 7\n"), std::string::npos);
}

}  // namespace
}  // namespace hocvu::web
