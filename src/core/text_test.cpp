#include "core/text.h"

#include <gtest/gtest.h>

#include <fstream>

namespace hocvu {
namespace {

// Runs `check(input, expected)` for each "input<TAB>expected" line of a tests/data table.
template <typename F>
int for_each_case(const std::string& file, F check) {
  std::ifstream in(std::string(HOCVU_TEST_DATA_DIR) + "/" + file);
  EXPECT_TRUE(in) << file;
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    if (line.starts_with("#")) continue;
    auto tab = line.find('\t');
    EXPECT_NE(tab, std::string::npos) << file << ": " << line;
    if (tab == std::string::npos) continue;
    check(line.substr(0, tab), line.substr(tab + 1));
    ++n;
  }
  return n;
}

TEST(Text, SearchFoldingTable) {
  int n = for_each_case("search_folding.tsv", [](const std::string& in, const std::string& want) {
    EXPECT_EQ(fold_for_search(in), want) << in;
  });
  EXPECT_GT(n, 20);
}

TEST(Text, NfcTable) {
  int n = for_each_case("nfc.tsv", [](const std::string& in, const std::string& want) {
    EXPECT_EQ(to_nfc(in), want) << in;
    EXPECT_EQ(to_nfc(want), want) << "not idempotent: " << want;
  });
  EXPECT_GT(n, 40);
}

TEST(Text, PrecomposedAndDecomposedFoldAlike) {
  EXPECT_EQ(fold_for_search("Nguye\u0302\u0303n"), fold_for_search("Nguyễn"));
  EXPECT_EQ(fold_for_search(to_nfc("Nguye\u0302\u0303n")), "nguyen");
}

TEST(Text, InvalidUtf8IsLeftAloneByNfcAndFoldsToNothing) {
  EXPECT_EQ(to_nfc("a\xC3"), "a\xC3");
  EXPECT_EQ(fold_for_search("a\xC3"), "");
}

TEST(Utf8, AcceptsVietnameseAndRefusesMalformed) {
  EXPECT_TRUE(valid_utf8("Bình dân học vụ số"));
  EXPECT_TRUE(valid_utf8("đ Đ ư Ư 😀"));
  EXPECT_FALSE(valid_utf8("\xC3"));
  EXPECT_FALSE(valid_utf8("\xE0\x80\xAF"));   // overlong
  EXPECT_FALSE(valid_utf8("\xED\xA0\x80"));   // surrogate
  EXPECT_FALSE(valid_utf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(valid_utf8("\xC0\xAF"));          // overlong two-byte form
  EXPECT_EQ(invalid_utf8_at("Bình \xC3(x"), 6u);   // where it goes wrong
  EXPECT_EQ(invalid_utf8_at("ổn"), std::string_view::npos);
}

}  // namespace
TEST(Text, FoldCaseIgnoresCaseAndSpacingButKeepsMarks) {
  const std::pair<const char*, const char*> cases[] = {
      {"  Bảo   MẬT ", "bảo mật"},
      {"ĐƯỜNG Ơ", "đường ơ"},
      {"Ắ\tẮ\u00a0Ắ", "ắ ắ ắ"},
      {"Bao mat", "bao mat"},       // marks are not added
      {"bảo mật!", "bảo mật!"},     // nor punctuation removed
      {"o\u0302\u0323", "ộ"},       // NFC first
      {"", ""},
  };
  for (const auto& [in, want] : cases) EXPECT_EQ(fold_case(in), want) << in;
  EXPECT_NE(fold_case("bảo mật"), fold_case("bao mat"));
}

TEST(Text, TrimTakesAsciiWhiteSpaceFromBothEnds) {
  EXPECT_EQ(trim("  a b \r\n"), "a b");
  EXPECT_EQ(trim(" \t\v\f"), "");
  EXPECT_EQ(trim("Bảo mật"), "Bảo mật");
  EXPECT_EQ(trim("\tNguyễn  Văn\t"), "Nguyễn  Văn");  // inner runs are the caller's business
}

}  // namespace hocvu
