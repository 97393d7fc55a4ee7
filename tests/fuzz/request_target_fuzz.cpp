// libFuzzer target for the request-target parser, the first code that reads network bytes.
// Properties checked beyond "does not crash": an accepted target yields a path that starts with
// '/', is valid UTF-8, holds no NUL and no "." or ".." segment; parsing is deterministic.
#include "core/text.h"
#include "web/request_target.h"

#include <boost/url/src.hpp>

#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  auto r = hocvu::web::parse_request_target(input);
  if (!r.ok()) return 0;
  const std::string& p = r->path;
  if (p.empty() || p[0] != '/') std::abort();
  if (p.find('\0') != std::string::npos) std::abort();
  if (!hocvu::valid_utf8(p)) std::abort();
  if (p.find("/../") != std::string::npos || p.ends_with("/..") || p.find("/./") != std::string::npos ||
      p.ends_with("/."))
    std::abort();
  for (const auto& [k, v] : r->query)
    if (!hocvu::valid_utf8(k) || !hocvu::valid_utf8(v)) std::abort();
  auto again = hocvu::web::parse_request_target(input);
  if (!again.ok() || again->path != p || again->query != r->query) std::abort();
  return 0;
}
