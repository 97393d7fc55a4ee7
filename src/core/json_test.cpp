#include "core/json.h"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>

namespace hocvu {
namespace {

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
