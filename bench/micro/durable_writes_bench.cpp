// What synchronous=FULL costs (decision 0008): acknowledged writes per second through the storage
// layer (SqliteDatabase::write with group commit), NORMAL against FULL, on the same machine at the
// same time. Each run opens a fresh database in a temporary folder (on the file system of
// TMPDIR), starts `threads` writers that each save an exam answer (an upsert of a short text, as
// PUT /api/v1/attempts/{id}/answers/{q} does) again and again for `seconds`, and reports writes/s
// and the latency of write() (p50, p99). Runs alternate NORMAL and FULL, `rounds` times each, so
// that a change of load on a shared machine falls on both.
//   hocvu_durable_writes_bench [seconds=3] [rounds=3] [threads...=1 8 64]
#include "storage/database.h"
#include "storage/sqlite_database.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>
#include <thread>
#include <vector>

using namespace hocvu;
using namespace hocvu::storage;

namespace {

struct Figures {
  double writes_per_second = 0, p50_ms = 0, p99_ms = 0;
};

Figures run(SqliteSync sync, int threads, double seconds, int run_number) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("hocvu-durable-bench-" + std::to_string(getpid()) + "-" + std::to_string(run_number));
  fs::remove_all(dir);
  auto opened = open_sqlite_database((dir / "bench.db").string(), 8, sync);
  if (!opened) {
    std::fprintf(stderr, "%s\n", opened.status().message().c_str());
    std::exit(1);
  }
  auto& db = **opened;
  auto st = db.write([](Connection& c) {
    return c.execute_script(
        "CREATE TABLE answers (attempt INTEGER NOT NULL, question TEXT NOT NULL, value TEXT NOT NULL,"
        " saved_at TEXT NOT NULL, PRIMARY KEY (attempt, question))");
  });
  if (!st.ok()) {
    std::fprintf(stderr, "%s\n", st.message().c_str());
    std::exit(1);
  }
  std::atomic<bool> stop{false};
  std::vector<std::vector<double>> latencies(static_cast<std::size_t>(threads));
  std::vector<std::thread> workers;
  const auto start = std::chrono::steady_clock::now();
  for (int t = 0; t < threads; ++t)
    workers.emplace_back([&, t] {
      auto& mine = latencies[static_cast<std::size_t>(t)];
      for (std::int64_t n = 0; !stop; ++n) {
        const std::string value = "\"câu trả lời " + std::to_string(n) + "\"";
        const std::string question = "q" + std::to_string(n % 20);
        auto t0 = std::chrono::steady_clock::now();
        auto w = db.write([&](Connection& c) {
          return c.execute("INSERT INTO answers (attempt, question, value, saved_at) VALUES ($1, $2, $3, $4)"
                           " ON CONFLICT (attempt, question) DO UPDATE SET value = excluded.value, saved_at = excluded.saved_at",
                           {std::int64_t{t}, std::string_view(question), std::string_view(value),
                            std::string_view("2026-12-03T10:00:00.000Z")})
              .status();
        });
        auto t1 = std::chrono::steady_clock::now();
        if (!w.ok()) {
          std::fprintf(stderr, "%s\n", w.message().c_str());
          std::exit(1);
        }
        mine.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
      }
    });
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  stop = true;
  for (auto& w : workers) w.join();
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::vector<double> all;
  for (auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
  std::sort(all.begin(), all.end());
  Figures f;
  f.writes_per_second = static_cast<double>(all.size()) / elapsed;
  if (!all.empty()) {
    f.p50_ms = all[all.size() / 2];
    f.p99_ms = all[std::min(all.size() - 1, all.size() * 99 / 100)];
  }
  opened->reset();
  fs::remove_all(dir);
  return f;
}

}  // namespace

int main(int argc, char** argv) {
  const double seconds = argc > 1 ? std::atof(argv[1]) : 3.0;
  const int rounds = argc > 2 ? std::atoi(argv[2]) : 3;
  std::vector<int> thread_counts;
  for (int i = 3; i < argc; ++i) thread_counts.push_back(std::atoi(argv[i]));
  if (thread_counts.empty()) thread_counts = {1, 8, 64};
  std::printf("SQLite WAL through SqliteDatabase::write (group commit), %g s per run, %d rounds, temp dir %s\n", seconds,
              rounds, std::filesystem::temp_directory_path().c_str());
  std::printf("%8s %7s %6s %12s %9s %9s\n", "threads", "sync", "round", "writes/s", "p50 ms", "p99 ms");
  std::map<std::pair<int, int>, std::vector<Figures>> all;
  int run_number = 0;
  for (int threads : thread_counts)
    for (int r = 0; r < rounds; ++r)
      for (int k = 0; k < 2; ++k) {
        // NORMAL first in even rounds, FULL first in odd ones.
        const SqliteSync sync = ((r + k) % 2 == 0) ? SqliteSync::normal : SqliteSync::full;
        Figures f = run(sync, threads, seconds, ++run_number);
        all[{threads, sync == SqliteSync::full}].push_back(f);
        std::printf("%8d %7s %6d %12.0f %9.2f %9.2f\n", threads, sync == SqliteSync::full ? "FULL" : "NORMAL", r + 1,
                    f.writes_per_second, f.p50_ms, f.p99_ms);
        std::fflush(stdout);
      }
  std::printf("\nmedian of the rounds\n%8s %7s %12s %9s %9s\n", "threads", "sync", "writes/s", "p50 ms", "p99 ms");
  for (auto& [key, list] : all) {
    auto median = [&](auto field) {
      std::vector<double> v;
      for (const auto& f : list) v.push_back(f.*field);
      std::sort(v.begin(), v.end());
      return v[v.size() / 2];
    };
    std::printf("%8d %7s %12.0f %9.2f %9.2f\n", key.first, key.second ? "FULL" : "NORMAL", median(&Figures::writes_per_second),
                median(&Figures::p50_ms), median(&Figures::p99_ms));
  }
  return 0;
}
