#include "accounts/route_support.h"

#include "accounts/directory.h"
#include "core/log.h"
#include "core/time.h"

#include <charconv>

namespace hocvu::accounts {

Result<bool> may_author_for(Directory& dir, const Principal& who, std::int64_t provider_id) {
  auto place = dir.place_of_scope(Scope{ScopeKind::organisation, std::to_string(provider_id)});
  if (!place) return place.status();
  return *place && may(who, Action::author_course, **place, 0);
}

Result<std::vector<std::pair<std::int64_t, std::string>>> authoring_providers(Directory& dir, const Principal& who) {
  std::vector<std::pair<std::int64_t, std::string>> out;
  auto all = dir.organisations();
  if (!all) return all.status();
  for (const auto& o : *all) {
    auto ok = may_author_for(dir, who, o.id);
    if (!ok) return ok.status();
    if (*ok) out.emplace_back(o.id, o.name);
  }
  return out;
}

web::Response unavailable(std::string_view what, const Status& s) {
  log_error("database unavailable", {{"for", what}, {"error", s.message()}});
  return web::Response::text(503, "");
}

AuditEntry audit_entry(const web::Request& req, std::string_view action, std::int64_t subject, std::string detail) {
  AuditEntry e;
  e.at = format_utc(std::chrono::system_clock::now());
  e.actor_id = req.user_id;
  e.action = std::string(action);
  if (subject) e.subject_id = subject;  // 0: the action concerns no one person (an import)
  e.detail = std::move(detail);
  e.request_id = req.request_id;
  e.address = req.remote_address;
  return e;
}

std::string Words::group(const std::string& code) {
  if (!groups_) {
    groups_.emplace();
    if (auto all = reference_.target_groups())
      for (const auto& g : *all) (*groups_)[g.code] = g.name.pick(lang_);
  }
  auto it = groups_->find(code);
  return it == groups_->end() ? code : it->second;
}

std::string Words::unit(const std::string& code) {
  if (auto it = units_.find(code); it != units_.end()) return it->second;
  auto name = reference_.unit_name(code);
  std::string shown = name && *name ? **name : code;
  units_.emplace(code, shown);
  return shown;
}

}  // namespace hocvu::accounts
