// Importing people into SQLite (issue 3): generates N rows (default 100,000) into a CSV file, then
// streams the file through accounts::run_people_import in chunks, as a national administrator,
// and prints rows/s and peak memory. Run twice over the same file: the second import changes
// nothing (every row unchanged), which is the other common case. Exits 1 when a pass does not
// create (then leave unchanged) every row; the test command runs it small (bench.import).
//   hocvu_import_bench [rows] [chunk]
#include "accounts/people_importer.h"
#include "accounts/store.h"
#include "reference/store.h"
#include "storage/database.h"
#include "storage/migrations.h"

#include <sodium.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

using namespace hocvu;

namespace {

long status_kb(const char* field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind(field, 0) == 0) return std::stol(line.substr(std::string(field).size()));
  return 0;
}

struct Totals {
  long created = 0, updated = 0, unchanged = 0, rejected = 0;
};

Totals import_file(const std::string& path, std::size_t chunk, accounts::Directory& dir, accounts::Store& store,
                   const accounts::UnitPlaces& units, const accounts::Principal& admin) {
  std::ifstream in(path);
  std::string header, line, text;
  std::getline(in, header);
  Totals t;
  auto flush = [&] {
    if (text.empty()) return;
    auto plan = accounts::run_people_import(dir, store, units, admin, header + "\n" + text, false, std::chrono::system_clock::now());
    if (!plan || !plan->error.empty()) {
      std::fprintf(stderr, "import failed: %s\n", plan ? plan->error.c_str() : plan.status().message().c_str());
      std::exit(1);
    }
    t.created += plan->created;
    t.updated += plan->updated;
    t.unchanged += plan->unchanged;
    t.rejected += plan->rejected;
    text.clear();
  };
  std::size_t n = 0;
  while (std::getline(in, line)) {
    text += line;
    text += '\n';
    if (++n % chunk == 0) flush();
  }
  flush();
  return t;
}

}  // namespace

int main(int argc, char** argv) {
  if (sodium_init() < 0) return 1;
  const long rows = argc > 1 ? std::stol(argv[1]) : 100000;
  const std::size_t chunk = argc > 2 ? std::stoul(argv[2]) : 5000;
  auto dir = std::filesystem::temp_directory_path() / ("hocvu-import-bench-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  auto db = storage::open_database("sqlite://" + (dir / "bench.db").string(), 4);
  if (!db || !storage::migrate(**db, storage::builtin_migrations())) return 1;
  auto store = accounts::make_sql_store(**db);
  auto directory = accounts::make_sql_directory(**db);
  auto reference = reference::make_sql_store(**db);

  accounts::NewPerson admin_person;
  admin_person.full_name = "Quản Trị";
  admin_person.search_name = "quan tri";
  admin_person.phone = "0390000001";  // outside the generated 09... numbers
  admin_person.target_group = "official";
  admin_person.unit_code = "01";
  auto admin_row = store->create_person(admin_person, "2026-01-01T00:00:00.000Z");
  if (!admin_row) return 1;
  accounts::Principal admin{admin_row->id, {{accounts::Role::national_admin, {accounts::ScopeKind::national, ""}}}};
  accounts::UnitPlaces units;
  auto all_units = reference->units_by_code();  // kept: a range-for over *temporary would dangle
  if (!all_units) return 1;
  for (const auto& [code, u] : *all_units) units[code] = accounts::Place{code, u.parent_code.empty() ? code : u.parent_code, {}};

  const std::string csv = (dir / "people.csv").string();
  {
    std::ofstream out(csv);
    out << "ho_ten,cccd,so_dien_thoai,ngay_sinh,nhom,ma_don_vi\n";
    static const char* provinces[] = {"01", "79", "31", "48", "92"};
    char buf[256];
    for (long i = 0; i < rows; ++i) {
      std::snprintf(buf, sizeof buf, "Người Học Thứ %ld,001085%06ld,09%08ld,15/06/1985,Người dân,%s\n", i, i, i, provinces[i % 5]);
      out << buf;
    }
  }
  const long rss_before = status_kb("VmRSS:");
  std::printf("rows %ld, chunk %zu, file %.1f MB, RSS before %.1f MB\n", rows, chunk,
              std::filesystem::file_size(csv) / 1e6, rss_before / 1024.0);

  // Checked, not only timed: the first pass creates every row, the second finds every row unchanged.
  int failed = 0;
  for (const char* pass : {"first import", "re-import"}) {
    auto start = std::chrono::steady_clock::now();
    Totals t = import_file(csv, chunk, *directory, *store, units, admin);
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("%-12s %8.0f rows/s  %.2f s  created %ld  updated %ld  unchanged %ld  rejected %ld  RSS %.1f MB  peak %.1f MB\n",
                pass, rows / secs, secs, t.created, t.updated, t.unchanged, t.rejected, status_kb("VmRSS:") / 1024.0,
                status_kb("VmHWM:") / 1024.0);
    const bool first = std::string_view(pass) == "first import";
    if ((first ? t.created : t.unchanged) != rows || t.rejected != 0 || t.updated != 0 || (first ? t.unchanged : t.created) != 0) {
      std::fprintf(stderr, "%s: expected %ld rows %s, nothing else\n", pass, rows, first ? "created" : "unchanged");
      failed = 1;
    }
  }
  db->reset();
  std::filesystem::remove_all(dir);
  return failed;
}
