#include "web/format.h"

#include "core/time.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>

namespace hocvu::web {

std::string format_count(std::string_view lang, std::int64_t n) {
  const char sep = lang == "en" ? ',' : '.';
  // Through unsigned arithmetic so that the most negative number has a magnitude too.
  std::uint64_t magnitude = n < 0 ? 0 - static_cast<std::uint64_t>(n) : static_cast<std::uint64_t>(n);
  std::string digits = std::to_string(magnitude);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(sep);
    out.push_back(digits[i]);
  }
  return n < 0 ? "-" + out : out;
}

std::string format_decimal(std::string_view lang, double v, int digits) {
  if (!std::isfinite(v)) return "-";
  digits = std::clamp(digits, 0, 6);
  // Large enough for any finite double written out in full (up to 309 digits before the point).
  char buf[400];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  std::string s = buf;
  if (s.find('.') != std::string::npos) {
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  if (s == "-0") s = "0";
  // The whole part with its thousands grouped, then the decimals after the language's mark.
  const bool negative = s.front() == '-';
  if (negative) s.erase(0, 1);
  const auto point = s.find('.');
  const std::string whole = s.substr(0, point);
  // Grouped on the digits themselves: a score may be larger than any integer type holds.
  std::string out;
  for (std::size_t i = 0; i < whole.size(); ++i) {
    if (i > 0 && (whole.size() - i) % 3 == 0) out.push_back(lang == "en" ? ',' : '.');
    out.push_back(whole[i]);
  }
  if (point != std::string::npos) out += (lang == "en" ? "." : ",") + s.substr(point + 1);
  return negative ? "-" + out : out;
}

namespace {

constexpr std::int64_t kVietnamOffsetMs = 7 * 3600 * 1000;  // UTC+7, no daylight saving
constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

}  // namespace

std::string format_time(std::string_view lang, std::int64_t ms, bool seconds) {
  if (!ms) return {};
  const std::int64_t local = ms + kVietnamOffsetMs;
  std::time_t secs = static_cast<std::time_t>(local >= 0 ? local / 1000 : (local - 999) / 1000);
  std::tm t{};
  gmtime_r(&secs, &t);
  char clock[16];
  if (seconds) std::snprintf(clock, sizeof clock, "%02d:%02d:%02d", t.tm_hour, t.tm_min, t.tm_sec);
  else std::snprintf(clock, sizeof clock, "%02d:%02d", t.tm_hour, t.tm_min);
  char buf[64];
  if (lang == "en")
    std::snprintf(buf, sizeof buf, "%s, %d %s %04d", clock, t.tm_mday, kMonths[t.tm_mon], t.tm_year + 1900);
  else
    std::snprintf(buf, sizeof buf, "%s %02d/%02d/%04d", clock, t.tm_mday, t.tm_mon + 1, t.tm_year + 1900);
  return buf;
}

std::string format_time(std::string_view lang, std::string_view utc, bool seconds) {
  auto t = parse_utc(utc);
  if (!t) return std::string(utc);
  return format_time(lang, std::chrono::duration_cast<std::chrono::milliseconds>(t->time_since_epoch()).count(), seconds);
}

std::string format_date(std::string_view lang, std::string_view iso) {
  // A stored moment ("2026-12-31T17:30:00.000Z"): the day it was in Vietnam.
  if (iso.size() > 10) {
    auto t = parse_utc(iso);
    if (!t) return std::string(iso);
    const std::string local = format_utc(*t + std::chrono::hours(7));
    return format_date(lang, std::string_view(local).substr(0, 10));
  }
  auto digits = [&](std::size_t from, std::size_t n) {
    for (std::size_t i = from; i < from + n; ++i)
      if (iso[i] < '0' || iso[i] > '9') return false;
    return true;
  };
  if (iso.size() != 10 || iso[4] != '-' || iso[7] != '-' || !digits(0, 4) || !digits(5, 2) || !digits(8, 2))
    return std::string(iso);
  const int month = (iso[5] - '0') * 10 + (iso[6] - '0');
  if (month < 1 || month > 12) return std::string(iso);
  std::string_view year = iso.substr(0, 4), day = iso.substr(8, 2);
  if (lang == "en") {
    std::string d(day.front() == '0' ? day.substr(1) : day);
    return d + " " + kMonths[month - 1] + " " + std::string(year);
  }
  return std::string(day) + "/" + std::string(iso.substr(5, 2)) + "/" + std::string(year);
}

}  // namespace hocvu::web
