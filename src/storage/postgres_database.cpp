// PostgreSQL adapter over libpq: a pool of connections, statements prepared once per connection
// (named s1, s2, ...), rows streamed in single-row mode so a large export never holds a whole
// result in memory. Several `hocvu serve` processes may share one database: nothing here keeps
// state that another process would need.
#include "storage/database.h"
#include "storage/pool.h"

#include <libpq-fe.h>

#include <charconv>
#include <string>
#include <unordered_map>

namespace hocvu::storage {
namespace {

class PgRow final : public Row {
 public:
  explicit PgRow(const PGresult* r) : r_(r) {}
  int columns() const override { return PQnfields(r_); }
  bool is_null(int col) const override { return PQgetisnull(r_, 0, col); }
  std::int64_t int64(int col) const override {
    auto t = text(col);
    if (t == "t") return 1;  // booleans, should a query return one
    if (t == "f") return 0;
    std::int64_t v = 0;
    std::from_chars(t.data(), t.data() + t.size(), v);
    return v;
  }
  double real(int col) const override {
    auto t = text(col);
    double v = 0;
    std::from_chars(t.data(), t.data() + t.size(), v);
    return v;
  }
  std::string_view text(int col) const override {
    return {PQgetvalue(r_, 0, col), static_cast<std::size_t>(PQgetlength(r_, 0, col))};
  }
 private:
  const PGresult* r_;
};

struct ResultDeleter { void operator()(PGresult* r) const { PQclear(r); } };
using ResultPtr = std::unique_ptr<PGresult, ResultDeleter>;

class PgConnection final : public Connection {
 public:
  explicit PgConnection(PGconn* c) : c_(c) {}
  ~PgConnection() override { PQfinish(c_); }
  using Connection::execute;
  using Connection::query;
  Dialect dialect() const override { return Dialect::postgres; }
  bool broken() const { return PQstatus(c_) != CONNECTION_OK; }

  Result<std::int64_t> execute(std::string_view sql, std::span<const Value> params) override {
    std::int64_t changed = 0;
    auto st = run(sql, params, nullptr, &changed);
    if (!st.ok()) return st;
    return changed;
  }
  Status query(std::string_view sql, std::span<const Value> params, const RowCallback& on_row) override {
    return run(sql, params, &on_row, nullptr);
  }
  Status execute_script(std::string_view sql) override {
    ResultPtr r(PQexec(c_, std::string(sql).c_str()));
    auto s = PQresultStatus(r.get());
    if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK) return error(r.get(), sql);
    return {};
  }

 private:
  Status error(const PGresult* r, std::string_view sql) {
    const char* state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
    std::string_view code = state ? state : "";
    ErrorCode ec = ErrorCode::internal;
    if (code.starts_with("23")) ec = ErrorCode::conflict;
    else if (code == "40001" || code == "40P01" || code.starts_with("08") || broken()) ec = ErrorCode::unavailable;
    std::string msg = r && PQresultErrorMessage(r)[0] ? PQresultErrorMessage(r) : PQerrorMessage(c_);
    while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
    return Error(ec, "postgres: " + msg + " in: " + std::string(sql.substr(0, 120)));
  }

  Result<const std::string*> prepare(std::string_view sql) {
    auto it = names_.find(sql);
    if (it != names_.end()) return &it->second;
    std::string name = "s" + std::to_string(names_.size() + 1);
    std::string text(sql);
    ResultPtr r(PQprepare(c_, name.c_str(), text.c_str(), 0, nullptr));
    if (PQresultStatus(r.get()) != PGRES_COMMAND_OK) return error(r.get(), sql);
    auto [pos, _] = names_.emplace(std::move(text), std::move(name));
    return &pos->second;
  }

