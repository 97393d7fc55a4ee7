// Network addresses and the client's address behind trusted reverse proxies. Pure functions.
//
// A request reaches the server from its peer. When the peer is a listed proxy (HOCVU_TRUSTED_PROXIES),
// the client is the right-most address of X-Forwarded-For (or of Forwarded's for=) that is not itself
// a listed proxy; from any other peer those headers are ignored, since anyone can write them.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hocvu {

// An IPv4 or IPv6 network; IPv4 is held as IPv4-mapped IPv6 (::ffff:a.b.c.d).
struct Cidr {
  std::array<std::uint8_t, 16> bytes{};
  int prefix = 128;
  bool contains(const std::array<std::uint8_t, 16>& address) const;
};

// "192.0.2.1", "2001:db8::1", "::ffff:192.0.2.1" -> 16 bytes; nullopt when not an address.
std::optional<std::array<std::uint8_t, 16>> parse_address(std::string_view text);

// "10.0.0.0/8", "2001:db8::/32" or a single address; nullopt when malformed.
std::optional<Cidr> parse_cidr(std::string_view text);

// A list separated by commas or spaces ("127.0.0.1, 10.0.0.0/8"); nullopt names nothing, and
// `bad` receives the first item that is not an address or network.
std::optional<std::vector<Cidr>> parse_cidr_list(std::string_view text, std::string* bad = nullptr);

bool in_any(const std::vector<Cidr>& networks, std::string_view address);

// The client's address. `peer` is the connection's; `forwarded_for` every X-Forwarded-For value
// joined by ", "; `forwarded` every Forwarded value joined by ", " (RFC 7239; wins when present).
// Returns `peer` unless it is in `trusted`. The result is written canonically ("192.0.2.1",
// "2001:db8::1"), so one client has one throttle key however a proxy spells it.
std::string client_address(std::string_view peer, std::string_view forwarded_for, std::string_view forwarded,
                           const std::vector<Cidr>& trusted);

}  // namespace hocvu
