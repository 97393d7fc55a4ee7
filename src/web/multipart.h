// multipart/form-data (RFC 7578), how browsers send a form with a file.
#pragma once

#include "core/status.h"

#include <string>
#include <string_view>
#include <vector>

namespace hocvu::web {

struct FormPart {
  std::string name;
  std::string filename;      // empty for plain fields
  std::string content_type;  // of the part, if given
  std::string data;
};

// Parses `body` sent with `content_type` ("multipart/form-data; boundary=..."). Refuses a
// missing boundary, a body that does not follow it, or more than 100 parts.
Result<std::vector<FormPart>> parse_multipart(std::string_view content_type, std::string_view body);

}  // namespace hocvu::web
