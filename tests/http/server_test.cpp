// Black-box tests: the real `hocvu serve` on a loopback port, real sockets, raw bytes where the
// case needs them. Runs on SQLite, and on PostgreSQL when HOCVU_TEST_DATABASE_URL is set.
#include "support/http_client.h"
#include "support/server_process.h"

#include <gtest/gtest.h>
#include <signal.h>

#include <filesystem>
#include <fstream>
#include <thread>

namespace hocvu::testing {
namespace {

using namespace std::chrono_literals;

class Server : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = new ServerProcess({{"HOCVU_REQUEST_TIMEOUT", "2"}, {"HOCVU_MAX_BODY_BYTES", "4096"}}); }
  static void TearDownTestSuite() { delete server_; server_ = nullptr; }
  int port() const { return server_->port(); }
  static ServerProcess* server_;
};
ServerProcess* Server::server_ = nullptr;

TEST_F(Server, HealthzAndReadyz) {
  auto r = http_get(port(), "/healthz");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "ok\n");
  EXPECT_FALSE(r.header("X-Request-Id").empty());
  auto ready = http_get(port(), "/readyz");
  EXPECT_EQ(ready.status, 200);
}

TEST_F(Server, HomePageIsVietnameseByDefaultWithSecurityHeaders) {
  auto r = http_get(port(), "/");
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("<html lang=\"vi\">"), std::string::npos);
  EXPECT_NE(r.body.find("HọcVụ"), std::string::npos);
  EXPECT_NE(r.body.find("href=\"/courses\""), std::string::npos);
  EXPECT_NE(r.header("Content-Security-Policy").find("frame-ancestors 'none'"), std::string::npos);
  EXPECT_EQ(r.header("X-Content-Type-Options"), "nosniff");
  EXPECT_FALSE(r.header("Referrer-Policy").empty());
}

TEST_F(Server, LanguageFromQueryCookieAndAcceptLanguage) {
  auto en = http_get(port(), "/?lang=en");
  EXPECT_NE(en.body.find("<html lang=\"en\">"), std::string::npos);
  bool lang_cookie = false;
  for (auto& [k, v] : en.headers) lang_cookie = lang_cookie || (k == "Set-Cookie" && v.rfind("lang=en;", 0) == 0);
  EXPECT_TRUE(lang_cookie);
  auto cookie = http_get(port(), "/", {{"Cookie", "lang=en"}});
  EXPECT_NE(cookie.body.find("Digital skills for everyone"), std::string::npos);
  auto accept = http_get(port(), "/", {{"Accept-Language", "en-US,en;q=0.9"}});
  EXPECT_NE(accept.body.find("<html lang=\"en\">"), std::string::npos);
  auto vi = http_get(port(), "/", {{"Accept-Language", "fr, vi;q=0.5, en;q=0.4"}});
  EXPECT_NE(vi.body.find("<html lang=\"vi\">"), std::string::npos);
}

TEST_F(Server, NotFoundPageUsesTheLayoutAndApiGetsJson) {
  auto page = http_get(port(), "/khong-co-trang-nay");
  EXPECT_EQ(page.status, 404);
  EXPECT_NE(page.body.find("Không tìm thấy trang"), std::string::npos);
  EXPECT_NE(page.body.find("site-header"), std::string::npos);
  auto api = http_get(port(), "/api/v1/khong-co");
  EXPECT_EQ(api.status, 404);
  EXPECT_NE(api.header("Content-Type").find("application/json"), std::string::npos);
  EXPECT_NE(api.body.find("\"code\":\"not_found\""), std::string::npos);
}

TEST_F(Server, WrongMethodIs405WithAllow) {
  Connection c(port());
  auto r = c.request("POST", "/healthz", {}, "x");
  EXPECT_EQ(r.status, 405);
  EXPECT_NE(r.header("Allow").find("GET"), std::string::npos);
}

TEST_F(Server, HeadHasHeadersButNoBody) {
  Connection c(port());
  auto r = c.request("HEAD", "/");
  EXPECT_EQ(r.status, 200);
  EXPECT_FALSE(r.header("Content-Length").empty());
  EXPECT_NE(r.header("Content-Length"), "0");
  // The connection is still usable: no stray body bytes were sent.
  auto next = c.request("GET", "/healthz");
  EXPECT_EQ(next.body, "ok\n");
}

