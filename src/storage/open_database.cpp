#include "storage/database.h"
#include "storage/sqlite_database.h"

namespace hocvu::storage {

Result<std::unique_ptr<Database>> open_postgres_database(const std::string& url, unsigned pool_size);

std::optional<std::string> sqlite_path(const std::string& url) {
  if (url.rfind("sqlite://", 0) == 0) return url.substr(9);
  if (url.rfind("sqlite:", 0) == 0) return url.substr(7);
  return std::nullopt;
}

Result<std::unique_ptr<Database>> open_database(const std::string& url, unsigned pool_size) {
  if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0)
    return open_postgres_database(url, pool_size);
  if (auto path = sqlite_path(url)) return open_sqlite_database(*path, pool_size);
  return Error(ErrorCode::invalid_argument,
               "unsupported database URL (expected sqlite:///path or postgresql://...): " + url);
}

}  // namespace hocvu::storage
