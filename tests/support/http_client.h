// A deliberately small HTTP/1.1 client over plain sockets for black-box tests: it can send
// well-formed requests and also the malformed, oversized and slow ones that a real client won't.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace hocvu::testing {

struct HttpResponse {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string header(const std::string& name) const;  // case-insensitive, "" when absent
};

class Connection {
 public:
  explicit Connection(int port);
  ~Connection();
  Connection(const Connection&) = delete;

  void send_raw(const std::string& bytes);  // throws on failure
  // Reads one response (Content-Length or close-delimited; no chunked). `head` for HEAD requests.
  // Throws std::runtime_error on timeout or when the peer closes before a full response.
  HttpResponse read_response(bool head = false, std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // True when the server closes the connection within `timeout` (reads and discards data).
  bool closed_by_peer(std::chrono::milliseconds timeout);

  HttpResponse request(const std::string& method, const std::string& target,
                       const std::map<std::string, std::string>& headers = {}, const std::string& body = "");

 private:
  int fd_ = -1;
  std::string buffer_;
};

// One request on a fresh connection.
HttpResponse http_get(int port, const std::string& target, const std::map<std::string, std::string>& headers = {});

}  // namespace hocvu::testing
