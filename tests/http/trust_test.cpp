// Issue 10's findings as black-box tests against the real server (SQLite and PostgreSQL): each
// one failed on the main branch before the fix. A manager cannot take over, delete or edit a
// higher-ranked person; a revoked community helper loses their class at once; a dry-run import
// cannot tell who exists elsewhere; an upload nobody may send is refused before its body is read.
#include "support/api.h"
#include "support/server_process.h"

#include <gtest/gtest.h>

namespace hocvu::testing {
namespace {

const std::string kAdminPassword = "Quan-tri-2025!";

std::string person_body(const std::string& cccd, const std::string& phone, const std::string& unit, const std::string& name) {
  return R"({"full_name":")" + name + R"(","national_id":")" + cccd + R"(","phone":")" + phone +
         R"(","password":"Hoc-vu-so!","birth_date":"1991-05-01","target_group":"official","unit_code":")" + unit + R"("})";
}

class Trust : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new ServerProcess();
    const int port = server_->port();
    const auto env = command_env(*server_);
    auto seed = run_command({ServerProcess::binary(), "seed", "--demo"}, env);
    ASSERT_EQ(seed.status, 0) << seed.output;
    // The national administrator lives in Hà Nội (01), inside the province manager's scope.
    auto admin = create_admin(env, "0977000001", "Quản Trị Quốc Gia", "Quan-tri-2025!");
    ASSERT_EQ(admin.status, 0) << admin.output;
    tokens_["national"] = token_for(port, "0977000001", kAdminPassword);
    ASSERT_FALSE(tokens_["national"].empty());
    auto me = call(port, "GET", "/api/v1/me", tokens_["national"]);
    ids_["national"] = std::to_string(parse(me).at("id").as_int64());

    struct P { const char* key; const char* cccd; const char* phone; const char* unit; const char* name; };
    const P people[] = {{"province01", "001191770002", "0977000002", "01", "Quản Lý Tỉnh"},
                        {"auditor", "001191770003", "0977000003", "01", "Kiểm Tra Viên"},
                        {"helper", "001191770004", "0977000004", "01", "Tổ Công Nghệ"},
                        {"learner", "001191770005", "0977000005", "01", "Người Học Lớp"},
                        {"elsewhere", "079191770006", "0977000006", "79", "Người Ở Xa"}};
    for (const auto& p : people) {
      auto r = call(port, "POST", "/api/v1/accounts", "", person_body(p.cccd, p.phone, p.unit, p.name));
      ASSERT_EQ(r.status, 201) << p.key << ": " << r.body;
      ids_[p.key] = std::to_string(parse(r).at("id").as_int64());
    }
    grant("province01", R"({"role":"unit_admin","scope_kind":"unit","scope_code":"01"})");
    grant("auditor", R"({"role":"auditor","scope_kind":"national","scope_code":""})");
    helper_grant_ = grant("helper", R"({"role":"community_helper","scope_kind":"unit","scope_code":"01"})");
    for (auto key : {"province01", "auditor", "helper", "learner"}) {
      tokens_[key] = token_for(port, "097700000" + std::to_string(key == std::string("province01") ? 2
                                                                   : key == std::string("auditor")  ? 3
                                                                   : key == std::string("helper")   ? 4
                                                                                                    : 5));
      ASSERT_FALSE(tokens_[key].empty()) << key;
    }
  }
  static std::string grant(const std::string& who, const std::string& body) {
    auto r = call(server_->port(), "POST", "/api/v1/people/" + ids_[who] + "/roles", tokens_["national"], body);
    EXPECT_EQ(r.status, 201) << who << ": " << r.body;
    return r.status == 201 ? std::to_string(parse(r).at("id").as_int64()) : "";
  }
  static void TearDownTestSuite() { delete server_; }
  int port() const { return server_->port(); }

  static ServerProcess* server_;
  static std::map<std::string, std::string> ids_, tokens_;
  static std::string helper_grant_;
};
ServerProcess* Trust::server_ = nullptr;
std::map<std::string, std::string> Trust::ids_, Trust::tokens_;
std::string Trust::helper_grant_;

