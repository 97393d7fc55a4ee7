// The `hocvu` command: serve, migrate, seed, version. Configuration comes from HOCVU_*
// environment variables (docs/configuration.md); every subcommand answers --help.
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
#include "site/routes.h"
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
  auto db = storage::open_database(cfg.database_url, cfg.db_pool_size);
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

int cmd_serve(const std::vector<std::string>& args) {
  if (wants_help(args)) { std::fputs(kServeHelp, stdout); return 0; }
  if (!args.empty()) return fail("serve takes no arguments; configure it with HOCVU_* variables (hocvu serve --help)");
  auto cfg = configuration();
  if (!cfg) return fail(cfg.status().message());
  auto app = web::App::create(*cfg);
  if (!app) return fail("HOCVU_WEB_DIR=" + cfg->web_dir + ": " + app.status().message());
  auto db = open_and_migrate(*cfg);
  if (!db) return fail(db.status().message());
  auto reference_store = reference::make_sql_store(**db);
  auto accounts_store = accounts::make_sql_store(**db);
  accounts::Service accounts_service(*accounts_store);
  auto directory = accounts::make_sql_directory(**db);

  web::App& a = **app;
  ops::add_routes(a, **db);
  site::add_routes(a);
  reference::add_routes(a, *reference_store);
  accounts::add_routes(a, accounts_service, *directory, *reference_store);
  accounts::add_people_routes(a, *directory, *accounts_store, *reference_store);
  accounts::add_organisation_routes(a, *directory);
  auto learning_store = learning::make_sql_store(**db);
  learning::Service learning_service(*learning_store, cfg->course_cache_size);
  learning::add_learner_routes(a, learning_service, *directory, *reference_store);
  learning::add_authoring_routes(a, learning_service, *directory, *reference_store);
  learning::add_assignment_routes(a, learning_service, *directory, *reference_store);
  learning::add_class_routes(a, learning_service, *directory);
  auto assessment_store = assessment::make_sql_store(**db);
  assessment::Service assessment_service(*assessment_store, cfg->exam_grace_seconds * 1000);
  assessment_service.on_final_exam_passed([&learning_service](std::int64_t course_id, std::int64_t person_id) {
    return learning_service.final_exam_passed(course_id, person_id, format_utc(std::chrono::system_clock::now()));
  });
  assessment::add_routes(a, assessment_service, learning_service, *directory, *reference_store);
  // Importing communes is for national administrators; the accounts area says who they are.
  reference::add_import_routes(a, *reference_store, [&directory = *directory](const web::Request& req) {
    auto p = accounts::load_principal(directory, req.user_id);
    return p && accounts::may_grant(*p, accounts::Role::national_admin, {accounts::ScopeKind::national, ""}, accounts::Place{});
  });
  a.seal();
  ops::add_database_metrics(a, **db);

  server::HttpServer server(a, *cfg);
  auto address = server.listen();
  if (!address) return fail(address.status().message());
  log_info("listening", {{"address", *address},
                         {"database", (*db)->describe()},
                         {"threads", cfg->threads},
                         {"version", HOCVU_VERSION}});
  server.run();
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
  if (command == "migrate") return cmd_migrate(args);
  if (command == "seed") return cmd_seed(args);
  if (command == "create-admin") return cmd_create_admin(args);
  if (command == "version" || command == "--version") {
    if (wants_help(args)) { std::puts("Usage: hocvu version\n\nPrints the version."); return 0; }
    std::printf("hocvu %s\n", HOCVU_VERSION);
    return 0;
  }
  return fail("unknown command '" + command + "' (see hocvu --help)");
}
