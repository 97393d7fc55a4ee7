// The learning API end to end (issue 4), on SQLite and PostgreSQL: catalogue search as a data
// table, enrolment, lessons, progress decided on the server (video heartbeats, questions,
// sequential unlocking), completion, new versions, assignments, authoring and packages, and every
// learning route against every role.
#include "support/api.h"
#include "support/http_client.h"
#include "support/server_process.h"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <sstream>

namespace hocvu::testing {
namespace {

namespace json = boost::json;

std::string multipart(const std::string& boundary, const std::vector<std::tuple<std::string, std::string, std::string>>& parts) {
  std::string body;
  for (const auto& [name, filename, data] : parts) {
    body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"";
    if (!filename.empty()) body += "; filename=\"" + filename + "\"\r\nContent-Type: application/octet-stream";
    body += "\r\n\r\n" + data + "\r\n";
  }
  return body + "--" + boundary + "--\r\n";
}

// The first bytes of an MP4 file: enough for the type check, which is all this test needs.
const std::string kTinyMp4 = std::string("\0\0\0\x18", 4) + "ftypmp42" + std::string(64, '\0');

class Learning : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new ServerProcess();
    const int port = server_->port();
    std::map<std::string, std::string> env{{"HOCVU_DATA_DIR", server_->data_dir()}};
    if (const char* url = std::getenv("HOCVU_TEST_DATABASE_URL"); url && *url) env["HOCVU_DATABASE_URL"] = url;
    auto seed = run_command({ServerProcess::binary(), "seed", "--demo"}, env);
    ASSERT_EQ(seed.status, 0) << seed.output;
    // Another suite in this binary may have seeded the same database already (PostgreSQL runs).
    ASSERT_NE(seed.output.find("6 starter course(s)"), std::string::npos) << seed.output;
    auto again = run_command({ServerProcess::binary(), "seed", "--demo"}, env);
    ASSERT_NE(again.output.find("(0 new)"), std::string::npos) << again.output;  // idempotent
    auto admin = run_command({"/bin/sh", "-c", "printf 'Quan-tri-2025!\\n' | \"$HOCVU_BINARY\" create-admin --login 0900000001 --name 'Quản Trị Viên'"}, env);
    ASSERT_EQ(admin.status, 0) << admin.output;
    tokens_["national"] = token_for(port, "0900000001", "Quan-tri-2025!");

    struct P { const char* key; const char* cccd; const char* phone; const char* name; const char* group; };
    const P people[] = {{"learner", "001199200001", "0900200001", "Lò Thị Học", "citizen"},
                        {"manager", "001199200002", "0900200002", "Quản Lý Xã", "official"},
                        {"member1", "001199200003", "0900200003", "Cán Bộ Một", "official"},
                        {"member2", "001199200004", "0900200004", "Cán Bộ Hai", "worker"},
                        {"instructor", "001199200005", "0900200005", "Giảng Viên Số", "official"},
                        {"outsider", "001199200006", "0900200006", "Người Ngoài", "official"}};
    for (const auto& p : people) {
      ids_[p.key] = register_person(port, p.cccd, p.phone, p.name, p.group);
      ASSERT_FALSE(ids_[p.key].empty()) << p.key;
      tokens_[p.key] = token_for(port, p.phone);
      ASSERT_FALSE(tokens_[p.key].empty()) << p.key;
    }
    // An organisation with two members, its manager and its instructor; another for the outsider.
    auto org = call(port, "POST", "/api/v1/organisations", tokens_["national"], R"({"name":"UBND Xã Mẫu","kind":"committee","unit_code":"01"})");
    ASSERT_EQ(org.status, 201) << org.body;
    org_ = std::to_string(parse(org).at("id").as_int64());
    auto other = call(port, "POST", "/api/v1/organisations", tokens_["national"], R"({"name":"Trường Khác","kind":"school","unit_code":"79"})");
    ASSERT_EQ(other.status, 201) << other.body;
    other_org_ = std::to_string(parse(other).at("id").as_int64());
    for (auto m : {"member1", "member2"})
      ASSERT_EQ(call(port, "POST", "/api/v1/organisations/" + org_ + "/members", tokens_["national"], R"({"person_id":)" + ids_[m] + "}").status, 201);
    auto grant = [&](const std::string& who, const std::string& role, const std::string& org_id) {
      auto r = call(port, "POST", "/api/v1/people/" + ids_[who] + "/roles", tokens_["national"],
                    R"({"role":")" + role + R"(","scope_kind":"organisation","scope_code":")" + org_id + R"("})");
      ASSERT_EQ(r.status, 201) << who << ": " << r.body;
    };
    grant("manager", "org_manager", org_);
    grant("instructor", "instructor", org_);
    grant("outsider", "instructor", other_org_);

    auto list = call(port, "GET", "/api/v1/courses?per_page=100", "");
    auto listed = parse(list);
    for (const auto& item : listed.at("items").as_array()) {
      auto id = item.at("id").as_int64();
      auto course = parse(call(port, "GET", "/api/v1/courses/" + std::to_string(id), ""));
      slugs_[std::string(course.at("slug").as_string())] = id;
    }
    ASSERT_EQ(slugs_.size(), 6u);
  }
  static void TearDownTestSuite() { delete server_; }

  int port() const { return server_->port(); }
  static std::int64_t lesson_id(const json::value& course, std::size_t index) {
    std::size_t i = 0;
    for (const auto& s : course.at("sections").as_array())
      for (const auto& l : s.at("lessons").as_array())
        if (i++ == index) return l.at("id").as_int64();
    return 0;
  }

  // Creates, fills and publishes a course with a 60-second video as the instructor; its id.
  std::string video_course(const std::string& slug) {
    auto created = call(port(), "POST", "/api/v1/author/courses", tokens_["instructor"],
                        R"({"provider_id":)" + org_ + R"(,"slug":")" + slug + R"(","title":"Video ngắn"})");
    EXPECT_EQ(created.status, 201) << created.body;
    std::string id = std::to_string(parse(created).at("id").as_int64());
    Connection c(port());
    const std::string boundary = "b0undary";
    auto upload = c.request("POST", "/api/v1/author/courses/" + id + "/media",
                            {{"Authorization", "Bearer " + tokens_["instructor"]}, {"Content-Type", "multipart/form-data; boundary=" + boundary}},
                            multipart(boundary, {{"use", "", "video"}, {"file", "clip.mp4", kTinyMp4}}));
    EXPECT_EQ(upload.status, 201) << upload.body;
    std::string media = std::string(parse(upload).at("name").as_string());
    std::string draft = R"({"title":"Video ngắn","summary":"Một video.","target_groups":["citizen"],)"
                        R"("competencies":[{"code":"4.1","level":1}],"duration_minutes":5,"unlock":"free","sections":[{"key":"s","title":"Phần","lessons":[)"
                        R"({"key":"l","title":"Bài video","blocks":[{"key":"v","kind":"video","media":")" + media +
                        R"(","duration_seconds":60},{"key":"t","kind":"text","markdown":"Đọc **kỹ**."}]}]}]})";
    auto put = call(port(), "PUT", "/api/v1/author/courses/" + id + "/draft", tokens_["instructor"], draft);
    EXPECT_EQ(put.status, 200) << put.body;
    auto pub = call(port(), "POST", "/api/v1/author/courses/" + id + "/publish", tokens_["instructor"]);
    EXPECT_EQ(pub.status, 200) << pub.body;
    return id;
  }

  static ServerProcess* server_;
  static std::map<std::string, std::string> ids_, tokens_;
  static std::map<std::string, std::int64_t> slugs_;
  static std::string org_, other_org_;
};
ServerProcess* Learning::server_ = nullptr;
std::map<std::string, std::string> Learning::ids_, Learning::tokens_;
std::map<std::string, std::int64_t> Learning::slugs_;
std::string Learning::org_, Learning::other_org_;

