// CSV as people's spreadsheets write it (RFC 4180, and Excel's habits): an optional UTF-8 byte
// order mark, "," or ";" between fields (whichever the header line uses), quoted fields with ""
// for a quote and line breaks inside, CRLF or LF line ends, a last line with or without its end.
#pragma once

#include "core/status.h"

#include <string>
#include <string_view>
#include <vector>

namespace hocvu {

struct CsvRow {
  int line = 0;  // 1-based line where the row starts, for error reports
  std::vector<std::string> fields;
};

// Parses a whole file. Fails, naming the line, on a quote left open, text after a closing quote,
// invalid UTF-8 or a NUL byte. Blank lines are skipped. The first row is the header.
Result<std::vector<CsvRow>> parse_csv(std::string_view text);

// One field as CSV writes it: quoted when it holds the separator, a quote or a line break.
std::string csv_field(std::string_view value, char separator = ',');

}  // namespace hocvu
