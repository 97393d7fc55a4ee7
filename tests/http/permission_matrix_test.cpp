// The permission matrix (issue 10): every route the server registers, read from `hocvu routes`,
// must have at least one row in tests/data/permissions.tsv, and every row is called as each of
// ten callers and must get the status the table says. A new route without a row fails this test,
// and so does a row for a route that no longer exists. Runs on SQLite and PostgreSQL.
//
// The table (tests/data/permissions.tsv), one request a line, tab-separated:
//   METHOD  PATTERN  PATH  BODY  STATUSES
// PATTERN is the route as registered; PATH the request, with {placeholders} for the fixtures made
// below; BODY "-" (none), JSON for the API, "form" (a form with a valid CSRF token), "form:a=b&c=d",
// "multipart" (a form upload without a file), "csv:<text>" or "zip" (bytes that are no zip).
// STATUSES are the ten callers' statuses, in the order of kCallers. API paths are called with a
// bearer token, pages with the session cookie and a CSRF cookie. Rows run in file order and each
// row's callers in kCallers order, so a row that deletes something is followed by a 404 for the
// callers after the one that deleted it.
//
// RECORD_PERMISSIONS=FILE writes the table as observed to FILE (to review a change: every
// difference is a decision someone must agree with).
#include "support/api.h"
#include "support/server_process.h"

#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>

namespace hocvu::testing {
namespace {

// anonymous; a learner of Hà Nội (01); a community helper (01); an instructor of 01 (authors for the
// demo provider, which stands in 01); an instructor of Hồ Chí Minh (79), outside the provider; the
// provider organisation's manager; province managers of 01 and of 79; the national auditor; the
// national administrator.
const std::vector<std::string> kCallers = {"anon",     "learner", "helper",  "author",  "outsider",
                                           "orgmgr",   "admin01", "admin79", "auditor", "national"};
const std::string kCsrf = "matrix-csrf-token-0123456789abcdefghijklmnop";  // 43 characters, like a real one

struct Row {
  int line = 0;
  std::string method, pattern, path, body;
  std::vector<int> expect;
};

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  std::istringstream in(s);
  while (std::getline(in, cur, sep)) out.push_back(cur);
  return out;
}

std::vector<Row> read_table() {
  std::ifstream in(std::string(HOCVU_TEST_DATA_DIR) + "/permissions.tsv");
  std::vector<Row> rows;
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (line.empty() || line[0] == '#') continue;
    auto f = split(line, '\t');
    if (f.size() != 5) {
      ADD_FAILURE() << "permissions.tsv:" << n << ": want 5 tab-separated fields, got " << f.size();
      continue;
    }
    Row r{n, f[0], f[1], f[2], f[3], {}};
    for (const auto& s : split(f[4], ' '))
      if (!s.empty()) r.expect.push_back(std::stoi(s));
    if (r.expect.size() != kCallers.size()) ADD_FAILURE() << "permissions.tsv:" << n << ": want " << kCallers.size() << " statuses";
    rows.push_back(std::move(r));
  }
  return rows;
}