std::string url_encode(const std::string& s) {
  std::string out;
  char buf[4];
  for (unsigned char c : s) {
    if (std::isalnum(c)) {
      out += static_cast<char>(c);
    } else {
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

TEST_F(Learning, CatalogueSearchIgnoresDiacriticsAndCase) {
  std::ifstream in(std::string(HOCVU_TEST_DATA_DIR) + "/catalogue_search.tsv");
  ASSERT_TRUE(in) << "catalogue_search.tsv";
  std::string line;
  int cases = 0;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream cols(line);
    std::string query, first, absent;
    std::getline(cols, query, '\t');
    std::getline(cols, first, '\t');
    std::getline(cols, absent, '\t');
    auto r = call(port(), "GET", "/api/v1/courses?q=" + url_encode(query), "");
    ASSERT_EQ(r.status, 200);
    auto items = parse(r).at("items").as_array();
    ASSERT_FALSE(items.empty()) << query;
    EXPECT_EQ(items[0].at("id").as_int64(), slugs_[first]) << query << ": " << r.body.substr(0, 300);
    if (absent != "-")
      for (const auto& i : items) {
        EXPECT_NE(i.at("id").as_int64(), slugs_[absent]) << query;
      }
    ++cases;
  }
  EXPECT_GE(cases, 10);
  // Filters: a group, a domain, a duration; the learner's own group comes first when signed in.
  auto students = parse(call(port(), "GET", "/api/v1/courses?group=student&per_page=100", ""));
  for (const auto& i : students.at("items").as_array()) {
    bool has = false;
    for (const auto& g : i.at("target_groups").as_array()) has = has || g.as_string() == "student";
    EXPECT_TRUE(has);
  }
  auto ai = parse(call(port(), "GET", "/api/v1/courses?domain=6", ""));
  ASSERT_EQ(ai.at("total").as_int64(), 1);
  EXPECT_EQ(ai.at("items").as_array()[0].at("id").as_int64(), slugs_["tri-tue-nhan-tao-co-ban"]);
  auto none = parse(call(port(), "GET", "/api/v1/courses?q=qwxyz+zzvv", ""));
  EXPECT_EQ(none.at("total").as_int64(), 0);
  const auto provider = std::to_string(students.at("items").as_array()[0].at("provider").at("id").as_int64());
  EXPECT_EQ(parse(call(port(), "GET", "/api/v1/courses?provider=" + provider, "")).at("total").as_int64(), 6);
  EXPECT_EQ(parse(call(port(), "GET", "/api/v1/courses?provider=999999", "")).at("total").as_int64(), 0);
  auto by_provider = call(port(), "GET", "/courses?provider=" + provider, "");
  EXPECT_NE(by_provider.body.find("<option value=\"" + provider + "\" selected>Trung tâm Học liệu số HọcVụ</option>"), std::string::npos);
  auto page = call(port(), "GET", "/courses?q=bao+ve+du+lieu", "");
  EXPECT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("Nhận diện lừa đảo trực tuyến và bảo vệ dữ liệu cá nhân"), std::string::npos);
}

TEST_F(Learning, ALearnerEnrolsLearnsInOrderAndCompletes) {
  const auto course_id = slugs_["lua-dao-truc-tuyen"];  // unlocks lessons in order
  const std::string cid = std::to_string(course_id);
  auto course = parse(call(port(), "GET", "/api/v1/courses/" + cid, ""));
  const auto first = lesson_id(course, 0), second = lesson_id(course, 1);
  const std::string& t = tokens_["learner"];

  EXPECT_EQ(call(port(), "GET", "/api/v1/lessons/" + std::to_string(first), t).status, 403);  // not enrolled
  EXPECT_EQ(call(port(), "POST", "/api/v1/courses/" + cid + "/enrollments", t).status, 201);
  EXPECT_EQ(call(port(), "POST", "/api/v1/courses/" + cid + "/enrollments", t).status, 200);
  EXPECT_EQ(call(port(), "POST", "/api/v1/courses/999999/enrollments", t).status, 404);

  auto lesson = parse(call(port(), "GET", "/api/v1/lessons/" + std::to_string(first), t));
  ASSERT_TRUE(lesson.at("open").as_bool());
  // Nothing about a question's answer before it is answered.
  auto raw = call(port(), "GET", "/api/v1/lessons/" + std::to_string(first), t).body;
  EXPECT_EQ(raw.find("correct_option"), std::string::npos);
  EXPECT_EQ(raw.find("explanation"), std::string::npos);
  // The lesson page numbers its scrollable tables so each landmark has its own name.
  Connection page_conn(port());
  auto page = page_conn.request("GET", "/lessons/" + std::to_string(first), {{"Cookie", "hocvu_session=" + t}});
  EXPECT_NE(page.body.find("aria-label=\"Bảng 1\""), std::string::npos);
  EXPECT_EQ(page.body.find("aria-label=\"Bảng\""), std::string::npos);
  auto locked = parse(call(port(), "GET", "/api/v1/lessons/" + std::to_string(second), t));
  EXPECT_FALSE(locked.at("open").as_bool());
  EXPECT_TRUE(locked.at("blocks").as_array().empty());
  // Issue 11, item 6: the locked page is not a dead end: it names the lesson to finish, what is
  // left in it, and links to it.
  auto locked_page = page_conn.request("GET", "/lessons/" + std::to_string(second), {{"Cookie", "hocvu_session=" + t}});
  EXPECT_NE(locked_page.body.find("Trước hết hãy học xong bài"), std::string::npos) << locked_page.body;
  EXPECT_NE(locked_page.body.find("href=\"/lessons/" + std::to_string(first) + "\""), std::string::npos);
  EXPECT_NE(locked_page.body.find("Trả lời câu hỏi"), std::string::npos);

  // Every lesson in order: view the reading, answer the question (the first answer stands).
  auto finish_lesson = [&](std::int64_t id, bool answer_wrong_first) {
    auto l = parse(call(port(), "GET", "/api/v1/lessons/" + std::to_string(id), t));
    EXPECT_TRUE(l.at("open").as_bool()) << id;
    json::array events;
    for (const auto& b : l.at("blocks").as_array()) {
      std::string kind(b.at("kind").as_string());
      json::object e{{"lesson_id", id}, {"block", b.at("key")}};
      if (kind == "question") {
        e["kind"] = "answer";
        e["answer"] = answer_wrong_first ? 99 : 0;
      } else {
        e["kind"] = "viewed";
      }
      events.push_back(e);
    }
    auto r = call(port(), "POST", "/api/v1/progress", t, json::serialize(json::object{{"events", events}}));
    EXPECT_EQ(r.status, 202) << r.body;
    return parse(r);
  };
  auto refused = finish_lesson(first, true);  // answer index 99: refused, nothing stored for it
  bool saw_refused = false;
  for (const auto& e : refused.at("events").as_array()) saw_refused = saw_refused || e.at("verdict").as_string() == "refused";
  EXPECT_TRUE(saw_refused);
  EXPECT_FALSE(parse(call(port(), "GET", "/api/v1/lessons/" + std::to_string(second), t)).at("open").as_bool());
  auto done = finish_lesson(first, false);
  bool answered = false;
  for (const auto& e : done.at("events").as_array())
    if (e.as_object().contains("correct_option")) answered = true;
  EXPECT_TRUE(answered);
  auto after = call(port(), "GET", "/api/v1/lessons/" + std::to_string(first), t).body;
  EXPECT_NE(after.find("correct_option"), std::string::npos);  // now the learner may see it
  EXPECT_TRUE(parse(call(port(), "GET", "/api/v1/lessons/" + std::to_string(second), t)).at("open").as_bool());

  // Repeating the same events changes nothing.
  auto before = parse(call(port(), "GET", "/api/v1/me/enrollments", t));
  finish_lesson(first, false);
  auto same = parse(call(port(), "GET", "/api/v1/me/enrollments", t));
  EXPECT_EQ(json::serialize(before), json::serialize(same));

  // "Đã học xong" (the form, without JavaScript) moves the learner's place to the next lesson,
  // so "continue" goes there even before anything in it is done.
  const std::string csrf(43, 'c');
  Connection form(port());
  auto next = form.request("POST", "/lessons/" + std::to_string(first) + "/done",
                           {{"Cookie", "hocvu_session=" + t + "; hocvu_csrf=" + csrf}, {"Content-Type", "application/x-www-form-urlencoded"}},
                           "csrf=" + csrf);
  EXPECT_EQ(next.status, 303);
  EXPECT_EQ(next.header("Location"), "/lessons/" + std::to_string(second));
  auto place = parse(call(port(), "GET", "/api/v1/me/enrollments", t));
  for (const auto& e : place.at("items").as_array()) {
    if (e.at("course_id").as_int64() == course_id) {
      EXPECT_EQ(e.at("next_lesson_id").as_int64(), second);
    }
  }

  for (std::size_t i = 1; i < 4; ++i) finish_lesson(lesson_id(course, i), false);
  auto mine = parse(call(port(), "GET", "/api/v1/me/enrollments", t));
  bool completed = false;
  for (const auto& e : mine.at("items").as_array())
    if (e.at("course_id").as_int64() == course_id) {
      EXPECT_EQ(e.at("percent_complete").as_int64(), 100);
      completed = e.at("completed_at").is_string();
    }
  EXPECT_TRUE(completed);
  auto home = call(port(), "GET", "/learn", t);
  EXPECT_EQ(home.status, 200);
  EXPECT_NE(home.body.find("Nhận diện lừa đảo"), std::string::npos);
  // Issue 11, item 8: finishing says so and offers the next step, not "continue learning"; with
  // every course learned, "my learning" leads to the next course.
  auto done_page = call(port(), "GET", "/courses/" + cid, t);
  EXPECT_NE(done_page.body.find("Chúc mừng bạn!"), std::string::npos) << done_page.body;
  EXPECT_EQ(done_page.body.find(">Tiếp tục học<"), std::string::npos);
  EXPECT_NE(done_page.body.find("Xem lại bài học"), std::string::npos);
  EXPECT_NE(home.body.find("data-all-done"), std::string::npos) << "the learner's only course is done";
}

TEST_F(Learning, AVideoCountsOnlyForWatchTimeTheServerBelieves) {
  const std::string cid = video_course("video-ngan");
  auto course = parse(call(port(), "GET", "/api/v1/courses/" + cid, ""));
  const auto lesson = lesson_id(course, 0);
  const std::string& t = tokens_["member1"];
  ASSERT_EQ(call(port(), "POST", "/api/v1/courses/" + cid + "/enrollments", t).status, 201);
  auto beat = [&](double from, double to) {
    auto body = R"({"events":[{"lesson_id":)" + std::to_string(lesson) + R"(,"block":"v","kind":"video","from":)" +
                std::to_string(from) + R"(,"to":)" + std::to_string(to) + "}]}";
    return parse(call(port(), "POST", "/api/v1/progress", t, body));
  };
  // Jumping to the end and claiming the whole video: a few seconds of credit, not done.
  auto jump = beat(0, 60);
  EXPECT_EQ(jump.at("events").as_array()[0].at("verdict").as_string(), "clipped");
  EXPECT_FALSE(jump.at("events").as_array()[0].at("done").as_bool());
  auto again = beat(0, 60);
  EXPECT_FALSE(again.at("events").as_array()[0].at("done").as_bool());
  auto l = parse(call(port(), "GET", "/api/v1/lessons/" + std::to_string(lesson), t));
  EXPECT_FALSE(l.at("blocks").as_array()[0].at("done").as_bool());
  EXPECT_LT(l.at("percent_complete").as_int64(), 100);
  // The media is served with Range for seeking.
  std::string src(l.at("blocks").as_array()[0].at("src").as_string());
  auto range = http_get(port(), src, {{"Range", "bytes=4-7"}});
  EXPECT_EQ(range.status, 206);
  EXPECT_EQ(range.body, "ftyp");
  // Malformed events are refused whole, with a reason.
  EXPECT_EQ(call(port(), "POST", "/api/v1/progress", t, R"({"events":[{"lesson_id":1,"block":"v","kind":"video"}]})").status, 422);
  EXPECT_EQ(call(port(), "POST", "/api/v1/progress", t, "not json").status, 422);
  // A number that is not a whole number in range is refused with the field's name; before, 1e300
  // was cast to an integer (undefined behaviour) and 2.5 went to lesson 2.
  for (const std::string n : {"1e300", "-1e300", "2.5", "9223372036854775808", "0"}) {
    auto r = call(port(), "POST", "/api/v1/progress", t, R"({"events":[{"lesson_id":)" + n + R"(,"block":"t","kind":"viewed"}]})");
    EXPECT_EQ(r.status, 422) << n << ": " << r.body;
    EXPECT_NE(r.body.find("lesson_id\\\" phải là một số nguyên"), std::string::npos) << n << ": " << r.body;
  }
  auto huge_answer = call(port(), "POST", "/api/v1/progress", t,
                          R"({"events":[{"lesson_id":)" + std::to_string(lesson) + R"(,"block":"v","kind":"answer","answer":1e300}]})");
  EXPECT_EQ(huge_answer.status, 422) << huge_answer.body;
  EXPECT_NE(huge_answer.body.find("answer\\\" phải là một số nguyên"), std::string::npos) << huge_answer.body;
  // The same in a course draft: 422 naming the field, nothing saved.
  auto draft = parse(call(port(), "GET", "/api/v1/author/courses/" + cid, tokens_["instructor"])).at("draft");
  draft.at("sections").as_array()[0].at("lessons").as_array()[0].at("blocks").as_array()[0].as_object()["duration_seconds"] = 1e300;
  auto put = call(port(), "PUT", "/api/v1/author/courses/" + cid + "/draft", tokens_["instructor"], json::serialize(draft));
  EXPECT_EQ(put.status, 422) << put.body;
  EXPECT_NE(put.body.find("duration_seconds\\\" phải là một số nguyên"), std::string::npos) << put.body;
  auto kept = parse(call(port(), "GET", "/api/v1/author/courses/" + cid, tokens_["instructor"])).at("draft");
  EXPECT_EQ(kept.at("sections").as_array()[0].at("lessons").as_array()[0].at("blocks").as_array()[0].at("duration_seconds").as_int64(), 60);
  EXPECT_EQ(call(port(), "POST", "/api/v1/progress", t, "{}", "text/plain").status, 415);
  EXPECT_EQ(call(port(), "POST", "/api/v1/progress", "", R"({"events":[]})").status, 401);
}

// A file only a draft names is for those who may author for the course's provider; once a
// published version names it, it is public and cacheable. Before, every uploaded file was public
// to anyone with its URL.
TEST_F(Learning, DraftMediaIsForItsAuthorsUntilAVersionNamesIt) {
  auto created = call(port(), "POST", "/api/v1/author/courses", tokens_["instructor"],
                      R"({"provider_id":)" + org_ + R"(,"slug":"media-nhap","title":"Video nháp"})");
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string id = std::to_string(parse(created).at("id").as_int64());
  auto upload = [&](const std::string& bytes) {
    const std::string boundary = "b0undary";
    auto r = Connection(port()).request("POST", "/api/v1/author/courses/" + id + "/media",
                                        {{"Authorization", "Bearer " + tokens_["instructor"]},
                                         {"Content-Type", "multipart/form-data; boundary=" + boundary}},
                                        multipart(boundary, {{"use", "", "video"}, {"file", "clip.mp4", bytes}}));
    EXPECT_EQ(r.status, 201) << r.body;
    return r.status == 201 ? std::string(parse(r).at("name").as_string()) : std::string("?");
  };
  const std::string name = upload(kTinyMp4);
  const std::string url = "/media/courses/" + id + "/" + name;
  auto get = [&](const std::string& path, const std::string& token) {
    return token.empty() ? http_get(port(), path) : http_get(port(), path, {{"Authorization", "Bearer " + token}});
  };
  EXPECT_EQ(get(url, "").status, 404);
  EXPECT_EQ(get(url, tokens_["learner"]).status, 404);
  EXPECT_EQ(get(url, tokens_["outsider"]).status, 404);  // an instructor of another provider
  EXPECT_EQ(get("/media/courses/" + id + "/../courses/" + id + "/" + name, "").status, 400);
  auto author = get(url, tokens_["instructor"]);
  EXPECT_EQ(author.status, 200);
  EXPECT_EQ(author.body, kTinyMp4);
  EXPECT_EQ(author.header("Cache-Control").find("public"), std::string::npos) << author.header("Cache-Control");
  std::string draft = R"({"title":"Video nháp","summary":"Một video.","target_groups":["citizen"],)"
                      R"("competencies":[{"code":"4.1","level":1}],"duration_minutes":5,"unlock":"free","sections":[{"key":"s","title":"Phần","lessons":[)"
                      R"({"key":"l","title":"Bài video","blocks":[{"key":"v","kind":"video","media":")" + name +
                      R"(","duration_seconds":60}]}]}]})";
  ASSERT_EQ(call(port(), "PUT", "/api/v1/author/courses/" + id + "/draft", tokens_["instructor"], draft).status, 200);
  EXPECT_EQ(get(url, "").status, 404) << "a draft is not published";
  ASSERT_EQ(call(port(), "POST", "/api/v1/author/courses/" + id + "/publish", tokens_["instructor"]).status, 200);
  auto published = get(url, "");
  EXPECT_EQ(published.status, 200);
  EXPECT_NE(published.header("Cache-Control").find("public"), std::string::npos) << published.header("Cache-Control");
  EXPECT_EQ(http_get(port(), url, {{"Range", "bytes=4-7"}}).status, 206);
  // A file uploaded after publishing, which no version names yet, is still its authors' only.
  const std::string later = "/media/courses/" + id + "/" + upload(kTinyMp4 + "x");
  EXPECT_EQ(get(later, "").status, 404);
  EXPECT_EQ(get(later, tokens_["learner"]).status, 404);
  EXPECT_EQ(get(later, tokens_["instructor"]).status, 200);
}

