// The site's own pages and files: the home page, static
// assets (/static/..., fingerprinted /assets/...), uploaded media (/media/...) and the OpenAPI
// document.
#pragma once

namespace hocvu::web { class App; }

namespace hocvu::site {

void add_routes(web::App& app);

}  // namespace hocvu::site
