#include "core/address.h"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>
#include <cstring>

namespace hocvu {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string format_address(const std::array<std::uint8_t, 16>& b) {
  static constexpr std::uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  char out[INET6_ADDRSTRLEN] = {};
  if (std::equal(std::begin(mapped), std::end(mapped), b.begin())) {
    inet_ntop(AF_INET, b.data() + 12, out, sizeof out);
  } else {
    inet_ntop(AF_INET6, b.data(), out, sizeof out);
  }
  return out;
}

// One element of a forwarding header as an address: drops quotes, IPv6 brackets and a port.
std::optional<std::array<std::uint8_t, 16>> forwarded_node(std::string_view node) {
  node = trim(node);
  if (node.size() >= 2 && node.front() == '"' && node.back() == '"') node = node.substr(1, node.size() - 2);
  if (!node.empty() && node.front() == '[') {
    auto close = node.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    return parse_address(node.substr(1, close - 1));
  }
  if (std::count(node.begin(), node.end(), ':') == 1) node = node.substr(0, node.find(':'));  // 192.0.2.1:4711
  return parse_address(node);
}

// The for= nodes of Forwarded elements, in order ("for=a;proto=https, for=b" -> a, b).
std::vector<std::string_view> forwarded_for_nodes(std::string_view header) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (start <= header.size()) {
    auto comma = header.find(',', start);
    std::string_view element = header.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    std::size_t p = 0;
    while (p <= element.size()) {
      auto semi = element.find(';', p);
      std::string_view pair = trim(element.substr(p, semi == std::string_view::npos ? std::string_view::npos : semi - p));
      if (pair.size() > 4 && (pair[0] == 'f' || pair[0] == 'F') && (pair[1] == 'o' || pair[1] == 'O') &&
          (pair[2] == 'r' || pair[2] == 'R') && pair[3] == '=')
        out.push_back(pair.substr(4));
      if (semi == std::string_view::npos) break;
      p = semi + 1;
    }
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return out;
}

std::vector<std::string_view> split_commas(std::string_view header) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  for (;;) {
    auto comma = header.find(',', start);
    auto item = trim(header.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
    if (!item.empty()) out.push_back(item);
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return out;
}

}  // namespace

bool Cidr::contains(const std::array<std::uint8_t, 16>& a) const {
  int full = prefix / 8, rest = prefix % 8;
  if (!std::equal(bytes.begin(), bytes.begin() + full, a.begin())) return false;
  if (rest == 0) return true;
  auto mask = static_cast<std::uint8_t>(0xff << (8 - rest));
  return (bytes[static_cast<std::size_t>(full)] & mask) == (a[static_cast<std::size_t>(full)] & mask);
}

std::optional<std::array<std::uint8_t, 16>> parse_address(std::string_view text) {
  if (text.empty() || text.size() >= INET6_ADDRSTRLEN) return std::nullopt;
  std::string s(text);
  std::array<std::uint8_t, 16> out{};
  in_addr v4;
  if (inet_pton(AF_INET, s.c_str(), &v4) == 1) {
    out[10] = out[11] = 0xff;
    std::memcpy(out.data() + 12, &v4, 4);
    return out;
  }
  in6_addr v6;
  if (inet_pton(AF_INET6, s.c_str(), &v6) == 1) {
    std::memcpy(out.data(), &v6, 16);
    return out;
  }
  return std::nullopt;
}

std::optional<Cidr> parse_cidr(std::string_view text) {
  text = trim(text);
  auto slash = text.find('/');
  auto address = parse_address(text.substr(0, slash));
  if (!address) return std::nullopt;
  Cidr c;
  c.bytes = *address;
  const bool v4 = text.substr(0, slash).find(':') == std::string_view::npos;
  if (slash != std::string_view::npos) {
    auto bits = text.substr(slash + 1);
    int n = -1;
    auto [p, ec] = std::from_chars(bits.data(), bits.data() + bits.size(), n);
    if (ec != std::errc{} || p != bits.data() + bits.size() || n < 0 || n > (v4 ? 32 : 128)) return std::nullopt;
    c.prefix = v4 ? 96 + n : n;
  }
  return c;
}

std::optional<std::vector<Cidr>> parse_cidr_list(std::string_view text, std::string* bad) {
  std::vector<Cidr> out;
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find_first_of(", \t", start);
    auto item = text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    if (!item.empty()) {
      auto c = parse_cidr(item);
      if (!c) {
        if (bad) *bad = std::string(item);
        return std::nullopt;
      }
      out.push_back(*c);
    }
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return out;
}

bool in_any(const std::vector<Cidr>& networks, std::string_view address) {
  auto a = parse_address(address);
  if (!a) return false;
  return std::any_of(networks.begin(), networks.end(), [&](const Cidr& c) { return c.contains(*a); });
}

std::string client_address(std::string_view peer, std::string_view forwarded_for, std::string_view forwarded,
                           const std::vector<Cidr>& trusted) {
  auto peer_bytes = parse_address(peer);
  if (!peer_bytes) return std::string(peer);
  auto is_trusted = [&](const std::array<std::uint8_t, 16>& a) {
    return std::any_of(trusted.begin(), trusted.end(), [&](const Cidr& c) { return c.contains(a); });
  };
  std::string canonical_peer = format_address(*peer_bytes);
  if (!is_trusted(*peer_bytes)) return canonical_peer;
  auto hops = !trim(forwarded).empty() ? forwarded_for_nodes(forwarded) : split_commas(forwarded_for);
  // Right to left: each trusted hop vouches for the one before it; the first hop that is not a
  // listed proxy is the client. A hop that is not an address ("unknown", garbage) ends the walk:
  // the last address vouched for is used.
  std::string client = canonical_peer;
  for (auto it = hops.rbegin(); it != hops.rend(); ++it) {
    auto hop = forwarded_node(*it);
    if (!hop) break;
    client = format_address(*hop);
    if (!is_trusted(*hop)) break;
  }
  return client;
}

}  // namespace hocvu