TEST_F(Server, KeepAliveAndPipelining) {
  Connection c(port());
  for (int i = 0; i < 5; ++i) EXPECT_EQ(c.request("GET", "/healthz").status, 200);
  c.send_raw("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /readyz HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(c.read_response().body, "ok\n");
  EXPECT_EQ(c.read_response().body, "ready\n");
}

TEST_F(Server, MalformedRequestLineGets400AndClose) {
  Connection c(port());
  c.send_raw("THIS IS NOT HTTP\r\n\r\n");
  auto r = c.read_response();
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(c.closed_by_peer(2s));
}

TEST_F(Server, BadPathsGet400) {
  for (std::string target : {"/a/../b", "/%00", "/static/%2e%2e/secret", "/a%2Fb", "/%ZZ", "/%C3%28"}) {
    Connection c(port());
    c.send_raw("GET " + target + " HTTP/1.1\r\nHost: x\r\n\r\n");
    EXPECT_EQ(c.read_response().status, 400) << target;
  }
}

TEST_F(Server, OversizedHeaderGets431) {
  Connection c(port());
  c.send_raw("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(40000, 'a') + "\r\n\r\n");
  auto r = c.read_response();
  EXPECT_EQ(r.status, 431);
}

TEST_F(Server, OversizedBodyGets413) {
  Connection c(port());
  c.send_raw("POST /sign-in HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n" + std::string(5000, 'x'));
  auto r = c.read_response();
  EXPECT_EQ(r.status, 413);
  // A route that takes no POST says so first, without reading the body.
  Connection d(port());
  d.send_raw("POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n" + std::string(5000, 'x'));
  EXPECT_EQ(d.read_response().status, 405);
}

TEST_F(Server, SlowClientIsCutOffAfterTheRequestTimeout) {
  Connection c(port());
  c.send_raw("GET / HTTP/1.1\r\nHost: x\r\n");  // never finishes the header
  // Like nginx, the server drops such a connection when the request timeout (2 s here) ends.
  auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(c.closed_by_peer(6s));
  EXPECT_GE(std::chrono::steady_clock::now() - start, 1500ms);
  // The server is unharmed.
  EXPECT_EQ(http_get(port(), "/healthz").status, 200);
}

TEST_F(Server, StaticAssetsHaveEtagsAndFingerprintedOnesAreImmutable) {
  auto home = http_get(port(), "/");
  auto pos = home.body.find("/assets/css/app.");
  ASSERT_NE(pos, std::string::npos);
  std::string url = home.body.substr(pos, home.body.find('"', pos) - pos);
  auto css = http_get(port(), url);
  EXPECT_EQ(css.status, 200);
  EXPECT_NE(css.header("Cache-Control").find("immutable"), std::string::npos);
  EXPECT_NE(css.header("Content-Type").find("text/css"), std::string::npos);
  auto plain = http_get(port(), "/static/css/app.css");
  EXPECT_EQ(plain.body, css.body);
  EXPECT_NE(plain.header("Cache-Control").find("no-cache"), std::string::npos);
  auto again = http_get(port(), "/static/css/app.css", {{"If-None-Match", plain.header("ETag")}});
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.body.empty());
  auto gz = http_get(port(), "/static/css/app.css", {{"Accept-Encoding", "gzip, deflate"}});
  EXPECT_EQ(gz.header("Content-Encoding"), "gzip");
  EXPECT_LT(gz.body.size(), plain.body.size());
}

TEST_F(Server, MediaSupportsRangeRequests) {
  std::filesystem::create_directories(server_->data_dir() + "/media/videos");
  std::string content;
  for (int i = 0; i < 100000; ++i) content.push_back(static_cast<char>('a' + i % 26));
  std::ofstream(server_->data_dir() + "/media/videos/clip.mp4", std::ios::binary) << content;

  auto full = http_get(port(), "/media/videos/clip.mp4");
  EXPECT_EQ(full.status, 200);
  EXPECT_EQ(full.body, content);
  EXPECT_EQ(full.header("Accept-Ranges"), "bytes");
  EXPECT_EQ(full.header("Content-Type"), "video/mp4");

  auto part = http_get(port(), "/media/videos/clip.mp4", {{"Range", "bytes=1000-1999"}});
  EXPECT_EQ(part.status, 206);
  EXPECT_EQ(part.header("Content-Range"), "bytes 1000-1999/100000");
  EXPECT_EQ(part.body, content.substr(1000, 1000));

  auto tail = http_get(port(), "/media/videos/clip.mp4", {{"Range", "bytes=-10"}});
  EXPECT_EQ(tail.body, content.substr(99990));

  auto beyond = http_get(port(), "/media/videos/clip.mp4", {{"Range", "bytes=200000-"}});
  EXPECT_EQ(beyond.status, 416);
  EXPECT_EQ(beyond.header("Content-Range"), "bytes */100000");

  EXPECT_EQ(http_get(port(), "/media/videos/missing.mp4").status, 404);
}

TEST_F(Server, MediaIsStreamedInChunksAndCheckedLikeStaticFiles) {
  std::string dir = server_->data_dir() + "/media";
  std::filesystem::create_directories(dir + "/docs");
  std::string big;
  for (int i = 0; i < 1'000'000; ++i) big.push_back(static_cast<char>(i * 7 % 251));
  std::ofstream(dir + "/docs/big.pdf", std::ios::binary) << big;
  auto full = http_get(port(), "/media/docs/big.pdf");
  ASSERT_EQ(full.status, 200);
  EXPECT_EQ(full.body, big);  // several chunks
  auto range = http_get(port(), "/media/docs/big.pdf", {{"Range", "bytes=65000-400000"}});
  EXPECT_EQ(range.status, 206);
  EXPECT_EQ(range.body, big.substr(65000, 335001));  // crosses chunk boundaries
  EXPECT_NE(full.header("Content-Security-Policy").find("sandbox"), std::string::npos);

  Connection c(port());
  auto head = c.request("HEAD", "/media/docs/big.pdf");
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.header("Content-Length"), "1000000");
  EXPECT_EQ(c.request("GET", "/healthz").body, "ok\n");  // no stray body bytes after HEAD
  auto cached = http_get(port(), "/media/docs/big.pdf", {{"If-None-Match", full.header("ETag")}});
  EXPECT_EQ(cached.status, 304);
  auto stale = http_get(port(), "/media/docs/big.pdf", {{"Range", "bytes=0-9"}, {"If-Range", "\"old\""}});
  EXPECT_EQ(stale.status, 200);  // If-Range names another version: the whole file
  EXPECT_EQ(stale.body.size(), big.size());
}