TEST_F(Learning, ANewVersionKeepsLearnersProgressByBlock) {
  const std::string cid = video_course("phien-ban");
  auto course = parse(call(port(), "GET", "/api/v1/courses/" + cid, ""));
  const auto lesson = lesson_id(course, 0);
  const std::string& t = tokens_["member2"];
  ASSERT_EQ(call(port(), "POST", "/api/v1/courses/" + cid + "/enrollments", t).status, 201);
  auto viewed = call(port(), "POST", "/api/v1/progress", t, R"({"events":[{"lesson_id":)" + std::to_string(lesson) + R"(,"block":"t","kind":"viewed"}]})");
  EXPECT_NE(viewed.body.find("\"percent_complete\":50"), std::string::npos) << viewed.body;
  // The author removes the video and adds a question: version 2.
  auto draft = parse(call(port(), "GET", "/api/v1/author/courses/" + cid, tokens_["instructor"])).at("draft");
  auto& blocks = draft.at("sections").as_array()[0].at("lessons").as_array()[0].at("blocks").as_array();
  blocks.erase(blocks.begin());
  blocks.push_back(json::object{{"key", "q"}, {"kind", "question"},
                                {"question", json::object{{"prompt", "Chọn một?"}, {"options", json::array{"A", "B"}}, {"answer", 1}}}});
  ASSERT_EQ(call(port(), "PUT", "/api/v1/author/courses/" + cid + "/draft", tokens_["instructor"], json::serialize(draft)).status, 200);
  auto pub = parse(call(port(), "POST", "/api/v1/author/courses/" + cid + "/publish", tokens_["instructor"]));
  EXPECT_EQ(pub.at("version").as_int64(), 2);
  auto l = parse(call(port(), "GET", "/api/v1/lessons/" + std::to_string(lesson), t));
  EXPECT_EQ(l.at("course").at("version").as_int64(), 2);
  EXPECT_EQ(l.at("percent_complete").as_int64(), 50);  // the text block kept; the video no longer counts
  auto answer = call(port(), "POST", "/api/v1/progress", t, R"({"events":[{"lesson_id":)" + std::to_string(lesson) + R"(,"block":"q","kind":"answer","answer":1}]})");
  EXPECT_NE(answer.body.find("\"completed\":true"), std::string::npos) << answer.body;
  EXPECT_NE(answer.body.find("\"correct\":true"), std::string::npos) << answer.body;
}

