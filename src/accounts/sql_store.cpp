#include "accounts/store.h"

#include "accounts/sql_rows.h"
#include "storage/database.h"

#include <algorithm>

namespace hocvu::accounts {
namespace {

using storage::Connection;
using storage::Row;
using storage::Value;


using sql::optional;
using sql::read_person;

class SqlStore final : public Store {
 public:
  explicit SqlStore(storage::Database& db) : db_(db) {}

  Result<std::set<std::string, std::less<>>> national_id_prefixes() override {
    std::set<std::string, std::less<>> out;
    auto st = db_.read([&](Connection& c) {
      return c.query("SELECT code FROM national_id_prefixes", {}, [&](const Row& r) { out.insert(r.string(0)); });
    });
    if (!st.ok()) return st;
    return out;
  }

  Result<bool> unit_exists(const std::string& code) override {
    bool found = false;
    auto st = db_.read([&](Connection& c) {
      return c.query("SELECT 1 FROM admin_units WHERE code = $1", {std::string_view(code)},
                     [&](const Row&) { found = true; });
    });
    if (!st.ok()) return st;
    return found;
  }

  Result<Person> create_person(const NewPerson& p, const std::string& now) override {
    Person out;
    auto st = db_.write([&](Connection& c) -> Status {
      // Say which identifier is taken, so the form can put the message beside the right field.
      bool taken = false;
      if (p.national_id) {
        if (auto s = c.query("SELECT 1 FROM people WHERE national_id = $1", {std::string_view(*p.national_id)},
                             [&](const Row&) { taken = true; });
            !s.ok())
          return s;
        if (taken) return Error(ErrorCode::conflict, "national_id");
      }
      if (p.phone) {
        if (auto s = c.query("SELECT 1 FROM people WHERE phone = $1", {std::string_view(*p.phone)},
                             [&](const Row&) { taken = true; });
            !s.ok())
          return s;
        if (taken) return Error(ErrorCode::conflict, "phone");
      }
      return c.query(
          "INSERT INTO people (full_name, search_name, national_id, phone, birth_date, target_group, unit_code,"
          " password_hash, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)"
          " RETURNING id, full_name, national_id, phone, email, birth_date, target_group, unit_code, created_at",
          {std::string_view(p.full_name), std::string_view(p.search_name), optional(p.national_id), optional(p.phone),
           optional(p.birth_date), std::string_view(p.target_group), std::string_view(p.unit_code),
           std::string_view(p.password_hash), std::string_view(now)},
          [&](const Row& r) { out = read_person(r); });
    });
    // Two registrations racing past the checks meet the UNIQUE constraint instead.
    if (st.code() == ErrorCode::conflict && st.message() != "national_id" && st.message() != "phone")
      return Error(ErrorCode::conflict, st.message().find("phone") != std::string::npos ? "phone" : "national_id");
    if (!st.ok()) return st;
    return out;
  }

  Result<std::optional<Credentials>> find_by_login(const std::string& login) override {
    std::optional<Credentials> out;
    auto st = db_.read([&](Connection& c) {
      return c.query(
          "SELECT id, full_name, national_id, phone, email, birth_date, target_group, unit_code, created_at,"
          " password_hash FROM people WHERE national_id = $1 OR phone = $1",
          {std::string_view(login)}, [&](const Row& r) { out = Credentials{read_person(r), r.optional_string(9)}; });
    });
    if (!st.ok()) return st;
    return out;
  }

  Status create_session(std::int64_t person_id, const std::string& digest, const std::string& now,
                        const std::string& expires_at, const std::string& user_agent) override {
    return db_.write([&](Connection& c) {
      return c.execute(
                  "INSERT INTO sessions (token_digest, person_id, created_at, expires_at, user_agent)"
                  " VALUES ($1, $2, $3, $4, $5)",
                  {std::string_view(digest), person_id, std::string_view(now), std::string_view(expires_at),
                   std::string_view(user_agent)})
          .status();
    });
  }

