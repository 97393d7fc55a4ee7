#include "accounts/directory.h"

#include "accounts/credentials.h"
#include "core/text.h"
#include "accounts/sql_rows.h"
#include "storage/database.h"

#include <algorithm>
#include <functional>

namespace hocvu::accounts {
namespace {

using storage::Connection;
using storage::Row;
using storage::Value;

using sql::kPersonColumns;
using sql::read_person;

GrantRecord read_grant(const Row& r) {
  GrantRecord g;
  g.id = r.int64(0);
  g.grant.role = parse_role(r.text(1)).value_or(Role::instructor);
  g.grant.scope = Scope{parse_scope_kind(r.text(2)).value_or(ScopeKind::unit), r.string(3)};
  if (!r.is_null(4)) g.granted_by = r.int64(4);
  g.granted_at = r.string(5);
  return g;
}

// A search's WHERE clause: filters, then "in at least one of these scopes". Parameters from $first.
struct Where {
  std::string sql;
  std::vector<std::string> params;
};

Where where_for(const PeopleQuery& q) {
  Where w;
  auto param = [&](const std::string& v) {
    w.params.push_back(v);
    return "$" + std::to_string(w.params.size());
  };
  w.sql = " WHERE 1 = 1";
  if (!q.folded_name.empty()) w.sql += " AND p.search_name LIKE " + param("%" + q.folded_name + "%");
  if (!q.unit_code.empty()) w.sql += " AND (p.unit_code = " + param(q.unit_code) + " OR u.parent_code = " + param(q.unit_code) + ")";
  if (!q.target_group.empty()) w.sql += " AND p.target_group = " + param(q.target_group);
  if (!q.role.empty())
    w.sql += " AND EXISTS (SELECT 1 FROM role_grants g WHERE g.person_id = p.id AND g.role = " + param(q.role) + ")";
  if (!q.organisation.empty())
    w.sql += " AND p.id IN (SELECT m.person_id FROM memberships m WHERE m.organisation_id IN ("
             "WITH RECURSIVE down(id) AS (SELECT id FROM organisations WHERE CAST(id AS TEXT) = " + param(q.organisation) +
             " UNION SELECT o.id FROM organisations o JOIN down ON o.parent_id = down.id) SELECT id FROM down))";
  std::string scopes;
  for (const auto& s : q.scopes) {
    if (s.kind == ScopeKind::national) { scopes = "1 = 1"; break; }
    if (s.kind == ScopeKind::unit) {
      std::string c = param(s.code);
      scopes += (scopes.empty() ? "" : " OR ") + std::string("p.unit_code = ") + c + " OR u.parent_code = " + c;
    }
    if (s.kind == ScopeKind::organisation) {
      std::string c = param(s.code);
      scopes += (scopes.empty() ? "" : " OR ") +
                std::string("p.id IN (SELECT m.person_id FROM memberships m WHERE m.organisation_id IN ("
                            "WITH RECURSIVE down(id) AS (SELECT id FROM organisations WHERE CAST(id AS TEXT) = ") + c +
                " UNION SELECT o.id FROM organisations o JOIN down ON o.parent_id = down.id) SELECT id FROM down))";
    }
  }
  w.sql += " AND (" + (scopes.empty() ? std::string("1 = 0") : scopes) + ")";
  return w;
}

class SqlDirectory final : public Directory {
 public:
  explicit SqlDirectory(storage::Database& db) : db_(db) {}

  Result<std::vector<GrantRecord>> grants_of(std::int64_t person_id) override {
    std::vector<GrantRecord> out;
    auto st = db_.read([&](Connection& c) {
      return c.query("SELECT id, role, scope_kind, scope_code, granted_by, granted_at FROM role_grants"
                     " WHERE person_id = $1 ORDER BY id",
                     {person_id}, [&](const Row& r) { out.push_back(read_grant(r)); });
    });
    if (!st.ok()) return st;
    return out;
  }

  Result<GrantRecord> add_grant(std::int64_t person_id, const Grant& g, std::optional<std::int64_t> by,
                                const std::string& now) override {
    GrantRecord out;
    auto st = db_.write([&](Connection& c) {
      return c.query(
          "INSERT INTO role_grants (person_id, role, scope_kind, scope_code, granted_by, granted_at)"
          " VALUES ($1, $2, $3, $4, $5, $6) RETURNING id, role, scope_kind, scope_code, granted_by, granted_at",
          {person_id, role_name(g.role), scope_kind_name(g.scope.kind), std::string_view(g.scope.code),
           by ? Value(*by) : Value(nullptr), std::string_view(now)},
          [&](const Row& r) { out = read_grant(r); });
    });
    if (!st.ok()) return st;
    return out;
  }

