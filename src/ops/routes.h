// Operations endpoints: /healthz (the process is alive), /readyz (the database answers; 503
// otherwise), both public; /metrics (Prometheus text format), for the operator's scraper only.
#pragma once

#include <string_view>

namespace hocvu::storage { class Database; }
namespace hocvu::web { class App; struct Request; }

namespace hocvu::ops {

// Who may read /metrics. With a token configured (HOCVU_METRICS_TOKEN): whoever sends
// "Authorization: Bearer <token>" (compared in constant time), from anywhere; nobody else
// (needs_token: 401). Without one: a scraper on this machine only, that is a loopback peer whose
// request carries no proxy header (X-Forwarded-For, Forwarded, X-Real-IP), so that a public
// request relayed by a reverse proxy on the same machine is not taken for it (refused: 403).
enum class MetricsAccess { allowed, needs_token, refused };
MetricsAccess metrics_access(const web::Request& req, std::string_view token);

void add_routes(web::App& app, storage::Database& db);

// Registers the database pool figures as metrics; call after App::seal().
void add_database_metrics(web::App& app, storage::Database& db);

}  // namespace hocvu::ops
