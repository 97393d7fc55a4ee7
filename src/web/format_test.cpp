#include "web/format.h"

#include <gtest/gtest.h>

#include <limits>

namespace hocvu::web {
namespace {

TEST(FormatCount, GroupsThousandsForTheLanguage) {
  EXPECT_EQ(format_count("vi", 0), "0");
  EXPECT_EQ(format_count("vi", 999), "999");
  EXPECT_EQ(format_count("vi", 1000), "1.000");
  EXPECT_EQ(format_count("vi", 1234567), "1.234.567");
  EXPECT_EQ(format_count("en", 1234567), "1,234,567");
  EXPECT_EQ(format_count("vi", -45000), "-45.000");
  EXPECT_EQ(format_count("vi", std::numeric_limits<std::int64_t>::min()), "-9.223.372.036.854.775.808");
}

TEST(FormatDate, DayFirstInVietnamese) {
  EXPECT_EQ(format_date("vi", "1960-05-12"), "12/05/1960");  // 12 May, never 5 December
  EXPECT_EQ(format_date("en", "1960-05-12"), "12 May 1960");
  EXPECT_EQ(format_date("en", "2026-12-31"), "31 Dec 2026");
  EXPECT_EQ(format_date("vi", "2026-13-01"), "2026-13-01");  // not a date: as it is
  EXPECT_EQ(format_date("vi", "31/12/2026"), "31/12/2026");
  EXPECT_EQ(format_date("vi", ""), "");
}

}  // namespace
}  // namespace hocvu::web
