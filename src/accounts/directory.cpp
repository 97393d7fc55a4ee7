// Reading a principal or a subject for the authority (accounts/authorization.h) from the directory.
#include "accounts/directory.h"

namespace hocvu::accounts {

Result<Principal> load_principal(Directory& dir, std::int64_t id) {
  auto grants = dir.grants_of(id);
  if (!grants) return grants.status();
  Principal p{id, {}};
  for (auto& g : *grants) p.grants.push_back(g.grant);
  return p;
}

Result<std::optional<Subject>> load_subject(Directory& dir, std::int64_t id) {
  if (id == 0) return std::optional<Subject>{};
  auto place = dir.place_of_person(id);
  if (!place) return place.status();
  if (!*place) return std::optional<Subject>{};
  auto grants = dir.grants_of(id);
  if (!grants) return grants.status();
  Subject subject{id, std::move(**place), {}};
  for (const auto& g : *grants) {
    auto reach = dir.reach_of_scope(g.grant.scope);
    if (!reach) return reach.status();
    subject.grants.emplace_back(g.grant, std::move(*reach));
  }
  return std::optional<Subject>(std::move(subject));
}

}  // namespace hocvu::accounts
