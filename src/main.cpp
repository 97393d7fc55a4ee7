// The `hocvu` command: serve, migrate, seed, create-admin, backup, restore, version. Configuration
// comes from HOCVU_* environment variables (docs/configuration.md); every subcommand answers --help.
#include "accounts/credentials.h"
#include "accounts/directory.h"
#include "accounts/identity.h"
#include "accounts/organisation_routes.h"
#include "accounts/people_routes.h"
#include "accounts/route_support.h"
#include "accounts/routes.h"
#include "accounts/service.h"
#include "accounts/store.h"
#include "core/config.h"
#include "core/log.h"
#include "core/text.h"
#include "core/time.h"
#include "assessment/demo.h"
#include "assessment/routes.h"
#include "assessment/service.h"
#include "assessment/store.h"
#include "learning/authoring.h"
#include "learning/package.h"
#include "learning/routes.h"
#include "learning/service.h"
#include "learning/store.h"
#include "ops/routes.h"
#include "reference/import_routes.h"
#include "reference/routes.h"
#include "reference/store.h"
#include "server/http_server.h"
#include "site/navigation.h"
#include "site/routes.h"
#include "storage/backup.h"
#include "storage/database.h"
#include "storage/migrations.h"
#include "web/app.h"

#include <sodium.h>

#include <algorithm>
#include <csignal>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <cstring>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#ifndef HOCVU_VERSION
#define HOCVU_VERSION "0.0.0"
#endif
#ifndef HOCVU_DEFAULT_WEB_DIR
#define HOCVU_DEFAULT_WEB_DIR "web"
#endif

