// Accounts over HTTP against the real server: the API contract of issue 3 and the page flows
// (registration, sign-in, sign-out) with CSRF. Runs on SQLite and PostgreSQL.
#include "support/http_client.h"
#include "support/server_process.h"

#include <gtest/gtest.h>

#include <regex>
#include <strings.h>

namespace hocvu::testing {
namespace {

const std::map<std::string, std::string> kJson{{"Content-Type", "application/json"}};

std::string cookie_value(const HttpResponse& r, const std::string& name) {
  for (auto& [k, v] : r.headers)
    if (strcasecmp(k.c_str(), "Set-Cookie") == 0 && v.rfind(name + "=", 0) == 0) return v.substr(name.size() + 1, v.find(';') - name.size() - 1);
  return {};
}
std::string set_cookie_line(const HttpResponse& r, const std::string& name) {
  for (auto& [k, v] : r.headers)
    if (strcasecmp(k.c_str(), "Set-Cookie") == 0 && v.rfind(name + "=", 0) == 0) return v;
  return {};
}

std::string account_json(const std::string& cccd, const std::string& phone, const std::string& name = "Lê Thị Hồng") {
  return R"({"full_name":")" + name + R"(","national_id":")" + cccd + R"(","phone":")" + phone +
         R"(","password":"Hoc-vu-so!","birth_date":"1999-05-01","target_group":"citizen","unit_code":"01"})";
}

HttpResponse post(int port, const std::string& path, const std::string& body, std::map<std::string, std::string> headers) {
  Connection c(port);
  return c.request("POST", path, headers, body);
}

class Accounts : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = new ServerProcess(); }
  static void TearDownTestSuite() { delete server_; }
  int port() const { return server_->port(); }
  static ServerProcess* server_;
};
ServerProcess* Accounts::server_ = nullptr;

TEST_F(Accounts, RegisterConflictsAndFieldErrors) {
  auto created = post(port(), "/api/v1/accounts", account_json("001199000001", "0911000001"), kJson);
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_NE(created.body.find("\"id\":"), std::string::npos);
  EXPECT_NE(created.body.find("\"full_name\":\"Lê Thị Hồng\""), std::string::npos);
  EXPECT_NE(created.body.find("\"target_group\":\"citizen\""), std::string::npos);
  EXPECT_NE(created.body.find("\"unit_code\":\"01\""), std::string::npos);

  auto same_id = post(port(), "/api/v1/accounts", account_json("001199000001", "0911000099"), kJson);
  EXPECT_EQ(same_id.status, 409);
  EXPECT_NE(same_id.body.find("\"code\":\"conflict\""), std::string::npos);
  EXPECT_NE(same_id.body.find("\"fields\":{\"national_id\":"), std::string::npos);
  auto same_phone = post(port(), "/api/v1/accounts", account_json("001199000002", "+84911000001"), kJson);
  EXPECT_EQ(same_phone.status, 409);
  EXPECT_NE(same_phone.body.find("\"fields\":{\"phone\":"), std::string::npos);

  auto invalid = post(port(), "/api/v1/accounts",
                      R"({"full_name":"","national_id":"12","phone":"x","password":"1","birth_date":"hôm qua","target_group":"?","unit_code":"01"})", kJson);
  EXPECT_EQ(invalid.status, 422);
  EXPECT_NE(invalid.body.find("\"code\":\"invalid_field\""), std::string::npos);
  for (auto f : {"full_name", "national_id", "phone", "password", "birth_date", "target_group"})
    EXPECT_NE(invalid.body.find(std::string("\"") + f + "\":"), std::string::npos) << f;
  EXPECT_NE(invalid.body.find("12 chữ số"), std::string::npos);  // Vietnamese messages

  EXPECT_EQ(post(port(), "/api/v1/accounts", "{not json", kJson).status, 400);
  EXPECT_EQ(post(port(), "/api/v1/accounts", "[1,2]", kJson).status, 400);
  EXPECT_EQ(post(port(), "/api/v1/accounts", R"({"full_name": 5})", kJson).status, 422);
  EXPECT_EQ(post(port(), "/api/v1/accounts", account_json("001199000003", "0911000003"), {{"Content-Type", "text/plain"}}).status, 415);
}