TEST_F(Learning, AManagerAssignsACourseWithADeadline) {
  const std::string cid = std::to_string(slugs_["vneid-dich-vu-cong"]);
  const std::string body = R"({"scope_kind":"organisation","scope_code":")" + org_ + R"(","deadline":"2099-12-31"})";
  EXPECT_EQ(call(port(), "POST", "/api/v1/courses/" + cid + "/assignments", "", body).status, 401);
  EXPECT_EQ(call(port(), "POST", "/api/v1/courses/" + cid + "/assignments", tokens_["learner"], body).status, 403);
  EXPECT_EQ(call(port(), "POST", "/api/v1/courses/" + cid + "/assignments", tokens_["instructor"], body).status, 403);
  EXPECT_EQ(call(port(), "POST", "/api/v1/courses/" + cid + "/assignments", tokens_["manager"],
                 R"({"scope_kind":"organisation","scope_code":")" + other_org_ + R"("})").status, 403);
  auto bad = call(port(), "POST", "/api/v1/courses/" + cid + "/assignments", tokens_["manager"],
                  R"({"scope_kind":"organisation","scope_code":")" + org_ + R"(","deadline":"31/12/2099"})");
  EXPECT_EQ(bad.status, 422);
  EXPECT_NE(bad.body.find("deadline"), std::string::npos);
  auto ok = call(port(), "POST", "/api/v1/courses/" + cid + "/assignments", tokens_["manager"], body);
  ASSERT_EQ(ok.status, 201) << ok.body;
  EXPECT_EQ(parse(ok).at("people").as_int64(), 2);
  for (auto m : {"member1", "member2"}) {
    auto mine = parse(call(port(), "GET", "/api/v1/me/enrollments", tokens_[m]));
    bool found = false;
    for (const auto& e : mine.at("items").as_array())
      if (std::to_string(e.at("course_id").as_int64()) == cid) {
        found = true;
        EXPECT_EQ(e.at("deadline").as_string(), "2099-12-31");
        EXPECT_EQ(e.at("source").as_string(), "assigned");
      }
    EXPECT_TRUE(found) << m;
  }
  auto home = call(port(), "GET", "/learn", tokens_["member1"]);
  EXPECT_NE(home.body.find("31/12/2099"), std::string::npos);
  // Assigning again is harmless.
  EXPECT_EQ(parse(call(port(), "POST", "/api/v1/courses/" + cid + "/assignments", tokens_["manager"], body)).at("people").as_int64(), 2);
}

