#include "core/config.h"
#include "core/text.h"

#include <charconv>
#include <fstream>
#include <sstream>
#include <thread>

extern char** environ;

namespace hocvu {
namespace {

Status bad(const std::string& key, const std::string& value, const std::string& why) {
  return Error(ErrorCode::invalid_argument, key + "='" + value + "': " + why);
}

template <typename Int>
Status parse_uint(const std::string& key, const std::string& value, Int min, Int max, Int& out) {
  Int v{};
  auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
  if (ec != std::errc{} || p != value.data() + value.size() || v < min || v > max)
    return bad(key, value,
               "expected a whole number from " + std::to_string(min) + " to " + std::to_string(max));
  out = v;
  return {};
}

Status parse_bool(const std::string& key, const std::string& value, bool& out) {
  if (value == "1" || value == "true" || value == "on" || value == "yes") { out = true; return {}; }
  if (value == "0" || value == "false" || value == "off" || value == "no") { out = false; return {}; }
  return bad(key, value, "expected 1 or 0 (true/false)");
}

Status parse_listen(const std::string& value, Config& cfg) {
  const std::string key = "HOCVU_LISTEN";
  std::string host, port;
  if (!value.empty() && value.front() == '[') {  // [::1]:8080
    auto close = value.find(']');
    if (close == std::string::npos || close + 1 >= value.size() || value[close + 1] != ':')
      return bad(key, value, "expected [IPv6]:port, for example [::1]:8080");
    host = value.substr(1, close - 1);
    port = value.substr(close + 2);
  } else {
    auto colon = value.rfind(':');
    if (colon == std::string::npos) return bad(key, value, "expected host:port, for example 127.0.0.1:8080");
    host = value.substr(0, colon);
    port = value.substr(colon + 1);
  }
  if (host.empty()) return bad(key, value, "the host is missing, for example 127.0.0.1:8080");
  std::uint16_t p = 0;
  if (auto s = parse_uint<std::uint16_t>(key, port, 0, 65535, p); !s.ok())
    return bad(key, value, "the port must be a number from 0 to 65535");
  cfg.listen_host = host;
  cfg.listen_port = p;
  return {};
}

Result<Environment> read_config_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Error(ErrorCode::invalid_argument, "HOCVU_CONFIG='" + path + "': cannot read the file");
  Environment out;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    line = trim(line);
    if (line.empty() || line[0] == '#') continue;
    auto eq = line.find('=');
    if (eq == std::string::npos)
      return Error(ErrorCode::invalid_argument,
                   path + ":" + std::to_string(number) + ": expected KEY=value");
    auto key = trim(line.substr(0, eq));
    auto value = trim(line.substr(eq + 1));
    if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') && value.back() == value.front())
      value = value.substr(1, value.size() - 2);
    if (key.rfind("HOCVU_", 0) != 0)
      return Error(ErrorCode::invalid_argument,
                   path + ":" + std::to_string(number) + ": '" + key + "' is not a HOCVU_ setting");
    out[key] = value;
  }
  return out;
}

}  // namespace

bool Config::uses_postgres() const {
  return database_url.rfind("postgresql://", 0) == 0 || database_url.rfind("postgres://", 0) == 0;
}

std::string Config::sqlite_path() const {
  if (database_url.rfind("sqlite://", 0) == 0) return database_url.substr(9);
  if (database_url.rfind("sqlite:", 0) == 0) return database_url.substr(7);
  return database_url;
}

