// Importing communes (and wards, special zones) from a CSV of code, name and province code, as the
// commune list is published after each change. Idempotent: a row already present is unchanged, a
// changed name or province is an update, a new code is created; invalid rows are reported and
// never written. Planning is pure; the Store applies a plan in one transaction.
#pragma once

#include "core/csv.h"

#include <map>
#include <string>
#include <vector>

namespace hocvu::reference {

struct ExistingUnit {
  std::string kind;  // province or commune
  std::string name;
  std::string parent_code;
};

struct CommuneRow {
  int line = 0;
  std::string code, name, province_code;
  enum class Action { create, update, unchanged, reject } action = Action::reject;
  std::string reason;  // Vietnamese, for rejected rows
};

struct CommunePlan {
  std::vector<CommuneRow> rows;
  int created = 0, updated = 0, unchanged = 0, rejected = 0;
  std::string error;  // the whole file was refused (no usable header); rows is empty then
};

// Header names accepted (case and diacritics ignored): code / ma / ma_xa; name / ten / ten_xa;
// province_code / ma_tinh.
CommunePlan plan_commune_import(const std::vector<CsvRow>& rows, const std::map<std::string, ExistingUnit, std::less<>>& existing);

const char* action_name(CommuneRow::Action a);  // "create", ...

}  // namespace hocvu::reference
