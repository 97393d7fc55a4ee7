// The request and response that handlers see. Plain values: nothing here depends on Beast, so
// handlers, middleware and their tests compile in seconds. src/server/ converts to and from Beast.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hocvu::web {

using Fields = std::vector<std::pair<std::string, std::string>>;

// Case-insensitive ASCII comparison, for header names and tokens.
bool iequals(std::string_view a, std::string_view b);

struct Request {
  std::string method;        // "GET"
  std::string target;        // as sent: "/frameworks?lang=en"
  std::string path;          // percent-decoded, validated: "/frameworks"
  Fields query;              // decoded query parameters in order
  Fields headers;            // names as sent; look up with header()
  std::string body;
  std::string remote_address;
  std::string request_id;    // set by the request-id middleware
  Fields path_params;        // {id} segments, set by the router
  std::string route_name;    // the matched route's pattern, for logs and metrics
  std::string lang = "vi";   // chosen language, set by the language middleware
  // The signed-in person, set by the App's authenticator on blocking routes (0: nobody).
  std::int64_t user_id = 0;
  std::string user_name;
  std::string session_token;  // the token that authenticated this request, if any
  bool identified = false;    // the authenticator has run (App::admit, then App::run, run it once)
  bool cookie_authenticated = false;  // by a session cookie (not a bearer token): Origin is checked on writes
  // Set by the App from its configuration: cookies are Secure and __Host- prefixed (an https
  // HOCVU_PUBLIC_URL), and the public origin that forms and API writes may come from ("" when unset).
  bool secure_cookies = false;
  std::string_view public_origin;
  std::chrono::steady_clock::time_point received_at = std::chrono::steady_clock::now();

  std::string_view header(std::string_view name) const;   // "" when absent
  std::string_view query_param(std::string_view name) const;
  std::string_view path_param(std::string_view name) const;
  std::string_view cookie(std::string_view name) const;
  bool wants_json() const;  // an /api/ path, or Accept prefers application/json
  std::string_view bearer_token() const;  // from "Authorization: Bearer <token>", or "" 
};

// The name of one of the platform's cookies ("hocvu_session") for this request: "__Host-hocvu_session"
// when cookies are secure, so that no other site or subdomain can set it.
std::string cookie_name(const Request& req, std::string_view base);
// A Set-Cookie value: name=value; Path=/; `attributes`; and Secure when cookies are secure.
std::string set_cookie(const Request& req, std::string_view base, std::string_view value, std::string_view attributes);

// A file, or a byte range of one, streamed from disk in chunks without holding it in memory.
struct FileBody {
  std::string path;
  std::uint64_t offset = 0;  // first byte to send
  std::uint64_t length = 0;  // bytes to send
};

struct Response {
  int status = 200;
  Fields headers;
  std::string body;
  // A shared, immutable body (cached static files): sent without copying; wins over `body`.
  std::shared_ptr<const std::string> shared_body;
  std::optional<FileBody> file;  // wins over both
  bool close_connection = false;
  // The server holds the response back this long before sending it, without holding a thread
  // (sign-in attempts from an address over its failure budget). App::handle ignores it.
  std::chrono::milliseconds delay{0};

  Response& set_header(std::string_view name, std::string_view value);  // replaces
  Response& add_header(std::string_view name, std::string_view value);  // appends (Set-Cookie)
  std::string_view header(std::string_view name) const;
  std::string_view body_view() const { return shared_body ? std::string_view(*shared_body) : std::string_view(body); }
  std::uint64_t body_size() const { return file ? file->length : body_view().size(); }

  static Response text(int status, std::string body, std::string_view content_type = "text/plain; charset=utf-8");
  static Response html(int status, std::string body);
  static Response json(int status, std::string body);
};

// The standard reason phrase ("Not Found"), or "Unknown".
std::string_view reason_phrase(int status);

}  // namespace hocvu::web
