// What the question-bank formats (GIFT, Moodle XML) share: trimming, ids made up for options,
// numbers read strictly, and values quoted in error messages.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hocvu::assessment::format {

// ASCII white space (space, tab, CR, LF) removed from both ends.
std::string_view trim(std::string_view s);

// The id of the option (or pair, or item) at `index`: 0 -> "a", 25 -> "z", 26 -> "aa".
std::string letter_id(std::size_t index);

// A finite decimal number, the whole of `s` after trimming ("+1.5", "-2", "3e2"); nullopt
// otherwise (no comma decimals, no "inf", no trailing text).
std::optional<double> parse_number(std::string_view s);

// A value quoted for an error message, cut at 60 bytes on a UTF-8 boundary so that a huge
// value cannot flood the error list.
std::string in_quotes(std::string_view s);

// Adds an error ({line, message}) to `errors`, keeping at most kMaxErrors and then one line that
// says more were left out, so that a hostile file cannot make an endless report.
inline constexpr std::size_t kMaxErrors = 100;
template <typename Error>
void add_error(std::vector<Error>& errors, int line, std::string message) {
  if (errors.size() > kMaxErrors) return;
  if (errors.size() == kMaxErrors) {
    errors.push_back({0, "Còn nhiều lỗi khác; chỉ liệt kê " + std::to_string(kMaxErrors) + " lỗi đầu tiên."});
    return;
  }
  errors.push_back({line, std::move(message)});
}

}  // namespace hocvu::assessment::format
