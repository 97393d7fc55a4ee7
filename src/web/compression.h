// gzip for text responses. Precompressed once for cached static files; on the fly for pages.
#pragma once

#include <string>
#include <string_view>

namespace hocvu::web {

// True when Accept-Encoding allows gzip (present, and not with q=0).
bool accepts_gzip(std::string_view accept_encoding);

// True for types worth compressing: text/*, JSON, JavaScript, SVG, XML.
bool is_compressible(std::string_view content_type);

// The gzip (RFC 1952) encoding of `data`.
std::string gzip(std::string_view data, int level = 6);

// Inverse of gzip(); used by tests. Returns false on malformed input.
bool gunzip(std::string_view data, std::string& out);

}  // namespace hocvu::web
