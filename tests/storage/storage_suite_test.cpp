// The storage suite: the same tests against SQLite (a fresh file per test) and, when
// HOCVU_TEST_DATABASE_URL names one, PostgreSQL (a fresh schema per test).
#include "accounts/credentials.h"
#include "accounts/directory.h"
#include "accounts/service.h"
#include "assessment/store.h"
#include "core/time.h"
#include "reference/store.h"
#include "storage/database.h"
#include "storage/migrations.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <sodium.h>

#include <algorithm>
#include <atomic>
#include <numeric>
#include <condition_variable>
#include <mutex>
#include <cstdlib>
#include <filesystem>
#include <thread>

namespace hocvu::storage {
namespace {

std::string postgres_url() {
  const char* url = std::getenv("HOCVU_TEST_DATABASE_URL");
  return url ? url : "";
}

// Stores `record` for `key` as it is (the domain decides what a record becomes; the store holds it).
void put_failure(accounts::Store& store, const std::string& key, const accounts::FailureRecord& record) {
  auto r = store.update_failures({key}, [&](const accounts::Store::FailureRecords&) {
    return std::vector<accounts::Store::FailureWrite>{{key, record}};
  });
  ASSERT_TRUE(r.ok()) << r.status().message();
}
// Counts one failure as the service does: after_failure on the record read with its row held.
Result<accounts::FailureRecord> count_failure(accounts::Store& store, const std::string& key, SystemTime now,
                                              const accounts::ThrottlePolicy& policy) {
  accounts::FailureRecord counted;
  auto r = store.update_failures({key}, [&](const accounts::Store::FailureRecords& records) {
    counted = accounts::after_failure(records[0], now, policy);
    return std::vector<accounts::Store::FailureWrite>{{key, counted}};
  });
  if (!r) return r.status();
  return counted;
}

class StorageSuite : public ::testing::Test {
 protected:
  void SetUp() override {
    if (postgres_url().empty()) {
      dir_ = std::filesystem::temp_directory_path() /
             ("hocvu-storage-" + std::to_string(getpid()) + "-" + std::to_string(counter_++));
      std::filesystem::remove_all(dir_);
      auto db = open_database("sqlite://" + dir_.string() + "/test.db", 4);
      ASSERT_TRUE(db.ok()) << db.status().message();
      db_ = std::move(*db);
    } else {
      auto db = open_database(postgres_url(), 4);
      ASSERT_TRUE(db.ok()) << db.status().message();
      db_ = std::move(*db);
      auto st = db_->write([](Connection& c) {
        return c.execute_script("DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;");
      });
      ASSERT_TRUE(st.ok()) << st.message();
    }
  }
  void TearDown() override {
    db_.reset();
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }
  void migrate_all() {
    auto r = migrate(*db_, builtin_migrations());
    ASSERT_TRUE(r.ok()) << r.status().message();
  }

  std::unique_ptr<Database> db_;
  std::filesystem::path dir_;
  static inline int counter_ = 0;
};

TEST_F(StorageSuite, ReportsItsDialect) {
  EXPECT_EQ(db_->dialect(), postgres_url().empty() ? Dialect::sqlite : Dialect::postgres);
  EXPECT_TRUE(db_->ping());
}

TEST_F(StorageSuite, ParametersRoundTripAndRowsStream) {
  auto st = db_->write([](Connection& c) -> Status {
    if (auto s = c.execute_script("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, score DOUBLE PRECISION)"); !s.ok()) return s;
    for (std::int64_t i = 1; i <= 100; ++i) {
      std::string name = "Người học số " + std::to_string(i);
      auto r = c.execute("INSERT INTO t (id, name, score) VALUES ($1, $2, $3)", {i, std::string_view(name), i * 0.5});
      if (!r) return r.status();
      if (*r != 1) return Error(ErrorCode::internal, "expected one row changed");
    }
    return {};
  });
  ASSERT_TRUE(st.ok()) << st.message();
  int rows = 0;
  double total = 0;
  std::string last;
  st = db_->read([&](Connection& c) {
    return c.query("SELECT id, name, score FROM t WHERE id > $1 ORDER BY id", {std::int64_t{90}}, [&](const Row& r) {
      ++rows;
      total += r.real(2);
      last = r.string(1);
    });
  });
  ASSERT_TRUE(st.ok()) << st.message();
  EXPECT_EQ(rows, 10);
  EXPECT_DOUBLE_EQ(total, 0.5 * (91 + 92 + 93 + 94 + 95 + 96 + 97 + 98 + 99 + 100));
  EXPECT_EQ(last, "Người học số 100");
}

TEST_F(StorageSuite, DoublesKeepFullPrecision) {
  ASSERT_TRUE(db_->write([](Connection& c) { return c.execute_script("CREATE TABLE d (v DOUBLE PRECISION)"); }).ok());
  const double values[] = {0.1, 1.0 / 3.0, 123456.789012345, -2.5e-300};
  for (double v : values)
    ASSERT_TRUE(db_->write([v](Connection& c) { return c.execute("INSERT INTO d (v) VALUES ($1)", {v}).status(); }).ok());
  std::vector<double> read;
  db_->read([&](Connection& c) { return c.query("SELECT v FROM d", {}, [&](const Row& r) { read.push_back(r.real(0)); }); });
  ASSERT_EQ(read.size(), 4u);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(read[static_cast<std::size_t>(i)], values[i]);
}

TEST_F(StorageSuite, AThrowingCallbackRollsBackAndFreesTheConnection) {
  ASSERT_TRUE(db_->write([](Connection& c) { return c.execute_script("CREATE TABLE x (n INTEGER)"); }).ok());
  EXPECT_THROW(db_->write([](Connection& c) -> Status {
    (void)c.execute("INSERT INTO x (n) VALUES (1)");
    throw std::runtime_error("bug in the caller");
  }), std::runtime_error);
  // The insert was rolled back and every pooled connection can write again (no lock held).
  for (int i = 0; i < 8; ++i)
    ASSERT_TRUE(db_->write([](Connection& c) { return c.execute("INSERT INTO x (n) VALUES (2)").status(); }).ok());
  std::int64_t ones = -1;
  db_->read([&](Connection& c) { return c.query("SELECT COUNT(*) FROM x WHERE n = 1", {}, [&](const Row& r) { ones = r.int64(0); }); });
  EXPECT_EQ(ones, 0);
}

TEST_F(StorageSuite, NullsAndReusedParameters) {
  auto st = db_->write([](Connection& c) -> Status {
    if (auto s = c.execute_script("CREATE TABLE n (a TEXT, b TEXT)"); !s.ok()) return s;
    return c.execute("INSERT INTO n (a, b) VALUES ($1, $1)", {std::string_view("x")}).status();
  });
  ASSERT_TRUE(st.ok()) << st.message();
  st = db_->write([](Connection& c) { return c.execute("UPDATE n SET b = $1", {nullptr}).status(); });
  ASSERT_TRUE(st.ok()) << st.message();
  bool null_b = false;
  std::string a;
  db_->read([&](Connection& c) {
    return c.query("SELECT a, b FROM n", {}, [&](const Row& r) { a = r.string(0); null_b = r.is_null(1); });
  });
  EXPECT_EQ(a, "x");
  EXPECT_TRUE(null_b);
}

TEST_F(StorageSuite, FailedWorkRollsBackEverything) {
  ASSERT_TRUE(db_->write([](Connection& c) { return c.execute_script("CREATE TABLE r (id INTEGER PRIMARY KEY)"); }).ok());
  auto st = db_->write([](Connection& c) -> Status {
    if (auto r = c.execute("INSERT INTO r (id) VALUES ($1)", {std::int64_t{1}}); !r) return r.status();
    return Error(ErrorCode::invalid_argument, "changed my mind");
  });
  EXPECT_EQ(st.code(), ErrorCode::invalid_argument);
  std::int64_t count = -1;
  db_->read([&](Connection& c) { return c.query("SELECT COUNT(*) FROM r", {}, [&](const Row& r) { count = r.int64(0); }); });
  EXPECT_EQ(count, 0);
}

TEST_F(StorageSuite, UniqueViolationIsAConflictAndLeavesNothingHalfWritten) {
  ASSERT_TRUE(db_->write([](Connection& c) { return c.execute_script("CREATE TABLE u (code TEXT PRIMARY KEY)"); }).ok());
  ASSERT_TRUE(db_->write([](Connection& c) { return c.execute("INSERT INTO u VALUES ($1)", {std::string_view("a")}).status(); }).ok());
  auto st = db_->write([](Connection& c) -> Status {
    if (auto r = c.execute("INSERT INTO u VALUES ($1)", {std::string_view("b")}); !r) return r.status();
    return c.execute("INSERT INTO u VALUES ($1)", {std::string_view("a")}).status();
  });
  EXPECT_EQ(st.code(), ErrorCode::conflict) << st.message();
  std::int64_t count = 0;
  db_->read([&](Connection& c) { return c.query("SELECT COUNT(*) FROM u", {}, [&](const Row& r) { count = r.int64(0); }); });
  EXPECT_EQ(count, 1);
  // The connection is healthy afterwards.
  EXPECT_TRUE(db_->ping());
}

TEST_F(StorageSuite, ConcurrentWritersLoseNothing) {
  ASSERT_TRUE(db_->write([](Connection& c) { return c.execute_script("CREATE TABLE c (n INTEGER NOT NULL)"); }).ok());
  ASSERT_TRUE(db_->write([](Connection& c) { return c.execute("INSERT INTO c (n) VALUES (0)").status(); }).ok());
  constexpr int kThreads = 8, kEach = 50;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < kEach; ++i) {
        // Retry on serialization failures, as callers of write() must for contended rows.
        Status st;
        for (int attempt = 0; attempt < 20; ++attempt) {
          st = db_->write([](Connection& c) { return c.execute("UPDATE c SET n = n + 1").status(); });
          if (st.code() != ErrorCode::unavailable) break;
        }
        if (!st.ok()) ++failures;
      }
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures, 0);
  std::int64_t n = 0;
  db_->read([&](Connection& c) { return c.query("SELECT n FROM c", {}, [&](const Row& r) { n = r.int64(0); }); });
  EXPECT_EQ(n, kThreads * kEach);
  auto stats = db_->stats();
  EXPECT_LE(stats.open, 4u);
  EXPECT_EQ(stats.in_use, 0u);
}

