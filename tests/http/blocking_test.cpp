// Blocking database work must not stall other connections' I/O. On PostgreSQL the test holds an
// exclusive lock on a table from its own session, so that requests reading it wait on the worker
// pool; meanwhile requests that need no database are answered at once, and the waiting ones
// complete when the lock goes. (SQLite in WAL mode never blocks readers, so there is nothing to
// hold there; the property is the server's, not the engine's.)
#include "support/http_client.h"
#include "support/server_process.h"

#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <cstdlib>
#include <future>
#include <signal.h>

namespace hocvu::testing {
namespace {

using namespace std::chrono_literals;

struct PgSession {
  PGconn* c;
  explicit PgSession(const char* url) : c(PQconnectdb(url)) {}
  ~PgSession() { PQfinish(c); }
  bool exec(const char* sql) {
    PGresult* r = PQexec(c, sql);
    bool ok = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;
    PQclear(r);
    return ok;
  }
};

TEST(Blocking, SlowDatabaseWorkDoesNotStallOtherConnections) {
  const char* url = std::getenv("HOCVU_TEST_DATABASE_URL");
  if (!url || !*url) GTEST_SKIP() << "needs PostgreSQL (runs as http.postgres)";
  ServerProcess server(std::map<std::string, std::string>{{"HOCVU_DB_POOL_SIZE", "4"}});
  ASSERT_EQ(http_get(server.port(), "/frameworks").status, 200);  // warm: migrations done

  PgSession lock(url);
  ASSERT_EQ(PQstatus(lock.c), CONNECTION_OK) << PQerrorMessage(lock.c);
  ASSERT_TRUE(lock.exec("BEGIN"));
  ASSERT_TRUE(lock.exec("LOCK TABLE frameworks IN ACCESS EXCLUSIVE MODE"));

  // Occupy every worker thread with a request that waits for the lock.
  std::vector<std::future<int>> waiting;
  for (int i = 0; i < 4; ++i)
    waiting.push_back(std::async(std::launch::async, [&] { return http_get(server.port(), "/api/v1/frameworks").status; }));
  std::this_thread::sleep_for(300ms);
  for (auto& w : waiting) ASSERT_EQ(w.wait_for(0ms), std::future_status::timeout) << "the lock did not hold";

  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(http_get(server.port(), "/healthz").status, 200);
  EXPECT_EQ(http_get(server.port(), "/static/css/app.css").status, 200);
  EXPECT_EQ(http_get(server.port(), "/metrics").status, 200);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);

  ASSERT_TRUE(lock.exec("COMMIT"));
  for (auto& w : waiting) EXPECT_EQ(w.get(), 200);
}

TEST(Blocking, ShutdownEndsAfterTheGraceEvenWhenHandlersAreStuck) {
  const char* url = std::getenv("HOCVU_TEST_DATABASE_URL");
  if (!url || !*url) GTEST_SKIP() << "needs PostgreSQL (runs as http.postgres)";
  ServerProcess server(std::map<std::string, std::string>{{"HOCVU_SHUTDOWN_GRACE", "1"}});
  ASSERT_EQ(http_get(server.port(), "/frameworks").status, 200);
  PgSession lock(url);
  ASSERT_TRUE(lock.exec("BEGIN"));
  ASSERT_TRUE(lock.exec("LOCK TABLE frameworks IN ACCESS EXCLUSIVE MODE"));
  auto stuck = std::async(std::launch::async, [&] {
    try { return http_get(server.port(), "/api/v1/frameworks").status; } catch (...) { return -1; }
  });
  std::this_thread::sleep_for(300ms);
  server.signal(SIGTERM);
  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(server.wait_exit(8000), 1) << server.output();  // 1: stopped with requests in flight
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
  EXPECT_NE(server.output().find("shutdown grace ended"), std::string::npos);
  lock.exec("ROLLBACK");
  stuck.wait();
}

}  // namespace
}  // namespace hocvu::testing
