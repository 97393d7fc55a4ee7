// Small JSON helpers shared by every area.
#pragma once

#include <string>
#include <string_view>

namespace hocvu {

// Appends `s` as a JSON string literal (with quotes), escaping as RFC 8259 requires.
void append_json_string(std::string& out, std::string_view s);

}  // namespace hocvu
