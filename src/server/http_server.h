// The HTTP/1.1 server: Boost.Beast and Asio with C++20 coroutines. This file and its .cpp are the
// only ones that include Beast, so that a change anywhere else rebuilds in seconds.
//
// One I/O thread per configured thread (one per core by default), each running its own event
// loop; a connection lives on one loop and costs no thread while idle. Handlers marked blocking
// run on a separate worker pool so that a slow query never stalls other connections' I/O.
// Limits: header size (431), body size (413), an idle timeout for kept-alive connections, and a
// timeout for reading a request once it has begun and for writing the response (a slow client
// cannot hold the server). SIGTERM and SIGINT stop accepting, close idle connections, let
// requests in flight finish (up to the configured grace), then return from run().
#pragma once

#include "core/config.h"
#include "core/status.h"

#include <memory>
#include <string>

namespace hocvu::web { class App; }

namespace hocvu::server {

class HttpServer {
 public:
  HttpServer(web::App& app, const Config& config);
  ~HttpServer();

  // Binds the listening socket. Returns the bound address ("127.0.0.1:43125"), useful with port 0.
  Result<std::string> listen();

  // Serves until SIGTERM/SIGINT (or stop()), then shuts down gracefully and returns.
  void run();

  // Starts the same graceful shutdown as a signal; safe from any thread.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace hocvu::server
