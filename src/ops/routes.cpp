#include "ops/routes.h"

#include "storage/database.h"
#include "web/app.h"

#include <sodium.h>

namespace hocvu::ops {

MetricsAccess metrics_access(const web::Request& req, std::string_view token) {
  if (!token.empty()) {
    constexpr std::string_view kBearer = "Bearer ";
    std::string_view given = req.header("Authorization");
    if (!given.starts_with(kBearer)) return MetricsAccess::needs_token;
    given.remove_prefix(kBearer.size());
    const bool same = given.size() == token.size() && sodium_memcmp(given.data(), token.data(), token.size()) == 0;
    return same ? MetricsAccess::allowed : MetricsAccess::needs_token;
  }
  const std::string_view peer = req.remote_address;
  const bool loopback = peer.starts_with("127.") || peer == "::1" || peer.starts_with("::ffff:127.");
  const bool relayed = !req.header("X-Forwarded-For").empty() || !req.header("Forwarded").empty() ||
                       !req.header("X-Real-IP").empty();
  return loopback && !relayed ? MetricsAccess::allowed : MetricsAccess::refused;
}

using web::Execution;
using web::Request;
using web::Response;

void add_routes(web::App& app, storage::Database& db) {
  auto& r = app.router();
  r.add("GET", "/healthz", [](Request&) {
    Response res = Response::text(200, "ok\n");
    res.set_header("Cache-Control", "no-store");
    return res;
  }, Execution::io);

  r.add("GET", "/readyz", [&db](Request&) {
    bool ok = db.ping();
    Response res = Response::text(ok ? 200 : 503, ok ? "ready\n" : "database unavailable\n");
    res.set_header("Cache-Control", "no-store");
    return res;
  }, Execution::blocking);

  r.add("GET", "/metrics", [&app](Request& req) {
    switch (metrics_access(req, app.config().metrics_token)) {
      case MetricsAccess::allowed: break;
      case MetricsAccess::needs_token: {
        Response res = Response::text(401, "metrics: send Authorization: Bearer <HOCVU_METRICS_TOKEN>\n");
        res.set_header("WWW-Authenticate", "Bearer realm=\"metrics\"");
        res.set_header("Cache-Control", "no-store");
        return res;
      }
      case MetricsAccess::refused: {
        Response res = Response::text(403, "metrics: only from this machine, or with HOCVU_METRICS_TOKEN\n");
        res.set_header("Cache-Control", "no-store");
        return res;
      }
    }
    Response res = Response::text(200, app.metrics().render(), "text/plain; version=0.0.4; charset=utf-8");
    res.set_header("Cache-Control", "no-store");
    return res;
  }, Execution::io);
}

void add_database_metrics(web::App& app, storage::Database& db) {
  auto& m = app.metrics();
  m.add_gauge("hocvu_db_pool_size", "Connections the database pool may hold.", [&db] { return double(db.stats().size); });
  m.add_gauge("hocvu_db_pool_open", "Database connections open now.", [&db] { return double(db.stats().open); });
  m.add_gauge("hocvu_db_pool_in_use", "Database connections lent out now.", [&db] { return double(db.stats().in_use); });
  m.add_gauge("hocvu_db_pool_waiting", "Threads waiting for a database connection now.",
              [&db] { return double(db.stats().waiting); });
  m.add_gauge("hocvu_db_pool_acquired_total", "Database connections lent out since start.",
              [&db] { return double(db.stats().acquired_total); }, "counter");
  m.add_gauge("hocvu_db_pool_waited_total", "Acquisitions that had to wait for a connection.",
              [&db] { return double(db.stats().waited_total); }, "counter");
  m.add_gauge("hocvu_db_errors_total", "Database statements or transactions that failed.",
              [&db] { return double(db.stats().errors_total); }, "counter");
}

}  // namespace hocvu::ops
