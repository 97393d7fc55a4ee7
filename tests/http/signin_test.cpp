// Sign-in that survives shared addresses (issue 10): failures against other accounts never refuse a
// correct password, a browser that signed in before is never held back by an attacker, addresses
// come from X-Forwarded-For only through a listed proxy, first sign-in answers alike until the code
// is proven, registration is throttled; cookies and the API (Secure/__Host-, Origin, JSON bodies).
// The server trusts 127.0.0.1 as a proxy, so each request names its client in X-Forwarded-For.
#include "support/api.h"
#include "support/server_process.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <random>
#include <strings.h>
#include <thread>

namespace hocvu::testing {
namespace {

using Headers = std::map<std::string, std::string>;

std::string cookie_line(const HttpResponse& r, const std::string& name) {
  for (auto& [k, v] : r.headers)
    if (strcasecmp(k.c_str(), "Set-Cookie") == 0 && v.rfind(name + "=", 0) == 0) return v;
  return {};
}
std::string cookie_value(const HttpResponse& r, const std::string& name) {
  auto line = cookie_line(r, name);
  if (line.empty()) return {};
  return line.substr(name.size() + 1, line.find(';') - name.size() - 1);
}

HttpResponse post(int port, const std::string& path, const std::string& body, Headers headers) {
  if (!headers.contains("Content-Type")) headers["Content-Type"] = "application/json";
  Connection c(port);
  return c.request("POST", path, headers, body);
}

std::string account(const std::string& cccd, const std::string& phone) {
  return R"({"full_name":"Trần Văn An","national_id":")" + cccd + R"(","phone":")" + phone +
         R"(","password":"Hoc-vu-so!","birth_date":"1999-05-01","target_group":"citizen","unit_code":"01"})";
}
std::string credentials(const std::string& login, const std::string& password) {
  return R"({"login":")" + login + R"(","password":")" + password + R"("})";
}

class SignIn : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = new ServerProcess(std::map<std::string, std::string>{{"HOCVU_TRUSTED_PROXIES", "127.0.0.1"}}); }
  static void TearDownTestSuite() { delete server_; }
  static int port() { return server_->port(); }
  static ServerProcess* server_;
};
ServerProcess* SignIn::server_ = nullptr;

