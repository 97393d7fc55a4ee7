// The SQL database behind the domain's stores. Two implementations: SQLite (the embedded default,
// sqlite_database.cpp) and PostgreSQL through libpq (postgres_database.cpp).
//
// SQL is written once, with $1, $2, ... placeholders, in the subset both engines accept; where they
// differ, a store asks dialect() and picks its text. Statements are prepared once per connection
// and cached by their text, so callers pass the same literal string every time.
//
// Thread-safety: a Database is safe for concurrent use from many threads. A Connection is used by
// one thread at a time: the one that holds it inside read() or write().
#pragma once

#include "core/status.h"

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace hocvu::storage {

enum class Dialect { sqlite, postgres };

// A statement parameter. Text is sent as it is; integers and doubles are converted by the engine.
using Value = std::variant<std::nullptr_t, std::int64_t, double, std::string_view>;

// One result row, valid only inside the callback that receives it.
class Row {
 public:
  virtual ~Row() = default;
  virtual int columns() const = 0;
  virtual bool is_null(int col) const = 0;
  virtual std::int64_t int64(int col) const = 0;  // 0 for NULL
  virtual double real(int col) const = 0;         // 0.0 for NULL
  virtual std::string_view text(int col) const = 0;  // "" for NULL; valid until the next row
  std::string string(int col) const { return std::string(text(col)); }
  std::optional<std::string> optional_string(int col) const {
    return is_null(col) ? std::nullopt : std::optional<std::string>(string(col));
  }
};

using RowCallback = std::function<void(const Row&)>;

class Connection {
 public:
  virtual ~Connection() = default;
  virtual Dialect dialect() const = 0;

  // Runs one statement; returns the number of rows it changed.
  virtual Result<std::int64_t> execute(std::string_view sql, std::span<const Value> params) = 0;

  // Runs one statement and calls `on_row` for each result row, streaming (rows are not collected).
  virtual Status query(std::string_view sql, std::span<const Value> params, const RowCallback& on_row) = 0;

  // Runs a script of several statements without parameters (migrations). Not cached.
  virtual Status execute_script(std::string_view sql) = 0;

  // The same with the parameters written in place: c.query(sql, {a, b}, on_row).
  Result<std::int64_t> execute(std::string_view sql, std::initializer_list<Value> params = {}) {
    return execute(sql, std::span<const Value>(params.begin(), params.size()));
  }
  Status query(std::string_view sql, std::initializer_list<Value> params, const RowCallback& on_row) {
    return query(sql, std::span<const Value>(params.begin(), params.size()), on_row);
  }
};

struct PoolStats {
  unsigned size = 0;         // connections the pool may hold
  unsigned open = 0;         // connections currently open
  unsigned in_use = 0;       // connections lent out now
  unsigned waiting = 0;      // threads waiting for a connection now
  std::uint64_t acquired_total = 0;
  std::uint64_t waited_total = 0;      // acquisitions that had to wait
  std::uint64_t errors_total = 0;      // statements that failed
};

class Database {
 public:
  virtual ~Database() = default;
  virtual Dialect dialect() const = 0;

  // Runs `work` inside one transaction that may write. Commits when it returns ok, rolls back
  // otherwise, and returns its Status (or the commit's error). SQLite writers are serialised in
  // the process so that they queue instead of spinning on SQLITE_BUSY.
  virtual Status write(const std::function<Status(Connection&)>& work) = 0;

  // Runs `work` on a connection for reading, inside one read transaction (a consistent snapshot).
  virtual Status read(const std::function<Status(Connection&)>& work) = 0;

  // True when the database answers a trivial query now (for /readyz).
  virtual bool ping() = 0;

  virtual PoolStats stats() const = 0;
  virtual std::string describe() const = 0;  // for logs: engine and location, never a password
};

// Opens the database named by a URL: sqlite:///path/file.db, sqlite:relative.db, or
// postgresql://user:password@host:port/dbname?options (any libpq connection URI).
// The SQLite file and its directory are created when missing.
Result<std::unique_ptr<Database>> open_database(const std::string& url, unsigned pool_size);

// The file a sqlite: URL names (as open_database reads it); nullopt for any other URL.
std::optional<std::string> sqlite_path(const std::string& url);

}  // namespace hocvu::storage
