#include "core/csv.h"

#include <gtest/gtest.h>

#include <cmath>

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
  CsvWriter w;
  w.text("plain").text("a,b").text("say \"hi\"").text("a,\"b\"\nc").end_row();
  w.text("x").empty().number(2).end_row();
  auto back = fields(w.take());
  ASSERT_EQ(back.size(), 2u);
  EXPECT_EQ(back[0], (std::vector<std::string>{"plain", "a,b", "say \"hi\"", "a,\"b\"\nc"}));
  EXPECT_EQ(back[1], (std::vector<std::string>{"x", "", "2"}));
}

// OWASP "CSV Injection": a cell from people never starts with a character that makes a
// spreadsheet evaluate it; it keeps its text after a leading quote, and every text cell is quoted
// so that a separator inside cannot start a new cell.
TEST(Csv, TextThatLooksLikeAFormulaIsNeutralised) {
  struct Case {
    std::string in, out;
  } cases[] = {
      {"=HYPERLINK(\"http://x\",\"bấm\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"bấm\"\")\""},
      {"+84912345678", "\"'+84912345678\""},
      {"-2+3", "\"'-2+3\""},
      {"@SUM(A1:A9)", "\"'@SUM(A1:A9)\""},
      {"\t=1+1", "\"'\t=1+1\""},
      {"\r=1+1", "\"'\r=1+1\""},
      {"=1+1,=2+2", "\"'=1+1,=2+2\""},
      {"Nguyễn Văn An", "\"Nguyễn Văn An\""},
      {"a=b", "\"a=b\""},
      {"", "\"\""},
  };
  for (const auto& c : cases) EXPECT_EQ(csv_text_cell(c.in), c.out) << c.in;
  // Read back, the cell is the text with its quote, one cell.
  CsvWriter w;
  w.text("=1+1,=2+2").end_row();
  EXPECT_EQ(fields(w.take())[0], (std::vector<std::string>{"'=1+1,=2+2"}));
}

// The platform's own numbers stay numbers: negative scores too, written bare.
TEST(Csv, NumbersAreWrittenBare) {
  CsvWriter w;
  w.number(-1).number(0).number(-0.0).number(66.67).number(100).number(2.5e-3).number(std::nan("")).end_row();
  const std::string text = w.take();
  EXPECT_EQ(text, "\xEF\xBB\xBF-1,0,0,66.67,100,0.0025,\r\n");
}

}  // namespace
}  // namespace hocvu
