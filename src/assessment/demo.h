// Demo assessment content for `hocvu seed --demo`: each DIR/<course slug>.gift becomes a question
// bank of the course's provider, with a section quiz that draws at random from each of the bank's
// categories and a placement test for the domain of the course's first competency. Questions
// without competency codes get the course's. Idempotent: a bank already seeded is left as it is.
#pragma once

#include "core/status.h"

#include <filesystem>
#include <string>

namespace hocvu::storage { class Database; }
namespace hocvu::learning { class Store; }

namespace hocvu::assessment {

// Returns how many banks were created now.
Result<int> seed_demo_banks(storage::Database& db, learning::Store& courses, const std::filesystem::path& dir,
                            const std::string& now);

}  // namespace hocvu::assessment
