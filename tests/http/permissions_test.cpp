// Every protected route against every role (issue 3): a table of method, path and the status
// each role must get, including people reached by changing the id in the URL. Runs on SQLite
// and PostgreSQL. The first national administrator comes from `hocvu create-admin`.
#include "support/http_client.h"
#include "support/server_process.h"

#include <gtest/gtest.h>

#include <regex>

namespace hocvu::testing {
namespace {

const std::map<std::string, std::string> kJson{{"Content-Type", "application/json"}};

HttpResponse call(int port, const std::string& method, const std::string& path, const std::string& token,
                  const std::string& body = "") {
  Connection c(port);
  std::map<std::string, std::string> h;
  if (!token.empty()) h["Authorization"] = "Bearer " + token;
  if (!body.empty()) h["Content-Type"] = "application/json";
  return c.request(method, path, h, body);
}

std::string register_person(int port, const std::string& cccd, const std::string& phone, const std::string& unit,
                            const std::string& name) {
  std::string body = R"({"full_name":")" + name + R"(","national_id":")" + cccd + R"(","phone":")" + phone +
                     R"(","password":"Hoc-vu-so!","birth_date":"1999-05-01","target_group":"official","unit_code":")" + unit + R"("})";
  auto r = call(port, "POST", "/api/v1/accounts", "", body);
  std::smatch m;
  if (r.status != 201 || !std::regex_search(r.body, m, std::regex(R"re("id":(\d+))re"))) return {};
  return m[1];
}

std::string token_for(int port, const std::string& login, const std::string& password = "Hoc-vu-so!") {
  auto r = call(port, "POST", "/api/v1/sessions", "", R"({"login":")" + login + R"(","password":")" + password + R"("})");
  std::smatch m;
  if (!std::regex_search(r.body, m, std::regex(R"re("token":"([A-Za-z0-9_-]{43})")re"))) return {};
  return m[1];
}

class Permissions : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new ServerProcess();
    int port = server_->port();
    std::map<std::string, std::string> env{{"HOCVU_DATA_DIR", server_->data_dir()}};
    if (const char* url = std::getenv("HOCVU_TEST_DATABASE_URL"); url && *url) env["HOCVU_DATABASE_URL"] = url;
    auto admin = run_command({"/bin/sh", "-c", "printf 'Quan-tri-2025!\\n' | \"$HOCVU_BINARY\" create-admin --login 0900000001 --name 'Quản Trị Viên'"}, env);
    ASSERT_EQ(admin.status, 0) << admin.output;
    tokens_["national"] = token_for(port, "0900000001", "Quan-tri-2025!");
    ASSERT_FALSE(tokens_["national"].empty());

    struct P { const char* key; const char* cccd; const char* phone; const char* unit; const char* name; };
    const P people[] = {{"admin01", "001199100001", "0900100001", "01", "Quản Lý Hà Nội"},
                        {"admin79", "079199100002", "0900100002", "79", "Quản Lý Sài Gòn"},
                        {"auditor", "001199100003", "0900100003", "01", "Kiểm Tra Viên"},
                        {"instructor", "001199100004", "0900100004", "01", "Giảng Viên"},
                        {"learner", "001199100005", "0900100005", "01", "Người Học"},
                        {"targetA", "001199100006", "0900100006", "01", "Nguyễn Thị Hà"},
                        {"targetB", "079199100007", "0900100007", "79", "Trần Văn Sài"}};
    for (const auto& p : people) {
      ids_[p.key] = register_person(port, p.cccd, p.phone, p.unit, p.name);
      ASSERT_FALSE(ids_[p.key].empty()) << p.key;
    }
    auto grant = [&](const std::string& who, const std::string& body) {
      auto r = call(port, "POST", "/api/v1/people/" + ids_[who] + "/roles", tokens_["national"], body);
      ASSERT_EQ(r.status, 201) << who << ": " << r.body;
    };
    grant("admin01", R"({"role":"unit_admin","scope_kind":"unit","scope_code":"01"})");
    grant("admin79", R"({"role":"unit_admin","scope_kind":"unit","scope_code":"79"})");
    grant("auditor", R"({"role":"auditor","scope_kind":"national","scope_code":""})");
    grant("instructor", R"({"role":"instructor","scope_kind":"unit","scope_code":"01"})");
    for (auto key : {"admin01", "admin79", "auditor", "instructor", "learner"}) {
      tokens_[key] = token_for(port, "09001000" + std::string(key == std::string("admin01") ? "01" : key == std::string("admin79") ? "02"
                                                           : key == std::string("auditor") ? "03" : key == std::string("instructor") ? "04" : "05"));
      ASSERT_FALSE(tokens_[key].empty()) << key;
    }
    tokens_["anonymous"] = "";
  }
  static void TearDownTestSuite() { delete server_; }
  static ServerProcess* server_;
  static std::map<std::string, std::string> ids_, tokens_;
};
ServerProcess* Permissions::server_ = nullptr;
std::map<std::string, std::string> Permissions::ids_, Permissions::tokens_;

