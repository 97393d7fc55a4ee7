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
  EXPECT_EQ(format_date("vi", "2026-12-31T17:30:00.000Z"), "01/01/2027");  // already the next day in Vietnam
  EXPECT_EQ(format_date("vi", "2026-12-31T10:00:00.000Z"), "31/12/2026");
  EXPECT_EQ(format_date("vi", "soon"), "soon");
  EXPECT_EQ(format_date("vi", "2026-12-31Tgarbage"), "2026-12-31Tgarbage");
}

TEST(FormatDecimal, DecimalCommaInVietnamese) {
  EXPECT_EQ(format_decimal("vi", 10.0 / 3), "3,33");
  EXPECT_EQ(format_decimal("en", 10.0 / 3), "3.33");
  EXPECT_EQ(format_decimal("vi", 6), "6");
  EXPECT_EQ(format_decimal("vi", 2.5), "2,5");
  EXPECT_EQ(format_decimal("vi", 55.555, 1), "55,6");
  EXPECT_EQ(format_decimal("vi", 1234.5), "1.234,5");
  EXPECT_EQ(format_decimal("en", 1234.5), "1,234.5");
  EXPECT_EQ(format_decimal("vi", -0.001), "0");
  EXPECT_EQ(format_decimal("vi", -2.25), "-2,25");
  EXPECT_EQ(format_decimal("vi", 1e20), "100.000.000.000.000.000.000");  // beyond any integer type
  EXPECT_EQ(format_decimal("vi", 1e300).size(), 301u + 100u);              // written out, grouped
  EXPECT_EQ(format_decimal("vi", std::numeric_limits<double>::infinity()), "-");
}

TEST(FormatTime, VietnamTimeDayFirst) {
  // 2026-12-01T02:00:05Z is 09:00:05 in Vietnam.
  const std::int64_t ms = 1796090405000;
  EXPECT_EQ(format_time("vi", ms), "09:00 01/12/2026");
  EXPECT_EQ(format_time("vi", ms, true), "09:00:05 01/12/2026");
  EXPECT_EQ(format_time("en", ms), "09:00, 1 Dec 2026");
  EXPECT_EQ(format_time("vi", std::string_view("2026-12-01T02:00:05.000Z")), "09:00 01/12/2026");
  EXPECT_EQ(format_time("vi", std::string_view("2026-12-31T17:30:00.000Z")), "00:30 01/01/2027");  // the next day there
  EXPECT_EQ(format_time("vi", std::int64_t{0}), "");
  EXPECT_EQ(format_time("vi", std::string_view("không phải giờ")), "không phải giờ");
}

}  // namespace
}  // namespace hocvu::web
