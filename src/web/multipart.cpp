#include "web/multipart.h"

#include "web/http.h"

namespace hocvu::web {
namespace {

Status refuse(std::string why) { return Error(ErrorCode::invalid_argument, "multipart: " + std::move(why)); }

// The value of parameter `key` in a header's parameter list (form-data; name="x"; filename="y").
// Parameters are split at ';' outside quotes and their names compared whole and without case, so
// that text inside a quoted value (a field named "a; filename=b") is never taken for a parameter.
// A quoted value runs to the next quote: browsers send a quote in a name as %22 and do not escape
// backslashes (old browsers send whole Windows paths as file names).
std::string parameter(std::string_view header, std::string_view key) {
  std::size_t i = 0;
  const std::size_t n = header.size();
  while (i < n) {
    while (i < n && (header[i] == ' ' || header[i] == '\t' || header[i] == ';')) ++i;
    const std::size_t name_start = i;
    while (i < n && header[i] != '=' && header[i] != ';') ++i;
    std::string_view name = header.substr(name_start, i - name_start);
    while (!name.empty() && (name.back() == ' ' || name.back() == '\t')) name.remove_suffix(1);
    std::string value;
    if (i < n && header[i] == '=') {
      ++i;
      while (i < n && header[i] == ' ') ++i;
      if (i < n && header[i] == '"') {
        const std::size_t close = header.find('"', i + 1);
        const std::size_t end = close == std::string_view::npos ? n : close;
        value = std::string(header.substr(i + 1, end - i - 1));
        i = end;
        while (i < n && header[i] != ';') ++i;  // anything between the closing quote and ';' is ignored
      } else {
        const std::size_t start = i;
        while (i < n && header[i] != ';') ++i;
        value = std::string(header.substr(start, i - start));
      }
    }
    if (!name.empty() && iequals(name, key)) return value;
  }
  return {};
}

}  // namespace

Result<std::vector<FormPart>> parse_multipart(std::string_view content_type, std::string_view body) {
  if (!content_type.starts_with("multipart/form-data")) return refuse("not multipart/form-data");
  std::string boundary = parameter(content_type, "boundary");
  if (boundary.empty() || boundary.size() > 200) return refuse("no boundary");
  const std::string delimiter = "--" + boundary;
  std::vector<FormPart> parts;
  std::size_t pos = body.find(delimiter);
  if (pos == std::string_view::npos) return refuse("boundary not found");
  for (;;) {
    pos += delimiter.size();
    if (body.substr(pos, 2) == "--") return parts;  // the closing delimiter
    if (body.substr(pos, 2) != "\r\n") return refuse("malformed delimiter line");
    pos += 2;
    auto head_end = body.find("\r\n\r\n", pos);
    if (head_end == std::string_view::npos) return refuse("part without headers");
    FormPart part;
    std::string_view headers = body.substr(pos, head_end - pos);
    while (!headers.empty()) {
      auto eol = headers.find("\r\n");
      std::string_view line = headers.substr(0, eol);
      auto colon = line.find(':');
      if (colon != std::string_view::npos) {
        std::string_view name = line.substr(0, colon), value = line.substr(colon + 1);
        while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
        if (iequals(name, "Content-Disposition")) {
          part.name = parameter(value, "name");
          part.filename = parameter(value, "filename");
        } else if (iequals(name, "Content-Type")) {
          part.content_type = std::string(value);
        }
      }
      if (eol == std::string_view::npos) break;
      headers.remove_prefix(eol + 2);
    }
    std::size_t data_start = head_end + 4;
    auto next = body.find("\r\n" + delimiter, data_start);
    if (next == std::string_view::npos) return refuse("part not closed by the boundary");
    part.data = std::string(body.substr(data_start, next - data_start));
    parts.push_back(std::move(part));
    if (parts.size() > 100) return refuse("too many parts");
    pos = next + 2;
  }
}

Result<UploadForm> parse_upload(const Request& req, std::string_view file_field) {
  auto parts = parse_multipart(req.header("Content-Type"), req.body);
  if (!parts) return parts.status();
  UploadForm out;
  for (auto& p : *parts) {
    if (p.name == "dry_run") out.dry_run = true;
    if (p.name == file_field) out.file = std::move(p.data);
    else out.fields.emplace_back(std::move(p.name), std::move(p.data));
  }
  return out;
}

}  // namespace hocvu::web