  Status remove_grant(std::int64_t person_id, std::int64_t grant_id) override {
    std::int64_t removed = 0;
    auto st = db_.write([&](Connection& c) -> Status {
      auto r = c.execute("DELETE FROM role_grants WHERE id = $1 AND person_id = $2", {grant_id, person_id});
      if (!r) return r.status();
      removed = *r;
      return {};
    });
    if (!st.ok()) return st;
    return removed ? Status{} : Error(ErrorCode::not_found, "no such grant");
  }

  Result<std::optional<Place>> place_of_person(std::int64_t person_id) override {
    std::optional<Place> out;
    auto st = db_.read([&](Connection& c) -> Status {
      auto s = c.query("SELECT p.unit_code, COALESCE(u.parent_code, p.unit_code) FROM people p"
                       " JOIN admin_units u ON u.code = p.unit_code WHERE p.id = $1",
                       {person_id}, [&](const Row& r) { out = Place{r.string(0), r.string(1), {}}; });
      if (!s.ok() || !out) return s;
      // The person's organisations and all their ancestors: an organisation scope covers its subtree.
      return c.query("WITH RECURSIVE up(id, parent_id) AS ("
                     " SELECT o.id, o.parent_id FROM organisations o JOIN memberships m ON m.organisation_id = o.id"
                     " WHERE m.person_id = $1"
                     " UNION SELECT o.id, o.parent_id FROM organisations o JOIN up ON o.id = up.parent_id)"
                     " SELECT DISTINCT id FROM up",
                     {person_id}, [&](const Row& r) { out->organisation_ids.push_back(r.string(0)); });
    });
    if (!st.ok()) return st;
    return out;
  }

  Result<std::optional<Place>> place_of_scope(const Scope& scope) override {
    if (scope.kind == ScopeKind::national) return std::optional<Place>(Place{});
    if (scope.kind == ScopeKind::organisation) return place_of_organisation(scope.code);
    std::optional<Place> out;
    auto st = db_.read([&](Connection& c) {
      return c.query("SELECT code, COALESCE(parent_code, code) FROM admin_units WHERE code = $1",
                     {std::string_view(scope.code)}, [&](const Row& r) { out = Place{r.string(0), r.string(1), {}}; });
    });
    if (!st.ok()) return st;
    return out;
  }

  Result<Reach> reach_of_scope(const Scope& scope) override {
    auto own = place_of_scope(scope);
    if (!own) return own.status();
    Reach reach;
    if (!*own) return reach;
    reach.push_back(**own);
    if (scope.kind != ScopeKind::organisation) return reach;
    // The other units where the subtree's organisations stand, each under the organisation.
    auto st = db_.read([&](Connection& c) {
      return c.query(
          "WITH RECURSIVE down(id) AS (SELECT id FROM organisations WHERE CAST(id AS TEXT) = $1"
          " UNION SELECT o.id FROM organisations o JOIN down ON o.parent_id = down.id)"
          " SELECT DISTINCT u.code, COALESCE(u.parent_code, u.code) FROM organisations o JOIN down ON o.id = down.id"
          " JOIN admin_units u ON u.code = o.unit_code WHERE u.code <> $2 ORDER BY u.code",
          {std::string_view(scope.code), std::string_view(reach.front().unit_code)},
          [&](const Row& r) { reach.push_back(Place{r.string(0), r.string(1), reach.front().organisation_ids}); });
    });
    if (!st.ok()) return st;
    return reach;
  }

  Result<std::optional<Person>> person(std::int64_t id) override {
    std::optional<Person> out;
    auto st = db_.read([&](Connection& c) {
      return c.query(std::string("SELECT ") + kPersonColumns + " FROM people p WHERE p.id = $1", {id},
                     [&](const Row& r) { out = read_person(r); });
    });
    if (!st.ok()) return st;
    return out;
  }

  Result<PeoplePage> search(const PeopleQuery& q) override {
    Where w = where_for(q);
    const std::string from = " FROM people p JOIN admin_units u ON u.code = p.unit_code";
    PeoplePage page;
    // The statement text varies with the filters used; there are few combinations, and each is
    // prepared once per connection.
    std::string count_sql = "SELECT COUNT(*)" + from + w.sql;
    std::string list_sql = std::string("SELECT ") + kPersonColumns + from + w.sql + " ORDER BY p.search_name, p.id" +
                           " LIMIT " + std::to_string(std::clamp(q.per_page, 1, 200)) + " OFFSET " +
                           std::to_string((std::max(q.page, 1) - 1) * std::clamp(q.per_page, 1, 200));
    auto st = db_.read([&](Connection& c) -> Status {
      std::vector<Value> values;
      for (const auto& p : w.params) values.emplace_back(std::string_view(p));
      auto run = [&](const std::string& sql, const storage::RowCallback& cb) -> Status {
        return c.query(sql, std::span<const Value>(values), cb);
      };
      if (auto s = run(count_sql, [&](const Row& r) { page.total = r.int64(0); }); !s.ok()) return s;
      return run(list_sql, [&](const Row& r) { page.people.push_back(read_person(r)); });
    });
    if (!st.ok()) return st;
    return page;
  }