class PermissionMatrix : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new ServerProcess();
    const int port = server_->port();
    env_ = command_env(*server_);
    auto seed = run_command({ServerProcess::binary(), "seed", "--demo"}, env_);
    ASSERT_EQ(seed.status, 0) << seed.output;
    auto admin = create_admin(env_, "0966000010", "Quản Trị Ma Trận", "Quan-tri-2025!");
    ASSERT_EQ(admin.status, 0) << admin.output;
    tokens_["national"] = token_for(port, "0966000010", "Quan-tri-2025!");
    ASSERT_FALSE(tokens_["national"].empty());
    ids_["N"] = std::to_string(parse(call(port, "GET", "/api/v1/me", tokens_["national"])).at("id").as_int64());

    struct P { const char* key; const char* cccd; const char* phone; const char* unit; };
    const P people[] = {{"learner", "001192660001", "0966000001", "01"},  {"helper", "001192660002", "0966000002", "01"},
                        {"author", "001192660003", "0966000003", "01"},   {"outsider", "079192660004", "0966000004", "79"},
                        {"orgmgr", "001192660005", "0966000005", "01"},   {"admin01", "001192660006", "0966000006", "01"},
                        {"admin79", "079192660007", "0966000007", "79"},  {"auditor", "001192660008", "0966000008", "01"},
                        {"A", "001192660011", "0966000011", "01"},        {"B", "079192660012", "0966000012", "79"},
                        {"N2", "001192660013", "0966000013", "01"},       {"N3", "001192660014", "0966000014", "01"},
                        {"V1", "001192660015", "0966000015", "01"},       {"V2", "001192660016", "0966000016", "01"}};
    for (const auto& p : people) {
      std::string body = R"({"full_name":"Người )" + std::string(p.key) + R"(","national_id":")" + p.cccd + R"(","phone":")" +
                         p.phone + R"(","password":"Hoc-vu-so!","birth_date":"1992-05-01","target_group":"official","unit_code":")" +
                         p.unit + R"("})";
      auto r = call(port, "POST", "/api/v1/accounts", "", body);
      ASSERT_EQ(r.status, 201) << p.key << ": " << r.body;
      ids_[p.key] = std::to_string(parse(r).at("id").as_int64());
      if (std::string(p.key).size() > 2) tokens_[p.key] = token_for(port, p.phone);  // the callers; A, B, N2... are targets
    }
    // Other suites may share this database (PostgreSQL runs): find the demo fixtures by name.
    const auto orgs = parse(call(port, "GET", "/api/v1/organisations", tokens_["national"]));
    for (const auto& o : orgs.at("items").as_array())
      if (o.at("name").as_string() == "Trung tâm Học liệu số HọcVụ") ids_["org"] = std::to_string(o.at("id").as_int64());
    ASSERT_FALSE(ids_["org"].empty());
    grant("helper", "community_helper", "unit", "01");
    grant("author", "instructor", "unit", "01");
    grant("outsider", "instructor", "unit", "79");
    grant("orgmgr", "org_manager", "organisation", ids_["org"]);
    grant("admin01", "unit_admin", "unit", "01");
    grant("admin79", "unit_admin", "unit", "79");
    grant("auditor", "auditor", "national", "");
    grant("N2", "national_admin", "national", "");           // higher-ranked people to act on
    ids_["grantN3"] = grant("N3", "national_admin", "national", "");
    ids_["grantA"] = grant("A", "community_helper", "unit", "01");

    // The demo course with a quiz, its first lesson and block, bank and question.
    const auto courses = parse(call(port, "GET", "/api/v1/courses?per_page=100", ""));
    for (const auto& c : courses.at("items").as_array())
      if (c.at("title").as_string().starts_with("Nhận diện lừa đảo")) ids_["course"] = std::to_string(c.at("id").as_int64());
    ASSERT_FALSE(ids_["course"].empty());
    auto course = parse(call(port, "GET", "/api/v1/courses/" + ids_["course"], ""));
    ASSERT_EQ(course.at("slug").as_string(), "lua-dao-truc-tuyen");
    const auto& lesson = course.at("sections").as_array().at(0).at("lessons").as_array().at(0);
    ids_["lesson"] = std::to_string(lesson.at("id").as_int64());
    ids_["block"] = "dau-hieu-doc";
    const auto banks = parse(call(port, "GET", "/api/v1/banks", tokens_["national"]));
    for (const auto& b : banks.at("items").as_array())
      if (b.at("title").as_string() == "Câu hỏi: Nhận diện lừa đảo trực tuyến và bảo vệ dữ liệu cá nhân")
        ids_["bank"] = std::to_string(b.at("id").as_int64());
    ASSERT_FALSE(ids_["bank"].empty());
    ids_["question"] = "q1";
    ids_["quiz"] = std::to_string(parse(call(port, "GET", "/api/v1/courses/" + ids_["course"] + "/quizzes", tokens_["national"]))
                                      .at("items").as_array().at(0).at("id").as_int64());
    // The learner's enrolment, attempt and API token; the helper's class with the learner in it.
    ASSERT_LT(call(port, "POST", "/api/v1/courses/" + ids_["course"] + "/enrollments", tokens_["learner"], "{}").status, 300);
    auto attempt = call(port, "POST", "/api/v1/quizzes/" + ids_["quiz"] + "/attempts", tokens_["learner"], "{}");
    ASSERT_LT(attempt.status, 300) << attempt.body;
    ids_["attempt"] = std::to_string(parse(attempt).at("id").as_int64());
    auto token = call(port, "POST", "/api/v1/me/tokens", tokens_["learner"], R"({"name":"ma trận","scopes":"read"})");
    ASSERT_EQ(token.status, 201) << token.body;
    ids_["token"] = std::to_string(parse(token).at("id").as_int64());
    // A file uploaded to the course's draft (named by no published version) and an image in the bank.
    auto upload = [&](const std::string& path, const std::string& extra) {
      const std::string png = std::string("\x89PNG\r\n\x1a\n", 8) + std::string(32, '\0') + extra;
      const std::string body = "--m\r\nContent-Disposition: form-data; name=\"use\"\r\n\r\nimage\r\n"
                               "--m\r\nContent-Disposition: form-data; name=\"file\"; filename=\"anh.png\"\r\n"
                               "Content-Type: image/png\r\n\r\n" + png + "\r\n--m--\r\n";
      auto r = call(port, "POST", path, tokens_["national"], body, "multipart/form-data; boundary=m");
      EXPECT_EQ(r.status, 201) << path << ": " << r.body;
      return r.status == 201 ? std::string(parse(r).at("url").as_string()) : std::string();
    };
    ids_["draft_media"] = upload("/api/v1/author/courses/" + ids_["course"] + "/media", "ban-nhap");
    ids_["bank_media"] = upload("/api/v1/banks/" + ids_["bank"] + "/media", "ngan-hang");
    ASSERT_TRUE(ids_["draft_media"].starts_with("/media/courses/")) << ids_["draft_media"];
    ASSERT_TRUE(ids_["bank_media"].starts_with("/media/banks/")) << ids_["bank_media"];
    auto cls = call(port, "POST", "/api/v1/classes", tokens_["helper"], R"({"course_id":)" + ids_["course"] + R"(,"name":"Lớp ma trận"})");
    ASSERT_EQ(cls.status, 201) << cls.body;
    ids_["class"] = std::to_string(parse(cls).at("id").as_int64());
    ASSERT_EQ(call(port, "POST", "/api/v1/classes/" + ids_["class"] + "/members", tokens_["helper"], R"({"login":"0966000001"})").status, 201);
  }
  static std::string grant(const std::string& who, const std::string& role, const std::string& kind, const std::string& code) {
    auto r = call(server_->port(), "POST", "/api/v1/people/" + ids_[who] + "/roles", tokens_["national"],
                  R"({"role":")" + role + R"(","scope_kind":")" + kind + R"(","scope_code":")" + code + R"("})");
    EXPECT_EQ(r.status, 201) << who << ": " << r.body;
    return r.status == 201 ? std::to_string(parse(r).at("id").as_int64()) : "";
  }
  static void TearDownTestSuite() { delete server_; }

  // `text` with every {name} replaced by the fixture of that name.
  static std::string fill(std::string text) {
    for (const auto& [k, v] : ids_) {
      const std::string key = "{" + k + "}";
      for (auto at = text.find(key); at != std::string::npos; at = text.find(key, at + v.size())) text.replace(at, key.size(), v);
    }
    return text;
  }

  static HttpResponse send(const Row& row, const std::string& caller) {
    const std::string path = fill(row.path);
    const bool api = path.starts_with("/api/");
    const std::string& token = tokens_[caller];
    std::map<std::string, std::string> h;
    if (!token.empty()) {
      if (api) h["Authorization"] = "Bearer " + token;
      else h["Cookie"] = "hocvu_session=" + token + "; hocvu_csrf=" + kCsrf;
    } else if (!api) {
      h["Cookie"] = "hocvu_csrf=" + kCsrf;
    }
    std::string body;
    if (row.body == "form" || row.body.starts_with("form:")) {
      h["Content-Type"] = "application/x-www-form-urlencoded";
      body = "csrf=" + kCsrf + (row.body.size() > 5 ? "&" + fill(row.body.substr(5)) : "");
    } else if (row.body == "multipart") {
      h["Content-Type"] = "multipart/form-data; boundary=matrix";
      body = "--matrix\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n" + kCsrf + "\r\n--matrix--\r\n";
    } else if (row.body.starts_with("csv:")) {
      h["Content-Type"] = "text/csv";
      body = fill(row.body.substr(4));
      for (auto at = body.find("\\n"); at != std::string::npos; at = body.find("\\n")) body.replace(at, 2, "\n");
    } else if (row.body == "zip") {
      h["Content-Type"] = "application/zip";
      body = "PK-this-is-not-a-zip";
    } else if (row.body != "-") {
      h["Content-Type"] = "application/json";
      body = fill(row.body);
    }
    Connection c(server_->port());
    return c.request(row.method, path, h, body);
  }

  static ServerProcess* server_;
  static std::map<std::string, std::string> env_, ids_, tokens_;
};
ServerProcess* PermissionMatrix::server_ = nullptr;
std::map<std::string, std::string> PermissionMatrix::env_, PermissionMatrix::ids_, PermissionMatrix::tokens_;

