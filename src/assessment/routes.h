// The assessment area's HTTP routes: thin handlers over assessment::Service. Every page has its
// JSON twin under /api/v1 (docs/api.md).
//
// Who may do what:
//   banks, questions, quizzes, regrades, attempt trails   accounts::may(Action::author_course) at
//                                                         the place of the bank's provider
//   a course's gradebook                                  authors of the course's provider (every
//                                                         learner); managers with view_progress
//                                                         (the learners standing in their scope)
//   a class's gradebook                                   the class's instructor
//   taking a quiz                                         a signed-in learner enrolled in its course
//                                                         (placement tests: any signed-in person)
//   an attempt                                            only the person taking it
// Anyone else gets 404, as if the thing did not exist.
#pragma once

namespace hocvu::web { class App; }
namespace hocvu::accounts { class Directory; }
namespace hocvu::reference { class Store; }
namespace hocvu::learning { class Service; }

namespace hocvu::assessment {

class Service;

// Every assessment route: banks, questions, import and export, quizzes, gradebooks, regrades and
// attempt trails for authors; quizzes, attempts and the competency profile for learners.
void add_routes(web::App& app, Service& service, learning::Service& learning, accounts::Directory& directory,
                reference::Store& reference);

}  // namespace hocvu::assessment