// Finding 1: a province manager could reset the national administrator's password and redeem the
// code (account takeover), delete them, and change their details by import.
TEST_F(Trust, AProvinceManagerCannotActOnTheNationalAdministrator) {
  const std::string admin = ids_["national"], manager = tokens_["province01"];
  // The administrator stands in the manager's province: they may see them...
  EXPECT_EQ(call(port(), "GET", "/api/v1/people/" + admin, manager).status, 200);
  // ...but not reset, delete, grant to or revoke from them.
  auto code = call(port(), "POST", "/api/v1/people/" + admin + "/setup-code", manager);
  EXPECT_EQ(code.status, 403) << code.body;
  EXPECT_EQ(parse(code).as_object().count("code"), 0u);
  EXPECT_EQ(call(port(), "DELETE", "/api/v1/people/" + admin, manager).status, 403);
  EXPECT_EQ(call(port(), "POST", "/api/v1/people/" + admin + "/roles", manager,
                 R"({"role":"instructor","scope_kind":"unit","scope_code":"01"})").status, 403);
  auto roles = parse(call(port(), "GET", "/api/v1/people/" + admin, tokens_["national"])).at("roles").as_array();
  ASSERT_FALSE(roles.empty());
  const std::string grant_id = std::to_string(roles[0].at("id").as_int64());
  EXPECT_EQ(call(port(), "DELETE", "/api/v1/people/" + admin + "/roles/" + grant_id, manager).status, 403);
  // The same through the pages (no page route lets it through either).
  // An import that names the administrator's phone changes nothing about them.
  auto imported = call(port(), "POST", "/api/v1/people/import", manager,
                       "ho_ten,cccd,so_dien_thoai,ngay_sinh,nhom,ma_don_vi\nKẻ Chiếm Quyền,001191779999,0977000001,1990-01-01,official,01\n",
                       "text/csv");
  ASSERT_EQ(imported.status, 200) << imported.body;
  EXPECT_EQ(parse(imported).at("rejected").as_int64(), 1) << imported.body;
  // The administrator still signs in with their own password and keeps their name.
  EXPECT_FALSE(token_for(port(), "0977000001", kAdminPassword).empty());
  auto still = parse(call(port(), "GET", "/api/v1/people/" + admin, tokens_["national"]));
  EXPECT_EQ(still.at("full_name").as_string(), "Quản Trị Quốc Gia");
  // The manager still manages an ordinary person of the province.
  EXPECT_EQ(call(port(), "POST", "/api/v1/people/" + ids_["learner"] + "/setup-code", manager).status, 201);
  // An auditor, who may list people, may change nobody.
  EXPECT_EQ(call(port(), "POST", "/api/v1/people/" + ids_["learner"] + "/setup-code", tokens_["auditor"]).status, 403);
}

// Finding 1, by import: a person holding a role the importer cannot grant is not updated.
TEST_F(Trust, AnImportCannotEditAPersonWhoOutranksTheImporter) {
  auto imported = call(port(), "POST", "/api/v1/people/import", tokens_["province01"],
                       "ho_ten,cccd,so_dien_thoai,ngay_sinh,nhom,ma_don_vi\nĐã Đổi Tên,001191770003,0977000003,1991-05-01,official,01\n",
                       "text/csv");
  ASSERT_EQ(imported.status, 200) << imported.body;
  auto report = parse(imported);
  EXPECT_EQ(report.at("rejected").as_int64(), 1) << imported.body;  // the national auditor
  auto auditor = parse(call(port(), "GET", "/api/v1/people/" + ids_["auditor"], tokens_["national"]));
  EXPECT_EQ(auditor.at("full_name").as_string(), "Kiểm Tra Viên");
}

