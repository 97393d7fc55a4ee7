// The assessment API end to end (issue 5), on SQLite and PostgreSQL: question banks imported
// from GIFT and Moodle XML (all or nothing, or the valid questions only), export and re-import,
// question versions and regrades, quizzes with random draws, time limits and attempt rules,
// answers saved idempotently and never leaking the right answer before review, deadlines decided
// by the server's clock, course completion by a final exam, competency evidence, gradebooks, and
// every assessment route against every role.
//
// On PostgreSQL every suite of this binary shares one database: everything here uses its own
// people (0900500001.., CCCD 0011995000xx), organisations, course slugs (khao-thi-...) and banks.
#include "support/api.h"
#include "support/http_client.h"
#include "support/server_process.h"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <fstream>
#include <functional>
#include <mutex>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

namespace hocvu::testing {
namespace {

namespace json = boost::json;

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

double number(const json::value& v) {
  if (v.is_double()) return v.get_double();
  if (v.is_int64()) return static_cast<double>(v.get_int64());
  if (v.is_uint64()) return static_cast<double>(v.get_uint64());
  return -12345;  // never a score: fails the comparison it is in
}

std::string error_code(const HttpResponse& r) {
  auto v = parse(r);
  if (!v.is_object() || !v.as_object().contains("error")) return {};
  const auto* code = v.at("error").as_object().if_contains("code");
  return code && code->is_string() ? std::string(code->get_string()) : std::string();
}

// Milliseconds since the epoch, as the server writes them: "2026-12-01T02:00:00.000Z".
std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}
std::string iso(std::int64_t ms) {
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms % 1000));
  return buf;
}

// Every key of every object anywhere in `v`.
void collect_keys(const json::value& v, std::set<std::string>& keys) {
  if (v.is_object()) {
    for (const auto& [k, x] : v.get_object()) {
      keys.insert(std::string(k));
      collect_keys(x, keys);
    }
  } else if (v.is_array()) {
    for (const auto& x : v.get_array()) collect_keys(x, keys);
  }
}

// What an attempt must never show before it is closed: any of these as a key, or as a quoted
// word anywhere in the body.
const char* kAnswerKeys[] = {"fraction", "truth", "accepted", "numeric", "correct", "feedback"};

void expect_no_answers(const HttpResponse& r, const std::string& what) {
  std::set<std::string> keys;
  collect_keys(parse(r), keys);
  for (const char* k : kAnswerKeys) {
    EXPECT_EQ(keys.count(k), 0u) << what << ": key \"" << k << "\" in " << r.body.substr(0, 400);
    EXPECT_EQ(r.body.find(std::string("\"") + k + "\""), std::string::npos) << what << ": \"" << k << "\" in the body";
  }
}

// The question JSON an author sees, without what a bank gives it (id, version, updated_at).
json::array comparable(const json::value& bank) {
  json::array out;
  for (const auto& item : bank.at("items").as_array()) {
    json::object o = item.as_object();
    o.erase("id");
    o.erase("version");
    o.erase("updated_at");
    out.push_back(std::move(o));
  }
  return out;
}

// One question of each type, with an answer that earns the full mark and one that earns nothing.
struct Spec {
  json::object question;
  json::value right, wrong;
};

Spec spec_of(const std::string& type, const std::string& category, const std::string& competency) {
  json::object q{{"type", type}, {"category", category}, {"mark", 1},
                 {"competencies", competency.empty() ? json::array{} : json::array{json::value(competency)}}};
  Spec s;
  if (type == "single_choice") {
    q["name"] = "Mã OTP";
    q["text"] = "Ngân hàng gọi điện xin **mã OTP**. Bạn làm gì?";
    q["options"] = json::array{json::object{{"id", "a"}, {"text", "Từ chối và gọi tổng đài"}, {"fraction", 1}, {"feedback", "Đúng."}},
                               json::object{{"id", "b"}, {"text", "Đọc mã cho họ"}, {"fraction", 0}, {"feedback", "Không bao giờ."}},
                               json::object{{"id", "c"}, {"text", "Gửi qua Zalo"}, {"fraction", 0}, {"feedback", ""}}};
    s.right = "a";
    s.wrong = "b";
  } else if (type == "multiple_choice") {
    q["name"] = "Dấu hiệu";
    q["text"] = "Dấu hiệu nào cho thấy tin nhắn lừa đảo?";
    q["options"] = json::array{json::object{{"id", "a"}, {"text", "Thúc giục làm ngay"}, {"fraction", 0.5}},
                               json::object{{"id", "b"}, {"text", "Đường dẫn lạ"}, {"fraction", 0.5}},
                               json::object{{"id", "c"}, {"text", "Số tổng đài in trên thẻ"}, {"fraction", -1}}};
    s.right = json::array{"a", "b"};
    s.wrong = json::array{"c"};
  } else if (type == "true_false") {
    q["name"] = "Đường dẫn rút gọn";
    q["text"] = "Mọi đường dẫn rút gọn đều an toàn.";
    q["truth"] = false;
    q["true_feedback"] = "Sai rồi.";
    q["false_feedback"] = "Chính xác.";
    s.right = false;
    s.wrong = true;
  } else if (type == "short_answer") {
    q["name"] = "Xác thực hai lớp";
    q["text"] = "Viết tắt của xác thực hai lớp là gì?";
    q["accepted"] = json::array{json::object{{"text", "2FA"}, {"fraction", 1}, {"feedback", "Đúng."}}};
    s.right = "2fa";
    s.wrong = "OTP";
  } else if (type == "numerical") {
    q["name"] = "Độ dài";
    q["text"] = "Mật khẩu mạnh nên có ít nhất bao nhiêu ký tự?";
    q["numeric"] = json::array{json::object{{"value", 12}, {"tolerance", 0.5}, {"fraction", 1}}};
    s.right = 12.25;
    s.wrong = 4;
  } else if (type == "matching") {
    q["name"] = "Ghép";
    q["text"] = "Ghép khái niệm với mô tả.";
    q["pairs"] = json::array{json::object{{"id", "a"}, {"prompt", "Phishing"}, {"answer", "Giả mạo để lấy thông tin"}},
                             json::object{{"id", "b"}, {"prompt", "Mã độc"}, {"answer", "Phần mềm gây hại"}},
                             json::object{{"id", "c"}, {"prompt", ""}, {"answer", "Mật khẩu dùng chung"}}};
    s.right = json::object{{"a", "Giả mạo để lấy thông tin"}, {"b", "Phần mềm gây hại"}};
    s.wrong = json::object{{"a", "Phần mềm gây hại"}, {"b", "Mật khẩu dùng chung"}};
  } else if (type == "ordering") {
    q["name"] = "Thứ tự";
    q["text"] = "Sắp xếp các bước khi nghi ngờ bị lừa đảo.";
    q["items"] = json::array{json::object{{"id", "a"}, {"text", "Dừng giao dịch"}},
                             json::object{{"id", "b"}, {"text", "Gọi ngân hàng"}},
                             json::object{{"id", "c"}, {"text", "Báo công an"}}};
    s.right = json::array{"a", "b", "c"};
    s.wrong = json::array{"b", "c", "a"};  // no item in its place
  } else if (type == "fill_blanks") {
    q["name"] = "Điền";
    q["text"] = "Mã OTP {1} được chia sẻ cho {2}.";
    q["blanks"] = json::array{json::object{{"accepted", json::array{json::object{{"text", "không"}, {"fraction", 1}}}}},
                              json::object{{"accepted", json::array{json::object{{"text", "ai"}, {"fraction", 1}}}}}};
    s.right = json::array{"không", "ai"};
    s.wrong = json::array{"có", "mọi người"};
  }
  s.question = std::move(q);
  return s;
}

// A learner names options and items by their position in the order drawn for the attempt ("1",
// "2", ...), never by the author's ids. The learner's form of `author`, an answer value in the
// author's ids to question `qid` (whose spec is `question`) in `attempt` (an attempt's JSON):
// each option or item id of the spec is found by its text among the question's "options" or
// "items" there. Other types pass unchanged.
json::value positions(const json::value& attempt, const std::string& qid, const json::object& question, const json::value& author) {
  const std::string type(question.at("type").as_string());
  const char* list = type == "ordering" ? "items" : "options";
  if (type != "single_choice" && type != "multiple_choice" && type != "ordering") return author;
  const json::object* shown = nullptr;
  if (attempt.is_object() && attempt.as_object().contains("questions"))
    for (const auto& q : attempt.at("questions").as_array())
      if (q.at("id").as_string() == qid) shown = &q.as_object();
  auto one = [&](const json::value& id) -> json::value {
    std::string text;
    for (const auto& o : question.at(list).as_array())
      if (o.at("id") == id) text = std::string(o.at("text").as_string());
    if (shown)
      for (const auto& o : shown->at(list).as_array())
        if (o.at("text").as_string() == text) return o.at("id");
    ADD_FAILURE() << "no " << list << " \"" << text << "\" (author id " << json::serialize(id) << ") of " << qid
                  << " in the attempt: " << json::serialize(attempt).substr(0, 400);
    return "?";
  };
  if (author.is_string()) return one(author);
  json::array out;
  for (const auto& id : author.as_array()) out.push_back(one(id));
  return out;
}

const char* kTypes[] = {"single_choice", "multiple_choice", "true_false", "short_answer",
                        "numerical",     "matching",        "ordering",   "fill_blanks"};

