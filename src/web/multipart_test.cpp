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

// Found by multipart_fuzz: parameters were found by searching the header for "filename=", so a
// field named "a filename=b" became a file part named "b", and a file name holding "; name=x"
// before the name parameter renamed the part. Parameters are split outside quotes now.
TEST(Multipart, ReadsParametersOutsideQuotesOnly) {
  auto part = [](std::string disposition) {
    std::string body = "--b\r\nContent-Disposition: " + disposition + "\r\n\r\ndata\r\n--b--\r\n";
    auto parts = parse_multipart("multipart/form-data; boundary=b", body);
    EXPECT_TRUE(parts.ok() && parts->size() == 1) << disposition;
    return parts.ok() && parts->size() == 1 ? (*parts)[0] : FormPart{};
  };
  FormPart p = part("form-data; name=\"a filename=b\"");
  EXPECT_EQ(p.name, "a filename=b");
  EXPECT_EQ(p.filename, "");
  p = part("form-data; filename=\"x; name=file.csv\"; name=\"upload\"");
  EXPECT_EQ(p.name, "upload");
  EXPECT_EQ(p.filename, "x; name=file.csv");
  p = part("form-data; NAME=\"file\"; FileName=\"C:\\Users\\an\\ds.csv\"");  // case; an old browser's path
  EXPECT_EQ(p.name, "file");
  EXPECT_EQ(p.filename, "C:\\Users\\an\\ds.csv");
  p = part("form-data;name=plain;filename=f.csv");
  EXPECT_EQ(p.name, "plain");
  EXPECT_EQ(p.filename, "f.csv");
  EXPECT_TRUE(parse_multipart("multipart/form-data; boundary=\"b\"", "--b\r\nContent-Disposition: form-data; name=x\r\n\r\nv\r\n--b--").ok());
}

}  // namespace
}  // namespace hocvu::web