struct Row {
  std::string method, path, body;
  // Expected status for: anonymous, learner, instructor, admin01, admin79, auditor, national.
  std::array<int, 7> expect;
};
const char* kRoles[] = {"anonymous", "learner", "instructor", "admin01", "admin79", "auditor", "national"};

TEST_F(Permissions, EveryRouteAgainstEveryRole) {
  const std::string A = ids_["targetA"], B = ids_["targetB"];
  const std::string instructor_role = R"({"role":"instructor","scope_kind":"unit","scope_code":"01"})";
  const std::string auditor_role = R"({"role":"auditor","scope_kind":"national","scope_code":""})";
  const std::vector<Row> rows = {
      //                                                      anon learner instr a01  a79  audit nat
      {"GET", "/api/v1/people", "", {401, 403, 403, 200, 200, 200, 200}},
      {"GET", "/api/v1/people/" + A, "", {401, 404, 404, 200, 404, 200, 200}},  // A lives in 01
      {"GET", "/api/v1/people/" + B, "", {401, 404, 404, 404, 200, 200, 200}},  // B lives in 79
      {"GET", "/api/v1/people/999999", "", {401, 404, 404, 404, 404, 404, 404}},
      {"GET", "/api/v1/people/abc", "", {401, 404, 404, 404, 404, 404, 404}},
      {"POST", "/api/v1/people/" + B + "/roles", instructor_role, {401, 404, 404, 404, 403, 403, 201}},  // 01 scope on B
      {"POST", "/api/v1/people/" + A + "/roles", auditor_role, {401, 404, 404, 403, 404, 403, 201}},
      {"GET", "/api/v1/audit-log", "", {401, 403, 403, 403, 403, 200, 200}},
      {"GET", "/people", "", {303, 403, 403, 200, 200, 200, 200}},
      {"GET", "/people/" + A, "", {303, 404, 404, 200, 404, 200, 200}},
      {"GET", "/people/" + B, "", {303, 404, 404, 404, 200, 200, 200}},
      {"GET", "/audit", "", {303, 403, 403, 403, 403, 200, 200}},
      {"GET", "/admin-units/import", "", {303, 403, 403, 403, 403, 403, 200}},
      // B now holds an instructor role in Hà Nội (granted above), which admin79 could not grant:
      // admin79 may no longer reset B's password (issue 10, finding 1).
      {"POST", "/api/v1/people/" + B + "/setup-code", "", {401, 404, 404, 404, 403, 403, 201}},
  };
  for (const auto& row : rows)
    for (int i = 0; i < 7; ++i) {
      auto r = call(server_->port(), row.method, row.path, tokens_[kRoles[i]], row.body);
      EXPECT_EQ(r.status, row.expect[static_cast<std::size_t>(i)]) << row.method << " " << row.path << " as " << kRoles[i] << ": " << r.body.substr(0, 200);
    }
}