TEST_F(Server, MediaNeverRunsAsAPageOfOurs) {
  std::string dir = server_->data_dir() + "/media";
  std::filesystem::create_directories(dir + "/up");
  std::ofstream(dir + "/up/page.html") << "<script>alert(1)</script>";
  std::ofstream(dir + "/up/.hidden.mp4") << "x";
  std::ofstream(dir + "/secret.txt") << "secret";
  std::filesystem::create_symlink(dir + "/secret.txt", dir + "/up/link.mp4");
  auto html = http_get(port(), "/media/up/page.html");
  EXPECT_EQ(html.status, 200);
  EXPECT_EQ(html.header("Content-Type"), "application/octet-stream");
  EXPECT_EQ(html.header("Content-Disposition"), "attachment");
  EXPECT_EQ(http_get(port(), "/media/up/.hidden.mp4").status, 404);
  EXPECT_EQ(http_get(port(), "/media/up/link.mp4").status, 404);
}

TEST_F(Server, Http10AndConnectionClose) {
  Connection keep(port());
  keep.send_raw("GET /healthz HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
  auto r = keep.read_response();
  EXPECT_EQ(r.body, "ok\n");
  EXPECT_EQ(r.header("Connection"), "keep-alive");
  keep.send_raw("GET /healthz HTTP/1.0\r\n\r\n");  // 1.0 without keep-alive: answered, then closed
  EXPECT_EQ(keep.read_response().body, "ok\n");
  EXPECT_TRUE(keep.closed_by_peer(2s));

  Connection close(port());
  auto c = close.request("GET", "/healthz", {{"Connection", "close"}});
  EXPECT_EQ(c.header("Connection"), "close");
  EXPECT_TRUE(close.closed_by_peer(2s));
}

TEST_F(Server, ExpectContinueOnlyForRequestsThatWillBeRead) {
  Connection c(port());
  c.send_raw("POST /khong-co HTTP/1.1\r\nHost: x\r\nContent-Length: 3000\r\nExpect: 100-continue\r\n\r\n");
  auto r = c.read_response();
  EXPECT_EQ(r.status, 404);  // answered at once: no "100 Continue" invites the upload
  Connection d(port());
  d.send_raw("PUT /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nExpect: something-else\r\n\r\nabc");
  EXPECT_EQ(d.read_response().status, 405);  // refused on its header, before the expectation matters
}

TEST_F(Server, FrameworksPageAndApi) {
  auto page = http_get(port(), "/frameworks");
  EXPECT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("Khai thác dữ liệu và thông tin"), std::string::npos);
  EXPECT_NE(page.body.find("Chuyên sâu"), std::string::npos);
  auto api = http_get(port(), "/api/v1/frameworks");
  EXPECT_EQ(api.status, 200);
  EXPECT_NE(api.body.find("\"code\":\"tt02-2025\""), std::string::npos);
  EXPECT_NE(api.body.find("\"code\":\"6.3\""), std::string::npos);
  EXPECT_EQ(http_get(port(), "/api/v1/frameworks/khong-co").status, 404);
  EXPECT_EQ(http_get(port(), "/frameworks/khong-co").status, 404);
  auto provinces = http_get(port(), "/api/v1/provinces");
  EXPECT_NE(provinces.body.find("Hồ Chí Minh"), std::string::npos);
  auto groups = http_get(port(), "/api/v1/target-groups");
  EXPECT_NE(groups.body.find("\"code\":\"citizen\""), std::string::npos);
}