  Result<std::optional<Person>> session_person(const std::string& digest, const std::string& now) override {
    std::optional<Person> out;
    auto st = db_.read([&](Connection& c) {
      return c.query(
          "SELECT p.id, p.full_name, p.national_id, p.phone, p.email, p.birth_date, p.target_group, p.unit_code,"
          " p.created_at FROM sessions s JOIN people p ON p.id = s.person_id"
          " WHERE s.token_digest = $1 AND s.expires_at > $2",
          {std::string_view(digest), std::string_view(now)}, [&](const Row& r) { out = read_person(r); });
    });
    if (!st.ok()) return st;
    return out;
  }

  Status delete_session(const std::string& digest) override {
    return db_.write([&](Connection& c) {
      return c.execute("DELETE FROM sessions WHERE token_digest = $1", {std::string_view(digest)}).status();
    });
  }

  Result<Person> update_profile(std::int64_t id, const NewPerson& f, const std::string& now) override {
    Person out;
    bool found = false;
    auto st = db_.write([&](Connection& c) -> Status {
      if (f.phone) {
        bool taken = false;
        if (auto s = c.query("SELECT 1 FROM people WHERE phone = $1 AND id <> $2", {std::string_view(*f.phone), id},
                             [&](const Row&) { taken = true; });
            !s.ok())
          return s;
        if (taken) return Error(ErrorCode::conflict, "phone");
      }
      return c.query(
          "UPDATE people SET full_name = $2, search_name = $3, phone = $4, email = $5, target_group = $6,"
          " unit_code = $7, updated_at = $8 WHERE id = $1"
          " RETURNING id, full_name, national_id, phone, email, birth_date, target_group, unit_code, created_at",
          {id, std::string_view(f.full_name), std::string_view(f.search_name), optional(f.phone), optional(f.email),
           std::string_view(f.target_group), std::string_view(f.unit_code), std::string_view(now)},
          [&](const Row& r) { out = read_person(r); found = true; });
    });
    if (st.code() == ErrorCode::conflict) return Error(ErrorCode::conflict, "phone");
    if (!st.ok()) return st;
    if (!found) return Error(ErrorCode::not_found, "no person " + std::to_string(id));
    return out;
  }

  Result<std::optional<std::string>> password_hash(std::int64_t id) override {
    std::optional<std::string> out;
    auto st = db_.read([&](Connection& c) {
      return c.query("SELECT password_hash FROM people WHERE id = $1", {id}, [&](const Row& r) { out = r.optional_string(0); });
    });
    if (!st.ok()) return st;
    return out;
  }

  Status set_password_hash(std::int64_t id, const std::string& hash, const std::string& now) override {
    return db_.write([&](Connection& c) {
      return c.execute("UPDATE people SET password_hash = $2, updated_at = $3 WHERE id = $1",
                       {id, std::string_view(hash), std::string_view(now)})
          .status();
    });
  }

  Result<std::vector<SessionInfo>> sessions(std::int64_t person_id, const std::string& current) override {
    std::vector<SessionInfo> out;
    auto st = db_.read([&](Connection& c) {
      return c.query("SELECT created_at, expires_at, user_agent, token_digest FROM sessions WHERE person_id = $1"
                     " ORDER BY created_at DESC",
                     {person_id}, [&](const Row& r) {
                       out.push_back({r.string(0), r.string(1), r.string(2), r.text(3) == current});
                     });
    });
    if (!st.ok()) return st;
    return out;
  }

  Status delete_other_sessions(std::int64_t person_id, const std::string& keep) override {
    return db_.write([&](Connection& c) {
      return c.execute("DELETE FROM sessions WHERE person_id = $1 AND token_digest <> $2",
                       {person_id, std::string_view(keep)})
          .status();
    });
  }