TEST_F(Learning, PackagesExportAndImportAndABrokenOneChangesNothing) {
  const std::string cid = std::to_string(slugs_["thanh-toan-truc-tuyen"]);
  // The starter courses belong to the demo provider: this instructor may not export them.
  EXPECT_EQ(call(port(), "GET", "/api/v1/author/courses/" + cid + "/package", tokens_["instructor"]).status, 404);
  auto zip = call(port(), "GET", "/api/v1/author/courses/" + cid + "/package", tokens_["national"]);
  ASSERT_EQ(zip.status, 200);
  EXPECT_EQ(zip.header("Content-Type"), "application/zip");
  EXPECT_EQ(zip.body.substr(0, 2), "PK");
  // Re-imported as the same slug, into its own provider: a new draft of the same course.
  auto course = parse(call(port(), "GET", "/api/v1/author/courses/" + cid, tokens_["national"]));
  const std::string provider = std::to_string(course.at("provider").at("id").as_int64());
  auto same = call(port(), "POST", "/api/v1/author/packages?provider_id=" + provider, tokens_["national"], zip.body, "application/zip");
  EXPECT_EQ(same.status, 200) << same.body;
  EXPECT_EQ(parse(same).at("course_id").as_int64(), std::stoll(cid));
  // The same slug into another provider is refused.
  auto clash = call(port(), "POST", "/api/v1/author/packages?provider_id=" + org_, tokens_["instructor"], zip.body, "application/zip");
  EXPECT_EQ(clash.status, 422) << clash.body;
  // A broken package: errors by file, and no course appears.
  auto before = parse(call(port(), "GET", "/api/v1/author/courses", tokens_["instructor"])).at("items").as_array().size();
  auto broken = call(port(), "POST", "/api/v1/author/packages?provider_id=" + org_, tokens_["instructor"], "PK not a zip", "application/zip");
  EXPECT_EQ(broken.status, 422);
  EXPECT_NE(broken.body.find("\"errors\""), std::string::npos);
  EXPECT_EQ(parse(call(port(), "GET", "/api/v1/author/courses", tokens_["instructor"])).at("items").as_array().size(), before);
  // Publishing an empty draft lists what is missing.
  auto empty = call(port(), "POST", "/api/v1/author/courses", tokens_["instructor"], R"({"provider_id":)" + org_ + R"(,"slug":"trong-rong","title":"Trống"})");
  ASSERT_EQ(empty.status, 201);
  auto not_ready = call(port(), "POST", "/api/v1/author/courses/" + std::to_string(parse(empty).at("id").as_int64()) + "/publish", tokens_["instructor"]);
  EXPECT_EQ(not_ready.status, 422);
  EXPECT_NE(not_ready.body.find("problems"), std::string::npos);
  // A draft written through the API that names a media file the server does not have.
  const std::string empty_id = std::to_string(parse(empty).at("id").as_int64());
  auto put = call(port(), "PUT", "/api/v1/author/courses/" + empty_id + "/draft", tokens_["instructor"],
                  R"({"title":"Trống","summary":"Một câu.","target_groups":["citizen"],"competencies":[{"code":"4.1","level":1}],)"
                  R"("duration_minutes":5,"sections":[{"key":"s","title":"Phần","lessons":[{"key":"l","title":"Bài","blocks":[)"
                  R"({"key":"v","kind":"video","media":"khong-co.mp4","duration_seconds":30}]}]}]})");
  ASSERT_EQ(put.status, 200) << put.body;
  auto missing = call(port(), "POST", "/api/v1/author/courses/" + empty_id + "/publish", tokens_["instructor"]);
  EXPECT_EQ(missing.status, 422);
  EXPECT_NE(missing.body.find("khong-co.mp4"), std::string::npos) << missing.body;
  EXPECT_EQ(call(port(), "POST", "/api/v1/author/courses", tokens_["instructor"], R"({"provider_id":)" + org_ + R"(,"slug":"trong-rong","title":"Lần hai"})").status, 409);
}

