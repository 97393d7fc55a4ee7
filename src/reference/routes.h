// Pages and API for reference data: the competency frameworks (/frameworks, /api/v1/frameworks),
// provinces and target groups (/api/v1/provinces, /api/v1/target-groups).
#pragma once

namespace hocvu::web { class App; }

namespace hocvu::reference {

class Store;
void add_routes(web::App& app, Store& store);

}  // namespace hocvu::reference