TEST_F(Accounts, SessionsBearerCookieAndSignOut) {
  ASSERT_EQ(post(port(), "/api/v1/accounts", account_json("001199000010", "0911000010"), kJson).status, 201);
  EXPECT_EQ(http_get(port(), "/api/v1/me").status, 401);

  auto session = post(port(), "/api/v1/sessions", R"({"login":"0911000010","password":"Hoc-vu-so!"})", kJson);
  ASSERT_EQ(session.status, 201) << session.body;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(session.body, m, std::regex(R"re("token":"([A-Za-z0-9_-]{43})")re")));
  std::string token = m[1];
  EXPECT_NE(session.body.find("\"expires_at\":\"20"), std::string::npos);
  auto cookie = set_cookie_line(session, "hocvu_session");
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(cookie.find("SameSite=Lax"), std::string::npos);

  auto me = http_get(port(), "/api/v1/me", {{"Authorization", "Bearer " + token}});
  EXPECT_EQ(me.status, 200);
  EXPECT_NE(me.body.find("\"national_id\":\"001199000010\""), std::string::npos);
  EXPECT_EQ(http_get(port(), "/api/v1/me", {{"Cookie", "hocvu_session=" + token}}).status, 200);

  Connection c(port());
  auto out = c.request("DELETE", "/api/v1/sessions/current", {{"Authorization", "Bearer " + token}});
  EXPECT_EQ(out.status, 204);
  EXPECT_EQ(http_get(port(), "/api/v1/me", {{"Authorization", "Bearer " + token}}).status, 401);
  Connection again(port());
  EXPECT_EQ(again.request("DELETE", "/api/v1/sessions/current").status, 401);
}

TEST_F(Accounts, SignInNeverSaysWhetherAnAccountExistsAndIsThrottled) {
  ASSERT_EQ(post(port(), "/api/v1/accounts", account_json("001199000020", "0911000020"), kJson).status, 201);
  auto wrong = post(port(), "/api/v1/sessions", R"({"login":"0911000020","password":"sai-mat-khau"})", kJson);
  auto unknown = post(port(), "/api/v1/sessions", R"({"login":"0911999999","password":"sai-mat-khau"})", kJson);
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(unknown.status, 401);
  EXPECT_EQ(wrong.body, unknown.body);
  // Five free failures; the sixth locks clients that never signed in to the account for a minute.
  for (int i = 0; i < 5; ++i) post(port(), "/api/v1/sessions", R"({"login":"0911000020","password":"sai"})", kJson);
  auto locked = post(port(), "/api/v1/sessions", R"({"login":"0911000020","password":"Hoc-vu-so!"})", kJson);
  EXPECT_EQ(locked.status, 429);
  EXPECT_GE(std::stoi(locked.header("Retry-After")), 55);
  EXPECT_NE(locked.body.find("\"code\":\"throttled\""), std::string::npos);
  EXPECT_NE(locked.body.find("phút"), std::string::npos);
}

