// multipart/form-data (RFC 7578), how browsers send a form with a file.
#pragma once

#include "core/status.h"
#include "web/http.h"

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

// A form with one file, as the import pages send it: the file's content, the other fields (for
// the CSRF check), and whether the dry-run box was ticked.
struct UploadForm {
  std::string file;
  Fields fields;
  bool dry_run = false;
};
// Reads `req`'s multipart body; the file is the part named `file_field`.
Result<UploadForm> parse_upload(const Request& req, std::string_view file_field = "file");

}  // namespace hocvu::web