  Status run(std::string_view sql, std::span<const Value> params, const RowCallback* on_row,
             std::int64_t* changed) {
    auto name = prepare(sql);
    if (!name) return name.status();
    // Text-format parameters: libpq wants NUL-terminated strings.
    std::vector<std::string> storage;
    storage.reserve(params.size());
    std::vector<const char*> values;
    values.reserve(params.size());
    for (const Value& v : params) {
      std::visit(
          [&](auto&& x) {
            using T = std::decay_t<decltype(x)>;
            if constexpr (std::is_same_v<T, std::nullptr_t>) {
              values.push_back(nullptr);
            } else {
              if constexpr (std::is_same_v<T, std::string_view>) {
                storage.emplace_back(x);
              } else {
                // Shortest text that reads back as the same value (std::to_string keeps 6 decimals).
                char buf[32];
                auto [end, ec] = std::to_chars(buf, buf + sizeof buf, x);
                storage.emplace_back(buf, end);
              }
              values.push_back(storage.back().c_str());
            }
          },
          v);
    }
    if (!PQsendQueryPrepared(c_, (*name)->c_str(), static_cast<int>(values.size()), values.data(), nullptr,
                             nullptr, 0))
      return error(nullptr, sql);
    PQsetSingleRowMode(c_);
    Status result;
    while (PGresult* raw = PQgetResult(c_)) {
      ResultPtr r(raw);
      switch (PQresultStatus(raw)) {
        case PGRES_SINGLE_TUPLE:
          if (on_row && result.ok()) (*on_row)(PgRow(raw));
          break;
        case PGRES_TUPLES_OK:
          break;
        case PGRES_COMMAND_OK:
          if (changed) {
            const char* n = PQcmdTuples(raw);
            std::from_chars(n, n + std::char_traits<char>::length(n), *changed);
          }
          break;
        default:
          if (result.ok()) result = error(raw, sql);
      }
    }
    return result;
  }

  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  PGconn* c_;
  std::unordered_map<std::string, std::string, Hash, std::equal_to<>> names_;
};

// Removes the password from a URL before it reaches a log line.
std::string redact(const std::string& input) {
  std::string url = input;
  if (auto pw = url.find("password="); pw != std::string::npos) {
    auto end = url.find('&', pw);
    url = url.substr(0, pw + 9) + "***" + (end == std::string::npos ? "" : url.substr(end));
  }
  auto scheme = url.find("://");
  auto at = url.find('@');
  if (scheme == std::string::npos || at == std::string::npos) return url;
  auto colon = url.find(':', scheme + 3);
  if (colon == std::string::npos || colon > at) return url;
  return url.substr(0, colon) + ":***" + url.substr(at);
}

class PgDatabase final : public Database {
 public:
  PgDatabase(std::string url, unsigned pool_size)
      : url_(std::move(url)), pool_(pool_size, [this] { return connect(); }) {}

  Dialect dialect() const override { return Dialect::postgres; }
  Status write(const std::function<Status(Connection&)>& work) override { return transact(work, "BEGIN"); }
  Status read(const std::function<Status(Connection&)>& work) override {
    return transact(work, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  }
  bool ping() override {
    return read([](Connection& c) { return c.query("SELECT 1", {}, [](const Row&) {}); }).ok();
  }
  PoolStats stats() const override { return pool_.stats(); }
  std::string describe() const override { return "postgresql:" + redact(url_); }

 private:
  Result<std::unique_ptr<PgConnection>> connect() {
    // Defaults that the URL may override: a database that does not answer must turn into a 503,
    // not a worker thread stuck for ever.
    const char* keys[] = {"connect_timeout", "keepalives_idle", "keepalives_interval", "keepalives_count",
                          "dbname", nullptr};
    const char* values[] = {"5", "30", "10", "3", url_.c_str(), nullptr};
    PGconn* c = PQconnectdbParams(keys, values, 1);
    if (PQstatus(c) != CONNECTION_OK) {
      std::string msg = PQerrorMessage(c);
      PQfinish(c);
      while (!msg.empty() && msg.back() == '\n') msg.pop_back();
      return Error(ErrorCode::unavailable, "cannot connect to " + redact(url_) + ": " + msg);
    }
    auto conn = std::make_unique<PgConnection>(c);
    if (auto st = conn->execute_script("SET client_encoding = 'UTF8'; SET TIME ZONE 'UTC';"
                                       " SET statement_timeout = '30s'; SET lock_timeout = '10s';"
                                       " SET idle_in_transaction_session_timeout = '60s'");
        !st.ok())
      return st;
    // A COMMIT that returns must be on disk: write() reports it to a learner as "saved". With
    // synchronous_commit=off (set in postgresql.conf, for the database or the role, or by the URL's
    // options) PostgreSQL answers before the WAL is flushed and a crash of its host loses the last
    // commits, so this session turns it back on. Stronger settings (remote_write, remote_apply for
    // synchronous replicas) and `local` are kept (docs/operations.md).
    std::string level;
    if (auto st = conn->query("SELECT current_setting('synchronous_commit')", {}, [&](const Row& r) { level = r.string(0); }); !st.ok())
      return st;
    if (level == "off")
      if (auto st = conn->execute_script("SET synchronous_commit = on"); !st.ok()) return st;
    return conn;
  }

  Status transact(const std::function<Status(Connection&)>& work, const char* begin) {
    auto lease = pool_.acquire();
    if (!lease) { pool_.count_error(); return lease.status(); }
    auto& conn = **lease;
    if (auto st = conn.execute_script(begin); !st.ok()) { pool_.count_error(); return st; }
    Status st;
    try {
      st = work(conn);
    } catch (...) {
      conn.execute_script("ROLLBACK");
      pool_.count_error();
      throw;
    }
    if (st.ok()) st = conn.execute_script("COMMIT");
    if (!st.ok()) {
      conn.execute_script("ROLLBACK");
      if (st.code() == ErrorCode::internal || st.code() == ErrorCode::unavailable) pool_.count_error();
    }
    return st;
  }

  std::string url_;
  Pool<PgConnection> pool_;
};

}  // namespace

Result<std::unique_ptr<Database>> open_postgres_database(const std::string& url, unsigned pool_size) {
  auto db = std::make_unique<PgDatabase>(url, pool_size);
  if (auto st = db->read([](Connection&) { return Status{}; }); !st.ok()) return st;
  return std::unique_ptr<Database>(std::move(db));
}

}  // namespace hocvu::storage