class Assessment : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // No grace after a deadline, so that the deadline test takes seconds.
    server_ = new ServerProcess(std::map<std::string, std::string>{{"HOCVU_EXAM_GRACE_SECONDS", "0"}});
    const int port = server_->port();
    std::map<std::string, std::string> env{{"HOCVU_DATA_DIR", server_->data_dir()}};
    if (const char* url = std::getenv("HOCVU_TEST_DATABASE_URL"); url && *url) env["HOCVU_DATABASE_URL"] = url;
    auto seed = run_command({ServerProcess::binary(), "seed", "--demo"}, env);  // another suite may have seeded it
    ASSERT_EQ(seed.status, 0) << seed.output;
    auto admin = run_command({"/bin/sh", "-c", "printf 'Quan-tri-2025!\\n' | \"$HOCVU_BINARY\" create-admin --login 0900000001 --name 'Quản Trị Viên'"}, env);
    ASSERT_EQ(admin.status, 0) << admin.output;
    tokens_["national"] = token_for(port, "0900000001", "Quan-tri-2025!");
    ASSERT_FALSE(tokens_["national"].empty());

    struct P { const char* key; const char* cccd; const char* phone; const char* name; };
    const P people[] = {{"learner", "001199500001", "0900500001", "Lò Văn Thi"},
                        {"learner2", "001199500002", "0900500002", "Bạc Thị Khác"},
                        {"author", "001199500003", "0900500003", "Giảng Viên Khảo Thí"},
                        {"outsider", "001199500004", "0900500004", "Giảng Viên Nơi Khác"},
                        {"manager", "001199500005", "0900500005", "Quản Lý Khảo Thí"},
                        {"finisher", "001199500006", "0900500006", "Người Học Xong"},
                        {"early", "001199500007", "0900500007", "Người Thi Trước"},
                        {"timer", "001199500008", "0900500008", "Người Hết Giờ"},
                        {"limits", "001199500009", "0900500009", "Người Thử Lại"},
                        {"fresh", "001199500010", "0900500010", "Người Chưa Thi"},
                        {"manager2", "001199500011", "0900500011", "Quản Lý Nơi Khác"},
                        {"racer", "001199500012", "0900500012", "Người Bấm Nhanh"},
                        {"slow", "001199500013", "0900500013", "Người Mạng Chậm"},
                        {"placed", "001199500014", "0900500014", "Người Thi Đầu Vào"},
                        {"expiring", "001199500015", "0900500015", "Người Để Quá Giờ"},
                        {"viewer", "001199500016", "0900500016", "Người Xem Ảnh"}};
    for (const auto& p : people) {
      ids_[p.key] = register_person(port, p.cccd, p.phone, p.name, "citizen");
      ASSERT_FALSE(ids_[p.key].empty()) << p.key;
      tokens_[p.key] = token_for(port, p.phone);
      ASSERT_FALSE(tokens_[p.key].empty()) << p.key;
    }
    tokens_["anonymous"] = "";
    auto org = call(port, "POST", "/api/v1/organisations", tokens_["national"],
                    R"({"name":"Trung tâm Khảo thí Mẫu","kind":"school","unit_code":"01"})");
    ASSERT_EQ(org.status, 201) << org.body;
    org_ = std::to_string(parse(org).at("id").as_int64());
    auto other = call(port, "POST", "/api/v1/organisations", tokens_["national"],
                      R"({"name":"Trường Khảo thí Nơi Khác","kind":"school","unit_code":"79"})");
    ASSERT_EQ(other.status, 201) << other.body;
    other_org_ = std::to_string(parse(other).at("id").as_int64());
    // The learner belongs to the organisation; learner2 to the other one.
    ASSERT_EQ(call(port, "POST", "/api/v1/organisations/" + org_ + "/members", tokens_["national"],
                   R"({"person_id":)" + ids_["learner"] + "}").status, 201);
    ASSERT_EQ(call(port, "POST", "/api/v1/organisations/" + other_org_ + "/members", tokens_["national"],
                   R"({"person_id":)" + ids_["learner2"] + "}").status, 201);
    auto grant = [&](const std::string& who, const std::string& role, const std::string& org_id) {
      auto r = call(port, "POST", "/api/v1/people/" + ids_[who] + "/roles", tokens_["national"],
                    R"({"role":")" + role + R"(","scope_kind":"organisation","scope_code":")" + org_id + R"("})");
      ASSERT_EQ(r.status, 201) << who << ": " << r.body;
    };
    grant("author", "instructor", org_);
    grant("manager", "org_manager", org_);
    grant("outsider", "instructor", other_org_);
    grant("manager2", "org_manager", other_org_);
  }
  static void TearDownTestSuite() { delete server_; }

  int port() const { return server_->port(); }
  HttpResponse as(const std::string& who, const std::string& method, const std::string& path, const std::string& body = "",
                  const std::string& content_type = "application/json") {
    return call(port(), method, path, tokens_[who], body, content_type);
  }

  // A published course of the organisation with `lessons` lessons of one reading each; its id.
  std::string course(const std::string& slug, int lessons = 1) {
    auto created = as("author", "POST", "/api/v1/author/courses", R"({"provider_id":)" + org_ + R"(,"slug":")" + slug + R"(","title":"Khảo thí"})");
    EXPECT_EQ(created.status, 201) << created.body;
    if (created.status != 201) return "0";
    const std::string id = std::to_string(parse(created).at("id").as_int64());
    json::array list;
    for (int i = 0; i < lessons; ++i)
      list.push_back(json::object{{"key", "l" + std::to_string(i)}, {"title", "Bài " + std::to_string(i + 1)},
                                  {"blocks", json::array{json::object{{"key", "t" + std::to_string(i)}, {"kind", "text"},
                                                                      {"markdown", "Đọc **kỹ** trước khi thi."}}}}});
    json::object draft{{"title", "Khảo thí " + slug}, {"summary", "Một khóa để kiểm tra."}, {"target_groups", json::array{"citizen"}},
                       {"competencies", json::array{json::object{{"code", "4.1"}, {"level", 1}}}}, {"duration_minutes", 5},
                       {"unlock", "free"},
                       {"sections", json::array{json::object{{"key", "s"}, {"title", "Phần"}, {"lessons", std::move(list)}}}}};
    auto put = as("author", "PUT", "/api/v1/author/courses/" + id + "/draft", json::serialize(draft));
    EXPECT_EQ(put.status, 200) << put.body;
    auto pub = as("author", "POST", "/api/v1/author/courses/" + id + "/publish");
    EXPECT_EQ(pub.status, 200) << pub.body;
    return id;
  }

  // A new bank of the organisation (or of `provider` as `who`); its id.
  std::string bank(const std::string& title, const std::string& who = "author", std::string provider = "") {
    if (provider.empty()) provider = org_;
    auto r = as(who, "POST", "/api/v1/banks", json::serialize(json::object{{"provider_id", std::stoll(provider)}, {"title", title}}));
    EXPECT_EQ(r.status, 201) << r.body;
    return r.status == 201 ? std::to_string(parse(r).at("id").as_int64()) : "0";
  }

  // Adds a question to the bank; its id ("q1", ...).
  std::string add_question(const std::string& bank_id, const json::object& q, const std::string& who = "author") {
    auto r = as(who, "POST", "/api/v1/banks/" + bank_id + "/questions", json::serialize(q));
    EXPECT_EQ(r.status, 201) << r.body;
    return r.status == 201 ? std::string(parse(r).at("id").as_string()) : "";
  }

  // Creates a quiz; its id. Expects no problems.
  std::string quiz(const std::string& bank_id, const std::string& course_id, const std::string& kind, json::object settings,
                   const std::string& who = "author") {
    json::object body{{"bank_id", std::stoll(bank_id)}, {"course_id", std::stoll(course_id)}, {"kind", kind},
                      {"title", "Bài kiểm tra " + kind}, {"settings", std::move(settings)}};
    auto r = as(who, "POST", "/api/v1/quizzes", json::serialize(body));
    EXPECT_EQ(r.status, 201) << r.body;
    if (r.status != 201) return "0";
    EXPECT_TRUE(parse(r).at("problems").as_array().empty()) << r.body;
    return std::to_string(parse(r).at("id").as_int64());
  }

  void enrol(const std::string& who, const std::string& course_id) {
    auto r = as(who, "POST", "/api/v1/courses/" + course_id + "/enrollments");
    EXPECT_TRUE(r.status == 201 || r.status == 200) << who << ": " << r.status << " " << r.body;
  }

  HttpResponse start(const std::string& who, const std::string& quiz_id) { return as(who, "POST", "/api/v1/quizzes/" + quiz_id + "/attempts"); }

  // A bank of its own (`title`) with one single-choice question, a section quiz of it in a
  // published course (`slug`), and the learner's attempt at it, started.
  struct OneQuestion {
    Spec spec;
    std::string bank, question, course, quiz, attempt;
  };
  OneQuestion one_question_attempt(const std::string& title, const std::string& slug) {
    OneQuestion o{spec_of("single_choice", "", "4.1"), bank(title), "", "", "", ""};
    o.question = add_question(o.bank, o.spec.question);
    o.course = course(slug);
    o.quiz = quiz(o.bank, o.course, "section", json::object{{"fixed", json::array{json::value(o.question)}}});
    enrol("learner", o.course);
    auto started = start("learner", o.quiz);
    EXPECT_EQ(started.status, 201) << started.body;
    o.attempt = started.status == 201 ? id_of(started) : "0";
    return o;
  }
  HttpResponse save(const std::string& who, const std::string& attempt, const std::string& question, const json::value& value) {
    return as(who, "PUT", "/api/v1/attempts/" + attempt + "/answers/" + question, json::serialize(json::object{{"value", value}}));
  }
  HttpResponse submit(const std::string& who, const std::string& attempt) { return as(who, "POST", "/api/v1/attempts/" + attempt + "/submit"); }
  static std::string id_of(const HttpResponse& r) {
    auto v = parse(r);
    return v.is_object() && v.as_object().contains("id") ? std::to_string(v.at("id").as_int64()) : "0";
  }

  // The learner's enrolment in the course from /me/enrollments (null when absent).
  json::value enrolment(const std::string& who, const std::string& course_id) {
    auto mine = parse(as(who, "GET", "/api/v1/me/enrollments"));
    for (const auto& e : mine.at("items").as_array())
      if (std::to_string(e.at("course_id").as_int64()) == course_id) return e;
    return nullptr;
  }

  // Views every block of every lesson of the course and answers each question (its first option).
  void finish_lessons(const std::string& who, const std::string& course_id) {
    auto c = parse(call(port(), "GET", "/api/v1/courses/" + course_id, ""));
    for (const auto& s : c.at("sections").as_array())
      for (const auto& l : s.at("lessons").as_array()) {
        const auto lesson_id = l.at("id").as_int64();
        auto lesson = parse(as(who, "GET", "/api/v1/lessons/" + std::to_string(lesson_id)));
        ASSERT_TRUE(lesson.as_object().contains("blocks")) << json::serialize(lesson);
        json::array events;
        for (const auto& b : lesson.at("blocks").as_array()) {
          json::object e{{"lesson_id", lesson_id}, {"block", b.at("key")}};
          if (b.at("kind").as_string() == "question") {
            e["kind"] = "answer";
            e["answer"] = 0;
          } else {
            e["kind"] = "viewed";
          }
          events.push_back(e);
        }
        auto r = as(who, "POST", "/api/v1/progress", json::serialize(json::object{{"events", events}}));
        ASSERT_EQ(r.status, 202) << r.body;
      }
  }

  static ServerProcess* server_;
  static std::map<std::string, std::string> ids_, tokens_;
  static std::string org_, other_org_;
};
ServerProcess* Assessment::server_ = nullptr;
std::map<std::string, std::string> Assessment::ids_, Assessment::tokens_;
std::string Assessment::org_, Assessment::other_org_;

// ---- banks: import, export -----------------------------------------------------------------

TEST_F(Assessment, AGiftFileWithAnErrorImportsNothingUnlessOnlyTheValidQuestionsAreAskedFor) {
  struct Case {
    const char* name;
    std::string gift;
    std::vector<int> error_lines;
    std::vector<int> skipped_lines;
    std::size_t valid;
  };
  const std::vector<Case> cases{
      {"unclosed_brace", "Một {T}\n\nHai {\n=a\n~b\n", {3}, {}, 1},
      {"arrow_in_choice_after_an_essay", "::Cảm nghĩ::Viết về an toàn mạng. {}\n\nCâu {\n=a -> 1\n~b\n}\n\nBa {F}\n", {5}, {1}, 1},
      {"bad_number", "// số\nSố?\n{#3,14}\n\nBốn {T}\n\nNăm {=đúng ~sai}\n", {3}, {}, 2},
      {"two_errors", "A {=}\n\nB {T}\n\nC {~%150%a ~b}\n", {1, 5}, {}, 1},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const std::string b = bank(std::string("Nhập GIFT ") + c.name);
    for (const std::string mode : {"", "&mode=all"}) {
      auto all = as("author", "POST", "/api/v1/banks/" + b + "/import?format=gift" + mode, c.gift, "text/plain");
      EXPECT_EQ(all.status, 422) << all.body;
      EXPECT_EQ(error_code(all), "invalid_import") << all.body;
      std::vector<int> lines;
      for (const auto& e : json::array(parse(all).at("errors").as_array())) {
        lines.push_back(static_cast<int>(e.at("line").as_int64()));
        EXPECT_FALSE(e.at("message").as_string().empty());
      }
      EXPECT_EQ(lines, c.error_lines) << all.body;
      auto after = parse(as("author", "GET", "/api/v1/banks/" + b));
      EXPECT_EQ(after.at("questions").as_int64(), 0) << "nothing imported";
      EXPECT_TRUE(after.at("items").as_array().empty());
    }
    auto valid = as("author", "POST", "/api/v1/banks/" + b + "/import?format=gift&mode=valid_only", c.gift, "text/plain");
    ASSERT_EQ(valid.status, 200) << valid.body;
    auto report = parse(valid);
    EXPECT_EQ(report.at("imported").as_int64(), static_cast<std::int64_t>(c.valid));
    EXPECT_EQ(report.at("questions").as_array().size(), c.valid);
    std::vector<int> lines, skipped;
    for (const auto& e : report.at("errors").as_array()) lines.push_back(static_cast<int>(e.at("line").as_int64()));
    for (const auto& l : report.at("skipped_lines").as_array()) skipped.push_back(static_cast<int>(l.as_int64()));
    EXPECT_EQ(lines, c.error_lines);
    EXPECT_EQ(skipped, c.skipped_lines);
    auto after = parse(as("author", "GET", "/api/v1/banks/" + b));
    EXPECT_EQ(after.at("questions").as_int64(), static_cast<std::int64_t>(c.valid));
    EXPECT_EQ(after.at("items").as_array().size(), c.valid);
    for (const auto& q : after.at("items").as_array()) EXPECT_EQ(q.at("version").as_int64(), 1);
  }
  // Neither a format nor a mode it does not know; an empty file imports nothing.
  const std::string b = bank("Nhập GIFT sai tham số");
  EXPECT_EQ(as("author", "POST", "/api/v1/banks/" + b + "/import?format=docx", "Một {T}", "text/plain").status, 422);
  EXPECT_EQ(as("author", "POST", "/api/v1/banks/" + b + "/import?format=gift&mode=some", "Một {T}", "text/plain").status, 422);
  EXPECT_EQ(as("author", "POST", "/api/v1/banks/" + b + "/import?format=gift", "// chỉ có chú thích\n", "text/plain").status, 422);
  EXPECT_EQ(parse(as("author", "GET", "/api/v1/banks/" + b)).at("questions").as_int64(), 0);
}

TEST_F(Assessment, MoodleXmlImportsByTypeAndRefusesBrokenOrDangerousDocuments) {
  const std::string xml = read_file(std::string(HOCVU_TEST_DATA_DIR) + "/moodle/an-toan.xml");
  ASSERT_FALSE(xml.empty());
  const std::string b = bank("Nhập Moodle XML");
  auto r = as("author", "POST", "/api/v1/banks/" + b + "/import?format=moodle_xml", xml, "application/xml");
  ASSERT_EQ(r.status, 200) << r.body;
  auto report = parse(r);
  EXPECT_EQ(report.at("imported").as_int64(), 7);
  EXPECT_TRUE(report.at("errors").as_array().empty());
  ASSERT_EQ(report.at("skipped_lines").as_array().size(), 1u);  // the essay
  EXPECT_EQ(report.at("skipped_lines").as_array()[0].as_int64(), 166);
  auto stored = parse(as("author", "GET", "/api/v1/banks/" + b));
  std::vector<std::string> types;
  for (const auto& q : stored.at("items").as_array()) types.emplace_back(q.at("type").as_string());
  EXPECT_EQ(types, (std::vector<std::string>{"single_choice", "multiple_choice", "true_false", "short_answer", "numerical",
                                             "matching", "ordering"}));
  EXPECT_EQ(stored.at("items").as_array()[0].at("category").as_string(), "An toàn/Lừa đảo");

  const std::string head = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  struct Bad {
    const char* name;
    std::string xml;
    int line;
  };
  const std::vector<Bad> bad{
      {"not_well_formed", head + "<quiz>\n<question type=\"truefalse\">\n<questiontext><text>A</text>\n</quiz>\n", 0},
      {"external_entity", head + "<!DOCTYPE quiz [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n<quiz><question type=\"truefalse\">"
                                 "<questiontext><text>&x;</text></questiontext><answer fraction=\"100\"><text>true</text></answer>"
                                 "<answer fraction=\"0\"><text>false</text></answer></question></quiz>\n", 0},
      {"bad_fraction", head + "<quiz>\n<question type=\"multichoice\">\n<questiontext><text>Chọn</text></questiontext>\n"
                              "<single>true</single>\n<answer fraction=\"abc\"><text>A</text></answer>\n"
                              "<answer fraction=\"0\"><text>B</text></answer>\n</question>\n"
                              "<question type=\"truefalse\">\n<questiontext><text>Đúng?</text></questiontext>\n"
                              "<answer fraction=\"100\"><text>true</text></answer>\n<answer fraction=\"0\"><text>false</text></answer>\n"
                              "</question>\n</quiz>\n", 6},  // the line of the bad answer
  };
  for (const auto& c : bad) {
    SCOPED_TRACE(c.name);
    const std::string fresh = bank(std::string("Moodle hỏng ") + c.name);
    auto refused = as("author", "POST", "/api/v1/banks/" + fresh + "/import?format=moodle_xml", c.xml, "application/xml");
    EXPECT_EQ(refused.status, 422) << refused.body;
    EXPECT_EQ(error_code(refused), "invalid_import");
    ASSERT_FALSE(parse(refused).at("errors").as_array().empty()) << refused.body;
    if (c.line) {
      EXPECT_EQ(parse(refused).at("errors").as_array()[0].at("line").as_int64(), c.line) << refused.body;
    }
    EXPECT_EQ(parse(as("author", "GET", "/api/v1/banks/" + fresh)).at("questions").as_int64(), 0);
    EXPECT_EQ(refused.body.find("root:"), std::string::npos);  // nothing of /etc/passwd
  }
}

