#include "web/http.h"

namespace hocvu::web {
namespace {

std::string_view find(const Fields& fields, std::string_view name, bool case_insensitive) {
  for (const auto& [k, v] : fields)
    if (case_insensitive ? iequals(k, name) : k == name) return v;
  return {};
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x + 32);
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y + 32);
    if (x != y) return false;
  }
  return true;
}

std::string_view Request::header(std::string_view name) const { return find(headers, name, true); }
std::string_view Request::query_param(std::string_view name) const { return find(query, name, false); }
std::string_view Request::path_param(std::string_view name) const { return find(path_params, name, false); }

std::string cookie_name(const Request& req, std::string_view base) {
  return (req.secure_cookies ? "__Host-" : "") + std::string(base);
}

std::string set_cookie(const Request& req, std::string_view base, std::string_view value, std::string_view attributes) {
  std::string out = cookie_name(req, base);
  out += '=';
  out += value;
  out += "; Path=/";
  if (!attributes.empty()) {
    out += "; ";
    out += attributes;
  }
  if (req.secure_cookies) out += "; Secure";
  return out;
}

std::string_view Request::cookie(std::string_view name) const {
  std::string_view all = header("Cookie");
  while (!all.empty()) {
    auto semi = all.find(';');
    std::string_view pair = trim(all.substr(0, semi));
    auto eq = pair.find('=');
    if (eq != std::string_view::npos && trim(pair.substr(0, eq)) == name) return trim(pair.substr(eq + 1));
    if (semi == std::string_view::npos) break;
    all.remove_prefix(semi + 1);
  }
  return {};
}

std::string_view Request::bearer_token() const {
  std::string_view auth = header("Authorization");
  if (auth.size() > 7 && iequals(auth.substr(0, 7), "Bearer ")) return trim(auth.substr(7));
  return {};
}

bool Request::wants_json() const {
  if (path.rfind("/api/", 0) == 0) return true;
  std::string_view accept = header("Accept");
  auto json = accept.find("application/json");
  auto html = accept.find("text/html");
  return json != std::string_view::npos && (html == std::string_view::npos || json < html);
}

Response& Response::set_header(std::string_view name, std::string_view value) {
  for (auto& [k, v] : headers)
    if (iequals(k, name)) { v = std::string(value); return *this; }
  headers.emplace_back(std::string(name), std::string(value));
  return *this;
}

Response& Response::add_header(std::string_view name, std::string_view value) {
  headers.emplace_back(std::string(name), std::string(value));
  return *this;
}

std::string_view Response::header(std::string_view name) const { return find(headers, name, true); }

Response Response::text(int status, std::string body, std::string_view content_type) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  r.set_header("Content-Type", content_type);
  return r;
}
Response Response::html(int status, std::string body) { return text(status, std::move(body), "text/html; charset=utf-8"); }
Response Response::json(int status, std::string body) { return text(status, std::move(body), "application/json; charset=utf-8"); }

std::string_view reason_phrase(int status) {
  switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 206: return "Partial Content";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 303: return "See Other";
    case 304: return "Not Modified";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 413: return "Content Too Large";
    case 416: return "Range Not Satisfiable";
    case 417: return "Expectation Failed";
    case 422: return "Unprocessable Content";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    default: return "Unknown";
  }
}

}  // namespace hocvu::web