// Finding 6: a dry run answered "belongs to another scope" for a CCCD held outside the
// importer's scope, and "create" for a free one. Now both read the same.
TEST_F(Trust, ADryRunImportDoesNotTellWhoExistsElsewhere) {
  const std::string header = "ho_ten,cccd,so_dien_thoai,ngay_sinh,nhom,ma_don_vi\n";
  auto taken = call(port(), "POST", "/api/v1/people/import?dry_run=1", tokens_["province01"],
                    header + "Người Ở Xa,079191770006,0977000077,1991-05-01,official,01\n", "text/csv");
  auto free = call(port(), "POST", "/api/v1/people/import?dry_run=1", tokens_["province01"],
                   header + "Người Ở Xa,079191770099,0977000078,1991-05-01,official,01\n", "text/csv");
  ASSERT_EQ(taken.status, 200);
  ASSERT_EQ(free.status, 200);
  auto row = [](const HttpResponse& r) { return parse(r).at("rows").as_array().at(0).as_object(); };
  EXPECT_EQ(row(taken).at("action"), row(free).at("action")) << taken.body << " vs " << free.body;
  EXPECT_EQ(row(taken).if_contains("reason") != nullptr, row(free).if_contains("reason") != nullptr);
  // The real import refuses the taken number, writes nothing for it, and is audited.
  auto real = call(port(), "POST", "/api/v1/people/import", tokens_["province01"],
                   header + "Người Ở Xa,079191770006,0977000077,1991-05-01,official,01\n", "text/csv");
  ASSERT_EQ(real.status, 200);
  EXPECT_EQ(parse(real).at("rejected").as_int64(), 1);
  auto log = call(port(), "GET", "/api/v1/audit-log", tokens_["national"]);
  EXPECT_NE(log.body.find("import_people"), std::string::npos);
  auto far = parse(call(port(), "GET", "/api/v1/people/" + ids_["elsewhere"], tokens_["national"]));
  EXPECT_EQ(far.at("unit_code").as_string(), "79");
}

// Finding 3: class pages checked only "instructor_id == me", so a helper whose role was revoked
// kept seeing learners' progress and scores.
TEST_F(Trust, ARevokedHelperLosesTheirClassAtOnce) {
  auto courses = parse(call(port(), "GET", "/api/v1/courses", ""));
  const auto course = courses.at("items").as_array().at(0).at("id").as_int64();
  auto made = call(port(), "POST", "/api/v1/classes", tokens_["helper"],
                   R"({"course_id":)" + std::to_string(course) + R"(,"name":"Lớp buổi tối"})");
  ASSERT_EQ(made.status, 201) << made.body;
  const std::string cls = std::to_string(parse(made).at("id").as_int64());
  EXPECT_EQ(call(port(), "POST", "/api/v1/classes/" + cls + "/members", tokens_["helper"], R"({"login":"0977000005"})").status, 201);
  auto seen = call(port(), "GET", "/api/v1/classes/" + cls, tokens_["helper"]);
  ASSERT_EQ(seen.status, 200);
  EXPECT_NE(seen.body.find("Người Học Lớp"), std::string::npos);
  const std::string gradebook = "/api/v1/courses/" + std::to_string(course) + "/gradebook?class_id=" + cls;
  auto book = call(port(), "GET", gradebook, tokens_["helper"]);
  EXPECT_EQ(book.status, 200);
  EXPECT_NE(book.body.find("Người Học Lớp"), std::string::npos);

  ASSERT_EQ(call(port(), "DELETE", "/api/v1/people/" + ids_["helper"] + "/roles/" + helper_grant_, tokens_["national"]).status, 204);
  EXPECT_EQ(call(port(), "GET", "/api/v1/classes/" + cls, tokens_["helper"]).status, 404);
  EXPECT_EQ(call(port(), "GET", "/classes/" + cls, tokens_["helper"]).status, 404);
  auto listed = call(port(), "GET", "/api/v1/classes", tokens_["helper"]);
  EXPECT_EQ(listed.status, 200);
  EXPECT_EQ(listed.body.find("Lớp buổi tối"), std::string::npos) << "a revoked helper lists no classes";
  auto after = call(port(), "GET", gradebook, tokens_["helper"]);
  EXPECT_EQ(after.status, 404) << after.body;
  EXPECT_EQ(after.body.find("Người Học Lớp"), std::string::npos);
  EXPECT_EQ(call(port(), "POST", "/api/v1/classes/" + cls + "/members", tokens_["helper"], R"({"login":"0977000002"})").status, 404);
  // A national administrator still follows the class.
  EXPECT_EQ(call(port(), "GET", "/api/v1/classes/" + cls, tokens_["national"]).status, 200);
}

