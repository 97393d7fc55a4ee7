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

  // Media an operator placed under <data dir>/media, with Range for seeking. Course and bank
  // media have routes of their own that decide who may see them (learning/learner_routes.cpp,
  // assessment/api_routes.cpp); nothing under those folders is served here.
  r.add("GET", "/media/{*path}", [&app](Request& req) {
    std::string_view path = req.path_param("path");
    while (path.starts_with('/')) path.remove_prefix(1);
    if (path.starts_with("courses/") || path.starts_with("banks/") || path == "courses" || path == "banks")
      return Response::text(404, "");
    return web::serve_disk_file(req, app.config().data_dir + "/media", path);
  }, Execution::blocking);

  r.add("GET", "/api/v1/openapi.json", [&app](Request& req) {
    const web::Asset* a = app.static_files().find("openapi.json");
    return a ? web::serve_asset(req, *a, false) : Response::text(404, "");
  }, Execution::io);
}

}  // namespace hocvu::site
