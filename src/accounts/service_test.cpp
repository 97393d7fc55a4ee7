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

SystemTime at(std::chrono::seconds offset) { return parse_utc("2026-11-24T10:00:00.000Z").value() + offset; }

TEST(Throttle, BacksOffExponentiallyAfterTheFreeFailures) {
  using std::chrono::seconds;
  std::optional<FailureRecord> rec;
  for (int i = 0; i < 5; ++i) {
    rec = after_failure(rec, at(seconds(i)), kAccountThrottle);
    EXPECT_EQ(seconds_locked(rec, at(seconds(i))), 0) << "free failure " << i + 1;
  }
  // Failure 6 locks for 1 minute, 7 for 2, 8 for 4, ... never more than an hour.
  const long expected_minutes[] = {1, 2, 4, 8, 16, 32, 60, 60};
  long t = 10;
  for (long minutes : expected_minutes) {
    rec = after_failure(rec, at(seconds(t)), kAccountThrottle);
    EXPECT_EQ(seconds_locked(rec, at(seconds(t))), minutes * 60 + 1) << rec->failures;
    EXPECT_EQ(seconds_locked(rec, at(seconds(t + minutes * 60))), 0) << rec->failures;
    t += minutes * 60;
  }
  // Failures are forgotten a day after the first of them.
  auto fresh = after_failure(FailureRecord{12, "2026-11-24T10:00:00.000Z", "2026-11-24T11:00:00.000Z"},
                             at(std::chrono::hours(25)), kAccountThrottle);
  EXPECT_EQ(fresh.failures, 1);
  EXPECT_FALSE(fresh.locked_until);
}

// The gate before a sign-in's password is checked, as a table: who is refused unheard, who waits.
TEST(Throttle, SignInGate) {
  const auto now = at(std::chrono::seconds(0));
  const FailureRecord locked{9, "2026-11-24T09:59:00.000Z", "2026-11-24T10:05:00.000Z"};
  const FailureRecord expired{9, "2026-11-24T09:00:00.000Z", "2026-11-24T09:05:00.000Z"};
  const FailureRecord counting{3, "2026-11-24T09:59:00.000Z", std::nullopt};
  struct Case {
    const char* name;
    GateInput in;
    bool trusted;
    bool refused;
    bool delayed;
  };
  const Case cases[] = {
      {"nothing recorded", {false, {}, {}, {}}, false, false, false},
      {"account counting, not locked", {false, counting, {}, counting}, false, false, false},
      {"untrusted client of a locked account: refused", {false, locked, {}, {}}, false, true, false},
      {"lock expired", {false, expired, {}, {}}, false, false, false},
      {"trusted device of a locked account: in", {true, locked, {}, {}}, true, false, false},
      {"trusted device from a throttled address: no delay", {true, {}, {}, locked}, true, false, false},
      {"trusted device over its own budget: untrusted, and refused", {true, locked, locked, {}}, false, true, false},
      {"trusted device over its own budget, account free", {true, {}, locked, {}}, false, false, false},
      {"throttled address: delayed, never refused", {false, {}, {}, locked}, false, false, true},
      {"throttled address and locked account", {false, locked, {}, locked}, false, true, true},
  };
  for (const auto& c : cases) {
    Gate g = sign_in_gate(c.in, now);
    EXPECT_EQ(g.trusted, c.trusted) << c.name;
    EXPECT_EQ(g.refused_for > 0, c.refused) << c.name;
    EXPECT_EQ(g.delayed, c.delayed) << c.name;
    // A trusted device's failures count against itself only; anyone else's against the account and address.
    EXPECT_EQ(g.charge_device(), c.trusted) << c.name;
    EXPECT_EQ(g.charge_account(), !c.trusted) << c.name;
    EXPECT_EQ(g.charge_address(), !c.trusted) << c.name;
  }
}

