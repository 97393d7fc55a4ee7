#include "ops/routes.h"

#include "web/http.h"

#include <gtest/gtest.h>

#include <string>

namespace hocvu::ops {
namespace {

web::Request from(std::string peer, web::Fields headers = {}) {
  web::Request r;
  r.method = "GET";
  r.path = r.target = "/metrics";
  r.remote_address = std::move(peer);
  r.headers = std::move(headers);
  return r;
}

// /metrics was answered to anyone; now only to a scraper on this machine, or with the token.
TEST(MetricsAccess, WithoutATokenOnlyAScraperOnThisMachine) {
  EXPECT_EQ(metrics_access(from("127.0.0.1"), ""), MetricsAccess::allowed);
  EXPECT_EQ(metrics_access(from("127.0.0.53"), ""), MetricsAccess::allowed);
  EXPECT_EQ(metrics_access(from("::1"), ""), MetricsAccess::allowed);
  EXPECT_EQ(metrics_access(from("::ffff:127.0.0.1"), ""), MetricsAccess::allowed);
  EXPECT_EQ(metrics_access(from("203.0.113.9"), ""), MetricsAccess::refused);
  EXPECT_EQ(metrics_access(from("10.0.0.7"), ""), MetricsAccess::refused);
  EXPECT_EQ(metrics_access(from("::ffff:203.0.113.9"), ""), MetricsAccess::refused);
  EXPECT_EQ(metrics_access(from("1270.0.0.1"), ""), MetricsAccess::refused);
  EXPECT_EQ(metrics_access(from(""), ""), MetricsAccess::refused);
  // A reverse proxy on this machine relays public requests: those are not the scraper.
  EXPECT_EQ(metrics_access(from("127.0.0.1", {{"X-Forwarded-For", "203.0.113.9"}}), ""), MetricsAccess::refused);
  EXPECT_EQ(metrics_access(from("127.0.0.1", {{"Forwarded", "for=203.0.113.9"}}), ""), MetricsAccess::refused);
  EXPECT_EQ(metrics_access(from("::1", {{"X-Real-IP", "203.0.113.9"}}), ""), MetricsAccess::refused);
}

TEST(MetricsAccess, WithATokenOnlyWhoSendsIt) {
  const std::string token(40, 'k');
  EXPECT_EQ(metrics_access(from("203.0.113.9", {{"Authorization", "Bearer " + token}}), token), MetricsAccess::allowed);
  EXPECT_EQ(metrics_access(from("127.0.0.1", {{"X-Forwarded-For", "203.0.113.9"}, {"Authorization", "Bearer " + token}}), token),
            MetricsAccess::allowed);
  EXPECT_EQ(metrics_access(from("127.0.0.1"), token), MetricsAccess::needs_token);  // loopback is not enough then
  EXPECT_EQ(metrics_access(from("127.0.0.1", {{"Authorization", "Bearer " + token + "x"}}), token), MetricsAccess::needs_token);
  EXPECT_EQ(metrics_access(from("127.0.0.1", {{"Authorization", "Bearer " + std::string(40, 'j')}}), token),
            MetricsAccess::needs_token);
  EXPECT_EQ(metrics_access(from("127.0.0.1", {{"Authorization", token}}), token), MetricsAccess::needs_token);
  EXPECT_EQ(metrics_access(from("127.0.0.1", {{"Authorization", "Bearer "}}), token), MetricsAccess::needs_token);
}

}  // namespace
}  // namespace hocvu::ops
