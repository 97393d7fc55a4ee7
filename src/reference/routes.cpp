#include "reference/routes.h"

#include "core/log.h"
#include "reference/json.h"
#include "reference/store.h"
#include "web/app.h"

#include <boost/json/serialize.hpp>

namespace hocvu::reference {
namespace {

using web::App;
using web::Data;
using web::Request;
using web::Response;
namespace json = boost::json;

// A store error as an HTTP status; the App fills in the page or the API body. Anything but
// not_found is logged with its cause, since the person only sees a 503.
Response failure(const Status& s) {
  if (s.code() == ErrorCode::not_found) return Response::text(404, "");
  log_error("reference data unavailable", {{"error", s.message()}});
  return Response::text(503, "");
}

template <typename T>
Response json_list(const std::vector<T>& items) {
  json::array arr;
  for (const auto& i : items) arr.push_back(to_json(i));
  Response r = Response::json(200, json::serialize(json::object{{"items", std::move(arr)}}));
  r.set_header("Cache-Control", "public, max-age=300");
  return r;
}

Data framework_data(const Framework& f, std::string_view lang) {
  Data d{Data::type::object};
  d.set("code", f.code);
  d.set("name", f.name.pick(lang));
  d.set("source", f.source.pick(lang));
  d.set("description", f.description.pick(lang));
  d.set("href", "/frameworks/" + f.code);
  d.set("domain_count", std::to_string(f.areas.size()));
  d.set("competency_count", std::to_string(f.competency_count()));
  d.set("level_count", std::to_string(f.levels.size()));
  Data levels{Data::type::list};
  for (const auto& l : f.levels) {
    Data ld{Data::type::object};
    ld.set("level", std::to_string(l.level));
    ld.set("tier_code", l.tier_code);
    ld.set("tier", l.tier.pick(lang));
    levels.push_back(ld);
  }
  d.set("levels", levels);
  Data areas{Data::type::list};
  for (const auto& a : f.areas) {
    Data ad{Data::type::object};
    ad.set("code", a.code);
    ad.set("anchor", f.code + "-" + a.code);  // unique on a page listing several frameworks
    ad.set("name", a.name.pick(lang));
    Data comps{Data::type::list};
    for (const auto& c : a.competencies) {
      Data cd{Data::type::object};
      cd.set("code", c.code);
      cd.set("name", c.name.pick(lang));
      comps.push_back(cd);
    }
    ad.set("competencies", comps);
    areas.push_back(ad);
  }
  d.set("domains", areas);
  return d;
}

}  // namespace

void add_routes(App& app, Store& store) {
  auto& r = app.router();

  r.add("GET", "/api/v1/frameworks", [&store](Request&) {
    auto fs = store.frameworks();
    return fs ? json_list(*fs) : failure(fs.status());
  });
  r.add("GET", "/api/v1/frameworks/{code}", [&store](Request& req) {
    auto f = store.framework(std::string(req.path_param("code")));
    if (!f) return failure(f.status());
    Response res = Response::json(200, json::serialize(to_json(*f)));
    res.set_header("Cache-Control", "public, max-age=300");
    return res;
  });
  r.add("GET", "/api/v1/provinces", [&store](Request&) {
    auto ps = store.provinces();
    return ps ? json_list(*ps) : failure(ps.status());
  });
  r.add("GET", "/api/v1/target-groups", [&store](Request&) {
    auto gs = store.target_groups();
    return gs ? json_list(*gs) : failure(gs.status());
  });

  // The page shows every framework in full: today there is one, and it is short enough to read
  // on a phone as a list of domains with their competencies.
  r.add("GET", "/frameworks", [&app, &store](Request& req) {
    auto fs = store.frameworks();
    if (!fs) return failure(fs.status());
    Data list{Data::type::list};
    for (const auto& f : *fs) list.push_back(framework_data(f, req.lang));
    Data data{Data::type::object};
    data.set("frameworks", list);
    return app.page(req, "frameworks", app.text(req, "frameworks.title"), data);
  });
  r.add("GET", "/frameworks/{code}", [&app, &store](Request& req) {
    auto f = store.framework(std::string(req.path_param("code")));
    if (!f) return failure(f.status());
    Data data{Data::type::object};
    Data list{Data::type::list};
    list.push_back(framework_data(*f, req.lang));
    data.set("frameworks", list);
    return app.page(req, "frameworks", f->name.pick(req.lang), data);
  });
}

}  // namespace hocvu::reference
