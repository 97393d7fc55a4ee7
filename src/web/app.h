// The web application as a plain object: a request in, a response out, with no sockets. The
// server (src/server/) owns the network and calls begin() then run() then finish() for each
// request; tests call handle() directly.
//
// begin() validates the target, resolves the client's address (behind HOCVU_TRUSTED_PROXIES), picks
// the language and the route, and says where the handler must run (Execution::blocking handlers go
// to the worker pool). run() applies the API prologue (a body under /api/ is JSON unless the route is
// an upload; a write authenticated by cookie passes the Origin check), calls the handler, and turns
// exceptions into 500s. finish() fills empty error responses with an error page or an API
// error body, adds security headers, compresses, records metrics and writes the access log.
#pragma once

#include "core/config.h"
#include "web/http.h"
#include "web/i18n.h"
#include "web/metrics.h"
#include "web/router.h"
#include "web/static_files.h"
#include "web/templates.h"

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace hocvu::web {

struct Prepared {
  const Route* route = nullptr;
  std::optional<Response> early;  // a response decided before any handler (400, 404, 405)
  Execution execution = Execution::io;
  bool set_lang_cookie = false;
  std::size_t max_body = 0;  // the body limit for this request's route (0 before routing)
};

// One link of the site's menu (the header's navigation): where it goes and the catalog key of its
// label. Which links a person sees is the site's decision (site/navigation.h), not the web layer's.
struct MenuLink {
  std::string href;       // "/courses"
  std::string label_key;  // "nav.courses"
  friend bool operator==(const MenuLink&, const MenuLink&) = default;
};

// One field's error for the API error body and for forms.
using FieldErrors = std::vector<std::pair<std::string, std::string>>;

// The errors of a form for its template: e.<field> beside each field, and `errors` (with
// `has_errors`) for the summary at the top (partials/error_summary.mustache).
Data form_errors(const FieldErrors& errors);

class App {
 public:
  // Loads templates, catalogs and static files from config.web_dir. Routes are added after.
  static Result<std::unique_ptr<App>> create(const Config& config);

  Router& router() { return router_; }
  const Catalogs& catalogs() const { return catalogs_; }
  const StaticFiles& static_files() const { return static_files_; }
  const Config& config() const { return config_; }
  Metrics& metrics() { return *metrics_; }

  // Call once all routes are added (sizes the per-route metrics).
  void seal();

  // Resolves the signed-in person (Request::user_id, user_name, session_token) from the request's
  // cookie or bearer token. Runs before every blocking handler; it may touch the database.
  void set_authenticator(std::function<void(Request&)> authenticate) { authenticate_ = std::move(authenticate); }

  // The links of the header's menu for this request. page() calls it for every page it renders;
  // it may touch the database only when req.user_id is set (the authenticator has run, so page()
  // runs where blocking is allowed). Without it, pages show no menu links.
  void set_menu(std::function<std::vector<MenuLink>(const Request&)> menu) { menu_ = std::move(menu); }

  // The CSRF token of this browser (the hocvu_csrf cookie, __Host-hocvu_csrf over https), for
  // forms. page() sets the cookie when the browser has none.
  static constexpr std::string_view kCsrfCookie = "hocvu_csrf";
  // True when a state-changing form carries the browser's CSRF token (`csrf` field equal to the
  // cookie) and, when the browser says where it comes from (Origin), it comes from this site.
  static bool csrf_ok(const Request& req, const Fields& form);
  // True when the request says no Origin, or names this site (the Host it was sent to, or
  // HOCVU_PUBLIC_URL). Forms and cookie-authenticated API writes both pass it.
  static bool origin_ok(const Request& req);

  Prepared begin(Request& req) const;
  // For a route with a gate (uploads), after begin() and before the body is read: identifies the
  // caller and asks the gate. A response means refuse the request without reading its body.
  // Touches the database: call it where blocking is allowed (the worker pool).
  std::optional<Response> admit(const Prepared& p, Request& req) const;
  Response run(const Prepared& p, Request& req) const;
  void finish(const Request& req, const Prepared& p, Response& res);

  // All three in a row, on the calling thread (tests, benchmarks).
  Response handle(Request& req);

  // A response for a request the server refused before it was complete (malformed, too large,
  // timed out). `req` holds what was read (possibly nothing).
  Response refuse(Request& req, int status);

  // The answer to a request for a hashing route when the hashing pool's queue is full: 503 with
  // Retry-After, saying (error.busy in the catalogs) that many people are signing in at once. The
  // server sends it through finish() like any other response.
  Response busy(const Request& req, std::chrono::seconds retry_after) const;

  // --- helpers for handlers ---

  // Renders `template_name` inside the layout, in the request's language.
  Response page(const Request& req, std::string_view template_name, std::string_view title, const Data& data,
                int status = 200) const;

  // {"error": {"code": ..., "message": ..., "fields": {...}}} with `status`.
  static Response api_error(int status, std::string_view code, std::string_view message, const FieldErrors& fields = {});

  // The catalog text for `key` in the request's language.
  const std::string& text(const Request& req, std::string_view key) const { return catalogs_.get(req.lang, key); }

 private:
  explicit App(const Config& config) : config_(config) {}
  // Fills an empty error response with the error page or API error body; `base` names its catalog
  // texts (base.title, base.message; "" for error.<status>), `code` the API error code ("" for the
  // status's own).
  void fill_error(const Request& req, Response& res, std::string_view base = {}, std::string_view code = {}) const;
  void access_log(const Request& req, const Response& res, std::size_t route_index, std::chrono::nanoseconds took) const;

  Config config_;
  Router router_;
  Catalogs catalogs_;
  Templates templates_;
  StaticFiles static_files_;
  std::unique_ptr<Metrics> metrics_;
  std::map<std::string, Data, std::less<>> lang_layers_;  // per language: t.*, asset URLs
  std::function<void(Request&)> authenticate_;
  std::function<std::vector<MenuLink>(const Request&)> menu_;
};

}  // namespace hocvu::web
