// The site's own pages and files: the home page, the (so far empty) course catalogue, static
// assets (/static/..., fingerprinted /assets/...), uploaded media (/media/...) and the OpenAPI
// document.
#pragma once

namespace hocvu::reference { class Store; }
namespace hocvu::web { class App; }

namespace hocvu::site {

void add_routes(web::App& app, reference::Store& reference);

}  // namespace hocvu::site