// Many writers at once (SQLite runs them in shared transactions, each in its own savepoint):
// every successful write is kept, every failed or throwing one leaves nothing, and each caller
// learns its own outcome.
TEST_F(StorageSuite, ConcurrentWritersEachGetTheirOwnOutcome) {
  ASSERT_TRUE(db_->write([](Connection& c) { return c.execute_script("CREATE TABLE g (id INTEGER PRIMARY KEY, who INTEGER NOT NULL)"); }).ok());
  constexpr int kThreads = 8, kEach = 60;
  std::atomic<int> ok{0}, refused{0}, thrown{0}, wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        const std::int64_t id = t * 1000 + i;
        const int kind = i % 3;  // 0: succeeds, 1: writes then fails, 2: writes then throws
        try {
          auto st = db_->write([&](Connection& c) -> Status {
            if (auto r = c.execute("INSERT INTO g (id, who) VALUES ($1, $2)", {id, std::int64_t{t}}); !r) return r.status();
            if (kind == 1) return Error(ErrorCode::invalid_argument, "refused");
            if (kind == 2) throw std::runtime_error("boom");
            return Status{};
          });
          if (kind == 0 && st.ok()) ++ok;
          else if (kind == 1 && st.code() == ErrorCode::invalid_argument) ++refused;
          else ++wrong;
        } catch (const std::runtime_error&) {
          if (kind == 2) ++thrown;
          else ++wrong;
        }
      }
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(wrong, 0);
  EXPECT_EQ(ok, kThreads * kEach / 3);
  EXPECT_EQ(refused, kThreads * kEach / 3);
  EXPECT_EQ(thrown, kThreads * kEach / 3);
  std::int64_t rows = -1, bad = -1;
  db_->read([&](Connection& c) {
    auto st = c.query("SELECT COUNT(*) FROM g", {}, [&](const Row& r) { rows = r.int64(0); });
    if (!st.ok()) return st;
    // Only the rows of writes that succeeded: id % 1000 is i, and i % 3 == 0 for those.
    return c.query("SELECT COUNT(*) FROM g WHERE (id % 1000) % 3 <> 0", {}, [&](const Row& r) { bad = r.int64(0); });
  });
  EXPECT_EQ(rows, kThreads * kEach / 3);
  EXPECT_EQ(bad, 0);
  EXPECT_EQ(db_->stats().in_use, 0u);
  EXPECT_TRUE(db_->ping());
}

// A write() that returns ok is reported to people as saved, so its COMMIT must be on disk, not
// only in the operating system's cache (decision 0008): SQLite syncs the WAL at every commit
// (synchronous=FULL, 2) on every connection of the pool; a PostgreSQL session never runs with
// synchronous_commit=off, even when the server, the database or the URL asks for it.
TEST_F(StorageSuite, EveryConnectionCommitsToDisk) {
  auto setting_on_each_connection = [](Database& db, const char* sql) {
    constexpr int kConnections = 4;  // the pool's size: all of them lent at once
    std::mutex mu;
    std::condition_variable cv;
    int arrived = 0;
    std::vector<std::string> seen;
    std::vector<std::thread> threads;
    for (int i = 0; i < kConnections; ++i)
      threads.emplace_back([&] {
        auto st = db.read([&](Connection& c) {
          std::string value;
          auto q = c.query(sql, {}, [&](const Row& r) { value = r.string(0); });
          std::unique_lock lock(mu);
          seen.push_back(q.ok() ? value : q.message());
          ++arrived;
          cv.notify_all();
          cv.wait(lock, [&] { return arrived == kConnections; });  // hold this connection until all are lent
          return Status{};
        });
        EXPECT_TRUE(st.ok()) << st.message();
      });
    for (auto& t : threads) t.join();
    return seen;
  };
  if (postgres_url().empty()) {
    for (const auto& v : setting_on_each_connection(*db_, "PRAGMA synchronous")) EXPECT_EQ(v, "2") << "2 is FULL";
    for (const auto& v : setting_on_each_connection(*db_, "PRAGMA journal_mode")) EXPECT_EQ(v, "wal");
    return;
  }
  std::string url = postgres_url();
  url += (url.find('?') == std::string::npos ? "?" : "&");
  url += "options=-c%20synchronous_commit%3Doff";
  auto weak = open_database(url, 4);
  ASSERT_TRUE(weak.ok()) << weak.status().message();
  for (const auto& v : setting_on_each_connection(**weak, "SELECT current_setting('synchronous_commit')")) EXPECT_EQ(v, "on");
  for (const auto& v : setting_on_each_connection(*db_, "SELECT current_setting('synchronous_commit')")) EXPECT_NE(v, "off");
}

TEST_F(StorageSuite, MigrateAppliesEverythingOnceAndTwiceIsANoOp) {
  auto first = migrate(*db_, builtin_migrations());
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_EQ(first->from_version, 0);
  EXPECT_EQ(first->to_version, builtin_migrations().back().version);
  EXPECT_EQ(first->applied, static_cast<int>(builtin_migrations().size()));
  auto second = migrate(*db_, builtin_migrations());
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->applied, 0);
  EXPECT_EQ(*schema_version(*db_), builtin_migrations().back().version);
}