  Result<bool> redeem_setup_code(std::int64_t person_id, const std::string& digest, const std::string& hash,
                                 const std::string& now) override {
    bool redeemed = false;
    auto st = db_.write([&](Connection& c) -> Status {
      auto gone = c.execute("DELETE FROM setup_codes WHERE person_id = $1 AND code_digest = $2 AND expires_at > $3",
                            {person_id, std::string_view(digest), std::string_view(now)});
      if (!gone) return gone.status();
      if (*gone == 0) return {};
      redeemed = true;
      // A new password ends every session made with the old one.
      if (auto r = c.execute("DELETE FROM sessions WHERE person_id = $1", {person_id}); !r) return r.status();
      return c.execute("UPDATE people SET password_hash = $2, updated_at = $3 WHERE id = $1",
                       {person_id, std::string_view(hash), std::string_view(now)})
          .status();
    });
    if (!st.ok()) return st;
    return redeemed;
  }

  Result<ApiToken> create_api_token(std::int64_t person_id, const std::string& name, const std::string& digest,
                                    const std::string& scopes, const std::string& now) override {
    ApiToken out;
    auto st = db_.write([&](Connection& c) {
      return c.query("INSERT INTO api_tokens (person_id, name, token_digest, scopes, created_at) VALUES ($1, $2, $3, $4, $5)"
                     " RETURNING id, name, scopes, created_at",
                     {person_id, std::string_view(name), std::string_view(digest), std::string_view(scopes), std::string_view(now)},
                     [&](const Row& r) { out = ApiToken{r.int64(0), r.string(1), r.string(2), r.string(3)}; });
    });
    if (!st.ok()) return st;
    return out;
  }

  Result<std::vector<ApiToken>> api_tokens(std::int64_t person_id) override {
    std::vector<ApiToken> out;
    auto st = db_.read([&](Connection& c) {
      return c.query("SELECT id, name, scopes, created_at FROM api_tokens WHERE person_id = $1 ORDER BY id", {person_id},
                     [&](const Row& r) { out.push_back(ApiToken{r.int64(0), r.string(1), r.string(2), r.string(3)}); });
    });
    if (!st.ok()) return st;
    return out;
  }

  Status revoke_api_token(std::int64_t person_id, std::int64_t token_id) override {
    std::int64_t gone = 0;
    auto st = db_.write([&](Connection& c) -> Status {
      auto r = c.execute("DELETE FROM api_tokens WHERE id = $1 AND person_id = $2", {token_id, person_id});
      if (!r) return r.status();
      gone = *r;
      return {};
    });
    if (!st.ok()) return st;
    return gone ? Status{} : Error(ErrorCode::not_found, "no such token");
  }

  Result<std::optional<TokenOwner>> api_token_owner(const std::string& digest) override {
    std::optional<TokenOwner> out;
    auto st = db_.read([&](Connection& c) {
      return c.query("SELECT p.id, p.full_name, p.national_id, p.phone, p.email, p.birth_date, p.target_group, p.unit_code,"
                     " p.created_at, t.scopes FROM api_tokens t JOIN people p ON p.id = t.person_id WHERE t.token_digest = $1",
                     {std::string_view(digest)}, [&](const Row& r) { out = TokenOwner{read_person(r), r.string(9)}; });
    });
    if (!st.ok()) return st;
    return out;
  }

  Result<bool> setup_code_matches(std::int64_t person_id, const std::string& digest, const std::string& now) override {
    bool found = false;
    auto st = db_.read([&](Connection& c) {
      return c.query("SELECT 1 FROM setup_codes WHERE person_id = $1 AND code_digest = $2 AND expires_at > $3",
                     {person_id, std::string_view(digest), std::string_view(now)}, [&](const Row&) { found = true; });
    });
    if (!st.ok()) return st;
    return found;
  }

