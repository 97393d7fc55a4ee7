#include "reference/store.h"

#include "storage/database.h"

#include <map>

namespace hocvu::reference {
namespace {

using storage::Connection;
using storage::Row;

Text text_at(const Row& r, int col) { return {r.string(col), r.string(col + 1)}; }

// Reads the frameworks matching `code` (all when empty) with their parts, in four queries
// inside one read transaction, whatever the number of frameworks.
Status load_frameworks(Connection& c, std::string_view code, std::vector<Framework>& out) {
  std::map<std::string, std::size_t, std::less<>> index;
  auto st = c.query(
      "SELECT code, name_vi, name_en, source_vi, source_en, description_vi, description_en FROM frameworks"
      " WHERE $1 = '' OR code = $1 ORDER BY position, code",
      {code}, [&](const Row& r) {
        Framework f;
        f.code = r.string(0);
        f.name = text_at(r, 1);
        f.source = text_at(r, 3);
        f.description = text_at(r, 5);
        index[f.code] = out.size();
        out.push_back(std::move(f));
      });
  if (!st.ok() || out.empty()) return st;
  st = c.query(
      "SELECT framework_code, level, tier_code, tier_vi, tier_en FROM framework_levels"
      " WHERE $1 = '' OR framework_code = $1 ORDER BY framework_code, level",
      {code}, [&](const Row& r) {
        auto it = index.find(r.text(0));
        if (it == index.end()) return;
        out[it->second].levels.push_back({static_cast<int>(r.int64(1)), r.string(2), text_at(r, 3)});
      });
  if (!st.ok()) return st;
  st = c.query(
      "SELECT framework_code, code, name_vi, name_en FROM framework_areas"
      " WHERE $1 = '' OR framework_code = $1 ORDER BY framework_code, position, code",
      {code}, [&](const Row& r) {
        auto it = index.find(r.text(0));
        if (it == index.end()) return;
        out[it->second].areas.push_back({r.string(1), text_at(r, 2), {}});
      });
  if (!st.ok()) return st;
  return c.query(
      "SELECT framework_code, area_code, code, name_vi, name_en FROM competencies"
      " WHERE $1 = '' OR framework_code = $1 ORDER BY framework_code, position, code",
      {code}, [&](const Row& r) {
        auto it = index.find(r.text(0));
        if (it == index.end()) return;
        for (auto& area : out[it->second].areas)
          if (area.code == r.text(1)) area.competencies.push_back({r.string(2), text_at(r, 3)});
      });
}

class SqlStore final : public Store {
 public:
  explicit SqlStore(storage::Database& db) : db_(db) {}

  Result<std::vector<AdminUnit>> provinces() override {
    std::vector<AdminUnit> out;
    auto st = db_.read([&](Connection& c) {
      return c.query("SELECT code, kind, name, short_name FROM admin_units WHERE kind = 'province' ORDER BY code",
                     {}, [&](const Row& r) {
                       out.push_back({r.string(0), r.string(1), r.string(2), r.string(3), std::nullopt});
                     });
    });
    if (!st.ok()) return st;
    return out;
  }

  Result<std::vector<TargetGroup>> target_groups() override {
    std::vector<TargetGroup> out;
    auto st = db_.read([&](Connection& c) {
      return c.query(
          "SELECT code, name_vi, name_en, description_vi, description_en FROM target_groups ORDER BY position",
          {}, [&](const Row& r) { out.push_back({r.string(0), text_at(r, 1), text_at(r, 3)}); });
    });
    if (!st.ok()) return st;
    return out;
  }

  Result<std::vector<Framework>> frameworks() override {
    std::vector<Framework> out;
    auto st = db_.read([&](Connection& c) { return load_frameworks(c, "", out); });
    if (!st.ok()) return st;
    return out;
  }

  Result<std::map<std::string, ExistingUnit, std::less<>>> units_by_code() override {
    std::map<std::string, ExistingUnit, std::less<>> out;
    auto st = db_.read([&](Connection& c) {
      return c.query("SELECT code, kind, name, COALESCE(parent_code, '') FROM admin_units", {},
                     [&](const Row& r) { out[r.string(0)] = ExistingUnit{r.string(1), r.string(2), r.string(3)}; });
    });
    if (!st.ok()) return st;
    return out;
  }

  Result<std::optional<std::string>> unit_name(const std::string& code) override {
    std::optional<std::string> out;
    auto st = db_.read([&](Connection& c) {
      return c.query("SELECT u.name, COALESCE(p.name, '') FROM admin_units u LEFT JOIN admin_units p ON p.code = u.parent_code"
                     " WHERE u.code = $1",
                     {std::string_view(code)},
                     [&](const Row& r) { out = r.string(1).empty() ? r.string(0) : r.string(0) + ", " + r.string(1); });
    });
    if (!st.ok()) return st;
    return out;
  }

  Status apply_commune_import(const CommunePlan& plan) override {
    return db_.write([&](Connection& c) -> Status {
      for (const auto& row : plan.rows) {
        Result<std::int64_t> r = std::int64_t{0};
        if (row.action == CommuneRow::Action::create)
          r = c.execute("INSERT INTO admin_units (code, kind, name, short_name, parent_code) VALUES ($1, 'commune', $2, $2, $3)",
                        {std::string_view(row.code), std::string_view(row.name), std::string_view(row.province_code)});
        else if (row.action == CommuneRow::Action::update)
          r = c.execute("UPDATE admin_units SET name = $2, short_name = $2, parent_code = $3 WHERE code = $1 AND kind = 'commune'",
                        {std::string_view(row.code), std::string_view(row.name), std::string_view(row.province_code)});
        if (!r) return r.status();
      }
      return Status{};
    });
  }

  Result<std::vector<AdminUnit>> communes(const std::string& province_code) override {
    std::vector<AdminUnit> out;
    auto st = db_.read([&](Connection& c) {
      return c.query("SELECT code, kind, name, short_name, parent_code FROM admin_units WHERE parent_code = $1 ORDER BY name, code",
                     {std::string_view(province_code)}, [&](const Row& r) {
                       out.push_back({r.string(0), r.string(1), r.string(2), r.string(3), r.optional_string(4)});
                     });
    });
    if (!st.ok()) return st;
    return out;
  }

  Result<Framework> framework(const std::string& code) override {
    if (code.empty()) return Error(ErrorCode::not_found, "no framework has an empty code");
    std::vector<Framework> out;
    auto st = db_.read([&](Connection& c) { return load_frameworks(c, code, out); });
    if (!st.ok()) return st;
    if (out.empty()) return Error(ErrorCode::not_found, "no framework " + code);
    return std::move(out.front());
  }

 private:
  storage::Database& db_;
};

}  // namespace

std::unique_ptr<Store> make_sql_store(storage::Database& db) { return std::make_unique<SqlStore>(db); }

}  // namespace hocvu::reference