TEST_F(Learning, AnInstructorRunsAClassAndFollowsItsProgress) {
  const std::string course = std::to_string(slugs_["tim-kiem-kiem-chung-thong-tin"]);
  EXPECT_EQ(call(port(), "POST", "/api/v1/classes", tokens_["learner"], R"({"course_id":)" + course + R"(,"name":"Lớp A"})").status, 403);
  EXPECT_EQ(call(port(), "POST", "/api/v1/classes", tokens_["instructor"], R"({"course_id":999999,"name":"Lớp A"})").status, 422);
  EXPECT_EQ(call(port(), "POST", "/api/v1/classes", tokens_["instructor"], R"({"course_id":1,"name":"Lớp A"})", "text/plain").status, 415);
  auto created = call(port(), "POST", "/api/v1/classes", tokens_["instructor"], R"({"course_id":)" + course + R"(,"name":"Lớp kiểm chứng thông tin"})");
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string id = std::to_string(parse(created).at("id").as_int64());
  // Learners in the instructor's organisation join; anyone else is "not found" in scope.
  EXPECT_EQ(call(port(), "POST", "/api/v1/classes/" + id + "/members", tokens_["instructor"], R"({"login":"0900200003"})").status, 201);
  EXPECT_EQ(call(port(), "POST", "/api/v1/classes/" + id + "/members", tokens_["instructor"], R"({"login":"0900200003"})").status, 200);
  EXPECT_EQ(call(port(), "POST", "/api/v1/classes/" + id + "/members", tokens_["instructor"], R"({"login":"0900200006"})").status, 422);
  EXPECT_EQ(call(port(), "POST", "/api/v1/classes/" + id + "/members", tokens_["instructor"], R"({"login":"0999999999"})").status, 422);
  // Only its instructor sees the class.
  EXPECT_EQ(call(port(), "GET", "/api/v1/classes/" + id, tokens_["outsider"]).status, 404);
  EXPECT_EQ(call(port(), "POST", "/api/v1/classes/" + id + "/members", tokens_["outsider"], R"({"login":"0900200004"})").status, 404);
  // The member learns; the instructor sees it.
  auto c = parse(call(port(), "GET", "/api/v1/courses/" + course, ""));
  auto lesson = lesson_id(c, 0);
  auto l = parse(call(port(), "GET", "/api/v1/lessons/" + std::to_string(lesson), tokens_["member1"]));
  ASSERT_TRUE(l.as_object().contains("blocks")) << json::serialize(l);
  json::array events;
  for (const auto& b : l.at("blocks").as_array())
    if (b.at("kind").as_string() != "question") events.push_back(json::object{{"lesson_id", lesson}, {"block", b.at("key")}, {"kind", "viewed"}});
  EXPECT_EQ(call(port(), "POST", "/api/v1/progress", tokens_["member1"], json::serialize(json::object{{"events", events}})).status, 202);
  auto progress = parse(call(port(), "GET", "/api/v1/classes/" + id, tokens_["instructor"]));
  const auto& members = progress.at("members_progress").as_array();
  ASSERT_EQ(members.size(), 1u);
  EXPECT_EQ(members[0].at("full_name").as_string(), "Cán Bộ Một");
  EXPECT_GT(members[0].at("percent_complete").as_int64(), 0);
  auto page = call(port(), "GET", "/classes/" + id, tokens_["instructor"]);
  EXPECT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("Cán Bộ Một"), std::string::npos);
}

// A page form as a signed-in browser sends it: session and CSRF cookies, the token in the body.
HttpResponse post_form(int port, const std::string& path, const std::string& session, const std::string& body) {
  const std::string csrf(43, 'c');
  std::map<std::string, std::string> h{{"Content-Type", "application/x-www-form-urlencoded"},
                                       {"Cookie", "hocvu_csrf=" + csrf + (session.empty() ? "" : "; hocvu_session=" + session)}};
  return Connection(port).request("POST", path, h, "csrf=" + csrf + "&" + body);
}

