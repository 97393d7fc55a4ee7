// The directory: the people managers look after, the roles they hold, and the audit log.
// A storage port like Store, implemented over SQL (sql_directory.cpp). Thread-safe.
#pragma once

#include "accounts/authorization.h"
#include "accounts/people_import.h"
#include "accounts/person.h"
#include "core/status.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace hocvu::storage { class Database; }

namespace hocvu::accounts {

struct Organisation {
  std::int64_t id = 0;
  std::string name;
  std::string kind;  // ministry, department, school, enterprise, committee, other
  std::optional<std::int64_t> parent_id;
  std::string unit_code;
  std::int64_t members = 0;
};

struct GrantRecord {
  std::int64_t id = 0;
  Grant grant;
  std::optional<std::int64_t> granted_by;
  std::string granted_at;
};

// Which people a search returns. `scopes` restricts the result to people standing in at least
// one of them (the searcher's own scopes); an empty list means nobody.
struct PeopleQuery {
  std::string folded_name;  // fold_for_search() of what was typed; "" for everyone
  std::string unit_code;    // "" for any
  std::string target_group; // "" for any
  std::string role;         // "" for any
  std::string organisation; // an organisation id: its members and its subtree's; "" for any
  std::vector<Scope> scopes;
  int page = 1;             // from 1
  int per_page = 50;
};

struct PeoplePage {
  std::vector<Person> people;
  std::int64_t total = 0;
};

struct AuditEntry {
  std::int64_t id = 0;
  std::string at;
  std::optional<std::int64_t> actor_id;
  std::string actor_name;      // as it was when they acted (kept after their account is deleted)
  bool actor_deleted = false;  // the actor's account was deleted since: actor_id names nobody now
  std::string action;
  std::optional<std::int64_t> subject_id;
  std::string subject_name;
  std::string detail;
  std::string request_id;
  std::string address;
};

class Directory {
 public:
  virtual ~Directory() = default;

  virtual Result<std::vector<GrantRecord>> grants_of(std::int64_t person_id) = 0;

  // Adds a grant; conflict when the person already holds that role at that scope.
  virtual Result<GrantRecord> add_grant(std::int64_t person_id, const Grant& grant, std::optional<std::int64_t> granted_by,
                                        const std::string& now) = 0;
  // Removes grant `grant_id` of person `person_id`; not_found when there is none.
  virtual Status remove_grant(std::int64_t person_id, std::int64_t grant_id) = 0;

  // Where a person stands (their unit, its province; organisations come later).
  virtual Result<std::optional<Place>> place_of_person(std::int64_t person_id) = 0;
  // Where a scope stands: a unit's own place, or nothing for an unknown unit.
  virtual Result<std::optional<Place>> place_of_scope(const Scope& scope) = 0;
  // Every place a scope reaches (accounts::Reach): its own place first; empty for an unknown scope.
  virtual Result<Reach> reach_of_scope(const Scope& scope) = 0;

  virtual Result<std::optional<Person>> person(std::int64_t id) = 0;

  // Every organisation, parents before children (depth-first, by name).
  virtual Result<std::vector<Organisation>> organisations() = 0;
  virtual Result<std::optional<Organisation>> organisation(std::int64_t id) = 0;
  virtual Result<Organisation> create_organisation(const Organisation& o, const std::string& now) = 0;
  // Adds a membership and writes `record` (its audit entry) in the same transaction; conflict
  // when it exists already (and nothing is written).
  virtual Status add_member(std::int64_t organisation_id, std::int64_t person_id, const AuditEntry& record) = 0;
  virtual Result<std::vector<Organisation>> organisations_of(std::int64_t person_id) = 0;
  virtual Result<PeoplePage> search(const PeopleQuery& query) = 0;

  virtual Result<std::optional<Person>> person_by_national_id(const std::string& digits) = 0;
  virtual Result<std::optional<Person>> person_by_phone(const std::string& phone) = 0;

  // Writes the create and update rows of `plan` in one transaction: new people without a
  // password, each with the digest of its row's setup_code (valid until `codes_expire_at`).
  virtual Status apply_people_import(const ImportPlan& plan, std::int64_t importer_id, const std::string& now,
                                     const std::string& codes_expire_at) = 0;

  // Replaces the person's one-time setup code (a manager's password reset).
  virtual Status issue_setup_code(std::int64_t person_id, const std::string& code_digest, const std::string& expires_at,
                                  std::int64_t issued_by) = 0;

  // A person's request to be deleted (replaces an earlier one), and whether one is pending.
  virtual Status request_deletion(std::int64_t person_id, const std::string& reason, const std::string& now) = 0;
  virtual Result<std::optional<std::string>> deletion_requested_at(std::int64_t person_id) = 0;
  // Deletes the person and everything that cascades (sessions, grants, memberships, codes).
  // Audit entries about the person keep their rows with the person gone; entries of what the
  // person did to others keep the actor's id and name (marked actor_deleted), so the record of
  // what a manager did outlives their account. `record` (the audit entry of the deletion) is
  // written in the same transaction: there is never a deletion without its record, nor a record
  // of a deletion that did not happen.
  virtual Status delete_person(std::int64_t person_id, const AuditEntry& record) = 0;

  virtual Status audit(const AuditEntry& entry) = 0;
  // Newest first.
  virtual Result<std::vector<AuditEntry>> audit_log(int page, int per_page, std::optional<std::int64_t> subject_id) = 0;
};

std::unique_ptr<Directory> make_sql_directory(storage::Database& db);

// The person `id` as a Principal with their grants.
Result<Principal> load_principal(Directory& directory, std::int64_t id);

// The person `id` as the target of an action (accounts::Subject): where they stand and their
// grants, each with the place of its scope. nullopt when there is no such person.
Result<std::optional<Subject>> load_subject(Directory& directory, std::int64_t id);

}  // namespace hocvu::accounts
