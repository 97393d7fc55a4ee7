// Importing people from a manager's spreadsheet (CSV, as Excel exports it). One row a person:
//   ho_ten, cccd, so_dien_thoai, ngay_sinh, nhom, ma_don_vi [, email, to_chuc, vai_tro]
// (English headers full_name, national_id, phone, birth_date, target_group, unit_code, email work
// too). Planning is pure: each row is checked like a registration (without a password), placed
// inside or outside the importer's scope, and matched by CCCD to decide create, update or
// unchanged; a rejected row says why and is never written. Re-importing a file changes nothing.
#pragma once

#include "accounts/authorization.h"
#include "accounts/person.h"
#include "core/csv.h"

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace hocvu::accounts {

struct ImportRow {
  int line = 0;
  NewPerson person;  // normalised; password_hash empty
  enum class Action { create, update, unchanged, reject } action = Action::reject;
  std::string reason;                  // Vietnamese, for rejected rows
  std::optional<std::int64_t> existing_id;  // for update and unchanged
  std::string setup_code;              // for created people, filled when applied
  std::optional<std::string> organisation_id;  // to_chuc: make them a member (idempotent)
  std::optional<Grant> grant;                   // vai_tro: instructor or community_helper (idempotent)
};

struct ImportPlan {
  std::vector<ImportRow> rows;
  int created = 0, updated = 0, unchanged = 0, rejected = 0;
  std::string error;  // the whole file refused (missing columns)
};

struct ImportContext {
  std::set<std::string, std::less<>> national_id_prefixes;
  // Unit code -> its place (for scope checks); a unit not in the map does not exist.
  std::map<std::string, Place, std::less<>> units;
  // Organisation id -> its reach (accounts::Reach: its own place first); an organisation not in
  // the map does not exist.
  std::map<std::string, Reach, std::less<>> organisations;
  Principal importer;
  // The person holding a CCCD / a phone, if any, wherever they stand.
  std::function<std::optional<Person>(const std::string&)> person_by_national_id;
  std::function<std::optional<Person>(const std::string&)> person_by_phone;
  // Where an existing person stands and the roles they hold. Unset: their unit's place, no roles.
  std::function<std::optional<Subject>(const Person&)> subject_of;
};

// Plans an import. A person standing outside the importer's scope is never seen: a row holding
// their CCCD or phone is planned like one for nobody, so a plan (a dry run above all) never tells
// whether someone exists elsewhere. An existing person in scope is updated only when the importer
// may manage them (accounts::may(manage_person): not someone who outranks the importer).
ImportPlan plan_people_import(const std::vector<CsvRow>& rows, const ImportContext& context);

// Before a plan is written: refuses the rows that would create a person, or give a phone number,
// that someone outside the importer's scope already holds, with one message that names neither,
// and recounts the plan. Returns how many rows it refused.
int refuse_taken_elsewhere(ImportPlan& plan, const ImportContext& context);
inline constexpr const char* kTakenElsewhere =
    "số CCCD hoặc số điện thoại này đã dùng cho một tài khoản ngoài phạm vi của bạn; "
    "hãy nhờ cấp quản lý của người đó chuyển họ về đơn vị của bạn";

const char* action_name(ImportRow::Action a);

// The file a manager downloads to fill in.
std::string people_import_template();

}  // namespace hocvu::accounts
