#include "core/time.h"

#include <cstdio>
#include <ctime>

namespace hocvu {

std::string format_utc(SystemTime t) {
  using namespace std::chrono;
  auto secs = time_point_cast<seconds>(t);
  if (secs > t) secs -= seconds(1);
  auto ms = duration_cast<milliseconds>(t - secs).count();
  std::time_t tt = system_clock::to_time_t(secs);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
  return buf;
}

std::optional<SystemTime> parse_utc(std::string_view s) {
  if (s.size() != 24 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != '.' ||
      s[23] != 'Z')
    return std::nullopt;
  auto num = [&](std::size_t at, std::size_t len, int& out) {
    out = 0;
    for (std::size_t i = at; i < at + len; ++i) {
      if (s[i] < '0' || s[i] > '9') return false;
      out = out * 10 + (s[i] - '0');
    }
    return true;
  };
  int y, mo, d, h, mi, se, ms;
  if (!num(0, 4, y) || !num(5, 2, mo) || !num(8, 2, d) || !num(11, 2, h) || !num(14, 2, mi) || !num(17, 2, se) ||
      !num(20, 3, ms))
    return std::nullopt;
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = se;
  std::time_t tt = timegm(&tm);
  // The clock counts nanoseconds in 64 bits (years 1677 to 2262): a time outside that is
  // refused, since converting it would overflow (undefined behaviour).
  using std::chrono::seconds, std::chrono::system_clock;
  constexpr auto lo = std::chrono::duration_cast<seconds>(system_clock::duration::min()).count() + 1;
  constexpr auto hi = std::chrono::duration_cast<seconds>(system_clock::duration::max()).count() - 1;
  if (tt < lo || tt > hi) return std::nullopt;
  return system_clock::from_time_t(tt) + std::chrono::milliseconds(ms);
}

}  // namespace hocvu
