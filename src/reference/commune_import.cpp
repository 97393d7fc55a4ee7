#include "reference/commune_import.h"

#include "core/text.h"

#include <set>

namespace hocvu::reference {
namespace {

int column(const std::vector<std::string>& header, std::initializer_list<const char*> names) {
  for (std::size_t i = 0; i < header.size(); ++i) {
    std::string h = fold_for_search(header[i]);
    for (auto& c : h)
      if (c == ' ') c = '_';
    for (auto n : names)
      if (h == n) return static_cast<int>(i);
  }
  return -1;
}

bool all_digits(const std::string& s) { return !s.empty() && s.find_first_not_of("0123456789") == std::string::npos; }

}  // namespace

const char* action_name(CommuneRow::Action a) {
  switch (a) {
    case CommuneRow::Action::create: return "create";
    case CommuneRow::Action::update: return "update";
    case CommuneRow::Action::unchanged: return "unchanged";
    case CommuneRow::Action::reject: return "reject";
  }
  return "reject";
}

CommunePlan plan_commune_import(const std::vector<CsvRow>& rows, const std::map<std::string, ExistingUnit, std::less<>>& existing) {
  CommunePlan plan;
  if (rows.empty()) {
    plan.error = "Tệp trống: cần một dòng tiêu đề (ma, ten, ma_tinh) và các dòng dữ liệu.";
    return plan;
  }
  const auto& header = rows.front().fields;
  int code_col = column(header, {"code", "ma", "ma_xa"});
  int name_col = column(header, {"name", "ten", "ten_xa"});
  int province_col = column(header, {"province_code", "ma_tinh"});
  if (code_col < 0 || name_col < 0 || province_col < 0) {
    plan.error = "Dòng tiêu đề phải có các cột ma (mã xã), ten (tên) và ma_tinh (mã tỉnh).";
    return plan;
  }
  std::set<std::string> seen;
  for (std::size_t i = 1; i < rows.size(); ++i) {
    const auto& f = rows[i].fields;
    CommuneRow row;
    row.line = rows[i].line;
    auto at = [&](int c) { return c < static_cast<int>(f.size()) ? trim(f[static_cast<std::size_t>(c)]) : std::string(); };
    row.code = at(code_col);
    row.name = to_nfc(at(name_col));
    row.province_code = at(province_col);
    auto reject = [&](std::string why) {
      row.action = CommuneRow::Action::reject;
      row.reason = std::move(why);
    };
    auto province = existing.find(row.province_code);
    auto current = existing.find(row.code);
    if (!all_digits(row.code) || row.code.size() != 5) reject("Mã xã phải gồm 5 chữ số.");
    else if (row.name.empty() || row.name.size() > 200) reject("Thiếu tên xã, hoặc tên dài quá 200 ký tự.");
    else if (province == existing.end() || province->second.kind != "province") reject("Không có tỉnh mang mã " + row.province_code + ".");
    else if (!seen.insert(row.code).second) reject("Mã xã " + row.code + " đã có ở một dòng trước trong tệp.");
    else if (current != existing.end() && current->second.kind == "province") reject("Mã " + row.code + " là mã của một tỉnh.");
    else if (current == existing.end()) row.action = CommuneRow::Action::create;
    else if (current->second.name == row.name && current->second.parent_code == row.province_code) row.action = CommuneRow::Action::unchanged;
    else row.action = CommuneRow::Action::update;
    switch (row.action) {
      case CommuneRow::Action::create: ++plan.created; break;
      case CommuneRow::Action::update: ++plan.updated; break;
      case CommuneRow::Action::unchanged: ++plan.unchanged; break;
      case CommuneRow::Action::reject: ++plan.rejected; break;
    }
    plan.rows.push_back(std::move(row));
  }
  return plan;
}

}  // namespace hocvu::reference
