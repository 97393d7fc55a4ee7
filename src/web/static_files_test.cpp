#include "web/static_files.h"

#include <gtest/gtest.h>

namespace hocvu::web {
namespace {

TEST(Range, ParsesTheForms) {
  auto r = parse_range("bytes=0-99", 1000);
  ASSERT_TRUE(std::holds_alternative<ByteRange>(r));
  EXPECT_EQ(std::get<ByteRange>(r).first, 0u);
  EXPECT_EQ(std::get<ByteRange>(r).last, 99u);
  auto open = std::get<ByteRange>(parse_range("bytes=900-", 1000));
  EXPECT_EQ(open.last, 999u);
  auto suffix = std::get<ByteRange>(parse_range("bytes=-100", 1000));
  EXPECT_EQ(suffix.first, 900u);
  auto clipped = std::get<ByteRange>(parse_range("bytes=990-5000", 1000));
  EXPECT_EQ(clipped.last, 999u);
  auto big_suffix = std::get<ByteRange>(parse_range("bytes=-5000", 1000));
  EXPECT_EQ(big_suffix.first, 0u);
}

TEST(Range, UnsatisfiableAndIgnored) {
  EXPECT_TRUE(std::holds_alternative<Unsatisfiable>(parse_range("bytes=1000-", 1000)));
  EXPECT_TRUE(std::holds_alternative<Unsatisfiable>(parse_range("bytes=-0", 1000)));
  for (auto h : {"", "items=0-1", "bytes=a-b", "bytes=5-1", "bytes=0-1,5-6", "bytes=", "bytes=-"})
    EXPECT_TRUE(std::holds_alternative<std::monostate>(parse_range(h, 1000))) << h;
}

TEST(ETag, WeakComparisonAndLists) {
  EXPECT_TRUE(etag_matches("\"abc\"", "\"abc\""));
  EXPECT_TRUE(etag_matches("W/\"abc\"", "\"abc\""));
  EXPECT_TRUE(etag_matches("\"x\", \"abc\"", "\"abc\""));
  EXPECT_TRUE(etag_matches("*", "\"abc\""));
  EXPECT_FALSE(etag_matches("\"abd\"", "\"abc\""));
  EXPECT_FALSE(etag_matches("", "\"abc\""));
}

TEST(ContentType, ByExtension) {
  EXPECT_EQ(content_type_for("a/b.css"), "text/css; charset=utf-8");
  EXPECT_EQ(content_type_for("clip.mp4"), "video/mp4");
  EXPECT_EQ(content_type_for("captions.vtt"), "text/vtt; charset=utf-8");
  EXPECT_EQ(content_type_for("noext"), "application/octet-stream");
}

TEST(StaticFiles, LoadsTheSiteAssetsWithFingerprints) {
  auto files = StaticFiles::load(std::string(HOCVU_WEB_DIR) + "/static");
  ASSERT_TRUE(files.ok()) << files.status().message();
  const Asset* css = files->find("css/app.css");
  ASSERT_NE(css, nullptr);
  EXPECT_TRUE(css->url.starts_with("/assets/css/app."));
  EXPECT_TRUE(css->url.ends_with(".css"));
  EXPECT_EQ(files->find_fingerprinted(css->url.substr(8)), css);
  ASSERT_TRUE(css->gzipped);

  Request req;
  req.headers = {{"Range", "bytes=0-9"}};
  Response part = serve_asset(req, *css, true);
  EXPECT_EQ(part.status, 206);
  EXPECT_EQ(part.body, css->body->substr(0, 10));

  Request cond;
  cond.headers = {{"If-None-Match", css->etag}};
  EXPECT_EQ(serve_asset(cond, *css, true).status, 304);
  Request gz;
  gz.headers = {{"Accept-Encoding", "gzip"}};
  Response zipped = serve_asset(gz, *css, true);
  EXPECT_EQ(zipped.header("Content-Encoding"), "gzip");
  EXPECT_NE(zipped.header("ETag"), css->etag);  // another representation, another tag
}

}  // namespace
}  // namespace hocvu::web
