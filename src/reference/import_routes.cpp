#include "reference/import_routes.h"

#include "core/log.h"
#include "reference/json.h"
#include "reference/store.h"
#include "web/app.h"
#include "web/multipart.h"

#include <boost/json/serialize.hpp>

namespace hocvu::reference {
namespace {

using web::App;
using web::Data;
using web::Request;
using web::Response;
namespace json = boost::json;

Response unavailable(const Status& s) {
  log_error("commune import failed", {{"error", s.message()}});
  return Response::text(503, "");
}

// Plans, and unless `dry_run` applies, an import of `csv`. The plan says what happened.
Result<CommunePlan> run_import(Store& store, std::string_view csv, bool dry_run) {
  CommunePlan plan;
  auto rows = parse_csv(csv);
  if (!rows) {
    plan.error = rows.status().message();
    return plan;
  }
  auto existing = store.units_by_code();
  if (!existing) return existing.status();
  plan = plan_commune_import(*rows, *existing);
  if (plan.error.empty() && !dry_run && (plan.created || plan.updated))
    if (auto st = store.apply_commune_import(plan); !st.ok()) return st;
  return plan;
}

json::object report_json(const CommunePlan& plan, bool dry_run) {
  json::array rows;
  for (const auto& r : plan.rows) {
    json::object o{{"line", r.line}, {"code", r.code}, {"name", r.name}, {"province_code", r.province_code},
                   {"action", action_name(r.action)}};
    if (!r.reason.empty()) o["reason"] = r.reason;
    rows.push_back(std::move(o));
  }
  return json::object{{"dry_run", dry_run}, {"created", plan.created}, {"updated", plan.updated},
                      {"unchanged", plan.unchanged}, {"rejected", plan.rejected}, {"rows", std::move(rows)}};
}

Response deny(const Request& req, bool signed_in) {
  if (signed_in) return Response::text(403, "");
  if (req.wants_json()) return Response::text(401, "");
  Response r;
  r.status = 303;
  r.set_header("Location", "/sign-in");
  return r;
}

}  // namespace

void add_import_routes(App& app, Store& store, std::function<bool(const Request&)> may_import) {
  auto& r = app.router();

  r.add("GET", "/api/v1/provinces/{code}/communes", [&store](Request& req) {
    auto list = store.communes(std::string(req.path_param("code")));
    if (!list) return unavailable(list.status());
    json::array items;
    for (const auto& u : *list) items.push_back(to_json(u));
    Response res = Response::json(200, json::serialize(json::object{{"items", std::move(items)}}));
    res.set_header("Cache-Control", "public, max-age=300");
    return res;
  });

  r.add("POST", "/api/v1/admin-units/import", [&store, may_import](Request& req) {
    if (!req.user_id || !may_import(req)) return deny(req, req.user_id != 0);
    if (!req.header("Content-Type").starts_with("text/csv"))
      return App::api_error(415, "unsupported_media_type", "Hãy gửi tệp CSV với Content-Type: text/csv.");
    const bool dry_run = req.query_param("dry_run") == "1" || req.query_param("dry_run") == "true";
    auto plan = run_import(store, req.body, dry_run);
    if (!plan) return unavailable(plan.status());
    if (!plan->error.empty()) return App::api_error(422, "invalid_file", plan->error);
    log_info("communes imported", {{"by", req.user_id}, {"dry_run", dry_run}, {"created", plan->created},
                                   {"updated", plan->updated}, {"rejected", plan->rejected}});
    return Response::json(200, json::serialize(report_json(*plan, dry_run)));
  }).body_type = "text/csv";

  r.add("GET", "/admin-units/import", [&app, may_import](Request& req) {
    if (!req.user_id || !may_import(req)) return deny(req, req.user_id != 0);
    return app.page(req, "commune_import", app.text(req, "import.title"), Data{Data::type::object});
  });

  r.add("POST", "/admin-units/import", [&app, &store, may_import](Request& req) {
    if (!req.user_id || !may_import(req)) return deny(req, req.user_id != 0);
    auto upload = web::parse_upload(req);
    if (!upload) return Response::text(400, "");
    if (!App::csrf_ok(req, upload->fields)) return Response::text(403, "");
    const std::string& csv = upload->file;
    const bool dry_run = upload->dry_run;
    Data d{Data::type::object};
    auto plan = run_import(store, csv, dry_run);
    if (!plan) return unavailable(plan.status());
    if (!plan->error.empty()) {
      d.set("error", plan->error);
      return app.page(req, "commune_import", app.text(req, "import.title_errors"), d, 422);
    }
    Data report{Data::type::object};
    report.set("dry_run", dry_run);
    report.set("created", std::to_string(plan->created));
    report.set("updated", std::to_string(plan->updated));
    report.set("unchanged", std::to_string(plan->unchanged));
    report.set("rejected", std::to_string(plan->rejected));
    Data rejected{Data::type::list};
    for (const auto& row : plan->rows)
      if (row.action == CommuneRow::Action::reject) {
        Data item{Data::type::object};
        item.set("line", std::to_string(row.line));
        item.set("code", row.code);
        item.set("reason", row.reason);
        rejected.push_back(item);
      }
    report.set("rejected_rows", rejected);
    d.set("report", report);
    return app.page(req, "commune_import", app.text(req, "import.title_done"), d);
  });
}

}  // namespace hocvu::reference
