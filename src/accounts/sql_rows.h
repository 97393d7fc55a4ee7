// Reading accounts rows from SQL, shared by the accounts adapters (sql_store.cpp,
// sql_directory.cpp) so that a person is read, and its columns listed, in one place.
#pragma once

#include "accounts/person.h"
#include "storage/database.h"

namespace hocvu::accounts::sql {

// The columns read_person() expects, in order, for a `people p` in the query.
inline constexpr const char* kPersonColumns =
    "p.id, p.full_name, p.national_id, p.phone, p.email, p.birth_date, p.target_group, p.unit_code, p.created_at";

inline Person read_person(const storage::Row& r, int at = 0) {
  Person p;
  p.id = r.int64(at);
  p.full_name = r.string(at + 1);
  p.national_id = r.optional_string(at + 2);
  p.phone = r.optional_string(at + 3);
  p.email = r.optional_string(at + 4);
  p.birth_date = r.optional_string(at + 5);
  p.target_group = r.string(at + 6);
  p.unit_code = r.string(at + 7);
  p.created_at = r.string(at + 8);
  return p;
}

inline storage::Value optional(const std::optional<std::string>& s) {
  return s ? storage::Value(std::string_view(*s)) : storage::Value(nullptr);
}

}  // namespace hocvu::accounts::sql
