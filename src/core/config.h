// Server configuration, read from HOCVU_* environment variables and an optional file.
// The full list, with defaults, is in docs/configuration.md; keep the two in step.
#pragma once

#include "core/address.h"
#include "core/status.h"

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace hocvu {

struct Config {
  std::string listen_host = "127.0.0.1";
  std::uint16_t listen_port = 8080;  // 0 asks the kernel for a free port (tests)
  std::string data_dir = "hocvu-data";
  std::string database_url;          // derived from data_dir when unset: sqlite://<data_dir>/hocvu.db
  std::string web_dir;               // templates, catalogs, static files
  unsigned threads = 0;              // I/O threads; 0 means one per core
  unsigned db_pool_size = 8;         // database connections, and threads for blocking work
  unsigned max_connections = 0;     // 0: as many as the open-files limit allows, less a reserve
  unsigned hashing_threads = 0;     // threads that hash and verify passwords; 0: one per core, at least 2
  unsigned hashing_queue = 64;      // password requests that may wait for them; more get 503
  bool access_log = true;
  std::size_t max_body_bytes = 1 << 20;
  std::size_t max_upload_bytes = std::size_t{100} << 20;  // media uploads and course packages
  std::size_t max_header_bytes = 16 << 10;
  std::chrono::seconds idle_timeout{75};     // a kept-alive connection with no request
  std::chrono::seconds request_timeout{30};  // reading one request once it has begun, and writing
  std::chrono::seconds shutdown_grace{10};   // how long SIGTERM waits for requests in flight
  unsigned exam_grace_seconds = 30;          // answers accepted this long after an attempt's deadline
  std::size_t course_cache_size = 256;       // published course versions kept in memory, rendered
  std::string metrics_token;                 // when set, /metrics wants "Authorization: Bearer <it>"
  // The address people use ("https://hocvu.gov.vn"), no path. When https, cookies are Secure and
  // named __Host-...; forms and cookie-authenticated API writes accept this origin.
  std::string public_url;
  // Reverse proxies whose X-Forwarded-For / Forwarded headers name the client (addresses, networks).
  std::vector<Cidr> trusted_proxies;

  bool secure_cookies() const { return public_url.starts_with("https://"); }

  bool uses_postgres() const;
  std::string sqlite_path() const;  // the file behind a sqlite:// URL
};

using Environment = std::map<std::string, std::string>;

// Builds a Config from `env` (HOCVU_* variables; HOCVU_CONFIG names a file of KEY=value lines whose
// values the environment overrides). On failure the Status message is one line naming the variable
// and what is wrong with it, fit to print as it is.
Result<Config> load_config(const Environment& env, const std::string& default_web_dir);

// The process environment as an Environment (HOCVU_* variables only).
Environment process_environment();

}  // namespace hocvu