// Second reader of issue 10: an organisation's subtree may cross provinces (a ministry with a
// department in another province), and a role there reaches all of it. A province manager could
// appoint the manager of such an organisation (reaching people in another province), and an
// organisation manager could hang a new organisation in any province under their own.
TEST_F(Trust, AnOrganisationReachingAnotherProvinceIsBeyondAProvinceManager) {
  auto create = [&](const std::string& token, const std::string& name, const std::string& unit, const std::string& parent) {
    return call(port(), "POST", "/api/v1/organisations", token,
                R"({"name":")" + name + R"(","kind":"department","unit_code":")" + unit + R"(")" +
                    (parent.empty() ? "" : R"(,"parent_id":)" + parent) + "}");
  };
  auto id_of = [](const HttpResponse& r) { return std::to_string(parse(r).at("id").as_int64()); };
  // A ministry in Hà Nội (01) with a department in Hồ Chí Minh City (79), whose member lives there.
  auto ministry = create(tokens_["national"], "Bộ Liên Tỉnh", "01", "");
  ASSERT_EQ(ministry.status, 201) << ministry.body;
  auto department = create(tokens_["national"], "Sở Ở Phía Nam", "79", id_of(ministry));
  ASSERT_EQ(department.status, 201) << department.body;
  ASSERT_EQ(call(port(), "POST", "/api/v1/organisations/" + id_of(department) + "/members", tokens_["national"],
                 R"({"person_id":)" + ids_["elsewhere"] + "}").status, 201);

  auto candidate = call(port(), "POST", "/api/v1/accounts", "", person_body("001191770009", "0977000009", "01", "Ứng Viên Quản Lý"));
  ASSERT_EQ(candidate.status, 201) << candidate.body;
  const std::string roles = "/api/v1/people/" + id_of(candidate) + "/roles";
  auto over_ministry = call(port(), "POST", roles, tokens_["province01"],
                            R"({"role":"org_manager","scope_kind":"organisation","scope_code":")" + id_of(ministry) + R"("})");
  EXPECT_EQ(over_ministry.status, 403) << over_ministry.body;
  EXPECT_NE(over_ministry.body.find("ngoài phạm vi quản lý"), std::string::npos) << over_ministry.body;
  EXPECT_EQ(call(port(), "POST", roles, tokens_["province01"],
                 R"({"role":"instructor","scope_kind":"organisation","scope_code":")" + id_of(ministry) + R"("})").status, 403);
  // Assigning a course to the ministry would enrol the member in 79.
  auto courses = parse(call(port(), "GET", "/api/v1/courses", ""));
  const std::string assign = "/api/v1/courses/" + std::to_string(courses.at("items").as_array().at(0).at("id").as_int64()) + "/assignments";
  EXPECT_EQ(call(port(), "POST", assign, tokens_["province01"],
                 R"({"scope_kind":"organisation","scope_code":")" + id_of(ministry) + R"("})").status, 403);

  // An organisation of the province alone is the province manager's to staff and assign to.
  auto school = create(tokens_["province01"], "Trường Trong Tỉnh", "01", "");
  ASSERT_EQ(school.status, 201) << school.body;
  ASSERT_EQ(call(port(), "POST", roles, tokens_["province01"],
                 R"({"role":"org_manager","scope_kind":"organisation","scope_code":")" + id_of(school) + R"("})").status, 201);
  EXPECT_EQ(call(port(), "POST", assign, tokens_["province01"],
                 R"({"scope_kind":"organisation","scope_code":")" + id_of(school) + R"("})").status, 201);
  // Its new manager adds departments where it stands, but not in another province: that would
  // widen what every role at the school reaches.
  const std::string school_manager = token_for(port(), "0977000009", "Hoc-vu-so!");
  ASSERT_FALSE(school_manager.empty());
  EXPECT_EQ(create(school_manager, "Tổ Bộ Môn Tin Học", "01", id_of(school)).status, 201);
  auto far = create(school_manager, "Phân Hiệu Phía Nam", "79", id_of(school));
  EXPECT_EQ(far.status, 403) << far.body;
  EXPECT_NE(far.body.find("chưa có mặt ở đơn vị hành chính này"), std::string::npos) << far.body;

  // A manager of the whole ministry reaches the member in 79 through the department, but may not
  // bring them into an organisation that stands only in Hà Nội: its managers, appointed by the
  // province manager, would then reach a person in 79.
  auto capital = create(tokens_["national"], "Vụ Ở Thủ Đô", "01", id_of(ministry));
  ASSERT_EQ(capital.status, 201) << capital.body;
  auto boss = call(port(), "POST", "/api/v1/accounts", "", person_body("001191770010", "0977000010", "01", "Quản Lý Bộ"));
  ASSERT_EQ(boss.status, 201) << boss.body;
  ASSERT_EQ(call(port(), "POST", "/api/v1/people/" + id_of(boss) + "/roles", tokens_["national"],
                 R"({"role":"org_manager","scope_kind":"organisation","scope_code":")" + id_of(ministry) + R"("})").status, 201);
  const std::string boss_token = token_for(port(), "0977000010", "Hoc-vu-so!");
  ASSERT_FALSE(boss_token.empty());
  EXPECT_EQ(call(port(), "GET", "/api/v1/people/" + ids_["elsewhere"], boss_token).status, 200);
  auto moved = call(port(), "POST", "/api/v1/organisations/" + id_of(capital) + "/members", boss_token,
                    R"({"person_id":)" + ids_["elsewhere"] + "}");
  EXPECT_EQ(moved.status, 403) << moved.body;
  EXPECT_NE(moved.body.find("tổ chức chưa có mặt"), std::string::npos) << moved.body;
  // The same manager moves a member of the ministry from where it stands, and that is audited.
  auto staff = call(port(), "POST", "/api/v1/accounts", "", person_body("001191770011", "0977000011", "01", "Nhân Viên Bộ"));
  ASSERT_EQ(staff.status, 201) << staff.body;
  ASSERT_EQ(call(port(), "POST", "/api/v1/organisations/" + id_of(ministry) + "/members", tokens_["national"],
                 R"({"person_id":)" + id_of(staff) + "}").status, 201);
  EXPECT_EQ(call(port(), "POST", "/api/v1/organisations/" + id_of(capital) + "/members", boss_token,
                 R"({"person_id":)" + id_of(staff) + "}").status, 201);
  auto log = call(port(), "GET", "/api/v1/audit-log?subject=" + id_of(staff), tokens_["national"]);
  EXPECT_NE(log.body.find("add_member"), std::string::npos) << log.body;

  // The national administrator may do all of it; and then the province manager, who could not
  // have granted the role the candidate now holds, no longer changes the candidate's roles.
  EXPECT_EQ(call(port(), "POST", roles, tokens_["national"],
                 R"({"role":"instructor","scope_kind":"organisation","scope_code":")" + id_of(ministry) + R"("})").status, 201);
  EXPECT_EQ(call(port(), "POST", assign, tokens_["national"],
                 R"({"scope_kind":"organisation","scope_code":")" + id_of(ministry) + R"("})").status, 201);
  EXPECT_EQ(call(port(), "POST", roles, tokens_["province01"],
                 R"({"role":"community_helper","scope_kind":"unit","scope_code":"01"})").status, 403);
}

