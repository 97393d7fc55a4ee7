#include "reference/commune_import.h"

#include <gtest/gtest.h>

namespace hocvu::reference {
namespace {

const std::map<std::string, ExistingUnit, std::less<>> kExisting{
    {"01", {"province", "Thành phố Hà Nội", ""}},
    {"79", {"province", "Thành phố Hồ Chí Minh", ""}},
    {"00004", {"commune", "Phường Ba Đình", "01"}},
    {"00008", {"commune", "Phường Ngọc Hà", "01"}}};

TEST(CommuneImport, EveryOutcomeWithItsReason) {
  auto csv = parse_csv(
      "\xEF\xBB\xBFMã,Tên,Mã tỉnh\n"
      "00004,Phường Ba Đình,01\n"          // unchanged
      "00008,Phường Ngọc Hà Mới,01\n"      // update (name)
      "00012,Phường Giảng Võ,01\n"         // create
      "26734,Phường Sài Gòn,79\n"          // create
      "123,Xã Ngắn,01\n"                   // bad code
      "00016,,01\n"                        // no name
      "00020,Xã Không Tỉnh,99\n"           // unknown province
      "00012,Trùng Mã,01\n"                // duplicate in file
      "79,Tỉnh Giả,01\n");                 // bad code (a province's)
  ASSERT_TRUE(csv.ok());
  auto plan = plan_commune_import(*csv, kExisting);
  ASSERT_TRUE(plan.error.empty()) << plan.error;
  EXPECT_EQ(plan.unchanged, 1);
  EXPECT_EQ(plan.updated, 1);
  EXPECT_EQ(plan.created, 2);
  EXPECT_EQ(plan.rejected, 5);
  EXPECT_EQ(plan.rows[4].line, 6);
  EXPECT_NE(plan.rows[4].reason.find("5 chữ số"), std::string::npos);
  EXPECT_NE(plan.rows[6].reason.find("99"), std::string::npos);
  EXPECT_NE(plan.rows[7].reason.find("dòng trước"), std::string::npos);
}

TEST(CommuneImport, RefusesAFileWithoutTheColumns) {
  auto csv = parse_csv("a,b\n1,2\n");
  EXPECT_FALSE(plan_commune_import(*csv, kExisting).error.empty());
  EXPECT_FALSE(plan_commune_import({}, kExisting).error.empty());
}

}  // namespace
}  // namespace hocvu::reference
