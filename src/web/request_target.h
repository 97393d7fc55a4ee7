// Parses and validates an HTTP request target ("/path?query") before any handler sees it.
// It is the first code that touches bytes from the network, so it is fuzzed
// (tests/fuzz/request_target_fuzz.cpp) and must accept or refuse any input without harm.
#pragma once

#include "core/status.h"
#include "web/http.h"

#include <string>
#include <string_view>

namespace hocvu::web {

struct RequestTarget {
  std::string path;  // percent-decoded; starts with '/'; no "." or ".." segments, no NUL, valid UTF-8
  Fields query;      // decoded name/value pairs in order ('+' is a space)
};

// Accepts origin form ("/path?q") and absolute form ("http://host/path?q", whose host is ignored).
// Refuses, with invalid_argument and an English reason for the log: other forms ("*", "path"),
// bad percent-encoding, a NUL byte or an encoded '/' in the path, "." or ".." segments,
// invalid UTF-8 in the path or query, and targets over 8 KiB.
Result<RequestTarget> parse_request_target(std::string_view target);

// Parses an application/x-www-form-urlencoded body into decoded pairs ('+' is a space). Refuses
// bad percent-encoding, invalid UTF-8, NUL bytes and more than 200 fields.
Result<Fields> parse_form(std::string_view body);

// `s` with every byte outside the URL-unreserved set (A-Z a-z 0-9 - . _ ~ and '/') written as %XX,
// for putting a path or a value into a query string.
std::string percent_encode(std::string_view s);

// True when `target` is a path on this site that a redirect may safely go to ("/lessons/5?x"):
// it starts with one '/', and has no "//", backslash or control character that a browser could
// read as another host.
bool safe_local_target(std::string_view target);

}  // namespace hocvu::web
