// The reference area's storage port. Implemented over SQL (sql_store.cpp) for SQLite and PostgreSQL.
// Thread-safe: a Store may be called from many threads at once.
#pragma once

#include "core/status.h"
#include "reference/commune_import.h"
#include "reference/reference.h"

#include <map>
#include <optional>

#include <memory>
#include <vector>

namespace hocvu::storage { class Database; }

namespace hocvu::reference {

class Store {
 public:
  virtual ~Store() = default;

  // The 34 provinces ordered by code. Errors: unavailable when the database cannot be reached.
  virtual Result<std::vector<AdminUnit>> provinces() = 0;

  // The target groups in their display order.
  virtual Result<std::vector<TargetGroup>> target_groups() = 0;

  // Every framework, complete (levels, areas, competencies), in display order.
  virtual Result<std::vector<Framework>> frameworks() = 0;

  // One framework by code; not_found when there is none.
  virtual Result<Framework> framework(const std::string& code) = 0;

  // Every administrative unit by code, for planning an import.
  virtual Result<std::map<std::string, ExistingUnit, std::less<>>> units_by_code() = 0;

  // Writes the create and update rows of `plan` in one transaction (the rest are skipped).
  virtual Status apply_commune_import(const CommunePlan& plan) = 0;

  // The communes of a province, ordered by name.
  virtual Result<std::vector<AdminUnit>> communes(const std::string& province_code) = 0;

  // A unit's name as a person reads it: a province's ("Thành phố Hà Nội"), a commune's with its
  // province's ("Phường Ba Đình, Thành phố Hà Nội"); nullopt for an unknown code.
  virtual Result<std::optional<std::string>> unit_name(const std::string& code) = 0;
};

// A Store over `db`, which must outlive it.
std::unique_ptr<Store> make_sql_store(storage::Database& db);

}  // namespace hocvu::reference
