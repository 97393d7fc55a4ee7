#include "web/static_files.h"

#include "web/compression.h"

#include <sodium.h>
#include <sys/stat.h>

#include <charconv>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace hocvu::web {
namespace fs = std::filesystem;
namespace {

constexpr std::uintmax_t kMaxAsset = 4 << 20;

std::string hex_digest(std::string_view data, std::size_t bytes) {
  unsigned char hash[32];
  crypto_generichash(hash, sizeof hash, reinterpret_cast<const unsigned char*>(data.data()), data.size(), nullptr, 0);
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < bytes; ++i) {
    out.push_back(digits[hash[i] >> 4]);
    out.push_back(digits[hash[i] & 15]);
  }
  return out;
}

std::string fingerprinted_path(std::string_view path, std::string_view hash) {
  auto slash = path.rfind('/');
  auto dot = path.rfind('.');
  if (dot == std::string_view::npos || (slash != std::string_view::npos && dot < slash))
    return std::string(path) + "." + std::string(hash);
  return std::string(path.substr(0, dot)) + "." + std::string(hash) + std::string(path.substr(dot));
}

Response not_modified(std::string_view etag, std::string_view cache_control) {
  Response r;
  r.status = 304;
  r.set_header("ETag", etag);
  r.set_header("Cache-Control", cache_control);
  return r;
}

Response range_not_satisfiable(std::uint64_t size) {
  Response r;
  r.status = 416;
  r.set_header("Content-Range", "bytes */" + std::to_string(size));
  return r;
}

std::string content_range(const ByteRange& b, std::uint64_t size) {
  return "bytes " + std::to_string(b.first) + "-" + std::to_string(b.last) + "/" + std::to_string(size);
}

// Range applies unless If-Range names another version of the representation.
bool range_applies(const Request& req, std::string_view etag) {
  std::string_view if_range = req.header("If-Range");
  return if_range.empty() || if_range == etag;
}

}  // namespace

std::string_view content_type_for(std::string_view path) {
  auto dot = path.rfind('.');
  std::string_view ext = dot == std::string_view::npos ? "" : path.substr(dot + 1);
  static const std::pair<std::string_view, std::string_view> types[] = {
      {"css", "text/css; charset=utf-8"}, {"js", "application/javascript; charset=utf-8"},
      {"mjs", "application/javascript; charset=utf-8"}, {"json", "application/json; charset=utf-8"},
      {"html", "text/html; charset=utf-8"}, {"txt", "text/plain; charset=utf-8"},
      {"svg", "image/svg+xml"}, {"png", "image/png"}, {"jpg", "image/jpeg"}, {"jpeg", "image/jpeg"},
      {"gif", "image/gif"}, {"webp", "image/webp"}, {"ico", "image/x-icon"}, {"woff2", "font/woff2"},
      {"mp4", "video/mp4"}, {"webm", "video/webm"}, {"ogg", "video/ogg"}, {"mp3", "audio/mpeg"},
      {"vtt", "text/vtt; charset=utf-8"}, {"pdf", "application/pdf"}, {"zip", "application/zip"},
      {"webmanifest", "application/manifest+json"}, {"xml", "application/xml"}};
  for (auto& [e, t] : types)
    if (e == ext) return t;
  return "application/octet-stream";
}

std::variant<std::monostate, ByteRange, Unsatisfiable> parse_range(std::string_view h, std::uint64_t size) {
  if (!h.starts_with("bytes=")) return {};
  h.remove_prefix(6);
  if (h.find(',') != std::string_view::npos) return {};  // several ranges: send the whole
  auto dash = h.find('-');
  if (dash == std::string_view::npos) return {};
  auto num = [](std::string_view s, std::uint64_t& v) {
    if (s.empty()) return false;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    return ec == std::errc{} && p == s.data() + s.size();
  };
  std::string_view a = h.substr(0, dash), b = h.substr(dash + 1);
  std::uint64_t first = 0, last = 0;
  if (a.empty()) {  // suffix: the last N bytes
    if (!num(b, last)) return {};
    if (last == 0 || size == 0) return Unsatisfiable{};
    std::uint64_t n = std::min(last, size);
    return ByteRange{size - n, size - 1};
  }
  if (!num(a, first)) return {};
  if (b.empty()) last = size == 0 ? 0 : size - 1;
  else if (!num(b, last) || last < first) return {};
  if (first >= size) return Unsatisfiable{};
  return ByteRange{first, std::min(last, size - 1)};
}