// Issue 11, item 9: one tap assigned a course to everyone in the manager's scope. The form now
// starts with nothing chosen, says how many people a choice enrols and asks again; only a post
// carrying the count the manager saw, still right, enrols anyone. The API previews with dry_run.
TEST_F(Learning, ABulkAssignmentSaysHowManyPeopleAndAsksFirst) {
  const std::string cid = std::to_string(slugs_["dien-thoai-thong-minh"]);
  auto enrolled = [&](const char* who) {
    auto mine = parse(call(port(), "GET", "/api/v1/me/enrollments", tokens_[who]));
    for (const auto& e : mine.at("items").as_array())
      if (std::to_string(e.at("course_id").as_int64()) == cid) return true;
    return false;
  };
  auto preview = call(port(), "POST", "/api/v1/courses/" + cid + "/assignments", tokens_["manager"],
                      R"({"scope_kind":"organisation","scope_code":")" + org_ + R"(","dry_run":true})");
  ASSERT_EQ(preview.status, 200) << preview.body;
  EXPECT_EQ(parse(preview).at("people").as_int64(), 2);
  EXPECT_TRUE(parse(preview).at("dry_run").as_bool());
  EXPECT_FALSE(enrolled("member1"));

  const std::string session = tokens_["manager"];
  auto form = call(port(), "GET", "/courses/" + cid + "/assign", session);
  ASSERT_EQ(form.status, 200);
  // Nothing chosen at first: the place list starts with its empty choice, and none is selected.
  const auto scope_list = form.body.substr(form.body.find(R"(<select id="scope")"));
  const auto scope_select = scope_list.substr(0, scope_list.find("</select>"));
  EXPECT_NE(scope_select.find(R"(<option value="">)"), std::string::npos) << scope_select;
  EXPECT_EQ(scope_select.find("selected"), std::string::npos) << scope_select;
  EXPECT_EQ(call(port(), "POST", "/api/v1/courses/" + cid + "/assignments", tokens_["manager"],
                 R"({"scope_kind":"organisation","scope_code":")" + org_ + R"(","dry_run":"true"})").status, 422);
  EXPECT_FALSE(enrolled("member1")) << "a mistyped dry_run enrols nobody";
  const std::string path = "/courses/" + cid + "/assign";
  EXPECT_EQ(post_form(port(), path, session, "scope=&deadline=").status, 422);
  const std::string choice = "scope=organisation%3A" + org_ + "&deadline=2099-06-30";
  auto asked = post_form(port(), path, session, choice);
  EXPECT_EQ(asked.status, 200);
  EXPECT_NE(asked.body.find("Kiểm tra trước khi giao"), std::string::npos) << asked.body;
  EXPECT_NE(asked.body.find("<strong data-people>2</strong>"), std::string::npos);
  EXPECT_NE(asked.body.find("30/06/2099"), std::string::npos) << "the deadline as a person reads it";
  EXPECT_NE(asked.body.find(R"(name="confirm" value="2")"), std::string::npos);
  EXPECT_FALSE(enrolled("member1")) << "asking enrols nobody";
  // A count that no longer holds (people joined or left since) asks again, saying so.
  auto stale = post_form(port(), path, session, choice + "&confirm=5");
  EXPECT_EQ(stale.status, 200);
  EXPECT_NE(stale.body.find("Số người đã thay đổi"), std::string::npos);
  EXPECT_FALSE(enrolled("member1"));
  auto done = post_form(port(), path, session, choice + "&confirm=2");
  EXPECT_EQ(done.status, 303);  // then a page that a reload does not post again
  EXPECT_EQ(done.header("Location"), path + "?done=2");
  auto after = call(port(), "GET", path + "?done=2", session);
  EXPECT_NE(after.body.find("Đã giao khóa học"), std::string::npos) << after.body;
  EXPECT_TRUE(enrolled("member1"));
  EXPECT_TRUE(enrolled("member2"));

  // Issue 11, item 10: the manager sees a member's learning from the member's page, and finds the
  // course's results from the course page; a learner sees no one's.
  const std::string member = ids_["member1"];
  auto person = call(port(), "GET", "/people/" + member, session);
  EXPECT_NE(person.body.find("/people/" + member + "/learning"), std::string::npos) << person.body;
  auto learning = call(port(), "GET", "/people/" + member + "/learning", session);
  ASSERT_EQ(learning.status, 200);
  EXPECT_NE(learning.body.find("30/06/2099"), std::string::npos) << learning.body;  // the deadline just given
  auto api = parse(call(port(), "GET", "/api/v1/people/" + member + "/enrollments", session));
  bool listed = false;
  for (const auto& e : api.at("items").as_array()) listed = listed || std::to_string(e.at("course_id").as_int64()) == cid;
  EXPECT_TRUE(listed);
  auto log = call(port(), "GET", "/api/v1/audit-log?subject=" + member, tokens_["national"]);
  EXPECT_NE(log.body.find("view_learning"), std::string::npos) << log.body;
  EXPECT_EQ(call(port(), "GET", "/api/v1/people/" + member + "/enrollments", tokens_["member2"]).status, 404);
  EXPECT_NE(call(port(), "GET", "/courses/" + cid, session).body.find("/courses/" + cid + "/gradebook"), std::string::npos);
  EXPECT_EQ(call(port(), "GET", "/courses/" + cid, tokens_["member2"]).body.find("/gradebook"), std::string::npos);
}

// The course form and the API create a course through the same operation: a taken slug is
// refused alike, naming the field, and so is a title too short.
TEST_F(Learning, TheCourseFormAndTheApiRefuseAlike) {
  const std::string body = R"({"provider_id":)" + org_ + R"(,"slug":"mot-ma","title":"Một mã"})";
  ASSERT_EQ(call(port(), "POST", "/api/v1/author/courses", tokens_["instructor"], body).status, 201);
  auto taken = call(port(), "POST", "/api/v1/author/courses", tokens_["instructor"], body);
  EXPECT_EQ(taken.status, 409);
  EXPECT_EQ(parse(taken).at("error").at("fields").at("slug").as_string(), "Mã khóa học này đã được dùng; hãy chọn mã khác.");
  auto page = post_form(port(), "/author/courses", tokens_["instructor"], "provider_id=" + org_ + "&slug=mot-ma&title=M%E1%BB%99t+m%C3%A3");
  EXPECT_EQ(page.status, 409);
  EXPECT_NE(page.body.find("Mã khóa học này đã được dùng; hãy chọn mã khác."), std::string::npos);
  auto short_title = post_form(port(), "/author/courses", tokens_["instructor"], "provider_id=" + org_ + "&slug=ma-khac&title=M");
  EXPECT_EQ(short_title.status, 422);
  EXPECT_NE(short_title.body.find("Tên khóa học dài từ 3 đến 200 ký tự."), std::string::npos);
  auto created = post_form(port(), "/author/courses", tokens_["instructor"], "provider_id=" + org_ + "&slug=ma-khac&title=M%C3%A3+kh%C3%A1c");
  EXPECT_EQ(created.status, 303);
  EXPECT_TRUE(created.header("Location").starts_with("/author/courses/")) << created.header("Location");
}

TEST_F(Learning, SignInComesBackToThePageThatAskedForIt) {
  auto asked = http_get(port(), "/lessons/1");
  EXPECT_EQ(asked.status, 303);
  EXPECT_EQ(asked.header("Location"), "/sign-in?next=/lessons/1");
  auto back = post_form(port(), "/sign-in", "", "login=0900200001&password=Hoc-vu-so%21&next=%2Flessons%2F1");
  EXPECT_EQ(back.status, 303);
  EXPECT_EQ(back.header("Location"), "/lessons/1");
  auto elsewhere = post_form(port(), "/sign-in", "", "login=0900200001&password=Hoc-vu-so%21&next=%2F%2Fevil.example%2F");
  EXPECT_EQ(elsewhere.header("Location"), "/me");  // never another site
}

