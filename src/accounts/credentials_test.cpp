#include "accounts/credentials.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <set>

namespace hocvu::accounts {
namespace {

class Credentials : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { ASSERT_GE(sodium_init(), 0); }
};

TEST_F(Credentials, PasswordPolicy) {
  const std::string cccd = "001099012345", phone = "0912345678", birth = "1999-05-01";
  struct Case { const char* pw; const char* code; };
  const Case cases[] = {
      {"ngắn", "password_too_short"},      {"1234567", "password_too_short"},
      {"aaaaaaaaaa", "password_repeated"}, {"12345678", "password_common"},
      {"MatKhau123", "password_common"},   {"001099012345", "password_personal"},
      {"0912345678", "password_personal"}, {"84912345678", "password_personal"},
      {"19990501", "password_personal"},   {"đường về quê 2025", ""},
      {"Hoc-vu-so!", ""},                  {"92837465", ""}};
  for (const auto& c : cases) {
    auto r = check_password(c.pw, cccd, phone, birth);
    if (*c.code == 0) EXPECT_FALSE(r) << c.pw << ": " << (r ? r->code : "");
    else {
      ASSERT_TRUE(r) << c.pw;
      EXPECT_EQ(r->code, c.code) << c.pw;
    }
  }
  EXPECT_EQ(check_password(std::string(129, 'x') + "y", cccd, phone, birth)->code, "password_too_long");
}

TEST_F(Credentials, Argon2idHashesVerifyAndDiffer) {
  std::string h1 = hash_password("Hoc-vu-so!"), h2 = hash_password("Hoc-vu-so!");
  EXPECT_TRUE(h1.starts_with("$argon2id$"));
  EXPECT_NE(h1, h2);  // salted
  EXPECT_TRUE(verify_password(h1, "Hoc-vu-so!"));
  EXPECT_FALSE(verify_password(h1, "Hoc-vu-so?"));
  EXPECT_FALSE(verify_password("not a hash", "Hoc-vu-so!"));
  EXPECT_FALSE(needs_rehash(h1));
}

TEST_F(Credentials, TokensAreRandomAndStoredAsDigests) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    auto t = new_token();
    EXPECT_EQ(t.size(), 43u);
    EXPECT_EQ(t.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"), std::string::npos);
    EXPECT_TRUE(seen.insert(t).second);
  }
  auto t = new_token();
  EXPECT_EQ(token_digest(t).size(), 64u);
  EXPECT_EQ(token_digest(t), token_digest(t));
  EXPECT_NE(token_digest(t), token_digest(new_token()));
  EXPECT_EQ(token_digest(t).find(t), std::string::npos);
}

}  // namespace
}  // namespace hocvu::accounts
