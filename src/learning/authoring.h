// Authoring use cases that span the store, the media folder and packages: publishing a draft,
// importing a course package and exporting one. Authorization is the caller's (the routes ask
// accounts::may(..., Action::author_course, ...) first).
#pragma once

#include "learning/package.h"
#include "learning/service.h"

#include <set>
#include <string>
#include <variant>
#include <vector>

namespace hocvu::learning {

// The codes a course may name, from the reference data.
struct KnownCodes {
  std::set<std::string> groups;
  std::set<std::string> competencies;
};

// Publishes the course's draft as its next version: the version number, or the problems that
// stop it (nothing is written then), including media the draft names that are not in the
// course's media folder under `data_dir` (a draft written through the API can name anything).
Result<std::variant<int, std::vector<std::string>>> publish_draft(Service& service, const std::string& data_dir,
                                                                  std::int64_t course_id, const KnownCodes& known,
                                                                  std::int64_t by, const std::string& now);

struct ImportOutcome {
  std::int64_t course_id = 0;
  bool created = false;
  int published_version = 0;           // when publishing was asked for and succeeded
  std::vector<PackageError> errors;    // nothing was changed when not empty
};

// Imports a package that was read without errors into `provider_id`'s courses: a new course, or,
// when a course with the package's slug exists, a new draft for it. The package's media are
// stored first (stored names replace the package paths); the draft is written last, so a failure
// leaves no half-imported course. A slug that belongs to another provider is refused with an
// error on course.yaml. With `publish`, the draft is published at once (the demo seed).
Result<ImportOutcome> import_package(Service& service, const std::string& data_dir, Package package,
                                     std::int64_t provider_id, const KnownCodes& known, std::int64_t by,
                                     bool publish, const std::string& now);

// The course's draft as a package zip, with its media read back from the media folder.
Result<std::string> export_package(Service& service, const std::string& data_dir, std::int64_t course_id);

}  // namespace hocvu::learning
