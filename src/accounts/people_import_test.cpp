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
  // The phone belongs to someone outside the commune: the plan does not see them (a dry run must
  // not tell), and only the real import refuses the row, with a message that names no one.
  EXPECT_EQ(plan.rows[5].action, ImportRow::Action::create);
  EXPECT_EQ(plan.created, 2);
  EXPECT_EQ(plan.unchanged, 1);
  EXPECT_EQ(plan.rejected, 3);
  EXPECT_EQ(refuse_taken_elsewhere(plan, context({{"a", existing}, {"b", stranger}})), 1);
  EXPECT_EQ(plan.rows[5].action, ImportRow::Action::reject);
  EXPECT_EQ(plan.rows[5].reason, kTakenElsewhere);
  EXPECT_EQ(plan.created, 1);
  EXPECT_EQ(plan.rejected, 4);
}

// A dry run answers the same for a CCCD held outside the importer's scope as for a free one.
TEST(PeopleImport, ADryRunNeverTellsWhetherSomeoneExistsElsewhere) {
  Person elsewhere;
  elsewhere.id = 10;
  elsewhere.full_name = "Trần Văn Xa";
  elsewhere.national_id = "001080000010";
  elsewhere.phone = "0911000010";
  elsewhere.birth_date = "1980-01-01";
  elsewhere.target_group = "citizen";
  elsewhere.unit_code = "79";
  const std::string header = "ho_ten,cccd,so_dien_thoai,ngay_sinh,nhom,ma_don_vi\n";
  auto taken = parse_csv(header + "Trần Văn Xa,001080000010,0911000099,1980-01-01,citizen,00004\n");
  auto taken_phone = parse_csv(header + "Trần Văn Gần,001080000077,0911000010,1980-01-01,citizen,00004\n");
  auto free = parse_csv(header + "Trần Văn Xa,001080000011,0911000098,1980-01-01,citizen,00004\n");
  for (auto* csv : {&taken, &taken_phone}) {
    auto a = plan_people_import(**csv, context({{"x", elsewhere}}));
    auto b = plan_people_import(*free, context({{"x", elsewhere}}));
    ASSERT_EQ(a.rows.size(), 1u);
    EXPECT_EQ(a.rows[0].action, b.rows[0].action);
    EXPECT_EQ(a.rows[0].reason, b.rows[0].reason);
    EXPECT_EQ(refuse_taken_elsewhere(a, context({{"x", elsewhere}})), 1);  // the real import refuses it
    EXPECT_EQ(refuse_taken_elsewhere(b, context({{"x", elsewhere}})), 0);
  }
}

// Nobody changes, by import, the details of a person holding a role they could not grant.
TEST(PeopleImport, AnImportNeverChangesSomeoneWhoOutranksTheImporter) {
  Person boss;
  boss.id = 5;
  boss.full_name = "Quản Trị Quốc Gia";
  boss.national_id = "001080000005";
  boss.phone = "0911000005";
  boss.birth_date = "1980-01-01";
  boss.target_group = "official";
  boss.unit_code = "00004";  // lives in the importer's commune
  auto ctx = context({{"boss", boss}});
  ctx.subject_of = [](const Person& p) -> std::optional<Subject> {
    Subject s{p.id, Place{"00004", "01", {}}, {}};
    if (p.id == 5) s.grants.push_back({Grant{Role::national_admin, {ScopeKind::national, ""}}, Reach{Place{}}});
    return s;
  };
  auto csv = parse_csv("ho_ten,cccd,so_dien_thoai,ngay_sinh,nhom,ma_don_vi\nKẻ Chiếm Quyền,001080000005,0911000005,1980-01-01,official,00004\n");
  auto plan = plan_people_import(*csv, ctx);
  ASSERT_EQ(plan.rows.size(), 1u);
  EXPECT_EQ(plan.rows[0].action, ImportRow::Action::reject);
  EXPECT_NE(plan.rows[0].reason.find("không được sửa"), std::string::npos);
  // The same person without the role is an ordinary update.
  ctx.subject_of = [](const Person& p) -> std::optional<Subject> { return Subject{p.id, Place{"00004", "01", {}}, {}}; };
  EXPECT_EQ(plan_people_import(*csv, ctx).rows[0].action, ImportRow::Action::update);
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
