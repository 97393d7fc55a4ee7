#include "core/address.h"

#include <gtest/gtest.h>

namespace hocvu {
namespace {

TEST(Address, ParsesNetworksAndRefusesGarbage) {
  auto list = parse_cidr_list("127.0.0.1, 10.0.0.0/8 2001:db8::/32");
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 3u);
  EXPECT_TRUE(in_any(*list, "127.0.0.1"));
  EXPECT_FALSE(in_any(*list, "127.0.0.2"));
  EXPECT_TRUE(in_any(*list, "10.200.3.4"));
  EXPECT_TRUE(in_any(*list, "::ffff:10.1.1.1"));  // IPv4-mapped peers match IPv4 networks
  EXPECT_FALSE(in_any(*list, "11.0.0.1"));
  EXPECT_TRUE(in_any(*list, "2001:db8:ffff::1"));
  EXPECT_FALSE(in_any(*list, "2001:db9::1"));
  for (auto bad : {"10.0.0.0/33", "x", "10.0.0.0/", "1.2.3", "::1/129", "10.0.0.0/8x"}) {
    std::string which;
    EXPECT_FALSE(parse_cidr_list(bad, &which)) << bad;
    EXPECT_FALSE(which.empty()) << bad;
  }
  EXPECT_TRUE(parse_cidr_list("")->empty());
  auto odd = parse_cidr("192.168.1.0/23");
  ASSERT_TRUE(odd);
  EXPECT_TRUE(odd->contains(*parse_address("192.168.0.255")));
  EXPECT_FALSE(odd->contains(*parse_address("192.168.2.0")));
}

struct Case {
  const char* name;
  const char* peer;
  const char* xff;
  const char* forwarded;
  const char* expected;
};

TEST(Address, ClientAddressBehindTrustedProxies) {
  auto trusted = *parse_cidr_list("127.0.0.1, 10.0.0.0/8");
  const Case cases[] = {
      {"no proxy: the peer", "203.0.113.9", "", "", "203.0.113.9"},
      {"untrusted peer: its headers are ignored", "203.0.113.9", "198.51.100.1", "for=198.51.100.2", "203.0.113.9"},
      {"trusted proxy: the forwarded client", "127.0.0.1", "198.51.100.1", "", "198.51.100.1"},
      {"spoofed left entries are skipped", "127.0.0.1", "1.1.1.1, 198.51.100.1", "", "198.51.100.1"},
      {"a chain of trusted proxies", "127.0.0.1", "198.51.100.1, 10.0.0.5", "", "198.51.100.1"},
      {"all trusted: the left-most", "127.0.0.1", "10.0.0.7, 10.0.0.5", "", "10.0.0.7"},
      {"garbage ends the walk", "127.0.0.1", "198.51.100.1, nonsense", "", "127.0.0.1"},
      {"no header from a proxy: the proxy", "127.0.0.1", "", "", "127.0.0.1"},
      {"Forwarded wins", "127.0.0.1", "198.51.100.1", "for=198.51.100.7;proto=https", "198.51.100.7"},
      {"Forwarded with IPv6 and port", "127.0.0.1", "", "for=\"[2001:db8:cafe::17]:4711\"", "2001:db8:cafe::17"},
      {"Forwarded chain", "127.0.0.1", "", "for=192.0.2.60;proto=http, For=10.1.2.3", "192.0.2.60"},
      {"IPv4 with a port", "127.0.0.1", "198.51.100.1:5555", "", "198.51.100.1"},
      {"mapped peer written as IPv4", "::ffff:203.0.113.9", "", "", "203.0.113.9"},
      {"IPv6 written canonically", "127.0.0.1", "2001:DB8:0:0::1", "", "2001:db8::1"},
  };
  for (const auto& c : cases) EXPECT_EQ(client_address(c.peer, c.xff, c.forwarded, trusted), c.expected) << c.name;
  EXPECT_EQ(client_address("127.0.0.1", "198.51.100.1", "", {}), "127.0.0.1") << "nothing trusted";
}

}  // namespace
}  // namespace hocvu