TEST_F(Accounts, RegistrationPageRoundTripsWithCsrf) {
  auto form = http_get(port(), "/register");
  ASSERT_EQ(form.status, 200);
  std::string csrf = cookie_value(form, "hocvu_csrf");
  ASSERT_EQ(csrf.size(), 43u);
  EXPECT_NE(form.body.find("name=\"csrf\" value=\"" + csrf + "\""), std::string::npos);
  EXPECT_NE(set_cookie_line(form, "hocvu_csrf").find("SameSite=Strict"), std::string::npos);

  const std::map<std::string, std::string> form_headers{{"Content-Type", "application/x-www-form-urlencoded"},
                                                         {"Cookie", "hocvu_csrf=" + csrf}};
  const std::string good = "full_name=Ph%E1%BA%A1m+V%C4%83n+B%C3%ACnh&national_id=001199000030&birth_date=1999-05-01"
                           "&phone=0911000030&target_group=worker&unit_code=01&password=Hoc-vu-so%21";
  // Without the token, or with a foreign Origin: refused, nothing created.
  EXPECT_EQ(post(port(), "/register", good, form_headers).status, 403);
  auto foreign = form_headers;
  foreign["Origin"] = "http://evil.example";
  EXPECT_EQ(post(port(), "/register", good + "&csrf=" + csrf, foreign).status, 403);

  // Errors: 422, a summary that links to each field, the values kept, never the password.
  auto bad = post(port(), "/register", "csrf=" + csrf + "&full_name=Ph%E1%BA%A1m&national_id=12&phone=0911000031&password=secret-pw-1", form_headers);
  EXPECT_EQ(bad.status, 422);
  EXPECT_NE(bad.body.find("class=\"error-summary\""), std::string::npos);
  EXPECT_NE(bad.body.find("href=\"#national_id\""), std::string::npos);
  EXPECT_NE(bad.body.find("value=\"Phạm\""), std::string::npos);
  EXPECT_NE(bad.body.find("value=\"0911000031\""), std::string::npos);
  EXPECT_NE(bad.body.find("aria-invalid=\"true\""), std::string::npos);
  // A refused password is never sent back; one that was fine stays in its field (issue 11).
  auto weak = post(port(), "/register", "csrf=" + csrf + "&full_name=Ph%E1%BA%A1m&national_id=12&phone=0911000031&password=123", form_headers);
  EXPECT_EQ(weak.status, 422);
  EXPECT_EQ(weak.body.find("value=\"123\""), std::string::npos);
  const bool password_refused = bad.body.find("id=\"password-error\"") != std::string::npos;
  EXPECT_EQ(bad.body.find("value=\"secret-pw-1\"") == std::string::npos, password_refused) << bad.body;
  // A birth date day first, as people write it, is understood.
  auto day_first = post(port(), "/register", "csrf=" + csrf + "&full_name=Ph%E1%BA%A1m&national_id=12&birth_date=01%2F05%2F1999", form_headers);
  EXPECT_EQ(day_first.body.find("id=\"birth_date-error\""), std::string::npos) << day_first.body;

  auto done = post(port(), "/register", good + "&csrf=" + csrf, form_headers);
  EXPECT_EQ(done.status, 303);
  EXPECT_EQ(done.header("Location"), "/learn?welcome=1");
  std::string session = cookie_value(done, "hocvu_session");
  ASSERT_EQ(session.size(), 43u);

  auto me = http_get(port(), "/me", {{"Cookie", "hocvu_session=" + session + "; hocvu_csrf=" + csrf}});
  EXPECT_EQ(me.status, 200);
  EXPECT_NE(me.body.find("Phạm Văn Bình"), std::string::npos);
  EXPECT_NE(me.body.find("001199000030"), std::string::npos);
  EXPECT_NE(me.body.find("action=\"/sign-out\""), std::string::npos);  // the header knows who is signed in
  EXPECT_NE(me.header("Cache-Control").find("no-store"), std::string::npos);

  auto out = post(port(), "/sign-out", "csrf=" + csrf,
                  {{"Content-Type", "application/x-www-form-urlencoded"}, {"Cookie", "hocvu_session=" + session + "; hocvu_csrf=" + csrf}});
  EXPECT_EQ(out.status, 303);
  auto after = http_get(port(), "/me", {{"Cookie", "hocvu_session=" + session}});
  EXPECT_EQ(after.status, 303);
  EXPECT_EQ(after.header("Location"), "/sign-in?next=/me");  // back to /me after signing in again
  EXPECT_NE(after.header("Cache-Control").find("no-store"), std::string::npos);
}

TEST_F(Accounts, SignInPage) {
  ASSERT_EQ(post(port(), "/api/v1/accounts", account_json("001199000040", "0911000040"), kJson).status, 201);
  auto page = http_get(port(), "/sign-in");
  std::string csrf = cookie_value(page, "hocvu_csrf");
  const std::map<std::string, std::string> h{{"Content-Type", "application/x-www-form-urlencoded"}, {"Cookie", "hocvu_csrf=" + csrf}};
  auto wrong = post(port(), "/sign-in", "csrf=" + csrf + "&login=0911000040&password=nope", h);
  EXPECT_EQ(wrong.status, 401);
  EXPECT_NE(wrong.body.find("không đúng"), std::string::npos);
  EXPECT_NE(wrong.body.find("value=\"0911000040\""), std::string::npos);  // the login is kept
  auto ok = post(port(), "/sign-in", "csrf=" + csrf + "&login=001199000040&password=Hoc-vu-so%21", h);
  EXPECT_EQ(ok.status, 303);
  EXPECT_EQ(cookie_value(ok, "hocvu_session").size(), 43u);
}

std::string sign_in_token(int port, const std::string& login, const std::string& password = "Hoc-vu-so!") {
  auto r = post(port, "/api/v1/sessions", R"({"login":")" + login + R"(","password":")" + password + R"("})", kJson);
  std::smatch m;
  if (!std::regex_search(r.body, m, std::regex(R"re("token":"([A-Za-z0-9_-]{43})")re"))) return {};
  return m[1];
}

HttpResponse send(int port, const std::string& method, const std::string& path, const std::string& token,
                  const std::string& body = "") {
  Connection c(port);
  std::map<std::string, std::string> h{{"Authorization", "Bearer " + token}};
  if (!body.empty()) h["Content-Type"] = "application/json";
  return c.request(method, path, h, body);
}