TEST_F(StorageSuite, AFailingMigrationAppliesNothingOfItself) {
  static const Migration good{1, "0001_good", "CREATE TABLE good (id INTEGER)", "CREATE TABLE good (id INTEGER)"};
  static const Migration bad{2, "0002_bad", "CREATE TABLE half (id INTEGER); INSERT INTO nowhere VALUES (1);",
                             "CREATE TABLE half (id INTEGER); INSERT INTO nowhere VALUES (1);"};
  const Migration list[] = {good, bad};
  auto r = migrate(*db_, list);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("0002_bad"), std::string::npos);
  EXPECT_EQ(*schema_version(*db_), 1);
  // The half-made table of the failed migration is gone with it.
  auto st = db_->read([](Connection& c) { return c.query("SELECT COUNT(*) FROM half", {}, [](const Row&) {}); });
  EXPECT_FALSE(st.ok());
}

TEST_F(StorageSuite, ANewerSchemaIsRefused) {
  migrate_all();
  std::vector<Migration> older(builtin_migrations().begin(), builtin_migrations().end() - 1);
  auto r = migrate(*db_, older);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("newer"), std::string::npos);
}

TEST_F(StorageSuite, ConcurrentMigratorsApplyEachMigrationOnce) {
  std::vector<std::thread> threads;
  std::atomic<int> applied{0}, failed{0};
  for (int i = 0; i < 4; ++i)
    threads.emplace_back([&] {
      auto r = migrate(*db_, builtin_migrations());
      if (r) applied += r->applied; else ++failed;
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(failed, 0);
  EXPECT_EQ(applied, static_cast<int>(builtin_migrations().size()));
}

TEST_F(StorageSuite, ReferenceDataIsComplete) {
  migrate_all();
  auto store = reference::make_sql_store(*db_);
  auto provinces = store->provinces();
  ASSERT_TRUE(provinces.ok()) << provinces.status().message();
  ASSERT_EQ(provinces->size(), 34u);
  EXPECT_EQ(provinces->front().code, "01");
  EXPECT_EQ(provinces->front().short_name, "Hà Nội");
  EXPECT_EQ(provinces->back().short_name, "Cà Mau");

  auto groups = store->target_groups();
  ASSERT_TRUE(groups.ok());
  ASSERT_EQ(groups->size(), 4u);
  EXPECT_EQ((*groups)[0].code, "official");
  EXPECT_EQ((*groups)[3].code, "citizen");

  auto frameworks = store->frameworks();
  ASSERT_TRUE(frameworks.ok()) << frameworks.status().message();
  ASSERT_EQ(frameworks->size(), 1u);
  const auto& f = frameworks->front();
  EXPECT_EQ(f.code, "tt02-2025");
  EXPECT_EQ(f.areas.size(), 6u);
  EXPECT_EQ(f.competency_count(), 24u);
  ASSERT_EQ(f.levels.size(), 8u);
  EXPECT_EQ(f.levels[0].tier_code, "CB");
  EXPECT_EQ(f.levels[7].tier.vi, "Chuyên sâu");
  EXPECT_EQ(f.areas[5].competencies[2].code, "6.3");
  EXPECT_EQ(f.areas[0].name.vi, "Khai thác dữ liệu và thông tin");

  auto one = store->framework("tt02-2025");
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(one->competency_count(), 24u);
  EXPECT_EQ(store->framework("none").status().code(), ErrorCode::not_found);
}

TEST_F(StorageSuite, ReferenceDataIsEditableAsData) {
  migrate_all();
  auto st = db_->write([](Connection& c) {
    return c.execute("UPDATE competencies SET name_vi = $1 WHERE framework_code = $2 AND code = $3",
                     {std::string_view("Lập trình và tư duy máy tính"), std::string_view("tt02-2025"), std::string_view("3.4")})
        .status();
  });
  ASSERT_TRUE(st.ok()) << st.message();
  auto f = reference::make_sql_store(*db_)->framework("tt02-2025");
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->areas[2].competencies[3].name.vi, "Lập trình và tư duy máy tính");
}

TEST_F(StorageSuite, AccountsRegisterSignInAndSessions) {
  ASSERT_GE(sodium_init(), 0);
  migrate_all();
  auto store = accounts::make_sql_store(*db_);
  accounts::Service service(*store);
  auto now = parse_utc("2026-11-24T10:00:00.000Z").value();
  accounts::RegistrationForm form{"Trần Văn Đức", "079090001234", "0987654321", "Hoc-vu-so!", "1990-02-03", "official", "79"};
  auto reg = service.register_person(form, "127.0.0.1", now);
  ASSERT_TRUE(reg.ok()) << reg.status().message();
  ASSERT_TRUE(reg->person) << (reg->errors.empty() ? "" : reg->errors.front().second);
  EXPECT_GT(reg->person->id, 0);
  EXPECT_EQ(reg->person->full_name, "Trần Văn Đức");

  // The same CCCD, then the same phone, again: a conflict naming the field.
  auto again = service.register_person(form, "127.0.0.1", now);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->conflict);
  EXPECT_EQ(again->errors.front().first, "national_id");
  form.national_id = "079090001235";
  auto phone_taken = service.register_person(form, "127.0.0.1", now);
  EXPECT_EQ(phone_taken->errors.front().first, "phone");
  form.phone = "0987654322";
  form.unit_code = "99";
  EXPECT_EQ(service.register_person(form, "127.0.0.1", now)->errors.front().first, "unit_code");

  // Sign in by CCCD and by phone in another form; a session token authenticates until sign-out.
  using Client = accounts::Service::Client;
  using Outcome = accounts::Service::SignedIn::Outcome;
  auto by_id = service.sign_in("079 090 001 234", "Hoc-vu-so!", Client{"127.0.0.1", "test", ""}, now);
  ASSERT_TRUE(by_id.ok()) << by_id.status().message();
  ASSERT_EQ(by_id->outcome, Outcome::ok);
  ASSERT_EQ(by_id->device.size(), 43u);  // the browser's device cookie
  auto by_phone = service.sign_in("+84987654321", "Hoc-vu-so!", Client{"127.0.0.1", "test", ""}, now);
  ASSERT_EQ(by_phone->outcome, Outcome::ok);
  auto me = service.authenticate(by_id->token, now);
  ASSERT_TRUE(me.ok() && *me);
  EXPECT_EQ((*me)->id, reg->person->id);
  EXPECT_FALSE(*service.authenticate(by_id->token, now + accounts::kSessionLifetime + std::chrono::seconds(1)));
  ASSERT_TRUE(service.sign_out(by_id->token).ok());
  EXPECT_FALSE(*service.authenticate(by_id->token, now));
  EXPECT_TRUE(*service.authenticate(by_phone->token, now));  // other sessions live on

  // Wrong passwords and unknown logins look the same; after five free failures untrusted clients
  // are locked out, but the browser that signed in before is not.
  auto unknown = service.sign_in("0911111111", "whatever1", Client{"127.0.0.2", "test", ""}, now);
  EXPECT_EQ(unknown->outcome, Outcome::bad_credentials);
  for (int i = 0; i < 6; ++i)
    EXPECT_EQ(service.sign_in("0987654321", "wrong-pass", Client{"127.0.0.3", "t", ""}, now)->outcome, Outcome::bad_credentials);
  auto locked = service.sign_in("0987654321", "Hoc-vu-so!", Client{"127.0.0.4", "t", ""}, now + std::chrono::seconds(30));
  EXPECT_EQ(locked->outcome, Outcome::throttled);
  EXPECT_GT(locked->retry_after, 20);
  auto trusted = service.sign_in("0987654321", "Hoc-vu-so!", Client{"127.0.0.4", "t", by_id->device}, now + std::chrono::seconds(30));
  ASSERT_EQ(trusted->outcome, Outcome::ok);
  // The device cookie is replaced; the old one is forgotten, the new one trusted.
  ASSERT_NE(trusted->device, by_id->device);
  auto digest = [](const std::string& token) { return accounts::token_digest(token); };
  EXPECT_FALSE(*store->device_trusted(digest(by_id->device), reg->person->id));
  EXPECT_TRUE(*store->device_trusted(digest(trusted->device), reg->person->id));
  auto later = service.sign_in("0987654321", "Hoc-vu-so!", Client{"127.0.0.4", "t", ""}, now + std::chrono::minutes(2));
  EXPECT_EQ(later->outcome, Outcome::ok);

  // Trust moves with the cookie: a browser trusted for two people keeps both.
  ASSERT_TRUE(store->trust_device(digest("first"), reg->person->id, "", "2026-11-24T10:00:00.000Z").ok());
  auto other = service.register_person(accounts::RegistrationForm{"Lê Thị Hoa", "079190001236", "0987654323", "Hoc-vu-so!",
                                                                  "1990-02-03", "citizen", "79"},
                                       "127.0.0.1", now);
  ASSERT_TRUE(other.ok() && other->person);
  ASSERT_TRUE(store->trust_device(digest("second"), other->person->id, digest("first"), "2026-11-24T10:01:00.000Z").ok());
  EXPECT_TRUE(*store->device_trusted(digest("second"), reg->person->id));
  EXPECT_TRUE(*store->device_trusted(digest("second"), other->person->id));
  EXPECT_FALSE(*store->device_trusted(digest("first"), reg->person->id));
  // The failures counted against the old cookie move with its trust: signing in to another account
  // on a shared browser gives nobody a fresh budget of guesses (second reader's finding).
  put_failure(*store, accounts::device_failure_key(digest("second"), reg->person->id),
              accounts::FailureRecord{10, "2026-11-24T10:01:30.000Z", "2026-11-24T11:01:30.000Z"});
  ASSERT_TRUE(store->trust_device(digest("third"), other->person->id, digest("second"), "2026-11-24T10:01:40.000Z").ok());
  auto moved = store->failures(accounts::device_failure_key(digest("third"), reg->person->id));
  ASSERT_TRUE(moved.ok() && *moved);
  EXPECT_EQ((*moved)->failures, 10);
  EXPECT_EQ((*moved)->locked_until, std::optional<std::string>("2026-11-24T11:01:30.000Z"));
  EXPECT_FALSE(*store->failures(accounts::device_failure_key(digest("second"), reg->person->id)));
  EXPECT_TRUE(*store->device_trusted(digest("third"), reg->person->id));
  // Signing in again on the same cookie keeps one row.
  ASSERT_TRUE(store->trust_device(digest("third"), other->person->id, digest("third"), "2026-11-24T10:02:00.000Z").ok());
  EXPECT_TRUE(*store->device_trusted(digest("third"), other->person->id));
}