bool etag_matches(std::string_view inm, std::string_view etag) {
  auto strip = [](std::string_view t) {
    while (!t.empty() && (t.front() == ' ' || t.front() == '\t')) t.remove_prefix(1);
    while (!t.empty() && (t.back() == ' ' || t.back() == '\t')) t.remove_suffix(1);
    if (t.starts_with("W/")) t.remove_prefix(2);
    return t;
  };
  etag = strip(etag);
  while (!inm.empty()) {
    auto comma = inm.find(',');
    auto item = strip(inm.substr(0, comma));
    if (item == "*" || item == etag) return true;
    if (comma == std::string_view::npos) break;
    inm.remove_prefix(comma + 1);
  }
  return false;
}

Result<StaticFiles> StaticFiles::load(const std::string& dir) {
  StaticFiles files;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return Error(ErrorCode::invalid_argument, "static directory not found: " + dir);
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (!it->is_regular_file()) continue;
    if (it->file_size() > kMaxAsset)
      return Error(ErrorCode::invalid_argument, "static file too large (over 4 MiB): " + it->path().string());
    std::ifstream in(it->path(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    Asset a;
    a.path = fs::relative(it->path(), dir).generic_string();
    a.content_type = std::string(content_type_for(a.path));
    auto body = std::make_shared<std::string>(ss.str());
    std::string hash = hex_digest(*body, 8);
    a.etag = "\"" + hash + "\"";
    std::string fp = fingerprinted_path(a.path, hash.substr(0, 10));
    a.url = "/assets/" + fp;
    if (is_compressible(a.content_type) && body->size() > 256) {
      auto z = std::make_shared<std::string>(gzip(*body, 9));
      if (z->size() < body->size()) a.gzipped = std::move(z);
    }
    a.body = std::move(body);
    files.by_fingerprint_[fp] = a.path;
    files.by_path_[a.path] = std::move(a);
  }
  if (ec) return Error(ErrorCode::invalid_argument, "cannot read " + dir + ": " + ec.message());
  return files;
}

const Asset* StaticFiles::find(std::string_view path) const {
  auto it = by_path_.find(path);
  return it == by_path_.end() ? nullptr : &it->second;
}

const Asset* StaticFiles::find_fingerprinted(std::string_view path) const {
  auto it = by_fingerprint_.find(path);
  return it == by_fingerprint_.end() ? nullptr : find(it->second);
}

std::string StaticFiles::url(std::string_view path) const {
  const Asset* a = find(path);
  return a ? a->url : "/static/" + std::string(path);
}

Response serve_asset(const Request& req, const Asset& a, bool immutable) {
  const std::string_view cache = immutable ? "public, max-age=31536000, immutable" : "public, no-cache";
  const bool gz = a.gzipped && accepts_gzip(req.header("Accept-Encoding")) && req.header("Range").empty();
  const std::string etag = gz ? a.etag.substr(0, a.etag.size() - 1) + "-gz\"" : a.etag;
  if (etag_matches(req.header("If-None-Match"), etag)) {
    auto r = not_modified(etag, cache);
    if (a.gzipped) r.set_header("Vary", "Accept-Encoding");
    return r;
  }
  Response r;
  r.set_header("Content-Type", a.content_type);
  r.set_header("Cache-Control", cache);
  r.set_header("ETag", etag);
  r.set_header("Accept-Ranges", "bytes");
  if (a.gzipped) r.set_header("Vary", "Accept-Encoding");
  if (gz) {
    r.set_header("Content-Encoding", "gzip");
    r.shared_body = a.gzipped;
    return r;
  }
  const std::uint64_t size = a.body->size();
  std::string_view range = req.header("Range");
  if (!range.empty() && range_applies(req, etag)) {
    auto parsed = parse_range(range, size);
    if (std::holds_alternative<Unsatisfiable>(parsed)) return range_not_satisfiable(size);
    if (auto* b = std::get_if<ByteRange>(&parsed)) {
      r.status = 206;
      r.set_header("Content-Range", content_range(*b, size));
      r.body = a.body->substr(b->first, b->last - b->first + 1);
      return r;
    }
  }
  r.shared_body = a.body;
  return r;
}

namespace {

// Types a browser may show inline from /media. Anything else (HTML, scripts, SVG: all of which can
// run code on our origin) is sent as a download.
bool safe_inline(std::string_view content_type) {
  return content_type.starts_with("video/") || content_type.starts_with("audio/") ||
         content_type.starts_with("text/vtt") || content_type == "application/pdf" || content_type == "image/png" ||
         content_type == "image/jpeg" || content_type == "image/gif" || content_type == "image/webp";
}

// No hidden files, and no symbolic link anywhere below the root: what is served is what was put there.
bool safe_relative_path(const std::string& root, std::string_view relative) {
  if (relative.empty() || relative.front() == '/') return false;
  std::string path = root;
  std::size_t pos = 0;
  while (pos <= relative.size()) {
    auto slash = relative.find('/', pos);
    std::string_view part = relative.substr(pos, slash == std::string_view::npos ? std::string_view::npos : slash - pos);
    if (part.empty() || part.front() == '.') return false;
    path += "/";
    path += part;
    struct stat st{};
    if (::lstat(path.c_str(), &st) != 0 || S_ISLNK(st.st_mode)) return false;
    if (slash == std::string_view::npos) break;
    pos = slash + 1;
  }
  return true;
}

}  // namespace

Response serve_disk_file(const Request& req, const std::string& root, std::string_view relative) {
  if (!safe_relative_path(root, relative)) return Response::text(404, "");
  std::string path = root + "/" + std::string(relative);
  struct stat st{};
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return Response::text(404, "");
  const std::uint64_t size = static_cast<std::uint64_t>(st.st_size);
  char tag[64];
  std::snprintf(tag, sizeof tag, "\"%llx-%llx\"", static_cast<unsigned long long>(size),
                static_cast<unsigned long long>(st.st_mtim.tv_sec) * 1000000000ull +
                    static_cast<unsigned long long>(st.st_mtim.tv_nsec));
  const std::string etag = tag;
  const std::string_view cache = "private, max-age=3600";
  const std::string_view type = content_type_for(relative);
  auto headers = [&](Response& r) {
    r.set_header("Cache-Control", cache);
    r.set_header("ETag", etag);
    // Uploaded files never run as pages of ours, whatever their content.
    r.set_header("Content-Security-Policy", "sandbox; default-src 'none'; media-src 'self'; img-src 'self'");
    if (!safe_inline(type)) r.set_header("Content-Disposition", "attachment");
  };
  if (etag_matches(req.header("If-None-Match"), etag)) {
    auto r = not_modified(etag, cache);
    headers(r);
    return r;
  }
  Response r;
  r.set_header("Content-Type", safe_inline(type) ? type : "application/octet-stream");
  r.set_header("Accept-Ranges", "bytes");
  headers(r);
  r.file = FileBody{path, 0, size};
  std::string_view range = req.header("Range");
  if (!range.empty() && range_applies(req, etag)) {
    auto parsed = parse_range(range, size);
    if (std::holds_alternative<Unsatisfiable>(parsed)) return range_not_satisfiable(size);
    if (auto* b = std::get_if<ByteRange>(&parsed)) {
      r.status = 206;
      r.set_header("Content-Range", content_range(*b, size));
      r.file = FileBody{path, b->first, b->last - b->first + 1};
    }
  }
  return r;
}

}  // namespace hocvu::web