TEST_F(Permissions, ListsStayInsideTheCallersScopeAndMaskPersonalData) {
  auto list01 = call(server_->port(), "GET", "/api/v1/people?q=nguyen+thi+ha", tokens_["admin01"]);
  EXPECT_EQ(list01.status, 200);
  EXPECT_NE(list01.body.find("Nguyễn Thị Hà"), std::string::npos);  // found without diacritics
  EXPECT_NE(list01.body.find("001******006"), std::string::npos);   // masked in lists
  EXPECT_EQ(list01.body.find("001199100006"), std::string::npos);
  auto sai = call(server_->port(), "GET", "/api/v1/people?q=tran+van+sai", tokens_["admin01"]);
  EXPECT_NE(sai.body.find("\"total\":0"), std::string::npos);  // B is in 79: not in 01's list

  // A manager sees the full data of a person in scope, and the view is audited.
  auto full = call(server_->port(), "GET", "/api/v1/people/" + ids_["targetA"], tokens_["admin01"]);
  EXPECT_NE(full.body.find("\"national_id\":\"001199100006\""), std::string::npos);
  EXPECT_NE(full.body.find("\"personal_data\":\"shown\""), std::string::npos);
  // An auditor sees the person, masked.
  auto masked = call(server_->port(), "GET", "/api/v1/people/" + ids_["targetA"], tokens_["auditor"]);
  EXPECT_NE(masked.body.find("\"personal_data\":\"masked\""), std::string::npos);
  EXPECT_EQ(masked.body.find("001199100006"), std::string::npos);

  auto log = call(server_->port(), "GET", "/api/v1/audit-log?subject=" + ids_["targetA"], tokens_["auditor"]);
  EXPECT_EQ(log.status, 200);
  EXPECT_NE(log.body.find("\"action\":\"view_person\""), std::string::npos);
  EXPECT_NE(log.body.find("\"actor_name\":\"Quản Lý Hà Nội\""), std::string::npos);
}

TEST_F(Permissions, AProvinceAdminGrantsAnInstructorInTheirProvinceOnly) {
  auto ok = call(server_->port(), "POST", "/api/v1/people/" + ids_["learner"] + "/roles", tokens_["admin01"],
                 R"({"role":"instructor","scope_kind":"unit","scope_code":"01"})");
  EXPECT_EQ(ok.status, 201) << ok.body;
  auto again = call(server_->port(), "POST", "/api/v1/people/" + ids_["learner"] + "/roles", tokens_["admin01"],
                    R"({"role":"instructor","scope_kind":"unit","scope_code":"01"})");
  EXPECT_EQ(again.status, 409);
  auto elsewhere = call(server_->port(), "POST", "/api/v1/people/" + ids_["learner"] + "/roles", tokens_["admin01"],
                        R"({"role":"instructor","scope_kind":"unit","scope_code":"79"})");
  EXPECT_EQ(elsewhere.status, 403);
  auto unknown = call(server_->port(), "POST", "/api/v1/people/" + ids_["learner"] + "/roles", tokens_["admin01"],
                      R"({"role":"instructor","scope_kind":"unit","scope_code":"00000"})");
  EXPECT_EQ(unknown.status, 422);
  std::smatch m;
  ASSERT_TRUE(std::regex_search(ok.body, m, std::regex(R"re("id":(\d+))re")));
  EXPECT_EQ(call(server_->port(), "DELETE", "/api/v1/people/" + ids_["learner"] + "/roles/" + std::string(m[1]), tokens_["admin79"]).status, 404);
  EXPECT_EQ(call(server_->port(), "DELETE", "/api/v1/people/" + ids_["learner"] + "/roles/" + std::string(m[1]), tokens_["admin01"]).status, 204);
}

