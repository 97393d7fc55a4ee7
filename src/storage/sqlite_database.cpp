// SQLite adapter: one file, WAL journal, a pool of connections (readers run in parallel under WAL),
// one writer at a time inside the process (a mutex, so writers queue instead of spinning on
// SQLITE_BUSY) and a busy timeout for writers in other processes (hocvu migrate, a second server).
#include "storage/database.h"
#include "storage/pool.h"
#include "storage/sqlite_database.h"

#include <sqlite3.h>

#include <charconv>
#include <condition_variable>
#include <deque>
#include <exception>
#include <filesystem>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace hocvu::storage {
namespace {

class SqliteRow final : public Row {
 public:
  explicit SqliteRow(sqlite3_stmt* stmt) : stmt_(stmt) {}
  int columns() const override { return sqlite3_column_count(stmt_); }
  bool is_null(int col) const override { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
  std::int64_t int64(int col) const override { return sqlite3_column_int64(stmt_, col); }
  double real(int col) const override { return sqlite3_column_double(stmt_, col); }
  std::string_view text(int col) const override {
    auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
    if (!p) return {};
    return {p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col))};
  }
 private:
  sqlite3_stmt* stmt_;
};

struct Prepared {
  sqlite3_stmt* stmt = nullptr;
  std::vector<int> param_index;  // sqlite parameter i+1 takes params[param_index[i]] ($N -> N-1)
};

class SqliteConnection final : public Connection {
 public:
  explicit SqliteConnection(sqlite3* db) : db_(db) {}
  ~SqliteConnection() override {
    for (auto& [sql, p] : cache_) sqlite3_finalize(p.stmt);
    sqlite3_close_v2(db_);
  }
  using Connection::execute;
  using Connection::query;
  Dialect dialect() const override { return Dialect::sqlite; }
  bool broken() const { return false; }  // a local file does not drop its connection

  Result<std::int64_t> execute(std::string_view sql, std::span<const Value> params) override {
    auto st = run(sql, params, nullptr);
    if (!st.ok()) return st;
    return static_cast<std::int64_t>(sqlite3_changes(db_));
  }

  Status query(std::string_view sql, std::span<const Value> params, const RowCallback& on_row) override {
    return run(sql, params, &on_row);
  }

  Status execute_script(std::string_view sql) override {
    char* err = nullptr;
    std::string text(sql);
    if (sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      std::string msg = err ? err : "unknown error";
      sqlite3_free(err);
      return Error(ErrorCode::internal, "sqlite: " + msg);
    }
    return {};
  }

