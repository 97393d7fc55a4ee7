// Static files. Two sources:
//  - web/static/: the platform's own CSS, JavaScript and images, read into memory at start-up,
//    served at /static/<path> (revalidated with ETag) and at a fingerprinted URL
//    /assets/<dir>/<name>.<hash>.<ext> that never changes and is cached for a year ("immutable").
//  - media under the data directory: uploaded video, documents and images, served from disk with
//    HTTP Range requests (206) so that a video can seek, and ETag/304.
#pragma once

#include "core/status.h"
#include "web/http.h"

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <variant>

namespace hocvu::web {

struct Asset {
  std::string path;          // "css/app.css"
  std::string content_type;
  std::shared_ptr<const std::string> body;
  std::shared_ptr<const std::string> gzipped;  // null when not worth it
  std::string etag;          // "\"<16 hex>\""
  std::string url;           // "/assets/css/app.<8 hex>.css"
};

class StaticFiles {
 public:
  // Reads every file below `dir` (files over 4 MiB are refused: large media belong in the data
  // directory, not in web/static).
  static Result<StaticFiles> load(const std::string& dir);

  const Asset* find(std::string_view path) const;               // "css/app.css"
  const Asset* find_fingerprinted(std::string_view path) const;  // "css/app.<hash>.css"
  // The fingerprinted URL of an asset; "/static/<path>" when there is no such file.
  std::string url(std::string_view path) const;
  const std::map<std::string, Asset, std::less<>>& assets() const { return by_path_; }

 private:
  std::map<std::string, Asset, std::less<>> by_path_;
  std::map<std::string, std::string, std::less<>> by_fingerprint_;  // fingerprinted path -> path
};

// Serves a cached asset: 304 for a matching If-None-Match, 206/416 for Range, gzip when accepted.
Response serve_asset(const Request& req, const Asset& asset, bool immutable);

// Serves <root>/<relative> from disk as a FileBody (the server streams it in chunks), whole or
// the byte range asked for. `relative` was validated by the request-target parser (no "..", no
// NUL); in addition hidden files and symbolic links are refused (404). Only media types a browser
// cannot run as a page are served inline; others are downloads, and every response carries a
// sandbox CSP.
Response serve_disk_file(const Request& req, const std::string& root, std::string_view relative);

// Content-Type by file extension; application/octet-stream when unknown.
std::string_view content_type_for(std::string_view path);

struct ByteRange {
  std::uint64_t first = 0;
  std::uint64_t last = 0;  // inclusive
};
struct Unsatisfiable {};
// Parses a Range header against a representation of `size` bytes. monostate means "ignore the
// header and send everything" (absent, malformed, several ranges, or not bytes=).
std::variant<std::monostate, ByteRange, Unsatisfiable> parse_range(std::string_view header, std::uint64_t size);

// True when If-None-Match lists `etag` (weak comparison) or is "*".
bool etag_matches(std::string_view if_none_match, std::string_view etag);

}  // namespace hocvu::web