namespace {

using namespace hocvu;

constexpr const char* kUsage =
    "HọcVụ — nền tảng học kỹ năng số / the digital-skills learning platform\n"
    "\n"
    "Usage: hocvu <command> [options]\n"
    "\n"
    "Commands:\n"
    "  serve           run the web server (applies pending migrations first)\n"
    "  migrate         apply pending database migrations, then exit\n"
    "  seed --demo     load the demo content (reference data, starter courses), then exit (idempotent)\n"
    "  create-admin    create the first national administrator (password on standard input)\n"
    "  routes          print every route the server registers (METHOD PATTERN a line)\n"
    "  backup DIR      copy the SQLite database (while the server runs) and the media into DIR\n"
    "  restore DIR     put a backup back into an empty data directory (--force to overwrite)\n"
    "  version         print the version\n"
    "\n"
    "Run 'hocvu <command> --help' for a command's options. Configuration is read from HOCVU_*\n"
    "environment variables (see docs/configuration.md), for example:\n"
    "  HOCVU_LISTEN=127.0.0.1:8080  HOCVU_DATA_DIR=./hocvu-data\n"
    "  HOCVU_DATABASE_URL=postgresql://hocvu@127.0.0.1:5432/hocvu\n";

constexpr const char* kServeHelp =
    "Usage: hocvu serve\n"
    "\n"
    "Runs the web server until SIGTERM or SIGINT, then finishes the requests in flight and exits.\n"
    "Pending migrations are applied at start. Settings (environment variables):\n"
    "  HOCVU_LISTEN           address and port to listen on (default 127.0.0.1:8080; port 0 picks one)\n"
    "  HOCVU_DATA_DIR         data directory: SQLite database, uploaded media (default ./hocvu-data)\n"
    "  HOCVU_DATABASE_URL     sqlite:///path/file.db or postgresql://user@host:port/db\n"
    "                         (default sqlite://$HOCVU_DATA_DIR/hocvu.db)\n"
    "  HOCVU_THREADS          I/O threads (default: one per core)\n"
    "  HOCVU_DB_POOL_SIZE     database connections and worker threads (default 8)\n"
    "  HOCVU_ACCESS_LOG       1 or 0: one JSON line per request on stdout (default 1)\n"
    "  HOCVU_CONFIG           a file of KEY=value lines; the environment overrides it\n"
    "See docs/configuration.md for the limits and timeouts.\n";

constexpr const char* kMigrateHelp =
    "Usage: hocvu migrate\n"
    "\n"
    "Applies every pending schema migration, each in its own transaction, and prints the schema\n"
    "version. Running it again is a no-op. Uses HOCVU_DATABASE_URL / HOCVU_DATA_DIR.\n";

constexpr const char* kSeedHelp =
    "Usage: hocvu seed --demo [--content DIR]\n"
    "\n"
    "Applies pending migrations and loads the demo content: the reference data (34 provinces,\n"
    "target groups, the competency framework) and the starter courses, the course packages in\n"
    "DIR/courses (default: the repository's content/ folder), published by the organisation\n"
    "\"Trung tâm Học liệu số HọcVụ\". Safe to run more than once: a course already published\n"
    "under a package's slug is left as it is. Each DIR/banks/<course slug>.gift becomes a question\n"
    "bank of that course with a section quiz (random draws by category) and a placement test.\n";

constexpr const char* kCreateAdminHelp =
    "Usage: hocvu create-admin --login <CCCD or phone> --name \"<full name>\" [--unit <code>]\n"
    "\n"
    "Creates the first national administrator, since no one can grant the first role through the\n"
    "pages: reads the password from the first line of standard input, creates the person (in unit\n"
    "--unit, default 01) unless an account with that CCCD or phone exists, and grants them the\n"
    "national_admin role. Running it again for the same login changes nothing.\n"
    "Example: printf '%s\\n' 'a-long-password' | hocvu create-admin --login 0912345678 --name \"Nguyễn Văn An\"\n";

constexpr const char* kBackupHelp =
    "Usage: hocvu backup DIR\n"
    "\n"
    "Sao lưu / Backs up a SQLite installation into DIR (missing or empty): a consistent snapshot of\n"
    "the database taken with SQLite's online backup API while servers go on writing, checked with\n"
    "PRAGMA integrity_check, then every file of HOCVU_DATA_DIR (the uploaded media), and last a\n"
    "MANIFEST of SHA-256 digests. Every file is synced to disk before the command says it is done.\n"
    "Uses HOCVU_DATABASE_URL / HOCVU_DATA_DIR. For PostgreSQL use pg_dump or pg_basebackup\n"
    "(docs/operations.md).\n";

constexpr const char* kRestoreHelp =
    "Usage: hocvu restore DIR [--force]\n"
    "\n"
    "Khôi phục / Restores a backup made by 'hocvu backup' into HOCVU_DATABASE_URL / HOCVU_DATA_DIR.\n"
    "Checks every file against the MANIFEST and the database with PRAGMA integrity_check first;\n"
    "refuses while any hocvu process uses the data directory, and refuses a target that already\n"
    "holds a database or files unless --force is given. The database is restored into a temporary\n"
    "file and renamed into place last, so it is never half restored. SQLite only.\n";

// Held by every command that opens a SQLite database, so that `hocvu restore` cannot replace the
// files under a running process (storage::DataDirLock).
std::optional<storage::DataDirLock> data_dir_lock;

Status lock_data_dir(const Config& cfg) {
  if (cfg.uses_postgres() || data_dir_lock) return {};
  auto lock = storage::DataDirLock::acquire(cfg.data_dir, storage::DataDirLock::Mode::shared);
  if (!lock) return lock.status();
  data_dir_lock.emplace(std::move(*lock));
  return {};
}

bool wants_help(const std::vector<std::string>& args) {
  for (const auto& a : args)
    if (a == "--help" || a == "-h") return true;
  return false;
}

int fail(const std::string& message) {
  std::fprintf(stderr, "hocvu: %s\n", message.c_str());
  return 2;
}

Result<Config> configuration() { return load_config(process_environment(), HOCVU_DEFAULT_WEB_DIR); }

Result<std::unique_ptr<storage::Database>> open_and_migrate(const Config& cfg) {
  if (!cfg.uses_postgres()) {
    std::error_code ec;
    std::filesystem::create_directories(cfg.data_dir, ec);
    if (ec) return Error(ErrorCode::unavailable, "cannot create HOCVU_DATA_DIR " + cfg.data_dir + ": " + ec.message());
  }
  if (auto st = lock_data_dir(cfg); !st.ok()) return st;
  auto db = storage::open_database(cfg.database_url, cfg.db_pool_size);
  if (!db) return db.status();
  auto report = storage::migrate(**db, storage::builtin_migrations());
  if (!report) return report.status();
  return db;
}

// An empty database of the current schema in memory, for commands that need the wiring but no data.
Result<std::unique_ptr<storage::Database>> open_scratch_database() {
  auto db = storage::open_database("sqlite::memory:", 1);
  if (!db) return db.status();
  auto report = storage::migrate(**db, storage::builtin_migrations());
  if (!report) return report.status();
  return db;
}

int cmd_migrate(const std::vector<std::string>& args) {
  if (wants_help(args)) { std::fputs(kMigrateHelp, stdout); return 0; }
  if (!args.empty()) return fail("migrate takes no arguments (see hocvu migrate --help)");
  auto cfg = configuration();
  if (!cfg) return fail(cfg.status().message());
  auto db = open_and_migrate(*cfg);
  if (!db) return fail(db.status().message());
  auto version = storage::schema_version(**db);
  if (!version) return fail(version.status().message());
  std::printf("schema version %d (%s)\n", *version, (*db)->describe().c_str());
  return 0;
}

// The organisation that provides the starter courses.
constexpr const char* kDemoProvider = "Trung tâm Học liệu số HọcVụ";

// Loads every course package below `dir` and publishes it, provided by kDemoProvider. A course
// already published under the package's slug is left as it is, so seeding twice changes nothing.
// Returns (packages found, courses added).
Result<std::pair<int, int>> seed_courses(storage::Database& db, const Config& cfg, reference::Store& reference,
                                         const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return Error(ErrorCode::not_found, "no course packages in " + dir);
  auto directory = accounts::make_sql_directory(db);
  auto orgs = directory->organisations();
  if (!orgs) return orgs.status();
  std::int64_t provider = 0;
  for (const auto& o : *orgs)
    if (o.name == kDemoProvider) provider = o.id;
  const std::string now = format_utc(std::chrono::system_clock::now());
  if (!provider) {
    accounts::Organisation o;
    o.name = kDemoProvider;
    o.kind = "other";
    o.unit_code = "01";
    auto created = directory->create_organisation(o, now);
    if (!created) return created.status();
    provider = created->id;
  }
  learning::KnownCodes known;
  auto groups = reference.target_groups();
  auto frameworks = reference.frameworks();
  if (!groups || !frameworks) return Error(ErrorCode::unavailable, "cannot read the reference data");
  for (const auto& g : *groups) known.groups.insert(g.code);
  for (const auto& f : *frameworks)
    for (const auto& a : f.areas)
      for (const auto& c : a.competencies) known.competencies.insert(c.code);
  auto learning_store = learning::make_sql_store(db);
  learning::Service service(*learning_store);
  std::vector<fs::path> packages;
  for (const auto& e : fs::directory_iterator(dir, ec))
    if (e.is_directory() && fs::exists(e.path() / "course.yaml")) packages.push_back(e.path());
  std::sort(packages.begin(), packages.end());
  int added = 0;
  for (const auto& p : packages) {
    auto read = learning::read_package_directory(p, {}, known.groups, known.competencies);
    if (!read.errors.empty()) {
      const auto& e = read.errors.front();
      return Error(ErrorCode::invalid_argument, p.string() + "/" + e.file + ":" + std::to_string(e.line) + ": " + e.message);
    }
    auto existing = learning_store->course_id_by_slug(read.package->course.slug);
    if (!existing) return existing.status();
    if (*existing) {
      auto current = learning_store->current_version(**existing);
      if (!current) return current.status();
      if (*current) continue;
    }
    auto outcome = learning::import_package(service, cfg.data_dir, std::move(*read.package), provider, known, 0, true, now);
    if (!outcome) return outcome.status();
    if (!outcome->errors.empty()) return Error(ErrorCode::invalid_argument, p.string() + ": " + outcome->errors.front().message);
    ++added;
  }
  return std::pair<int, int>{static_cast<int>(packages.size()), added};
}


int cmd_seed(const std::vector<std::string>& args) {
  if (wants_help(args)) { std::fputs(kSeedHelp, stdout); return 0; }
  std::string content_dir = HOCVU_DEFAULT_CONTENT_DIR;
  bool demo = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--demo") demo = true;
    else if (args[i] == "--content" && i + 1 < args.size()) content_dir = args[++i];
    else return fail("usage: hocvu seed --demo [--content DIR]");
  }
  if (!demo) return fail("usage: hocvu seed --demo [--content DIR]");
  auto cfg = configuration();
  if (!cfg) return fail(cfg.status().message());
  auto db = open_and_migrate(*cfg);
  if (!db) return fail(db.status().message());
  // The reference data (provinces, target groups, the competency framework) is part of the
  // schema migrations; the starter courses are course packages in content/courses.
  auto store = reference::make_sql_store(**db);
  auto frameworks = store->frameworks();
  auto provinces = store->provinces();
  if (!frameworks || !provinces) return fail("cannot read the reference data");
  auto loaded = seed_courses(**db, *cfg, *store, content_dir + "/courses");
  if (!loaded) return fail(loaded.status().message());
  std::printf("demo content ready: %zu provinces, %zu competency framework(s), %d starter course(s) (%d new) (%s)\n",
              provinces->size(), frameworks->size(), loaded->first, loaded->second, (*db)->describe().c_str());
  auto course_store = learning::make_sql_store(**db);
  auto banks = assessment::seed_demo_banks(**db, *course_store, content_dir + "/banks",
                                           format_utc(std::chrono::system_clock::now()));
  if (!banks) return fail(banks.status().message());
  std::printf("demo question banks: %d new, each with a section quiz and a placement test\n", *banks);
  return 0;
}