TEST_F(PermissionMatrix, EveryRegisteredRouteHasARowAndEveryRowHolds) {
  auto routes = run_command({ServerProcess::binary(), "routes"}, env_);
  ASSERT_EQ(routes.status, 0) << routes.output;
  std::set<std::string> registered;
  // The output also holds the log (JSON lines) and, on PostgreSQL, the server's notices.
  const std::regex route_line(R"(^(GET|POST|PUT|PATCH|DELETE) /\S*$)");
  for (const auto& line : split(routes.output, '\n'))
    if (std::regex_match(line, route_line)) registered.insert(line);
  ASSERT_GT(registered.size(), 100u) << routes.output;

  const auto rows = read_table();
  std::set<std::string> covered;
  for (const auto& r : rows) {
    covered.insert(r.method + " " + r.pattern);
    EXPECT_TRUE(registered.count(r.method + " " + r.pattern)) << "permissions.tsv:" << r.line << ": no such route " << r.method << " " << r.pattern;
  }
  for (const auto& route : registered)
    EXPECT_TRUE(covered.count(route)) << "route without a row in tests/data/permissions.tsv: " << route;

  std::ofstream record;
  if (const char* file = std::getenv("RECORD_PERMISSIONS"); file && *file) record.open(file);
  for (const auto& r : rows) {
    std::string seen;
    std::vector<int> got;
    for (const auto& caller : kCallers) {
      auto res = send(r, caller);
      got.push_back(res.status);
      seen += (seen.empty() ? "" : " ") + std::to_string(res.status);
    }
    if (record.is_open()) record << r.method << '\t' << r.pattern << '\t' << r.path << '\t' << r.body << '\t' << seen << '\n';
    for (std::size_t i = 0; i < kCallers.size() && i < r.expect.size(); ++i)
      EXPECT_EQ(got[i], r.expect[i]) << "permissions.tsv:" << r.line << ": " << r.method << " " << r.path << " as " << kCallers[i]
                                     << " (observed row: " << seen << ")";
  }
}

}  // namespace
}  // namespace hocvu::testing
