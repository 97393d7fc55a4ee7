// Running a people import: reads what planning needs from the stores, plans, gives each new
// person a one-time setup code and, unless it is a dry run, applies the plan in one transaction.
// The HTTP routes and bench/import call this one function.
#pragma once

#include "accounts/directory.h"
#include "accounts/people_import.h"
#include "accounts/store.h"
#include "core/time.h"

#include <map>
#include <string_view>

namespace hocvu::accounts {

// Unit code -> place, for every administrative unit (read once, reused across chunks).
using UnitPlaces = std::map<std::string, Place, std::less<>>;

Result<ImportPlan> run_people_import(Directory& directory, Store& store, const UnitPlaces& units, const Principal& importer,
                                     std::string_view csv, bool dry_run, SystemTime now);

}  // namespace hocvu::accounts
