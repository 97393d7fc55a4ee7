#include "support/http_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>
#include <strings.h>

namespace hocvu::testing {

std::string HttpResponse::header(const std::string& name) const {
  for (auto& [k, v] : headers)
    if (strcasecmp(k.c_str(), name.c_str()) == 0) return v;
  return {};
}

Connection::Connection(int port) {
  fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
    throw std::runtime_error("connect to port " + std::to_string(port) + " failed");
}

Connection::~Connection() { if (fd_ >= 0) close(fd_); }

void Connection::send_raw(const std::string& bytes) {
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    ssize_t n = send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) throw std::runtime_error("send failed");
    sent += static_cast<std::size_t>(n);
  }
}

static bool read_more(int fd, std::string& buffer, std::chrono::steady_clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
  if (left <= 0) throw std::runtime_error("timed out waiting for the server");
  pollfd p{fd, POLLIN, 0};
  if (poll(&p, 1, static_cast<int>(left)) <= 0) throw std::runtime_error("timed out waiting for the server");
  char buf[16384];
  ssize_t n = recv(fd, buf, sizeof buf, 0);
  if (n <= 0) return false;
  buffer.append(buf, static_cast<std::size_t>(n));
  return true;
}

HttpResponse Connection::read_response(bool head, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  std::size_t end;
  while ((end = buffer_.find("\r\n\r\n")) == std::string::npos)
    if (!read_more(fd_, buffer_, deadline)) throw std::runtime_error("connection closed before a response");
  HttpResponse r;
  std::string head_text = buffer_.substr(0, end);
  buffer_.erase(0, end + 4);
  std::size_t line_end = head_text.find("\r\n");
  std::string status_line = head_text.substr(0, line_end);
  if (status_line.size() < 12) throw std::runtime_error("bad status line: " + status_line);
  r.status = std::stoi(status_line.substr(9, 3));
  std::size_t pos = line_end == std::string::npos ? head_text.size() : line_end + 2;
  while (pos < head_text.size()) {
    std::size_t e = head_text.find("\r\n", pos);
    if (e == std::string::npos) e = head_text.size();
    std::string line = head_text.substr(pos, e - pos);
    auto colon = line.find(':');
    if (colon != std::string::npos) {
      std::string v = line.substr(colon + 1);
      while (!v.empty() && v.front() == ' ') v.erase(0, 1);
      r.headers.emplace_back(line.substr(0, colon), v);
    }
    pos = e + 2;
  }
  if (head || r.status == 304 || r.status == 204 || r.status < 200) return r;
  std::string cl = r.header("Content-Length");
  if (!cl.empty()) {
    std::size_t n = std::stoul(cl);
    while (buffer_.size() < n)
      if (!read_more(fd_, buffer_, deadline)) throw std::runtime_error("connection closed mid-body");
    r.body = buffer_.substr(0, n);
    buffer_.erase(0, n);
  } else {
    while (read_more(fd_, buffer_, deadline)) {}
    r.body = std::move(buffer_);
    buffer_.clear();
  }
  return r;
}

bool Connection::closed_by_peer(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  try {
    while (read_more(fd_, buffer_, deadline)) {}
    return true;
  } catch (const std::runtime_error&) {
    return false;
  }
}

HttpResponse Connection::request(const std::string& method, const std::string& target,
                                 const std::map<std::string, std::string>& headers, const std::string& body) {
  std::string req = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  for (auto& [k, v] : headers) req += k + ": " + v + "\r\n";
  if (!body.empty() || method == "POST" || method == "PUT") req += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  req += "\r\n" + body;
  send_raw(req);
  return read_response(method == "HEAD");
}

HttpResponse http_get(int port, const std::string& target, const std::map<std::string, std::string>& headers) {
  Connection c(port);
  return c.request("GET", target, headers);
}

}  // namespace hocvu::testing
