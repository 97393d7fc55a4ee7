#include "assessment/routes.h"

#include "assessment/route_support.h"
#include "web/app.h"

#include <memory>

namespace hocvu::assessment {

// Defined beside their handlers (api_routes.cpp, bank_pages.cpp, quiz_pages.cpp, attempt_pages.cpp).
void add_api_routes(web::App& app, std::shared_ptr<Context> c);
void add_bank_pages(web::App& app, std::shared_ptr<Context> c);
void add_quiz_pages(web::App& app, std::shared_ptr<Context> c);
void add_attempt_pages(web::App& app, std::shared_ptr<Context> c);

void add_routes(web::App& app, Service& service, learning::Service& learning, accounts::Directory& directory,
                reference::Store& reference) {
  auto c = std::make_shared<Context>(app, service, learning, directory, reference);
  add_api_routes(app, c);
  add_bank_pages(app, c);
  add_quiz_pages(app, c);
  add_attempt_pages(app, c);
}

}  // namespace hocvu::assessment
