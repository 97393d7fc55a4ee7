// What the accounts routes share: reading ids from paths, loading the caller with their grants,
// and the answers for "sign in first" and "the database failed".
#pragma once

#include "accounts/authorization.h"
#include "accounts/directory.h"
#include "web/form.h"
#include "web/http.h"

#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace hocvu::accounts {

// The signed-in caller as a Principal, or the response to send instead: 401 for the API, a
// redirect to /sign-in for pages, 503 when the grants cannot be read.
std::variant<Principal, web::Response> signed_in_principal(web::Request& req, Directory& directory);

// May `who` author (courses, question banks, quizzes) for organisation `provider_id`?
// Action::author_course at the organisation's place. False for an unknown organisation.
Result<bool> may_author_for(Directory& directory, const Principal& who, std::int64_t provider_id);
// The organisations `who` may author for: (id, name), in the directory's order.
Result<std::vector<std::pair<std::int64_t, std::string>>> authoring_providers(Directory& directory, const Principal& who);

// 503, with the cause logged under `what`.
web::Response unavailable(std::string_view what, const Status& status);

}  // namespace hocvu::accounts