  Result<bool> device_trusted(const std::string& digest, std::int64_t person_id) override {
    bool found = false;
    auto st = db_.read([&](Connection& c) {
      return c.query("SELECT 1 FROM trusted_devices WHERE device_digest = $1 AND person_id = $2",
                     {std::string_view(digest), person_id}, [&](const Row&) { found = true; });
    });
    if (!st.ok()) return st;
    return found;
  }

  Status trust_device(const std::string& digest, std::int64_t person_id, const std::string& previous,
                      const std::string& now) override {
    return db_.write([&](Connection& c) -> Status {
      if (!previous.empty() && previous != digest) {
        if (auto r = c.execute("INSERT INTO trusted_devices (device_digest, person_id, trusted_at)"
                               " SELECT $1, person_id, trusted_at FROM trusted_devices WHERE device_digest = $2 AND person_id <> $3",
                               {std::string_view(digest), std::string_view(previous), person_id});
            !r)
          return r.status();
        if (auto r = c.execute("DELETE FROM trusted_devices WHERE device_digest = $1", {std::string_view(previous)}); !r)
          return r.status();
        // The old cookie's failure budgets go with its trust (keys "device:<digest>:<person>").
        const std::string old_prefix = "device:" + previous + ":";
        const std::string new_prefix = "device:" + digest + ":";
        if (auto r = c.execute("UPDATE signin_failures SET key = CAST($1 AS TEXT) || substr(key, CAST($3 AS INTEGER))"
                               " WHERE substr(key, 1, CAST($4 AS INTEGER)) = CAST($2 AS TEXT)",
                               {std::string_view(new_prefix), std::string_view(old_prefix),
                                static_cast<std::int64_t>(old_prefix.size()) + 1, static_cast<std::int64_t>(old_prefix.size())});
            !r)
          return r.status();
      }
      auto updated = c.execute("UPDATE trusted_devices SET trusted_at = $3 WHERE device_digest = $1 AND person_id = $2",
                               {std::string_view(digest), person_id, std::string_view(now)});
      if (!updated) return updated.status();
      if (*updated > 0) return {};
      return c.execute("INSERT INTO trusted_devices (device_digest, person_id, trusted_at) VALUES ($1, $2, $3)",
                       {std::string_view(digest), person_id, std::string_view(now)})
          .status();
    });
  }

  Result<std::optional<FailureRecord>> failures(const std::string& key) override {
    std::optional<FailureRecord> out;
    auto st = db_.read([&](Connection& c) {
      return c.query("SELECT failures, window_start, locked_until FROM signin_failures WHERE key = $1",
                     {std::string_view(key)}, [&](const Row& r) {
                       out = FailureRecord{static_cast<int>(r.int64(0)), r.string(1), r.optional_string(2)};
                     });
    });
    if (!st.ok()) return st;
    return out;
  }