TEST_F(Accounts, ProfileEditsKeepIdentityFixed) {
  ASSERT_EQ(post(port(), "/api/v1/accounts", account_json("001199000050", "0911000050"), kJson).status, 201);
  ASSERT_EQ(post(port(), "/api/v1/accounts", account_json("001199000051", "0911000051"), kJson).status, 201);
  std::string token = sign_in_token(port(), "0911000050");
  ASSERT_FALSE(token.empty());

  auto ok = send(port(), "PATCH", "/api/v1/me", token, R"({"full_name":"Lê Thị Hồng Nhung","email":"nhung@example.vn","target_group":"worker"})");
  EXPECT_EQ(ok.status, 200) << ok.body;
  EXPECT_NE(ok.body.find("\"full_name\":\"Lê Thị Hồng Nhung\""), std::string::npos);
  EXPECT_NE(ok.body.find("\"phone\":\"0911000050\""), std::string::npos);  // left out, so kept
  EXPECT_NE(ok.body.find("\"target_group\":\"worker\""), std::string::npos);

  auto taken = send(port(), "PATCH", "/api/v1/me", token, R"({"phone":"0911000051"})");
  EXPECT_EQ(taken.status, 409);
  EXPECT_NE(taken.body.find("\"fields\":{\"phone\":"), std::string::npos);
  auto fixed = send(port(), "PATCH", "/api/v1/me", token, R"({"national_id":"001199000099"})");
  EXPECT_EQ(fixed.status, 422);
  auto bad_email = send(port(), "PATCH", "/api/v1/me", token, R"({"email":"không phải email"})");
  EXPECT_EQ(bad_email.status, 422);
  EXPECT_NE(bad_email.body.find("\"email\":"), std::string::npos);
  EXPECT_EQ(send(port(), "PATCH", "/api/v1/me", "", R"({"email":"a@b.vn"})").status, 401);
}

TEST_F(Accounts, PasswordChangeSignsOutOtherSessionsAndDataDownloadHasEverything) {
  ASSERT_EQ(post(port(), "/api/v1/accounts", account_json("001199000060", "0911000060"), kJson).status, 201);
  std::string phone_session = sign_in_token(port(), "0911000060");
  std::string laptop_session = sign_in_token(port(), "001199000060");

  auto data = send(port(), "GET", "/api/v1/me/data", phone_session);
  EXPECT_EQ(data.status, 200);
  EXPECT_NE(data.header("Content-Disposition").find("attachment"), std::string::npos);
  EXPECT_NE(data.body.find("\"national_id\":\"001199000060\""), std::string::npos);
  EXPECT_NE(data.body.find("\"current\":true"), std::string::npos);
  EXPECT_NE(data.body.find("\"current\":false"), std::string::npos);
  EXPECT_EQ(data.body.find("password"), std::string::npos);  // never the hash
  EXPECT_EQ(data.body.find(phone_session), std::string::npos);  // never a token

  auto wrong = send(port(), "POST", "/api/v1/me/password", phone_session, R"({"current_password":"sai","new_password":"Mat-khau-moi-1"})");
  EXPECT_EQ(wrong.status, 422);
  EXPECT_NE(wrong.body.find("current_password"), std::string::npos);
  auto weak = send(port(), "POST", "/api/v1/me/password", phone_session, R"({"current_password":"Hoc-vu-so!","new_password":"0911000060"})");
  EXPECT_EQ(weak.status, 422);
  auto changed = send(port(), "POST", "/api/v1/me/password", phone_session, R"({"current_password":"Hoc-vu-so!","new_password":"Mat-khau-moi-1"})");
  EXPECT_EQ(changed.status, 204);
  EXPECT_EQ(send(port(), "GET", "/api/v1/me", phone_session).status, 200);   // this one stays
  EXPECT_EQ(send(port(), "GET", "/api/v1/me", laptop_session).status, 401);  // the others end
  EXPECT_TRUE(sign_in_token(port(), "0911000060").empty());
  EXPECT_FALSE(sign_in_token(port(), "0911000060", "Mat-khau-moi-1").empty());

  std::string another = sign_in_token(port(), "0911000060", "Mat-khau-moi-1");
  EXPECT_EQ(send(port(), "DELETE", "/api/v1/me/sessions", phone_session).status, 204);
  EXPECT_EQ(send(port(), "GET", "/api/v1/me", another).status, 401);
  EXPECT_EQ(send(port(), "GET", "/api/v1/me", phone_session).status, 200);
}

