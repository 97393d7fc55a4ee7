// Importing communes: POST /api/v1/admin-units/import (text/csv body, ?dry_run=1 to only report)
// and the page /admin-units/import (file upload), for national administrators; and the public
// list GET /api/v1/provinces/{code}/communes.
#pragma once

#include <functional>

namespace hocvu::web { class App; struct Request; }

namespace hocvu::reference {

class Store;
// `may_import` answers whether the signed-in person may import (the accounts area decides).
void add_import_routes(web::App& app, Store& store, std::function<bool(const web::Request&)> may_import);

}  // namespace hocvu::reference
