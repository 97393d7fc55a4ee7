// Who may do what: the one function every protected route asks. Pure: it decides from the
// principal's role grants and where the target stands, both read beforehand.
//
// Scopes: a grant's scope is the whole country, an administrative unit, or an organisation.
// A province scope covers the province and its communes; a commune scope covers the commune;
// an organisation scope covers the organisation and its subtree.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hocvu::accounts {

enum class Role { instructor, community_helper, org_manager, unit_admin, national_admin, auditor };
enum class ScopeKind { national, unit, organisation };

std::string_view role_name(Role r);                     // "unit_admin"
std::optional<Role> parse_role(std::string_view name);
std::string_view scope_kind_name(ScopeKind k);          // "unit"
std::optional<ScopeKind> parse_scope_kind(std::string_view name);

struct Scope {
  ScopeKind kind = ScopeKind::national;
  std::string code;  // "" for national; a unit code; an organisation id
  friend bool operator==(const Scope&, const Scope&) = default;
};

struct Grant {
  Role role;
  Scope scope;
};

// The signed-in person and their grants (learners have none).
struct Principal {
  std::int64_t id = 0;
  std::vector<Grant> grants;
};

// Where something stands, for scope checks: its unit, that unit's province, and the
// organisations it belongs to with all their ancestors.
struct Place {
  std::string unit_code;
  std::string province_code;  // the unit itself when it is a province
  std::vector<std::string> organisation_ids;
};

// True when `scope` covers `place`.
bool covers(const Scope& scope, const Place& place);

// Every place a scope reaches (Directory::reach_of_scope): for a unit, or the country, its own
// place; for an organisation, its own place first, then one place for each other unit in which an
// organisation below it stands (under the organisation, so that the grants covering the
// organisation cover those places too). An organisation's subtree may cross provinces (a
// ministry's departments), so what a role at an organisation reaches is not where the
// organisation stands. Members are not counted: a person may move their own unit, and that must
// not change what a manager may grant. Who may bring a member from elsewhere is may_place's rule.
// Empty for a scope that no longer exists.
using Reach = std::vector<Place>;

// The place that only national scopes cover: actions on the platform as a whole (reference data,
// every class) are asked at this place.
inline const Place kWholeCountry{};

enum class Action {
  list_people,         // see people in a list (personal data masked)
  view_personal_data,  // see a person's CCCD, phone and birth date (audited)
  grant_role,          // grant or revoke a role at a scope, to or from a person standing at the target
  manage_person,       // change someone's account: reset their password, delete it, change their details
  read_audit_log,
  manage_reference_data,  // import administrative units, edit competency frameworks (asked at kWholeCountry)
  author_course,       // create and edit the courses of a provider organisation standing at the target
  assign_course,       // enrol the people standing at the target in a course, with a deadline
  view_progress,       // see the learning progress of people standing at the target
  teach,               // put people standing at the target in a class (cohort) one runs
};

// May `who` do `action` to a person standing at `target`? A person may always see their own
// data; managers (org_manager, unit_admin, national_admin) within their scope; auditors may list
// people (masked) and read the audit log, but never see personal data. Instructors and managers
// author the courses of providers in their scope; managers assign courses there; managers and
// auditors see progress there.
bool may(const Principal& who, Action action, const Place& target, std::int64_t target_person_id);

// A person as the target of an action: where they stand and every role they hold, each with the
// reach of its scope (empty for a scope that no longer exists). Read beforehand.
struct Subject {
  std::int64_t id = 0;
  Place place;
  std::vector<std::pair<Grant, Reach>> grants;
};

// May `who` do `action` to the person `subject`? As may() at the subject's place; and for the
// actions that change a person (grant_role, manage_person) only when `who` could grant every role
// the subject holds (may_grant), so nobody resets, deletes, edits, grants to or revokes from a
// person who outranks them. manage_person is never allowed on oneself (that is what /me is for).
bool may(const Principal& who, Action action, const Subject& subject);

// May `who` grant `role` at `scope`, whose reach is `reach`? National administrators grant any
// role anywhere; unit administrators and organisation managers grant the roles below their own
// (instructor, community_helper, org_manager, and unit_admin for a commune under a province they
// administer) within their scope. Only national administrators grant national scope, auditors and
// national administrators. Every place of the reach must be within what `who` may grant at: a
// province's administrator does not appoint the manager of an organisation whose departments or
// members stand in another province.
bool may_grant(const Principal& who, Role role, const Scope& scope, const Reach& reach);

// May `who` do `action` at every place of `reach` (and the reach is not empty)? For acts on a whole
// scope, such as assigning a course to everyone in an organisation's subtree.
bool may_everywhere(const Principal& who, Action action, const Reach& reach);

// May `who` place something standing at `unit` (a new organisation, a new member; `unit` is the
// bare place of their administrative unit, with no organisations) under the organisation whose
// reach is `organisation_reach`? Where the organisation's subtree already stands in that unit (or
// in its province), yes; elsewhere it extends what every role at the organisation and its
// ancestors reaches, and only someone who manages the unit itself (grant_role there without
// counting organisation scopes) may do that. The caller's right to act on the organisation and on
// the member is asked separately (may).
bool may_place(const Principal& who, const Reach& organisation_reach, const Place& unit);

// May `who` do `action` somewhere (at least one of their grants allows it at some place)? For
// pages and menus that then show only what the caller may act on, place by place.
bool may_somewhere(const Principal& who, Action action);

// The scopes in which `who` may do `action`, for filtering lists in storage (PeopleQuery::scopes).
std::vector<Scope> scopes_where(const Principal& who, Action action);

}  // namespace hocvu::accounts