  // The record is read with its row held and written back as the domain decided. A row that does
  // not exist yet cannot be held: it is inserted with ON CONFLICT DO NOTHING, and when another
  // transaction created it meanwhile (PostgreSQL: the insert waits for that one to commit, then
  // inserts nothing) the whole transaction is rolled back and tried again, now holding the row.
  Result<FailureRecords> update_failures(const std::vector<std::string>& keys,
                                         const std::function<std::vector<FailureWrite>(const FailureRecords&)>& decide) override {
    const char* read_sql = db_.dialect() == storage::Dialect::postgres
                               ? "SELECT failures, window_start, locked_until FROM signin_failures WHERE key = $1 FOR UPDATE"
                               : "SELECT failures, window_start, locked_until FROM signin_failures WHERE key = $1";
    // Rows are held in key order, whatever the caller's order, so that two callers never wait for
    // each other in a cycle.
    std::vector<std::size_t> order(keys.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) { return keys[x] < keys[y]; });
    FailureRecords read;
    for (int tries = 0;; ++tries) {
      bool raced = false;
      auto st = db_.write([&](Connection& c) -> Status {
        read.assign(keys.size(), std::nullopt);
        raced = false;
        for (std::size_t i : order)
          if (auto s = c.query(read_sql, {std::string_view(keys[i])}, [&](const Row& r) {
                read[i] = FailureRecord{static_cast<int>(r.int64(0)), r.string(1), r.optional_string(2)};
              });
              !s.ok())
            return s;
        for (const auto& w : decide(read)) {
          auto at = std::find(keys.begin(), keys.end(), w.key);
          const bool stored = at != keys.end() && read[at - keys.begin()];
          if (stored) {
            auto r = c.execute("UPDATE signin_failures SET failures = $2, window_start = $3, locked_until = $4 WHERE key = $1",
                               {std::string_view(w.key), static_cast<std::int64_t>(w.record.failures),
                                std::string_view(w.record.window_start), optional(w.record.locked_until)});
            if (!r) return r.status();
            continue;
          }
          auto r = c.execute("INSERT INTO signin_failures (key, failures, window_start, locked_until) VALUES ($1, $2, $3, $4)"
                             " ON CONFLICT (key) DO NOTHING",
                             {std::string_view(w.key), static_cast<std::int64_t>(w.record.failures),
                              std::string_view(w.record.window_start), optional(w.record.locked_until)});
          if (!r) return r.status();
          if (*r == 0) {
            raced = true;
            return Error(ErrorCode::conflict, "signin_failures row created concurrently");
          }
        }
        return {};
      });
      if (raced && tries < 10) continue;
      if (!st.ok()) return st;
      return read;
    }
  }

  Result<std::int64_t> forget_stale(const std::string& forget_before, const std::string& now,
                                    const std::string& trusted_before) override {
    // PostgreSQL: rows another transaction holds (a sign-in counting on them) are skipped, the rest
    // taken in key order; SQLite has one writer.
    const bool pg = db_.dialect() == storage::Dialect::postgres;
    const char* failures_sql =
        pg ? "DELETE FROM signin_failures WHERE key IN (SELECT key FROM signin_failures WHERE window_start < $1"
             " AND (locked_until IS NULL OR locked_until <= $2) ORDER BY key LIMIT $3 FOR UPDATE SKIP LOCKED)"
           : "DELETE FROM signin_failures WHERE key IN (SELECT key FROM signin_failures WHERE window_start < $1"
             " AND (locked_until IS NULL OR locked_until <= $2) ORDER BY key LIMIT $3)";
    const char* devices_sql =
        pg ? "DELETE FROM trusted_devices WHERE (device_digest, person_id) IN (SELECT device_digest, person_id"
             " FROM trusted_devices WHERE trusted_at < $1 ORDER BY device_digest, person_id LIMIT $2 FOR UPDATE SKIP LOCKED)"
           : "DELETE FROM trusted_devices WHERE (device_digest, person_id) IN (SELECT device_digest, person_id"
             " FROM trusted_devices WHERE trusted_at < $1 ORDER BY device_digest, person_id LIMIT $2)";
    std::int64_t gone = 0;
    auto st = db_.write([&](Connection& c) -> Status {
      // In batches, so that a backlog (a script's millions of random logins) never holds the
      // writer for long; the next housekeeping takes the next batch.
      auto failures = c.execute(failures_sql, {std::string_view(forget_before), std::string_view(now), kHousekeepingBatch});
      if (!failures) return failures.status();
      auto devices = c.execute(devices_sql, {std::string_view(trusted_before), kHousekeepingBatch});
      if (!devices) return devices.status();
      gone = *failures + *devices;
      return {};
    });
    if (!st.ok()) return st;
    return gone;
  }

  Status clear_failures(const std::string& key) override {
    return db_.write([&](Connection& c) {
      return c.execute("DELETE FROM signin_failures WHERE key = $1", {std::string_view(key)}).status();
    });
  }

 private:
  storage::Database& db_;
};

}  // namespace

std::unique_ptr<Store> make_sql_store(storage::Database& db) { return std::make_unique<SqlStore>(db); }

}  // namespace hocvu::accounts