  Result<std::optional<Person>> person_by_national_id(const std::string& digits) override { return one_by("national_id", digits); }
  Result<std::optional<Person>> person_by_phone(const std::string& phone) override { return one_by("phone", phone); }

  Status apply_people_import(const ImportPlan& plan, std::int64_t importer, const std::string& now,
                             const std::string& expires) override {
    return db_.write([&](Connection& c) -> Status {
      for (const auto& row : plan.rows) {
        if (row.action == ImportRow::Action::reject) continue;
        const auto& p = row.person;
        auto opt = [](const std::optional<std::string>& v) { return v ? Value(std::string_view(*v)) : Value(nullptr); };
        std::int64_t id = row.existing_id.value_or(0);
        if (row.action == ImportRow::Action::create) {
          auto st = c.query(
              "INSERT INTO people (full_name, search_name, national_id, phone, email, birth_date, target_group, unit_code,"
              " created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id",
              {std::string_view(p.full_name), std::string_view(p.search_name), opt(p.national_id), opt(p.phone), opt(p.email),
               opt(p.birth_date), std::string_view(p.target_group), std::string_view(p.unit_code), std::string_view(now)},
              [&](const Row& r) { id = r.int64(0); });
          if (!st.ok()) return st;
          std::string digest = token_digest(row.setup_code);
          auto code = c.execute("INSERT INTO setup_codes (person_id, code_digest, expires_at, created_by) VALUES ($1, $2, $3, $4)",
                                {id, std::string_view(digest), std::string_view(expires), importer});
          if (!code) return code.status();
        } else if (row.action == ImportRow::Action::update) {
          auto r = c.execute(
              "UPDATE people SET full_name = $2, search_name = $3, phone = $4, email = COALESCE($5, email), birth_date = $6,"
              " target_group = $7, unit_code = $8, updated_at = $9 WHERE id = $1",
              {id, std::string_view(p.full_name), std::string_view(p.search_name), opt(p.phone), opt(p.email),
               opt(p.birth_date), std::string_view(p.target_group), std::string_view(p.unit_code), std::string_view(now)});
          if (!r) return r.status();
        }
        // Memberships and roles from the file are added once: importing again adds nothing.
        if (row.organisation_id) {
          auto r = c.execute("INSERT INTO memberships (person_id, organisation_id) SELECT $1, id FROM organisations"
                             " WHERE CAST(id AS TEXT) = $2 ON CONFLICT DO NOTHING",
                             {id, std::string_view(*row.organisation_id)});
          if (!r) return r.status();
        }
        if (row.grant) {
          auto r = c.execute("INSERT INTO role_grants (person_id, role, scope_kind, scope_code, granted_by, granted_at)"
                             " VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
                             {id, role_name(row.grant->role), scope_kind_name(row.grant->scope.kind),
                              std::string_view(row.grant->scope.code), importer, std::string_view(now)});
          if (!r) return r.status();
        }
      }
      return Status{};
    });
  }

  Status issue_setup_code(std::int64_t person_id, const std::string& digest, const std::string& expires,
                          std::int64_t by) override {
    return db_.write([&](Connection& c) -> Status {
      if (auto r = c.execute("DELETE FROM setup_codes WHERE person_id = $1", {person_id}); !r) return r.status();
      return c.execute("INSERT INTO setup_codes (person_id, code_digest, expires_at, created_by) VALUES ($1, $2, $3, $4)",
                       {person_id, std::string_view(digest), std::string_view(expires), by})
          .status();
    });
  }

  Result<std::vector<Organisation>> organisations() override {
    std::vector<Organisation> all;
    auto st = db_.read([&](Connection& c) {
      return c.query("SELECT o.id, o.name, o.kind, o.parent_id, o.unit_code,"
                     " (SELECT COUNT(*) FROM memberships m WHERE m.organisation_id = o.id) FROM organisations o ORDER BY o.name, o.id",
                     {}, [&](const Row& r) { all.push_back(read_organisation(r)); });
    });
    if (!st.ok()) return st;
    // Depth-first: parents before their children, siblings by name.
    std::vector<Organisation> out;
    std::function<void(std::optional<std::int64_t>)> visit = [&](std::optional<std::int64_t> parent) {
      for (const auto& o : all)
        if (o.parent_id == parent) {
          out.push_back(o);
          visit(o.id);
        }
    };
    visit(std::nullopt);
    return out;
  }

