// A person on the platform, as the accounts area holds them. Plain values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace hocvu::accounts {

struct Person {
  std::int64_t id = 0;
  std::string full_name;                 // NFC
  std::optional<std::string> national_id;  // 12 digits
  std::optional<std::string> phone;        // 0xxxxxxxxx
  std::optional<std::string> email;
  std::optional<std::string> birth_date;   // YYYY-MM-DD
  std::string target_group;              // official, student, worker, citizen
  std::string unit_code;                 // a province or commune code
  std::string created_at;
};

// What registration stores: validated and normalised values (see registration.h).
struct NewPerson {
  std::string full_name;
  std::string search_name;
  std::optional<std::string> national_id;
  std::optional<std::string> phone;
  std::optional<std::string> email;
  std::optional<std::string> birth_date;
  std::string target_group;
  std::string unit_code;
  std::string password_hash;
};

}  // namespace hocvu::accounts