TEST_F(Permissions, CommunesImportOnlyForNationalAdminsIdempotentlyAndTheyWidenScopes) {
  const std::string csv = "ma,ten,ma_tinh\r\n00004,Phường Ba Đình,01\r\n00008,Phường Ngọc Hà,01\r\n26734,Phường Sài Gòn,79\r\n1,Sai,01\r\n";
  auto import = [&](const std::string& role, const std::string& query) {
    Connection c(server_->port());
    std::map<std::string, std::string> h{{"Content-Type", "text/csv"}};
    if (!tokens_[role].empty()) h["Authorization"] = "Bearer " + tokens_[role];
    return c.request("POST", "/api/v1/admin-units/import" + query, h, csv);
  };
  EXPECT_EQ(import("anonymous", "").status, 401);
  for (auto role : {"learner", "instructor", "admin01", "admin79", "auditor"}) EXPECT_EQ(import(role, "").status, 403) << role;

  auto dry = import("national", "?dry_run=1");
  ASSERT_EQ(dry.status, 200) << dry.body;
  EXPECT_NE(dry.body.find("\"created\":3"), std::string::npos);
  EXPECT_NE(dry.body.find("\"rejected\":1"), std::string::npos);
  EXPECT_NE(http_get(server_->port(), "/api/v1/provinces/01/communes").body.find("\"items\":[]"), std::string::npos);  // nothing written

  auto first = import("national", "");
  EXPECT_NE(first.body.find("\"created\":3"), std::string::npos);
  auto second = import("national", "");
  EXPECT_NE(second.body.find("\"created\":0,\"updated\":0,\"unchanged\":3"), std::string::npos) << second.body;
  auto communes = http_get(server_->port(), "/api/v1/provinces/01/communes");
  EXPECT_NE(communes.body.find("Phường Ba Đình"), std::string::npos);
  EXPECT_EQ(communes.body.find("Sài Gòn"), std::string::npos);

  // A person in a commune of Hà Nội: the province admin covers them, Sài Gòn's does not; the
  // province admin appoints a commune admin, who sees the commune's people and nobody else.
  std::string villager = register_person(server_->port(), "001199100008", "0900100008", "00004", "Đinh Văn Làng");
  ASSERT_FALSE(villager.empty());
  EXPECT_EQ(call(server_->port(), "GET", "/api/v1/people/" + villager, tokens_["admin01"]).status, 200);
  EXPECT_EQ(call(server_->port(), "GET", "/api/v1/people/" + villager, tokens_["admin79"]).status, 404);
  std::string chief = register_person(server_->port(), "001199100009", "0900100009", "00004", "Trưởng Xã");
  auto appoint = call(server_->port(), "POST", "/api/v1/people/" + chief + "/roles", tokens_["admin01"],
                      R"({"role":"unit_admin","scope_kind":"unit","scope_code":"00004"})");
  EXPECT_EQ(appoint.status, 201) << appoint.body;
  std::string chief_token = token_for(server_->port(), "0900100009");
  auto mine = call(server_->port(), "GET", "/api/v1/people", chief_token);
  EXPECT_NE(mine.body.find("Đinh Văn Làng"), std::string::npos);
  EXPECT_EQ(mine.body.find("Nguyễn Thị Hà"), std::string::npos);  // in the province, not the commune
  EXPECT_EQ(call(server_->port(), "GET", "/api/v1/people/" + ids_["targetA"], chief_token).status, 404);
}