TEST_F(Server, LargePagesAreCompressedForClientsThatAsk) {
  auto r = http_get(port(), "/frameworks", {{"Accept-Encoding", "gzip"}});
  EXPECT_EQ(r.header("Content-Encoding"), "gzip");
  EXPECT_EQ(r.header("Vary").find("Accept-Encoding") != std::string::npos, true);
  auto plain = http_get(port(), "/frameworks", {{"Accept-Encoding", "gzip;q=0"}});
  EXPECT_TRUE(plain.header("Content-Encoding").empty());
}

TEST_F(Server, OpenApiDocumentIsServed) {
  auto r = http_get(port(), "/api/v1/openapi.json");
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("\"openapi\""), std::string::npos);
  EXPECT_NE(r.body.find("/api/v1/frameworks"), std::string::npos);
}

// /metrics is for the operator's scraper: a request relayed by a reverse proxy on this machine
// (it carries X-Forwarded-For or Forwarded) is refused, and with HOCVU_METRICS_TOKEN set only the
// token opens it. /healthz and /readyz stay public.
TEST_F(Server, MetricsAreOnlyForTheScraper) {
  EXPECT_EQ(http_get(port(), "/metrics", {{"X-Forwarded-For", "203.0.113.9"}}).status, 403);
  EXPECT_EQ(http_get(port(), "/metrics", {{"Forwarded", "for=203.0.113.9"}}).status, 403);
  EXPECT_EQ(http_get(port(), "/healthz", {{"X-Forwarded-For", "203.0.113.9"}}).status, 200);
  EXPECT_EQ(http_get(port(), "/readyz", {{"X-Forwarded-For", "203.0.113.9"}}).status, 200);
  const std::string token = "metrics-token-0123456789abcdef-0123456789";
  ServerProcess guarded(std::map<std::string, std::string>{{"HOCVU_METRICS_TOKEN", token}});
  auto anonymous = http_get(guarded.port(), "/metrics");
  EXPECT_EQ(anonymous.status, 401);
  EXPECT_EQ(anonymous.body.find("hocvu_http_requests_total"), std::string::npos);
  EXPECT_EQ(http_get(guarded.port(), "/metrics", {{"Authorization", "Bearer wrong-token-0123456789abcdef-01234567"}}).status, 401);
  auto scraped = http_get(guarded.port(), "/metrics", {{"Authorization", "Bearer " + token}, {"X-Forwarded-For", "203.0.113.9"}});
  EXPECT_EQ(scraped.status, 200);
  EXPECT_NE(scraped.body.find("hocvu_http_requests_total"), std::string::npos);
  EXPECT_EQ(http_get(guarded.port(), "/healthz").status, 200);
  EXPECT_EQ(http_get(guarded.port(), "/readyz").status, 200);
}

