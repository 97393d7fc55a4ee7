#include "learning/route_support.h"

#include <gtest/gtest.h>

namespace hocvu::learning {
namespace {

TEST(RouteSupport, ValidDatesAreRealCalendarDates) {
  for (const char* ok : {"2026-12-01", "2028-02-29", "2099-12-31"}) EXPECT_TRUE(valid_date(ok)) << ok;
  for (const char* bad : {"", "2026-12-1", "01/12/2026", "2026-13-01", "2026-02-30", "2027-02-29", "2026-12-01x", "abcd-ef-gh"})
    EXPECT_FALSE(valid_date(bad)) << bad;
}
}  // namespace
}  // namespace hocvu::learning