// Issue 3's journey: a commune manager imports 500 people from a CSV exported from Excel, sees who
// was rejected and why, imports again without changing anything, and the people set their own
// passwords with one-time codes.
TEST_F(Permissions, ACommuneManagerImportsFiveHundredPeople) {
  auto post_csv = [&](const std::string& path, const std::string& token, const std::string& csv) {
    Connection c(server_->port());
    return c.request("POST", path, {{"Content-Type", "text/csv"}, {"Authorization", "Bearer " + token}}, csv);
  };
  ASSERT_EQ(post_csv("/api/v1/admin-units/import", tokens_["national"], "ma,ten,ma_tinh\n00004,Phường Ba Đình,01\n").status, 200);
  std::string manager = register_person(server_->port(), "001199100020", "0900100020", "00004", "Cán Bộ Xã");
  ASSERT_EQ(call(server_->port(), "POST", "/api/v1/people/" + manager + "/roles", tokens_["national"],
                 R"({"role":"unit_admin","scope_kind":"unit","scope_code":"00004"})").status, 201);
  std::string token = token_for(server_->port(), "0900100020");

  // Excel's "CSV UTF-8": a BOM, CRLF, dd/mm/yyyy dates, group names in Vietnamese.
  std::string csv = "\xEF\xBB\xBFHọ tên,CCCD,Số điện thoại,Ngày sinh,Nhóm,Mã đơn vị\r\n";
  int bad = 0, outside = 0;
  for (int i = 0; i < 500; ++i) {
    char cccd[16], phone[16];
    std::snprintf(cccd, sizeof cccd, "001085%06d", 500000 + i);
    std::snprintf(phone, sizeof phone, "097%07d", 1000000 + i);
    std::string unit = "00004";
    std::string id = cccd;
    if (i % 50 == 7) { id = "12345"; ++bad; }           // a CCCD that is too short
    else if (i % 100 == 3) { unit = "79"; ++outside; }  // someone from another province
    csv += "Người Học Số " + std::to_string(i) + "," + id + "," + phone + ",15/06/1985,Người dân," + unit + "\r\n";
  }
  const int valid = 500 - bad - outside;

  auto dry = post_csv("/api/v1/people/import?dry_run=1", token, csv);
  ASSERT_EQ(dry.status, 200) << dry.body.substr(0, 500);
  EXPECT_NE(dry.body.find("\"created\":" + std::to_string(valid)), std::string::npos) << dry.body.substr(0, 300);
  EXPECT_NE(dry.body.find("\"rejected\":" + std::to_string(bad + outside)), std::string::npos);
  EXPECT_EQ(dry.body.find("setup_code"), std::string::npos);  // nothing written, no codes
  EXPECT_NE(call(server_->port(), "GET", "/api/v1/people?q=nguoi+hoc+so", token).body.find("\"total\":0"), std::string::npos);

  auto done = post_csv("/api/v1/people/import", token, csv);
  ASSERT_EQ(done.status, 200);
  EXPECT_NE(done.body.find("\"created\":" + std::to_string(valid)), std::string::npos);
  EXPECT_NE(done.body.find("12 chữ số"), std::string::npos);     // why a row was rejected
  EXPECT_NE(done.body.find("ngoài phạm vi"), std::string::npos);
  EXPECT_NE(done.body.find("\"line\":9,"), std::string::npos);   // row 7 of the data is line 9 of the file

  auto again = post_csv("/api/v1/people/import", token, csv);
  EXPECT_NE(again.body.find("\"created\":0,\"updated\":0,\"unchanged\":" + std::to_string(valid)), std::string::npos)
      << again.body.substr(0, 300);

  auto listed = call(server_->port(), "GET", "/api/v1/people?q=nguoi+hoc+so", token);
  EXPECT_NE(listed.body.find("\"total\":" + std::to_string(valid)), std::string::npos) << listed.body.substr(0, 200);

  // Person 0 sets a password with their code, once.
  std::smatch m;
  ASSERT_TRUE(std::regex_search(done.body, m, std::regex(R"re("full_name":"Người Học Số 0","national_id":"[0-9*]+","setup_code":"(\d{8})")re")));
  std::string code = m[1];
  std::string setup = R"({"login":"0971000000","code":")" + code + R"(","new_password":"Mat-khau-rieng-1"})";
  auto first = call(server_->port(), "POST", "/api/v1/sessions/setup", "", setup);
  EXPECT_EQ(first.status, 201) << first.body;
  EXPECT_EQ(call(server_->port(), "POST", "/api/v1/sessions/setup", "", setup).status, 401);  // spent
  EXPECT_FALSE(token_for(server_->port(), "0971000000", "Mat-khau-rieng-1").empty());
  EXPECT_EQ(post_csv("/api/v1/people/import", tokens_["auditor"], csv).status, 403);
  EXPECT_EQ(post_csv("/api/v1/people/import", tokens_["learner"], csv).status, 403);
}