TEST_F(Server, MetricsCountRequestsByRouteAndStatus) {
  http_get(port(), "/healthz");
  http_get(port(), "/khong-co");
  auto r = http_get(port(), "/metrics");
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("hocvu_http_requests_total{route=\"/healthz\",method=\"GET\",status=\"200\"}"), std::string::npos);
  EXPECT_NE(r.body.find("route=\"(unmatched)\",method=\"GET\",status=\"404\""), std::string::npos);
  EXPECT_NE(r.body.find("hocvu_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"+Inf\"}"), std::string::npos);
  EXPECT_NE(r.body.find("hocvu_db_pool_open"), std::string::npos);
  EXPECT_NE(r.body.find("hocvu_http_connections_open"), std::string::npos);
}

TEST_F(Server, AccessLogIsJsonLines) {
  http_get(port(), "/healthz", {{"X-Request-Id", "test-req-42"}});
  const std::string line = "\"msg\":\"request\",\"request_id\":\"test-req-42\",\"method\":\"GET\",\"path\":\"/healthz\"";
  // The log is flushed at least once a second; allow for a busy machine.
  auto deadline = std::chrono::steady_clock::now() + 10s;
  while (server_->output().find(line) == std::string::npos && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(50ms);
  EXPECT_NE(server_->output().find(line), std::string::npos) << server_->output().substr(0, 2000);
}

// Each test below runs its own server, because it stops it.

TEST(ServerLifecycle, SigtermFinishesTheRequestInFlightAndClosesIdleConnections) {
  ServerProcess server;
  Connection idle(server.port());
  EXPECT_EQ(idle.request("GET", "/healthz").status, 200);

  Connection busy(server.port());
  busy.send_raw("POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nhalf.");  // in flight
  std::this_thread::sleep_for(200ms);
  server.signal(SIGTERM);
  EXPECT_TRUE(idle.closed_by_peer(3s));
  busy.send_raw("done!");
  auto r = busy.read_response();
  EXPECT_EQ(r.status, 405);  // the request was answered, not dropped
  EXPECT_EQ(server.wait_exit(), 0) << server.output();
  EXPECT_NE(server.output().find("\"msg\":\"stopped\""), std::string::npos);
}

TEST(ServerLifecycle, IdleAndSilentConnectionsAreClosed) {
  ServerProcess server(std::map<std::string, std::string>{{"HOCVU_IDLE_TIMEOUT", "1"}, {"HOCVU_REQUEST_TIMEOUT", "2"}});
  Connection kept(server.port());
  EXPECT_EQ(kept.request("GET", "/healthz").status, 200);
  auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(kept.closed_by_peer(5s));  // idle after a request: HOCVU_IDLE_TIMEOUT
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1900ms);
  Connection silent(server.port());  // never sends a byte: HOCVU_REQUEST_TIMEOUT
  EXPECT_TRUE(silent.closed_by_peer(5s));
}

