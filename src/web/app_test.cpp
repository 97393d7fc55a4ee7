// The request pipeline without sockets: routing, error pages and API errors, language, headers.
#include "web/app.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace hocvu::web {
namespace {

class AppTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Config cfg;
    cfg.web_dir = HOCVU_WEB_DIR;
    cfg.access_log = false;
    auto app = App::create(cfg);
    ASSERT_TRUE(app.ok()) << app.status().message();
    app_ = std::move(*app);
    app_->router().add("GET", "/ok", [](Request& r) { return Response::text(200, "lang=" + r.lang); }, Execution::io);
    app_->router().add("GET", "/boom", [](Request&) -> Response { throw std::runtime_error("boom"); });
    app_->router().add("GET", "/big", [](Request&) { return Response::html(200, std::string(5000, 'a')); });
    app_->router().add("GET", "/api/v1/thing/{id}", [](Request& r) {
      return r.path_param("id") == "1" ? Response::json(200, "{}") : Response::text(404, "");
    });
    app_->seal();
  }
  Response get(std::string target, Fields headers = {}) {
    Request req;
    req.method = "GET";
    req.target = std::move(target);
    req.headers = std::move(headers);
    return app_->handle(req);
  }
  std::unique_ptr<App> app_;
};

TEST_F(AppTest, RoutesAndDecidesWhereHandlersRun) {
  Request req;
  req.method = "GET";
  req.target = "/ok";
  EXPECT_EQ(app_->begin(req).execution, Execution::io);
  req.target = "/big";
  EXPECT_EQ(app_->begin(req).execution, Execution::blocking);
  EXPECT_EQ(get("/ok").body, "lang=vi");
}

TEST_F(AppTest, ErrorsBecomePagesInTheLayoutOrApiErrors) {
  auto page = get("/missing");
  EXPECT_EQ(page.status, 404);
  EXPECT_NE(page.body.find("<html lang=\"vi\">"), std::string::npos);
  EXPECT_NE(page.body.find("Không tìm thấy trang"), std::string::npos);
  auto en = get("/missing", {{"Cookie", "lang=en"}});
  EXPECT_NE(en.body.find("Page not found"), std::string::npos);
  auto api = get("/api/v1/thing/2");
  EXPECT_EQ(api.status, 404);
  EXPECT_EQ(api.body, "{\"error\":{\"code\":\"not_found\",\"message\":\"Trang bạn tìm không tồn tại hoặc đã được chuyển đi. Hãy kiểm tra lại địa chỉ.\"}}");
  EXPECT_EQ(get("/api/v1/thing/1").body, "{}");
  auto bad = get("/a/../b");
  EXPECT_EQ(bad.status, 400);
}

TEST_F(AppTest, AHandlerThatThrowsGivesA500Page) {
  auto r = get("/boom");
  EXPECT_EQ(r.status, 500);
  EXPECT_NE(r.body.find("Lỗi máy chủ"), std::string::npos);
  EXPECT_EQ(r.body.find("boom"), std::string::npos);  // no internals leak to the page
}

TEST_F(AppTest, SecurityHeadersOnEveryResponse) {
  for (auto target : {"/ok", "/missing", "/api/v1/thing/1"}) {
    auto r = get(target);
    EXPECT_EQ(r.header("X-Content-Type-Options"), "nosniff") << target;
    EXPECT_NE(r.header("Content-Security-Policy").find("frame-ancestors 'none'"), std::string::npos) << target;
    EXPECT_FALSE(r.header("X-Request-Id").empty());
  }
  EXPECT_EQ(get("/ok", {{"X-Request-Id", "abc-123"}}).header("X-Request-Id"), "abc-123");
  EXPECT_NE(get("/ok", {{"X-Request-Id", "bad id\"<"}}).header("X-Request-Id"), "bad id\"<");
}

TEST_F(AppTest, LanguageChoiceSetsACookieOnce) {
  auto r = get("/ok?lang=en");
  EXPECT_EQ(r.body, "lang=en");
  EXPECT_NE(r.header("Set-Cookie").find("lang=en; Path=/"), std::string::npos);
  EXPECT_NE(r.header("Set-Cookie").find("SameSite=Lax"), std::string::npos);
  auto again = get("/ok?lang=en", {{"Cookie", "lang=en"}});
  EXPECT_TRUE(again.header("Set-Cookie").empty());
  // API responses may be cached publicly: they never set a cookie.
  EXPECT_TRUE(get("/api/v1/thing/1?lang=en").header("Set-Cookie").empty());
}

TEST_F(AppTest, CompressesLargeTextForClientsThatAccept) {
  auto plain = get("/big");
  EXPECT_EQ(plain.body.size(), 5000u);
  EXPECT_EQ(plain.header("Vary"), "Accept-Encoding");  // caches must not hand it to a gzip client
  auto z = get("/big", {{"Accept-Encoding", "gzip"}});
  EXPECT_EQ(z.header("Content-Encoding"), "gzip");
  EXPECT_EQ(z.header("Vary"), "Accept-Encoding");
  // A page varies by language too: compression must add to Vary, not replace it.
  auto page = get("/missing", {{"Accept-Encoding", "gzip"}});
  EXPECT_EQ(page.header("Content-Encoding"), "gzip");
  EXPECT_EQ(page.header("Vary"), "Accept-Language, Cookie, Accept-Encoding");
  EXPECT_LT(z.body.size(), 200u);
}

