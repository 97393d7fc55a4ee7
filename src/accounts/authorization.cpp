#include "accounts/authorization.h"

#include <algorithm>

namespace hocvu::accounts {
namespace {

constexpr std::pair<Role, std::string_view> kRoles[] = {
    {Role::instructor, "instructor"},   {Role::community_helper, "community_helper"},
    {Role::org_manager, "org_manager"}, {Role::unit_admin, "unit_admin"},
    {Role::national_admin, "national_admin"}, {Role::auditor, "auditor"}};

bool is_manager(Role r) { return r == Role::org_manager || r == Role::unit_admin || r == Role::national_admin; }

// Does grant `g` allow `action` wherever it covers?
bool allows(const Grant& g, Action action) {
  switch (action) {
    case Action::list_people: return is_manager(g.role) || g.role == Role::auditor;
    case Action::view_personal_data: return is_manager(g.role);
    case Action::grant_role: return is_manager(g.role);
    case Action::manage_person: return is_manager(g.role);
    case Action::read_audit_log: return g.role == Role::auditor || g.role == Role::national_admin;
    case Action::manage_reference_data: return g.role == Role::national_admin;
    case Action::author_course: return is_manager(g.role) || g.role == Role::instructor;
    case Action::assign_course: return is_manager(g.role);
    case Action::view_progress: return is_manager(g.role) || g.role == Role::auditor;
    case Action::teach: return is_manager(g.role) || g.role == Role::instructor || g.role == Role::community_helper;
  }
  return false;
}

}  // namespace

std::string_view role_name(Role r) {
  for (auto& [role, name] : kRoles)
    if (role == r) return name;
  return "";
}

std::optional<Role> parse_role(std::string_view name) {
  for (auto& [role, n] : kRoles)
    if (n == name) return role;
  return std::nullopt;
}

std::string_view scope_kind_name(ScopeKind k) {
  switch (k) {
    case ScopeKind::national: return "national";
    case ScopeKind::unit: return "unit";
    case ScopeKind::organisation: return "organisation";
  }
  return "";
}

std::optional<ScopeKind> parse_scope_kind(std::string_view name) {
  if (name == "national") return ScopeKind::national;
  if (name == "unit") return ScopeKind::unit;
  if (name == "organisation") return ScopeKind::organisation;
  return std::nullopt;
}

bool covers(const Scope& scope, const Place& place) {
  switch (scope.kind) {
    case ScopeKind::national: return true;
    case ScopeKind::unit:
      return !scope.code.empty() && (scope.code == place.unit_code || scope.code == place.province_code);
    case ScopeKind::organisation:
      return !scope.code.empty() &&
             std::find(place.organisation_ids.begin(), place.organisation_ids.end(), scope.code) != place.organisation_ids.end();
  }
  return false;
}

bool may(const Principal& who, Action action, const Place& target, std::int64_t target_person_id) {
  if (who.id == 0) return false;
  const bool self = target_person_id != 0 && target_person_id == who.id;
  for (const auto& g : who.grants)
    if (covers(g.scope, target) && allows(g, action)) return true;
  return self && action == Action::view_personal_data;
}

bool may(const Principal& who, Action action, const Subject& subject) {
  if (!may(who, action, subject.place, subject.id)) return false;
  if (action != Action::grant_role && action != Action::manage_person) return true;
  if (action == Action::manage_person && subject.id == who.id) return false;
  // Nobody acts on a person holding a role they could not have granted themselves.
  return std::all_of(subject.grants.begin(), subject.grants.end(), [&](const auto& held) {
    return may_grant(who, held.first.role, held.first.scope, held.second);
  });
}

bool may_somewhere(const Principal& who, Action action) {
  if (who.id == 0) return false;
  return std::any_of(who.grants.begin(), who.grants.end(), [&](const Grant& g) { return allows(g, action); });
}

std::vector<Scope> scopes_where(const Principal& who, Action action) {
  std::vector<Scope> out;
  if (who.id == 0) return out;
  for (const auto& g : who.grants)
    if (allows(g, action)) out.push_back(g.scope);
  return out;
}

namespace {

// May `who` grant `role` at `scope` as far as `scope_place`, one place of the scope's reach, goes?
bool may_grant_at(const Principal& who, Role role, const Scope& scope, const Place& scope_place) {
  for (const auto& g : who.grants) {
    if (g.role == Role::national_admin && g.scope.kind == ScopeKind::national) return true;
    if (scope.kind == ScopeKind::national || role == Role::national_admin || role == Role::auditor) continue;
    if (!covers(g.scope, scope_place)) continue;
    if (g.role == Role::unit_admin) {
      if (role == Role::instructor || role == Role::community_helper || role == Role::org_manager) return true;
      // A province administrator may appoint administrators of its communes, not of itself.
      if (role == Role::unit_admin && scope.kind == ScopeKind::unit && scope.code != g.scope.code &&
          scope_place.province_code == g.scope.code)
        return true;
    }
    if (g.role == Role::org_manager && scope.kind == ScopeKind::organisation &&
        (role == Role::instructor || role == Role::community_helper))
      return true;
  }
  return false;
}

}  // namespace

bool may_grant(const Principal& who, Role role, const Scope& scope, const Reach& reach) {
  if (who.id == 0 || reach.empty()) return false;
  return std::all_of(reach.begin(), reach.end(), [&](const Place& p) { return may_grant_at(who, role, scope, p); });
}

bool may_place(const Principal& who, const Reach& organisation_reach, const Place& unit) {
  const bool within = std::any_of(organisation_reach.begin(), organisation_reach.end(), [&](const Place& p) {
    return p.unit_code == unit.unit_code || p.unit_code == unit.province_code;
  });
  Place bare = unit;
  bare.organisation_ids.clear();
  return within || may(who, Action::grant_role, bare, 0);
}

bool may_everywhere(const Principal& who, Action action, const Reach& reach) {
  if (reach.empty()) return false;
  return std::all_of(reach.begin(), reach.end(), [&](const Place& p) { return may(who, action, p, 0); });
}

}  // namespace hocvu::accounts
