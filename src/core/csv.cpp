#include "core/csv.h"

#include "core/text.h"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace hocvu {
namespace {

Status fail(int line, const std::string& why) {
  return Error(ErrorCode::invalid_argument, "dòng " + std::to_string(line) + ": " + why);
}

}  // namespace

Result<std::vector<CsvRow>> parse_csv(std::string_view text) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  if (text.find('\0') != std::string_view::npos) return fail(1, "tệp chứa ký tự NUL, không phải văn bản CSV");
  if (!valid_utf8(text)) return fail(1, "tệp không phải UTF-8 (hãy lưu bằng \"CSV UTF-8\" trong Excel)");
  // The separator is whichever of ',' and ';' the header line uses more.
  std::string_view header = text.substr(0, text.find('\n'));
  char sep = std::count(header.begin(), header.end(), ';') > std::count(header.begin(), header.end(), ',') ? ';' : ',';

  std::vector<CsvRow> rows;
  CsvRow row;
  std::string field;
  int line = 1;
  row.line = 1;
  bool quoted = false, after_quote = false, field_started = false;
  auto end_field = [&] {
    row.fields.push_back(std::move(field));
    field.clear();
    field_started = false;
    after_quote = false;
  };
  auto end_row = [&] {
    end_field();
    bool blank = row.fields.size() == 1 && row.fields[0].empty();
    if (!blank) rows.push_back(std::move(row));
    row = CsvRow{};
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') { field.push_back('"'); ++i; }
        else { quoted = false; after_quote = true; }
      } else {
        if (c == '\n') ++line;
        field.push_back(c);
      }
      continue;
    }
    if (c == sep) { end_field(); continue; }
    if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') continue;
    if (c == '\n' || c == '\r') {
      end_row();
      ++line;
      row.line = line;
      continue;
    }
    if (after_quote) return fail(line, "có ký tự sau dấu ngoặc kép đóng");
    if (c == '"' && !field_started) { quoted = true; field_started = true; continue; }
    field_started = true;
    field.push_back(c);
  }
  if (quoted) return fail(row.line, "dấu ngoặc kép mở mà không đóng");
  if (field_started || !field.empty() || !row.fields.empty()) end_row();
  return rows;
}

std::string csv_text_cell(std::string_view v) {
  std::string out = "\"";
  if (!v.empty() && std::string_view("=+-@\t\r").find(v.front()) != std::string_view::npos) out.push_back('\'');
  for (char c : v) {
    if (c == '"') out += "\"\"";
    else out.push_back(c);
  }
  out.push_back('"');
  return out;
}

CsvWriter::CsvWriter() : out_("\xEF\xBB\xBF") {}

void CsvWriter::separate() {
  if (row_started_) out_.push_back(',');
  row_started_ = true;
}

CsvWriter& CsvWriter::text(std::string_view value) {
  separate();
  out_ += csv_text_cell(value);
  return *this;
}

CsvWriter& CsvWriter::number(double value) {
  separate();
  if (std::isfinite(value)) {
    char buf[32];
    auto r = std::to_chars(buf, buf + sizeof buf, value == 0 ? 0.0 : value);  // no "-0"
    out_.append(buf, r.ptr);
  }
  return *this;
}

CsvWriter& CsvWriter::empty() {
  separate();
  return *this;
}

void CsvWriter::end_row() {
  out_ += "\r\n";
  row_started_ = false;
}

std::string CsvWriter::take() {
  std::string s = std::move(out_);
  out_.clear();
  row_started_ = false;
  return s;
}

}  // namespace hocvu
