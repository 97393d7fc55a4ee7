// libFuzzer target for the two spreadsheet imports, from the uploaded bytes through parse_csv to
// the plan the server shows and applies. The first byte picks the import:
//   even  people (accounts/people_import), by a unit administrator of province 01, with people
//         already known by CCCD and phone in provinces 01 and 79;
//   odd   communes (reference/commune_import), against provinces 01 and 79 and a few communes.
// Properties: no crash; a plan refuses the whole file (with a message, no rows) or has one row a
// data row, on that row's line; the counts add up; a rejected row says why;
// a planned row is valid: the CCCD and phone are normalised and pass their checks
// again unchanged, the birth date is ISO, the unit and organisation exist and are in the
// importer's scope, no CCCD or phone is planned twice, nobody outside the scope is updated;
// commune codes are 5 digits of a known province, each planned once.
#include "accounts/identity.h"
#include "accounts/people_import.h"
#include "core/csv.h"
#include "reference/commune_import.h"

#include <cstdint>
#include <cstdlib>
#include <set>
#include <string>
#include <string_view>

namespace {

using namespace hocvu;

void check_people(const std::vector<CsvRow>& rows) {
  using namespace hocvu::accounts;
  static const ImportContext context = [] {
    ImportContext c;
    c.national_id_prefixes = {"001", "079", "096"};
    c.units = {{"01", Place{"01", "01", {}}}, {"00004", Place{"00004", "01", {}}},
               {"79", Place{"79", "79", {}}}, {"26734", Place{"26734", "79", {}}}};
    // org3 stands in 01 with a department or members in 79: beyond a unit_admin of 01's reach.
    c.organisations = {{"org1", Reach{Place{"00004", "01", {"org1"}}}},
                       {"org2", Reach{Place{"26734", "79", {"org2"}}}},
                       {"org3", Reach{Place{"00004", "01", {"org3"}}, Place{"26734", "79", {"org3"}}}}};
    c.importer = Principal{1, {Grant{Role::unit_admin, Scope{ScopeKind::unit, "01"}}}};
    auto known = [](std::int64_t id, std::string unit) {
      Person p;
      p.id = id;
      p.full_name = "Người " + std::to_string(id);
      p.unit_code = unit;
      p.target_group = "citizen";
      return p;
    };
    c.person_by_national_id = [known](const std::string& id) -> std::optional<Person> {
      if (id == "001099012345") return known(2, "01");
      if (id == "079305001234") return known(3, "79");
      return std::nullopt;
    };
    c.person_by_phone = [known](const std::string& phone) -> std::optional<Person> {
      if (phone == "0912345678") return known(2, "01");
      if (phone == "0987654321") return known(3, "79");
      return std::nullopt;
    };
    return c;
  }();
  ImportPlan plan = plan_people_import(rows, context);
  if (!plan.error.empty()) {
    if (!plan.rows.empty()) std::abort();
    return;
  }
  if (plan.rows.size() + 1 != rows.size()) std::abort();
  if (plan.created + plan.updated + plan.unchanged + plan.rejected != static_cast<int>(plan.rows.size())) std::abort();
  std::set<std::string> ids, phones;
  for (std::size_t i = 0; i < plan.rows.size(); ++i) {
    const ImportRow& row = plan.rows[i];
    if (row.line != rows[i + 1].line) std::abort();
    if (row.action == ImportRow::Action::reject) {
      if (row.reason.empty()) std::abort();
      continue;
    }
    if (!row.reason.empty()) std::abort();
    const NewPerson& p = row.person;
    if (p.full_name.empty() || !p.national_id || !p.phone || !p.birth_date) std::abort();
    auto birth = parse_date(*p.birth_date);
    if (!birth || format_date(*birth) != *p.birth_date) std::abort();
    auto id = check_national_id(*p.national_id, context.national_id_prefixes, birth);
    if (id.refusal || id.digits != *p.national_id) std::abort();
    auto phone = check_phone(*p.phone);
    if (phone.refusal || phone.normalized != *p.phone) std::abort();
    auto unit = context.units.find(p.unit_code);
    if (unit == context.units.end() || unit->second.province_code != "01") std::abort();
    if (row.organisation_id && *row.organisation_id != "org1" && *row.organisation_id != "org3") std::abort();
    // A role at org3 would reach 79: the importer (unit_admin of 01) grants none there.
    if (row.grant && row.grant->scope.kind == ScopeKind::organisation && row.grant->scope.code != "org1") std::abort();
    if (!ids.insert(*p.national_id).second || !phones.insert(*p.phone).second) std::abort();
    if (row.action == ImportRow::Action::create && row.existing_id) std::abort();
    if (row.action != ImportRow::Action::create && row.existing_id != 2) std::abort();  // 3 is outside the scope
  }
}

void check_communes(const std::vector<CsvRow>& rows) {
  using namespace hocvu::reference;
  static const std::map<std::string, ExistingUnit, std::less<>> existing{
      {"01", {"province", "Thành phố Hà Nội", ""}},
      {"79", {"province", "Thành phố Hồ Chí Minh", ""}},
      {"00004", {"commune", "Phường Ba Đình", "01"}},
      {"26734", {"commune", "Phường Sài Gòn", "79"}}};
  CommunePlan plan = plan_commune_import(rows, existing);
  if (!plan.error.empty()) {
    if (!plan.rows.empty()) std::abort();
    return;
  }
  if (plan.rows.size() + 1 != rows.size()) std::abort();
  if (plan.created + plan.updated + plan.unchanged + plan.rejected != static_cast<int>(plan.rows.size())) std::abort();
  std::set<std::string> codes;
  for (std::size_t i = 0; i < plan.rows.size(); ++i) {
    const CommuneRow& row = plan.rows[i];
    if (row.line != rows[i + 1].line) std::abort();
    if (row.action == CommuneRow::Action::reject) {
      if (row.reason.empty()) std::abort();
      continue;
    }
    if (row.code.size() != 5 || row.code.find_first_not_of("0123456789") != std::string::npos) std::abort();
    if (row.name.empty() || (row.province_code != "01" && row.province_code != "79")) std::abort();
    if (!codes.insert(row.code).second) std::abort();
    auto current = existing.find(row.code);
    if ((row.action == CommuneRow::Action::create) != (current == existing.end())) std::abort();
    if (row.action == CommuneRow::Action::unchanged &&
        (current->second.name != row.name || current->second.parent_code != row.province_code))
      std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  auto rows = hocvu::parse_csv(text);
  if (!rows) return 0;
  if (data[0] % 2 == 0) check_people(*rows);
  else check_communes(*rows);
  return 0;
}