  // Transaction control goes through the statement cache like any statement: sqlite3_exec would
  // parse "BEGIN" and "COMMIT" again on every transaction (a measurable share of a read's cost).
  Status begin(bool write) { return run(write ? "BEGIN IMMEDIATE" : "BEGIN", {}, nullptr); }
  Status commit() { return run("COMMIT", {}, nullptr); }
  void rollback() { sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr); }
  // One writer's part of a shared transaction (see SqliteDatabase::write).
  Status savepoint() { return run("SAVEPOINT writer", {}, nullptr); }
  Status release() { return run("RELEASE writer", {}, nullptr); }
  void rollback_to() { sqlite3_exec(db_, "ROLLBACK TO writer; RELEASE writer", nullptr, nullptr, nullptr); }

 private:
  Status error(int rc, std::string_view sql) {
    ErrorCode code = ErrorCode::internal;
    int primary = rc & 0xff;
    if (primary == SQLITE_CONSTRAINT) code = ErrorCode::conflict;
    if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) code = ErrorCode::unavailable;
    return Error(code, std::string("sqlite: ") + sqlite3_errmsg(db_) + " in: " + std::string(sql.substr(0, 120)));
  }

  Result<Prepared*> prepare(std::string_view sql) {
    auto it = cache_.find(sql);
    if (it != cache_.end()) return &it->second;
    Prepared p;
    int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                                &p.stmt, nullptr);
    if (rc != SQLITE_OK) return error(rc, sql);
    int n = sqlite3_bind_parameter_count(p.stmt);
    for (int i = 1; i <= n; ++i) {
      const char* name = sqlite3_bind_parameter_name(p.stmt, i);
      int index = 0;
      if (!name || name[0] != '$' ||
          std::from_chars(name + 1, name + std::char_traits<char>::length(name), index).ec != std::errc{} ||
          index < 1) {
        sqlite3_finalize(p.stmt);
        return Error(ErrorCode::internal, "sqlite: parameters must be written $1, $2, ...: " + std::string(sql));
      }
      p.param_index.push_back(index - 1);
    }
    auto [pos, _] = cache_.emplace(std::string(sql), std::move(p));
    return &pos->second;
  }

  Status run(std::string_view sql, std::span<const Value> params, const RowCallback* on_row) {
    auto prepared = prepare(sql);
    if (!prepared) return prepared.status();
    sqlite3_stmt* stmt = (*prepared)->stmt;
    const auto& index = (*prepared)->param_index;
    const Value* values = params.data();
    for (std::size_t i = 0; i < index.size(); ++i) {
      int slot = static_cast<int>(i) + 1;
      if (static_cast<std::size_t>(index[i]) >= params.size()) {
        sqlite3_reset(stmt);
        return Error(ErrorCode::internal, "sqlite: missing parameter $" + std::to_string(index[i] + 1));
      }
      const Value& v = values[index[i]];
      int rc = std::visit(
          [&](auto&& x) -> int {
            using T = std::decay_t<decltype(x)>;
            if constexpr (std::is_same_v<T, std::nullptr_t>) return sqlite3_bind_null(stmt, slot);
            else if constexpr (std::is_same_v<T, std::int64_t>) return sqlite3_bind_int64(stmt, slot, x);
            else if constexpr (std::is_same_v<T, double>) return sqlite3_bind_double(stmt, slot, x);
            else return sqlite3_bind_text(stmt, slot, x.data(), static_cast<int>(x.size()), SQLITE_STATIC);
          },
          v);
      if (rc != SQLITE_OK) {
        sqlite3_reset(stmt);
        return error(rc, sql);
      }
    }
    // Reset the statement however this ends, a throwing row callback included.
    struct Reset {
      sqlite3_stmt* s;
      ~Reset() { sqlite3_reset(s); sqlite3_clear_bindings(s); }
    } reset{stmt};
    SqliteRow row(stmt);
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      if (on_row) (*on_row)(row);
    }
    return rc == SQLITE_DONE ? Status{} : error(rc, sql);
  }

  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  sqlite3* db_;
  std::unordered_map<std::string, Prepared, Hash, std::equal_to<>> cache_;
};

Result<std::unique_ptr<SqliteConnection>> open_connection(const std::string& path, SqliteSync sync) {
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close_v2(db);
    return Error(ErrorCode::unavailable, "cannot open SQLite database " + path + ": " + msg);
  }
  auto conn = std::make_unique<SqliteConnection>(db);
  sqlite3_busy_timeout(db, 10000);
  // WAL: readers never block the writer. synchronous=FULL syncs the WAL at every COMMIT, so a
  // transaction that write() reports committed survives a power loss as well as a killed process;
  // group commit shares that sync among up to 64 writers
  // (docs/decisions/0008-acknowledged-writes-survive-power-loss.md).
  auto st = conn->execute_script(
      sync == SqliteSync::full
          ? "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
            "PRAGMA temp_store=MEMORY; PRAGMA cache_size=-16000;"
          : "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            "PRAGMA temp_store=MEMORY; PRAGMA cache_size=-16000;");
  if (!st.ok()) return st;
  return conn;
}

class SqliteDatabase final : public Database {
 public:
  SqliteDatabase(std::string path, unsigned pool_size, SqliteSync sync)
      : path_(std::move(path)), pool_(pool_size, [this, sync] { return open_connection(path_, sync); }) {}

  Dialect dialect() const override { return Dialect::sqlite; }

