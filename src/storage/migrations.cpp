#include "storage/migrations.h"

#include "core/log.h"

namespace hocvu::storage {
namespace {

constexpr std::string_view kCreateTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)";

// An arbitrary constant that names HọcVụ's migration lock among PostgreSQL advisory locks.
constexpr std::string_view kPgLock = "SELECT pg_advisory_xact_lock(4826001)";

Result<int> current_version(Connection& c) {
  int version = 0;
  auto st = c.query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", {},
                    [&](const Row& r) { version = static_cast<int>(r.int64(0)); });
  if (!st.ok()) return st;
  return version;
}

}  // namespace

Result<int> schema_version(Database& db) {
  int version = 0;
  bool has_table = false;
  auto st = db.read([&](Connection& c) -> Status {
    std::string_view probe = c.dialect() == Dialect::sqlite
        ? "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
        : "SELECT COUNT(*) FROM information_schema.tables WHERE table_name = 'schema_migrations'"
          " AND table_schema = current_schema()";
    if (auto s = c.query(probe, {}, [&](const Row& r) { has_table = r.int64(0) > 0; }); !s.ok()) return s;
    if (!has_table) return {};
    auto v = current_version(c);
    if (!v) return v.status();
    version = *v;
    return {};
  });
  if (!st.ok()) return st;
  return version;
}

Result<MigrationReport> migrate(Database& db, std::span<const Migration> migrations) {
  MigrationReport report;
  const int newest = migrations.empty() ? 0 : migrations.back().version;
  bool first = true;
  for (;;) {
    const Migration* applied = nullptr;
    auto st = db.write([&](Connection& c) -> Status {
      if (c.dialect() == Dialect::postgres) {
        if (auto s = c.execute_script(kPgLock); !s.ok()) return s;
      }
      if (auto s = c.execute_script(kCreateTable); !s.ok()) return s;
      auto version = current_version(c);
      if (!version) return version.status();
      if (first) report.from_version = *version;
      first = false;
      report.to_version = *version;
      if (*version > newest)
        return Error(ErrorCode::conflict, "the database schema is at version " + std::to_string(*version) +
                                              ", newer than this program knows (" + std::to_string(newest) +
                                              "): run a newer hocvu");
      for (const Migration& m : migrations) {
        if (m.version <= *version) continue;
        auto sql = c.dialect() == Dialect::sqlite ? m.sqlite_sql : m.postgres_sql;
        if (auto s = c.execute_script(sql); !s.ok())
          return Error(s.code(), "migration " + std::string(m.name) + " failed: " + s.message());
        auto now = utc_timestamp();
        auto r = c.execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
                           {std::int64_t{m.version}, m.name, std::string_view(now)});
        if (!r) return r.status();
        applied = &m;
        report.to_version = m.version;
        return {};
      }
      return {};
    });
    if (!st.ok()) return st;
    if (!applied) return report;
    ++report.applied;
    log_info("migration applied", {{"version", applied->version}, {"name", applied->name}});
  }
}

}  // namespace hocvu::storage
