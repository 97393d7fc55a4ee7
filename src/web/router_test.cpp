#include "web/router.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace hocvu::web {
namespace {

Handler named(std::string name) {
  return [name](Request&) { return Response::text(200, name); };
}

std::string call(const Router& r, std::string_view method, std::string_view path) {
  auto m = r.match(method, path);
  if (!m.route) return m.allowed.empty() ? "404" : "405";
  Request req;
  req.path_params = m.params;
  return m.route->handler(req).body;
}

TEST(Router, LiteralParametersAndRest) {
  Router r;
  r.add("GET", "/", named("home"));
  r.add("GET", "/frameworks", named("list"));
  r.add("GET", "/frameworks/{code}", named("one"));
  r.add("GET", "/frameworks/new", named("new"));
  r.add("GET", "/static/{*path}", named("static"));
  EXPECT_EQ(call(r, "GET", "/"), "home");
  EXPECT_EQ(call(r, "GET", "/frameworks"), "list");
  EXPECT_EQ(call(r, "GET", "/frameworks/tt02"), "one");
  EXPECT_EQ(call(r, "GET", "/frameworks/new"), "new");  // a literal beats a parameter
  EXPECT_EQ(call(r, "GET", "/frameworks/"), "404");     // an empty parameter does not match
  EXPECT_EQ(call(r, "GET", "/frameworks/a/b"), "404");
  EXPECT_EQ(call(r, "GET", "/static/css/app.css"), "static");
  EXPECT_EQ(call(r, "GET", "/static/"), "404");
  EXPECT_EQ(call(r, "GET", "/nothing"), "404");
}

TEST(Router, CapturesParameters) {
  Router r;
  r.add("GET", "/courses/{course}/lessons/{lesson}", named("x"));
  r.add("GET", "/media/{*path}", named("m"));
  auto m = r.match("GET", "/courses/12/lessons/7");
  ASSERT_TRUE(m.route);
  ASSERT_EQ(m.params.size(), 2u);
  EXPECT_EQ(m.params[0], (std::pair<std::string, std::string>{"course", "12"}));
  EXPECT_EQ(m.params[1], (std::pair<std::string, std::string>{"lesson", "7"}));
  auto media = r.match("GET", "/media/videos/a b.mp4");
  ASSERT_TRUE(media.route);
  EXPECT_EQ(media.params[0].second, "videos/a b.mp4");
}

TEST(Router, HeadUsesGetAndWrongMethodListsAllowed) {
  Router r;
  r.add("GET", "/x", named("get"));
  r.add("POST", "/x", named("post"));
  EXPECT_EQ(call(r, "HEAD", "/x"), "get");
  auto m = r.match("DELETE", "/x");
  EXPECT_FALSE(m.route);
  EXPECT_EQ(m.allowed, (std::vector<std::string>{"GET", "HEAD", "POST"}));
}

TEST(Router, RefusesDuplicateAndMalformedPatterns) {
  Router r;
  r.add("GET", "/x", named("a"));
  EXPECT_THROW(r.add("GET", "/x", named("b")), std::logic_error);
  EXPECT_THROW(r.add("GET", "x", named("b")), std::logic_error);
  EXPECT_THROW(r.add("GET", "/{*rest}/more", named("b")), std::logic_error);
}

}  // namespace
}  // namespace hocvu::web
