// The accounts area's storage port: people, sessions and the record of failed sign-ins.
// Implemented over SQL (sql_store.cpp) for SQLite and PostgreSQL. Thread-safe.
// Times are UTC ISO-8601 strings ("2026-11-24T20:31:05.123Z"), which sort as they compare.
#pragma once

#include "accounts/person.h"
#include "core/status.h"

#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace hocvu::storage { class Database; }

namespace hocvu::accounts {

struct Credentials {
  Person person;
  std::optional<std::string> password_hash;  // absent until the person sets a password
};

struct FailureRecord {
  int failures = 0;
  std::string window_start;
  std::optional<std::string> locked_until;
};

class Store {
 public:
  virtual ~Store() = default;

  // The CCCD province prefixes ("001".."096"), for validation.
  virtual Result<std::set<std::string, std::less<>>> national_id_prefixes() = 0;

  // True when `code` names an administrative unit (province or commune).
  virtual Result<bool> unit_exists(const std::string& code) = 0;

  // Inserts a person. conflict, with the message "national_id" or "phone", when either is taken.
  virtual Result<Person> create_person(const NewPerson& p, const std::string& now) = 0;

  // The person whose CCCD or phone is `login` (already normalised), with their password hash.
  virtual Result<std::optional<Credentials>> find_by_login(const std::string& login) = 0;

  // Records a session by the digest of its token.
  virtual Status create_session(std::int64_t person_id, const std::string& token_digest, const std::string& now,
                                const std::string& expires_at, const std::string& user_agent) = 0;

  // The person behind an unexpired session, if any.
  virtual Result<std::optional<Person>> session_person(const std::string& token_digest, const std::string& now) = 0;

  // Ends one session (absent is fine).
  virtual Status delete_session(const std::string& token_digest) = 0;

  // Replaces the editable profile fields of person `id` (full_name, search_name, phone, email,
  // target_group, unit_code). conflict "phone" when the phone belongs to someone else.
  virtual Result<Person> update_profile(std::int64_t id, const NewPerson& fields, const std::string& now) = 0;

  // The password hash of person `id` (absent when none is set).
  virtual Result<std::optional<std::string>> password_hash(std::int64_t id) = 0;
  virtual Status set_password_hash(std::int64_t id, const std::string& hash, const std::string& now) = 0;

  struct SessionInfo {
    std::string created_at, expires_at, user_agent;
    bool current = false;
  };
  // The person's sessions, newest first; `current` marks the one with `current_digest`.
  virtual Result<std::vector<SessionInfo>> sessions(std::int64_t person_id, const std::string& current_digest) = 0;
  // Ends every session of the person but the one with `keep_digest` ("" ends them all).
  virtual Status delete_other_sessions(std::int64_t person_id, const std::string& keep_digest) = 0;

  // If `code_digest` is the unexpired setup code of `person_id`: sets the password hash, deletes
  // the code, ends the person's sessions and returns true, in one transaction. False (and nothing
  // changed) otherwise.
  virtual Result<bool> redeem_setup_code(std::int64_t person_id, const std::string& code_digest, const std::string& hash,
                                         const std::string& now) = 0;

  struct ApiToken {
    std::int64_t id = 0;
    std::string name, scopes, created_at;
  };
  virtual Result<ApiToken> create_api_token(std::int64_t person_id, const std::string& name, const std::string& digest,
                                            const std::string& scopes, const std::string& now) = 0;
  virtual Result<std::vector<ApiToken>> api_tokens(std::int64_t person_id) = 0;
  // not_found when the person has no such token.
  virtual Status revoke_api_token(std::int64_t person_id, std::int64_t token_id) = 0;
  // The owner of an API token by digest, with its scopes.
  struct TokenOwner {
    Person person;
    std::string scopes;
  };
  virtual Result<std::optional<TokenOwner>> api_token_owner(const std::string& digest) = 0;

  // True when `code_digest` is the unexpired setup code of `person_id` (nothing changes).
  virtual Result<bool> setup_code_matches(std::int64_t person_id, const std::string& code_digest, const std::string& now) = 0;

  // True when the device cookie with `device_digest` was trusted for `person_id` by a sign-in.
  virtual Result<bool> device_trusted(const std::string& device_digest, std::int64_t person_id) = 0;
  // After a successful sign-in, in one transaction: the new device cookie becomes trusted for
  // `person_id` and for every person the `previous_digest` cookie was trusted for, the failures
  // counted against the previous cookie (device_failure_key) move to the new one, and the previous
  // cookie is forgotten ("" when the browser had none). Moving the failures matters: otherwise
  // signing in to one account on a shared browser would give every other account on it a fresh
  // budget of guesses.
  virtual Status trust_device(const std::string& device_digest, std::int64_t person_id, const std::string& previous_digest,
                              const std::string& now) = 0;

  // Failed sign-ins (and counted registrations) for `key` ("login:...", "device:...", "address:...",
  // "register:..."); nullopt when none are recorded.
  virtual Result<std::optional<FailureRecord>> failures(const std::string& key) = 0;
  // A failure record to write, decided while its row is held (see update_failures).
  struct FailureWrite {
    std::string key;
    FailureRecord record;
  };
  using FailureRecords = std::vector<std::optional<FailureRecord>>;
  // The one way failure records change (besides clear_failures and housekeeping), in one write
  // transaction: reads the records of `keys` (nullopt where none is stored) holding their rows until
  // the commit (PostgreSQL: SELECT ... FOR UPDATE, in the order of the keys; SQLite has one writer),
  // hands them to `decide` in the order of `keys`, and stores the records it returns (each for one of
  // `keys`) as they are.
  // Of any number of concurrent callers on the same keys, each decides on what the ones before it
  // wrote, so none is lost and none decides on a stale record. `decide` may be called again when a
  // row another caller was creating appears meanwhile: it must only compute. Returns the records
  // as read by the call whose writes were stored.
  virtual Result<FailureRecords> update_failures(const std::vector<std::string>& keys,
                                                 const std::function<std::vector<FailureWrite>(const FailureRecords&)>& decide) = 0;
  virtual Status clear_failures(const std::string& key) = 0;
  // Housekeeping: deletes the failure records whose window began before `forget_before` and whose
  // lock, if any, ended by `now` (they decide nothing any more), and the device trusts last renewed
  // before `trusted_before` (the cookie has expired in the browser): at most kHousekeepingBatch of
  // each per call, in key order, skipping rows another transaction holds (PostgreSQL), so that a
  // backlog never holds the writer for long and two processes never deadlock on it. Returns the
  // rows deleted.
  virtual Result<std::int64_t> forget_stale(const std::string& forget_before, const std::string& now,
                                            const std::string& trusted_before) = 0;
};

inline constexpr std::int64_t kHousekeepingBatch = 10000;

std::unique_ptr<Store> make_sql_store(storage::Database& db);

// The key under which a trusted browser's failed sign-ins to one account are counted.
inline std::string device_failure_key(std::string_view device_digest, std::int64_t person_id) {
  return "device:" + std::string(device_digest) + ":" + std::to_string(person_id);
}

}  // namespace hocvu::accounts
