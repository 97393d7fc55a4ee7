#include "core/log.h"

#include <boost/json/serialize.hpp>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>
#include <string>

namespace hocvu {
namespace {

std::mutex g_mutex;
std::string g_buffer;  // guarded by g_mutex
constexpr std::size_t kFlushAt = 64 * 1024;

void write_locked(std::string_view line) {
  g_buffer.append(line);
  g_buffer.push_back('\n');
  if (g_buffer.size() >= kFlushAt) {
    std::fwrite(g_buffer.data(), 1, g_buffer.size(), stdout);
    std::fflush(stdout);
    g_buffer.clear();
  }
}

const char* level_name(LogLevel level) {
  switch (level) {
    case LogLevel::debug: return "debug";
    case LogLevel::info: return "info";
    case LogLevel::warn: return "warn";
    case LogLevel::error: return "error";
  }
  return "info";
}

}  // namespace

std::string utc_timestamp() {
  using namespace std::chrono;
  auto now = system_clock::now();
  auto secs = time_point_cast<seconds>(now);
  auto ms = duration_cast<milliseconds>(now - secs).count();
  std::time_t t = system_clock::to_time_t(secs);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
  return buf;
}

void log(LogLevel level, std::string_view msg, boost::json::object fields) {
  boost::json::object line;
  line.reserve(fields.size() + 3);
  line["ts"] = utc_timestamp();
  line["level"] = level_name(level);
  line["msg"] = msg;
  for (auto& [k, v] : fields) line[k] = std::move(v);
  std::string text = boost::json::serialize(line);
  std::lock_guard lock(g_mutex);
  write_locked(text);
  // Anything but routine access lines is rare and worth seeing at once.
  std::fwrite(g_buffer.data(), 1, g_buffer.size(), stdout);
  std::fflush(stdout);
  g_buffer.clear();
}

void log_raw_line(std::string_view json_line) {
  std::lock_guard lock(g_mutex);
  write_locked(json_line);
}

void flush_log() {
  std::lock_guard lock(g_mutex);
  if (g_buffer.empty()) return;
  std::fwrite(g_buffer.data(), 1, g_buffer.size(), stdout);
  std::fflush(stdout);
  g_buffer.clear();
}

}  // namespace hocvu