Result<Config> load_config(const Environment& process_env, const std::string& default_web_dir) {
  Environment env;
  if (auto it = process_env.find("HOCVU_CONFIG"); it != process_env.end() && !it->second.empty()) {
    auto file = read_config_file(it->second);
    if (!file) return file.status();
    env = std::move(*file);
  }
  for (auto& [k, v] : process_env) env[k] = v;  // the environment wins over the file

  static const char* known[] = {"HOCVU_CONFIG", "HOCVU_LISTEN", "HOCVU_DATA_DIR", "HOCVU_DATABASE_URL",
                                "HOCVU_WEB_DIR", "HOCVU_THREADS", "HOCVU_DB_POOL_SIZE", "HOCVU_MAX_CONNECTIONS",
                                "HOCVU_ACCESS_LOG", "HOCVU_MAX_BODY_BYTES", "HOCVU_MAX_UPLOAD_BYTES", "HOCVU_MAX_HEADER_BYTES",
                                "HOCVU_IDLE_TIMEOUT", "HOCVU_REQUEST_TIMEOUT", "HOCVU_SHUTDOWN_GRACE",
                                "HOCVU_EXAM_GRACE_SECONDS", "HOCVU_COURSE_CACHE_SIZE", "HOCVU_METRICS_TOKEN",
                                "HOCVU_PUBLIC_URL", "HOCVU_TRUSTED_PROXIES", "HOCVU_HASHING_THREADS",
                                "HOCVU_HASHING_QUEUE"};
  for (auto& [k, v] : env) {
    if (k.rfind("HOCVU_", 0) != 0) continue;
    bool found = false;
    for (auto* name : known) found = found || k == name;
    // Tests and tools may set their own HOCVU_TEST_* and HOCVU_BENCH_* variables.
    if (!found && k.rfind("HOCVU_TEST_", 0) != 0 && k.rfind("HOCVU_BENCH_", 0) != 0 && k != "HOCVU_BINARY")
      return Error(ErrorCode::invalid_argument, k + ": unknown setting (see docs/configuration.md)");
  }

  Config cfg;
  cfg.web_dir = default_web_dir;
  auto get = [&](const char* key) -> const std::string* {
    auto it = env.find(key);
    return it == env.end() ? nullptr : &it->second;
  };
  Status s;
  if (auto v = get("HOCVU_LISTEN")) s = parse_listen(*v, cfg);
  if (!s.ok()) return s;
  if (auto v = get("HOCVU_DATA_DIR")) {
    if (v->empty()) return bad("HOCVU_DATA_DIR", *v, "must name a directory");
    cfg.data_dir = *v;
  }
  if (auto v = get("HOCVU_WEB_DIR")) {
    if (v->empty()) return bad("HOCVU_WEB_DIR", *v, "must name a directory");
    cfg.web_dir = *v;
  }
  if (auto v = get("HOCVU_DATABASE_URL"); v && !v->empty()) {
    cfg.database_url = *v;
    bool pg = cfg.uses_postgres();
    bool sqlite = v->rfind("sqlite:", 0) == 0;
    if (!pg && !sqlite)  // the value is not echoed: it may hold a password
      return Error(ErrorCode::invalid_argument,
                   "HOCVU_DATABASE_URL: expected sqlite:///path/to/file.db or postgresql://user@host:port/dbname");
    if (sqlite && cfg.sqlite_path().empty())
      return bad("HOCVU_DATABASE_URL", *v, "the SQLite file path is missing");
  } else {
    cfg.database_url = "sqlite://" + cfg.data_dir + "/hocvu.db";
  }
  if (auto v = get("HOCVU_THREADS")) s = parse_uint<unsigned>("HOCVU_THREADS", *v, 0, 256, cfg.threads);
  if (!s.ok()) return s;
  if (auto v = get("HOCVU_DB_POOL_SIZE")) s = parse_uint<unsigned>("HOCVU_DB_POOL_SIZE", *v, 1, 512, cfg.db_pool_size);
  if (!s.ok()) return s;
  if (auto v = get("HOCVU_MAX_CONNECTIONS"))
    s = parse_uint<unsigned>("HOCVU_MAX_CONNECTIONS", *v, 0, 10'000'000, cfg.max_connections);
  if (!s.ok()) return s;
  if (auto v = get("HOCVU_HASHING_THREADS"))
    s = parse_uint<unsigned>("HOCVU_HASHING_THREADS", *v, 0, 256, cfg.hashing_threads);
  if (!s.ok()) return s;
  if (auto v = get("HOCVU_HASHING_QUEUE")) s = parse_uint<unsigned>("HOCVU_HASHING_QUEUE", *v, 0, 100'000, cfg.hashing_queue);
  if (!s.ok()) return s;
  if (auto v = get("HOCVU_ACCESS_LOG")) s = parse_bool("HOCVU_ACCESS_LOG", *v, cfg.access_log);
  if (!s.ok()) return s;
  if (auto v = get("HOCVU_MAX_UPLOAD_BYTES"))
    s = parse_uint<std::size_t>("HOCVU_MAX_UPLOAD_BYTES", *v, 1024, std::size_t{1} << 32, cfg.max_upload_bytes);
  if (!s.ok()) return s;
  if (auto v = get("HOCVU_EXAM_GRACE_SECONDS"))
    s = parse_uint<unsigned>("HOCVU_EXAM_GRACE_SECONDS", *v, 0, 600, cfg.exam_grace_seconds);
  if (!s.ok()) return s;
  if (auto v = get("HOCVU_COURSE_CACHE_SIZE"))
    s = parse_uint<std::size_t>("HOCVU_COURSE_CACHE_SIZE", *v, 1, 1'000'000, cfg.course_cache_size);
  if (!s.ok()) return s;
  if (auto v = get("HOCVU_METRICS_TOKEN")) {
    if (!v->empty() && v->size() < 32) return bad("HOCVU_METRICS_TOKEN", "(hidden)", "must be at least 32 characters");
    cfg.metrics_token = *v;
  }
  if (auto v = get("HOCVU_PUBLIC_URL"); v && !v->empty()) {
    std::string url = *v;
    while (url.ends_with('/')) url.pop_back();
    auto scheme_end = url.find("://");
    bool scheme_ok = url.starts_with("https://") || url.starts_with("http://");
    if (!scheme_ok || url.size() <= scheme_end + 3 || url.find('/', scheme_end + 3) != std::string::npos ||
        url.find_first_of(" ?#@") != std::string::npos)
      return bad("HOCVU_PUBLIC_URL", *v, "expected the site's origin, for example https://hocvu.gov.vn (no path)");
    cfg.public_url = url;
  }
  if (auto v = get("HOCVU_TRUSTED_PROXIES")) {
    std::string which;
    auto list = parse_cidr_list(*v, &which);
    if (!list) return bad("HOCVU_TRUSTED_PROXIES", *v, "'" + which + "' is not an address or network such as 10.0.0.0/8");
    cfg.trusted_proxies = std::move(*list);
  }
  if (auto v = get("HOCVU_MAX_BODY_BYTES"))
    s = parse_uint<std::size_t>("HOCVU_MAX_BODY_BYTES", *v, 1024, std::size_t{1} << 32, cfg.max_body_bytes);
  if (!s.ok()) return s;
  if (auto v = get("HOCVU_MAX_HEADER_BYTES"))
    s = parse_uint<std::size_t>("HOCVU_MAX_HEADER_BYTES", *v, 1024, 1 << 20, cfg.max_header_bytes);
  if (!s.ok()) return s;
  auto seconds = [&](const char* key, std::chrono::seconds& out, unsigned min, unsigned max) -> Status {
    auto v = get(key);
    if (!v) return {};
    unsigned n = 0;
    if (auto st = parse_uint<unsigned>(key, *v, min, max, n); !st.ok()) return st;
    out = std::chrono::seconds(n);
    return {};
  };
  if (s = seconds("HOCVU_IDLE_TIMEOUT", cfg.idle_timeout, 1, 3600); !s.ok()) return s;
  if (s = seconds("HOCVU_REQUEST_TIMEOUT", cfg.request_timeout, 1, 3600); !s.ok()) return s;
  if (s = seconds("HOCVU_SHUTDOWN_GRACE", cfg.shutdown_grace, 0, 3600); !s.ok()) return s;
  if (cfg.threads == 0) cfg.threads = std::max(1u, std::thread::hardware_concurrency());
  return cfg;
}

Environment process_environment() {
  Environment env;
  for (char** e = environ; e && *e; ++e) {
    std::string_view kv(*e);
    if (kv.rfind("HOCVU_", 0) != 0) continue;
    auto eq = kv.find('=');
    if (eq == std::string_view::npos) continue;
    env.emplace(std::string(kv.substr(0, eq)), std::string(kv.substr(eq + 1)));
  }
  return env;
}

}  // namespace hocvu
