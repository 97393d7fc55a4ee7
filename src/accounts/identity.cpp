#include "accounts/identity.h"

#include <cstdio>

namespace hocvu::accounts {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }
int days_in_month(int y, int m) {
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap(y) ? 29 : days[m - 1];
}

Refusal refuse(std::string code, std::string message) { return {std::move(code), std::move(message)}; }

}  // namespace

std::optional<Date> parse_date(std::string_view t) {
  if (t.size() != 10 || t[4] != '-' || t[7] != '-') return std::nullopt;
  for (int i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (!is_digit(t[static_cast<std::size_t>(i)])) return std::nullopt;
  auto num = [&](int from, int len) {
    int v = 0;
    for (int i = from; i < from + len; ++i) v = v * 10 + (t[static_cast<std::size_t>(i)] - '0');
    return v;
  };
  Date d{num(0, 4), num(5, 2), num(8, 2)};
  if (d.year < 1900 || d.month < 1 || d.month > 12 || d.day < 1 || d.day > days_in_month(d.year, d.month))
    return std::nullopt;
  return d;
}

std::optional<Date> parse_written_date(std::string_view t) {
  if (auto iso = parse_date(t)) return iso;
  // Day, month: one or two digits each; year: four; the same separator twice.
  auto number = [&](std::size_t& at, std::size_t min, std::size_t max) -> std::optional<int> {
    std::size_t from = at;
    int v = 0;
    while (at < t.size() && is_digit(t[at]) && at - from < max) v = v * 10 + (t[at++] - '0');
    if (at - from < min) return std::nullopt;
    return v;
  };
  std::size_t at = 0;
  auto day = number(at, 1, 2);
  if (!day || at >= t.size()) return std::nullopt;
  const char sep = t[at++];
  if (sep != '/' && sep != '-' && sep != '.') return std::nullopt;
  auto month = number(at, 1, 2);
  if (!month || at >= t.size() || t[at++] != sep) return std::nullopt;
  auto year = number(at, 4, 4);
  if (!year || at != t.size()) return std::nullopt;
  char iso[16];
  std::snprintf(iso, sizeof iso, "%04d-%02d-%02d", *year, *month, *day);
  return parse_date(iso);
}

std::string format_date(const Date& d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year, d.month, d.day);
  return buf;
}

NationalIdCheck check_national_id(std::string_view input, const std::set<std::string, std::less<>>& province_codes,
                                  const std::optional<Date>& birth_date) {
  std::string digits;
  for (char c : input) {
    if (c == ' ') continue;
    if (!is_digit(c)) return {std::nullopt, refuse("national_id_digits", "Số CCCD chỉ gồm chữ số.")};
    digits.push_back(c);
  }
  if (digits.empty()) return {std::nullopt, refuse("national_id_required", "Hãy nhập số CCCD.")};
  if (digits.size() != 12)
    return {std::nullopt, refuse("national_id_length", "Số CCCD phải có đúng 12 chữ số (bạn đã nhập " +
                                                           std::to_string(digits.size()) + ").")};
  if (!province_codes.contains(std::string_view(digits).substr(0, 3)))
    return {std::nullopt, refuse("national_id_province",
                                 "3 chữ số đầu của số CCCD (" + digits.substr(0, 3) +
                                     ") không phải mã tỉnh nơi đăng ký khai sinh. Hãy kiểm tra lại.")};
  int century_digit = digits[3] - '0';
  if (century_digit > 5)
    return {std::nullopt, refuse("national_id_century", "Chữ số thứ 4 của số CCCD (mã thế kỷ và giới tính) không hợp lệ.")};
  if (birth_date) {
    int century = 1900 + (century_digit / 2) * 100;
    int year = century + (digits[4] - '0') * 10 + (digits[5] - '0');
    if (year != birth_date->year)
      return {std::nullopt, refuse("national_id_birth_year",
                                   "Số CCCD không khớp với năm sinh " + std::to_string(birth_date->year) +
                                       ": chữ số thứ 4 đến thứ 6 cho biết năm sinh " + std::to_string(year) + ".")};
  }
  return {digits, std::nullopt};
}

PhoneCheck check_phone(std::string_view input) {
  std::string s;
  for (char c : input) {
    if (c == ' ' || c == '.' || c == '-' || c == '(' || c == ')') continue;
    s.push_back(c);
  }
  if (s.empty()) return {std::nullopt, refuse("phone_required", "Hãy nhập số điện thoại.")};
  if (s[0] == '+' && !s.starts_with("+84"))
    return {std::nullopt, refuse("phone_format", "Chỉ dùng được số điện thoại Việt Nam: 10 chữ số bắt đầu bằng 0, hoặc +84 và 9 chữ số.")};
  std::string national;
  if (s.starts_with("+84")) national = "0" + s.substr(3);
  else if (s.starts_with("84") && s.size() == 11) national = "0" + s.substr(2);
  else national = s;
  for (char c : national)
    if (!is_digit(c)) return {std::nullopt, refuse("phone_digits", "Số điện thoại chỉ gồm chữ số (có thể bắt đầu bằng +84).")};
  if (national.size() != 10 || national[0] != '0' || national[1] == '0')
    return {std::nullopt, refuse("phone_format", "Số điện thoại phải có 10 chữ số bắt đầu bằng 0 (ví dụ 0912345678), hoặc +84 và 9 chữ số.")};
  return {national, std::nullopt};
}

std::string mask_phone(std::string_view p) {
  if (p.size() < 7) return std::string(p.size(), '*');
  return std::string(p.substr(0, 3)) + std::string(p.size() - 6, '*') + std::string(p.substr(p.size() - 3));
}

std::string mask_national_id(std::string_view d) {
  if (d.size() < 7) return std::string(d.size(), '*');
  return std::string(d.substr(0, 3)) + std::string(d.size() - 6, '*') + std::string(d.substr(d.size() - 3));
}

}  // namespace hocvu::accounts
