#include "web/multipart.h"

#include "web/http.h"

namespace hocvu::web {
namespace {

Status refuse(std::string why) { return Error(ErrorCode::invalid_argument, "multipart: " + std::move(why)); }

// The value of `key` in a header parameter list: name="x"; filename="y".
std::string parameter(std::string_view header, std::string_view key) {
  std::size_t pos = 0;
  while ((pos = header.find(key, pos)) != std::string_view::npos) {
    bool starts = pos == 0 || header[pos - 1] == ' ' || header[pos - 1] == ';';
    std::size_t eq = pos + key.size();
    if (starts && eq < header.size() && header[eq] == '=') {
      std::string_view rest = header.substr(eq + 1);
      if (!rest.empty() && rest.front() == '"') {
        auto close = rest.find('"', 1);
        return std::string(rest.substr(1, close == std::string_view::npos ? std::string_view::npos : close - 1));
      }
      return std::string(rest.substr(0, rest.find(';')));
    }
    pos = eq;
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