  // Group commit. SQLite has one writer at a time, and a transaction's fixed cost (BEGIN, COMMIT,
  // the WAL frame header, the lock handoff) dominates small writes such as progress heartbeats
  // and exam answers. Writers queue; whoever finds no batch running takes up to kMaxBatch queued
  // writes and runs them in one transaction, each inside its own savepoint: a write that fails or
  // throws is rolled back alone, the others commit together, and every caller returns only after
  // the commit that holds its changes. A lone writer runs exactly as before.
  Status write(const std::function<Status(Connection&)>& work) override {
    WriteRequest request{&work};
    std::unique_lock lock(queue_mutex_);
    queue_.push_back(&request);
    while (!request.done) {
      if (batch_running_) {
        queue_cv_.wait(lock);
        continue;
      }
      batch_running_ = true;
      std::vector<WriteRequest*> batch;
      while (!queue_.empty() && batch.size() < kMaxBatch) {
        batch.push_back(queue_.front());
        queue_.pop_front();
      }
      lock.unlock();
      run_batch(batch);
      lock.lock();
      for (auto* r : batch) r->done = true;
      batch_running_ = false;
      queue_cv_.notify_all();
    }
    if (request.error) std::rethrow_exception(request.error);
    return request.result;
  }
  Status read(const std::function<Status(Connection&)>& work) override { return transact(work, false); }

  bool ping() override {
    return read([](Connection& c) { return c.query("SELECT 1", {}, [](const Row&) {}); }).ok();
  }
  PoolStats stats() const override { return pool_.stats(); }
  std::string describe() const override { return "sqlite:" + path_; }

 private:
  Status transact(const std::function<Status(Connection&)>& work, bool write) {
    auto lease = pool_.acquire();
    if (!lease) return lease.status();
    auto& conn = **lease;
    if (auto st = conn.begin(write); !st.ok()) { pool_.count_error(); return st; }
    Status st;
    try {
      st = work(conn);
    } catch (...) {
      conn.rollback();  // never return a connection to the pool inside a transaction
      pool_.count_error();
      throw;
    }
    if (st.ok()) st = conn.commit();
    if (!st.ok()) {
      conn.rollback();
      if (st.code() == ErrorCode::internal || st.code() == ErrorCode::unavailable) pool_.count_error();
    }
    return st;
  }

  struct WriteRequest {
    const std::function<Status(Connection&)>* work;
    Status result;
    std::exception_ptr error;
    bool done = false;
  };
  static constexpr std::size_t kMaxBatch = 64;

  void run_batch(const std::vector<WriteRequest*>& batch) {
    if (batch.size() == 1) {
      WriteRequest& r = *batch.front();
      try {
        r.result = transact(*r.work, true);
      } catch (...) {
        r.error = std::current_exception();
      }
      return;
    }
    auto fail_all = [&](const Status& st) {
      for (auto* r : batch)
        if (r->result.ok() && !r->error) r->result = st;
    };
    auto lease = pool_.acquire();
    if (!lease) return fail_all(lease.status());
    auto& conn = **lease;
    if (auto st = conn.begin(true); !st.ok()) {
      pool_.count_error();
      return fail_all(st);
    }
    bool any_ok = false;
    for (auto* r : batch) {
      Status st = conn.savepoint();
      if (st.ok()) {
        try {
          st = (*r->work)(conn);
        } catch (...) {
          r->error = std::current_exception();
          st = Error(ErrorCode::internal, "write threw");
        }
      }
      if (st.ok()) st = conn.release();
      if (!st.ok()) conn.rollback_to();
      r->result = r->error ? Status{} : st;
      any_ok = any_ok || (st.ok() && !r->error);
    }
    Status committed = any_ok ? conn.commit() : Status{};
    if (!any_ok || !committed.ok()) conn.rollback();
    if (!committed.ok()) {
      pool_.count_error();
      for (auto* r : batch)
        if (r->result.ok() && !r->error) r->result = committed;
    }
  }

  std::string path_;
  Pool<SqliteConnection> pool_;
  std::mutex queue_mutex_;
  std::condition_variable queue_cv_;
  std::deque<WriteRequest*> queue_;
  bool batch_running_ = false;
};

}  // namespace

Result<std::unique_ptr<Database>> open_sqlite_database(const std::string& path, unsigned pool_size, SqliteSync sync) {
  std::error_code ec;
  auto dir = std::filesystem::path(path).parent_path();
  if (!dir.empty()) std::filesystem::create_directories(dir, ec);
  if (ec) return Error(ErrorCode::unavailable, "cannot create directory " + dir.string() + ": " + ec.message());
  auto db = std::make_unique<SqliteDatabase>(path, pool_size, sync);
  // Open one connection now, so that a bad path fails at start and not on the first request.
  if (auto st = db->read([](Connection&) { return Status{}; }); !st.ok()) return st;
  return std::unique_ptr<Database>(std::move(db));
}

}  // namespace hocvu::storage
