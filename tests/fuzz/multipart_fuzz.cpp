// libFuzzer target for the multipart/form-data reader (web/multipart), which reads every upload
// form (people and commune imports, question banks, course packages). The first byte picks what
// the rest is:
//   even  a request: the Content-Type header up to the first '\n', then the body, both as sent.
//         Properties: no crash; at most 100 parts; each part's data is a piece of the body; the
//         same request reads the same way through parse_upload (the file part taken out, every
//         other part a field, dry_run ticked exactly when a part is named so).
//   odd   parts to send (the rest split at '\x1e' into parts and '\x1f' into name, filename,
//         content type and data), framed as a browser does with a boundary none of them holds.
//         Property: they read back exactly.
#include "web/multipart.h"

#include <boost/url/src.hpp>

#include <cstdint>
#include <cstdlib>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace {

using hocvu::web::FormPart;

void read_request(std::string_view rest) {
  auto eol = rest.find('\n');
  if (eol == std::string_view::npos) return;
  std::string_view content_type = rest.substr(0, eol), body = rest.substr(eol + 1);
  auto parts = hocvu::web::parse_multipart(content_type, body);
  if (!parts) {
    if (parts.status().message().empty()) std::abort();
    return;
  }
  if (parts->size() > 100) std::abort();
  for (const FormPart& p : *parts)
    if (p.data.size() > body.size() || (!p.data.empty() && body.find(p.data) == std::string_view::npos)) std::abort();

  hocvu::web::Request req;
  req.headers.emplace_back("Content-Type", std::string(content_type));
  req.body = std::string(body);
  auto form = hocvu::web::parse_upload(req, "file");
  if (!form) std::abort();  // parse_multipart accepted it
  std::string file;
  std::size_t fields = 0;
  bool dry_run = false;
  for (const FormPart& p : *parts) {
    dry_run = dry_run || p.name == "dry_run";
    if (p.name == "file") file = p.data;
    else ++fields;
  }
  if (form->file != file || form->fields.size() != fields || form->dry_run != dry_run) std::abort();
}

void round_trip(std::string_view rest) {
  std::vector<FormPart> parts;
  std::vector<std::string> pieces{""};
  auto end_part = [&] {
    pieces.resize(4);
    parts.push_back(FormPart{pieces[0], pieces[1], pieces[2], pieces[3]});
    pieces = {""};
  };
  for (char c : rest) {
    if (c == '\x1e') end_part();
    else if (c == '\x1f') pieces.emplace_back();
    else pieces.back().push_back(c);
  }
  end_part();
  if (parts.size() > 100) return;
  for (const FormPart& p : parts) {
    // What a browser can send: header values on one line without quotes (browsers escape
    // them as %22 and %0D%0A), a content type that does not start with a space.
    for (const std::string* s : {&p.name, &p.filename, &p.content_type})
      if (s->find_first_of("\"\r\n") != std::string::npos) return;
    if (p.content_type.starts_with(' ')) return;
  }
  std::string boundary = "----hocvuFuzzBoundary";
  for (;;) {
    bool clash = false;
    for (const FormPart& p : parts)
      clash = clash || p.data.find(boundary) != std::string::npos;
    if (!clash) break;
    boundary += "x";
    if (boundary.size() > 70) return;
  }
  std::string body;
  for (const FormPart& p : parts) {
    body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + p.name + "\"";
    if (!p.filename.empty()) body += "; filename=\"" + p.filename + "\"";
    body += "\r\n";
    if (!p.content_type.empty()) body += "Content-Type: " + p.content_type + "\r\n";
    body += "\r\n" + p.data + "\r\n";
  }
  body += "--" + boundary + "--\r\n";
  auto back = hocvu::web::parse_multipart("multipart/form-data; boundary=" + boundary, body);
  if (!back || back->size() != parts.size()) std::abort();
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const FormPart& a = parts[i];
    const FormPart& b = (*back)[i];
    if (a.name != b.name || a.filename != b.filename || a.content_type != b.content_type || a.data != b.data) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (data[0] % 2 == 0) read_request(rest);
  else round_trip(rest);
  return 0;
}