  Result<std::optional<Organisation>> organisation(std::int64_t id) override {
    std::optional<Organisation> out;
    auto st = db_.read([&](Connection& c) {
      return c.query("SELECT o.id, o.name, o.kind, o.parent_id, o.unit_code,"
                     " (SELECT COUNT(*) FROM memberships m WHERE m.organisation_id = o.id) FROM organisations o WHERE o.id = $1",
                     {id}, [&](const Row& r) { out = read_organisation(r); });
    });
    if (!st.ok()) return st;
    return out;
  }

  Result<Organisation> create_organisation(const Organisation& o, const std::string& now) override {
    Organisation out;
    auto st = db_.write([&](Connection& c) {
      return c.query("INSERT INTO organisations (name, search_name, kind, parent_id, unit_code, created_at)"
                     " VALUES ($1, $2, $3, $4, $5, $6) RETURNING id, name, kind, parent_id, unit_code, 0",
                     {std::string_view(o.name), std::string_view(fold_for_search(o.name)), std::string_view(o.kind),
                      o.parent_id ? Value(*o.parent_id) : Value(nullptr), std::string_view(o.unit_code), std::string_view(now)},
                     [&](const Row& r) { out = read_organisation(r); });
    });
    if (!st.ok()) return st;
    return out;
  }

  Status add_member(std::int64_t organisation_id, std::int64_t person_id, const AuditEntry& record) override {
    return db_.write([&](Connection& c) -> Status {
      auto added = c.execute("INSERT INTO memberships (person_id, organisation_id) VALUES ($1, $2)", {person_id, organisation_id});
      if (!added) return added.status();
      return insert_audit(c, record);
    });
  }

  Result<std::vector<Organisation>> organisations_of(std::int64_t person_id) override {
    std::vector<Organisation> out;
    auto st = db_.read([&](Connection& c) {
      return c.query("SELECT o.id, o.name, o.kind, o.parent_id, o.unit_code, 0 FROM organisations o"
                     " JOIN memberships m ON m.organisation_id = o.id WHERE m.person_id = $1 ORDER BY o.name",
                     {person_id}, [&](const Row& r) { out.push_back(read_organisation(r)); });
    });
    if (!st.ok()) return st;
    return out;
  }

  Status request_deletion(std::int64_t person_id, const std::string& reason, const std::string& now) override {
    return db_.write([&](Connection& c) -> Status {
      if (auto r = c.execute("DELETE FROM deletion_requests WHERE person_id = $1", {person_id}); !r) return r.status();
      return c.execute("INSERT INTO deletion_requests (person_id, requested_at, reason) VALUES ($1, $2, $3)",
                       {person_id, std::string_view(now), std::string_view(reason)})
          .status();
    });
  }

  Result<std::optional<std::string>> deletion_requested_at(std::int64_t person_id) override {
    std::optional<std::string> out;
    auto st = db_.read([&](Connection& c) {
      return c.query("SELECT requested_at FROM deletion_requests WHERE person_id = $1", {person_id},
                     [&](const Row& r) { out = r.string(0); });
    });
    if (!st.ok()) return st;
    return out;
  }

  Status delete_person(std::int64_t person_id, const AuditEntry& record) override {
    return db_.write([&](Connection& c) -> Status {
      // The audit log keeps what the person did to others (actor_id and actor_name stay, see
      // migration 0013); entries of what they did to themselves are about them and lose them.
      // Foreign keys on role_grants.granted_by, audit_log.subject_id and setup_codes.created_by
      // are SET NULL; the rest cascades.
      auto own = c.execute("UPDATE audit_log SET actor_id = NULL, actor_name = '' WHERE actor_id = $1 AND subject_id = $1"
                           " AND actor_deleted = 0",
                           {person_id});
      if (!own) return own.status();
      auto acted = c.execute("UPDATE audit_log SET actor_deleted = 1 WHERE actor_id = $1 AND actor_deleted = 0", {person_id});
      if (!acted) return acted.status();
      auto r = c.execute("DELETE FROM people WHERE id = $1", {person_id});
      if (!r) return r.status();
      if (*r == 0) return Error(ErrorCode::not_found, "no such person");  // rolls back: no record either
      // The record names its subject in its detail; the link itself would point at nobody now.
      AuditEntry written = record;
      if (written.subject_id == person_id) written.subject_id.reset();
      return insert_audit(c, written);
    });
  }

