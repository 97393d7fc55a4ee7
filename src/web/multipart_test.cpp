#include "web/multipart.h"

#include <gtest/gtest.h>

namespace hocvu::web {
namespace {

TEST(Multipart, ParsesFieldsAndAFileAsChromiumSendsThem) {
  std::string body =
      "------WebKitFormBoundaryAbC\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\ntoken123\r\n"
      "------WebKitFormBoundaryAbC\r\nContent-Disposition: form-data; name=\"file\"; filename=\"xa.csv\"\r\n"
      "Content-Type: text/csv\r\n\r\nma,ten\r\n00004,Ba Đình\r\n\r\n"
      "------WebKitFormBoundaryAbC--\r\n";
  auto parts = parse_multipart("multipart/form-data; boundary=----WebKitFormBoundaryAbC", body);
  ASSERT_TRUE(parts.ok()) << parts.status().message();
  ASSERT_EQ(parts->size(), 2u);
  EXPECT_EQ((*parts)[0].name, "csrf");
  EXPECT_EQ((*parts)[0].data, "token123");
  EXPECT_EQ((*parts)[1].filename, "xa.csv");
  EXPECT_EQ((*parts)[1].content_type, "text/csv");
  EXPECT_EQ((*parts)[1].data, "ma,ten\r\n00004,Ba Đình\r\n");
}

TEST(Multipart, RefusesWhatDoesNotFollowTheBoundary) {
  EXPECT_FALSE(parse_multipart("text/plain", "x").ok());
  EXPECT_FALSE(parse_multipart("multipart/form-data", "x").ok());
  EXPECT_FALSE(parse_multipart("multipart/form-data; boundary=b", "no boundary here").ok());
  EXPECT_FALSE(parse_multipart("multipart/form-data; boundary=b", "--b\r\nContent-Disposition: form-data; name=x\r\n\r\nunclosed").ok());
}

}  // namespace
}  // namespace hocvu::web