// Claiming an attempt before its password is checked: refused unheard and uncounted while locked,
// otherwise counted against the one record the gate charges.
TEST(Throttle, ClaimAttempt) {
  const auto now = at(std::chrono::seconds(0));
  const FailureRecord locked{9, "2026-11-24T09:59:00.000Z", "2026-11-24T10:05:00.000Z"};
  const FailureRecord passed{6, "2026-11-24T09:58:00.000Z", "2026-11-24T09:59:00.000Z"};  // the sixth's minute is over
  const FailureRecord five{5, "2026-11-24T09:59:00.000Z", std::nullopt};
  struct Case {
    const char* name;
    GateInput in;
    bool refused;
    std::optional<int> account, device;  // the counts stored
    bool locks;                          // the count stored earns a lock
  };
  const Case cases[] = {
      {"nothing recorded: the account counts one", {false, {}, {}, {}}, false, 1, {}, false},
      {"the free failures used: this one is heard and locks", {false, five, {}, {}}, false, 6, {}, true},
      {"locked: refused, nothing counted", {false, locked, {}, {}}, true, {}, {}, false},
      {"the lock has passed: heard, and the next lock is earned at once", {false, passed, {}, {}}, false, 7, {}, true},
      {"throttled address: counted against the account only", {false, {}, {}, locked}, false, 1, {}, false},
      {"trusted device of a locked account: its own record counts", {true, locked, {}, {}}, false, {}, 1, false},
      {"trusted device over its budget: the account counts", {true, five, locked, {}}, false, 6, {}, true},
      {"trusted device over its budget, account locked: refused", {true, locked, locked, {}}, true, {}, {}, false},
  };
  for (const auto& c : cases) {
    AttemptClaim claimed = claim_attempt(c.in, now);
    EXPECT_EQ(claimed.gate.refused_for > 0, c.refused) << c.name;
    EXPECT_EQ(claimed.account ? std::optional<int>(claimed.account->failures) : std::nullopt, c.account) << c.name;
    EXPECT_EQ(claimed.device ? std::optional<int>(claimed.device->failures) : std::nullopt, c.device) << c.name;
    const auto& stored = claimed.account ? claimed.account : claimed.device;
    EXPECT_EQ(seconds_locked(stored, now) > 0, c.locks) << c.name;
  }
  // A key that is only counted (registrations): refused while locked, else counted.
  EXPECT_FALSE(claim(locked, now, kRegistrationThrottle));
  EXPECT_EQ(claim(passed, now, kRegistrationThrottle)->failures, 7);
  EXPECT_EQ(claim(std::nullopt, now, kRegistrationThrottle)->failures, 1);
}

TEST(Throttle, AHundredRegistrationsAnHourFromOneAddress) {
  std::optional<FailureRecord> rec;
  for (int i = 1; i <= 99; ++i) {
    rec = after_failure(rec, at(std::chrono::seconds(i)), kRegistrationThrottle);
    EXPECT_EQ(seconds_locked(rec, at(std::chrono::seconds(i))), 0) << i;
  }
  rec = after_failure(rec, at(std::chrono::seconds(100)), kRegistrationThrottle);
  EXPECT_EQ(seconds_locked(rec, at(std::chrono::seconds(100))), 61) << "the 100th locks the next";
}

// Failures from one address against other accounts never refuse anyone: however many, the
// address's record only ever delays.
TEST(Throttle, AnAddressIsDelayedNeverRefused) {
  std::optional<FailureRecord> address;
  for (int i = 0; i < 1000; ++i) address = after_failure(address, at(std::chrono::seconds(i / 10)), kAddressThrottle);
  Gate g = sign_in_gate(GateInput{false, std::nullopt, std::nullopt, address}, at(std::chrono::seconds(100)));
  EXPECT_TRUE(g.delayed);
  EXPECT_EQ(g.refused_for, 0);
}

TEST(Time, FormatsAndParsesUtc) {
  auto t = parse_utc("2026-11-24T20:31:05.123Z");
  ASSERT_TRUE(t);
  EXPECT_EQ(format_utc(*t), "2026-11-24T20:31:05.123Z");
  EXPECT_FALSE(parse_utc("2026-11-24 20:31:05"));
}

}  // namespace
}  // namespace hocvu::accounts
