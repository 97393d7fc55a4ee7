// Versioned schema migrations. Each migration is applied in its own transaction, together with
// the row that records it in schema_migrations, so it applies whole or not at all; applying twice
// is a no-op. Concurrent migrators (several servers starting at once) are serialised by the
// database: BEGIN IMMEDIATE on SQLite, an advisory transaction lock on PostgreSQL.
#pragma once

#include "core/status.h"
#include "storage/database.h"

#include <span>
#include <string_view>

namespace hocvu::storage {

struct Migration {
  int version;                 // 1, 2, 3, ...: strictly increasing
  std::string_view name;       // file name without the extension, e.g. "0001_reference_schema"
  std::string_view sqlite_sql;
  std::string_view postgres_sql;  // the same file with {{id}}/{{ref}} expanded for PostgreSQL, or its .postgres.sql twin
};

// The migrations compiled into this binary, in order (generated from src/storage/migrations/).
std::span<const Migration> builtin_migrations();

struct MigrationReport {
  int from_version = 0;
  int to_version = 0;
  int applied = 0;
};

// Applies every migration in `migrations` newer than the database's version. Fails, naming the
// migration, on the first error; the ones before it stay applied. Refuses a database whose
// version is newer than any migration known here (an older binary against a newer schema).
Result<MigrationReport> migrate(Database& db, std::span<const Migration> migrations);

// The highest applied version, 0 for an empty database.
Result<int> schema_version(Database& db);

}  // namespace hocvu::storage
