// The authorization function as a table: each role (at a scope) against targets inside and
// outside that scope, for every action.
#include "accounts/authorization.h"

#include <gtest/gtest.h>

namespace hocvu::accounts {
namespace {

// A person in commune 00004 of Hà Nội (01), member of organisation 7 (under organisation 3).
const Place kHanoiCommune{"00004", "01", {"7", "3"}};
// A person in Hồ Chí Minh (79), in no organisation.
const Place kSaigon{"79", "79", {}};

Principal with(Role role, ScopeKind kind, std::string code) { return Principal{100, {{role, {kind, std::move(code)}}}}; }

struct Case {
  const char* who;
  Principal principal;
  Action action;
  bool hanoi;   // allowed on the Hà Nội person
  bool saigon;  // allowed on the Sài Gòn person
};

TEST(Authorization, EveryRoleAgainstEveryScope) {
  using A = Action;
  const Principal national = with(Role::national_admin, ScopeKind::national, "");
  const Principal province = with(Role::unit_admin, ScopeKind::unit, "01");
  const Principal commune = with(Role::unit_admin, ScopeKind::unit, "00004");
  const Principal other_commune = with(Role::unit_admin, ScopeKind::unit, "00007");
  const Principal org = with(Role::org_manager, ScopeKind::organisation, "3");
  const Principal auditor = with(Role::auditor, ScopeKind::national, "");
  const Principal instructor = with(Role::instructor, ScopeKind::unit, "01");
  const Principal helper = with(Role::community_helper, ScopeKind::unit, "00004");
  const Principal learner{100, {}};
  const Principal nobody{0, {}};
  const Case cases[] = {
      {"national admin", national, A::list_people, true, true},
      {"national admin", national, A::view_personal_data, true, true},
      {"national admin", national, A::grant_role, true, true},
      {"national admin", national, A::read_audit_log, true, true},
      {"province admin", province, A::list_people, true, false},
      {"province admin", province, A::view_personal_data, true, false},
      {"province admin", province, A::grant_role, true, false},
      {"province admin", province, A::read_audit_log, false, false},
      {"commune admin", commune, A::list_people, true, false},
      {"commune admin", commune, A::view_personal_data, true, false},
      {"other commune admin", other_commune, A::list_people, false, false},
      {"other commune admin", other_commune, A::view_personal_data, false, false},
      {"org manager", org, A::list_people, true, false},
      {"org manager", org, A::view_personal_data, true, false},
      {"auditor", auditor, A::list_people, true, true},
      {"auditor", auditor, A::view_personal_data, false, false},
      {"auditor", auditor, A::read_audit_log, true, true},
      {"auditor", auditor, A::grant_role, false, false},
      {"instructor", instructor, A::list_people, false, false},
      {"instructor", instructor, A::view_personal_data, false, false},
      {"community helper", helper, A::view_personal_data, false, false},
      {"learner", learner, A::list_people, false, false},
      {"learner", learner, A::view_personal_data, false, false},
      {"nobody", nobody, A::list_people, false, false},
      // Courses: the target is where a provider organisation (or a group of learners) stands.
      {"national admin", national, A::author_course, true, true},
      {"national admin", national, A::assign_course, true, true},
      {"province admin", province, A::author_course, true, false},
      {"province admin", province, A::assign_course, true, false},
      {"commune admin", commune, A::assign_course, true, false},
      {"other commune admin", other_commune, A::assign_course, false, false},
      {"org manager", org, A::author_course, true, false},
      {"org manager", org, A::assign_course, true, false},
      {"org manager", org, A::view_progress, true, false},
      {"instructor", instructor, A::author_course, true, false},
      {"instructor", instructor, A::assign_course, false, false},
      {"instructor", instructor, A::view_progress, false, false},
      {"community helper", helper, A::author_course, false, false},
      {"auditor", auditor, A::author_course, false, false},
      {"auditor", auditor, A::assign_course, false, false},
      {"auditor", auditor, A::view_progress, true, true},
      {"learner", learner, A::author_course, false, false},
      {"learner", learner, A::assign_course, false, false},
      {"nobody", nobody, A::author_course, false, false},
      {"instructor", instructor, A::teach, true, false},
      {"community helper", helper, A::teach, true, false},
      {"org manager", org, A::teach, true, false},
      {"auditor", auditor, A::teach, false, false},
      {"learner", learner, A::teach, false, false},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(may(c.principal, c.action, kHanoiCommune, 1), c.hanoi) << c.who << " on Hà Nội, action " << int(c.action);
    EXPECT_EQ(may(c.principal, c.action, kSaigon, 2), c.saigon) << c.who << " on Sài Gòn, action " << int(c.action);
  }
}

TEST(Authorization, PeopleSeeTheirOwnDataOnly) {
  const Principal learner{1, {}};
  EXPECT_TRUE(may(learner, Action::view_personal_data, kSaigon, 1));
  EXPECT_FALSE(may(learner, Action::view_personal_data, kSaigon, 2));
  EXPECT_FALSE(may(learner, Action::list_people, kSaigon, 1));
  EXPECT_FALSE(may(Principal{0, {}}, Action::view_personal_data, kSaigon, 0));  // nobody is not person 0
}

TEST(Authorization, WhoMayGrantWhat) {
  const Principal national = with(Role::national_admin, ScopeKind::national, "");
  const Principal province = with(Role::unit_admin, ScopeKind::unit, "01");
  const Principal commune = with(Role::unit_admin, ScopeKind::unit, "00004");
  const Principal org = with(Role::org_manager, ScopeKind::organisation, "3");
  const Scope hanoi_commune{ScopeKind::unit, "00004"}, hanoi{ScopeKind::unit, "01"}, saigon{ScopeKind::unit, "79"};
  const Place hanoi_commune_place{"00004", "01", {}}, hanoi_place{"01", "01", {}}, saigon_place{"79", "79", {}};
  const Scope everywhere{ScopeKind::national, ""};
  const Place anywhere{};

  EXPECT_TRUE(may_grant(national, Role::national_admin, everywhere, {anywhere}));
  EXPECT_TRUE(may_grant(national, Role::auditor, everywhere, {anywhere}));
  EXPECT_TRUE(may_grant(province, Role::instructor, hanoi_commune, {hanoi_commune_place}));
  EXPECT_TRUE(may_grant(province, Role::unit_admin, hanoi_commune, {hanoi_commune_place}));  // its commune
  EXPECT_FALSE(may_grant(province, Role::unit_admin, hanoi, {hanoi_place}));                 // not itself
  EXPECT_FALSE(may_grant(province, Role::instructor, saigon, {saigon_place}));               // not elsewhere
  EXPECT_FALSE(may_grant(province, Role::auditor, hanoi, {hanoi_place}));
  EXPECT_FALSE(may_grant(province, Role::national_admin, everywhere, {anywhere}));
  EXPECT_TRUE(may_grant(commune, Role::community_helper, hanoi_commune, {hanoi_commune_place}));
  EXPECT_FALSE(may_grant(commune, Role::unit_admin, hanoi_commune, {hanoi_commune_place}));
  EXPECT_FALSE(may_grant(commune, Role::instructor, hanoi, {hanoi_place}));  // the province is above it
  const Scope org7{ScopeKind::organisation, "7"};
  const Place org7_place{"00004", "01", {"7", "3"}};
  EXPECT_TRUE(may_grant(org, Role::instructor, org7, {org7_place}));
  EXPECT_FALSE(may_grant(org, Role::org_manager, org7, {org7_place}));
  EXPECT_FALSE(may_grant(Principal{5, {}}, Role::instructor, org7, {org7_place}));
}

// Second reader of issue 10: an organisation's subtree may cross provinces, and a role there
// reaches all of it. Granting it needs every place of the reach, not just the organisation's own.
TEST(Authorization, GrantingAtAnOrganisationNeedsItsWholeReach) {
  const Principal hanoi_admin = with(Role::unit_admin, ScopeKind::unit, "01");
  const Principal saigon_admin = with(Role::unit_admin, ScopeKind::unit, "79");
  const Principal both{1, {Grant{Role::unit_admin, {ScopeKind::unit, "01"}}, Grant{Role::unit_admin, {ScopeKind::unit, "79"}}}};
  const Principal ministry_manager = with(Role::org_manager, ScopeKind::organisation, "3");
  const Principal national = with(Role::national_admin, ScopeKind::national, "");
  const Scope org7{ScopeKind::organisation, "7"};
  // Organisation 7 (under 3) stands in a Hanoi commune; a department or member of it stands in Saigon.
  const Reach only_hanoi{Place{"00004", "01", {"7", "3"}}};
  const Reach crosses{Place{"00004", "01", {"7", "3"}}, Place{"26734", "79", {"7", "3"}}};

  EXPECT_TRUE(may_grant(hanoi_admin, Role::org_manager, org7, only_hanoi));
  EXPECT_FALSE(may_grant(hanoi_admin, Role::org_manager, org7, crosses));
  EXPECT_FALSE(may_grant(hanoi_admin, Role::instructor, org7, crosses));
  EXPECT_FALSE(may_grant(saigon_admin, Role::org_manager, org7, crosses));
  EXPECT_TRUE(may_grant(both, Role::org_manager, org7, crosses));
  EXPECT_TRUE(may_grant(ministry_manager, Role::instructor, org7, crosses));  // the whole subtree is theirs
  EXPECT_TRUE(may_grant(national, Role::org_manager, org7, crosses));
  EXPECT_FALSE(may_grant(national, Role::org_manager, org7, Reach{}));  // a scope that no longer exists

  // And so nobody below that acts on the person holding such a role.
  const Subject holder{20, kHanoiCommune, {{Grant{Role::org_manager, org7}, crosses}}};
  EXPECT_FALSE(may(hanoi_admin, Action::manage_person, holder));
  EXPECT_FALSE(may(hanoi_admin, Action::grant_role, holder));
  EXPECT_TRUE(may(both, Action::manage_person, holder));

  // Placing a new organisation or member from a unit where the subtree does not stand widens what
  // every role at the organisation reaches: only someone who manages that unit itself may.
  const Place saigon_commune{"26734", "79", {}}, hanoi_commune{"00004", "01", {"44"}};
  EXPECT_TRUE(may_place(ministry_manager, crosses, saigon_commune));      // the subtree is there already
  EXPECT_TRUE(may_place(ministry_manager, only_hanoi, hanoi_commune));    // same commune
  EXPECT_TRUE(may_place(ministry_manager, Reach{Place{"01", "01", {"7", "3"}}}, hanoi_commune));  // within its province
  EXPECT_FALSE(may_place(ministry_manager, only_hanoi, saigon_commune));  // only through the organisation
  EXPECT_FALSE(may_place(hanoi_admin, only_hanoi, saigon_commune));
  EXPECT_TRUE(may_place(saigon_admin, only_hanoi, saigon_commune));       // manages the unit itself
  EXPECT_TRUE(may_place(national, only_hanoi, saigon_commune));
  // An organisation scope the person happens to be in does not count as managing their unit.
  const Principal org44 = with(Role::org_manager, ScopeKind::organisation, "44");
  EXPECT_FALSE(may_place(org44, Reach{Place{"26734", "79", {"7", "3"}}}, hanoi_commune));

  // Acting on a whole scope (assigning a course to everyone in it) needs every place too.
  EXPECT_TRUE(may_everywhere(hanoi_admin, Action::assign_course, only_hanoi));
  EXPECT_FALSE(may_everywhere(hanoi_admin, Action::assign_course, crosses));
  EXPECT_TRUE(may_everywhere(ministry_manager, Action::assign_course, crosses));
  EXPECT_FALSE(may_everywhere(national, Action::assign_course, Reach{}));
}

// Finding 1 of issue 10: may() weighs the target's own roles. A manager acts on a person in their
// scope only when they could have granted every role that person holds.
TEST(Authorization, NobodyActsOnAPersonWhoOutranksThem) {
  const Principal national = with(Role::national_admin, ScopeKind::national, "");
  const Principal province = with(Role::unit_admin, ScopeKind::unit, "01");
  const Principal commune = with(Role::unit_admin, ScopeKind::unit, "00004");
  const Place hanoi_place{"01", "01", {}}, commune_place{"00004", "01", {}};
  auto person = [](std::int64_t id, std::vector<std::pair<Grant, Reach>> grants) {
    return Subject{id, kHanoiCommune, std::move(grants)};
  };
  const Subject citizen = person(1, {});
  const Subject helper = person(2, {{Grant{Role::community_helper, {ScopeKind::unit, "00004"}}, {commune_place}}});
  const Subject commune_admin = person(3, {{Grant{Role::unit_admin, {ScopeKind::unit, "00004"}}, {commune_place}}});
  const Subject province_admin = person(4, {{Grant{Role::unit_admin, {ScopeKind::unit, "01"}}, {hanoi_place}}});
  const Subject national_admin = person(5, {{Grant{Role::national_admin, {ScopeKind::national, ""}}, {Place{}}}});
  const Subject auditor = person(6, {{Grant{Role::auditor, {ScopeKind::national, ""}}, {Place{}}}});
  const Subject gone_scope = person(7, {{Grant{Role::instructor, {ScopeKind::organisation, "99"}}, {}}});

  struct Row {
    const char* name;
    const Principal& who;
    const Subject& target;
    bool manage, grant, view;
  };
  const Row rows[] = {
      {"province on citizen", province, citizen, true, true, true},
      {"province on helper", province, helper, true, true, true},
      {"province on commune admin", province, commune_admin, true, true, true},  // it appoints them
      {"province on a peer", province, province_admin, false, false, true},
      {"province on national admin", province, national_admin, false, false, true},
      {"province on auditor", province, auditor, false, false, true},
      {"commune on helper", commune, helper, true, true, true},
      {"commune on commune admin", commune, commune_admin, false, false, true},
      {"commune on province admin", commune, province_admin, false, false, true},
      {"anyone on a role whose scope is gone", province, gone_scope, false, false, true},
      {"national on national admin", national, national_admin, true, true, true},
      {"national on auditor", national, auditor, true, true, true},
  };
  for (const auto& r : rows) {
    EXPECT_EQ(may(r.who, Action::manage_person, r.target), r.manage) << r.name;
    EXPECT_EQ(may(r.who, Action::grant_role, r.target), r.grant) << r.name;
    EXPECT_EQ(may(r.who, Action::view_personal_data, r.target), r.view) << r.name;
  }
  // Never on oneself through the managers' routes, and nothing outside the scope at all.
  EXPECT_FALSE(may(Principal{3, commune.grants}, Action::manage_person, commune_admin));
  EXPECT_FALSE(may(commune, Action::manage_person, Subject{8, kSaigon, {}}));
  EXPECT_FALSE(may(Principal{9, {}}, Action::manage_person, citizen));
}

TEST(Authorization, SomewhereAndScopesFollowTheSameRules) {
  const Principal helper = with(Role::community_helper, ScopeKind::unit, "00004");
  const Principal auditor = with(Role::auditor, ScopeKind::national, "");
  const Principal learner{1, {}};
  EXPECT_TRUE(may_somewhere(helper, Action::teach));
  EXPECT_FALSE(may_somewhere(helper, Action::list_people));
  EXPECT_FALSE(may_somewhere(helper, Action::author_course));
  EXPECT_TRUE(may_somewhere(auditor, Action::list_people));
  EXPECT_FALSE(may_somewhere(auditor, Action::teach));
  EXPECT_FALSE(may_somewhere(auditor, Action::manage_person));
  EXPECT_FALSE(may_somewhere(learner, Action::teach));  // a revoked helper is a learner again
  EXPECT_EQ(scopes_where(auditor, Action::list_people), (std::vector<Scope>{{ScopeKind::national, ""}}));
  EXPECT_TRUE(scopes_where(helper, Action::list_people).empty());
  // kWholeCountry is covered only by national scopes.
  EXPECT_TRUE(may(auditor, Action::view_progress, kWholeCountry, 0));
  EXPECT_FALSE(may(with(Role::unit_admin, ScopeKind::unit, "01"), Action::view_progress, kWholeCountry, 0));
  EXPECT_TRUE(may(with(Role::national_admin, ScopeKind::national, ""), Action::manage_reference_data, kWholeCountry, 0));
  EXPECT_FALSE(may(auditor, Action::manage_reference_data, kWholeCountry, 0));
}

TEST(Authorization, NamesRoundTrip) {
  for (auto r : {Role::instructor, Role::community_helper, Role::org_manager, Role::unit_admin, Role::national_admin, Role::auditor})
    EXPECT_EQ(parse_role(role_name(r)), r);
  EXPECT_FALSE(parse_role("admin"));
  EXPECT_EQ(parse_scope_kind("unit"), ScopeKind::unit);
  EXPECT_FALSE(parse_scope_kind("galaxy"));
}

}  // namespace
}  // namespace hocvu::accounts
