#include "web/request_target.h"

#include "core/text.h"

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

namespace hocvu::web {
namespace {

constexpr std::size_t kMaxTarget = 8 * 1024;

int hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Decodes %XX (and '+' as a space when `plus_is_space`). False on malformed escapes.
bool decode(std::string_view in, bool plus_is_space, std::string& out) {
  out.clear();
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '%') {
      if (i + 2 >= in.size()) return false;
      int h = hex(in[i + 1]), l = hex(in[i + 2]);
      if (h < 0 || l < 0) return false;
      out.push_back(static_cast<char>(h * 16 + l));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return true;
}

Status refuse(std::string why) { return Error(ErrorCode::invalid_argument, std::move(why)); }

}  // namespace

Result<RequestTarget> parse_request_target(std::string_view target) {
  if (target.size() > kMaxTarget) return refuse("request target too long");
  // Absolute form ("http://host/path?q"), which servers must accept (RFC 9112, 3.2.2): the path
  // and query are what count; the host is the Host header's business.
  if (target.starts_with("http://") || target.starts_with("https://")) {
    auto absolute = boost::urls::parse_absolute_uri(target);
    if (!absolute) return refuse("malformed absolute request target");
    std::string_view rest = target.substr(target.find("//") + 2);
    auto slash = rest.find_first_of("/?");
    if (slash == std::string_view::npos) return parse_request_target("/");
    if (rest[slash] == '?') return refuse("absolute request target without a path");
    return parse_request_target(rest.substr(slash));
  }
  if (target.empty() || target.front() != '/') return refuse("request target must start with '/'");
  auto parsed = boost::urls::parse_origin_form(target);
  if (!parsed) return refuse("malformed request target: " + parsed.error().message());
  const boost::urls::url_view& url = *parsed;

  RequestTarget out;
  std::string_view raw_path = url.encoded_path();
  std::string segment;
  // Walk the encoded path one segment at a time, so that an encoded '/' (%2F) inside a segment
  // is seen for what it is: a way to smuggle a separator past the router.
  std::size_t pos = 1;  // after the leading '/'
  out.path = "/";
  while (pos <= raw_path.size()) {
    auto slash = raw_path.find('/', pos);
    std::string_view enc = raw_path.substr(pos, slash == std::string_view::npos ? std::string_view::npos : slash - pos);
    if (!decode(enc, false, segment)) return refuse("malformed percent-encoding in path");
    if (segment.find('\0') != std::string::npos) return refuse("NUL byte in path");
    if (segment.find('/') != std::string::npos) return refuse("encoded '/' in a path segment");
    if (segment == "." || segment == "..") return refuse("'.' or '..' segment in path");
    out.path += segment;
    if (slash == std::string_view::npos) break;
    out.path += '/';
    pos = slash + 1;
  }
  if (!valid_utf8(out.path)) return refuse("path is not valid UTF-8");

  if (url.has_query()) {
    auto pairs = parse_form(url.encoded_query());
    if (!pairs) return refuse("query: " + pairs.status().message());
    out.query = std::move(*pairs);
  }
  return out;
}

Result<Fields> parse_form(std::string_view q) {
  Fields out;
  std::string name, value;
  while (!q.empty()) {
    auto amp = q.find('&');
    std::string_view pair = q.substr(0, amp);
    if (!pair.empty()) {
      auto eq = pair.find('=');
      if (!decode(pair.substr(0, eq), true, name)) return refuse("malformed percent-encoding");
      if (!decode(eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1), true, value))
        return refuse("malformed percent-encoding");
      if (!valid_utf8(name) || !valid_utf8(value)) return refuse("not valid UTF-8");
      if (name.find('\0') != std::string::npos || value.find('\0') != std::string::npos) return refuse("NUL byte");
      out.emplace_back(name, value);
      if (out.size() > 200) return refuse("too many fields");
    }
    if (amp == std::string_view::npos) break;
    q.remove_prefix(amp + 1);
  }
  return out;
}

std::string percent_encode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (unsigned char c : s) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
        c == '_' || c == '~' || c == '/') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

bool safe_local_target(std::string_view t) {
  if (t.empty() || t[0] != '/' || t.size() > 2048) return false;
  if (t.size() > 1 && (t[1] == '/' || t[1] == '\\')) return false;
  for (unsigned char c : t)
    if (c < 0x20 || c == 0x7f || c == '\\') return false;
  return true;
}

}  // namespace hocvu::web
