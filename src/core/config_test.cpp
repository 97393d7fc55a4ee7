#include "core/config.h"

#include <gtest/gtest.h>

#include <fstream>

namespace hocvu {
namespace {

TEST(Config, DefaultsDeriveTheSqliteDatabaseFromTheDataDir) {
  auto c = load_config({}, "/web");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->listen_host, "127.0.0.1");
  EXPECT_EQ(c->listen_port, 8080);
  EXPECT_EQ(c->database_url, "sqlite://hocvu-data/hocvu.db");
  EXPECT_FALSE(c->uses_postgres());
  EXPECT_EQ(c->sqlite_path(), "hocvu-data/hocvu.db");
  EXPECT_EQ(c->web_dir, "/web");
  EXPECT_GE(c->threads, 1u);
}

TEST(Config, ReadsEverySetting) {
  auto c = load_config({{"HOCVU_LISTEN", "[::1]:9000"}, {"HOCVU_DATABASE_URL", "postgresql://u@127.0.0.1:5/db"},
                        {"HOCVU_THREADS", "3"}, {"HOCVU_DB_POOL_SIZE", "16"}, {"HOCVU_ACCESS_LOG", "off"},
                        {"HOCVU_IDLE_TIMEOUT", "5"}, {"HOCVU_MAX_BODY_BYTES", "2048"}, {"HOCVU_COURSE_CACHE_SIZE", "40"},
                        {"HOCVU_METRICS_TOKEN", std::string(32, 'm')}, {"HOCVU_HASHING_THREADS", "3"},
                        {"HOCVU_HASHING_QUEUE", "0"}},
                       "/web");
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->listen_host, "::1");
  EXPECT_EQ(c->listen_port, 9000);
  EXPECT_TRUE(c->uses_postgres());
  EXPECT_EQ(c->threads, 3u);
  EXPECT_EQ(c->db_pool_size, 16u);
  EXPECT_FALSE(c->access_log);
  EXPECT_EQ(c->idle_timeout.count(), 5);
  EXPECT_EQ(c->max_body_bytes, 2048u);
  EXPECT_EQ(c->course_cache_size, 40u);
  EXPECT_EQ(c->metrics_token, std::string(32, 'm'));
  EXPECT_EQ(c->hashing_threads, 3u);
  EXPECT_EQ(c->hashing_queue, 0u);
}

// Each bad value is refused with a message that names the setting.
TEST(Config, RefusesBadValuesNamingTheSetting) {
  const std::pair<const char*, const char*> bad[] = {
      {"HOCVU_LISTEN", "8080"}, {"HOCVU_LISTEN", ":8080"}, {"HOCVU_LISTEN", "127.0.0.1:99999"},
      {"HOCVU_LISTEN", "127.0.0.1:http"}, {"HOCVU_THREADS", "-1"}, {"HOCVU_THREADS", "2x"},
      {"HOCVU_DB_POOL_SIZE", "0"}, {"HOCVU_ACCESS_LOG", "maybe"}, {"HOCVU_DATABASE_URL", "mysql://x"},
      {"HOCVU_DATABASE_URL", "sqlite://"}, {"HOCVU_IDLE_TIMEOUT", "0"}, {"HOCVU_DATA_DIR", ""},
      {"HOCVU_LISTNE", "127.0.0.1:1"}, {"HOCVU_COURSE_CACHE_SIZE", "0"}, {"HOCVU_METRICS_TOKEN", "short"},
      {"HOCVU_PUBLIC_URL", "hocvu.gov.vn"},
      {"HOCVU_PUBLIC_URL", "https://hocvu.gov.vn/hoc"}, {"HOCVU_TRUSTED_PROXIES", "10.0.0.0/40"},
      {"HOCVU_TRUSTED_PROXIES", "proxy.local"}, {"HOCVU_HASHING_THREADS", "257"}, {"HOCVU_HASHING_QUEUE", "-1"},
      {"HOCVU_HASHING_QUEUE", "100001"}};
  for (auto [k, v] : bad) {
    auto c = load_config({{k, v}}, "/web");
    ASSERT_FALSE(c.ok()) << k << "=" << v;
    EXPECT_NE(c.status().message().find(k), std::string::npos) << c.status().message();
    EXPECT_EQ(c.status().message().find('\n'), std::string::npos);
  }
}

TEST(Config, PublicUrlAndTrustedProxies) {
  auto c = load_config({{"HOCVU_PUBLIC_URL", "https://hocvu.gov.vn/"}, {"HOCVU_TRUSTED_PROXIES", "127.0.0.1, 10.0.0.0/8"}}, "/web");
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->public_url, "https://hocvu.gov.vn");
  EXPECT_TRUE(c->secure_cookies());
  EXPECT_EQ(c->trusted_proxies.size(), 2u);
  auto plain = load_config({{"HOCVU_PUBLIC_URL", "http://localhost:8080"}}, "/web");
  ASSERT_TRUE(plain.ok());
  EXPECT_FALSE(plain->secure_cookies());
  auto none = load_config({}, "/web");
  EXPECT_FALSE(none->secure_cookies());
  EXPECT_TRUE(none->trusted_proxies.empty());
}

TEST(Config, FileValuesAreOverriddenByTheEnvironment) {
  std::string path = ::testing::TempDir() + "/hocvu.conf";
  std::ofstream(path) << "# comment\nHOCVU_LISTEN=0.0.0.0:9090\nHOCVU_THREADS = \"4\"\n";
  auto c = load_config({{"HOCVU_CONFIG", path}, {"HOCVU_THREADS", "2"}}, "/web");
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->listen_host, "0.0.0.0");
  EXPECT_EQ(c->listen_port, 9090);
  EXPECT_EQ(c->threads, 2u);
  std::ofstream(path) << "not a setting\n";
  auto bad = load_config({{"HOCVU_CONFIG", path}}, "/web");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find(":1:"), std::string::npos);
  EXPECT_FALSE(load_config({{"HOCVU_CONFIG", "/no/such/file"}}, "/web").ok());
}

}  // namespace
}  // namespace hocvu