TEST_F(Permissions, AManagerResetsAPasswordWithAOneTimeCodeNeverSeeingIt) {
  std::string person = register_person(server_->port(), "001199100030", "0900100030", "01", "Quên Mật Khẩu");
  std::string old_session = token_for(server_->port(), "0900100030");
  ASSERT_FALSE(old_session.empty());
  auto issued = call(server_->port(), "POST", "/api/v1/people/" + person + "/setup-code", tokens_["admin01"]);
  ASSERT_EQ(issued.status, 201) << issued.body;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(issued.body, m, std::regex(R"re("code":"(\d{8})")re")));
  auto used = call(server_->port(), "POST", "/api/v1/sessions/setup", "",
                   R"({"login":"001199100030","code":")" + std::string(m[1]) + R"(","new_password":"Mat-khau-moi-2025"})");
  EXPECT_EQ(used.status, 201) << used.body;
  EXPECT_EQ(call(server_->port(), "GET", "/api/v1/me", old_session).status, 401);  // the old sessions end
  EXPECT_FALSE(token_for(server_->port(), "0900100030", "Mat-khau-moi-2025").empty());
  auto log = call(server_->port(), "GET", "/api/v1/audit-log?subject=" + person, tokens_["auditor"]);
  EXPECT_NE(log.body.find("\"action\":\"reset_password\""), std::string::npos);
  EXPECT_EQ(log.body.find(std::string(m[1])), std::string::npos);  // the code itself is never logged
}

