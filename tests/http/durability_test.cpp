// Answers that survive a crash, and backups taken while the server writes (issue 10), on SQLite and
// PostgreSQL:
//  - many learners save answers at once (and some submit) against real attempts; the server is
//    killed with SIGKILL in the middle and started again on the same database; every save that was
//    acknowledged (200) is there, and every acknowledged submit is graded with the answers saved
//    before it;
//  - `hocvu backup` copies the database and the media while learners go on saving; `hocvu restore`
//    puts them into a fresh data directory, refusing a running or non-empty target and a damaged
//    backup; a server started on the copy has every answer acknowledged before the backup began and
//    the same media files (SQLite; on PostgreSQL the command names pg_dump and pg_basebackup).
//
// On PostgreSQL every suite of this binary shares one database: everything here uses its own
// people (0900700001.., CCCD 0011997000xx), organisations and course slugs (ben-vung-...).
#include "support/api.h"
#include "support/http_client.h"
#include "support/server_process.h"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <signal.h>
#include <stdlib.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <optional>
#include <sstream>
#include <thread>

namespace hocvu::testing {
namespace {

namespace json = boost::json;
namespace fs = std::filesystem;

bool on_postgres() {
  const char* url = std::getenv("HOCVU_TEST_DATABASE_URL");
  return url && *url;
}

// A fresh directory, removed with everything in it when the object goes (after the servers
// declared later, which stop first).
struct TempDir {
  std::string path;
  TempDir() {
    path = (fs::temp_directory_path() / "hocvu-durable-XXXXXX").string();
    if (!mkdtemp(path.data())) throw std::runtime_error("mkdtemp failed");
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The environment of a `hocvu` command run beside the server on `data_dir`.
std::map<std::string, std::string> command_env(const std::string& data_dir) {
  std::map<std::string, std::string> env{{"HOCVU_DATA_DIR", data_dir}};
  if (const char* url = std::getenv("HOCVU_TEST_DATABASE_URL"); url && *url) env["HOCVU_DATABASE_URL"] = url;
  return env;
}

// The answer that earns a short-answer question's mark.
constexpr const char* kRight = "2FA";

// Learners, each with attempts open on several quizzes of one course: the attempts the load uses.
struct Exam {
  struct Attempt {
    std::string token, id;
    std::vector<std::string> questions;
  };
  std::vector<Attempt> attempts;
  std::string author_token, bank;
};

// Builds, through the API of the server on `port`: an organisation, an author, a published course,
// a bank of `questions` short-answer questions, `quizzes` quizzes using all of them, and `learners`
// learners enrolled, each with an attempt started on every quiz. People `first`, `first`+1, ... of
// this file's range. Fails the test (ASSERT) when a step is refused.
void build_exam(int port, const std::string& data_dir, const std::string& tag, int first, int learners, int quizzes,
                int questions, Exam& exam) {
  auto admin = run_command({"/bin/sh", "-c", "printf 'Quan-tri-2025!\\n' | \"$HOCVU_BINARY\" create-admin --login 0900000001 --name 'Quản Trị Viên'"},
                           command_env(data_dir));
  ASSERT_EQ(admin.status, 0) << admin.output;
  const std::string national = token_for(port, "0900000001", "Quan-tri-2025!");
  ASSERT_FALSE(national.empty());
  auto org = call(port, "POST", "/api/v1/organisations", national,
                  json::serialize(json::object{{"name", "Trung tâm Bền vững " + tag}, {"kind", "school"}, {"unit_code", "01"}}));
  ASSERT_EQ(org.status, 201) << org.body;
  const auto org_id = parse(org).at("id").as_int64();

  auto person = [&](int n, const std::string& name) {
    char cccd[16], phone[16];
    std::snprintf(cccd, sizeof cccd, "001199700%03d", n);
    std::snprintf(phone, sizeof phone, "0900700%03d", n);
    std::string id = register_person(port, cccd, phone, name, "citizen");
    EXPECT_FALSE(id.empty()) << "registering " << phone;
    std::string token = token_for(port, phone);
    EXPECT_FALSE(token.empty()) << "signing in " << phone;
    return std::pair{id, token};
  };
  auto [author_id, author] = person(first, "Tác Giả Bền Vững");
  ASSERT_FALSE(author.empty());
  exam.author_token = author;
  auto grant = call(port, "POST", "/api/v1/people/" + author_id + "/roles", national,
                    json::serialize(json::object{{"role", "instructor"}, {"scope_kind", "organisation"}, {"scope_code", std::to_string(org_id)}}));
  ASSERT_EQ(grant.status, 201) << grant.body;

  auto created = call(port, "POST", "/api/v1/author/courses", author,
                      json::serialize(json::object{{"provider_id", org_id}, {"slug", "ben-vung-" + tag}, {"title", "Bền vững"}}));
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string course = std::to_string(parse(created).at("id").as_int64());
  json::object draft{{"title", "Bền vững " + tag}, {"summary", "Khóa để kiểm tra độ bền."}, {"target_groups", json::array{"citizen"}},
                     {"competencies", json::array{json::object{{"code", "4.1"}, {"level", 1}}}}, {"duration_minutes", 5},
                     {"unlock", "free"},
                     {"sections", json::array{json::object{
                         {"key", "s"}, {"title", "Phần"},
                         {"lessons", json::array{json::object{{"key", "l"}, {"title", "Bài"},
                                                              {"blocks", json::array{json::object{{"key", "t"}, {"kind", "text"}, {"markdown", "Đọc."}}}}}}}}}}};
  auto put = call(port, "PUT", "/api/v1/author/courses/" + course + "/draft", author, json::serialize(draft));
  ASSERT_EQ(put.status, 200) << put.body;
  auto pub = call(port, "POST", "/api/v1/author/courses/" + course + "/publish", author);
  ASSERT_EQ(pub.status, 200) << pub.body;

  auto bank = call(port, "POST", "/api/v1/banks", author, json::serialize(json::object{{"provider_id", org_id}, {"title", "Ngân hàng " + tag}}));
  ASSERT_EQ(bank.status, 201) << bank.body;
  exam.bank = std::to_string(parse(bank).at("id").as_int64());
  json::array fixed;
  for (int i = 0; i < questions; ++i) {
    json::object q{{"type", "short_answer"}, {"category", "Bền vững"}, {"mark", 1}, {"competencies", json::array{}},
                   {"name", "Câu " + std::to_string(i + 1)}, {"text", "Viết tắt của xác thực hai lớp là gì?"},
                   {"accepted", json::array{json::object{{"text", kRight}, {"fraction", 1}}}}};
    auto r = call(port, "POST", "/api/v1/banks/" + exam.bank + "/questions", author, json::serialize(q));
    ASSERT_EQ(r.status, 201) << r.body;
    fixed.push_back(parse(r).at("id"));
  }
  std::vector<std::string> quiz_ids;
  for (int i = 0; i < quizzes; ++i) {
    json::object body{{"bank_id", std::stoll(exam.bank)}, {"course_id", std::stoll(course)}, {"kind", "section"},
                      {"title", "Bài " + std::to_string(i + 1)}, {"settings", json::object{{"fixed", fixed}, {"review", "correct"}}}};
    auto r = call(port, "POST", "/api/v1/quizzes", author, json::serialize(body));
    ASSERT_EQ(r.status, 201) << r.body;
    quiz_ids.push_back(std::to_string(parse(r).at("id").as_int64()));
  }
  for (int l = 0; l < learners; ++l) {
    auto [id, token] = person(first + 1 + l, "Người Học Bền Vững");
    ASSERT_FALSE(token.empty());
    auto enrolled = call(port, "POST", "/api/v1/courses/" + course + "/enrollments", token);
    ASSERT_TRUE(enrolled.status == 201 || enrolled.status == 200) << enrolled.body;
    for (const auto& quiz : quiz_ids) {
      auto started = call(port, "POST", "/api/v1/quizzes/" + quiz + "/attempts", token);
      ASSERT_EQ(started.status, 201) << started.body;
      Exam::Attempt a{token, std::to_string(parse(started).at("id").as_int64()), {}};
      const json::value attempt = parse(started);
      for (const auto& q : attempt.at("questions").as_array()) a.questions.emplace_back(q.at("id").as_string());
      ASSERT_EQ(a.questions.size(), static_cast<std::size_t>(questions));
      exam.attempts.push_back(std::move(a));
    }
  }
}

// One thread per attempt saving answers "v1", "v2", ... in turn to its questions on one keep-alive
// connection, one request at a time, until told to stop or the server goes away. What it learns:
// the last value acknowledged for each question, and the request it was waiting on when the
// connection broke (its value may or may not have been written). An attempt that submits saves the
// right answer to every question after `submit_after` saves, then submits.
struct Load {
  struct State {
    std::map<std::string, std::string> acked;  // question -> last value answered 200
    std::map<std::string, std::string> acked_before_mark;  // the same, answered before `mark` was set
    std::optional<std::pair<std::string, std::string>> in_flight;  // (question, value) without an answer
    int submit_after = 0;  // 0: never submits
    bool submit_acked = false, submit_in_flight = false;
    std::vector<std::string> unexpected;  // answers other than 200 while the server was up
  };
  std::vector<State> states;
  std::vector<std::thread> threads;
  std::atomic<int> acked{0}, running{0};
  std::atomic<bool> stop{false}, mark{false}, server_killed{false};

  void start(int port, const Exam& exam) {
    states.resize(exam.attempts.size());
    running = static_cast<int>(exam.attempts.size());
    for (std::size_t i = 0; i < exam.attempts.size(); ++i)
      threads.emplace_back([this, port, &exam, i] { run(port, exam.attempts[i], states[i]); });
  }
  void join() {
    stop = true;
    for (auto& t : threads) t.join();
    threads.clear();
  }

  void run(int port, const Exam::Attempt& a, State& s) {
    try {
      Connection c(port);
      auto request = [&](const std::string& method, const std::string& path, const std::string& body) {
        std::map<std::string, std::string> h{{"Authorization", "Bearer " + a.token}};
        if (!body.empty()) h["Content-Type"] = "application/json";
        return c.request(method, path, h, body);
      };
      auto save = [&](const std::string& q, const std::string& value) {
        s.in_flight = std::pair{q, value};
        auto r = request("PUT", "/api/v1/attempts/" + a.id + "/answers/" + q, json::serialize(json::object{{"value", value}}));
        // Answered before the mark was set: committed before whatever follows the mark began.
        const bool before_mark = !mark;
        s.in_flight.reset();
        if (r.status != 200) {
          if (!server_killed) s.unexpected.push_back(std::to_string(r.status) + " " + r.body.substr(0, 200));
          return false;
        }
        s.acked[q] = value;
        if (before_mark) s.acked_before_mark[q] = value;
        ++acked;
        return true;
      };
      for (int n = 1; !stop; ++n) {
        if (s.submit_after && n > s.submit_after) {
          for (const auto& q : a.questions)
            if (!save(q, kRight)) break;
          s.submit_in_flight = true;
          auto r = request("POST", "/api/v1/attempts/" + a.id + "/submit", "");
          s.submit_in_flight = false;
          if (r.status == 200) s.submit_acked = true;
          else if (!server_killed) s.unexpected.push_back("submit: " + std::to_string(r.status) + " " + r.body.substr(0, 200));
          break;
        }
        if (!save(a.questions[static_cast<std::size_t>(n) % a.questions.size()], "v" + std::to_string(n))) break;
      }
    } catch (const std::exception& e) {
      // The server went away (SIGKILL): the request in flight, if any, stays recorded.
      if (!server_killed) s.unexpected.push_back(std::string("exception: ") + e.what());
    }
    --running;
  }
};

// The value stored for each question of the attempt, its status and score, read back through the API.
struct Stored {
  int http = 0;
  std::map<std::string, std::string> answers;
  std::string status;
  double score = -1;
};
Stored read_attempt(int port, const Exam::Attempt& a) {
  Stored s;
  auto r = call(port, "GET", "/api/v1/attempts/" + a.id, a.token);
  s.http = r.status;
  auto v = parse(r);
  if (r.status != 200 || !v.is_object() || !v.as_object().contains("answers")) return s;
  for (const auto& [q, value] : v.at("answers").as_object())
    s.answers[std::string(q)] = value.is_string() ? std::string(value.get_string()) : json::serialize(value);
  s.status = std::string(v.at("status").as_string());
  if (const auto* score = v.as_object().if_contains("score"))
    s.score = score->is_double() ? score->get_double() : score->is_int64() ? static_cast<double>(score->get_int64()) : -2;
  return s;
}

TEST(Durability, EveryAcknowledgedSaveAndSubmitSurvivesAKilledServer) {
  TempDir dir;
  const std::string data_dir = dir.path;
  Exam exam;
  Load load;
  int running_at_kill = 0;
  {
    ServerProcess server({{"HOCVU_DATA_DIR", data_dir}, {"HOCVU_DB_POOL_SIZE", "8"}});
    ASSERT_NO_FATAL_FAILURE(build_exam(server.port(), data_dir, "kill", 1, 4, 6, 4, exam));  // 24 attempts
    load.states.resize(exam.attempts.size());
    // Every fourth attempt submits, early, so that submits are acknowledged before the kill.
    for (std::size_t i = 0; i < exam.attempts.size(); i += 4) load.states[i].submit_after = 8 + static_cast<int>(i);
    load.start(server.port(), exam);
    // Kill it while every other attempt is still saving, once enough saves have been acknowledged.
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (load.acked < 1500 && load.running > 0 && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    running_at_kill = load.running;
    load.server_killed = true;
    server.signal(SIGKILL);
    EXPECT_EQ(server.wait_exit(), 128 + SIGKILL);
    load.join();
    ASSERT_GE(load.acked, 1500) << "the load did not get going: " << server.output().substr(0, 2000);
    EXPECT_GE(running_at_kill, 12) << "the kill must come while saves run concurrently";
  }
  int submits = 0;
  for (const auto& s : load.states) {
    for (const auto& u : s.unexpected) ADD_FAILURE() << "before the kill: " << u;
    submits += s.submit_acked;
  }
  EXPECT_GE(submits, 4) << "some submits must be acknowledged before the kill";

  int checked = 0, lost = 0, wrong = 0, ungraded = 0;
  std::vector<std::string> report;
  ServerProcess again({{"HOCVU_DATA_DIR", data_dir}});
  for (std::size_t i = 0; i < exam.attempts.size(); ++i) {
    const auto& a = exam.attempts[i];
    const auto& s = load.states[i];
    Stored stored = read_attempt(again.port(), a);
    ASSERT_EQ(stored.http, 200) << "attempt " << a.id;
    for (const auto& q : a.questions) {
      auto acked = s.acked.find(q);
      auto found = stored.answers.find(q);
      // The request in flight at the kill, if it was for this question, may or may not have been written.
      const bool in_flight = s.in_flight && s.in_flight->first == q;
      if (found != stored.answers.end() && in_flight && found->second == s.in_flight->second) continue;
      if (acked == s.acked.end()) {
        if (found != stored.answers.end()) {
          ++wrong;
          report.push_back("attempt " + a.id + " " + q + ": never acknowledged, stored " + found->second);
        }
        continue;
      }
      ++checked;
      if (found == stored.answers.end()) {
        ++lost;
        report.push_back("attempt " + a.id + " " + q + ": acknowledged " + acked->second + ", nothing stored");
      } else if (found->second != acked->second) {
        ++wrong;
        report.push_back("attempt " + a.id + " " + q + ": acknowledged " + acked->second + ", stored " + found->second);
      }
    }
    if (s.submit_acked) {
      if (stored.status != "submitted" || stored.score != static_cast<double>(a.questions.size())) {
        ++ungraded;
        report.push_back("attempt " + a.id + ": submit acknowledged, now " + stored.status + " with score " + std::to_string(stored.score));
      }
    } else if (!s.submit_in_flight && stored.status != "open") {
      report.push_back("attempt " + a.id + ": never submitted, now " + stored.status);
      ++wrong;
    }
  }
  std::printf("%d saves acknowledged before the kill (%d attempts still saving), %d answers checked, %d submits acknowledged\n",
              load.acked.load(), running_at_kill, checked, submits);
  std::string first;
  for (std::size_t i = 0; i < report.size() && i < 15; ++i) first += "\n  " + report[i];
  EXPECT_EQ(lost, 0) << lost << " acknowledged answers lost of " << checked << first;
  EXPECT_EQ(wrong, 0) << wrong << " answers differ from what was acknowledged" << first;
  EXPECT_EQ(ungraded, 0) << ungraded << " acknowledged submits not graded" << first;
  EXPECT_GE(checked, 48);  // at least two answers of each of the 24 attempts (79 to 89 seen)
}

// A bank image of `size` bytes, distinct by `n`; its URL.
std::string upload_image(int port, const Exam& exam, int n) {
  const std::string boundary = "----hocvu-backup";
  const std::string png = std::string("\x89PNG\r\n\x1a\n", 8) + std::string(32, '\0') + "anh-" + std::to_string(n) +
                          std::string(static_cast<std::size_t>(n) * 1000, static_cast<char>('a' + n));
  std::string body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"anh.png\"\r\n"
                     "Content-Type: application/octet-stream\r\n\r\n" + png + "\r\n--" + boundary + "--\r\n";
  auto r = call(port, "POST", "/api/v1/banks/" + exam.bank + "/media", exam.author_token, body, "multipart/form-data; boundary=" + boundary);
  EXPECT_EQ(r.status, 201) << r.body;
  return r.status == 201 ? std::string(parse(r).at("url").as_string()) : "";
}

// Every regular file below `dir`, by relative path, with its bytes.
std::map<std::string, std::string> files_below(const fs::path& dir) {
  std::map<std::string, std::string> out;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator(); it.increment(ec))
    if (it->is_regular_file()) out[it->path().lexically_relative(dir).generic_string()] = slurp(it->path());
  return out;
}

TEST(Backup, OnPostgresqlTheCommandsNameTheToolsToUse) {
  if (!on_postgres()) GTEST_SKIP() << "PostgreSQL only";
  TempDir tmp;
  const std::string dir = tmp.path;
  for (const char* command : {"backup", "restore"}) {
    auto r = run_command({ServerProcess::binary(), command, dir + "/sao-luu"}, command_env(dir));
    EXPECT_EQ(r.status, 2) << r.output;
    EXPECT_NE(r.output.find("pg_dump"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("pg_basebackup"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("hãy sao lưu"), std::string::npos) << r.output;
    EXPECT_FALSE(fs::exists(dir + "/sao-luu"));
  }
}

TEST(Backup, ABackupTakenUnderWriteLoadRestoresIntoAFreshDataDirectory) {
  if (on_postgres()) GTEST_SKIP() << "SQLite only: PostgreSQL is backed up with pg_dump or pg_basebackup";
  TempDir data_tmp, work_tmp;
  const std::string data_dir = data_tmp.path, work = work_tmp.path;
  const std::string backup = work + "/sao-luu", fresh = work + "/moi";
  Exam exam;
  Load load;
  std::map<std::string, std::string> media_before;
  std::vector<std::string> urls;
  {
    ServerProcess server({{"HOCVU_DATA_DIR", data_dir}});
    ASSERT_NO_FATAL_FAILURE(build_exam(server.port(), data_dir, "backup", 101, 2, 4, 4, exam));  // 8 attempts
    for (int n = 1; n <= 3; ++n) urls.push_back(upload_image(server.port(), exam, n));
    media_before = files_below(fs::path(data_dir) / "media");
    ASSERT_EQ(media_before.size(), 3u);

    load.start(server.port(), exam);
    while (load.acked < 300 && load.running > 0) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    load.mark = true;  // every save acknowledged from now on may or may not be in the backup
    auto r = run_command({ServerProcess::binary(), "backup", backup}, command_env(data_dir));
    const int acked_during = load.acked;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    const int acked_after = load.acked;
    load.join();
    ASSERT_EQ(r.status, 0) << r.output;
    EXPECT_NE(r.output.find("integrity_check ok"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("3 media files"), std::string::npos) << r.output;
    EXPECT_GT(acked_after, acked_during) << "the server must be taking writes around the backup";
    for (const auto& s : load.states)
      for (const auto& u : s.unexpected) ADD_FAILURE() << "during the backup: " << u;

    // A backup directory is never overwritten.
    auto twice = run_command({ServerProcess::binary(), "backup", backup}, command_env(data_dir));
    EXPECT_EQ(twice.status, 2) << twice.output;
    // Nor written inside the data directory (a forced restore empties it).
    auto inside = run_command({ServerProcess::binary(), "backup", data_dir + "/sao-luu"}, command_env(data_dir));
    EXPECT_EQ(inside.status, 2) << inside.output;
    EXPECT_NE(inside.output.find("ngoài thư mục dữ liệu"), std::string::npos) << inside.output;
    EXPECT_FALSE(fs::exists(data_dir + "/sao-luu"));
    // Nothing is restored over a data directory that a running server uses, even with --force.
    auto busy = run_command({ServerProcess::binary(), "restore", backup, "--force"}, command_env(data_dir));
    EXPECT_EQ(busy.status, 2) << busy.output;
    EXPECT_NE(busy.output.find("đang dùng thư mục dữ liệu"), std::string::npos) << busy.output;
    EXPECT_NE(busy.output.find("is using the data directory"), std::string::npos) << busy.output;
    EXPECT_TRUE(server.output().find("\"level\":\"error\"") == std::string::npos) << server.output().substr(0, 2000);
  }

  // A damaged copy of the backup is refused and leaves the target as it was (empty).
  const std::string damaged = work + "/hong", damaged_target = work + "/dich-hong";
  fs::copy(backup, damaged, fs::copy_options::recursive);
  {
    fs::path one;
    for (const auto& e : fs::recursive_directory_iterator(fs::path(damaged) / "files"))
      if (e.is_regular_file()) one = e.path();
    ASSERT_FALSE(one.empty());
    std::fstream f(one, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(20);
    f.put('X');
  }
  auto refused = run_command({ServerProcess::binary(), "restore", damaged}, command_env(damaged_target));
  EXPECT_EQ(refused.status, 2) << refused.output;
  EXPECT_NE(refused.output.find("hỏng"), std::string::npos) << refused.output;
  EXPECT_FALSE(fs::exists(damaged_target + "/hocvu.db"));
  EXPECT_TRUE(files_below(damaged_target).empty());
  fs::remove(fs::path(damaged) / "MANIFEST");
  auto unfinished = run_command({ServerProcess::binary(), "restore", damaged}, command_env(damaged_target));
  EXPECT_EQ(unfinished.status, 2) << unfinished.output;
  EXPECT_NE(unfinished.output.find("MANIFEST"), std::string::npos) << unfinished.output;

  auto restored = run_command({ServerProcess::binary(), "restore", backup}, command_env(fresh));
  ASSERT_EQ(restored.status, 0) << restored.output;
  EXPECT_NE(restored.output.find("integrity_check ok"), std::string::npos) << restored.output;
  // Once restored, the target is not empty: a second restore needs --force.
  auto again = run_command({ServerProcess::binary(), "restore", backup}, command_env(fresh));
  EXPECT_EQ(again.status, 2) << again.output;
  EXPECT_NE(again.output.find("--force"), std::string::npos) << again.output;
  EXPECT_NE(again.output.find("đã có dữ liệu"), std::string::npos) << again.output;
  auto forced = run_command({ServerProcess::binary(), "restore", backup, "--force"}, command_env(fresh));
  ASSERT_EQ(forced.status, 0) << forced.output;

  // The restored database is whole, as SQLite itself sees it.
  auto check = run_command({"/bin/sh", "-c", "sqlite3 \"$HOCVU_DATA_DIR/hocvu.db\" 'PRAGMA integrity_check'"}, command_env(fresh));
  EXPECT_EQ(check.status, 0) << check.output;
  EXPECT_EQ(check.output, "ok\n");
  // The media are the same files, byte for byte.
  EXPECT_EQ(files_below(fs::path(fresh) / "media"), media_before);

  ServerProcess server({{"HOCVU_DATA_DIR", fresh}});
  int checked = 0, lost = 0;
  std::string report;
  for (std::size_t i = 0; i < exam.attempts.size(); ++i) {
    const auto& a = exam.attempts[i];
    Stored stored = read_attempt(server.port(), a);
    EXPECT_EQ(stored.http, 200) << "attempt " << a.id << ", started before the backup, is not in the restored database";
    for (const auto& [q, value] : load.states[i].acked_before_mark) {
      ++checked;
      auto found = stored.answers.find(q);
      // Saves go on during the backup, so the snapshot may hold a later value: "vN" with N at least
      // the one acknowledged before the backup began.
      auto number = [](const std::string& v) { return v.size() > 1 && v[0] == 'v' ? std::stol(v.substr(1)) : -1L; };
      if (found == stored.answers.end() || number(found->second) < number(value)) {
        ++lost;
        if (lost <= 10)
          report += "\n  attempt " + a.id + " " + q + ": acknowledged " + value + " before the backup, restored " +
                    (found == stored.answers.end() ? std::string("nothing") : found->second);
      }
    }
  }
  EXPECT_EQ(lost, 0) << report;
  EXPECT_GE(checked, 24);
  for (const auto& url : urls) {
    // Bank images are served to the bank's authors (the author's session was backed up too).
    auto served = call(server.port(), "GET", url, exam.author_token);
    EXPECT_EQ(served.status, 200) << url;
    EXPECT_EQ(served.body, media_before.at(url.substr(std::string("/media/").size()))) << url;
  }
}

}  // namespace
}  // namespace hocvu::testing
