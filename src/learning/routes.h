// The learning area's HTTP routes: thin handlers that parse, authorize, call learning::Service
// and render a page or JSON. Every page has its JSON twin under /api/v1 (docs/api.md).
#pragma once

#include <filesystem>

namespace hocvu::web { class App; }
namespace hocvu::accounts { class Directory; }
namespace hocvu::reference { class Store; }

namespace hocvu::learning {

class Service;

// Catalogue, course pages, enrolment, the learner's home, lessons and progress.
void add_learner_routes(web::App& app, Service& service, accounts::Directory& directory, reference::Store& reference);

// Authoring (drafts, blocks, media, publish, packages) and assignments by managers. Media files
// are stored below <data dir>/media/courses/<course id>/.
void add_authoring_routes(web::App& app, Service& service, accounts::Directory& directory, reference::Store& reference);

// Managers assign a course to the people of a place they manage, with an optional deadline.
void add_assignment_routes(web::App& app, Service& service, accounts::Directory& directory, reference::Store& reference);

// Instructors' classes (cohorts): create one for a course, add learners, follow their progress.
void add_class_routes(web::App& app, Service& service, accounts::Directory& directory);

}  // namespace hocvu::learning
