#include "site/routes.h"

#include "core/log.h"
#include "web/app.h"

namespace hocvu::site {

using web::Data;
using web::Execution;
using web::Request;
using web::Response;

void add_routes(web::App& app) {
  auto& r = app.router();

  // Blocking: the header shows who is signed in, which takes a session lookup.
  r.add("GET", "/", [&app](Request& req) {
    return app.page(req, "home", app.text(req, "home.title"), Data{Data::type::object});
  });

  r.add("GET", "/static/{*path}", [&app](Request& req) {
    const web::Asset* a = app.static_files().find(req.path_param("path"));
    return a ? web::serve_asset(req, *a, false) : Response::text(404, "");
  }, Execution::io);

  r.add("GET", "/assets/{*path}", [&app](Request& req) {
    const web::Asset* a = app.static_files().find_fingerprinted(req.path_param("path"));
    return a ? web::serve_asset(req, *a, true) : Response::text(404, "");
  }, Execution::io);

  // Uploaded media (video, documents, images) from <data dir>/media, with Range for seeking.
  r.add("GET", "/media/{*path}", [&app](Request& req) {
    return web::serve_disk_file(req, app.config().data_dir + "/media", req.path_param("path"));
  }, Execution::blocking);

  r.add("GET", "/api/v1/openapi.json", [&app](Request& req) {
    const web::Asset* a = app.static_files().find("openapi.json");
    return a ? web::serve_asset(req, *a, false) : Response::text(404, "");
  }, Execution::io);
}

}  // namespace hocvu::site
