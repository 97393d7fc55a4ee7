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

}  // namespace
}  // namespace hocvu::web
