#include "core/time.h"

#include <gtest/gtest.h>

namespace hocvu {
namespace {

TEST(Time, RoundTrip) {
  for (const char* text : {"2026-12-01T02:00:00.000Z", "1970-01-01T00:00:00.000Z", "1969-12-31T23:59:59.999Z",
                           "1700-03-01T00:00:00.001Z", "2261-12-31T23:59:59.999Z"}) {
    auto t = parse_utc(text);
    ASSERT_TRUE(t) << text;
    EXPECT_EQ(format_utc(*t), text);
  }
}

TEST(Time, RefusesOtherFormats) {
  for (const char* text : {"", "2026-12-01", "2026-12-01T02:00:00Z", "2026-12-01 02:00:00.000Z", "2026-12-01T02:00:00.000+", "2o26-12-01T02:00:00.000Z"})
    EXPECT_FALSE(parse_utc(text)) << text;
}

// Found by assessment_json_fuzz: a quiz's "closes_at" of 1583 overflowed the nanosecond clock
// (undefined behaviour) instead of being refused.
TEST(Time, RefusesYearsTheClockCannotHold) {
  for (const char* text : {"1583-12-08T02:00:00.000Z", "0000-01-01T00:00:00.000Z", "1677-01-01T00:00:00.000Z",
                           "2263-01-01T00:00:00.000Z", "9999-12-31T23:59:59.999Z"})
    EXPECT_FALSE(parse_utc(text)) << text;
}

}  // namespace
}  // namespace hocvu