TEST_F(Accounts, ProfilePagesNeedSignInAndCsrf) {
  EXPECT_EQ(http_get(port(), "/me/edit").status, 303);
  ASSERT_EQ(post(port(), "/api/v1/accounts", account_json("001199000070", "0911000070"), kJson).status, 201);
  std::string token = sign_in_token(port(), "0911000070");
  auto page = http_get(port(), "/me/edit", {{"Cookie", "hocvu_session=" + token}});
  ASSERT_EQ(page.status, 200);
  std::string csrf = cookie_value(page, "hocvu_csrf");
  const std::map<std::string, std::string> h{{"Content-Type", "application/x-www-form-urlencoded"},
                                             {"Cookie", "hocvu_session=" + token + "; hocvu_csrf=" + csrf}};
  const std::string form = "full_name=L%C3%AA+H%E1%BB%93ng&phone=0911000070&email=&target_group=student&unit_code=79";
  EXPECT_EQ(post(port(), "/me/edit", form, h).status, 403);
  auto saved = post(port(), "/me/edit", form + "&csrf=" + csrf, h);
  EXPECT_EQ(saved.status, 303);
  EXPECT_EQ(saved.header("Location"), "/me?done=profile");
  auto me = http_get(port(), "/me?done=profile", {{"Cookie", "hocvu_session=" + token}});
  EXPECT_NE(me.body.find("Lê Hồng"), std::string::npos);
  EXPECT_NE(me.body.find("Đã lưu"), std::string::npos);
  auto bad = post(port(), "/me/edit", "csrf=" + csrf + "&full_name=&phone=1&target_group=student&unit_code=79", h);
  EXPECT_EQ(bad.status, 422);
  EXPECT_NE(bad.body.find("error-summary"), std::string::npos);
}

TEST_F(Accounts, ApiTokensWithScopesCreatedAndRevokedByTheirOwner) {
  ASSERT_EQ(post(port(), "/api/v1/accounts", account_json("001199000080", "0911000080"), kJson).status, 201);
  ASSERT_EQ(post(port(), "/api/v1/accounts", account_json("001199000081", "0911000081"), kJson).status, 201);
  std::string session = sign_in_token(port(), "0911000080");
  std::string other = sign_in_token(port(), "0911000081");
  auto token_from = [](const HttpResponse& r) {
    std::smatch m;
    return std::regex_search(r.body, m, std::regex(R"re("token":"([A-Za-z0-9_-]{43})")re")) ? std::string(m[1]) : std::string();
  };
  auto read = send(port(), "POST", "/api/v1/me/tokens", session, R"({"name":"Phần mềm nhân sự","scopes":"read"})");
  ASSERT_EQ(read.status, 201) << read.body;
  std::string read_token = token_from(read);
  auto write = send(port(), "POST", "/api/v1/me/tokens", session, R"({"name":"Đồng bộ hồ sơ","scopes":"read write"})");
  std::string write_token = token_from(write);
  ASSERT_FALSE(read_token.empty());
  EXPECT_EQ(send(port(), "POST", "/api/v1/me/tokens", session, R"({"name":"","scopes":"admin"})").status, 422);

  EXPECT_EQ(send(port(), "GET", "/api/v1/me", read_token).status, 200);
  EXPECT_EQ(send(port(), "PATCH", "/api/v1/me", read_token, R"({"email":"a@b.vn"})").status, 401);  // read only
  EXPECT_EQ(send(port(), "PATCH", "/api/v1/me", write_token, R"({"email":"a@b.vn"})").status, 200);

  auto list = send(port(), "GET", "/api/v1/me/tokens", session);
  EXPECT_NE(list.body.find("Phần mềm nhân sự"), std::string::npos);
  EXPECT_EQ(list.body.find(read_token), std::string::npos);  // the secret is never shown again
  std::smatch m;
  ASSERT_TRUE(std::regex_search(read.body, m, std::regex(R"re("id":(\d+))re")));
  EXPECT_EQ(send(port(), "DELETE", "/api/v1/me/tokens/" + std::string(m[1]), other).status, 404);  // not theirs
  EXPECT_EQ(send(port(), "DELETE", "/api/v1/me/tokens/" + std::string(m[1]), session).status, 204);
  EXPECT_EQ(send(port(), "GET", "/api/v1/me", read_token).status, 401);
  EXPECT_EQ(send(port(), "GET", "/api/v1/me", write_token).status, 200);
}

}  // namespace
}  // namespace hocvu::testing