TEST_F(Learning, ADatedRunEnrolsInItsWindowAndOpensOnItsFirstDay) {
  const std::string id = video_course("dot-hoc");
  auto settings = [&](const std::string& opens, const std::string& closes, const std::string& starts) {
    return post_form(port(), "/author/courses/" + id + "/settings", tokens_["instructor"],
                     "title=Video+ng%E1%BA%AFn&summary=M%E1%BB%99t+video.&groups=citizen&competencies=4.1%3A1&duration=5"
                     "&unlock=free&pacing=dated&enrol_opens=" + opens + "&enrol_closes=" + closes + "&starts=" + starts +
                     "&ends=2099-12-31");
  };
  auto bad = settings("2020-01-01", "2020-02-30", "2099-01-01");
  EXPECT_EQ(bad.status, 422);  // 30 February
  auto closed = settings("2020-01-01", "2020-01-31", "2099-01-01");
  ASSERT_EQ(closed.status, 303) << closed.body.substr(0, 500);
  auto refused = call(port(), "POST", "/api/v1/courses/" + id + "/enrollments", tokens_["learner"]);
  EXPECT_EQ(refused.status, 403);
  EXPECT_NE(refused.body.find("enrolment_closed"), std::string::npos);
  ASSERT_EQ(settings("2020-01-01", "2099-01-31", "2099-01-01").status, 303);
  EXPECT_EQ(call(port(), "POST", "/api/v1/courses/" + id + "/enrollments", tokens_["learner"]).status, 201);
  auto lesson = std::to_string(lesson_id(parse(call(port(), "GET", "/api/v1/courses/" + id, "")), 0));
  auto early = call(port(), "GET", "/api/v1/lessons/" + lesson, tokens_["learner"]);
  EXPECT_EQ(early.status, 403);
  EXPECT_NE(early.body.find("not_started"), std::string::npos);
  // Progress is refused the same way before the first day, and nothing is recorded.
  auto early_progress = call(port(), "POST", "/api/v1/progress", tokens_["learner"],
                             R"({"events":[{"lesson_id":)" + lesson + R"(,"block":"t","kind":"viewed"}]})");
  EXPECT_EQ(early_progress.status, 403) << early_progress.body;
  EXPECT_NE(early_progress.body.find("not_started"), std::string::npos) << early_progress.body;
  EXPECT_NE(early_progress.body.find("01/01/2099"), std::string::npos) << early_progress.body;
  EXPECT_EQ(post_form(port(), "/lessons/" + lesson + "/done", tokens_["learner"], "").status, 403);
  // Already enrolled: a closed window does not take the enrolment away.
  ASSERT_EQ(settings("2020-01-01", "2020-01-31", "2020-01-01").status, 303);
  EXPECT_EQ(call(port(), "POST", "/api/v1/courses/" + id + "/enrollments", tokens_["learner"]).status, 200);
  auto opened = call(port(), "GET", "/api/v1/lessons/" + lesson, tokens_["learner"]);
  ASSERT_EQ(opened.status, 200);
  EXPECT_FALSE(parse(opened).at("blocks").as_array()[1].at("done").as_bool()) << "recorded before the first day";
  EXPECT_EQ(parse(opened).at("percent_complete").as_int64(), 0);
  EXPECT_EQ(call(port(), "POST", "/api/v1/progress", tokens_["learner"],
                 R"({"events":[{"lesson_id":)" + lesson + R"(,"block":"t","kind":"viewed"}]})").status, 202);
}

// Every learning route against every role: who may read, enrol, author and assign.
TEST_F(Learning, EveryRouteAgainstEveryRole) {
  const std::string starter = std::to_string(slugs_["dien-thoai-thong-minh"]);
  auto created = call(port(), "POST", "/api/v1/author/courses", tokens_["instructor"],
                      R"({"provider_id":)" + org_ + R"(,"slug":"quyen-han","title":"Quyền hạn"})");
  ASSERT_EQ(created.status, 201);
  const std::string own = std::to_string(parse(created).at("id").as_int64());
  const std::string lesson = std::to_string(lesson_id(parse(call(port(), "GET", "/api/v1/courses/" + starter, "")), 0));
  const std::string assign = R"({"scope_kind":"organisation","scope_code":")" + org_ + R"("})";
  const char* roles[] = {"anonymous", "learner", "instructor", "outsider", "manager", "national"};
  struct Row {
    std::string method, path, body;
    std::array<int, 6> expect;  // anonymous, learner, instructor (org), outsider (instructor elsewhere), manager (org), national
  };
  const std::vector<Row> rows = {
      {"GET", "/api/v1/courses", "", {200, 200, 200, 200, 200, 200}},
      {"GET", "/api/v1/courses/" + starter, "", {200, 200, 200, 200, 200, 200}},
      {"GET", "/api/v1/courses/" + own, "", {404, 404, 404, 404, 404, 404}},  // never published
      {"GET", "/api/v1/lessons/" + lesson, "", {401, 403, 403, 403, 403, 403}},  // nobody here is enrolled
      {"GET", "/api/v1/me/enrollments", "", {401, 200, 200, 200, 200, 200}},
      {"GET", "/api/v1/author/courses/" + own, "", {401, 404, 200, 404, 200, 200}},
      {"GET", "/api/v1/author/courses/" + starter, "", {401, 404, 404, 404, 404, 200}},
      {"GET", "/api/v1/author/courses/" + own + "/package", "", {401, 404, 200, 404, 200, 200}},
      {"POST", "/api/v1/author/courses/" + own + "/publish", "", {401, 404, 422, 404, 422, 422}},
      {"PUT", "/api/v1/author/courses/" + own + "/draft", R"({"title":"Quyền hạn"})", {401, 404, 200, 404, 200, 200}},
      {"POST", "/api/v1/courses/" + starter + "/assignments", assign, {401, 403, 403, 403, 201, 201}},
      {"POST", "/api/v1/courses/" + own + "/assignments", assign, {401, 404, 404, 404, 404, 404}},
      {"GET", "/author", "", {303, 403, 200, 200, 200, 200}},
      {"GET", "/author/courses/" + own, "", {303, 404, 200, 404, 200, 200}},
      {"GET", "/courses/" + starter + "/assign", "", {303, 403, 403, 403, 200, 200}},
      {"GET", "/learn", "", {303, 200, 200, 200, 200, 200}},
      {"GET", "/lessons/" + lesson, "", {303, 303, 303, 303, 303, 303}},  // not enrolled: to the course page
      {"GET", "/classes", "", {303, 403, 200, 200, 200, 200}},
      {"GET", "/api/v1/classes", "", {401, 200, 200, 200, 200, 200}},
      {"POST", "/api/v1/classes", R"({"course_id":)" + starter + R"(,"name":"Lớp"})", {401, 403, 201, 201, 201, 201}},
      {"GET", "/classes/999999", "", {303, 404, 404, 404, 404, 404}},
  };
  for (const auto& row : rows)
    for (int i = 0; i < 6; ++i) {
      auto r = call(port(), row.method, row.path, tokens_[roles[i]], row.body);
      EXPECT_EQ(r.status, row.expect[static_cast<std::size_t>(i)]) << row.method << " " << row.path << " as " << roles[i] << ": " << r.body.substr(0, 200);
    }
}

}  // namespace
}  // namespace hocvu::testing
