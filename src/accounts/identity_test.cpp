#include "accounts/identity.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace hocvu::accounts {
namespace {

std::vector<std::vector<std::string>> table(const std::string& file) {
  std::ifstream in(std::string(HOCVU_TEST_DATA_DIR) + "/" + file);
  EXPECT_TRUE(in) << file;
  std::vector<std::vector<std::string>> rows;
  std::string line;
  while (std::getline(in, line)) {
    if (line.starts_with("#")) continue;
    std::vector<std::string> cols;
    std::stringstream ss(line);
    std::string col;
    while (std::getline(ss, col, '\t')) cols.push_back(col);
    if (!line.empty() && line.back() == '\t') cols.push_back("");
    rows.push_back(cols);
  }
  return rows;
}

TEST(NationalId, CasesFromTheDataFile) {
  const std::set<std::string, std::less<>> provinces{"001", "079", "096"};
  auto rows = table("national_ids.tsv");
  ASSERT_GT(rows.size(), 10u);
  for (const auto& r : rows) {
    ASSERT_EQ(r.size(), 3u) << r[0];
    std::optional<Date> birth = r[1] == "-" ? std::nullopt : parse_date(r[1]);
    auto check = check_national_id(r[0], provinces, birth);
    if (check.digits) EXPECT_EQ(*check.digits, r[2]) << r[0];
    else EXPECT_EQ(check.refusal->code, r[2]) << r[0] << ": " << check.refusal->message;
  }
}

TEST(Phone, CasesFromTheDataFile) {
  auto rows = table("phones.tsv");
  ASSERT_GT(rows.size(), 10u);
  for (const auto& r : rows) {
    ASSERT_EQ(r.size(), 2u) << r[0];
    auto check = check_phone(r[0]);
    if (check.normalized) EXPECT_EQ(*check.normalized, r[1]) << r[0];
    else EXPECT_EQ(check.refusal->code, r[1]) << r[0] << ": " << check.refusal->message;
  }
}

TEST(Identity, MessagesAreVietnamese) {
  auto c = check_national_id("123", {"001"}, std::nullopt);
  ASSERT_TRUE(c.refusal);
  EXPECT_NE(c.refusal->message.find("12 chữ số"), std::string::npos);
  EXPECT_NE(check_phone("abc").refusal->message.find("chữ số"), std::string::npos);
}

TEST(Identity, Masking) {
  EXPECT_EQ(mask_phone("0912345678"), "091****678");
  EXPECT_EQ(mask_national_id("001099012345"), "001******345");
  EXPECT_EQ(mask_phone("12"), "**");
}

TEST(Dates, ParseOnlyRealDates) {
  EXPECT_EQ(parse_date("2000-02-29"), (Date{2000, 2, 29}));
  EXPECT_FALSE(parse_date("1900-02-29"));
  EXPECT_FALSE(parse_date("2023-02-29"));
  EXPECT_FALSE(parse_date("2023-13-01"));
  EXPECT_FALSE(parse_date("2023-1-01"));
  EXPECT_FALSE(parse_date("01/02/2023"));
  EXPECT_FALSE(parse_date("1899-12-31"));
  EXPECT_EQ(format_date(Date{1999, 5, 1}), "1999-05-01");
}

TEST(Identity, WrittenDatesAreDayFirstOrIso) {
  auto iso = [](std::string_view t) { auto d = parse_written_date(t); return d ? format_date(*d) : std::string("-"); };
  EXPECT_EQ(iso("02/09/1985"), "1985-09-02");  // 2 September, never 9 February
  EXPECT_EQ(iso("2/9/1985"), "1985-09-02");
  EXPECT_EQ(iso("02-09-1985"), "1985-09-02");
  EXPECT_EQ(iso("02.09.1985"), "1985-09-02");
  EXPECT_EQ(iso("1985-09-02"), "1985-09-02");
  for (const char* bad : {"", "02/09-1985", "02/09/85", "02/09/19850", "31/02/1985", "02/13/1985", " 02/09/1985", "02/09/1985x",
                          "+2/09/1985", "002/09/1985", "02//1985", "02/09/"})
    EXPECT_EQ(iso(bad), "-") << bad;
}

}  // namespace
}  // namespace hocvu::accounts
