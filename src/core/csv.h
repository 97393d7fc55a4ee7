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

// Writes CSV for spreadsheets; every export goes through it. A cell is either text (anything that
// came from people: names, titles, dates as text) or a number the platform computed. Text cells are
// always quoted, and one that a spreadsheet would take for a formula (its first character is =, +,
// -, @, a tab or a carriage return) gets a leading ' (OWASP "CSV Injection"), so it shows as the
// text it is and never runs. Numbers are written bare, so spreadsheets read them as numbers.
// Rows end with CRLF; the text starts with a UTF-8 byte order mark, which Excel needs to read UTF-8.
class CsvWriter {
 public:
  CsvWriter();
  CsvWriter& text(std::string_view value);
  CsvWriter& number(double value);  // shortest exact form ("66.67", "-1", "0"); NaN or infinity: empty
  CsvWriter& empty();
  void end_row();
  // The text written so far; the writer is empty afterwards.
  std::string take();

 private:
  std::string out_;
  bool row_started_ = false;
  void separate();
};

// One text cell as CsvWriter writes it: quoted, a formula neutralised.
std::string csv_text_cell(std::string_view value);

}  // namespace hocvu