// Failed sign-ins are counted with the record's row held (Store::update_failures): of many counted
// at once against one key, none is lost and each caller sees its own count (they were read, then
// overwritten, and with 8 in parallel about seven in eight were lost). The window rule is the
// domain's after_failure, the only one.
TEST_F(StorageSuite, ConcurrentFailuresAreEachCountedOnce) {
  migrate_all();
  auto store = accounts::make_sql_store(*db_);
  const auto now = parse_utc("2026-11-24T10:00:00.000Z").value();
  constexpr int kThreads = 8, kEach = 25;
  std::vector<std::vector<int>> seen(kThreads);
  std::atomic<int> errors{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        auto r = count_failure(*store, "address:198.51.100.7", now, accounts::kAddressThrottle);
        if (!r) {
          ++errors;
          ADD_FAILURE() << r.status().message();
          continue;
        }
        seen[t].push_back(r->failures);
      }
    });
  for (auto& t : threads) t.join();
  ASSERT_EQ(errors, 0);
  std::vector<int> all;
  for (auto& v : seen) all.insert(all.end(), v.begin(), v.end());
  std::sort(all.begin(), all.end());
  std::vector<int> expected(kThreads * kEach);
  std::iota(expected.begin(), expected.end(), 1);
  EXPECT_EQ(all, expected);  // 1..200, each once
  auto stored = store->failures("address:198.51.100.7");
  ASSERT_TRUE(stored.ok() && *stored);
  EXPECT_EQ((*stored)->failures, kThreads * kEach);
  // The lock is the one the last count earns (the address's longest, 15 minutes).
  EXPECT_EQ((*stored)->locked_until, accounts::lock_after(kThreads * kEach, now, accounts::kAddressThrottle));
  // A window older than the policy's memory starts again at one, unlocked.
  auto later = now + std::chrono::hours(2);
  auto again = count_failure(*store, "address:198.51.100.7", later, accounts::kAddressThrottle);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->failures, 1);
  EXPECT_EQ(again->window_start, format_utc(later));
  EXPECT_FALSE(again->locked_until);
}

// The same through the service: wrong passwords for one account, sent at once, are claimed one after
// the other before they are hashed. The first six (five free failures and the one that earns the
// lock) are heard; the rest meet the lock and are refused unheard and uncounted. The account counts
// what was heard, and the address every wrong password heard.
TEST_F(StorageSuite, ParallelWrongPasswordsAllCountTowardsTheBackOff) {
  ASSERT_GE(sodium_init(), 0);
  migrate_all();
  auto store = accounts::make_sql_store(*db_);
  accounts::Service service(*store);
  const auto now = parse_utc("2026-11-24T10:00:00.000Z").value();
  auto reg = service.register_person(accounts::RegistrationForm{"Phạm Thị Thu", "079190001240", "0987654340", "Hoc-vu-so!",
                                                                "1990-02-03", "citizen", "79"},
                                     "127.0.0.1", now);
  ASSERT_TRUE(reg.ok() && reg->person);
  using Outcome = accounts::Service::SignedIn::Outcome;
  constexpr int kParallel = 8;
  std::atomic<int> wrong{0}, refused{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kParallel; ++t)
    threads.emplace_back([&, t] {
      auto r = service.sign_in("0987654340", "sai-mat-khau-" + std::to_string(t),
                               accounts::Service::Client{"203.0.113.50", "t", ""}, now);
      ASSERT_TRUE(r.ok()) << r.status().message();
      if (r->outcome == Outcome::bad_credentials) ++wrong;
      if (r->outcome == Outcome::throttled) ++refused;
    });
  for (auto& t : threads) t.join();
  ASSERT_EQ(wrong + refused, kParallel);
  EXPECT_EQ(wrong.load(), 6);
  EXPECT_EQ(refused.load(), kParallel - 6);
  // Every wrong password that was heard is counted against the account and the address.
  auto account = store->failures("login:0987654340");
  ASSERT_TRUE(account.ok() && *account);
  EXPECT_EQ((*account)->failures, wrong.load());
  EXPECT_EQ((*account)->locked_until, accounts::lock_after(wrong, now, accounts::kAccountThrottle));
  auto address = store->failures("address:203.0.113.50");
  ASSERT_TRUE(address.ok() && *address);
  EXPECT_EQ((*address)->failures, wrong.load());
}