  Status audit(const AuditEntry& e) override {
    return db_.write([&](Connection& c) { return insert_audit(c, e); });
  }

  Result<std::vector<AuditEntry>> audit_log(int page, int per_page, std::optional<std::int64_t> subject) override {
    std::vector<AuditEntry> out;
    per_page = std::clamp(per_page, 1, 200);
    const std::string sql =
        "SELECT a.id, a.at, a.actor_id, a.actor_name, a.action, a.subject_id,"
        " COALESCE(subject.full_name, ''), a.detail, a.request_id, a.address, a.actor_deleted FROM audit_log a"
        " LEFT JOIN people subject ON subject.id = a.subject_id"
        " WHERE $1 = 0 OR a.subject_id = $1 ORDER BY a.id DESC LIMIT " + std::to_string(per_page) + " OFFSET " +
        std::to_string((std::max(page, 1) - 1) * per_page);
    auto st = db_.read([&](Connection& c) {
      return c.query(sql, {subject.value_or(0)}, [&](const Row& r) {
        AuditEntry e;
        e.id = r.int64(0);
        e.at = r.string(1);
        if (!r.is_null(2)) e.actor_id = r.int64(2);
        e.actor_name = r.string(3);
        e.action = r.string(4);
        if (!r.is_null(5)) e.subject_id = r.int64(5);
        e.subject_name = r.string(6);
        e.detail = r.string(7);
        e.request_id = r.string(8);
        e.address = r.string(9);
        e.actor_deleted = r.int64(10) != 0;
        out.push_back(std::move(e));
      });
    });
    if (!st.ok()) return st;
    return out;
  }

 private:
  static Status insert_audit(Connection& c, const AuditEntry& e) {
    return c.execute("INSERT INTO audit_log (at, actor_id, actor_name, action, subject_id, detail, request_id, address)"
                     " VALUES ($1, $2, COALESCE((SELECT full_name FROM people WHERE id = $2), ''), $3, $4, $5, $6, $7)",
                     {std::string_view(e.at), e.actor_id ? Value(*e.actor_id) : Value(nullptr), std::string_view(e.action),
                      e.subject_id ? Value(*e.subject_id) : Value(nullptr), std::string_view(e.detail),
                      std::string_view(e.request_id), std::string_view(e.address)})
        .status();
  }

  // An organisation's place: its unit, that unit's province, itself and its ancestors.
  Result<std::optional<Place>> place_of_organisation(const std::string& id_text) {
    std::optional<Place> out;
    auto st = db_.read([&](Connection& c) -> Status {
      auto s = c.query("SELECT o.unit_code, COALESCE(u.parent_code, o.unit_code) FROM organisations o"
                       " JOIN admin_units u ON u.code = o.unit_code WHERE CAST(o.id AS TEXT) = $1",
                       {std::string_view(id_text)}, [&](const Row& r) { out = Place{r.string(0), r.string(1), {}}; });
      if (!s.ok() || !out) return s;
      return c.query("WITH RECURSIVE up(id, parent_id) AS (SELECT id, parent_id FROM organisations WHERE CAST(id AS TEXT) = $1"
                     " UNION SELECT o.id, o.parent_id FROM organisations o JOIN up ON o.id = up.parent_id)"
                     " SELECT id FROM up",
                     {std::string_view(id_text)}, [&](const Row& r) { out->organisation_ids.push_back(r.string(0)); });
    });
    if (!st.ok()) return st;
    return out;
  }

  static Organisation read_organisation(const Row& r) {
    Organisation o;
    o.id = r.int64(0);
    o.name = r.string(1);
    o.kind = r.string(2);
    if (!r.is_null(3)) o.parent_id = r.int64(3);
    o.unit_code = r.string(4);
    o.members = r.int64(5);
    return o;
  }

  Result<std::optional<Person>> one_by(std::string_view column, const std::string& value) {
    std::optional<Person> out;
    std::string sql = std::string("SELECT ") + kPersonColumns + " FROM people p WHERE p." + std::string(column) + " = $1";
    auto st = db_.read([&](Connection& c) {
      return c.query(sql, {std::string_view(value)}, [&](const Row& r) { out = read_person(r); });
    });
    if (!st.ok()) return st;
    return out;
  }

  storage::Database& db_;
};

}  // namespace

std::unique_ptr<Directory> make_sql_directory(storage::Database& db) { return std::make_unique<SqlDirectory>(db); }

}  // namespace hocvu::accounts