int cmd_create_admin(const std::vector<std::string>& args) {
  if (wants_help(args)) { std::fputs(kCreateAdminHelp, stdout); return 0; }
  std::string login, name, unit = "01";
  for (std::size_t i = 0; i < args.size(); ++i) {
    auto value = [&](std::string& out) {
      if (i + 1 >= args.size()) return false;
      out = args[++i];
      return true;
    };
    bool ok = (args[i] == "--login" && value(login)) || (args[i] == "--name" && value(name)) ||
              (args[i] == "--unit" && value(unit));
    if (!ok) return fail("create-admin: unexpected '" + args[i] + "' (see hocvu create-admin --help)");
  }
  if (login.empty() || name.empty()) return fail("create-admin: --login and --name are required");
  std::string password;
  if (!std::getline(std::cin, password)) return fail("create-admin: no password on standard input");
  if (!password.empty() && password.back() == '\r') password.pop_back();

  auto cfg = configuration();
  if (!cfg) return fail(cfg.status().message());
  auto db = open_and_migrate(*cfg);
  if (!db) return fail(db.status().message());
  auto store = accounts::make_sql_store(**db);
  auto directory = accounts::make_sql_directory(**db);
  auto now = std::chrono::system_clock::now();

  // The login as stored: 12 CCCD digits or a normalised phone.
  std::string digits;
  for (char c : login) if (c != ' ') digits.push_back(c);
  bool is_cccd = digits.size() == 12 && digits.find_first_not_of("0123456789") == std::string::npos;
  auto phone = accounts::check_phone(login);
  if (!is_cccd && !phone.normalized) return fail("create-admin: --login must be a 12-digit CCCD or a Vietnamese phone number");
  std::string stored = is_cccd ? digits : *phone.normalized;

  auto existing = store->find_by_login(stored);
  if (!existing) return fail(existing.status().message());
  std::int64_t id;
  if (*existing) {
    id = (*existing)->person.id;
    std::printf("account exists: %s (id %lld)\n", (*existing)->person.full_name.c_str(), static_cast<long long>(id));
  } else {
    if (auto weak = accounts::check_password(password, is_cccd ? stored : "", is_cccd ? "" : stored, ""))
      return fail("create-admin: " + weak->message);
    if (is_cccd) {
      auto prefixes = store->national_id_prefixes();
      if (!prefixes) return fail(prefixes.status().message());
      auto check = accounts::check_national_id(stored, *prefixes, std::nullopt);
      if (check.refusal) return fail("create-admin: " + check.refusal->message);
    }
    auto unit_ok = store->unit_exists(unit);
    if (!unit_ok || !*unit_ok) return fail("create-admin: unknown --unit " + unit);
    accounts::NewPerson p;
    p.full_name = to_nfc(name);
    p.search_name = fold_for_search(p.full_name);
    if (is_cccd) p.national_id = stored; else p.phone = stored;
    p.target_group = "official";
    p.unit_code = unit;
    p.password_hash = accounts::hash_password(password);
    auto created = store->create_person(p, format_utc(now));
    if (!created) return fail(created.status().message());
    id = created->id;
    std::printf("created account: %s (id %lld)\n", created->full_name.c_str(), static_cast<long long>(id));
  }
  accounts::Grant grant{accounts::Role::national_admin, {accounts::ScopeKind::national, ""}};
  auto granted = directory->add_grant(id, grant, std::nullopt, format_utc(now));
  if (!granted && granted.status().code() != ErrorCode::conflict) return fail(granted.status().message());
  std::puts(granted ? "granted national_admin" : "already national_admin");
  return 0;
}

