#include "web/app.h"

#include "core/address.h"
#include "core/json.h"
#include "core/log.h"
#include "web/compression.h"
#include "web/request_target.h"

#include <sodium.h>

#include <exception>

namespace hocvu::web {
namespace {

constexpr std::string_view kContentSecurityPolicy =
    "default-src 'self'; img-src 'self' data:; media-src 'self'; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

// Compressing tiny bodies costs more than it saves.
constexpr std::size_t kMinCompress = 1024;

std::string new_request_id() {
  // Not a secret: a fast per-thread generator seeded once from the system's randomness.
  thread_local std::uint64_t state = [] {
    std::uint64_t s = 0;
    while (s == 0) randombytes_buf(&s, sizeof s);
    return s;
  }();
  state ^= state << 13;
  state ^= state >> 7;
  state ^= state << 17;
  static const char* digits = "0123456789abcdef";
  std::string id(16, '0');
  std::uint64_t v = state;
  for (int i = 15; i >= 0; --i, v >>= 4) id[static_cast<std::size_t>(i)] = digits[v & 15];
  return id;
}

// Adds a name to Vary, keeping the ones there (a page varies by language and by encoding).
void add_vary(Response& res, std::string_view name) {
  std::string_view current = res.header("Vary");
  if (current.empty()) { res.set_header("Vary", name); return; }
  if (current.find(name) != std::string_view::npos) return;
  res.set_header("Vary", std::string(current) + ", " + std::string(name));
}

bool acceptable_request_id(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  for (char c : id)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.')) return false;
  return true;
}

std::string_view error_code_for(int status) {
  switch (status) {
    case 400: return "bad_request";
    case 401: return "unauthorized";
    case 403: return "forbidden";
    case 404: return "not_found";
    case 405: return "method_not_allowed";
    case 408: return "request_timeout";
    case 409: return "conflict";
    case 413: return "payload_too_large";
    case 416: return "range_not_satisfiable";
    case 422: return "invalid_field";
    case 429: return "throttled";
    case 431: return "header_too_large";
    case 503: return "unavailable";
    default: return status >= 500 ? "internal" : "bad_request";
  }
}

// Catalog keys are dotted ("home.title"); templates name them the same way ({{t.home.title}}),
// which mustache reads as nested objects, so the flat catalog is folded into a tree.
struct KeyTree {
  std::string text;
  std::map<std::string, KeyTree> children;
  Data to_data() const {
    if (children.empty()) return Data(text);
    Data d{Data::type::object};
    for (const auto& [k, child] : children) d.set(k, child.to_data());
    return d;
  }
};

Data catalog_tree(const Catalogs& catalogs, const std::string& lang) {
  KeyTree root;
  for (const auto& [key, text] : catalogs.all(lang)) {
    KeyTree* node = &root;
    std::string_view rest = key;
    for (;;) {
      auto dot = rest.find('.');
      node = &node->children[std::string(rest.substr(0, dot))];
      if (dot == std::string_view::npos) break;
      rest.remove_prefix(dot + 1);
    }
    node->text = text;
  }
  return root.to_data();
}

Data language_layer(const Catalogs& catalogs, const StaticFiles& files, const std::string& lang) {
  Data t = catalog_tree(catalogs, lang);
  Data layer{Data::type::object};
  layer.set("t", t);
  layer.set("lang", lang);
  layer.set("css_url", files.url("css/app.css"));
  layer.set("js_url", files.url("js/app.js"));
  layer.set("learning_js_url", files.url("js/learning.js"));
  layer.set("icon_url", files.url("img/icon.svg"));
  // The language switch offers the other language.
  std::string other = lang == "vi" ? "en" : "vi";
  layer.set("other_lang", other);
  layer.set("other_lang_name", catalogs.get(other, "lang.name"));
  return layer;
}

// Every value of header `name`, joined by ", " (a proxy chain may send several lines).
std::string joined_header(const Request& req, std::string_view name) {
  std::string out;
  for (const auto& [k, v] : req.headers)
    if (iequals(k, name)) {
      if (!out.empty()) out += ", ";
      out += v;
    }
  return out;
}

bool writes(std::string_view method) { return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE"; }

// The media type of a Content-Type, without parameters ("text/csv; charset=utf-8" -> "text/csv").
std::string_view media_type(std::string_view content_type) {
  auto type = content_type.substr(0, content_type.find(';'));
  while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.remove_suffix(1);
  return type;
}

bool media_type_is(std::string_view content_type, std::string_view expected) { return iequals(media_type(content_type), expected); }

// application/json, or any application/...+json, with or without parameters.
bool json_media_type(std::string_view content_type) {
  auto type = media_type(content_type);
  if (iequals(type, "application/json")) return true;
  return type.size() > 17 && iequals(type.substr(0, 12), "application/") && iequals(type.substr(type.size() - 5), "+json");
}

}  // namespace

Result<std::unique_ptr<App>> App::create(const Config& config) {
  std::unique_ptr<App> app(new App(config));
  auto catalogs = Catalogs::load(config.web_dir + "/i18n");
  if (!catalogs) return catalogs.status();
  app->catalogs_ = std::move(*catalogs);
  auto templates = Templates::load(config.web_dir + "/templates");
  if (!templates) return templates.status();
  app->templates_ = std::move(*templates);
  for (auto name : {"layout", "error"})
    if (!app->templates_.has(name)) return Error(ErrorCode::invalid_argument, std::string("missing template ") + name);
  auto files = StaticFiles::load(config.web_dir + "/static");
  if (!files) return files.status();
  app->static_files_ = std::move(*files);
  for (const auto& lang : app->catalogs_.languages())
    app->lang_layers_[lang] = language_layer(app->catalogs_, app->static_files_, lang);
  return app;
}

void App::seal() {
  std::vector<std::string> names;
  for (const auto& r : router_.routes()) names.push_back(r.pattern);
  metrics_ = std::make_unique<Metrics>(std::move(names));
}

Prepared App::begin(Request& req) const {
  Prepared p;
  req.secure_cookies = config_.secure_cookies();
  req.public_origin = config_.public_url;
  if (!config_.trusted_proxies.empty())
    req.remote_address = client_address(req.remote_address, joined_header(req, "X-Forwarded-For"),
                                        joined_header(req, "Forwarded"), config_.trusted_proxies);
  std::string_view incoming = req.header("X-Request-Id");
  req.request_id = acceptable_request_id(incoming) ? std::string(incoming) : new_request_id();

  auto target = parse_request_target(req.target);
  if (!target) {
    req.path = "/";
    p.early = Response::text(400, "");
    return p;
  }
  req.path = std::move(target->path);
  req.query = std::move(target->query);

  std::string_view asked = req.query_param("lang");
  req.lang = choose_language(catalogs_, asked, req.cookie("lang"), req.header("Accept-Language"));
  p.set_lang_cookie = catalogs_.supports(asked) && req.cookie("lang") != asked;

  auto match = router_.match(req.method, req.path);
  if (!match.route) {
    Response r = Response::text(match.allowed.empty() ? 404 : 405, "");
    if (!match.allowed.empty()) {
      std::string allow;
      for (const auto& m : match.allowed) allow += (allow.empty() ? "" : ", ") + m;
      r.set_header("Allow", allow);
    }
    p.early = std::move(r);
    return p;
  }
  p.route = match.route;
  p.execution = match.route->execution;
  p.max_body = match.route->max_body ? match.route->max_body : config_.max_body_bytes;
  req.path_params = std::move(match.params);
  req.route_name = match.route->pattern;
  return p;
}

std::optional<Response> App::admit(const Prepared& p, Request& req) const {
  if (p.early || !p.route || !p.route->gate) return std::nullopt;
  try {
    if (authenticate_ && !req.identified) authenticate_(req);
    req.identified = true;
    // An upload that a cookie authenticates must come from this site, like every cookie write.
    std::optional<Response> refused;
    if (req.path.starts_with("/api/") && req.cookie_authenticated && !origin_ok(req))
      refused = api_error(403, "forbidden", "Yêu cầu này đến từ một trang web khác nên bị từ chối.");
    else
      refused = p.route->gate(req);
    if (refused) refused->close_connection = true;  // the unread body must not be taken for a request
    return refused;
  } catch (const std::exception& e) {
    log_error("gate failed", {{"request_id", req.request_id}, {"route", req.route_name}, {"error", e.what()}});
    Response res = Response::text(500, "");
    res.close_connection = true;
    return res;
  }
}

Response App::run(const Prepared& p, Request& req) const {
  if (p.early) return *p.early;
  try {
    const bool api_write = req.path.starts_with("/api/") && writes(req.method);
    // Every API body is JSON, or of the type its route declares (an upload reads its own types).
    if (api_write && !req.body.empty()) {
      const std::string& declared = p.route->body_type;
      std::string_view type = req.header("Content-Type");
      if (declared.empty() && !json_media_type(type))
        return api_error(415, "unsupported_media_type", "Nội dung gửi lên phải là JSON (Content-Type: application/json).");
      if (!declared.empty() && declared != "*" && !media_type_is(type, declared))
        return api_error(415, "unsupported_media_type", "Nội dung gửi lên phải có Content-Type: " + declared + ".");
    }
    if (authenticate_ && p.execution != Execution::io && !req.identified) authenticate_(req);
    req.identified = true;
    // A browser sends its cookies to this site whoever made the page: a write that a cookie
    // authenticates must come from this site, as forms must.
    if (api_write && req.cookie_authenticated && !origin_ok(req))
      return api_error(403, "forbidden",
                       "Yêu cầu này đến từ một trang web khác nên bị từ chối. Hãy thao tác trên chính trang HọcVụ, "
                       "hoặc dùng khóa API (Authorization: Bearer).");
    return p.route->handler(req);
  } catch (const std::exception& e) {
    log_error("handler failed", {{"request_id", req.request_id}, {"route", req.route_name}, {"error", e.what()}});
  } catch (...) {
    log_error("handler failed", {{"request_id", req.request_id}, {"route", req.route_name}});
  }
  return Response::text(500, "");
}

Response App::busy(const Request& req, std::chrono::seconds retry_after) const {
  Response res = Response::text(503, "");
  res.set_header("Retry-After", std::to_string(retry_after.count()));
  fill_error(req, res, "error.busy", "busy");
  return res;
}

void App::fill_error(const Request& req, Response& res, std::string_view named, std::string_view named_code) const {
  if (res.status < 400 || !res.body.empty() || res.shared_body || res.file) return;
  const std::string key = "error." + std::to_string(res.status);
  const bool known = catalogs_.all("vi").contains(key + ".title");
  const std::string base = !named.empty() ? std::string(named) : known ? key : (res.status >= 500 ? "error.500" : "error.400");
  if (req.wants_json()) {
    // The API speaks Vietnamese first, whatever the client's language (docs/api.md).
    std::string_view code = !named_code.empty() ? named_code : error_code_for(res.status);
    Response json = api_error(res.status, code, catalogs_.get("vi", base + ".message"));
    json.headers = std::move(res.headers);
    json.set_header("Content-Type", "application/json; charset=utf-8");
    json.close_connection = res.close_connection;
    res = std::move(json);
    return;
  }
  Data data{Data::type::object};
  data.set("status", std::to_string(res.status));
  data.set("heading", catalogs_.get(req.lang, base + ".title"));
  data.set("message", catalogs_.get(req.lang, base + ".message"));
  data.set("request_id", req.request_id);
  Response html = page(req, "error", catalogs_.get(req.lang, base + ".title"), data, res.status);
  for (auto& h : res.headers) html.set_header(h.first, h.second);
  html.set_header("Content-Type", "text/html; charset=utf-8");
  html.set_header("Cache-Control", "no-store");
  html.close_connection = res.close_connection;
  res = std::move(html);
}

void App::finish(const Request& req, const Prepared& p, Response& res) {
  fill_error(req, res);
  res.set_header("X-Request-Id", req.request_id);
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("Referrer-Policy", "strict-origin-when-cross-origin");
  res.set_header("X-Frame-Options", "DENY");
  res.set_header("Cross-Origin-Opener-Policy", "same-origin");
  res.set_header("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
  std::string_view ct = res.header("Content-Type");
  if (res.header("Content-Security-Policy").empty()) {  // a handler may set a stricter one (media)
    if (ct.starts_with("text/html")) res.set_header("Content-Security-Policy", kContentSecurityPolicy);
    else res.set_header("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
  }
  if (p.set_lang_cookie && !req.wants_json())
    res.add_header("Set-Cookie", "lang=" + req.lang + "; Path=/; Max-Age=31536000; SameSite=Lax");

  // Compress text built per request (cached assets arrive already compressed). Whether or not
  // this response is compressed, another client's may be: caches must key on Accept-Encoding.
  const bool compressible = !res.file && !res.shared_body && res.body.size() >= kMinCompress && is_compressible(ct);
  if (compressible) add_vary(res, "Accept-Encoding");
  if (!res.file && !res.shared_body && res.body.size() >= kMinCompress && res.status != 206 &&
      res.header("Content-Encoding").empty() && is_compressible(ct) && accepts_gzip(req.header("Accept-Encoding"))) {
    res.body = gzip(res.body, 1);  // per request: speed over the last few percent of size
    res.set_header("Content-Encoding", "gzip");
    add_vary(res, "Accept-Encoding");
  }

  auto took = std::chrono::steady_clock::now() - req.received_at;
  std::size_t index = p.route ? p.route->index : (res.status == 400 ? metrics_->refused_index() : metrics_->unmatched_index());
  metrics_->record(index, req.method, res.status, took);
  if (config_.access_log) access_log(req, res, index, took);
}

Response App::handle(Request& req) {
  Prepared p = begin(req);
  auto refused = admit(p, req);
  Response res = refused ? std::move(*refused) : run(p, req);
  finish(req, p, res);
  return res;
}

Response App::refuse(Request& req, int status) {
  if (req.request_id.empty()) req.request_id = new_request_id();
  if (req.path.empty()) {
    auto target = parse_request_target(req.target);
    req.path = target ? target->path : "/";
  }
  req.lang = choose_language(catalogs_, "", req.cookie("lang"), req.header("Accept-Language"));
  Prepared p;
  Response res = Response::text(status, "");
  res.close_connection = true;
  finish(req, p, res);
  return res;
}

bool App::csrf_ok(const Request& req, const Fields& form) {
  std::string_view cookie = req.cookie(cookie_name(req, kCsrfCookie));
  std::string_view sent;
  for (const auto& [k, v] : form)
    if (k == "csrf") sent = v;
  if (cookie.size() < 32 || cookie.size() != sent.size() || sodium_memcmp(cookie.data(), sent.data(), cookie.size()) != 0)
    return false;
  return origin_ok(req);
}

bool App::origin_ok(const Request& req) {
  std::string_view origin = req.header("Origin");
  if (origin.empty()) return true;
  if (origin == "null") return false;
  if (!req.public_origin.empty() && origin == req.public_origin) return true;
  std::string_view host = req.header("Host");
  if (host.empty()) return false;
  return origin == "http://" + std::string(host) || origin == "https://" + std::string(host);
}

Response App::page(const Request& req, std::string_view template_name, std::string_view title, const Data& data,
                   int status) const {
  auto layer = lang_layers_.find(req.lang);
  if (layer == lang_layers_.end()) layer = lang_layers_.find(kDefaultLang);
  // What every page may need about this request: the signed-in person, the CSRF token for forms.
  std::string csrf(req.cookie(cookie_name(req, kCsrfCookie)));
  bool new_csrf = csrf.size() != 43;
  if (new_csrf) {
    unsigned char raw[32];
    randombytes_buf(raw, sizeof raw);
    char b64[sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
    sodium_bin2base64(b64, sizeof b64, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    csrf = b64;
  }
  Data request_layer{Data::type::object};
  request_layer.set("csrf", csrf);
  if (req.user_id) request_layer.set("user_name", req.user_name);
  if (menu_) {
    // The header's menu; the link to the page being shown (or the section it is under) is marked.
    Data links{Data::type::list};
    for (const auto& link : menu_(req)) {
      Data item{Data::type::object};
      item.set("href", link.href);
      item.set("label", catalogs_.get(req.lang, link.label_key));
      if (req.path == link.href || req.path.starts_with(link.href + "/")) item.set("current", true);
      links.push_back(item);
    }
    request_layer.set("menu", links);
  }
  auto body = templates_.render(template_name, data, {&request_layer, &layer->second});
  if (!body) {
    log_error("template failed", {{"template", template_name}, {"error", body.status().message()}});
    return Response::html(500, "<!doctype html><title>500</title><p>Lỗi máy chủ / Server error</p>");
  }
  Data frame{Data::type::object};
  frame.set("title", std::string(title));
  frame.set("content", std::move(*body));
  frame.set("request_id", req.request_id);
  frame.set("path", req.path);
  auto html = templates_.render("layout", frame, {&request_layer, &layer->second});
  if (!html) return Response::html(500, "<!doctype html><title>500</title><p>Lỗi máy chủ / Server error</p>");
  Response r = Response::html(status, std::move(*html));
  if (new_csrf)
    r.add_header("Set-Cookie", set_cookie(req, kCsrfCookie, csrf, "HttpOnly; SameSite=Strict"));
  // Pages show who is signed in and carry CSRF tokens: never cache them where others could see.
  r.set_header("Cache-Control", req.user_id ? "private, no-store" : "no-cache");
  r.set_header("Content-Language", req.lang);
  r.set_header("Vary", "Accept-Language, Cookie");
  return r;
}

Response App::api_error(int status, std::string_view code, std::string_view message, const FieldErrors& fields) {
  std::string body = "{\"error\":{\"code\":";
  append_json_string(body, code);
  body += ",\"message\":";
  append_json_string(body, message);
  if (!fields.empty()) {
    body += ",\"fields\":{";
    bool first = true;
    for (const auto& [name, msg] : fields) {
      if (!first) body += ',';
      first = false;
      append_json_string(body, name);
      body += ':';
      append_json_string(body, msg);
    }
    body += '}';
  }
  body += "}}";
  return Response::json(status, std::move(body));
}

void App::access_log(const Request& req, const Response& res, std::size_t, std::chrono::nanoseconds took) const {
  std::string line;
  line.reserve(256);
  line += "{\"ts\":\"";
  line += utc_timestamp();
  line += "\",\"level\":\"info\",\"msg\":\"request\",\"request_id\":";
  append_json_string(line, req.request_id);
  line += ",\"method\":";
  append_json_string(line, req.method);
  line += ",\"path\":";
  append_json_string(line, req.path);
  line += ",\"route\":";
  append_json_string(line, req.route_name);
  line += ",\"status\":" + std::to_string(res.status);
  line += ",\"bytes\":" + std::to_string(res.body_size());
  char ms[32];
  std::snprintf(ms, sizeof ms, "%.3f", std::chrono::duration<double, std::milli>(took).count());
  line += ",\"duration_ms\":";
  line += ms;
  line += ",\"remote\":";
  append_json_string(line, req.remote_address);
  line += "}";
  log_raw_line(line);
}

Data form_errors(const FieldErrors& errors) {
  Data d{Data::type::object};
  Data by_field{Data::type::object};
  Data summary{Data::type::list};
  for (const auto& [f, m] : errors) {
    by_field.set(f, m);
    Data item{Data::type::object};
    item.set("field", f);
    item.set("message", m);
    summary.push_back(item);
  }
  d.set("e", by_field);
  if (!errors.empty()) {
    d.set("errors", summary);
    d.set("has_errors", true);
  }
  return d;
}

}  // namespace hocvu::web
