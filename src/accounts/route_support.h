// What the routes share besides the prologue (accounts/call.h): who may author for an
// organisation, the audit entry of a request, and the answer for "the database failed".
#pragma once

#include "accounts/authorization.h"
#include "accounts/directory.h"
#include "reference/store.h"
#include "web/form.h"
#include "web/http.h"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace hocvu::accounts {

// May `who` author (courses, question banks, quizzes) for organisation `provider_id`?
// Action::author_course at the organisation's place. False for an unknown organisation.
Result<bool> may_author_for(Directory& directory, const Principal& who, std::int64_t provider_id);
// The organisations `who` may author for: (id, name), in the directory's order.
Result<std::vector<std::pair<std::int64_t, std::string>>> authoring_providers(Directory& directory, const Principal& who);

// The audit entry of `action` by the caller of `req` about person `subject` (0: no one person).
AuditEntry audit_entry(const web::Request& req, std::string_view action, std::int64_t subject, std::string detail);

// Names for the codes people see, looked up once each per page: pages show "Người dân" and
// "Phường Ba Đình, Thành phố Hà Nội", never "citizen" or "00004". A code without a name in the
// reference data (or when it cannot be read) shows as itself rather than as nothing.
class Words {
 public:
  Words(reference::Store& reference, std::string lang) : reference_(reference), lang_(std::move(lang)) {}
  std::string group(const std::string& code);
  std::string unit(const std::string& code);

 private:
  reference::Store& reference_;
  std::string lang_;
  std::optional<std::map<std::string, std::string, std::less<>>> groups_;
  std::map<std::string, std::string, std::less<>> units_;
};

// 503, with the cause logged under `what`.
web::Response unavailable(std::string_view what, const Status& status);

}  // namespace hocvu::accounts
