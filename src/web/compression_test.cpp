#include "web/compression.h"

#include <gtest/gtest.h>

namespace hocvu::web {
namespace {

TEST(Compression, AcceptEncoding) {
  EXPECT_TRUE(accepts_gzip("gzip"));
  EXPECT_TRUE(accepts_gzip("deflate, gzip;q=0.5"));
  EXPECT_TRUE(accepts_gzip("*"));
  EXPECT_FALSE(accepts_gzip(""));
  EXPECT_FALSE(accepts_gzip("br, deflate"));
  EXPECT_FALSE(accepts_gzip("gzip;q=0"));
  EXPECT_FALSE(accepts_gzip("gzip; q=0.000"));
  EXPECT_FALSE(accepts_gzip("gzipx"));
}

TEST(Compression, RoundTripsVietnameseText) {
  std::string text;
  for (int i = 0; i < 200; ++i) text += "Bình dân học vụ số: không để ai bị bỏ lại phía sau. ";
  std::string z = gzip(text);
  EXPECT_LT(z.size(), text.size() / 4);
  std::string back;
  ASSERT_TRUE(gunzip(z, back));
  EXPECT_EQ(back, text);
  EXPECT_FALSE(gunzip("not gzip at all", back));
}

TEST(Compression, CompressibleTypes) {
  EXPECT_TRUE(is_compressible("text/html; charset=utf-8"));
  EXPECT_TRUE(is_compressible("application/json"));
  EXPECT_FALSE(is_compressible("video/mp4"));
  EXPECT_FALSE(is_compressible("image/png"));
}

}  // namespace
}  // namespace hocvu::web
