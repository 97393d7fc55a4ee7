#include "learning/route_support.h"

#include <gtest/gtest.h>

namespace hocvu::learning {
namespace {

TEST(RouteSupport, ValidDatesAreRealCalendarDates) {
  for (const char* ok : {"2026-12-01", "2028-02-29", "2099-12-31"}) EXPECT_TRUE(valid_date(ok)) << ok;
  for (const char* bad : {"", "2026-12-1", "01/12/2026", "2026-13-01", "2026-02-30", "2027-02-29", "2026-12-01x", "abcd-ef-gh"})
    EXPECT_FALSE(valid_date(bad)) << bad;
}

TEST(RouteSupport, DatesShowAsPeopleReadThem) {
  EXPECT_EQ(display_date("2026-12-24", "vi"), "24/12/2026");
  EXPECT_EQ(display_date("2026-12-24T08:00:00.000Z", "vi"), "24/12/2026");
  EXPECT_EQ(display_date("2026-12-24T08:00:00.000Z", "en"), "2026-12-24");
  EXPECT_EQ(display_date("soon", "vi"), "soon");
}

}  // namespace
}  // namespace hocvu::learning
