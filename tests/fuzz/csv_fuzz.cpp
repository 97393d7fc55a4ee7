// libFuzzer target for the CSV reader and writer (core/csv), which read every spreadsheet
// uploaded by managers (people, communes). The first byte picks what the rest is:
//   even  a file, as uploaded. Properties: no crash; an accepted file is valid UTF-8 without
//         NUL, so is every field; rows start on increasing lines within the file; no row is a
//         lone empty field (blank lines are skipped); the rows written back with csv_field and the
//         separator the reader chose read back to the same fields (when the header written still
//         makes the reader choose that separator); a refused file names a line within the file.
//   odd   rows to write (the rest split at '\x1f' into fields and '\x1e' into rows) under a
//         header "a<sep>b", with ';' or ',' as the next byte says. Property: what csv_field
//         writes reads back to exactly the same fields, each row on the line it was written at.
#include "core/csv.h"
#include "core/text.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace {

using hocvu::CsvRow;

// The separator the reader picks: whichever of ',' and ';' the first line holds more of.
char separator_of(std::string_view text) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  std::string_view header = text.substr(0, text.find('\n'));
  return std::count(header.begin(), header.end(), ';') > std::count(header.begin(), header.end(), ',') ? ';' : ',';
}

// As every export writes it (CsvWriter): a byte order mark, text cells quoted, CRLF line ends.
// `sep` is the reader's choice for the text read; the writer always writes commas.
std::string write(const std::vector<CsvRow>& rows, char /*sep*/) {
  hocvu::CsvWriter w;
  for (const CsvRow& row : rows) {
    for (const std::string& f : row.fields) w.text(f);
    w.end_row();
  }
  return w.take();
}

// What a text cell reads back as: a would-be formula keeps the ' the writer puts before it.
std::string neutralised(const std::string& f) {
  return !f.empty() && (f[0] == '=' || f[0] == '+' || f[0] == '-' || f[0] == '@' || f[0] == '\t' || f[0] == '\r') ? "'" + f : f;
}

std::vector<std::vector<std::string>> neutralised_fields(const std::vector<CsvRow>& rows) {
  std::vector<std::vector<std::string>> out;
  for (const CsvRow& r : rows) {
    out.emplace_back();
    for (const std::string& f : r.fields) out.back().push_back(neutralised(f));
  }
  return out;
}

std::vector<std::vector<std::string>> fields_of(const std::vector<CsvRow>& rows) {
  std::vector<std::vector<std::string>> out;
  for (const CsvRow& r : rows) out.push_back(r.fields);
  return out;
}

int line_count(std::string_view text) {
  int lines = 1;
  for (std::size_t i = 0; i < text.size(); ++i)
    if (text[i] == '\n' || (text[i] == '\r' && (i + 1 == text.size() || text[i + 1] != '\n'))) ++lines;
  return lines;
}

void read_file(std::string_view text) {
  auto rows = hocvu::parse_csv(text);
  const int lines = line_count(text);
  if (!rows) {
    const std::string m = rows.status().message();
    if (!m.starts_with("dòng ")) std::abort();
    int line = std::atoi(m.c_str() + std::string_view("dòng ").size());
    if (line < 1 || line > lines) std::abort();
    return;
  }
  if (text.find('\0') != std::string_view::npos || !hocvu::valid_utf8(text)) std::abort();
  int previous = 0;
  for (const CsvRow& row : *rows) {
    if (row.line <= previous || row.line > lines) std::abort();
    previous = row.line;
    if (row.fields.empty() || (row.fields.size() == 1 && row.fields[0].empty())) std::abort();
    for (const std::string& f : row.fields)
      if (!hocvu::valid_utf8(f) || f.find('\0') != std::string::npos) std::abort();
  }
  const char sep = separator_of(text);
  std::string again_text = write(*rows, sep);
  if (separator_of(again_text) != ',') return;  // the written header tips the reader to semicolons
  auto again = hocvu::parse_csv(again_text);
  if (!again || fields_of(*again) != neutralised_fields(*rows)) std::abort();
}

void write_rows(std::string_view rest) {
  if (rest.empty()) return;
  const char sep = rest[0] % 2 ? ';' : ',';
  rest.remove_prefix(1);
  std::vector<CsvRow> rows{CsvRow{1, {"a", "b"}}};
  CsvRow row;
  std::string field;
  auto end_row = [&] {
    row.fields.push_back(std::move(field));
    field.clear();
    // A row of one empty field is a blank line, which the reader skips by design.
    if (!(row.fields.size() == 1 && row.fields[0].empty())) rows.push_back(std::move(row));
    row = CsvRow{};
  };
  for (char c : rest) {
    if (c == '\x1e') end_row();
    else if (c == '\x1f') { row.fields.push_back(std::move(field)); field.clear(); }
    else field.push_back(c);
  }
  end_row();
  for (const CsvRow& r : rows)
    for (const std::string& f : r.fields)
      if (!hocvu::valid_utf8(f) || f.find('\0') != std::string::npos) return;  // not text: refused, tested above
  std::string text = write(rows, sep);
  // Each row is written on the line after the previous row's last line.
  int line = 1;
  for (CsvRow& r : rows) {
    r.line = line;
    for (const std::string& f : r.fields) line += static_cast<int>(std::count(f.begin(), f.end(), '\n'));
    ++line;
  }
  auto back = hocvu::parse_csv(text);
  if (!back || back->size() != rows.size()) std::abort();
  for (std::size_t i = 0; i < rows.size(); ++i)
    if ((*back)[i].fields != neutralised_fields({rows[i]})[0] || (*back)[i].line != rows[i].line) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (data[0] % 2 == 0) read_file(rest);
  else write_rows(rest);
  return 0;
}