// When a lock passes, attempts that arrive together get one guess, not one per hashing thread: each
// is claimed (and counted) before its password is hashed, with the account's row held, so the
// first earns the next lock and the others meet it. (They used to read the lock, all find it
// passed, hash for ~50 ms and count only then: all eight were heard.)
TEST_F(StorageSuite, AttemptsArrivingTogetherAfterALockGetOneGuess) {
  ASSERT_GE(sodium_init(), 0);
  migrate_all();
  auto store = accounts::make_sql_store(*db_);
  accounts::Service service(*store);
  const auto now = parse_utc("2026-11-24T10:00:00.000Z").value();
  auto reg = service.register_person(accounts::RegistrationForm{"Phạm Văn Hùng", "079090001242", "0987654342", "Hoc-vu-so!",
                                                                "1990-02-03", "citizen", "79"},
                                     "127.0.0.1", now);
  ASSERT_TRUE(reg.ok() && reg->person);
  using Outcome = accounts::Service::SignedIn::Outcome;
  using Client = accounts::Service::Client;
  for (int i = 0; i < 6; ++i)  // five free failures, and the sixth locks for a minute
    ASSERT_EQ(service.sign_in("0987654342", "sai-" + std::to_string(i), Client{"203.0.113." + std::to_string(60 + i), "t", ""}, now)
                  ->outcome,
              Outcome::bad_credentials);
  EXPECT_EQ(service.sign_in("0987654342", "sai", Client{"203.0.113.59", "t", ""}, now + std::chrono::seconds(30))->outcome,
            Outcome::throttled);
  const auto later = now + std::chrono::seconds(61);
  constexpr int kParallel = 8;
  std::atomic<int> wrong{0}, refused{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kParallel; ++t)
    threads.emplace_back([&, t] {
      auto r = service.sign_in("0987654342", "doan-" + std::to_string(t), Client{"198.51.100." + std::to_string(60 + t), "t", ""}, later);
      ASSERT_TRUE(r.ok()) << r.status().message();
      if (r->outcome == Outcome::bad_credentials) ++wrong;
      if (r->outcome == Outcome::throttled) ++refused;
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(wrong.load(), 1);
  EXPECT_EQ(refused.load(), kParallel - 1);
  auto account = store->failures("login:0987654342");
  ASSERT_TRUE(account.ok() && *account);
  EXPECT_EQ((*account)->failures, 7);  // the refused ones are not counted
  EXPECT_EQ((*account)->locked_until, accounts::lock_after(7, later, accounts::kAccountThrottle));  // two minutes
  // The owner's right password, once the lock has passed, is counted first and then forgiven.
  auto owner = service.sign_in("0987654342", "Hoc-vu-so!", Client{"192.0.2.42", "t", ""}, later + std::chrono::minutes(3));
  ASSERT_TRUE(owner.ok());
  EXPECT_EQ(owner->outcome, Outcome::ok);
  EXPECT_FALSE(*store->failures("login:0987654342"));
}

// Registrations arriving together when the address's budget is nearly spent: the one that spends
// it goes on, the others are refused before they hash or create anything. (The count was taken
// after the lock was read and its result ignored: all eight hashed and created accounts.)
TEST_F(StorageSuite, RegistrationsArrivingTogetherCannotOverspendTheBudget) {
  ASSERT_GE(sodium_init(), 0);
  migrate_all();
  auto store = accounts::make_sql_store(*db_);
  accounts::Service service(*store);
  const auto now = parse_utc("2026-11-24T10:00:00.000Z").value();
  put_failure(*store, "register:198.51.100.99", accounts::FailureRecord{99, format_utc(now - std::chrono::minutes(5)), std::nullopt});
  constexpr int kParallel = 8;
  std::atomic<int> created{0}, refused{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kParallel; ++t)
    threads.emplace_back([&, t] {
      auto r = service.register_person(accounts::RegistrationForm{"Lê Văn Tám", "07919000130" + std::to_string(t),
                                                                  "098765430" + std::to_string(t), "Hoc-vu-so!", "1990-02-03",
                                                                  "citizen", "79"},
                                       "198.51.100.99", now);
      ASSERT_TRUE(r.ok()) << r.status().message();
      ASSERT_TRUE(r->errors.empty()) << r->errors.front().first << ": " << r->errors.front().second;
      if (r->person) ++created;
      if (r->retry_after > 0) ++refused;
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(created.load(), 1);
  EXPECT_EQ(refused.load(), kParallel - 1);
  auto counted = store->failures("register:198.51.100.99");
  ASSERT_TRUE(counted.ok() && *counted);
  EXPECT_EQ((*counted)->failures, 100);
}

// Counting each attempt before its check must not lock out a person who has proven their setup
// code but keeps choosing a password too weak: the proven code forgives the attempt it counted.
TEST_F(StorageSuite, AProvenSetupCodeWithAWeakPasswordIsNeverThrottled) {
  ASSERT_GE(sodium_init(), 0);
  migrate_all();
  auto store = accounts::make_sql_store(*db_);
  accounts::Service service(*store);
  const auto now = parse_utc("2026-11-24T10:00:00.000Z").value();
  auto reg = service.register_person(accounts::RegistrationForm{"Vũ Thị Mai", "079190001243", "0987654343", "Hoc-vu-so!",
                                                                "1990-02-03", "citizen", "79"},
                                     "127.0.0.1", now);
  ASSERT_TRUE(reg.ok() && reg->person);
  auto dir = accounts::make_sql_directory(*db_);
  ASSERT_TRUE(dir->issue_setup_code(reg->person->id, accounts::token_digest("ma-thiet-lap"), format_utc(now + std::chrono::hours(1)),
                                    reg->person->id)
                  .ok());
  using Client = accounts::Service::Client;
  for (int i = 0; i < 8; ++i) {
    auto weak = service.first_sign_in("0987654343", "ma-thiet-lap", "123", Client{"192.0.2.43", "t", ""}, now);
    ASSERT_TRUE(weak.ok()) << weak.status().message();
    EXPECT_EQ(weak->signed_in.outcome, accounts::Service::SignedIn::Outcome::bad_credentials) << i;
    ASSERT_EQ(weak->errors.size(), 1u) << "attempt " << i + 1 << " was refused unheard";
    EXPECT_EQ(weak->errors.front().first, "new_password");
  }
  auto done = service.first_sign_in("0987654343", "ma-thiet-lap", "Mat-khau-moi-9", Client{"192.0.2.43", "t", ""}, now);
  ASSERT_TRUE(done.ok());
  EXPECT_EQ(done->signed_in.outcome, accounts::Service::SignedIn::Outcome::ok);
}

// Housekeeping is not the request's business: when it fails, the sign-in is still answered and
// every count it makes is kept (its error used to be returned in place of the count's, after the
// account's was counted and before the address's was).
TEST_F(StorageSuite, AHousekeepingErrorNeverFailsASignIn) {
  ASSERT_GE(sodium_init(), 0);
  migrate_all();
  auto store = accounts::make_sql_store(*db_);
  // Housekeeping deletes from trusted_devices; without it, it fails. A sign-in with an unknown
  // login and no device cookie never reads that table.
  ASSERT_TRUE(db_->write([](Connection& c) { return c.execute_script("DROP TABLE trusted_devices"); }).ok());
  accounts::Service service(*store);
  const auto now = parse_utc("2026-11-24T10:00:00.000Z").value();
  ASSERT_FALSE(service.housekeeping(now).ok());
  auto failed = service.sign_in("0911111142", "whatever1", accounts::Service::Client{"192.0.2.142", "t", ""}, now);
  ASSERT_TRUE(failed.ok()) << failed.status().message();
  EXPECT_EQ(failed->outcome, accounts::Service::SignedIn::Outcome::bad_credentials);
  auto address = store->failures("address:192.0.2.142");
  ASSERT_TRUE(address.ok() && *address);
  EXPECT_EQ((*address)->failures, 1);
  auto account = store->failures("login:0911111142");
  ASSERT_TRUE(account.ok() && *account);
  EXPECT_EQ((*account)->failures, 1);
}

// Device trusts are deleted in batches like failure records: a backlog never holds the writer for
// one long delete.
TEST_F(StorageSuite, HousekeepingDeletesDeviceTrustsInBatches) {
  migrate_all();
  auto store = accounts::make_sql_store(*db_);
  ASSERT_TRUE(db_->write([](Connection& c) -> Status {
                if (auto r = c.execute("INSERT INTO people (full_name, search_name, phone, target_group, unit_code, created_at, updated_at)"
                                       " VALUES ('A', 'a', '0900000042', 'citizen', '79', '2020-01-01T00:00:00.000Z', '2020-01-01T00:00:00.000Z')",
                                       {});
                    !r)
                  return r.status();
                return c
                    .execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $1)"
                             " INSERT INTO trusted_devices (device_digest, person_id, trusted_at)"
                             " SELECT 'd' || CAST(i AS TEXT), (SELECT MIN(id) FROM people), '2020-01-01T00:00:00.000Z' FROM n",
                             {accounts::kHousekeepingBatch + 5})
                    .status();
              })
                  .ok());
  accounts::Service service(*store);
  const auto now = parse_utc("2026-11-24T10:00:00.000Z").value();
  EXPECT_EQ(*service.housekeeping(now), accounts::kHousekeepingBatch);
  EXPECT_EQ(*service.housekeeping(now), 5);
  EXPECT_EQ(*service.housekeeping(now), 0);
}

// Records that decide nothing any more are deleted as part of normal work: failure records whose
// window and lock have both passed, and device trusts older than the device cookie lives. Fresh
// ones stay, and so does an old window that is still locked.
TEST_F(StorageSuite, HousekeepingForgetsExpiredFailuresAndDevicesOnly) {
  ASSERT_GE(sodium_init(), 0);
  migrate_all();
  auto store = accounts::make_sql_store(*db_);
  const auto now = parse_utc("2026-11-24T10:00:00.000Z").value();
  auto reg = accounts::Service(*store).register_person(
      accounts::RegistrationForm{"Đỗ Văn Nam", "079090001241", "0987654341", "Hoc-vu-so!", "1990-02-03", "citizen", "79"},
      "127.0.0.1", now);
  ASSERT_TRUE(reg.ok() && reg->person);
  const auto id = reg->person->id;
  auto count_at = [&](const std::string& key, SystemTime at, std::optional<std::string> lock) {
    put_failure(*store, key, accounts::FailureRecord{1, format_utc(at), std::move(lock)});
  };
  count_at("login:0900000001", now - std::chrono::hours(30), std::nullopt);              // old, unlocked: goes
  count_at("address:192.0.2.1", now - std::chrono::hours(25), format_utc(now - std::chrono::hours(24)));  // lock passed: goes
  count_at("login:0900000002", now - std::chrono::hours(25), format_utc(now + std::chrono::minutes(5)));   // still locked: stays
  count_at("login:0900000003", now - std::chrono::hours(2), std::nullopt);               // within its window: stays
  ASSERT_TRUE(store->trust_device("old-device", id, "", format_utc(now - accounts::kDeviceTrustLifetime - std::chrono::hours(1))).ok());
  ASSERT_TRUE(store->trust_device("new-device", id, "", format_utc(now - std::chrono::hours(24 * 30))).ok());

  // A failed sign-in is what triggers it (at most once a minute per process).
  accounts::Service service(*store);
  auto failed = service.sign_in("0911111119", "whatever1", accounts::Service::Client{"192.0.2.9", "t", ""}, now);
  ASSERT_TRUE(failed.ok()) << failed.status().message();
  EXPECT_FALSE(*store->failures("login:0900000001"));
  EXPECT_FALSE(*store->failures("address:192.0.2.1"));
  EXPECT_TRUE(*store->failures("login:0900000002"));
  EXPECT_TRUE(*store->failures("login:0900000003"));
  EXPECT_TRUE(*store->failures("address:192.0.2.9"));  // the failure just counted
  EXPECT_FALSE(*store->device_trusted("old-device", id));
  EXPECT_TRUE(*store->device_trusted("new-device", id));

  // Later, once the lock and the window have passed, the rest goes too; a second call finds nothing.
  auto day_after = now + std::chrono::hours(25);
  auto gone = service.housekeeping(day_after);
  ASSERT_TRUE(gone.ok()) << gone.status().message();
  // login:...02 and ...03, and what the sign-in above counted (its login, its address) and the
  // registration (register:127.0.0.1).
  EXPECT_EQ(*gone, 5);
  EXPECT_FALSE(*store->failures("login:0900000002"));
  EXPECT_FALSE(*store->failures("login:0900000003"));
  EXPECT_EQ(*service.housekeeping(day_after), 0);
  EXPECT_TRUE(*store->device_trusted("new-device", id));
}

// Deleting a person removes what is about them, not the record of what they did to others: an
// audit entry keeps its actor's id and name (it was ON DELETE SET NULL, erasing the actor), marked
// as deleted so that a later person given the same id (SQLite reuses the highest) is never taken
// for them.
// What a scope reaches (accounts::Reach): an organisation's subtree may cross provinces, and a
// role there reaches every unit where an organisation of it stands, under the organisation.
TEST_F(StorageSuite, AnOrganisationReachesEveryUnitOfItsSubtree) {
  migrate_all();
  auto dir = accounts::make_sql_directory(*db_);
  auto org = [&](const char* name, const char* unit, std::optional<std::int64_t> parent) {
    accounts::Organisation o;
    o.name = name;
    o.kind = "ministry";
    o.unit_code = unit;
    o.parent_id = parent;
    auto made = dir->create_organisation(o, "2026-12-03T10:00:00.000Z");
    EXPECT_TRUE(made.ok()) << made.status().message();
    return made.ok() ? made->id : 0;
  };
  const auto ministry = org("Bộ", "01", std::nullopt);
  const auto south = org("Sở phía Nam", "79", ministry);
  org("Phòng ở Hà Nội", "01", south);  // back in the ministry's own unit: counted once
  org("Chi cục Đà Nẵng", "48", ministry);
  using accounts::Scope;
  using accounts::ScopeKind;
  auto units = [](const accounts::Reach& r) {
    std::vector<std::string> out;
    for (const auto& p : r) out.push_back(p.unit_code + "/" + p.province_code);
    return out;
  };
  auto whole = dir->reach_of_scope(Scope{ScopeKind::organisation, std::to_string(ministry)});
  ASSERT_TRUE(whole.ok()) << whole.status().message();
  EXPECT_EQ(units(*whole), (std::vector<std::string>{"01/01", "48/48", "79/79"}));
  for (const auto& p : *whole) EXPECT_EQ(p.organisation_ids, std::vector<std::string>{std::to_string(ministry)});
  auto part = dir->reach_of_scope(Scope{ScopeKind::organisation, std::to_string(south)});
  ASSERT_TRUE(part.ok());
  EXPECT_EQ(units(*part), (std::vector<std::string>{"79/79", "01/01"}));  // its own place first
  EXPECT_EQ(part->back().organisation_ids, (std::vector<std::string>{std::to_string(south), std::to_string(ministry)}));
  EXPECT_EQ(units(*dir->reach_of_scope(Scope{ScopeKind::unit, "79"})), std::vector<std::string>{"79/79"});
  EXPECT_EQ(dir->reach_of_scope(Scope{ScopeKind::national, ""})->size(), 1u);
  EXPECT_TRUE(dir->reach_of_scope(Scope{ScopeKind::organisation, "999999"})->empty());
  EXPECT_TRUE(dir->reach_of_scope(Scope{ScopeKind::unit, "00"})->empty());
}

TEST_F(StorageSuite, AuditEntriesKeepTheirActorAfterTheActorIsDeleted) {
  ASSERT_GE(sodium_init(), 0);
  migrate_all();
  auto store = accounts::make_sql_store(*db_);
  accounts::Service service(*store);
  auto dir = accounts::make_sql_directory(*db_);
  auto now = parse_utc("2026-11-24T10:00:00.000Z").value();
  auto person = [&](const char* name, const char* cccd, const char* phone) -> std::int64_t {
    accounts::RegistrationForm form{name, cccd, phone, "Hoc-vu-so!", "1990-02-03", "official", "01"};
    auto reg = service.register_person(form, "127.0.0.1", now);
    EXPECT_TRUE(reg.ok() && reg->person) << name;
    return reg.ok() && reg->person ? reg->person->id : 0;
  };
  const std::int64_t subject = person("Người Được Cấp", "001190000401", "0912000401");
  const std::int64_t manager = person("Quản Lý Xã", "001190000402", "0912000402");  // the highest id
  auto audit = [&](std::int64_t actor, std::int64_t about, const char* action) {
    accounts::AuditEntry e;
    e.at = "2026-11-24T10:00:00.000Z";
    e.actor_id = actor;
    e.subject_id = about;
    e.action = action;
    e.detail = "{}";
    e.request_id = "r";
    e.address = "127.0.0.1";
    ASSERT_TRUE(dir->audit(e).ok());
  };
  audit(manager, subject, "grant_role");
  audit(manager, manager, "view_person");  // about themself: goes with them
  auto deletion = [&](std::int64_t about) {
    accounts::AuditEntry e;
    e.at = "2026-11-24T11:00:00.000Z";
    e.subject_id = about;
    e.action = "delete_person";
    e.detail = "{}";
    return e;
  };
  // A deletion that does not happen leaves no record of one (one transaction).
  auto none = dir->delete_person(manager + 1000, deletion(manager + 1000));
  EXPECT_EQ(none.code(), ErrorCode::not_found);
  ASSERT_EQ(dir->audit_log(1, 50, std::nullopt)->size(), 2u);
  ASSERT_TRUE(dir->delete_person(manager, deletion(manager)).ok());
  const std::int64_t later = person("Người Đến Sau", "001190000403", "0912000403");  // may get the same id on SQLite
  audit(later, subject, "revoke_role");

  auto log = dir->audit_log(1, 50, std::nullopt);
  ASSERT_TRUE(log.ok()) << log.status().message();
  ASSERT_EQ(log->size(), 4u);
  const auto& revoke = (*log)[0];
  const auto& record = (*log)[1];
  const auto& own = (*log)[2];
  const auto& grant = (*log)[3];
  EXPECT_EQ(record.action, "delete_person");  // written with the deletion; its subject is gone
  EXPECT_EQ(record.subject_id, std::nullopt);
  EXPECT_EQ(grant.action, "grant_role");
  EXPECT_EQ(grant.actor_id, manager);
  EXPECT_EQ(grant.actor_name, "Quản Lý Xã");
  EXPECT_TRUE(grant.actor_deleted);
  EXPECT_EQ(grant.subject_name, "Người Được Cấp");
  EXPECT_EQ(own.actor_id, std::nullopt);
  EXPECT_EQ(own.actor_name, "");
  EXPECT_EQ(own.subject_id, std::nullopt);
  EXPECT_EQ(revoke.actor_id, later);
  EXPECT_EQ(revoke.actor_name, "Người Đến Sau");
  EXPECT_FALSE(revoke.actor_deleted);

  // The subject's deletion takes their link and name from the entries about them; the actor stays.
  ASSERT_TRUE(dir->delete_person(subject, deletion(subject)).ok());
  log = dir->audit_log(1, 50, std::nullopt);
  ASSERT_TRUE(log.ok());
  EXPECT_EQ((*log)[4].subject_id, std::nullopt);
  EXPECT_EQ((*log)[4].subject_name, "");
  EXPECT_EQ((*log)[4].actor_name, "Quản Lý Xã");
}

// Assessment storage: question versions, and the attempt rules that must hold under concurrency
// on both engines: one open attempt however many starts race, and no saved answer lost when a
// save races the close that grades it.
class AssessmentStore : public StorageSuite {
 protected:
  void SetUp() override {
    StorageSuite::SetUp();
    ASSERT_GE(sodium_init(), 0);
    migrate_all();
    accounts_ = accounts::make_sql_store(*db_);
    accounts::Service people(*accounts_);
    auto now = parse_utc("2026-11-24T10:00:00.000Z").value();
    accounts::RegistrationForm form{"Lò Văn Thi", "001190000321", "0912000321", "Hoc-vu-so!", "1990-02-03", "citizen", "01"};
    auto reg = people.register_person(form, "127.0.0.1", now);
    ASSERT_TRUE(reg.ok() && reg->person);
    person_ = reg->person->id;
    auto st = db_->write([](Connection& c) {
      auto n = c.execute("INSERT INTO organisations (name, search_name, kind, unit_code, created_at)"
                         " VALUES ('Trung tâm Khảo thí', 'trung tam khao thi', 'other', '01', '2026-11-24T10:00:00.000Z')");
      return n.ok() ? Status{} : n.status();
    });
    ASSERT_TRUE(st.ok()) << st.message();
    store_ = assessment::make_sql_store(*db_);
    auto bank = store_->create_bank(1, "Ngân hàng thi", person_, "2026-11-24T10:00:00.000Z");
    ASSERT_TRUE(bank.ok()) << bank.status().message();
    bank_ = *bank;
    std::vector<assessment::Question> qs;
    for (int i = 1; i <= 20; ++i) {
      assessment::Question q{.id = "q" + std::to_string(i), .type = assessment::QuestionType::short_answer,
                             .text = "Câu " + std::to_string(i)};
      q.accepted = {{"đáp án " + std::to_string(i), 1, ""}};
      qs.push_back(q);
    }
    auto saved = store_->save_questions(bank_, qs, person_, "2026-11-24T10:00:00.000Z");
    ASSERT_TRUE(saved.ok()) << saved.status().message();
    assessment::QuizRecord quiz;
    quiz.bank_id = bank_;
    quiz.kind = assessment::QuizKind::placement;
    quiz.title = "Kiểm tra đầu vào";
    quiz.settings.domain = "4";
    auto id = store_->create_quiz(quiz, person_, "2026-11-24T10:00:00.000Z");
    ASSERT_TRUE(id.ok()) << id.status().message();
    quiz_ = *id;
  }
  void TearDown() override {
    store_.reset();
    accounts_.reset();
    StorageSuite::TearDown();
  }
  // Starts an attempt over all 20 questions with the given deadline.
  std::int64_t start(std::int64_t now_ms, std::int64_t deadline_ms) {
    assessment::NewAttempt a;
    for (int i = 1; i <= 20; ++i) a.drawn.push_back({"q" + std::to_string(i), 1, {}});
    a.deadline_ms = deadline_ms;
    auto r = store_->insert_attempt(quiz_, person_, now_ms, 1, a);
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? r->attempt.id : 0;
  }

  std::unique_ptr<accounts::Store> accounts_;
  std::unique_ptr<assessment::Store> store_;
  std::int64_t person_ = 0, bank_ = 0, quiz_ = 0;
};

TEST_F(AssessmentStore, SavingAChangedQuestionMakesAVersionAndKeepsTheOldOne) {
  auto q = store_->question_version(bank_, "q1", 1);
  ASSERT_TRUE(q.ok() && *q);
  auto same = store_->save_questions(bank_, {**q}, person_, "2026-11-24T11:00:00.000Z");
  ASSERT_TRUE(same.ok());
  EXPECT_FALSE(same->front().changed);
  EXPECT_EQ(same->front().version, 1);
  auto edited = **q;
  edited.accepted.push_back({"dap an 1", 0.5, ""});
  auto changed = store_->save_questions(bank_, {edited}, person_, "2026-11-24T11:00:00.000Z");
  ASSERT_TRUE(changed.ok());
  EXPECT_TRUE(changed->front().changed);
  EXPECT_EQ(changed->front().version, 2);
  EXPECT_EQ(**store_->question_version(bank_, "q1", 1), **q);
  EXPECT_EQ(**store_->question_version(bank_, "q1", 2), edited);
  auto stamp = store_->bank_stamp(bank_);
  ASSERT_TRUE(stamp.ok());
  EXPECT_EQ(stamp->first, 20);
  EXPECT_EQ(stamp->second, 21);  // 19 questions at version 1, one at version 2
}

TEST_F(AssessmentStore, RacingStartsOpenOneAttempt) {
  // Eight starts decided on the same (empty) history race to insert attempt number 1: the
  // database lets one in and the others get it back.
  constexpr int kThreads = 8;
  std::vector<std::int64_t> ids(kThreads);
  std::vector<bool> created(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      auto r = store_->insert_attempt(quiz_, person_, 1000, 1, assessment::NewAttempt{{{"q1", 1, {}}}, 0});
      ASSERT_TRUE(r.ok()) << r.status().message();
      ids[t] = r->attempt.id;
      created[t] = r->created;
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(std::count(created.begin(), created.end(), true), 1);
  for (auto id : ids) EXPECT_EQ(id, ids.front());
  auto all = store_->attempts_of(quiz_, person_);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 1u);

  // Closed, then two starts of attempt number 2 race: one wins, the other gets the winner's.
  ASSERT_TRUE(store_->close_attempt(ids.front(), 2000, person_, [](const assessment::AttemptRecord&) {
    return assessment::Closing{"learner", 0, 1, false, {}, {}};
  }).ok());
  auto second = store_->insert_attempt(quiz_, person_, 3000, 2, assessment::NewAttempt{{{"q2", 1, {}}}, 0});
  ASSERT_TRUE(second.ok() && second->created);
  auto loser = store_->insert_attempt(quiz_, person_, 3001, 2, assessment::NewAttempt{{{"q3", 1, {}}}, 0});
  ASSERT_TRUE(loser.ok());
  EXPECT_FALSE(loser->created);
  EXPECT_EQ(loser->attempt.id, second->attempt.id);
  EXPECT_EQ(loser->attempt.drawn.front().id, "q2");
  // A start that lost to an attempt already over gets nothing back: its caller looks again.
  ASSERT_TRUE(store_->close_attempt(second->attempt.id, 4000, person_, [](const assessment::AttemptRecord&) {
    return assessment::Closing{"learner", 0, 1, false, {}, {}};
  }).ok());
  auto late = store_->insert_attempt(quiz_, person_, 5000, 2, assessment::NewAttempt{{{"q3", 1, {}}}, 0});
  ASSERT_TRUE(late.ok());
  EXPECT_FALSE(late->created);
  EXPECT_EQ(late->attempt.id, 0);
}

TEST_F(AssessmentStore, NoSavedAnswerIsLostWhenSavesRaceTheClose) {
  const std::int64_t attempt = start(1000, 0);
  ASSERT_GT(attempt, 0);
  // Twenty writers each save their own question again and again while the attempt is closed
  // under them. Every save that reported "saved" before the close must be what was graded.
  constexpr int kWriters = 20, kSaves = 30;
  std::vector<std::string> last_saved(kWriters);
  std::vector<int> refused(kWriters, 0);
  std::atomic<bool> go{false};
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w)
    writers.emplace_back([&, w] {
      while (!go) std::this_thread::yield();
      for (int i = 0; i < kSaves; ++i) {
        const std::string value = "\"" + std::to_string(w) + "-" + std::to_string(i) + "\"";
        auto r = store_->save_answer(attempt, "q" + std::to_string(w + 1), value, 2000 + i, 0, person_);
        ASSERT_TRUE(r.ok()) << r.status().message();
        if (*r == assessment::SaveOutcome::saved) {
          ASSERT_EQ(refused[w], 0) << "a save succeeded after one was refused as closed";
          last_saved[w] = value;
        } else {
          ASSERT_EQ(*r, assessment::SaveOutcome::closed);
          ++refused[w];
        }
      }
    });
  assessment::AttemptRecord graded;
  go = true;
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  auto closed = store_->close_attempt(attempt, 5000, person_, [&](const assessment::AttemptRecord& a) {
    graded = a;
    return assessment::Closing{"learner", 1, 20, false, {}, {{"4.1", {3, 1.5}}}};
  });
  for (auto& th : writers) th.join();
  ASSERT_TRUE(closed.ok()) << closed.status().message();
  EXPECT_TRUE(*closed);
  for (int w = 0; w < kWriters; ++w) {
    auto it = graded.answers.find("q" + std::to_string(w + 1));
    if (last_saved[w].empty()) {
      EXPECT_EQ(it, graded.answers.end());
      continue;
    }
    ASSERT_NE(it, graded.answers.end()) << "writer " << w;
    EXPECT_EQ(it->second.value, last_saved[w]) << "writer " << w;
  }
  // What is stored is what was graded, and closing twice changes nothing.
  auto stored = store_->attempt(attempt, true);
  ASSERT_TRUE(stored.ok() && *stored);
  EXPECT_EQ((*stored)->answers.size(), graded.answers.size());
  for (const auto& [q, a] : graded.answers) EXPECT_EQ((*stored)->answers.at(q).value, a.value);
  auto again = store_->close_attempt(attempt, 6000, person_, [](const assessment::AttemptRecord&) {
    ADD_FAILURE() << "graded twice";
    return assessment::Closing{};
  });
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(*again);
  auto evidence = store_->evidence_of(person_);
  ASSERT_TRUE(evidence.ok());
  ASSERT_EQ(evidence->size(), 1u);
  EXPECT_EQ(evidence->front().answered, 3);
}

TEST_F(AssessmentStore, AnswersAfterTheDeadlineAndGraceAreLateAndSavesAreIdempotent) {
  const std::int64_t attempt = start(1000, 10'000);
  ASSERT_GT(attempt, 0);
  auto first = store_->save_answer(attempt, "q1", "\"a\"", 5'000, 2'000, person_);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(*first, assessment::SaveOutcome::saved);
  EXPECT_EQ(*store_->save_answer(attempt, "q1", "\"a\"", 6'000, 2'000, person_), assessment::SaveOutcome::unchanged);
  EXPECT_EQ(*store_->save_answer(attempt, "q1", "\"b\"", 12'000, 2'000, person_), assessment::SaveOutcome::saved);  // in grace
  EXPECT_EQ(*store_->save_answer(attempt, "q1", "\"c\"", 12'001, 2'000, person_), assessment::SaveOutcome::late);
  EXPECT_EQ(*store_->save_answer(attempt + 1000, "q1", "\"c\"", 6'000, 2'000, person_), assessment::SaveOutcome::no_attempt);
  auto stored = store_->attempt(attempt, true);
  EXPECT_EQ((*stored)->answers.at("q1").value, "\"b\"");
  auto events = store_->attempt_events(attempt);
  ASSERT_TRUE(events.ok());
  std::vector<std::string> kinds;
  for (const auto& e : *events) kinds.push_back(e.kind);
  EXPECT_EQ(kinds, (std::vector<std::string>{"started", "saved", "saved"}));  // the unchanged save wrote nothing
  auto expired = store_->expired_attempts(quiz_, 12'001, 2'000);
  ASSERT_TRUE(expired.ok());
  EXPECT_EQ(*expired, std::vector<std::int64_t>{attempt});
}

}  // namespace
}  // namespace hocvu::storage
