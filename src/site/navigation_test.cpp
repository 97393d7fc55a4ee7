// The header's menu, role by role: each person sees the links for what their grants allow and
// nothing else (a citizen is never offered "Tổ chức", the organisations they cannot manage).
#include "site/navigation.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace hocvu::site {
namespace {

using accounts::Principal;
using accounts::Role;
using accounts::ScopeKind;

std::vector<std::string> hrefs(const Principal* who) {
  std::vector<std::string> out;
  for (const auto& link : menu_for(who)) out.push_back(link.href);
  return out;
}

Principal with(Role role, ScopeKind kind, std::string code) { return Principal{100, {{role, {kind, std::move(code)}}}}; }

TEST(Navigation, EachRoleSeesWhatItUses) {
  using V = std::vector<std::string>;
  const Principal citizen{100, {}};
  EXPECT_EQ(hrefs(nullptr), (V{"/courses"}));
  EXPECT_EQ(hrefs(&citizen), (V{"/courses", "/learn"}));
  const Principal helper = with(Role::community_helper, ScopeKind::unit, "00004");
  EXPECT_EQ(hrefs(&helper), (V{"/courses", "/learn", "/classes"}));
  const Principal instructor = with(Role::instructor, ScopeKind::unit, "01");
  EXPECT_EQ(hrefs(&instructor), (V{"/courses", "/learn", "/author", "/classes", "/frameworks"}));
  const Principal commune = with(Role::unit_admin, ScopeKind::unit, "00004");
  EXPECT_EQ(hrefs(&commune), (V{"/courses", "/learn", "/author", "/classes", "/people", "/organisations", "/frameworks"}));
  const Principal auditor = with(Role::auditor, ScopeKind::national, "");
  EXPECT_EQ(hrefs(&auditor), (V{"/courses", "/learn", "/people", "/audit"}));
  const Principal national = with(Role::national_admin, ScopeKind::national, "");
  EXPECT_EQ(hrefs(&national), (V{"/courses", "/learn", "/author", "/classes", "/people", "/organisations", "/audit", "/frameworks"}));
}

TEST(Navigation, NobodyWithoutAGrantIsOfferedOrganisations) {
  const Principal citizen{100, {}};
  for (const auto& link : menu_for(&citizen)) EXPECT_NE(link.href, "/organisations");
  for (const auto& link : menu_for(nullptr)) EXPECT_NE(link.href, "/organisations");
}

}  // namespace
}  // namespace hocvu::site
