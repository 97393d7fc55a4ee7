#include "web/format.h"

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

std::string format_date(std::string_view lang, std::string_view iso) {
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
    static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                              "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    std::string d(day.front() == '0' ? day.substr(1) : day);
    return d + " " + kMonths[month - 1] + " " + std::string(year);
  }
  return std::string(day) + "/" + std::string(iso.substr(5, 2)) + "/" + std::string(year);
}

}  // namespace hocvu::web
