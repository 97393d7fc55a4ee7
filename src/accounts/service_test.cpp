#include "accounts/service.h"

#include <gtest/gtest.h>
#include <sodium.h>

namespace hocvu::accounts {
namespace {

const std::set<std::string, std::less<>> kPrefixes{"001", "079"};

RegistrationForm valid_form() {
  return {"  Nguyễn   Thị Ánh  ", "001199012345", "091 234 5678", "Hoc-vu-so!", "1999-05-01", "citizen", "01"};
}

std::string error_for(const FieldErrors& errors, const std::string& field) {
  for (auto& [f, m] : errors)
    if (f == field) return m;
  return {};
}

TEST(Registration, NormalisesAValidForm) {
  auto r = check_registration(valid_form(), kPrefixes);
  ASSERT_TRUE(r.errors.empty()) << r.errors.front().first << ": " << r.errors.front().second;
  EXPECT_EQ(r.person.full_name, "Nguyễn Thị Ánh");
  EXPECT_EQ(r.person.search_name, "nguyen thi anh");
  EXPECT_EQ(*r.person.national_id, "001199012345");
  EXPECT_EQ(*r.person.phone, "0912345678");
  EXPECT_EQ(*r.person.birth_date, "1999-05-01");
}

TEST(Registration, StoresNamesInNfc) {
  auto form = valid_form();
  form.full_name = "Nguye\u0302\u0303n Thi\u0323";  // a keyboard that sends combining marks
  EXPECT_EQ(check_registration(form, kPrefixes).person.full_name, "Nguyễn Thị");
}

TEST(Registration, EveryFieldGetsItsOwnVietnameseMessage) {
  RegistrationForm bad{"", "123", "12", "123", "1999-13-01", "alien", ""};
  auto r = check_registration(bad, kPrefixes);
  for (auto field : {"full_name", "national_id", "phone", "password", "birth_date", "target_group", "unit_code"})
    EXPECT_FALSE(error_for(r.errors, field).empty()) << field;
  EXPECT_NE(error_for(r.errors, "national_id").find("12 chữ số"), std::string::npos);
  ASSERT_EQ(r.errors.size(), 7u);
  EXPECT_EQ(r.errors[0].first, "full_name");  // in the order of the form
  EXPECT_EQ(r.errors[1].first, "national_id");
  EXPECT_EQ(r.errors[6].first, "password");
}

TEST(Registration, CccdMustAgreeWithTheBirthYear) {
  auto form = valid_form();
  form.birth_date = "1998-05-01";
  auto r = check_registration(form, kPrefixes);
  EXPECT_NE(error_for(r.errors, "national_id").find("năm sinh"), std::string::npos);
}

TEST(Registration, PasswordMayNotBeThePhone) {
  auto form = valid_form();
  form.password = "0912345678";
  EXPECT_FALSE(error_for(check_registration(form, kPrefixes).errors, "password").empty());
}

TEST(Throttle, LocksAfterTooManyFailuresInTheWindowAndUnlocksLater) {
  auto t0 = parse_utc("2026-11-24T10:00:00.000Z").value();
  std::optional<FailureRecord> rec;
  for (int i = 0; i < 4; ++i) {
    rec = after_failure(rec, t0 + std::chrono::seconds(i), kLoginThrottle);
    EXPECT_EQ(seconds_locked(rec, t0 + std::chrono::seconds(i)), 0);
  }
  rec = after_failure(rec, t0 + std::chrono::seconds(10), kLoginThrottle);
  EXPECT_EQ(rec->failures, 5);
  EXPECT_GT(seconds_locked(rec, t0 + std::chrono::seconds(10)), 14 * 60);
  EXPECT_EQ(seconds_locked(rec, t0 + std::chrono::minutes(26)), 0);
  // A failure after the window starts a new count.
  auto fresh = after_failure(FailureRecord{3, "2026-11-24T10:00:00.000Z", std::nullopt}, t0 + std::chrono::minutes(20), kLoginThrottle);
  EXPECT_EQ(fresh.failures, 1);
}

TEST(Time, FormatsAndParsesUtc) {
  auto t = parse_utc("2026-11-24T20:31:05.123Z");
  ASSERT_TRUE(t);
  EXPECT_EQ(format_utc(*t), "2026-11-24T20:31:05.123Z");
  EXPECT_FALSE(parse_utc("2026-11-24 20:31:05"));
}

}  // namespace
}  // namespace hocvu::accounts
