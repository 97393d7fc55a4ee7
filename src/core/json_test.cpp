#include "core/json.h"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include <limits>
#include <optional>

namespace hocvu {
namespace {

constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();

// Request numbers as clients send them, and what becomes of them (before, 1e300 was cast to an
// integer: undefined behaviour).
TEST(JsonInteger, WholeNumbersInRangeOnly) {
  struct Case {
    const char* json;
    std::int64_t lo, hi;
    std::optional<std::int64_t> want;
  } cases[] = {
      {"3", 0, 10, 3},
      {"3.0", 0, 10, 3},
      {"3e0", 0, 10, 3},
      {"-0.0", 0, 10, 0},
      {"0", 1, 10, std::nullopt},
      {"11", 0, 10, std::nullopt},
      {"2.5", 0, 10, std::nullopt},
      {"-0.5", -10, 10, std::nullopt},
      {"1e300", 0, kMax, std::nullopt},
      {"-1e300", kMin, kMax, std::nullopt},
      {"1e19", kMin, kMax, std::nullopt},
      {"9223372036854775807", 0, kMax, kMax},
      {"9223372036854775808", 0, kMax, std::nullopt},  // a uint64 above int64
      {"18446744073709551615", 0, kMax, std::nullopt},
      {"-9223372036854775808", kMin, 0, kMin},
      {"9.223372036854775807e18", 0, kMax, std::nullopt},  // the double 2^63
      {"4503599627370496.0", 0, kMax, 4503599627370496},
      {"\"3\"", 0, 10, std::nullopt},
      {"true", 0, 10, std::nullopt},
      {"null", 0, 10, std::nullopt},
      {"[3]", 0, 10, std::nullopt},
  };
  for (const auto& c : cases) {
    auto got = json_integer(boost::json::parse(c.json), "so_lan", c.lo, c.hi);
    if (c.want) {
      ASSERT_TRUE(got.ok()) << c.json << ": " << got.status().message();
      EXPECT_EQ(*got, *c.want) << c.json;
    } else {
      ASSERT_FALSE(got.ok()) << c.json << " gave " << *got;
      EXPECT_EQ(got.status().code(), ErrorCode::invalid_argument);
      EXPECT_NE(got.status().message().find("\"so_lan\" phải là một số nguyên"), std::string::npos) << got.status().message();
    }
  }
  EXPECT_EQ(json_integer(boost::json::parse("1e300"), "lesson_id", 1, kMax).status().message(),
            "\"lesson_id\" phải là một số nguyên từ 1 trở lên.");
  EXPECT_EQ(json_integer(boost::json::parse("2.5"), "count", 1, 100).status().message(),
            "\"count\" phải là một số nguyên từ 1 đến 100.");
}

TEST(JsonInteger, AMemberAbsentOrNullTakesTheFallback) {
  auto o = boost::json::parse(R"({"a": 4, "b": null, "c": 1e300})").as_object();
  EXPECT_EQ(*json_integer(o, "a", 7, 0, 10), 4);
  EXPECT_EQ(*json_integer(o, "b", 7, 0, 10), 7);
  EXPECT_EQ(*json_integer(o, "missing", 7, 0, 10), 7);
  EXPECT_FALSE(json_integer(o, "c", 7, 0, 10).ok());
}


std::optional<std::int64_t> whole(const char* json, std::int64_t lo, std::int64_t hi) {
  return json_whole_number(boost::json::parse(json), lo, hi);
}

TEST(JsonWholeNumber, ReadsWholeNumbersInRange) {
  EXPECT_EQ(whole("5", 0, 10), 5);
  EXPECT_EQ(whole("5.0", 0, 10), 5);
  EXPECT_EQ(whole("-3", -3, 3), -3);
  EXPECT_EQ(whole("1e2", 0, 1000), 100);
  constexpr auto max = std::numeric_limits<std::int64_t>::max(), min = std::numeric_limits<std::int64_t>::min();
  EXPECT_EQ(whole("9223372036854775807", 0, max), max);
  EXPECT_EQ(whole("-9223372036854775808", min, 0), min);
}

// What used to be cast to an integer (undefined behaviour for 1e300) is refused.
TEST(JsonWholeNumber, RefusesEverythingElse) {
  constexpr auto max = std::numeric_limits<std::int64_t>::max();
  constexpr int imax = std::numeric_limits<int>::max(), imin = std::numeric_limits<int>::min();
  for (const char* json : {"1e300", "-1e300", "9223372036854775808", "18446744073709551615", "9.3e18", "-1e19", "2147483648",
                           "-2147483649", "4294967301", "0.5", "-0.25", "\"5\"", "true", "null", "[]", "{}"})
    EXPECT_FALSE(whole(json, imin, imax)) << json;
  EXPECT_FALSE(whole("9.223372036854775807e18", 0, max));  // 2^63 as a double
  EXPECT_FALSE(whole("11", 0, 10));
  EXPECT_FALSE(whole("0", 1, 10));
}

}  // namespace
}  // namespace hocvu
