#include "web/compression.h"

#include <zlib.h>

#include <memory>
#include <stdexcept>

namespace hocvu::web {

bool accepts_gzip(std::string_view ae) {
  std::size_t pos = 0;
  while (pos < ae.size()) {
    auto comma = ae.find(',', pos);
    std::string_view item = ae.substr(pos, comma == std::string_view::npos ? std::string_view::npos : comma - pos);
    pos = comma == std::string_view::npos ? ae.size() : comma + 1;
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    std::string_view coding = item.substr(0, item.find(';'));
    while (!coding.empty() && coding.back() == ' ') coding.remove_suffix(1);
    if (coding != "gzip" && coding != "x-gzip" && coding != "*") continue;
    auto q = item.find("q=");
    if (q != std::string_view::npos) {
      auto v = item.substr(q + 2);
      bool zero = !v.empty() && v[0] == '0';
      for (std::size_t i = 1; zero && i < v.size(); ++i) zero = v[i] == '.' || v[i] == '0' || v[i] == ' ';
      if (zero) return false;
    }
    return true;
  }
  return false;
}

bool is_compressible(std::string_view ct) {
  return ct.starts_with("text/") || ct.starts_with("application/json") || ct.starts_with("application/javascript") ||
         ct.starts_with("image/svg+xml") || ct.starts_with("application/xml") ||
         ct.starts_with("application/openmetrics-text");
}

namespace {

// deflateInit2 allocates and clears a few hundred KiB of state, which costs more than compressing a
// page; each thread keeps one stream per level and resets it between uses.
struct Deflater {
  z_stream zs{};
  explicit Deflater(int level) {
    if (deflateInit2(&zs, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
      throw std::runtime_error("deflateInit2");
  }
  ~Deflater() { deflateEnd(&zs); }
};

z_stream& deflater(int level) {
  thread_local std::unique_ptr<Deflater> streams[10];
  if (level < 0 || level > 9) level = 6;
  auto& d = streams[level];
  if (!d) d = std::make_unique<Deflater>(level);
  else deflateReset(&d->zs);
  return d->zs;
}

}  // namespace

std::string gzip(std::string_view data, int level) {
  z_stream& zs = deflater(level);
  std::string out;
  out.resize(deflateBound(&zs, static_cast<uLong>(data.size())));
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  int rc = deflate(&zs, Z_FINISH);
  if (rc != Z_STREAM_END) throw std::runtime_error("deflate");
  out.resize(zs.total_out);
  return out;
}

bool gunzip(std::string_view data, std::string& out) {
  z_stream zs{};
  if (inflateInit2(&zs, 15 + 16) != Z_OK) return false;
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  out.clear();
  char buf[16384];
  int rc;
  do {
    zs.next_out = reinterpret_cast<Bytef*>(buf);
    zs.avail_out = sizeof buf;
    rc = inflate(&zs, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) { inflateEnd(&zs); return false; }
    out.append(buf, sizeof buf - zs.avail_out);
  } while (rc != Z_STREAM_END);
  inflateEnd(&zs);
  return true;
}

}  // namespace hocvu::web
