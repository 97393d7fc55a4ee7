// Maps a method and a decoded path to a handler. Patterns are literal segments, "{name}" for one
// segment, and a final "{*name}" for the rest of the path: "/api/v1/frameworks/{code}",
// "/static/{*path}". Literal routes win over parameter routes. HEAD is served by GET routes.
// Routes are added at start-up; match() is then safe from any number of threads.
#pragma once

#include "web/http.h"

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace hocvu::web {

// Where a handler runs. I/O threads must never wait on a database or a disk: a handler that might
// is `blocking` and runs on the worker pool, so other connections' I/O carries on meanwhile. A
// handler that hashes or verifies a password (argon2id: tens of milliseconds of a core and 19 MiB)
// is `hashing` and runs on a small pool of its own with a bounded queue (HOCVU_HASHING_THREADS,
// HOCVU_HASHING_QUEUE; beyond it the server answers 503), so a burst of sign-ins never occupies the
// workers that save exam answers. Both blocking and hashing handlers may touch the database.
enum class Execution { io, blocking, hashing };

using Handler = std::function<Response(Request&)>;

// Decides from the request head alone (method, path, headers, the signed-in person) whether an
// upload may go on: the response to refuse it with (401, 403, 404, ...), or nullopt to read its
// body. It runs on the worker pool before any body byte is read, so nobody can make the server
// buffer an upload they may not send.
using Gate = std::function<std::optional<Response>(Request&)>;

struct Route {
  std::string method;
  std::string pattern;
  Handler handler;
  Execution execution = Execution::blocking;
  std::size_t max_body = 0;  // largest body this route reads; 0: the server's HOCVU_MAX_BODY_BYTES
  Gate gate;                 // uploads: who may send the body, decided before it is read
  std::size_t index = 0;  // position in routes(), for per-route metrics
  // The media type of this route's request body when it is not JSON ("text/csv"), or "*" for an
  // upload whose handler reads its own types. Under /api/ the App refuses any other body with 415.
  std::string body_type;
};

struct RouteMatch {
  const Route* route = nullptr;       // null when nothing matched
  Fields params;
  std::vector<std::string> allowed;   // when the path matched but the method did not (405)
};

class Router {
 public:
  // Adds a route; a duplicate method and pattern, or a malformed pattern, throws std::logic_error
  // (a programming error, found at start-up).
  // Returns the route, to declare more about it (body_type) at once; the reference is valid until
  // the next add.
  Route& add(std::string method, std::string pattern, Handler handler, Execution execution = Execution::blocking);
  // The same for a route that reads larger bodies (uploads) of its own types: up to `max_body` bytes,
  // and only once `gate` has admitted the caller from the request head. Every upload route says who
  // may upload.
  void add_upload(std::string method, std::string pattern, Handler handler, std::size_t max_body, Gate gate);

  RouteMatch match(std::string_view method, std::string_view path) const;

  const std::vector<Route>& routes() const { return routes_; }

 private:
  struct Compiled {
    std::vector<std::string> segments;  // literal, "{name}", or "{*name}" (last only)
    int literal_score = 0;              // literal segments count, to prefer specific routes
  };
  static bool match_path(const Compiled& c, std::string_view path, const std::vector<std::string_view>& parts,
                         Fields* params);

  std::vector<Route> routes_;
  std::vector<Compiled> compiled_;
};

}  // namespace hocvu::web
