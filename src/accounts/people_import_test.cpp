#include "accounts/people_import.h"

#include <gtest/gtest.h>

namespace hocvu::accounts {
namespace {

ImportContext context(std::map<std::string, Person> people = {}) {
  ImportContext ctx;
  ctx.national_id_prefixes = {"001", "079"};
  ctx.units = {{"01", Place{"01", "01", {}}}, {"00004", Place{"00004", "01", {}}}, {"79", Place{"79", "79", {}}}};
  ctx.importer = Principal{1, {{Role::unit_admin, {ScopeKind::unit, "00004"}}}};  // a commune manager
  auto by = [people](bool phone) {
    return [people, phone](const std::string& key) -> std::optional<Person> {
      for (const auto& [_, p] : people)
        if ((phone ? p.phone : p.national_id) == key) return p;
      return std::nullopt;
    };
  };
  ctx.person_by_national_id = by(false);
  ctx.person_by_phone = by(true);
  return ctx;
}

TEST(PeopleImport, EveryOutcomeWithItsReason) {
  Person existing;
  existing.id = 9;
  existing.full_name = "Lê Văn Cũ";
  existing.national_id = "001080000009";
  existing.phone = "0911000009";
  existing.birth_date = "1980-01-01";
  existing.target_group = "citizen";
  existing.unit_code = "00004";
  Person stranger = existing;
  stranger.id = 10;
  stranger.national_id = "001080000010";
  stranger.phone = "0911000010";
  stranger.unit_code = "79";
  auto csv = parse_csv(
      "\xEF\xBB\xBFHọ tên,CCCD,Số điện thoại,Ngày sinh,Nhóm,Mã đơn vị,Email\r\n"
      "Nguyễn Văn Mới,001085001234,0912345678,02/09/1985,Cán bộ công chức,00004,\r\n"  // create (d/m/y, Vietnamese group)
      "Lê Văn Cũ,001080000009,0911000009,1980-01-01,citizen,00004,\r\n"                  // unchanged
      "Lê Văn Cũ Sửa,001080000009,0911000009,01/01/1980,Người dân,00004,\r\n"           // duplicate of the row above
      "Trần Thị Xa,079090000001,0911000002,1990-05-05,citizen,79,\r\n"                  // outside the commune
      "Phạm Sai,12,0911000003,30/02/1990,robot,00004,\r\n"                              // several problems at once
      "Võ Trùng Số,001085001235,0911000010,1985-01-01,worker,00004,\r\n");             // phone of someone else
  ASSERT_TRUE(csv.ok());
  auto plan = plan_people_import(*csv, context({{"a", existing}, {"b", stranger}}));
  ASSERT_TRUE(plan.error.empty()) << plan.error;
  ASSERT_EQ(plan.rows.size(), 6u);
  EXPECT_EQ(plan.rows[0].action, ImportRow::Action::create);
  EXPECT_EQ(*plan.rows[0].person.birth_date, "1985-09-02");
  EXPECT_EQ(plan.rows[0].person.target_group, "official");
  EXPECT_EQ(plan.rows[1].action, ImportRow::Action::unchanged);
  EXPECT_EQ(plan.rows[2].action, ImportRow::Action::reject);
  EXPECT_NE(plan.rows[2].reason.find("dòng trước"), std::string::npos);
  EXPECT_NE(plan.rows[3].reason.find("ngoài phạm vi"), std::string::npos);
  EXPECT_NE(plan.rows[4].reason.find("ngày sinh"), std::string::npos);
  EXPECT_NE(plan.rows[4].reason.find("12 chữ số"), std::string::npos);
  EXPECT_NE(plan.rows[4].reason.find("nhóm"), std::string::npos);
  EXPECT_NE(plan.rows[5].reason.find("người khác"), std::string::npos);
  EXPECT_EQ(plan.created, 1);
  EXPECT_EQ(plan.unchanged, 1);
  EXPECT_EQ(plan.rejected, 4);
}

TEST(PeopleImport, ChangedRowsAreUpdatesAndTheTemplateParses) {
  Person p;
  p.id = 3;
  p.full_name = "Đỗ Thị Cũ";
  p.national_id = "001085001234";
  p.phone = "0912345678";
  p.birth_date = "1985-09-02";
  p.target_group = "official";
  p.unit_code = "00004";
  auto csv = parse_csv("ho_ten,cccd,so_dien_thoai,ngay_sinh,nhom,ma_don_vi\nĐỗ Thị Mới,001085001234,0912345678,02/09/1985,official,00004\n");
  auto plan = plan_people_import(*csv, context({{"p", p}}));
  ASSERT_EQ(plan.rows.size(), 1u);
  EXPECT_EQ(plan.rows[0].action, ImportRow::Action::update);
  EXPECT_EQ(*plan.rows[0].existing_id, 3);

  auto tmpl = parse_csv(people_import_template());
  ASSERT_TRUE(tmpl.ok());
  ImportContext national = context();
  national.importer = Principal{1, {{Role::national_admin, {ScopeKind::national, ""}}}};
  auto from_template = plan_people_import(*tmpl, national);
  EXPECT_TRUE(from_template.error.empty());
  EXPECT_EQ(from_template.created, 1) << (from_template.rows.empty() ? "" : from_template.rows[0].reason);
}

TEST(PeopleImport, AFileWithoutTheColumnsIsRefusedWhole) {
  auto csv = parse_csv("ten,so\nA,1\n");
  EXPECT_FALSE(plan_people_import(*csv, context()).error.empty());
}

}  // namespace
}  // namespace hocvu::accounts