TEST_F(Assessment, AnExportedBankImportsIntoAFreshBankAsTheSameQuestions) {
  struct Case {
    const char* format;
    std::string file;
    const char* content_type;
    std::size_t count;
  };
  const std::vector<Case> cases{{"gift", "/gift/an-toan.gift", "text/plain", 10}, {"moodle_xml", "/moodle/an-toan.xml", "application/xml", 7}};
  for (const auto& c : cases) {
    SCOPED_TRACE(c.format);
    const std::string source = bank(std::string("Xuất ") + c.format);
    auto imported = as("author", "POST", "/api/v1/banks/" + source + "/import?format=" + c.format,
                       read_file(std::string(HOCVU_TEST_DATA_DIR) + c.file), c.content_type);
    ASSERT_EQ(imported.status, 200) << imported.body;
    auto exported = as("author", "GET", "/api/v1/banks/" + source + "/export?format=" + c.format);
    ASSERT_EQ(exported.status, 200) << exported.body;
    EXPECT_NE(exported.header("Content-Disposition").find("attachment"), std::string::npos);
    EXPECT_NE(exported.header("Content-Type").find(std::string(c.format) == "gift" ? "text/plain" : "application/xml"), std::string::npos);
    const std::string copy = bank(std::string("Nhập lại ") + c.format);
    auto again = as("author", "POST", "/api/v1/banks/" + copy + "/import?format=" + c.format, exported.body, c.content_type);
    ASSERT_EQ(again.status, 200) << again.body;
    EXPECT_TRUE(parse(again).at("errors").as_array().empty()) << again.body;
    auto a = comparable(parse(as("author", "GET", "/api/v1/banks/" + source)));
    auto b = comparable(parse(as("author", "GET", "/api/v1/banks/" + copy)));
    EXPECT_EQ(a.size(), c.count);
    EXPECT_EQ(json::serialize(a), json::serialize(b));
  }
  EXPECT_EQ(as("author", "GET", "/api/v1/banks/" + bank("Xuất sai") + "/export?format=pdf").status, 422);
}

// ---- questions: versions, regrades ---------------------------------------------------------

TEST_F(Assessment, EditingAQuestionMakesAVersionAndARegradeIsExplicitAndLogged) {
  const std::string b = bank("Phiên bản");
  Spec s = spec_of("single_choice", "Phiên bản", "4.2");
  auto created = as("author", "POST", "/api/v1/banks/" + b + "/questions", json::serialize(s.question));
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string q = std::string(parse(created).at("id").as_string());
  EXPECT_EQ(parse(created).at("version").as_int64(), 1);
  // The same body again: no new version.
  auto same = as("author", "PUT", "/api/v1/banks/" + b + "/questions/" + q, json::serialize(s.question));
  ASSERT_EQ(same.status, 200) << same.body;
  EXPECT_EQ(parse(same).at("version").as_int64(), 1);
  EXPECT_FALSE(parse(same).at("changed").as_bool());
  // Questions that cannot be graded fairly are refused; so are shapes that are not questions.
  json::object no_right = s.question;
  for (auto& o : no_right["options"].as_array()) o.as_object()["fraction"] = 0;
  auto refused = as("author", "PUT", "/api/v1/banks/" + b + "/questions/" + q, json::serialize(no_right));
  EXPECT_EQ(refused.status, 422) << refused.body;
  EXPECT_EQ(error_code(refused), "invalid_question");
  EXPECT_EQ(as("author", "POST", "/api/v1/banks/" + b + "/questions", R"({"type":"essay","text":"Viết"})").status, 422);
  // A body that is not a JSON object is a bad request, as on every API route.
  EXPECT_EQ(as("author", "POST", "/api/v1/banks/" + b + "/questions", "[1,2]").status, 400);
  EXPECT_EQ(as("author", "POST", "/api/v1/banks/" + b + "/questions", "{", "application/json").status, 400);
  EXPECT_EQ(as("author", "POST", "/api/v1/banks/" + b + "/questions", json::serialize(s.question), "text/plain").status, 415);
  EXPECT_EQ(as("author", "PUT", "/api/v1/banks/" + b + "/questions/q999", json::serialize(s.question)).status, 404);
  EXPECT_EQ(parse(as("author", "GET", "/api/v1/banks/" + b)).at("items").as_array()[0].at("version").as_int64(), 1);

  const std::string cid = course("khao-thi-phien-ban");
  const std::string quiz_id = quiz(b, cid, "section", json::object{{"fixed", json::array{json::value(q)}}, {"review", "correct"}});
  enrol("learner", cid);
  enrol("learner2", cid);
  auto started = start("learner", quiz_id);
  ASSERT_EQ(started.status, 201) << started.body;
  const std::string attempt = id_of(started);
  EXPECT_EQ(save("learner", attempt, q, positions(parse(started), q, s.question, "a")).status, 200);  // right in version 1

  // The author makes "b" the right option: version 2.
  json::object v2 = s.question;
  v2["options"].as_array()[0].as_object()["fraction"] = 0;
  v2["options"].as_array()[1].as_object()["fraction"] = 1;
  auto edited = as("author", "PUT", "/api/v1/banks/" + b + "/questions/" + q, json::serialize(v2));
  ASSERT_EQ(edited.status, 200) << edited.body;
  EXPECT_EQ(parse(edited).at("version").as_int64(), 2);
  EXPECT_TRUE(parse(edited).at("changed").as_bool());
  auto stored = parse(as("author", "GET", "/api/v1/banks/" + b)).at("items").as_array()[0];
  EXPECT_EQ(stored.at("version").as_int64(), 2);
  EXPECT_EQ(number(stored.at("options").as_array()[1].at("fraction")), 1);

  // The attempt started before the edit is graded with the version it drew.
  auto graded = parse(submit("learner", attempt));
  EXPECT_EQ(number(graded.at("score")), 1) << json::serialize(graded);
  EXPECT_TRUE(graded.at("passed").as_bool());
  EXPECT_EQ(graded.at("questions").as_array()[0].at("correct"), positions(graded, q, s.question, "a"));
  // One started after it draws version 2.
  auto later = start("learner2", quiz_id);
  ASSERT_EQ(later.status, 201) << later.body;
  const std::string later_attempt = id_of(later);
  ASSERT_EQ(save("learner2", later_attempt, q, positions(parse(later), q, v2, "b")).status, 200);
  EXPECT_EQ(number(parse(submit("learner2", later_attempt)).at("score")), 1);

  // Nothing changes until the author asks for a regrade; then only the old attempt changes.
  EXPECT_EQ(number(parse(as("learner", "GET", "/api/v1/attempts/" + attempt)).at("score")), 1);
  auto evidence_42 = [&]() -> json::value {
    for (const auto& c : json::array(parse(as("learner", "GET", "/api/v1/me/competencies")).at("competencies").as_array()))
      if (c.at("code").as_string() == "4.2") return c;
    return nullptr;
  };
  const json::value before = evidence_42();
  ASSERT_TRUE(before.is_object());
  auto regrade = as("author", "POST", "/api/v1/quizzes/" + quiz_id + "/regrade");
  ASSERT_EQ(regrade.status, 200) << regrade.body;
  EXPECT_EQ(parse(regrade).at("regraded").as_int64(), 1);
  auto after = parse(as("learner", "GET", "/api/v1/attempts/" + attempt));
  EXPECT_EQ(number(after.at("score")), 0) << json::serialize(after);
  EXPECT_FALSE(after.at("passed").as_bool());
  EXPECT_EQ(number(parse(as("learner2", "GET", "/api/v1/attempts/" + later_attempt)).at("score")), 1);
  // The evidence moves with the grade: as many answers, one right answer fewer.
  const json::value moved = evidence_42();
  ASSERT_TRUE(moved.is_object());
  const double answered = static_cast<double>(before.at("answered").as_int64());
  EXPECT_EQ(moved.at("answered"), before.at("answered"));
  EXPECT_NEAR(number(moved.at("share_correct")), number(before.at("share_correct")) - 1 / answered, 0.002)
      << json::serialize(before) << " → " << json::serialize(moved);
  auto events = parse(as("author", "GET", "/api/v1/attempts/" + attempt + "/events"));
  std::vector<std::string> kinds;
  std::string regraded_detail;
  for (const auto& e : events.at("items").as_array()) {
    kinds.emplace_back(e.at("kind").as_string());
    if (e.at("kind").as_string() == "regraded") regraded_detail = std::string(e.at("detail").as_string());
  }
  EXPECT_EQ(kinds, (std::vector<std::string>{"started", "saved", "submitted", "graded", "regraded"})) << json::serialize(events);
  EXPECT_NE(regraded_detail.find(q + " v1"), std::string::npos) << regraded_detail;
  // A second regrade finds nothing to change.
  EXPECT_EQ(parse(as("author", "POST", "/api/v1/quizzes/" + quiz_id + "/regrade")).at("regraded").as_int64(), 0);
  // The author changes their mind: "a" is right again (version 3). A regrade gives both attempts
  // their grade under version 3, and the evidence comes back to where it was: what a regrade
  // takes away is what the previous grading gave, not what the version drawn would give.
  json::object v3 = s.question;
  v3["text"] = "Ngân hàng gọi điện xin mã OTP. Bạn nên làm gì?";
  auto back = as("author", "PUT", "/api/v1/banks/" + b + "/questions/" + q, json::serialize(v3));
  ASSERT_EQ(back.status, 200) << back.body;
  EXPECT_EQ(parse(back).at("version").as_int64(), 3);
  auto third = as("author", "POST", "/api/v1/quizzes/" + quiz_id + "/regrade");
  ASSERT_EQ(third.status, 200) << third.body;
  EXPECT_EQ(parse(third).at("regraded").as_int64(), 2);
  EXPECT_EQ(number(parse(as("learner", "GET", "/api/v1/attempts/" + attempt)).at("score")), 1);
  EXPECT_EQ(number(parse(as("learner2", "GET", "/api/v1/attempts/" + later_attempt)).at("score")), 0);
  const json::value restored = evidence_42();
  ASSERT_TRUE(restored.is_object());
  EXPECT_EQ(restored.at("answered"), before.at("answered"));
  EXPECT_NEAR(number(restored.at("share_correct")), number(before.at("share_correct")), 0.002)
      << json::serialize(before) << " → " << json::serialize(moved) << " → " << json::serialize(restored);
}

// ---- attempts ------------------------------------------------------------------------------

