// Operations endpoints: /healthz (the process is alive), /readyz (the database answers; 503
// otherwise), /metrics (Prometheus text format).
#pragma once

namespace hocvu::storage { class Database; }
namespace hocvu::web { class App; }

namespace hocvu::ops {

void add_routes(web::App& app, storage::Database& db);

// Registers the database pool figures as metrics; call after App::seal().
void add_database_metrics(web::App& app, storage::Database& db);

}  // namespace hocvu::ops
