#include "accounts/people_importer.h"

#include "accounts/credentials.h"

#include <sodium.h>

#include <algorithm>

namespace hocvu::accounts {
namespace {

std::string new_setup_code() {
  std::string code;
  for (int i = 0; i < 8; ++i) code.push_back(static_cast<char>('0' + randombytes_uniform(10)));
  return code;
}

}  // namespace

Result<ImportPlan> run_people_import(Directory& dir, Store& store, const UnitPlaces& units, const Principal& importer,
                                     std::string_view csv, bool dry_run, SystemTime now) {
  ImportPlan plan;
  auto rows = parse_csv(csv);
  if (!rows) {
    plan.error = rows.status().message();
    return plan;
  }
  ImportContext ctx;
  auto prefixes = store.national_id_prefixes();
  if (!prefixes) return prefixes.status();
  ctx.national_id_prefixes = std::move(*prefixes);
  ctx.units = units;
  auto organisations = dir.organisations();
  if (!organisations) return organisations.status();
  for (const auto& o : *organisations) {
    auto reach = dir.reach_of_scope(Scope{ScopeKind::organisation, std::to_string(o.id)});
    if (!reach) return reach.status();
    if (!reach->empty()) ctx.organisations[std::to_string(o.id)] = std::move(*reach);
  }
  ctx.importer = importer;
  Status lookup_error;
  ctx.person_by_national_id = [&](const std::string& key) -> std::optional<Person> {
    auto r = dir.person_by_national_id(key);
    if (!r) { lookup_error = r.status(); return std::nullopt; }
    return *r;
  };
  ctx.person_by_phone = [&](const std::string& key) -> std::optional<Person> {
    auto r = dir.person_by_phone(key);
    if (!r) { lookup_error = r.status(); return std::nullopt; }
    return *r;
  };
  ctx.subject_of = [&](const Person& p) -> std::optional<Subject> {
    auto r = load_subject(dir, p.id);
    if (!r) { lookup_error = r.status(); return std::nullopt; }
    return *r;
  };
  plan = plan_people_import(*rows, ctx);
  // Only a real import meets the people outside the importer's scope (a dry run never does).
  if (!dry_run && plan.error.empty()) refuse_taken_elsewhere(plan, ctx);
  if (!lookup_error.ok()) return lookup_error;
  const bool extras = std::any_of(plan.rows.begin(), plan.rows.end(), [](const ImportRow& r) {
    return r.action != ImportRow::Action::reject && (r.organisation_id || r.grant);
  });
  if (plan.error.empty() && !dry_run && (plan.created || plan.updated || extras)) {
    for (auto& row : plan.rows)
      if (row.action == ImportRow::Action::create) row.setup_code = new_setup_code();
    if (auto st = dir.apply_people_import(plan, importer.id, format_utc(now), format_utc(now + std::chrono::hours(24 * 30))); !st.ok())
      return st;
  }
  return plan;
}

}  // namespace hocvu::accounts
