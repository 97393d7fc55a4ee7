// Structured logging: one JSON object per line on stdout, so that any log collector can read it.
// Thread-safe. Lines are buffered and flushed at least once a second (flush_log() forces it), so
// that a busy server does not pay a system call per access-log line.
#pragma once

#include <boost/json/object.hpp>
#include <string_view>

namespace hocvu {

enum class LogLevel { debug, info, warn, error };

// Writes {"ts":"<UTC ISO-8601 with ms>","level":...,"msg":...,<fields>} as one line.
void log(LogLevel level, std::string_view msg, boost::json::object fields = {});
inline void log_info(std::string_view msg, boost::json::object fields = {}) {
  log(LogLevel::info, msg, std::move(fields));
}
inline void log_warn(std::string_view msg, boost::json::object fields = {}) {
  log(LogLevel::warn, msg, std::move(fields));
}
inline void log_error(std::string_view msg, boost::json::object fields = {}) {
  log(LogLevel::error, msg, std::move(fields));
}

// Writes an already-serialised JSON line (the access log builds its own, without a json::object).
void log_raw_line(std::string_view json_line);

// Forces buffered lines out to stdout. Called by a timer and at shutdown.
void flush_log();

// Current UTC time as "2026-11-24T20:31:05.123Z".
std::string utc_timestamp();

}  // namespace hocvu
