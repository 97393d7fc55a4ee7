// What the black-box API tests share: one call with a bearer token, a JSON body read leniently,
// registering a person and signing in through the public API.
#pragma once

#include "support/http_client.h"
#include "support/server_process.h"

#include <boost/json.hpp>

#include <cstdlib>
#include <map>
#include <string>

namespace hocvu::testing {

inline HttpResponse call(int port, const std::string& method, const std::string& path, const std::string& token,
                         const std::string& body = "", const std::string& content_type = "application/json") {
  Connection c(port);
  std::map<std::string, std::string> h;
  if (!token.empty()) h["Authorization"] = "Bearer " + token;
  if (!body.empty()) h["Content-Type"] = content_type;
  return c.request(method, path, h, body);
}

// The response body as JSON; null when it is not JSON.
inline boost::json::value parse(const HttpResponse& r) {
  boost::system::error_code ec;
  auto v = boost::json::parse(r.body, ec);
  return ec ? boost::json::value() : v;
}

// Registers a person of unit 01 with the password "Hoc-vu-so!"; their id, or "" when refused.
inline std::string register_person(int port, const std::string& cccd, const std::string& phone, const std::string& name,
                                   const std::string& group) {
  std::string body = R"({"full_name":")" + name + R"(","national_id":")" + cccd + R"(","phone":")" + phone +
                     R"(","password":"Hoc-vu-so!","birth_date":"1999-05-01","target_group":")" + group +
                     R"(","unit_code":"01"})";
  auto r = call(port, "POST", "/api/v1/accounts", "", body);
  if (r.status != 201) return {};
  return std::to_string(parse(r).at("id").as_int64());
}

// A session token for the login; "" when sign-in fails.
inline std::string token_for(int port, const std::string& login, const std::string& password = "Hoc-vu-so!") {
  auto r = call(port, "POST", "/api/v1/sessions", "", R"({"login":")" + login + R"(","password":")" + password + R"("})");
  if (r.status != 201) return {};
  return std::string(parse(r).at("token").as_string());
}

// The environment a `hocvu` command needs to work on `server`'s database: its data directory and,
// on PostgreSQL runs, the test database.
inline std::map<std::string, std::string> command_env(const ServerProcess& server) {
  std::map<std::string, std::string> env{{"HOCVU_DATA_DIR", server.data_dir()}};
  if (const char* url = std::getenv("HOCVU_TEST_DATABASE_URL"); url && *url) env["HOCVU_DATABASE_URL"] = url;
  return env;
}

// `hocvu create-admin` for a national administrator living in unit 01; the command's result.
inline RunResult create_admin(const std::map<std::string, std::string>& env, const std::string& login, const std::string& name,
                              const std::string& password) {
  return run_command({"/bin/sh", "-c", "printf '%s\\n' \"$ADMIN_PASSWORD\" | \"$HOCVU_BINARY\" create-admin --login " + login +
                                           " --name \"$ADMIN_NAME\" --unit 01"},
                     [&] {
                       auto e = env;
                       e["ADMIN_PASSWORD"] = password;
                       e["ADMIN_NAME"] = name;
                       return e;
                     }());
}

}  // namespace hocvu::testing