// Everything `serve` runs, wired once: the stores, the services and the App with every route.
// `hocvu routes` builds the same, so the permission test reads the real route table.
class Platform {
 public:
  // With Storage::scratch (for `hocvu routes`) the platform runs on an empty in-memory database
  // and never opens, locks or migrates the configured one.
  enum class Storage { configured, scratch };
  static Result<std::unique_ptr<Platform>> build(const Config& cfg, Storage storage = Storage::configured) {
    auto app = web::App::create(cfg);
    if (!app) return Error(ErrorCode::invalid_argument, "HOCVU_WEB_DIR=" + cfg.web_dir + ": " + app.status().message());
    auto db = storage == Storage::configured ? open_and_migrate(cfg) : open_scratch_database();
    if (!db) return db.status();
    return std::unique_ptr<Platform>(new Platform(cfg, std::move(*app), std::move(*db)));
  }
  web::App& app() { return *app_; }
  storage::Database& db() { return *db_; }

 private:
  Platform(const Config& cfg, std::unique_ptr<web::App> app, std::unique_ptr<storage::Database> db)
      : app_(std::move(app)), db_(std::move(db)),
        reference_store_(reference::make_sql_store(*db_)),
        accounts_store_(accounts::make_sql_store(*db_)),
        accounts_service_(*accounts_store_),
        directory_(accounts::make_sql_directory(*db_)),
        learning_store_(learning::make_sql_store(*db_)),
        learning_service_(*learning_store_, cfg.course_cache_size),
        assessment_store_(assessment::make_sql_store(*db_)),
        assessment_service_(*assessment_store_, cfg.exam_grace_seconds * 1000) {
    web::App& a = *app_;
    ops::add_routes(a, *db_);
    site::add_routes(a);
    site::add_navigation(a, *directory_);
    reference::add_routes(a, *reference_store_);
    accounts::add_routes(a, accounts_service_, *directory_, *reference_store_);
    accounts::add_people_routes(a, *directory_, *accounts_store_, *reference_store_);
    accounts::add_organisation_routes(a, *directory_);
    learning::add_learner_routes(a, learning_service_, *directory_, *reference_store_);
    learning::add_authoring_routes(a, learning_service_, *directory_, *reference_store_);
    learning::add_assignment_routes(a, learning_service_, *directory_, *reference_store_);
    learning::add_class_routes(a, learning_service_, *directory_);
    assessment_service_.on_final_exam_passed([this](std::int64_t course_id, std::int64_t person_id) {
      return learning_service_.final_exam_passed(course_id, person_id, format_utc(std::chrono::system_clock::now()));
    });
    assessment::add_routes(a, assessment_service_, learning_service_, *directory_, *reference_store_);
    // Importing communes is reference data: the accounts authority says who may.
    reference::add_import_routes(a, *reference_store_, [&directory = *directory_](const web::Request& req) {
      auto p = accounts::load_principal(directory, req.user_id);
      return p && accounts::may(*p, accounts::Action::manage_reference_data, accounts::kWholeCountry, 0);
    });
    a.seal();
    ops::add_database_metrics(a, *db_);
  }

