#include "accounts/json.h"

#include "accounts/identity.h"

namespace hocvu::accounts {

namespace json = boost::json;

namespace {
json::value optional(const std::optional<std::string>& s) { return s ? json::value(*s) : json::value(nullptr); }
}  // namespace

json::object person_json(const Person& p) {
  return json::object{{"id", p.id},
                      {"full_name", p.full_name},
                      {"national_id", optional(p.national_id)},
                      {"phone", optional(p.phone)},
                      {"email", optional(p.email)},
                      {"birth_date", optional(p.birth_date)},
                      {"target_group", p.target_group},
                      {"unit_code", p.unit_code},
                      {"created_at", p.created_at}};
}

json::object masked_person_json(const Person& p) {
  return json::object{
      {"id", p.id},
      {"full_name", p.full_name},
      {"national_id", p.national_id ? json::value(mask_national_id(*p.national_id)) : json::value(nullptr)},
      {"phone", p.phone ? json::value(mask_phone(*p.phone)) : json::value(nullptr)},
      {"birth_date", p.birth_date ? json::value(p.birth_date->substr(0, 4) + "-**-**") : json::value(nullptr)},
      {"target_group", p.target_group},
      {"unit_code", p.unit_code}};
}

}  // namespace hocvu::accounts
