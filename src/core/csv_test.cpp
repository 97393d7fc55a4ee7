#include "core/csv.h"

#include <gtest/gtest.h>

namespace hocvu {
namespace {

std::vector<std::vector<std::string>> fields(std::string_view text) {
  auto rows = parse_csv(text);
  EXPECT_TRUE(rows.ok()) << rows.status().message();
  std::vector<std::vector<std::string>> out;
  if (rows)
    for (auto& r : *rows) out.push_back(r.fields);
  return out;
}

TEST(Csv, ExcelUtf8ExportWithBomAndCrlf) {
  auto r = fields("\xEF\xBB\xBFma,ten,ma_tinh\r\n00004,Phường Ba Đình,01\r\n00008,\"Phường Ngọc Hà, mới\",01\r\n");
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[0], (std::vector<std::string>{"ma", "ten", "ma_tinh"}));
  EXPECT_EQ(r[2][1], "Phường Ngọc Hà, mới");
}

TEST(Csv, SemicolonsQuotesLineBreaksAndNoFinalNewline) {
  auto r = fields("a;b\n\"x\"\"y\";\"line1\nline2\"\n\n;last");
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[1][0], "x\"y");
  EXPECT_EQ(r[1][1], "line1\nline2");
  EXPECT_EQ(r[2], (std::vector<std::string>{"", "last"}));
}

TEST(Csv, LineNumbersCountRealLines) {
  auto rows = parse_csv("h\n\"a\nb\"\nc\n");
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ((*rows)[1].line, 2);
  EXPECT_EQ((*rows)[2].line, 4);
}

TEST(Csv, RefusesBrokenFilesNamingTheLine) {
  auto open = parse_csv("a,b\n\"never closed,x\n");
  ASSERT_FALSE(open.ok());
  EXPECT_NE(open.status().message().find("dòng 2"), std::string::npos);
  EXPECT_FALSE(parse_csv("a\n\"x\"y\n").ok());
  EXPECT_FALSE(parse_csv("a\n\xC3\x28\n").ok());  // Windows-1258 or other non-UTF-8 bytes
  EXPECT_FALSE(parse_csv(std::string_view("a\0b", 3)).ok());
}

TEST(Csv, WritesWhatItReads) {
  EXPECT_EQ(csv_field("plain"), "plain");
  EXPECT_EQ(csv_field("a,b"), "\"a,b\"");
  EXPECT_EQ(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
  auto back = fields(csv_field("a,\"b\"\nc") + ",x\n");
  EXPECT_EQ(back[0][0], "a,\"b\"\nc");
}

}  // namespace
}  // namespace hocvu