TEST_F(Permissions, OrganisationsTreeMembershipsAndOrganisationScopes) {
  auto create = [&](const std::string& role, const std::string& body) {
    return call(server_->port(), "POST", "/api/v1/organisations", tokens_[role], body);
  };
  const std::string department = R"({"name":"Sở Giáo dục và Đào tạo Hà Nội","kind":"department","unit_code":"01"})";
  EXPECT_EQ(create("anonymous", department).status, 401);
  EXPECT_EQ(create("learner", department).status, 403);
  EXPECT_EQ(create("admin79", department).status, 403);
  auto dept = create("national", department);
  ASSERT_EQ(dept.status, 201) << dept.body;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(dept.body, m, std::regex(R"re("id":(\d+))re")));
  std::string dept_id = m[1];
  auto school = create("admin01", R"({"name":"Trường THPT Chu Văn An","kind":"school","unit_code":"01","parent_id":)" + dept_id + "}");
  ASSERT_EQ(school.status, 201) << school.body;
  ASSERT_TRUE(std::regex_search(school.body, m, std::regex(R"re("id":(\d+))re")));
  std::string school_id = m[1];
  EXPECT_EQ(create("admin79", R"({"name":"Trường X","kind":"school","unit_code":"79","parent_id":)" + dept_id + "}").status, 403);
  EXPECT_EQ(create("national", R"({"name":"","kind":"spaceship","unit_code":"00000"})").status, 422);
  auto tree = http_get(server_->port(), "/api/v1/organisations");
  EXPECT_LT(tree.body.find("Sở Giáo dục"), tree.body.find("Chu Văn An"));  // parents before children

  // Members: a manager who covers both the organisation and the person.
  std::string teacher = register_person(server_->port(), "001199100040", "0900100040", "01", "Cô Giáo Lan");
  std::string principal = register_person(server_->port(), "001199100041", "0900100041", "01", "Thầy Hiệu Trưởng");
  auto add = [&](const std::string& role, const std::string& org, const std::string& person) {
    return call(server_->port(), "POST", "/api/v1/organisations/" + org + "/members", tokens_[role], R"({"person_id":)" + person + "}");
  };
  EXPECT_EQ(add("admin79", school_id, teacher).status, 404);  // the person is outside 79's scope
  EXPECT_EQ(add("admin01", school_id, teacher).status, 201);
  EXPECT_EQ(add("admin01", school_id, teacher).status, 409);

  // An organisation manager of the department sees the school's members (its subtree), nobody else.
  ASSERT_EQ(call(server_->port(), "POST", "/api/v1/people/" + principal + "/roles", tokens_["national"],
                 R"({"role":"org_manager","scope_kind":"organisation","scope_code":")" + dept_id + R"("})").status, 201);
  std::string manager = token_for(server_->port(), "0900100041");
  auto seen = call(server_->port(), "GET", "/api/v1/people", manager);
  EXPECT_NE(seen.body.find("Cô Giáo Lan"), std::string::npos) << seen.body.substr(0, 300);
  EXPECT_EQ(seen.body.find("Nguyễn Thị Hà"), std::string::npos);
  EXPECT_EQ(call(server_->port(), "GET", "/api/v1/people/" + teacher, manager).status, 200);
  EXPECT_EQ(call(server_->port(), "GET", "/api/v1/people/" + ids_["targetA"], manager).status, 404);
  // ... and may make her an instructor in the school, but not a unit administrator.
  EXPECT_EQ(call(server_->port(), "POST", "/api/v1/people/" + teacher + "/roles", manager,
                 R"({"role":"instructor","scope_kind":"organisation","scope_code":")" + school_id + R"("})").status, 201);
  EXPECT_EQ(call(server_->port(), "POST", "/api/v1/people/" + teacher + "/roles", manager,
                 R"({"role":"unit_admin","scope_kind":"unit","scope_code":"01"})").status, 403);
  EXPECT_EQ(http_get(server_->port(), "/organisations").status, 200);
}

TEST_F(Permissions, APersonAsksToBeDeletedAndAManagerCoveringThemDoesIt) {
  std::string person = register_person(server_->port(), "001199100050", "0900100050", "01", "Muốn Xoá Tài Khoản");
  std::string token = token_for(server_->port(), "0900100050");
  EXPECT_EQ(call(server_->port(), "POST", "/api/v1/me/deletion-request", token, R"({"reason":"không dùng nữa"})").status, 202);
  auto page = http_get(server_->port(), "/people/" + person, {{"Authorization", "Bearer " + tokens_["admin01"]}});
  EXPECT_NE(page.body.find("yêu cầu xoá tài khoản"), std::string::npos);
  EXPECT_EQ(call(server_->port(), "DELETE", "/api/v1/people/" + person, tokens_["anonymous"]).status, 401);
  EXPECT_EQ(call(server_->port(), "DELETE", "/api/v1/people/" + person, tokens_["learner"]).status, 404);
  EXPECT_EQ(call(server_->port(), "DELETE", "/api/v1/people/" + person, tokens_["admin79"]).status, 404);
  EXPECT_EQ(call(server_->port(), "DELETE", "/api/v1/people/" + person, tokens_["auditor"]).status, 403);
  EXPECT_EQ(call(server_->port(), "DELETE", "/api/v1/people/" + person, tokens_["admin01"]).status, 204);
  EXPECT_EQ(call(server_->port(), "GET", "/api/v1/people/" + person, tokens_["national"]).status, 404);
  EXPECT_EQ(call(server_->port(), "GET", "/api/v1/me", token).status, 401);  // their sessions went with them
  EXPECT_TRUE(token_for(server_->port(), "0900100050").empty());
  auto log = call(server_->port(), "GET", "/api/v1/audit-log", tokens_["auditor"]);
  EXPECT_NE(log.body.find("\"action\":\"delete_person\""), std::string::npos);
  // The same CCCD can register again afterwards.
  EXPECT_FALSE(register_person(server_->port(), "001199100050", "0900100050", "01", "Quay Lại").empty());
}

