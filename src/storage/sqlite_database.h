// The SQLite adapter's own entry point, for open_database() and for the measurement that chose its
// durability (bench/micro/durable_writes_bench.cpp). Everything else opens databases by URL.
#pragma once

#include "storage/database.h"

namespace hocvu::storage {

// How each commit reaches the disk in WAL mode. `full` (what open_database uses): every COMMIT
// syncs the WAL, so a committed transaction survives a power loss. `normal`: the WAL is synced only
// at checkpoints; a killed process loses nothing, a power loss may lose the last commits. Kept
// only so that the cost of `full` can be measured against it (decision 0008); not a setting.
enum class SqliteSync { normal, full };

// Opens (creating when missing, with its directory) the SQLite database at `path` with a pool of
// `pool_size` connections; unavailable when it cannot be opened.
Result<std::unique_ptr<Database>> open_sqlite_database(const std::string& path, unsigned pool_size,
                                                       SqliteSync sync = SqliteSync::full);

}  // namespace hocvu::storage