TEST(ServerLifecycle, ConnectionLimitRefusesTheExtraOnes) {
  ServerProcess server(std::map<std::string, std::string>{{"HOCVU_MAX_CONNECTIONS", "3"}});
  std::vector<std::unique_ptr<Connection>> held;
  for (int i = 0; i < 3; ++i) {
    held.push_back(std::make_unique<Connection>(server.port()));
    EXPECT_EQ(held.back()->request("GET", "/healthz").status, 200);
  }
  Connection extra(server.port());
  EXPECT_TRUE(extra.closed_by_peer(2s));
  held.pop_back();  // a place frees up once the server has seen this one close
  std::string metrics;
  for (int attempt = 0; attempt < 50 && metrics.empty(); ++attempt) {
    try {
      metrics = http_get(server.port(), "/metrics").body;
    } catch (const std::runtime_error&) {
      std::this_thread::sleep_for(100ms);
    }
  }
  // At least the extra connection was refused (retries above may have been too).
  const std::string sample = "\nhocvu_http_connections_refused_total ";  // the sample, not the # HELP line
  auto at = metrics.find(sample);
  ASSERT_NE(at, std::string::npos) << metrics;
  EXPECT_GE(std::stoi(metrics.substr(at + sample.size())), 1) << metrics;
}

TEST(ServerLifecycle, BadConfigurationIsRefusedWithOneClearLine) {
  auto r = run_command({ServerProcess::binary(), "serve"}, {{"HOCVU_LISTEN", "nowhere"}});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.output.find("HOCVU_LISTEN='nowhere'"), std::string::npos) << r.output;
  auto threads = run_command({ServerProcess::binary(), "serve"}, {{"HOCVU_THREADS", "many"}});
  EXPECT_EQ(threads.status, 2);
  EXPECT_NE(threads.output.find("HOCVU_THREADS"), std::string::npos);
  auto secret = run_command({ServerProcess::binary(), "serve"}, {{"HOCVU_DATABASE_URL", "mysql://u:hunter2@db/x"}});
  EXPECT_EQ(secret.status, 2);
  EXPECT_EQ(secret.output.find("hunter2"), std::string::npos) << secret.output;  // never echo a password
  auto unknown = run_command({ServerProcess::binary(), "serve"}, {{"HOCVU_LISTNE", "127.0.0.1:1"}});
  EXPECT_EQ(unknown.status, 2);
  EXPECT_NE(unknown.output.find("HOCVU_LISTNE: unknown setting"), std::string::npos);
}

TEST(Cli, HelpVersionAndMigrateTwiceIsANoOp) {
  auto help = run_command({ServerProcess::binary(), "--help"}, {});
  EXPECT_EQ(help.status, 0);
  EXPECT_NE(help.output.find("serve"), std::string::npos);
  for (std::string cmd : {"serve", "migrate", "seed", "version"}) {
    auto r = run_command({ServerProcess::binary(), cmd, "--help"}, {});
    EXPECT_EQ(r.status, 0) << cmd;
    EXPECT_NE(r.output.find("Usage: hocvu " + cmd), std::string::npos) << cmd;
  }
  auto version = run_command({ServerProcess::binary(), "version"}, {});
  EXPECT_EQ(version.output.rfind("hocvu ", 0), 0u);
  EXPECT_EQ(run_command({ServerProcess::binary(), "frobnicate"}, {}).status, 2);

  std::string dir = std::filesystem::temp_directory_path() / ("hocvu-cli-" + std::to_string(getpid()));
  std::map<std::string, std::string> env{{"HOCVU_DATA_DIR", dir}};
  if (const char* url = std::getenv("HOCVU_TEST_DATABASE_URL"); url && *url) env["HOCVU_DATABASE_URL"] = url;
  auto first = run_command({ServerProcess::binary(), "migrate"}, env);
  EXPECT_EQ(first.status, 0) << first.output;
  auto second = run_command({ServerProcess::binary(), "migrate"}, env);
  EXPECT_EQ(second.status, 0);
  EXPECT_EQ(second.output.find("migration applied"), std::string::npos) << second.output;
  EXPECT_NE(second.output.find("schema version "), std::string::npos) << second.output;
  EXPECT_EQ(first.output.substr(first.output.find("schema version ")),
            second.output.substr(second.output.find("schema version ")));
  auto seed = run_command({ServerProcess::binary(), "seed", "--demo"}, env);
  EXPECT_EQ(seed.status, 0) << seed.output;
  EXPECT_NE(seed.output.find("34 provinces"), std::string::npos) << seed.output;
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace hocvu::testing