TEST_F(Assessment, AFinalExamDrawsAtRandomKeepsItsAnswersSecretAndGradesOnce) {
  const std::string b = bank("Thi cuối khóa");
  std::map<std::string, Spec> specs;  // by question id
  std::set<std::string> scams, passwords;
  for (const char* type : {"single_choice", "multiple_choice", "true_false", "short_answer"}) {
    Spec s = spec_of(type, "An toàn/Lừa đảo", "4.2");
    auto id = add_question(b, s.question);
    scams.insert(id);
    specs[id] = s;
  }
  for (const char* type : {"numerical", "matching", "ordering"}) {
    Spec s = spec_of(type, "Mật khẩu", "4.1");
    auto id = add_question(b, s.question);
    passwords.insert(id);
    specs[id] = s;
  }
  const std::string never = add_question(b, spec_of("fill_blanks", "Khác", "").question);
  const std::string cid = course("khao-thi-cuoi-khoa");
  json::object settings{{"draws", json::array{json::object{{"category", "An toàn"}, {"count", 2}},
                                              json::object{{"category", "Mật khẩu"}, {"count", 2}}}},
                        {"time_limit_minutes", 30}, {"max_attempts", 3}, {"pass_percent", 50}, {"review", "correct"},
                        {"shuffle_options", true}};
  const std::string exam = quiz(b, cid, "final_exam", settings);
  // One final exam per course.
  auto second = as("author", "POST", "/api/v1/quizzes",
                   json::serialize(json::object{{"bank_id", std::stoll(b)}, {"course_id", std::stoll(cid)}, {"kind", "final_exam"},
                                                {"title", "Lần hai"}, {"settings", settings}}));
  EXPECT_EQ(second.status, 409) << second.body;
  auto listed = parse(as("learner", "GET", "/api/v1/courses/" + cid + "/quizzes"));
  ASSERT_EQ(listed.at("items").as_array().size(), 1u);
  EXPECT_EQ(listed.at("items").as_array()[0].at("kind").as_string(), "final_exam");

  // Not enrolled: refused with a reason.
  auto not_enrolled = start("learner", exam);
  EXPECT_EQ(not_enrolled.status, 403);
  EXPECT_EQ(error_code(not_enrolled), "not_enrolled");
  enrol("learner", cid);
  auto info = parse(as("learner", "GET", "/api/v1/quizzes/" + exam));
  EXPECT_TRUE(info.at("may_start").as_bool()) << json::serialize(info);
  EXPECT_TRUE(info.at("attempts").as_array().empty());

  const std::int64_t before = now_ms();
  auto started = start("learner", exam);
  ASSERT_EQ(started.status, 201) << started.body;
  const std::string attempt = id_of(started);
  EXPECT_EQ(started.header("Location"), "/api/v1/attempts/" + attempt);
  auto a = parse(started);
  EXPECT_EQ(a.at("status").as_string(), "open");
  EXPECT_EQ(a.at("number").as_int64(), 1);
  ASSERT_TRUE(a.at("deadline").is_string());
  EXPECT_GE(std::string(a.at("deadline").as_string()), iso(before + 30 * 60'000 - 1000));
  EXPECT_LE(std::string(a.at("deadline").as_string()), iso(now_ms() + 30 * 60'000 + 1000));
  // Two of each category, never a question twice, never the one outside both.
  std::vector<std::string> drawn;
  int from_scams = 0, from_passwords = 0;
  for (const auto& q : a.at("questions").as_array()) {
    drawn.emplace_back(q.at("id").as_string());
    from_scams += scams.count(drawn.back()) ? 1 : 0;
    from_passwords += passwords.count(drawn.back()) ? 1 : 0;
    if (q.at("type").as_string() == "ordering") {
      json::array shown, right;
      for (const auto& i : q.at("items").as_array()) shown.push_back(i.at("text"));
      for (const auto& i : specs[drawn.back()].question.at("items").as_array()) right.push_back(i.at("text"));
      EXPECT_NE(shown, right) << "ordering items shown in the right order";
    }
  }
  ASSERT_EQ(drawn.size(), 4u) << started.body;
  EXPECT_EQ(from_scams, 2);
  EXPECT_EQ(from_passwords, 2);
  EXPECT_EQ(std::set<std::string>(drawn.begin(), drawn.end()).size(), 4u);
  EXPECT_EQ(std::count(drawn.begin(), drawn.end(), never), 0);

  // Starting again (a double click, a second tab) gives back the same attempt.
  auto again = start("learner", exam);
  EXPECT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(id_of(again), attempt);
  EXPECT_EQ(parse(again).at("questions"), a.at("questions"));

  // Answers: saving the same twice changes nothing the second time; a later one replaces it.
  const std::string first = drawn[0];
  auto learner_form = [&](const std::string& qid, const json::value& v) { return positions(a, qid, specs[qid].question, v); };
  auto w1 = parse(save("learner", attempt, first, learner_form(first, specs[first].wrong)));
  EXPECT_TRUE(w1.at("saved").as_bool()) << json::serialize(w1);
  auto w2 = parse(save("learner", attempt, first, learner_form(first, specs[first].wrong)));
  EXPECT_FALSE(w2.at("saved").as_bool()) << json::serialize(w2);
  EXPECT_TRUE(parse(save("learner", attempt, first, learner_form(first, specs[first].right))).at("saved").as_bool());
  for (std::size_t i = 1; i < 3; ++i)
    ASSERT_EQ(save("learner", attempt, drawn[i], learner_form(drawn[i], specs[drawn[i]].right)).status, 200);
  // drawn[3] stays unanswered.
  auto open = as("learner", "GET", "/api/v1/attempts/" + attempt);
  ASSERT_EQ(open.status, 200);
  const json::object answers = parse(open).at("answers").as_object();
  EXPECT_EQ(answers.size(), 3u);
  // Given back in the canonical form of the type (numbers as numbers, choices as positions).
  if (specs[first].right.is_number()) {
    EXPECT_EQ(number(answers.at(first)), number(specs[first].right));
  } else {
    EXPECT_EQ(answers.at(first), learner_form(first, specs[first].right));
  }
  // Nothing before submission gives an answer away.
  expect_no_answers(started, "start");
  expect_no_answers(again, "resume");
  expect_no_answers(open, "open attempt");
  EXPECT_FALSE(parse(open).as_object().contains("score"));

  auto submitted = submit("learner", attempt);
  ASSERT_EQ(submitted.status, 200) << submitted.body;
  auto done = parse(submitted);
  EXPECT_EQ(done.at("status").as_string(), "submitted");
  EXPECT_EQ(number(done.at("score")), 3) << submitted.body;
  EXPECT_EQ(number(done.at("max_score")), 4);
  EXPECT_EQ(number(done.at("percent")), 75);
  EXPECT_TRUE(done.at("passed").as_bool());
  EXPECT_EQ(done.at("review").as_string(), "correct");
  for (const auto& q : done.at("questions").as_array()) EXPECT_TRUE(q.as_object().contains("correct")) << json::serialize(q);
  // Submitting again gives the same result; an answer after it is refused and changes nothing.
  auto twice = submit("learner", attempt);
  ASSERT_EQ(twice.status, 200);
  EXPECT_EQ(number(parse(twice).at("score")), 3);
  EXPECT_EQ(parse(twice).at("ended_at"), done.at("ended_at"));
  auto late = save("learner", attempt, drawn[3], learner_form(drawn[3], specs[drawn[3]].right));
  EXPECT_EQ(late.status, 409) << late.body;
  EXPECT_EQ(error_code(late), "attempt_closed");
  EXPECT_EQ(number(parse(as("learner", "GET", "/api/v1/attempts/" + attempt)).at("score")), 3);
  auto past = parse(as("learner", "GET", "/api/v1/quizzes/" + exam));
  ASSERT_EQ(past.at("attempts").as_array().size(), 1u);
  EXPECT_EQ(number(past.at("attempts").as_array()[0].at("score")), 3);
  EXPECT_EQ(std::to_string(past.at("counted_attempt_id").as_int64()), attempt);
  // The author reads the trail: one "saved" per change, not per request.
  auto events = parse(as("author", "GET", "/api/v1/attempts/" + attempt + "/events"));
  int saves = 0;
  for (const auto& e : events.at("items").as_array()) saves += e.at("kind").as_string() == "saved" ? 1 : 0;
  EXPECT_EQ(saves, 4) << json::serialize(events);
  // A new attempt draws anew, numbered 2.
  auto next = start("learner", exam);
  EXPECT_EQ(next.status, 201) << next.body;
  EXPECT_EQ(parse(next).at("number").as_int64(), 2);
}

TEST_F(Assessment, AttemptRulesRefuseWithTheirReasons) {
  const std::string b = bank("Lượt làm bài");
  const std::string q = add_question(b, spec_of("true_false", "", "").question);
  const std::string cid = course("khao-thi-luot-lam");
  enrol("limits", cid);
  struct Case {
    const char* name;
    json::object settings;
    int attempts_first;  // started and submitted before the last start
    int status;
    const char* code;
  };
  const std::int64_t now = now_ms();
  const json::array fixed{json::value(q)};
  const std::vector<Case> cases{
      {"unlimited", {{"fixed", fixed}}, 2, 201, ""},
      {"max_attempts", {{"fixed", fixed}, {"max_attempts", 2}}, 2, 409, "no_attempts_left"},
      {"wait", {{"fixed", fixed}, {"wait_minutes", 60}}, 1, 409, "wait"},
      {"not_open_yet", {{"fixed", fixed}, {"opens_at", iso(now + 86'400'000)}}, 0, 409, "not_open_yet"},
      {"closed", {{"fixed", fixed}, {"closes_at", iso(now - 86'400'000)}}, 0, 409, "closed"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const std::string id = quiz(b, cid, "section", c.settings);
    for (int i = 0; i < c.attempts_first; ++i) {
      auto s = start("limits", id);
      ASSERT_EQ(s.status, 201) << s.body;
      ASSERT_EQ(submit("limits", id_of(s)).status, 200);
    }
    auto last = start("limits", id);
    EXPECT_EQ(last.status, c.status) << last.body;
    EXPECT_EQ(error_code(last), c.code);
    auto info = parse(as("limits", "GET", "/api/v1/quizzes/" + id));
    if (c.status == 409) {
      EXPECT_FALSE(info.at("may_start").as_bool());
      EXPECT_EQ(info.at("start_refusal"), json::value(c.code));
      EXPECT_FALSE(parse(last).at("error").at("message").as_string().empty());
    }
  }
  // Quiz settings that cannot be taken are reported when saved.
  auto bad = as("author", "POST", "/api/v1/quizzes",
                json::serialize(json::object{{"bank_id", std::stoll(b)}, {"course_id", std::stoll(cid)}, {"kind", "section"}, {"title", "Quá nhiều"},
                                             {"settings", json::object{{"draws", json::array{json::object{{"count", 5}}}}}}}));
  ASSERT_EQ(bad.status, 201) << bad.body;
  EXPECT_FALSE(parse(bad).at("problems").as_array().empty());
  auto refused = start("limits", id_of(bad));
  EXPECT_EQ(refused.status, 409) << refused.body;
  EXPECT_EQ(as("author", "POST", "/api/v1/quizzes",
                json::serialize(json::object{{"bank_id", std::stoll(b)}, {"course_id", std::stoll(cid)}, {"kind", "section"}, {"title", "Giờ sai"},
                                             {"settings", json::object{{"fixed", fixed}, {"closes_at", "2026-02-30T00:00:00.000Z"}}}}))
                .status, 422);
  EXPECT_EQ(as("author", "POST", "/api/v1/quizzes",
                json::serialize(json::object{{"bank_id", std::stoll(b)}, {"course_id", std::stoll(cid)}, {"kind", "exam"}, {"title", "Loại sai"}}))
                .status, 422);
  // Numbers that are not whole numbers within an int are refused with the field's name, never
  // converted (1e300 was clamped, 2.5 truncated, and the quiz created).
  for (const auto& [key, value] : std::vector<std::pair<std::string, json::value>>{
           {"max_attempts", 1e300}, {"time_limit_minutes", 2.5}, {"wait_minutes", -1e300}, {"per_page", 4294967297.0}}) {
    auto r = as("author", "POST", "/api/v1/quizzes",
                json::serialize(json::object{{"bank_id", std::stoll(b)}, {"course_id", std::stoll(cid)}, {"kind", "section"}, {"title", "Số lạ"},
                                             {"settings", json::object{{"fixed", fixed}, {key, value}}}}));
    EXPECT_EQ(r.status, 422) << key << ": " << r.body;
    EXPECT_NE(r.body.find("\"" + key + "\\\" phải là một số nguyên"), std::string::npos) << r.body;
  }
  // A course quiz on a course of another provider is refused.
  EXPECT_EQ(as("author", "POST", "/api/v1/quizzes",
                json::serialize(json::object{{"bank_id", std::stoll(b)}, {"course_id", 1}, {"kind", "section"}, {"title", "Nơi khác"},
                                             {"settings", json::object{{"fixed", fixed}}}}))
                .status, 422);
}

TEST_F(Assessment, BadAnswersAreRefusedAndChangeNothing) {
  const std::string b = bank("Câu trả lời sai dạng");
  std::map<std::string, std::string> id_of_type;
  json::array fixed;
  for (const char* type : kTypes) {
    id_of_type[type] = add_question(b, spec_of(type, "Mọi loại", "").question);
    fixed.push_back(json::value(id_of_type[type]));
  }
  const std::string cid = course("khao-thi-sai-dang");
  const std::string quiz_id = quiz(b, cid, "section", json::object{{"fixed", fixed}});
  enrol("learner", cid);
  enrol("learner2", cid);
  auto started = start("learner", quiz_id);
  ASSERT_EQ(started.status, 201) << started.body;
  const std::string attempt = id_of(started);
  ASSERT_EQ(parse(started).at("questions").as_array().size(), 8u);
  // Before submission no option shows its author's id ("a", "b", "c"): only positions, digits.
  const json::value shown = parse(started);
  for (const auto& q : shown.at("questions").as_array()) {
    if (q.at("id").as_string() != id_of_type["single_choice"]) continue;
    ASSERT_EQ(q.at("options").as_array().size(), 3u) << json::serialize(q);
    for (const auto& o : q.at("options").as_array()) {
      const std::string id(o.at("id").as_string());
      EXPECT_TRUE(!id.empty() && std::all_of(id.begin(), id.end(), [](unsigned char c) { return c >= '0' && c <= '9'; }))
          << "an author's option id shown: " << json::serialize(q);
    }
  }
  auto other = start("learner2", quiz_id);
  ASSERT_EQ(other.status, 201);
  const std::string others = id_of(other);

  struct Row {
    const char* name;
    std::string who, attempt, question, body, content_type;
    int status;
  };
  auto value = [](json::value v) { return json::serialize(json::object{{"value", std::move(v)}}); };
  const std::string huge(2001, 'x'), longest(2000, 'x');
  const std::string sc = id_of_type["single_choice"], mc = id_of_type["multiple_choice"], tf = id_of_type["true_false"],
                    sa = id_of_type["short_answer"], nu = id_of_type["numerical"], ma = id_of_type["matching"],
                    od = id_of_type["ordering"], fb = id_of_type["fill_blanks"];
  const std::string J = "application/json";
  const std::vector<Row> rows{
      {"not_in_attempt", "learner", attempt, "q999", value("1"), J, 422},
      {"single_unknown_option", "learner", attempt, sc, value("z"), J, 422},
      {"single_position_out_of_range", "learner", attempt, sc, value("4"), J, 422},
      {"single_author_id", "learner", attempt, sc, value("a"), J, 422},  // positions only, never the author's ids
      {"single_as_number", "learner", attempt, sc, value(1), J, 422},
      {"single_as_list", "learner", attempt, sc, value(json::array{"1"}), J, 422},
      {"multiple_as_string", "learner", attempt, mc, value("1"), J, 422},
      {"multiple_twice", "learner", attempt, mc, value(json::array{"1", "1"}), J, 422},
      {"multiple_unknown", "learner", attempt, mc, value(json::array{"1", "z"}), J, 422},
      {"multiple_author_ids", "learner", attempt, mc, value(json::array{"a", "b"}), J, 422},
      {"true_false_as_text", "learner", attempt, tf, value("true"), J, 422},
      {"true_false_as_number", "learner", attempt, tf, value(1), J, 422},
      {"short_as_number", "learner", attempt, sa, value(5), J, 422},
      {"short_too_long", "learner", attempt, sa, value(json::value(huge)), J, 422},
      {"numerical_as_text", "learner", attempt, nu, value("12"), J, 422},
      {"numerical_null", "learner", attempt, nu, value(nullptr), J, 422},
      {"matching_unknown_prompt", "learner", attempt, ma, value(json::object{{"z", "Phần mềm gây hại"}}), J, 422},
      {"matching_distractor_prompt", "learner", attempt, ma, value(json::object{{"c", "Phần mềm gây hại"}}), J, 422},
      {"matching_unknown_answer", "learner", attempt, ma, value(json::object{{"a", "Không có"}}), J, 422},
      {"matching_as_list", "learner", attempt, ma, value(json::array{"a"}), J, 422},
      {"ordering_missing_item", "learner", attempt, od, value(json::array{"1", "2"}), J, 422},
      {"ordering_repeated_item", "learner", attempt, od, value(json::array{"1", "1", "2"}), J, 422},
      {"ordering_author_ids", "learner", attempt, od, value(json::array{"a", "b", "c"}), J, 422},
      {"fill_blanks_one_gap", "learner", attempt, fb, value(json::array{"không"}), J, 422},
      {"fill_blanks_numbers", "learner", attempt, fb, value(json::array{1, 2}), J, 422},
      {"fill_blanks_too_long", "learner", attempt, fb, value(json::array{json::value(huge), json::value("ai")}), J, 422},
      {"no_value", "learner", attempt, sc, R"({"answer":"1"})", J, 422},
      {"not_an_object", "learner", attempt, sc, R"(["1"])", J, 400},
      {"not_json", "learner", attempt, sc, "value=1", J, 400},
      {"not_json_type", "learner", attempt, sc, value("1"), "text/plain", 415},
      {"form_type", "learner", attempt, sc, "value=1", "application/x-www-form-urlencoded", 415},
      {"another_persons_attempt", "learner", others, sc, value("1"), J, 404},
      {"no_such_attempt", "learner", "999999999", sc, value("1"), J, 404},
      {"anonymous", "anonymous", attempt, sc, value("1"), J, 401},
      // And what is fine is saved: each type, the longest typed answer.
      {"short_longest", "learner", attempt, sa, value(json::value(longest)), J, 200},
      {"multiple_empty", "learner", attempt, mc, value(json::array{}), J, 200},
      {"numerical_integer", "learner", attempt, nu, value(12), J, 200},
  };
  for (const auto& r : rows) {
    auto res = call(port(), "PUT", "/api/v1/attempts/" + r.attempt + "/answers/" + r.question, tokens_[r.who], r.body, r.content_type);
    EXPECT_EQ(res.status, r.status) << r.name << ": " << res.body.substr(0, 300);
    if (r.status >= 400 && r.status != 404 && r.status != 401) {
      EXPECT_FALSE(error_code(res).empty()) << r.name << ": " << res.body.substr(0, 300);
    }
  }
  // Only the good ones were stored; nothing reached the other learner's attempt.
  auto mine = parse(as("learner", "GET", "/api/v1/attempts/" + attempt));
  EXPECT_EQ(mine.at("answers").as_object().size(), 3u) << json::serialize(mine.at("answers"));
  EXPECT_EQ(mine.at("answers").at(sa), json::value(longest));
  EXPECT_TRUE(parse(as("learner2", "GET", "/api/v1/attempts/" + others)).at("answers").as_object().empty());
  // Another person's attempt does not exist for the learner, whatever the route.
  EXPECT_EQ(as("learner", "GET", "/api/v1/attempts/" + others).status, 404);
  EXPECT_EQ(as("learner", "POST", "/api/v1/attempts/" + others + "/submit").status, 404);
  EXPECT_EQ(as("learner2", "GET", "/api/v1/attempts/" + others).status, 200);  // still open for its owner
  EXPECT_EQ(parse(as("learner2", "GET", "/api/v1/attempts/" + others)).at("status").as_string(), "open");

  // Every type graded: right answers earn the full mark, wrong ones nothing.
  for (const char* type : kTypes) {
    const Spec t = spec_of(type, "", "");
    ASSERT_EQ(save("learner", attempt, id_of_type[type], positions(parse(started), id_of_type[type], t.question, t.right)).status, 200) << type;
  }
  auto graded = parse(submit("learner", attempt));
  EXPECT_EQ(number(graded.at("score")), 8) << json::serialize(graded);
  auto wrong = start("learner", quiz_id);
  ASSERT_EQ(wrong.status, 201);
  for (const char* type : kTypes) {
    const Spec t = spec_of(type, "", "");
    ASSERT_EQ(save("learner", id_of(wrong), id_of_type[type], positions(parse(wrong), id_of_type[type], t.question, t.wrong)).status, 200) << type;
  }
  auto zero = parse(submit("learner", id_of(wrong)));
  EXPECT_EQ(number(zero.at("score")), 0) << json::serialize(zero);
  EXPECT_FALSE(zero.at("passed").as_bool());
  // Issue 11: a failed attempt's page ends with what to revise and where; a passed one does not.
  // While the review shows no right answers, the topics are not counted either (a topic of one
  // question would tell whether its answer was right).
  auto failed_page = as("learner", "GET", "/attempts/" + id_of(wrong));
  ASSERT_EQ(failed_page.status, 200);
  EXPECT_NE(failed_page.body.find("Bạn nên ôn lại"), std::string::npos) << failed_page.body;
  EXPECT_NE(failed_page.body.find("Xem lại các bài học rồi làm lại"), std::string::npos);
  EXPECT_EQ(failed_page.body.find("chưa đúng"), std::string::npos);
  const json::object settings{{"fixed", fixed}, {"review", "correct"}, {"review_when", "immediately"}};
  ASSERT_EQ(as("author", "PUT", "/api/v1/quizzes/" + quiz_id, json::serialize(json::object{{"settings", settings}})).status, 200);
  failed_page = as("learner", "GET", "/attempts/" + id_of(wrong));
  EXPECT_NE(failed_page.body.find("chưa đúng 8/8 câu"), std::string::npos) << failed_page.body;
  auto passed_page = as("learner", "GET", "/attempts/" + attempt);
  ASSERT_EQ(passed_page.status, 200);
  EXPECT_EQ(passed_page.body.find("Bạn nên ôn lại"), std::string::npos);
}

TEST_F(Assessment, TheServerClockEndsAnAttemptAtItsDeadline) {
  const std::string b = bank("Hết giờ");
  Spec tf = spec_of("true_false", "", ""), sc = spec_of("single_choice", "", "");
  const std::string q1 = add_question(b, tf.question), q2 = add_question(b, sc.question);
  const std::string cid = course("khao-thi-het-gio");
  const std::int64_t closes = now_ms() + 2500;
  const std::string quiz_id = quiz(b, cid, "section", json::object{{"fixed", json::array{json::value(q1), json::value(q2)}},
                                                                   {"closes_at", iso(closes)}, {"shuffle_options", false}});
  enrol("timer", cid);
  auto started = start("timer", quiz_id);
  ASSERT_EQ(started.status, 201) << started.body;
  const std::string attempt = id_of(started);
  EXPECT_EQ(parse(started).at("deadline"), json::value(iso(closes)));  // the closing time comes before any limit
  EXPECT_EQ(parse(started).at("grace_seconds").as_int64(), 0);
  ASSERT_EQ(save("timer", attempt, q1, tf.right).status, 200) << "saved in time";
  std::this_thread::sleep_until(std::chrono::system_clock::time_point(std::chrono::milliseconds(closes + 600)));
  auto late = save("timer", attempt, q2, positions(parse(started), q2, sc.question, sc.right));
  EXPECT_EQ(late.status, 409) << late.body;
  auto seen = as("timer", "GET", "/api/v1/attempts/" + attempt);
  ASSERT_EQ(seen.status, 200);
  auto a = parse(seen);
  EXPECT_EQ(a.at("status").as_string(), "timed_out") << seen.body;
  EXPECT_EQ(a.at("answers").as_object().size(), 1u);
  EXPECT_EQ(a.at("answers").at(q1), tf.right);
  EXPECT_EQ(number(a.at("score")), 1);
  EXPECT_EQ(number(a.at("max_score")), 2);
  EXPECT_EQ(a.at("ended_at"), json::value(iso(closes)));  // at the deadline, not when noticed
  // Submitting it now changes nothing; the quiz is closed for new attempts.
  EXPECT_EQ(parse(submit("timer", attempt)).at("status").as_string(), "timed_out");
  EXPECT_EQ(error_code(start("timer", quiz_id)), "closed");
  auto events = parse(as("author", "GET", "/api/v1/attempts/" + attempt + "/events"));
  bool timed_out = false;
  for (const auto& e : events.at("items").as_array()) timed_out = timed_out || e.at("kind").as_string() == "timed_out";
  EXPECT_TRUE(timed_out) << json::serialize(events);
}

// Another person reading an attempt past its deadline neither sees it nor ends it: the owner is
// checked before the attempt is closed and graded (it was closed first, then refused).
TEST_F(Assessment, AnotherPersonReadingAnExpiredAttemptDoesNotEndIt) {
  const std::string b = bank("Quá giờ");
  Spec tf = spec_of("true_false", "", "");
  const std::string q = add_question(b, tf.question);
  const std::string cid = course("khao-thi-qua-gio");
  const std::int64_t closes = now_ms() + 1500;
  const std::string quiz_id = quiz(b, cid, "section", json::object{{"fixed", json::array{json::value(q)}}, {"closes_at", iso(closes)}});
  enrol("expiring", cid);
  auto started = start("expiring", quiz_id);
  ASSERT_EQ(started.status, 201) << started.body;
  const std::string attempt = id_of(started);
  ASSERT_EQ(save("expiring", attempt, q, tf.right).status, 200);
  std::this_thread::sleep_until(std::chrono::system_clock::time_point(std::chrono::milliseconds(closes + 600)));
  EXPECT_EQ(as("learner", "GET", "/api/v1/attempts/" + attempt).status, 404);
  Connection page(port());
  EXPECT_EQ(page.request("GET", "/attempts/" + attempt, {{"Cookie", "hocvu_session=" + tokens_["learner"]}}).status, 404);
  std::map<std::string, int> kinds;
  for (const auto& e : json::array(parse(as("author", "GET", "/api/v1/attempts/" + attempt + "/events")).at("items").as_array()))
    ++kinds[std::string(e.at("kind").as_string())];
  EXPECT_EQ(kinds, (std::map<std::string, int>{{"started", 1}, {"saved", 1}})) << "still open after others looked";
  // The owner's own reading closes it, with what was saved.
  auto seen = parse(as("expiring", "GET", "/api/v1/attempts/" + attempt));
  EXPECT_EQ(seen.at("status").as_string(), "timed_out");
  EXPECT_EQ(number(seen.at("score")), 1);
}

// A double click, two tabs, a retry over a bad network: the same request at once acts once.
TEST_F(Assessment, ConcurrentStartsSavesAndSubmitsActOnce) {
  const std::string b = bank("Bấm nhanh");
  Spec sc = spec_of("single_choice", "", "");
  const std::string q = add_question(b, sc.question);
  const std::string cid = course("khao-thi-bam-nhanh");
  const std::string quiz_id = quiz(b, cid, "section", json::object{{"fixed", json::array{json::value(q)}}});
  enrol("racer", cid);
  constexpr int kClients = 8;
  auto at_once = [&](const std::function<HttpResponse()>& request) {
    std::vector<HttpResponse> out(kClients);
    std::vector<std::thread> threads;
    for (int i = 0; i < kClients; ++i)
      threads.emplace_back([&, i] {
        try {
          out[static_cast<std::size_t>(i)] = request();
        } catch (const std::exception& e) {
          out[static_cast<std::size_t>(i)].body = e.what();
        }
      });
    for (auto& t : threads) t.join();
    return out;
  };
  auto starts = at_once([&] { return start("racer", quiz_id); });
  int created = 0;
  std::set<std::string> ids;
  for (const auto& r : starts) {
    EXPECT_TRUE(r.status == 201 || r.status == 200) << r.status << " " << r.body.substr(0, 300);
    created += r.status == 201 ? 1 : 0;
    ids.insert(id_of(r));
  }
  EXPECT_EQ(created, 1);
  ASSERT_EQ(ids.size(), 1u);
  const std::string attempt = *ids.begin();
  const json::value right = positions(parse(starts[0]), q, sc.question, sc.right);
  auto saves = at_once([&] { return save("racer", attempt, q, right); });
  int saved = 0;
  for (const auto& r : saves) {
    EXPECT_EQ(r.status, 200) << r.body.substr(0, 300);
    if (r.status == 200 && parse(r).at("saved").as_bool()) ++saved;
  }
  EXPECT_EQ(saved, 1);
  auto submits = at_once([&] { return submit("racer", attempt); });
  std::set<std::string> ended;
  for (const auto& r : submits) {
    EXPECT_EQ(r.status, 200) << r.body.substr(0, 300);
    if (r.status != 200) continue;
    EXPECT_EQ(number(parse(r).at("score")), 1);
    ended.insert(json::serialize(parse(r).at("ended_at")));
  }
  EXPECT_EQ(ended.size(), 1u);
  std::map<std::string, int> kinds;
  for (const auto& e : json::array(parse(as("author", "GET", "/api/v1/attempts/" + attempt + "/events")).at("items").as_array()))
    ++kinds[std::string(e.at("kind").as_string())];
  EXPECT_EQ(kinds, (std::map<std::string, int>{{"started", 1}, {"saved", 1}, {"submitted", 1}, {"graded", 1}}));
  EXPECT_EQ(parse(as("racer", "GET", "/api/v1/quizzes/" + quiz_id)).at("attempts").as_array().size(), 1u);
}

// With a grace after the deadline (HOCVU_EXAM_GRACE_SECONDS), an answer still in flight on a slow
// network counts; one later than the grace does not. A second server on the same database.
TEST_F(Assessment, AnswersInFlightCountWithinTheGraceAndNotAfterIt) {
  std::map<std::string, std::string> env{{"HOCVU_EXAM_GRACE_SECONDS", "2"}, {"HOCVU_DATA_DIR", server_->data_dir()}};
  ServerProcess graceful(env);
  const std::string b = bank("Mạng chậm");
  Spec tf = spec_of("true_false", "", ""), sc = spec_of("single_choice", "", ""), sa = spec_of("short_answer", "", "");
  const std::string q1 = add_question(b, tf.question), q2 = add_question(b, sc.question), q3 = add_question(b, sa.question);
  const std::string cid = course("khao-thi-mang-cham");
  const std::int64_t closes = now_ms() + 2000;
  const std::string quiz_id = quiz(b, cid, "section", json::object{{"fixed", json::array{json::value(q1), json::value(q2), json::value(q3)}},
                                                                   {"closes_at", iso(closes)}});
  enrol("slow", cid);
  auto on = [&](const std::string& method, const std::string& path, const std::string& body = "") {
    return call(graceful.port(), method, path, tokens_["slow"], body);
  };
  auto put = [&](const std::string& attempt, const std::string& q, const json::value& v) {
    return on("PUT", "/api/v1/attempts/" + attempt + "/answers/" + q, json::serialize(json::object{{"value", v}}));
  };
  auto started = on("POST", "/api/v1/quizzes/" + quiz_id + "/attempts");
  ASSERT_EQ(started.status, 201) << started.body;
  const std::string attempt = id_of(started);
  EXPECT_EQ(parse(started).at("grace_seconds").as_int64(), 2);
  ASSERT_EQ(put(attempt, q1, tf.right).status, 200);
  std::this_thread::sleep_until(std::chrono::system_clock::time_point(std::chrono::milliseconds(closes + 700)));
  auto in_grace = put(attempt, q2, positions(parse(started), q2, sc.question, sc.right));
  EXPECT_EQ(in_grace.status, 200) << "after the deadline, within the grace: " << in_grace.body;
  EXPECT_EQ(parse(on("GET", "/api/v1/attempts/" + attempt)).at("status").as_string(), "open");
  std::this_thread::sleep_until(std::chrono::system_clock::time_point(std::chrono::milliseconds(closes + 2700)));
  auto too_late = put(attempt, q3, sa.right);
  EXPECT_EQ(too_late.status, 409) << too_late.body;
  auto a = parse(on("GET", "/api/v1/attempts/" + attempt));
  EXPECT_EQ(a.at("status").as_string(), "timed_out");
  EXPECT_EQ(number(a.at("score")), 2) << json::serialize(a);
  EXPECT_EQ(a.at("answers").as_object().size(), 2u);
  EXPECT_EQ(a.at("ended_at"), json::value(iso(closes)));
}

// What a learner sees of a quiz is decided on the server's clock too: an attempt whose time is
// over shows as ended even before anyone opened it again.
TEST_F(Assessment, AQuizShowsAnAttemptWhoseTimeIsOverAsEnded) {
  const std::string b = bank("Hết giờ không mở lại");
  Spec tf = spec_of("true_false", "", "");
  const std::string q = add_question(b, tf.question);
  const std::string cid = course("khao-thi-khong-mo-lai");
  const std::int64_t closes = now_ms() + 1500;
  const std::string quiz_id = quiz(b, cid, "section", json::object{{"fixed", json::array{json::value(q)}}, {"closes_at", iso(closes)}});
  enrol("timer", cid);
  auto started = start("timer", quiz_id);
  ASSERT_EQ(started.status, 201) << started.body;
  ASSERT_EQ(save("timer", id_of(started), q, tf.right).status, 200);
  std::this_thread::sleep_until(std::chrono::system_clock::time_point(std::chrono::milliseconds(closes + 500)));
  auto info = parse(as("timer", "GET", "/api/v1/quizzes/" + quiz_id));
  ASSERT_EQ(info.at("attempts").as_array().size(), 1u) << json::serialize(info);
  const auto& shown = info.at("attempts").as_array()[0];
  EXPECT_FALSE(shown.at("ended_at").is_null()) << json::serialize(info);
  EXPECT_TRUE(shown.as_object().contains("score")) << json::serialize(info);
  EXPECT_FALSE(info.at("may_start").as_bool());
  EXPECT_EQ(info.at("start_refusal"), json::value("closed"));
}

// Every assessment route that reads JSON answers a body that is not a JSON object with 400
// (bad_request), as every other API route does; what is JSON but not what the route wants stays
// 422. A caller who may not see the bank or quiz is answered 404 whatever they sent.
TEST_F(Assessment, ABodyThatIsNotAJsonObjectIsABadRequest) {
  const OneQuestion fixture = one_question_attempt("Thân yêu cầu", "khao-thi-than-yeu-cau");
  const std::string &b = fixture.bank, &q = fixture.question, &quiz_id = fixture.quiz;
  const std::string answer = "/api/v1/attempts/" + fixture.attempt + "/answers/" + q;
  struct Row {
    std::string who, method, path;
  };
  const std::vector<Row> routes = {
      {"author", "POST", "/api/v1/banks"},
      {"author", "POST", "/api/v1/banks/" + b + "/questions"},
      {"author", "PUT", "/api/v1/banks/" + b + "/questions/" + q},
      {"author", "POST", "/api/v1/quizzes"},
      {"author", "PUT", "/api/v1/quizzes/" + quiz_id},
      {"learner", "PUT", answer},
  };
  for (const auto& r : routes)
    for (std::string body : {"{", "[1,2]", "\"văn bản\"", ""}) {
      auto res = as(r.who, r.method, r.path, body);
      EXPECT_EQ(res.status, 400) << r.method << " " << r.path << " with " << body << ": " << res.body.substr(0, 200);
      EXPECT_EQ(error_code(res), "bad_request") << r.path;
    }
  EXPECT_EQ(as("author", "POST", "/api/v1/banks", R"({"title":""})").status, 422);
  EXPECT_EQ(as("author", "POST", "/api/v1/quizzes", R"({"kind":"ai biết"})").status, 422);
  EXPECT_EQ(as("author", "PUT", "/api/v1/quizzes/" + quiz_id, R"({"settings":"không phải đối tượng"})").status, 422);
  EXPECT_EQ(as("learner", "PUT", answer, R"({"answer":"1"})").status, 422);
  // Found before it is read: the outsider learns nothing of the bank or the quiz from a bad body.
  EXPECT_EQ(as("outsider", "POST", "/api/v1/banks/" + b + "/questions", "{").status, 404);
  EXPECT_EQ(as("outsider", "PUT", "/api/v1/banks/" + b + "/questions/" + q, "{").status, 404);
  EXPECT_EQ(as("outsider", "PUT", "/api/v1/quizzes/" + quiz_id, "{").status, 404);
}

// A placement test belongs to no course: anyone signed in takes it, and the profile shows the
// first and the latest result for its domain.
TEST_F(Assessment, APlacementTestNeedsNoCourseAndShowsProgressInTheProfile) {
  const std::string b = bank("Đầu vào");
  Spec sc = spec_of("single_choice", "", "4.3"), tf = spec_of("true_false", "", "4.3");
  const std::string q1 = add_question(b, sc.question), q2 = add_question(b, tf.question);
  const json::array fixed{json::value(q1), json::value(q2)};
  // Without a domain it is reported; a section quiz needs a course.
  auto no_domain = as("author", "POST", "/api/v1/quizzes",
                      json::serialize(json::object{{"bank_id", std::stoll(b)}, {"kind", "placement"}, {"title", "Đầu vào"},
                                                   {"settings", json::object{{"fixed", fixed}}}}));
  ASSERT_EQ(no_domain.status, 201) << no_domain.body;
  EXPECT_FALSE(parse(no_domain).at("problems").as_array().empty());
  EXPECT_EQ(as("author", "POST", "/api/v1/quizzes",
                json::serialize(json::object{{"bank_id", std::stoll(b)}, {"kind", "section"}, {"title", "Không khóa"},
                                             {"settings", json::object{{"fixed", fixed}}}})).status, 422);
  EXPECT_EQ(as("author", "POST", "/api/v1/quizzes",
                json::serialize(json::object{{"bank_id", std::stoll(b)}, {"kind", "final_exam"}, {"title", "Không khóa"},
                                             {"settings", json::object{{"fixed", fixed}}}})).status, 422);
  const std::string placement = quiz(b, "0", "placement", json::object{{"fixed", fixed}, {"domain", "4"}});
  for (bool good : {false, true}) {
    auto s = start("placed", placement);
    ASSERT_EQ(s.status, 201) << s.body;
    ASSERT_EQ(save("placed", id_of(s), q1, positions(parse(s), q1, sc.question, sc.right)).status, 200);
    ASSERT_EQ(save("placed", id_of(s), q2, good ? tf.right : tf.wrong).status, 200);
    ASSERT_EQ(submit("placed", id_of(s)).status, 200);
  }
  auto profile = parse(as("placed", "GET", "/api/v1/me/competencies"));
  ASSERT_EQ(profile.at("placements").as_array().size(), 1u) << json::serialize(profile);
  const auto& line = profile.at("placements").as_array()[0];
  EXPECT_EQ(number(line.at("first_percent")), 50);
  EXPECT_EQ(number(line.at("latest_percent")), 100);
  EXPECT_EQ(line.at("attempts").as_int64(), 2);
  EXPECT_NE(line.at("domain").as_string(), "4") << "named from the framework";
}

// A course that is not published does not exist for learners, and neither do its quizzes.
TEST_F(Assessment, QuizzesOfACourseThatIsNotPublishedStayHidden) {
  const std::string b = bank("Nháp");
  const std::string q = add_question(b, spec_of("true_false", "", "").question);
  auto created = as("author", "POST", "/api/v1/author/courses", R"({"provider_id":)" + org_ + R"(,"slug":"khao-thi-nhap","title":"Bí mật"})");
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string draft = id_of(created);
  const std::string quiz_id = quiz(b, draft, "section", json::object{{"fixed", json::array{json::value(q)}}});
  EXPECT_EQ(as("learner", "GET", "/api/v1/quizzes/" + quiz_id).status, 404);
  EXPECT_EQ(as("learner", "POST", "/api/v1/quizzes/" + quiz_id + "/attempts").status, 404);
  auto listed = as("learner", "GET", "/api/v1/courses/" + draft + "/quizzes");
  EXPECT_EQ(listed.status, 404) << listed.body;
  EXPECT_EQ(listed.body.find("Bài kiểm tra"), std::string::npos) << listed.body;
  EXPECT_EQ(as("learner", "GET", "/api/v1/courses/999999999/quizzes").status, 404);
}

// ---- results -------------------------------------------------------------------------------

TEST_F(Assessment, PassingTheFinalExamCompletesADemoCourseAndRecordsCompetencies) {
  // A final exam for a starter course, written by the national administrator for its provider.
  std::int64_t course_id = 0, provider = 0;
  for (const auto& item : json::array(parse(call(port(), "GET", "/api/v1/courses?per_page=100", "")).at("items").as_array())) {
    auto c = parse(call(port(), "GET", "/api/v1/courses/" + std::to_string(item.at("id").as_int64()), ""));
    if (c.at("slug").as_string() == "tri-tue-nhan-tao-co-ban") {
      course_id = c.at("id").as_int64();
      provider = c.at("provider").at("id").as_int64();
    }
  }
  ASSERT_NE(course_id, 0);
  const std::string cid = std::to_string(course_id);
  const std::string b = bank("Trí tuệ nhân tạo — thi cuối khóa", "national", std::to_string(provider));
  Spec sc = spec_of("single_choice", "AI", "6.1"), tf = spec_of("true_false", "AI", "6.2");
  const std::string q1 = add_question(b, sc.question, "national"), q2 = add_question(b, tf.question, "national");
  const std::string exam = quiz(b, cid, "final_exam",
                                json::object{{"fixed", json::array{json::value(q1), json::value(q2)}}, {"pass_percent", 100}}, "national");

  auto take = [&](const std::string& who, bool all_right) {
    auto s = start(who, exam);
    EXPECT_EQ(s.status, 201) << s.body;
    const std::string id = id_of(s);
    EXPECT_EQ(save(who, id, q1, positions(parse(s), q1, sc.question, sc.right)).status, 200);
    EXPECT_EQ(save(who, id, q2, all_right ? tf.right : tf.wrong).status, 200);
    auto done = parse(submit(who, id));
    EXPECT_EQ(done.at("passed").as_bool(), all_right) << json::serialize(done);
  };
  // Every lesson done, exam not passed: not complete.
  enrol("finisher", cid);
  finish_lessons("finisher", cid);
  auto e = enrolment("finisher", cid);
  ASSERT_TRUE(e.is_object());
  EXPECT_EQ(e.at("percent_complete").as_int64(), 100);
  EXPECT_TRUE(e.at("completed_at").is_null()) << json::serialize(e);
  take("finisher", false);
  EXPECT_TRUE(enrolment("finisher", cid).at("completed_at").is_null());
  take("finisher", true);
  EXPECT_TRUE(enrolment("finisher", cid).at("completed_at").is_string()) << json::serialize(enrolment("finisher", cid));

  // The exam first, then the lessons: complete with the last lesson.
  enrol("early", cid);
  take("early", true);
  EXPECT_TRUE(enrolment("early", cid).at("completed_at").is_null());
  finish_lessons("early", cid);
  EXPECT_TRUE(enrolment("early", cid).at("completed_at").is_string()) << json::serialize(enrolment("early", cid));

  // Evidence from both of the finisher's attempts: 6.1 right twice, 6.2 right once in two.
  auto profile = as("finisher", "GET", "/api/v1/me/competencies");
  ASSERT_EQ(profile.status, 200) << profile.body;
  std::map<std::string, json::value> by_code;
  for (const auto& c : json::array(parse(profile).at("competencies").as_array())) by_code[std::string(c.at("code").as_string())] = c;
  ASSERT_EQ(by_code.size(), 2u) << profile.body;
  EXPECT_EQ(by_code["6.1"].at("answered").as_int64(), 2);
  EXPECT_EQ(number(by_code["6.1"].at("share_correct")), 1);
  EXPECT_EQ(by_code["6.2"].at("answered").as_int64(), 2);
  EXPECT_EQ(number(by_code["6.2"].at("share_correct")), 0.5);
  EXPECT_NE(by_code["6.1"].at("name").as_string(), "6.1") << "named from the framework";
  EXPECT_TRUE(parse(as("fresh", "GET", "/api/v1/me/competencies")).at("competencies").as_array().empty());
  EXPECT_EQ(call(port(), "GET", "/api/v1/me/competencies", "").status, 401);
}

TEST_F(Assessment, TheGradebookShowsEachPersonWhatTheyMayFollow) {
  const std::string b = bank("Sổ điểm");
  Spec sc = spec_of("single_choice", "", "");
  const std::string q = add_question(b, sc.question);
  const std::string cid = course("khao-thi-so-diem");
  const std::string quiz_id = quiz(b, cid, "section", json::object{{"fixed", json::array{json::value(q)}}, {"score_rule", "highest"}});
  // The learner (of the organisation) takes it twice: 1 then 0; learner2 (not of it) once: 0.
  for (const auto& [who, answers] : std::vector<std::pair<std::string, std::vector<json::value>>>{
           {"learner", {sc.right, sc.wrong}}, {"learner2", {sc.wrong}}}) {
    enrol(who, cid);
    for (const auto& v : answers) {
      auto s = start(who, quiz_id);
      ASSERT_EQ(s.status, 201) << s.body;
      ASSERT_EQ(save(who, id_of(s), q, positions(parse(s), q, sc.question, v)).status, 200);
      ASSERT_EQ(submit(who, id_of(s)).status, 200);
    }
  }
  auto learners_of = [&](const std::string& who, const std::string& query) {
    std::map<std::string, json::value> out;
    auto r = as(who, "GET", "/api/v1/courses/" + cid + "/gradebook" + query);
    EXPECT_EQ(r.status, 200) << who << ": " << r.body;
    if (r.status != 200) return out;
    for (const auto& l : json::array(parse(r).at("learners").as_array())) out[std::string(l.at("full_name").as_string())] = l;
    return out;
  };
  auto all = learners_of("author", "");
  ASSERT_EQ(all.size(), 2u);
  const auto& mine = all["Lò Văn Thi"].at("results").as_array();
  ASSERT_EQ(mine.size(), 1u);
  EXPECT_EQ(mine[0].at("attempts").as_int64(), 2);
  EXPECT_EQ(number(mine[0].at("score")), 1);  // the highest counts
  EXPECT_TRUE(mine[0].at("passed").as_bool());
  EXPECT_EQ(number(all["Bạc Thị Khác"].at("results").as_array()[0].at("score")), 0);
  auto book = parse(as("author", "GET", "/api/v1/courses/" + cid + "/gradebook"));
  ASSERT_EQ(book.at("quizzes").as_array().size(), 1u);
  EXPECT_EQ(std::to_string(book.at("quizzes").as_array()[0].at("id").as_int64()), quiz_id);
  // The manager of the course's organisation authors for it: every learner. The manager of
  // another organisation sees only the learners standing in it.
  EXPECT_EQ(learners_of("manager", "").size(), 2u);
  auto managed = learners_of("manager2", "");
  EXPECT_EQ(managed.size(), 1u);
  EXPECT_TRUE(managed.count("Bạc Thị Khác"));
  // A class: its instructor sees its members only.
  auto cls = as("author", "POST", "/api/v1/classes", R"({"course_id":)" + cid + R"(,"name":"Lớp sổ điểm"})");
  ASSERT_EQ(cls.status, 201) << cls.body;
  const std::string class_id = id_of(cls);
  ASSERT_EQ(as("author", "POST", "/api/v1/classes/" + class_id + "/members", R"({"login":"0900500001"})").status, 201);
  auto in_class = learners_of("author", "?class_id=" + class_id);
  EXPECT_EQ(in_class.size(), 1u);
  EXPECT_TRUE(in_class.count("Lò Văn Thi"));
  EXPECT_TRUE(learners_of("manager2", "?class_id=" + class_id).empty());  // nobody of theirs in it
  EXPECT_EQ(parse(as("author", "GET", "/api/v1/courses/" + cid + "/gradebook?class_id=" + class_id)).at("class_id").as_int64(),
            std::stoll(class_id));
  // Nobody else sees it.
  EXPECT_EQ(as("learner", "GET", "/api/v1/courses/" + cid + "/gradebook").status, 404);
  EXPECT_EQ(as("outsider", "GET", "/api/v1/courses/" + cid + "/gradebook").status, 404);
  EXPECT_EQ(as("outsider", "GET", "/api/v1/courses/" + cid + "/gradebook?class_id=" + class_id).status, 404);
  EXPECT_EQ(as("anonymous", "GET", "/api/v1/courses/" + cid + "/gradebook").status, 401);
  EXPECT_EQ(as("author", "GET", "/api/v1/courses/999999999/gradebook").status, 404);
  EXPECT_EQ(as("author", "GET", "/api/v1/courses/" + cid + "/gradebook?class_id=999999999").status, 404);

  // The same as CSV for spreadsheets.
  Connection page(port());
  auto csv = page.request("GET", "/courses/" + cid + "/gradebook.csv", {{"Cookie", "hocvu_session=" + tokens_["author"]}});
  EXPECT_EQ(csv.status, 200) << csv.body.substr(0, 300);
  EXPECT_NE(csv.header("Content-Type").find("text/csv"), std::string::npos) << csv.header("Content-Type");
  EXPECT_EQ(csv.body.substr(0, 3), "\xEF\xBB\xBF");
  EXPECT_NE(csv.body.find("Lò Văn Thi"), std::string::npos);
  EXPECT_NE(csv.body.find("Bạc Thị Khác"), std::string::npos);
  // Names are quoted text; attempts, score, max score and percent are bare numbers.
  EXPECT_NE(csv.body.find("\"Lò Văn Thi\",0,\"\",2,1,1,100,\"đạt\"\r\n"), std::string::npos) << csv.body;
  Connection other(port());
  auto hidden = other.request("GET", "/courses/" + cid + "/gradebook.csv", {{"Cookie", "hocvu_session=" + tokens_["outsider"]}});
  EXPECT_EQ(hidden.status, 404);
  EXPECT_EQ(hidden.body.find("Lò Văn Thi"), std::string::npos);
  Connection scoped(port());
  auto managed_csv = scoped.request("GET", "/courses/" + cid + "/gradebook.csv", {{"Cookie", "hocvu_session=" + tokens_["manager2"]}});
  EXPECT_EQ(managed_csv.status, 200);
  EXPECT_NE(managed_csv.body.find("Bạc Thị Khác"), std::string::npos);
  EXPECT_EQ(managed_csv.body.find("Lò Văn Thi"), std::string::npos);
}

// ---- permissions ---------------------------------------------------------------------------

// Every assessment route against every role: anonymous, a learner enrolled in the course, an
// instructor of another organisation, the author (instructor of the bank's organisation) and the
// manager of that organisation.
TEST_F(Assessment, EveryRouteAgainstEveryRole) {
  const OneQuestion fixture = one_question_attempt("Quyền hạn", "khao-thi-quyen-han");
  const std::string &b = fixture.bank, &q = fixture.question, &cid = fixture.course, &quiz_id = fixture.quiz, &attempt = fixture.attempt;
  const Spec& sc = fixture.spec;
  // Another organisation's bank, for the outsider.
  const std::string elsewhere = bank("Ngân hàng nơi khác", "outsider", other_org_);

  const char* roles[] = {"anonymous", "learner", "outsider", "author", "manager"};
  struct Row {
    std::string method, path, body;
    std::array<int, 5> expect;  // anonymous, learner, outsider, author, manager
  };
  const std::string bank_body = R"({"provider_id":)" + org_ + R"(,"title":"Mới"})";
  const std::string quiz_body = R"({"bank_id":)" + b + R"(,"course_id":)" + cid + R"(,"kind":"section","title":"Mới","settings":{"fixed":[")" + q + R"("]}})";
  const std::string question = json::serialize(sc.question);
  const std::string answer = R"({"value":"1"})";  // a position
  const std::vector<Row> rows = {
      //                                                                           anon learner outsider author manager
      {"GET", "/api/v1/banks", "", {401, 200, 200, 200, 200}},
      {"POST", "/api/v1/banks", bank_body, {401, 422, 422, 201, 201}},
      {"GET", "/api/v1/banks/" + b, "", {401, 404, 404, 200, 200}},
      {"GET", "/api/v1/banks/" + elsewhere, "", {401, 404, 200, 404, 404}},
      {"GET", "/api/v1/banks/999999999", "", {401, 404, 404, 404, 404}},
      {"POST", "/api/v1/banks/" + b + "/import?format=gift", "Đúng không? {T}", {401, 404, 404, 200, 200}},
      {"GET", "/api/v1/banks/" + b + "/export?format=gift", "", {401, 404, 404, 200, 200}},
      {"GET", "/api/v1/banks/" + b + "/export?format=moodle_xml", "", {401, 404, 404, 200, 200}},
      {"POST", "/api/v1/banks/" + b + "/questions", question, {401, 404, 404, 201, 201}},
      {"PUT", "/api/v1/banks/" + b + "/questions/" + q, question, {401, 404, 404, 200, 200}},
      {"POST", "/api/v1/quizzes", quiz_body, {401, 422, 422, 201, 201}},
      {"PUT", "/api/v1/quizzes/" + quiz_id, R"({"title":"Đổi tên"})", {401, 404, 404, 200, 200}},
      {"POST", "/api/v1/quizzes/" + quiz_id + "/regrade", "", {401, 404, 404, 200, 200}},
      {"POST", "/api/v1/quizzes/999999999/regrade", "", {401, 404, 404, 404, 404}},
      {"GET", "/api/v1/courses/" + cid + "/quizzes", "", {401, 200, 200, 200, 200}},
      {"GET", "/api/v1/quizzes/" + quiz_id, "", {401, 200, 403, 403, 403}},  // only the enrolled learner
      {"GET", "/api/v1/quizzes/999999999", "", {401, 404, 404, 404, 404}},
      {"POST", "/api/v1/quizzes/" + quiz_id + "/attempts", "", {401, 200, 403, 403, 403}},  // the open one
      {"GET", "/api/v1/attempts/" + attempt, "", {401, 200, 404, 404, 404}},
      {"PUT", "/api/v1/attempts/" + attempt + "/answers/" + q, answer, {401, 200, 404, 404, 404}},
      {"GET", "/api/v1/attempts/" + attempt + "/events", "", {401, 404, 404, 200, 200}},
      {"GET", "/api/v1/attempts/999999999/events", "", {401, 404, 404, 404, 404}},
      {"GET", "/api/v1/courses/" + cid + "/gradebook", "", {401, 404, 404, 200, 200}},
      {"GET", "/api/v1/me/competencies", "", {401, 200, 200, 200, 200}},
      {"POST", "/api/v1/attempts/" + attempt + "/submit", "", {401, 200, 404, 404, 404}},
      {"GET", "/api/v1/attempts/999999999", "", {401, 404, 404, 404, 404}},
  };
  for (const auto& row : rows)
    for (int i = 0; i < 5; ++i) {
      const bool raw = row.path.find("/import") != std::string::npos;
      auto r = call(port(), row.method, row.path, tokens_[roles[i]], row.body, raw ? "text/plain" : "application/json");
      EXPECT_EQ(r.status, row.expect[static_cast<std::size_t>(i)])
          << row.method << " " << row.path << " as " << roles[i] << ": " << r.body.substr(0, 200);
      if (r.status == 404 && i > 0) {  // "not found" tells nothing about what exists
        EXPECT_EQ(r.body.find("Quyền hạn"), std::string::npos) << row.path << " as " << roles[i];
      }
    }
  // Lists show only what each may author.
  auto listed = [&](const std::string& who) {
    std::set<std::string> ids;
    for (const auto& x : json::array(parse(as(who, "GET", "/api/v1/banks")).at("items").as_array())) ids.insert(std::to_string(x.at("id").as_int64()));
    return ids;
  };
  EXPECT_TRUE(listed("author").count(b));
  EXPECT_FALSE(listed("author").count(elsewhere));
  EXPECT_TRUE(listed("outsider").count(elsewhere));
  EXPECT_FALSE(listed("outsider").count(b));
  EXPECT_TRUE(listed("learner").empty());
}

TEST_F(Assessment, ImagesForQuestionsAreCheckedStoredAndServed) {
  const std::string b = bank("Ảnh minh họa");
  const std::string boundary = "----hocvu-image";
  auto upload = [&](const std::string& who, const std::string& bank_id, const std::string& filename, const std::string& bytes) {
    std::string body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename +
                       "\"\r\nContent-Type: application/octet-stream\r\n\r\n" + bytes + "\r\n--" + boundary + "--\r\n";
    return as(who, "POST", "/api/v1/banks/" + bank_id + "/media", body, "multipart/form-data; boundary=" + boundary);
  };
  const std::string png = std::string("\x89PNG\r\n\x1a\n", 8) + std::string(32, '\0');
  auto ok = upload("author", b, "so-do.png", png);
  ASSERT_EQ(ok.status, 201) << ok.body;
  const std::string url(parse(ok).at("url").as_string());
  EXPECT_EQ(url.rfind("/media/banks/" + b + "/", 0), 0u) << url;
  EXPECT_EQ(std::string(parse(ok).at("markdown").as_string()), "![](" + url + ")");
  // Served to those who author for the bank's provider; to nobody else until a question of the
  // bank is shown to them in an attempt (it was public to anyone with the URL).
  auto served = as("author", "GET", url);
  EXPECT_EQ(served.status, 200);
  EXPECT_EQ(served.body, png);
  EXPECT_EQ(served.header("Cache-Control").find("public"), std::string::npos) << served.header("Cache-Control");
  for (const char* who : {"anonymous", "viewer", "outsider"}) EXPECT_EQ(as(who, "GET", url).status, 404) << who;
  EXPECT_EQ(http_get(port(), "/media/banks/" + b + "/" + url.substr(url.rfind('/') + 1)).status, 404);
  Spec tf = spec_of("true_false", "", "");
  tf.question["text"] = "Sơ đồ này đúng không? ![](" + url + ")";
  const std::string q = add_question(b, tf.question);
  const std::string cid = course("khao-thi-anh");
  const std::string quiz_id = quiz(b, cid, "section", json::object{{"fixed", json::array{json::value(q)}}});
  enrol("viewer", cid);
  auto started = start("viewer", quiz_id);
  ASSERT_EQ(started.status, 201) << started.body;
  EXPECT_NE(started.body.find(url), std::string::npos) << "the attempt shows the image";
  auto shown = as("viewer", "GET", url);
  EXPECT_EQ(shown.status, 200) << "the learner taking the attempt sees its image";
  EXPECT_EQ(shown.body, png);
  EXPECT_EQ(shown.header("Cache-Control").find("public"), std::string::npos) << shown.header("Cache-Control");
  EXPECT_EQ(as("anonymous", "GET", url).status, 404);
  // The same bytes again: the same name. Not an image, or pretending to be one: refused.
  EXPECT_EQ(std::string(parse(upload("author", b, "lai.png", png)).at("url").as_string()), url);
  auto text = upload("author", b, "ghi-chu.txt", "xin chào");
  EXPECT_EQ(text.status, 422) << text.body;
  auto fake = upload("author", b, "gia.png", "<script>alert(1)</script>");
  EXPECT_EQ(fake.status, 422) << fake.body;
  EXPECT_EQ(upload("outsider", b, "so-do.png", png).status, 404);
  EXPECT_EQ(upload("learner", b, "so-do.png", png).status, 404);
  EXPECT_EQ(call(port(), "POST", "/api/v1/banks/" + b + "/media", "", "x", "multipart/form-data; boundary=x").status, 401);
}

// The pages, as the API table above does for the API: who gets the page, who is sent to sign in,
// and who is told it does not exist. (Forms without their CSRF token are refused before anything.)
TEST_F(Assessment, EveryPageAgainstEveryRole) {
  const OneQuestion fixture = one_question_attempt("Trang quyền hạn", "khao-thi-trang-quyen");
  const std::string &b = fixture.bank, &q = fixture.question, &cid = fixture.course, &quiz_id = fixture.quiz, &attempt = fixture.attempt;

  const char* roles[] = {"anonymous", "learner", "outsider", "author", "manager"};
  struct Row {
    std::string method, path;
    std::array<int, 5> expect;  // anonymous, learner, outsider, author, manager
  };
  const std::vector<Row> rows = {
      //                                                                              anon learner outsider author manager
      {"GET", "/author/banks", {303, 403, 200, 200, 200}},
      {"GET", "/author/banks/" + b, {303, 404, 404, 200, 200}},
      {"GET", "/author/banks/" + b + "/questions/new?type=matching", {303, 404, 404, 200, 200}},
      {"GET", "/author/banks/" + b + "/questions/" + q, {303, 404, 404, 200, 200}},
      {"GET", "/author/banks/" + b + "/questions/" + q + "/preview", {303, 404, 404, 200, 200}},
      {"GET", "/author/banks/" + b + "/questions/q999", {303, 404, 404, 404, 404}},
      {"GET", "/author/banks/" + b + "/export?format=gift", {303, 404, 404, 303, 303}},
      {"GET", "/author/quizzes", {303, 403, 200, 200, 200}},
      {"GET", "/author/quizzes/" + quiz_id, {303, 404, 404, 200, 200}},
      {"GET", "/author/attempts/" + attempt + "/events", {303, 404, 404, 200, 200}},
      {"GET", "/courses/" + cid + "/gradebook", {303, 404, 404, 200, 200}},
      {"GET", "/courses/" + cid + "/gradebook.csv", {303, 404, 404, 200, 200}},
      {"GET", "/courses/" + cid + "/quizzes", {303, 200, 200, 200, 200}},
      {"GET", "/quizzes/" + quiz_id, {303, 200, 303, 303, 303}},  // not enrolled: to the course page to enrol
      {"GET", "/attempts/" + attempt, {303, 200, 404, 404, 404}},
      {"GET", "/me/competencies", {303, 200, 200, 200, 200}},
      // State-changing forms without a CSRF token: refused by the prologue before anything is
      // looked up, so the answer says nothing about whether the bank or quiz exists.
      {"POST", "/author/banks", {303, 403, 403, 403, 403}},
      {"POST", "/author/banks/" + b + "/questions/" + q, {303, 403, 403, 403, 403}},
      {"POST", "/author/quizzes/" + quiz_id, {303, 403, 403, 403, 403}},
      {"POST", "/author/quizzes/" + quiz_id + "/regrade", {303, 403, 403, 403, 403}},
      // The learner's forms too (anonymous callers are sent to sign in first, as above).
      {"POST", "/quizzes/" + quiz_id + "/start", {303, 403, 403, 403, 403}},
      {"POST", "/attempts/" + attempt, {303, 403, 403, 403, 403}},
      {"POST", "/attempts/" + attempt + "/submit", {303, 403, 403, 403, 403}},
  };
  for (const auto& row : rows)
    for (int i = 0; i < 5; ++i) {
      auto r = call(port(), row.method, row.path, tokens_[roles[i]], row.method == "POST" ? "x=1" : "",
                    "application/x-www-form-urlencoded");
      EXPECT_EQ(r.status, row.expect[static_cast<std::size_t>(i)])
          << row.method << " " << row.path << " as " << roles[i] << ": " << r.body.substr(0, 200);
    }
}

// The question editor shows every number so that the same form posted back is the same question:
// saving without a change makes no new version (a third of the mark, 33.33333%, must not come
// back as 33.3333%; 2345678 must not come back as 2.34568e+06).
TEST_F(Assessment, AnEditorFormPostedBackUnchangedMakesNoNewVersion) {
  const std::string b = bank("Biên tập không đổi");
  const json::object thirds{{"type", "multiple_choice"}, {"name", "Ba phần"}, {"text", "Chọn ba đáp án đúng"}, {"mark", 3},
                            {"options", json::array{json::object{{"id", "a"}, {"text", "Một"}, {"fraction", 0.3333333}},
                                                    json::object{{"id", "b"}, {"text", "Hai"}, {"fraction", 0.3333333}},
                                                    json::object{{"id", "c"}, {"text", "Ba"}, {"fraction", 0.3333333}},
                                                    json::object{{"id", "d"}, {"text", "Sai"}, {"fraction", -1}}}}};
  const json::object big{{"type", "numerical"}, {"name", "Số lớn"}, {"text", "Dân số ước tính"}, {"mark", 1.5},
                         {"numeric", json::array{json::object{{"value", 2345678}, {"tolerance", 0.001}, {"fraction", 1}}}}};
  for (const auto& q : {thirds, big}) {
    const std::string id = add_question(b, q);
    const std::string page = "/author/banks/" + b + "/questions/" + id;
    auto shown = as("author", "GET", page);
    ASSERT_EQ(shown.status, 200);
    std::string cookie = shown.header("Set-Cookie");
    cookie = cookie.substr(0, cookie.find(';'));
    // Every field of the editor's form as a browser would send it.
    const std::string html = shown.body.substr(shown.body.find("class=\"question-editor\""));
    auto unescape = [](std::string v) {
      for (auto [from, to] : {std::pair<std::string, std::string>{"&quot;", "\""}, {"&#39;", "'"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&amp;", "&"}})
        for (std::size_t at; (at = v.find(from)) != std::string::npos;) v.replace(at, from.size(), to);
      return v;
    };
    auto encode = [](const std::string& v) {
      std::string out;
      for (unsigned char ch : v) {
        if (std::isalnum(ch) || ch == '-' || ch == '_' || ch == '.') out += static_cast<char>(ch);
        else { char buf[4]; std::snprintf(buf, sizeof buf, "%%%02X", ch); out += buf; }
      }
      return out;
    };
    std::string form;
    auto add = [&](const std::string& name, const std::string& value) {
      form += (form.empty() ? "" : "&") + encode(name) + "=" + encode(unescape(value));
    };
    const std::regex input(R"re(<input([^>]*)>)re"), attr_name(R"re(name="([^"]*)")re"), attr_value(R"re(value="([^"]*)")re");
    for (auto it = std::sregex_iterator(html.begin(), html.end(), input); it != std::sregex_iterator(); ++it) {
      const std::string tag = (*it)[1];
      std::smatch n, v;
      if (!std::regex_search(tag, n, attr_name)) continue;
      const bool choice = tag.find("type=\"checkbox\"") != std::string::npos || tag.find("type=\"radio\"") != std::string::npos;
      if (choice && tag.find("checked") == std::string::npos) continue;
      add(n[1], std::regex_search(tag, v, attr_value) ? std::string(v[1]) : std::string());
    }
    const std::regex textarea(R"re(<textarea[^>]*name="([^"]*)"[^>]*>([^<]*)</textarea>)re");
    for (auto it = std::sregex_iterator(html.begin(), html.end(), textarea); it != std::sregex_iterator(); ++it) add((*it)[1], (*it)[2]);
    const std::regex select(R"re(<select[^>]*name="([^"]*)"[^>]*>([\s\S]*?)</select>)re"), selected(R"re(<option value="([^"]*)" selected)re");
    for (auto it = std::sregex_iterator(html.begin(), html.end(), select); it != std::sregex_iterator(); ++it) {
      const std::string options = (*it)[2];
      std::smatch m;
      if (std::regex_search(options, m, selected)) add((*it)[1], m[1]);
    }
    Connection c(port());
    auto posted = c.request("POST", page,
                            {{"Authorization", "Bearer " + tokens_["author"]}, {"Cookie", cookie},
                             {"Content-Type", "application/x-www-form-urlencoded"}},
                            form);
    ASSERT_EQ(posted.status, 303) << posted.body.substr(0, 400);
    auto stored = parse(as("author", "GET", "/api/v1/banks/" + b));
    for (const auto& item : stored.at("items").as_array())
      if (item.at("id").as_string() == id) EXPECT_EQ(item.at("version").as_int64(), 1) << id << ": " << json::serialize(item);
  }
}

}  // namespace
}  // namespace hocvu::testing
