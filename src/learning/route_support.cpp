#include "learning/route_support.h"

#include "core/time.h"
#include "web/app.h"
#include "web/form.h"
#include "web/request_target.h"

#include <charconv>
#include <chrono>

namespace hocvu::learning {
using web::redirect;

std::string now_text() { return format_utc(std::chrono::system_clock::now()); }

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

bool valid_date(std::string_view d) {
  if (d.size() != 10 || d[4] != '-' || d[7] != '-') return false;
  auto t = parse_utc(std::string(d) + "T00:00:00.000Z");
  return t && format_utc(*t).starts_with(d);  // parse_utc may roll 02-30 over to 03-02
}

}  // namespace hocvu::learning
