// A person as the JSON API shows them: with their personal data (to themselves, and to managers
// whose scope covers them) or masked (to everyone else).
#pragma once

#include "accounts/person.h"

#include <boost/json/object.hpp>

namespace hocvu::accounts {

boost::json::object person_json(const Person& p);         // everything
boost::json::object masked_person_json(const Person& p);  // CCCD, phone, birth day and month masked

}  // namespace hocvu::accounts
