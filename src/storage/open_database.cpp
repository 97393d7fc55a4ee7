#include "storage/database.h"

namespace hocvu::storage {

Result<std::unique_ptr<Database>> open_sqlite_database(const std::string& path, unsigned pool_size);
Result<std::unique_ptr<Database>> open_postgres_database(const std::string& url, unsigned pool_size);

Result<std::unique_ptr<Database>> open_database(const std::string& url, unsigned pool_size) {
  if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0)
    return open_postgres_database(url, pool_size);
  if (url.rfind("sqlite://", 0) == 0) return open_sqlite_database(url.substr(9), pool_size);
  if (url.rfind("sqlite:", 0) == 0) return open_sqlite_database(url.substr(7), pool_size);
  return Error(ErrorCode::invalid_argument,
               "unsupported database URL (expected sqlite:///path or postgresql://...): " + url);
}

}  // namespace hocvu::storage