TEST_F(AppTest, EscapesWhatItRenders) {
  // Every {{value}} is HTML-escaped: a hostile value never becomes markup.
  Request req;
  req.lang = "vi";
  Data data{Data::type::object};
  data.set("status", "404");
  data.set("heading", "<script>alert(1)</script>");
  data.set("message", "\"><img src=x onerror=alert(1)>");
  data.set("request_id", "'&");
  auto r = app_->page(req, "error", "<title>", data);
  EXPECT_EQ(r.body.find("<script>alert"), std::string::npos);
  EXPECT_NE(r.body.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_EQ(r.body.find("<img src=x"), std::string::npos);
  EXPECT_NE(r.body.find("&lt;title&gt; – HọcVụ"), std::string::npos);
  EXPECT_NE(r.body.find("&apos;&amp;"), std::string::npos);
}

// The API prologue: bodies under /api/ are JSON unless the route is an upload; a write authenticated
// by cookie must come from this site; cookies are __Host- and Secure behind an https public URL.
class ApiPrologue : public ::testing::Test {
 protected:
  void make(Config cfg) {
    cfg.web_dir = HOCVU_WEB_DIR;
    cfg.access_log = false;
    auto app = App::create(cfg);
    ASSERT_TRUE(app.ok()) << app.status().message();
    app_ = std::move(*app);
    app_->set_authenticator([](Request& r) {
      if (!r.cookie(cookie_name(r, "hocvu_session")).empty()) {
        r.user_id = 7;
        r.cookie_authenticated = true;
      } else if (!r.bearer_token().empty()) {
        r.user_id = 7;
      }
    });
    app_->router().add("POST", "/api/v1/things", [](Request& r) { return Response::json(201, "{\"address\":\"" + r.remote_address + "\"}"); });
    app_->router().add("DELETE", "/api/v1/things/1", [](Request&) { return Response::text(204, ""); });
    // Uploads are admitted from the head: this gate refuses anyone not signed in.
    app_->router().add_upload("POST", "/api/v1/things/media", [](Request&) { return Response::json(201, "{}"); }, 1 << 20,
                              [](Request& r) -> std::optional<Response> {
                                if (!r.user_id) return Response::text(401, "");
                                return std::nullopt;
                              });
    app_->router().add("POST", "/api/v1/things/import", [](Request&) { return Response::json(200, "{}"); }).body_type = "text/csv";
    app_->router().add("POST", "/form", [](Request&) { return Response::text(200, "ok"); });
    app_->router().add("GET", "/page", [this](Request& r) { return app_->page(r, "error", "t", Data{Data::type::object}); });
    app_->seal();
  }
  Response send(std::string method, std::string target, Fields headers, std::string body = "", std::string peer = "203.0.113.5") {
    Request req;
    req.method = std::move(method);
    req.target = std::move(target);
    req.headers = std::move(headers);
    req.body = std::move(body);
    req.remote_address = std::move(peer);
    return app_->handle(req);
  }
  std::unique_ptr<App> app_;
};

TEST_F(ApiPrologue, ApiBodiesAreJsonOrAnUpload) {
  make(Config{});
  Fields json{{"Host", "hocvu.test"}, {"Content-Type", "application/json; charset=utf-8"}};
  EXPECT_EQ(send("POST", "/api/v1/things", json, "{}").status, 201);
  EXPECT_EQ(send("POST", "/api/v1/things", {{"Content-Type", "application/problem+json"}}, "{}").status, 201);
  for (std::string type : {"text/plain", "application/x-www-form-urlencoded", "", "application/jsonp", "multipart/form-data; boundary=x"}) {
    auto r = send("POST", "/api/v1/things", {{"Content-Type", type}}, "{}");
    EXPECT_EQ(r.status, 415) << type;
    EXPECT_NE(r.body.find("\"code\":\"unsupported_media_type\""), std::string::npos);
    EXPECT_NE(r.body.find("phải là JSON"), std::string::npos);
  }
  EXPECT_EQ(send("POST", "/api/v1/things", {}, "").status, 201) << "no body needs no type";
  EXPECT_EQ(send("POST", "/api/v1/things/media", {{"Content-Type", "image/png"}, {"Authorization", "Bearer x"}}, "PNG").status, 201)
      << "uploads name their own types";
  EXPECT_EQ(send("POST", "/form", {{"Content-Type", "text/plain"}}, "x").status, 200) << "pages are not the API";
  // A route that declares its body type gets that type only.
  EXPECT_EQ(send("POST", "/api/v1/things/import", {{"Content-Type", "text/csv; charset=utf-8"}}, "a,b").status, 200);
  auto csv_as_json = send("POST", "/api/v1/things/import", {{"Content-Type", "application/json"}}, "{}");
  EXPECT_EQ(csv_as_json.status, 415);
  EXPECT_NE(csv_as_json.body.find("text/csv"), std::string::npos);
}

TEST_F(ApiPrologue, CookieAuthenticatedApiWritesMustComeFromThisSite) {
  Config cfg;
  cfg.public_url = "https://hocvu.gov.vn";
  make(cfg);
  Fields cookie{{"Host", "hocvu.test"}, {"Cookie", "__Host-hocvu_session=abc"}, {"Content-Type", "application/json"}};
  auto foreign = cookie;
  foreign.emplace_back("Origin", "https://evil.example");
  auto refused = send("POST", "/api/v1/things", foreign, "{}");
  EXPECT_EQ(refused.status, 403);
  EXPECT_NE(refused.body.find("trang web khác"), std::string::npos);
  EXPECT_EQ(send("DELETE", "/api/v1/things/1", foreign).status, 403);
  auto null_origin = cookie;
  null_origin.emplace_back("Origin", "null");
  EXPECT_EQ(send("POST", "/api/v1/things", null_origin, "{}").status, 403);
  auto own = cookie;
  own.emplace_back("Origin", "https://hocvu.gov.vn");
  EXPECT_EQ(send("POST", "/api/v1/things", own, "{}").status, 201);
  auto host = cookie;
  host.emplace_back("Origin", "http://hocvu.test");
  EXPECT_EQ(send("POST", "/api/v1/things", host, "{}").status, 201);
  EXPECT_EQ(send("POST", "/api/v1/things", cookie, "{}").status, 201) << "no Origin: not a browser's cross-site request";
  // A bearer token is not sent by browsers on their own: no Origin check.
  EXPECT_EQ(send("POST", "/api/v1/things", {{"Authorization", "Bearer x"}, {"Origin", "https://evil.example"}}, "").status, 201);
}

// Uploads are decided from the head (App::admit): the gate refuses, and a cookie-authenticated
// upload from another site is refused, before the handler (and the body) is reached.
TEST_F(ApiPrologue, UploadsAreAdmittedFromTheHeadBeforeTheBody) {
  Config cfg;
  cfg.public_url = "https://hocvu.gov.vn";
  make(cfg);
  auto anonymous = send("POST", "/api/v1/things/media", {{"Content-Type", "image/png"}}, "PNG");
  EXPECT_EQ(anonymous.status, 401);
  EXPECT_TRUE(anonymous.close_connection) << "the unread body must not be taken for the next request";
  auto foreign = send("POST", "/api/v1/things/media",
                      {{"Cookie", "__Host-hocvu_session=abc"}, {"Origin", "https://evil.example"}, {"Content-Type", "image/png"}}, "PNG");
  EXPECT_EQ(foreign.status, 403);
  EXPECT_EQ(send("POST", "/api/v1/things/media",
                 {{"Cookie", "__Host-hocvu_session=abc"}, {"Origin", "https://hocvu.gov.vn"}, {"Content-Type", "image/png"}}, "PNG").status,
            201);
}

TEST_F(ApiPrologue, SecureCookiesBehindAnHttpsPublicUrl) {
  Config cfg;
  cfg.public_url = "https://hocvu.gov.vn";
  make(cfg);
  auto page = send("GET", "/page", {});
  auto cookie = page.header("Set-Cookie");
  EXPECT_TRUE(cookie.starts_with("__Host-hocvu_csrf=")) << cookie;
  EXPECT_NE(cookie.find("; Path=/"), std::string_view::npos);
  EXPECT_NE(cookie.find("; Secure"), std::string_view::npos);
  EXPECT_EQ(cookie.find("Domain="), std::string_view::npos);

  make(Config{});
  auto plain_page = send("GET", "/page", {});
  auto plain = plain_page.header("Set-Cookie");
  EXPECT_TRUE(plain.starts_with("hocvu_csrf=")) << plain;
  EXPECT_EQ(plain.find("Secure"), std::string_view::npos);
}

TEST_F(ApiPrologue, ClientAddressOnlyFromTrustedProxies) {
  make(Config{});
  auto direct = send("POST", "/api/v1/things", {{"X-Forwarded-For", "198.51.100.1"}}, "", "203.0.113.5");
  EXPECT_NE(direct.body.find("\"address\":\"203.0.113.5\""), std::string::npos) << direct.body;
  Config cfg;
  cfg.trusted_proxies = *parse_cidr_list("127.0.0.1");
  make(cfg);
  auto proxied = send("POST", "/api/v1/things", {{"X-Forwarded-For", "1.1.1.1"}, {"X-Forwarded-For", "198.51.100.1"}}, "", "127.0.0.1");
  EXPECT_NE(proxied.body.find("\"address\":\"198.51.100.1\""), std::string::npos) << proxied.body;
  auto spoofed = send("POST", "/api/v1/things", {{"X-Forwarded-For", "198.51.100.1"}}, "", "203.0.113.5");
  EXPECT_NE(spoofed.body.find("\"address\":\"203.0.113.5\""), std::string::npos) << spoofed.body;
}

}  // namespace
}  // namespace hocvu::web