TEST_F(SignIn, AThousandFailuresFromOneAddressNeverRefuseARealPersonThere) {
  const Headers nat{{"X-Forwarded-For", "198.51.100.10"}};
  ASSERT_EQ(post(port(), "/api/v1/accounts", account("001199000501", "0911000501"), {{"X-Forwarded-For", "192.0.2.1"}}).status, 201);
  // A script behind the same carrier NAT tries 1,000 random logins.
  std::atomic<int> next{0}, refused{0}, answered{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 24; ++t)
    threads.emplace_back([&, t] {
      std::mt19937 rng(static_cast<unsigned>(t));
      for (int i; (i = next++) < 1000;) {
        std::string login = "09" + std::to_string(20000000 + rng() % 70000000);
        auto r = post(port(), "/api/v1/sessions", credentials(login, "doan-bua-" + std::to_string(i)), nat);
        if (r.status == 401) ++answered;
        if (r.status == 429) ++refused;
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(answered.load(), 1000);
  EXPECT_EQ(refused.load(), 0);
  // A real person on that address, in a browser that never signed in before, signs in at once.
  auto started = std::chrono::steady_clock::now();
  auto mine = post(port(), "/api/v1/sessions", credentials("0911000501", "Hoc-vu-so!"), nat);
  auto took = std::chrono::steady_clock::now() - started;
  EXPECT_EQ(mine.status, 201) << mine.body;
  EXPECT_LT(took, std::chrono::seconds(5));  // at most the short delay of a throttled address
  // And on the sign-in page too.
  auto page = http_get(port(), "/sign-in", nat);
  std::string csrf = cookie_value(page, "hocvu_csrf");
  auto form = post(port(), "/sign-in", "csrf=" + csrf + "&login=001199000501&password=Hoc-vu-so%21",
                   {{"Content-Type", "application/x-www-form-urlencoded"}, {"Cookie", "hocvu_csrf=" + csrf},
                    {"X-Forwarded-For", "198.51.100.10"}});
  EXPECT_EQ(form.status, 303);
}

TEST_F(SignIn, AnAttackerOnOneAccountNeverHoldsBackTheOwnersBrowser) {
  ASSERT_EQ(post(port(), "/api/v1/accounts", account("001199000502", "0911000502"), {{"X-Forwarded-For", "192.0.2.2"}}).status, 201);
  // The owner signs in from their phone once: it gets a device cookie.
  auto first = post(port(), "/api/v1/sessions", credentials("0911000502", "Hoc-vu-so!"), {{"X-Forwarded-For", "192.0.2.2"}});
  ASSERT_EQ(first.status, 201);
  std::string device = cookie_value(first, "hocvu_device");
  ASSERT_EQ(device.size(), 43u) << cookie_line(first, "hocvu_device");
  EXPECT_NE(cookie_line(first, "hocvu_device").find("HttpOnly"), std::string::npos);
  // An attacker guesses from many addresses.
  for (int i = 0; i < 12; ++i)
    post(port(), "/api/v1/sessions", credentials("0911000502", "doan-" + std::to_string(i)),
         {{"X-Forwarded-For", "203.0.113." + std::to_string(i + 1)}});
  // Untrusted clients of the account now wait, even with the right password...
  auto stranger = post(port(), "/api/v1/sessions", credentials("0911000502", "Hoc-vu-so!"), {{"X-Forwarded-For", "192.0.2.99"}});
  EXPECT_EQ(stranger.status, 429);
  EXPECT_FALSE(stranger.header("Retry-After").empty());
  // ...but the owner's phone signs in at once, from wherever it is.
  auto owner = post(port(), "/api/v1/sessions", credentials("0911000502", "Hoc-vu-so!"),
                    {{"X-Forwarded-For", "192.0.2.3"}, {"Cookie", "hocvu_device=" + device}});
  EXPECT_EQ(owner.status, 201) << owner.body;
  // The cookie is replaced at each sign-in, and the new one is trusted in turn.
  std::string renewed = cookie_value(owner, "hocvu_device");
  ASSERT_EQ(renewed.size(), 43u);
  EXPECT_NE(renewed, device);
  EXPECT_EQ(post(port(), "/api/v1/sessions", credentials("0911000502", "Hoc-vu-so!"),
                 {{"X-Forwarded-For", "192.0.2.3"}, {"Cookie", "hocvu_device=" + renewed}}).status, 201);
  // A made-up device cookie is no cookie at all.
  EXPECT_EQ(post(port(), "/api/v1/sessions", credentials("0911000502", "Hoc-vu-so!"),
                 {{"X-Forwarded-For", "192.0.2.4"}, {"Cookie", "hocvu_device=" + std::string(43, 'A')}}).status, 429);
}

TEST_F(SignIn, ATrustedDeviceHasItsOwnSmallBudget) {
  ASSERT_EQ(post(port(), "/api/v1/accounts", account("001199000503", "0911000503"), {{"X-Forwarded-For", "192.0.2.5"}}).status, 201);
  auto first = post(port(), "/api/v1/sessions", credentials("0911000503", "Hoc-vu-so!"), {{"X-Forwarded-For", "192.0.2.5"}});
  std::string device = cookie_value(first, "hocvu_device");
  ASSERT_EQ(device.size(), 43u);
  const Headers with_cookie{{"X-Forwarded-For", "192.0.2.5"}, {"Cookie", "hocvu_device=" + device}};
  // A stolen cookie buys ten guesses; its failures do not lock the account for others.
  for (int i = 0; i < 11; ++i) EXPECT_EQ(post(port(), "/api/v1/sessions", credentials("0911000503", "sai"), with_cookie).status, 401);
  EXPECT_EQ(post(port(), "/api/v1/sessions", credentials("0911000503", "Hoc-vu-so!"), {{"X-Forwarded-For", "192.0.2.6"}}).status, 201);
}

// Which address a request counts against, read from the access log by request id.
std::string logged_remote(const ServerProcess& server, const std::string& request_id) {
  // The log is flushed at least once a second; allow for a busy machine.
  for (int tries = 0; tries < 500; ++tries) {
    std::string out = server.output();
    auto at = out.find("\"request_id\":\"" + request_id + "\"");
    if (at != std::string::npos) {
      auto line_end = out.find('\n', at);
      auto remote = out.find("\"remote\":\"", at);
      if (remote != std::string::npos && remote < line_end) {
        remote += 10;
        return out.substr(remote, out.find('"', remote) - remote);
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return "(not logged)";
}

TEST_F(SignIn, ForwardedForIsHonouredOnlyFromATrustedProxy) {
  http_get(port(), "/", {{"X-Forwarded-For", "1.2.3.4, 198.51.100.77"}, {"X-Request-Id", "xff-trusted"}});
  EXPECT_EQ(logged_remote(*server_, "xff-trusted"), "198.51.100.77");
  http_get(port(), "/", {{"Forwarded", "for=\"[2001:db8::5]:443\";proto=https"}, {"X-Request-Id", "fwd-trusted"}});
  EXPECT_EQ(logged_remote(*server_, "fwd-trusted"), "2001:db8::5");
  ServerProcess direct;  // trusts nobody
  http_get(direct.port(), "/", {{"X-Forwarded-For", "198.51.100.77"}, {"X-Request-Id", "xff-ignored"}});
  EXPECT_EQ(logged_remote(direct, "xff-ignored"), "127.0.0.1");
  // And the throttle follows: a forged header from an untrusted peer does not dodge the address count.
}

TEST_F(SignIn, FirstSignInAnswersAlikeUntilTheCodeIsProven) {
  std::map<std::string, std::string> env{{"HOCVU_DATA_DIR", server_->data_dir()}};
  if (const char* url = std::getenv("HOCVU_TEST_DATABASE_URL"); url && *url) env["HOCVU_DATABASE_URL"] = url;
  auto admin = run_command({"/bin/sh", "-c", "printf 'Quan-tri-2025!\\n' | \"$HOCVU_BINARY\" create-admin --login 0900000501 --name 'Quản Trị Viên'"}, env);
  ASSERT_EQ(admin.status, 0) << admin.output;
  std::string admin_token = token_for(port(), "0900000501", "Quan-tri-2025!");
  ASSERT_FALSE(admin_token.empty());
  auto created = post(port(), "/api/v1/accounts", account("001199000504", "0911000504"), {{"X-Forwarded-For", "192.0.2.7"}});
  ASSERT_EQ(created.status, 201);
  std::string id = std::to_string(parse(created).at("id").as_int64());
  auto issued = call(port(), "POST", "/api/v1/people/" + id + "/setup-code", admin_token);
  ASSERT_EQ(issued.status, 201) << issued.body;
  std::string code(parse(issued).at("code").as_string());

  auto setup = [&](const std::string& login, const std::string& c, const std::string& pw, const std::string& from) {
    return post(port(), "/api/v1/sessions/setup",
                R"({"login":")" + login + R"(","code":")" + c + R"(","new_password":")" + pw + R"("})",
                {{"X-Forwarded-For", from}});
  };
  auto unknown_weak = setup("0911999504", "khong-phai-ma", "123", "192.0.2.8");
  auto known_weak = setup("0911000504", "khong-phai-ma", "123", "192.0.2.9");
  auto known_strong = setup("0911000504", "khong-phai-ma", "Mat-khau-moi-9", "192.0.2.10");
  auto unknown_strong = setup("0911999504", "khong-phai-ma", "Mat-khau-moi-9", "192.0.2.11");
  for (const auto* r : {&unknown_weak, &known_weak, &known_strong, &unknown_strong}) {
    EXPECT_EQ(r->status, 401) << r->body;
    EXPECT_EQ(r->body, unknown_weak.body);
  }
  // Once the code is proven the person may hear that the password is weak; the code still works.
  auto proven_weak = setup("0911000504", code, "123", "192.0.2.12");
  EXPECT_EQ(proven_weak.status, 422);
  auto done = setup("0911000504", code, "Mat-khau-moi-9", "192.0.2.12");
  EXPECT_EQ(done.status, 201) << done.body;
  EXPECT_EQ(cookie_value(done, "hocvu_device").size(), 43u);
}

TEST_F(SignIn, RegistrationIsThrottledPerAddress) {
  const Headers from{{"X-Forwarded-For", "198.51.100.200"}};
  ASSERT_EQ(post(port(), "/api/v1/accounts", account("001199000505", "0911000505"), from).status, 201);
  // Each attempt that reaches the password hash counts, created or not.
  for (int i = 1; i < 100; ++i) ASSERT_EQ(post(port(), "/api/v1/accounts", account("001199000505", "0911000505"), from).status, 409) << i;
  auto refused = post(port(), "/api/v1/accounts", account("001199000506", "0911000506"), from);
  EXPECT_EQ(refused.status, 429);
  EXPECT_FALSE(refused.header("Retry-After").empty());
  EXPECT_NE(refused.body.find("đăng ký"), std::string::npos);
  // Another address is not affected.
  EXPECT_EQ(post(port(), "/api/v1/accounts", account("001199000506", "0911000506"), {{"X-Forwarded-For", "198.51.100.201"}}).status, 201);
}

TEST_F(SignIn, CookieAuthenticatedApiWritesPassTheOriginCheck) {
  ASSERT_EQ(post(port(), "/api/v1/accounts", account("001199000507", "0911000507"), {{"X-Forwarded-For", "192.0.2.13"}}).status, 201);
  auto s = post(port(), "/api/v1/sessions", credentials("0911000507", "Hoc-vu-so!"), {{"X-Forwarded-For", "192.0.2.13"}});
  std::string session = cookie_value(s, "hocvu_session");
  ASSERT_EQ(session.size(), 43u);
  const std::string body = R"({"name":"nhan su","scopes":"read"})";
  auto foreign = post(port(), "/api/v1/me/tokens", body, {{"Cookie", "hocvu_session=" + session}, {"Origin", "https://evil.example"}});
  EXPECT_EQ(foreign.status, 403);
  EXPECT_NE(foreign.body.find("trang web khác"), std::string::npos);
  Connection c(port());
  EXPECT_EQ(c.request("DELETE", "/api/v1/me/sessions", {{"Cookie", "hocvu_session=" + session}, {"Origin", "https://evil.example"}}).status, 403);
  const std::string host = "127.0.0.1";  // the Host the test client sends
  EXPECT_EQ(post(port(), "/api/v1/me/tokens", body, {{"Cookie", "hocvu_session=" + session}, {"Origin", "http://" + host}}).status, 201);
  // A bearer token is never sent by a browser on its own: no Origin needed.
  EXPECT_EQ(post(port(), "/api/v1/me/tokens", body, {{"Authorization", "Bearer " + session}, {"Origin", "https://evil.example"}}).status, 201);
}

TEST_F(SignIn, ApiBodiesAreJson) {
  ASSERT_EQ(post(port(), "/api/v1/accounts", account("001199000508", "0911000508"), {{"X-Forwarded-For", "192.0.2.14"}}).status, 201);
  std::string token = token_for(port(), "0911000508");
  ASSERT_FALSE(token.empty());
  // The two API POSTs that used to read any body.
  auto deletion = call(port(), "POST", "/api/v1/me/deletion-request", token, "reason=toi muon xoa", "text/plain");
  EXPECT_EQ(deletion.status, 415);
  EXPECT_NE(deletion.body.find("unsupported_media_type"), std::string::npos);
  auto members = call(port(), "POST", "/api/v1/organisations/1/members", token, "person_id=1", "application/x-www-form-urlencoded");
  EXPECT_EQ(members.status, 415);
  EXPECT_EQ(call(port(), "POST", "/api/v1/me/deletion-request", token, R"({"reason":"không dùng nữa"})").status, 202);
}

TEST(SecureCookies, HostPrefixAndSecureBehindAnHttpsPublicUrl) {
  ServerProcess server(std::map<std::string, std::string>{{"HOCVU_PUBLIC_URL", "https://hocvu.test"}});
  int port = server.port();
  ASSERT_EQ(post(port, "/api/v1/accounts", account("001199000509", "0911000509"), {}).status, 201);
  auto s = post(port, "/api/v1/sessions", credentials("0911000509", "Hoc-vu-so!"), {});
  ASSERT_EQ(s.status, 201);
  for (auto name : {"__Host-hocvu_session", "__Host-hocvu_device"}) {
    auto line = cookie_line(s, name);
    ASSERT_FALSE(line.empty()) << name;
    EXPECT_NE(line.find("; Secure"), std::string::npos) << line;
    EXPECT_NE(line.find("; Path=/"), std::string::npos) << line;
    EXPECT_EQ(line.find("Domain"), std::string::npos) << line;
  }
  EXPECT_TRUE(cookie_line(s, "hocvu_session").empty());
  auto page = http_get(port, "/sign-in");
  auto csrf = cookie_line(page, "__Host-hocvu_csrf");
  EXPECT_NE(csrf.find("; Secure"), std::string::npos) << csrf;
  // The session is read from the prefixed cookie only.
  std::string session = cookie_value(s, "__Host-hocvu_session");
  EXPECT_EQ(http_get(port, "/api/v1/me", {{"Cookie", "__Host-hocvu_session=" + session}}).status, 200);
  EXPECT_EQ(http_get(port, "/api/v1/me", {{"Cookie", "hocvu_session=" + session}}).status, 401);
  // The public origin passes the Origin check.
  EXPECT_EQ(post(port, "/api/v1/me/tokens", R"({"name":"x","scopes":"read"})",
                 {{"Cookie", "__Host-hocvu_session=" + session}, {"Origin", "https://hocvu.test"}}).status, 201);
}

}  // namespace
}  // namespace hocvu::testing