TEST_F(Permissions, ImportAddsMembershipsAndHelperRolesOnceAndPeopleFilterByOrganisation) {
  auto org = call(server_->port(), "POST", "/api/v1/organisations", tokens_["admin01"],
                  R"({"name":"Trường Tiểu học Kim Đồng","kind":"school","unit_code":"01"})");
  ASSERT_EQ(org.status, 201) << org.body;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(org.body, m, std::regex(R"re("id":(\d+))re")));
  std::string org_id = m[1];
  auto elsewhere = call(server_->port(), "POST", "/api/v1/organisations", tokens_["admin79"],
                        R"({"name":"Trường Sài Gòn","kind":"school","unit_code":"79"})");
  ASSERT_TRUE(std::regex_search(elsewhere.body, m, std::regex(R"re("id":(\d+))re")));
  std::string other_org = m[1];

  const std::string csv = "ho_ten,cccd,so_dien_thoai,ngay_sinh,nhom,ma_don_vi,to_chuc,vai_tro\n"
                          "Cô Giáo Mai,001090000201,0932000201,01/01/1990,Cán bộ,01," + org_id + ",Giảng viên số\n"
                          "Bác Bảo Vệ,001090000202,0932000202,01/01/1990,Người lao động,01," + org_id + ",\n"
                          "Người Lạ,001090000203,0932000203,01/01/1990,Người dân,01," + other_org + ",\n"
                          "Quá Quyền,001090000204,0932000204,01/01/1990,Người dân,01,,Quản trị\n";
  auto import = [&] {
    Connection c(server_->port());
    return c.request("POST", "/api/v1/people/import", {{"Content-Type", "text/csv"}, {"Authorization", "Bearer " + tokens_["admin01"]}}, csv);
  };
  auto first = import();
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_NE(first.body.find("\"created\":2"), std::string::npos) << first.body;
  EXPECT_NE(first.body.find("ngoài phạm vi quản lý"), std::string::npos);  // the other province's school
  EXPECT_NE(first.body.find("không nhập được từ tệp"), std::string::npos); // no administrator roles by file
  EXPECT_NE(import().body.find("\"created\":0,\"updated\":0,\"unchanged\":2"), std::string::npos);

  auto members = call(server_->port(), "GET", "/api/v1/people?organisation=" + org_id, tokens_["admin01"]);
  EXPECT_NE(members.body.find("\"total\":2"), std::string::npos) << members.body.substr(0, 300);
  EXPECT_NE(members.body.find("Cô Giáo Mai"), std::string::npos);
  auto teachers = call(server_->port(), "GET", "/api/v1/people?role=instructor&organisation=" + org_id, tokens_["admin01"]);
  EXPECT_NE(teachers.body.find("\"total\":1"), std::string::npos);  // the role was granted once, not twice
  ASSERT_TRUE(std::regex_search(teachers.body, m, std::regex(R"re("id":(\d+))re")));
  auto mai = call(server_->port(), "GET", "/api/v1/people/" + std::string(m[1]), tokens_["admin01"]);
  EXPECT_EQ(std::count(mai.body.begin(), mai.body.end(), '{') - 2, 1) << mai.body;  // one role (and one organisation)
  EXPECT_NE(mai.body.find("\"scope_kind\":\"organisation\""), std::string::npos);
  EXPECT_NE(mai.body.find("\"organisations\":[{\"id\":" + org_id + ",\"name\":\"Trường Tiểu học Kim Đồng\"}]"), std::string::npos) << mai.body;
}

}  // namespace
}  // namespace hocvu::testing
