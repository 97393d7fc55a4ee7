// Starts the real `hocvu serve` on a free loopback port for black-box tests, and stops it.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace hocvu::testing {

class ServerProcess {
 public:
  // Starts `binary serve` with HOCVU_LISTEN=127.0.0.1:0, a fresh HOCVU_DATA_DIR, the database
  // from HOCVU_TEST_DATABASE_URL when set (PostgreSQL runs), and `env` on top. Waits for the
  // "listening" log line; throws std::runtime_error with the output when it does not come.
  explicit ServerProcess(std::map<std::string, std::string> env = {});
  ~ServerProcess();  // SIGTERM, then waits

  int port() const { return port_; }
  int pid() const { return pid_; }
  const std::string& data_dir() const { return data_dir_; }

  // Sends a signal; wait_exit() then reaps the process and returns its exit status (-1 on timeout).
  void signal(int sig);
  int wait_exit(int timeout_ms = 15000);

  std::string output() const;  // everything the server printed so far (stdout and stderr)

  static std::string binary();  // HOCVU_BINARY, set by CTest

 private:
  int pid_ = -1;
  int port_ = 0;
  int out_fd_ = -1;
  bool reaped_ = false;
  std::string data_dir_;
  mutable std::mutex mu_;
  std::string output_;
  std::thread reader_;
};

// Runs `binary args...` with `env` added to the environment; returns exit status and output.
struct RunResult {
  int status = -1;
  std::string output;
};
RunResult run_command(const std::vector<std::string>& args, const std::map<std::string, std::string>& env);

}  // namespace hocvu::testing