  std::unique_ptr<web::App> app_;
  std::unique_ptr<storage::Database> db_;
  std::unique_ptr<reference::Store> reference_store_;
  std::unique_ptr<accounts::Store> accounts_store_;
  accounts::Service accounts_service_;
  std::unique_ptr<accounts::Directory> directory_;
  std::unique_ptr<learning::Store> learning_store_;
  learning::Service learning_service_;
  std::unique_ptr<assessment::Store> assessment_store_;
  assessment::Service assessment_service_;
};
constexpr const char* kPostgresBackup =
    "HOCVU_DATABASE_URL là PostgreSQL: hãy sao lưu bằng pg_dump (bản logic) hoặc pg_basebackup cùng lưu trữ WAL"
    " (bản vật lý) và chép thư mục media riêng; xem docs/operations.md"
    " / the database is PostgreSQL: back it up with pg_dump (logical) or pg_basebackup with WAL archiving"
    " (physical), and copy the media folder separately; see docs/operations.md";

int cmd_backup(const std::vector<std::string>& args) {
  if (wants_help(args)) { std::fputs(kBackupHelp, stdout); return 0; }
  if (args.size() != 1 || args[0].empty() || args[0][0] == '-') return fail("usage: hocvu backup DIR");
  auto cfg = configuration();
  if (!cfg) return fail(cfg.status().message());
  if (cfg->uses_postgres()) return fail(std::string("backup: ") + kPostgresBackup);
  auto path = storage::sqlite_path(cfg->database_url);
  if (!path) return fail("backup: unsupported database URL " + cfg->database_url);
  if (auto st = lock_data_dir(*cfg); !st.ok()) return fail("backup: " + st.message());
  auto report = storage::backup_sqlite(*path, cfg->data_dir, args[0]);
  if (!report) return fail("backup: " + report.status().message());
  std::printf("đã sao lưu / backed up into %s: database %llu bytes (integrity_check ok), %zu media files (%llu bytes)\n",
              args[0].c_str(), static_cast<unsigned long long>(report->database_bytes), report->files,
              static_cast<unsigned long long>(report->file_bytes));
  return 0;
}

