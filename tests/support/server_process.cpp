#include "support/server_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <regex>
#include <stdexcept>

extern char** environ;

namespace hocvu::testing {
namespace {

std::vector<std::string> build_env(const std::map<std::string, std::string>& extra) {
  std::map<std::string, std::string> env;
  for (char** e = environ; *e; ++e) {
    std::string kv(*e);
    auto eq = kv.find('=');
    if (eq != std::string::npos) env[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  for (auto& [k, v] : extra) env[k] = v;
  std::vector<std::string> out;
  for (auto& [k, v] : env) out.push_back(k + "=" + v);
  return out;
}

int spawn(const std::vector<std::string>& args, const std::map<std::string, std::string>& env, int* out_fd) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  auto envs = build_env(env);
  pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    dup2(fds[1], 1);
    dup2(fds[1], 2);
    std::vector<char*> argv, envp;
    for (auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    for (auto& e : envs) envp.push_back(const_cast<char*>(e.c_str()));
    envp.push_back(nullptr);
    execve(argv[0], argv.data(), envp.data());
    _exit(127);
  }
  close(fds[1]);
  *out_fd = fds[0];
  return pid;
}

std::string make_temp_dir() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "hocvu-test-XXXXXX").string();
  if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
  return tmpl;
}

}  // namespace

std::string ServerProcess::binary() {
  const char* b = std::getenv("HOCVU_BINARY");
  if (!b || !*b) throw std::runtime_error("HOCVU_BINARY is not set (CTest sets it)");
  return b;
}

ServerProcess::ServerProcess(std::map<std::string, std::string> env) {
  data_dir_ = make_temp_dir();
  env.emplace("HOCVU_LISTEN", "127.0.0.1:0");
  env.emplace("HOCVU_DATA_DIR", data_dir_);
  env.emplace("HOCVU_THREADS", "2");
  env.emplace("HOCVU_DB_POOL_SIZE", "4");
  if (const char* url = std::getenv("HOCVU_TEST_DATABASE_URL"); url && *url) env.emplace("HOCVU_DATABASE_URL", url);
  pid_ = spawn({binary(), "serve"}, env, &out_fd_);
  reader_ = std::thread([this] {
    char buf[4096];
    ssize_t n;
    while ((n = read(out_fd_, buf, sizeof buf)) > 0) {
      std::lock_guard lock(mu_);
      output_.append(buf, static_cast<std::size_t>(n));
    }
  });
  static const std::regex listening(R"re("msg":"listening","address":"127\.0\.0\.1:(\d+)")re");
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    {
      std::lock_guard lock(mu_);
      std::smatch m;
      if (std::regex_search(output_, m, listening)) { port_ = std::stoi(m[1]); return; }
    }
    int status;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      reaped_ = true;
      reader_.join();
      throw std::runtime_error("hocvu serve exited early:\n" + output());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  throw std::runtime_error("hocvu serve did not start listening:\n" + output());
}

ServerProcess::~ServerProcess() {
  if (!reaped_) {
    kill(pid_, SIGTERM);
    if (wait_exit(10000) == -1) { kill(pid_, SIGKILL); waitpid(pid_, nullptr, 0); }
  }
  if (reader_.joinable()) reader_.join();
  if (out_fd_ >= 0) close(out_fd_);
  std::error_code ec;
  std::filesystem::remove_all(data_dir_, ec);
}

void ServerProcess::signal(int sig) { kill(pid_, sig); }

int ServerProcess::wait_exit(int timeout_ms) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (std::chrono::steady_clock::now() < deadline) {
    int status;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      reaped_ = true;
      if (reader_.joinable()) reader_.join();
      return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return -1;
}

std::string ServerProcess::output() const {
  std::lock_guard lock(mu_);
  return output_;
}

RunResult run_command(const std::vector<std::string>& args, const std::map<std::string, std::string>& env) {
  int fd;
  pid_t pid = spawn(args, env, &fd);
  RunResult r;
  char buf[4096];
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0) r.output.append(buf, static_cast<std::size_t>(n));
  close(fd);
  int status;
  waitpid(pid, &status, 0);
  r.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return r;
}

}  // namespace hocvu::testing