// Finding 5: upload routes raised the body limit before the caller was known, so an anonymous
// client could make the server buffer up to 100 MiB per connection. The head alone now decides.
TEST_F(Trust, AnUploadNobodyMaySendIsRefusedBeforeItsBodyIsRead) {
  struct Case {
    std::string target, token;
    int status;
  };
  const std::vector<Case> cases = {
      {"/api/v1/author/packages?provider_id=1", "", 401},
      {"/api/v1/author/packages?provider_id=1", tokens_["learner"], 403},
      {"/api/v1/banks/1/import?format=gift", "", 401},
      {"/api/v1/banks/1/media", tokens_["learner"], 404},
      {"/api/v1/author/courses/1/media", tokens_["learner"], 404},
      {"/author/packages", "", 303},  // a page: to the sign-in page
  };
  for (const auto& c : cases) {
    Connection conn(port());
    std::string head = "POST " + c.target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/zip\r\n"
                       "Content-Length: 104857600\r\n";
    if (!c.token.empty()) head += "Authorization: Bearer " + c.token + "\r\n";
    conn.send_raw(head + "\r\n");
    // Not one byte of the 100 MB body is sent: the answer must come from the head alone.
    HttpResponse r;
    ASSERT_NO_THROW(r = conn.read_response(false, std::chrono::seconds(10))) << c.target;
    EXPECT_EQ(r.status, c.status) << c.target;
    EXPECT_TRUE(conn.closed_by_peer(std::chrono::seconds(10))) << c.target;  // the body is never taken for a request
  }
}

}  // namespace
}  // namespace hocvu::testing