int cmd_restore(const std::vector<std::string>& args) {
  if (wants_help(args)) { std::fputs(kRestoreHelp, stdout); return 0; }
  std::string dir;
  bool force = false;
  for (const auto& a : args) {
    if (a == "--force") force = true;
    else if (dir.empty() && !a.empty() && a[0] != '-') dir = a;
    else return fail("usage: hocvu restore DIR [--force]");
  }
  if (dir.empty()) return fail("usage: hocvu restore DIR [--force]");
  auto cfg = configuration();
  if (!cfg) return fail(cfg.status().message());
  if (cfg->uses_postgres()) return fail(std::string("restore: ") + kPostgresBackup);
  auto path = storage::sqlite_path(cfg->database_url);
  if (!path) return fail("restore: unsupported database URL " + cfg->database_url);
  auto report = storage::restore_sqlite(dir, *path, cfg->data_dir, force);
  if (!report) return fail("restore: " + report.status().message());
  std::printf("đã khôi phục / restored from %s: database %llu bytes (integrity_check ok), %zu media files\n", dir.c_str(),
              static_cast<unsigned long long>(report->database_bytes), report->files);
  return 0;
}

int cmd_serve(const std::vector<std::string>& args) {
  if (wants_help(args)) { std::fputs(kServeHelp, stdout); return 0; }
  if (!args.empty()) return fail("serve takes no arguments; configure it with HOCVU_* variables (hocvu serve --help)");
  auto cfg = configuration();
  if (!cfg) return fail(cfg.status().message());
  auto platform = Platform::build(*cfg);
  if (!platform) return fail(platform.status().message());
  server::HttpServer server((*platform)->app(), *cfg);
  auto address = server.listen();
  if (!address) return fail(address.status().message());
  log_info("listening", {{"address", *address},
                         {"database", (*platform)->db().describe()},
                         {"threads", cfg->threads},
                         {"version", HOCVU_VERSION}});
  server.run();
  return 0;
}

int cmd_routes(const std::vector<std::string>& args) {
  if (wants_help(args)) {
    std::puts("Usage: hocvu routes\n\nPrints every route `serve` registers, one \"METHOD PATTERN\" a line, in the order\n"
              "they are registered (the permission test reads it). Uses the same configuration as serve,\n"
              "but never opens its database.");
    return 0;
  }
  auto cfg = configuration();
  if (!cfg) return fail(cfg.status().message());
  auto platform = Platform::build(*cfg, Platform::Storage::scratch);
  if (!platform) return fail(platform.status().message());
  for (const auto& r : (*platform)->app().router().routes()) std::printf("%s %s\n", r.method.c_str(), r.pattern.c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  // A closed pipe (a log shipper that restarted, a client gone) must be an error, not a death.
  std::signal(SIGPIPE, SIG_IGN);
  if (sodium_init() < 0) return fail("libsodium failed to initialise");
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    std::fputs(kUsage, args.empty() ? stderr : stdout);
    return args.empty() ? 2 : 0;
  }
  std::string command = args[0];
  args.erase(args.begin());
  if (command == "serve") return cmd_serve(args);
  if (command == "routes") return cmd_routes(args);
  if (command == "migrate") return cmd_migrate(args);
  if (command == "seed") return cmd_seed(args);
  if (command == "create-admin") return cmd_create_admin(args);
  if (command == "backup") return cmd_backup(args);
  if (command == "restore") return cmd_restore(args);
  if (command == "version" || command == "--version") {
    if (wants_help(args)) { std::puts("Usage: hocvu version\n\nPrints the version."); return 0; }
    std::printf("hocvu %s\n", HOCVU_VERSION);
    return 0;
  }
  return fail("unknown command '" + command + "' (see hocvu --help)");
}
