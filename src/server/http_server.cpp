#include "server/http_server.h"

#include "core/log.h"
#include "web/app.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>

#include <array>
#include <atomic>
#include <ctime>
#include <list>
#include <thread>

namespace hocvu::server {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::awaitable;
using asio::use_awaitable;
using tcp = asio::ip::tcp;

// Reading the first bytes of a request allocates this much buffer; it is kept for the
// connection's life, so it bounds the memory an idle kept-alive connection holds.
constexpr std::size_t kFirstRead = 2048;

int status_for_read_error(const beast::error_code& ec) {
  if (ec == http::error::header_limit) return 431;
  if (ec == http::error::body_limit) return 413;
  // On a timeout tcp_stream has already closed the socket, so this answer is rarely delivered.
  if (ec == beast::error::timeout) return 408;
  return 400;
}

// False for a header name or value that could split the response (CR, LF; ':' or ' ' in a name).
// A plain loop: find_first_of with a character set calls memchr once per character of the value.
bool header_safe(std::string_view s, bool name) {
  for (char c : s)
    if (c == '\r' || c == '\n' || (name && (c == ':' || c == ' '))) return false;
  return true;
}

bool is_disconnect(const beast::error_code& ec) {
  return ec == http::error::end_of_stream || ec == asio::error::eof || ec == asio::error::connection_reset ||
         ec == asio::error::broken_pipe || ec == asio::error::operation_aborted || ec == asio::error::bad_descriptor;
}

}  // namespace

struct HttpServer::Impl {
  // A connection's entry in its loop's registry, so that shutdown can close the idle ones.
  struct Session {
    beast::tcp_stream* stream = nullptr;
    bool busy = false;  // between the first byte of a request and the end of its response
  };
  struct Loop {
    asio::io_context ioc{1};
    std::list<Session> sessions;  // touched only from this loop's thread
  };

  web::App& app;
  Config config;
  std::vector<std::unique_ptr<Loop>> loops;
  asio::thread_pool workers;
  std::unique_ptr<tcp::acceptor> acceptor;
  std::atomic<bool> stopping{false};
  std::atomic<long> open_connections{0};
  std::atomic<std::uint64_t> accepted_total{0};
  std::size_t next_loop = 0;

  Impl(web::App& a, const Config& c) : app(a), config(c), workers(c.db_pool_size) {
    for (unsigned i = 0; i < std::max(1u, c.threads); ++i) loops.push_back(std::make_unique<Loop>());
  }

  awaitable<void> accept_loop() {
    for (;;) {
      Loop& loop = *loops[next_loop++ % loops.size()];
      auto [ec, socket] = co_await acceptor->async_accept(loop.ioc, asio::as_tuple(use_awaitable));
      if (ec) {
        if (stopping || ec == asio::error::operation_aborted) co_return;
        // Out of file descriptors, for instance: log, breathe, carry on.
        log_warn("accept failed", {{"error", ec.message()}});
        asio::steady_timer pause(co_await asio::this_coro::executor, std::chrono::milliseconds(50));
        co_await pause.async_wait(asio::as_tuple(use_awaitable));
        continue;
      }
      ++accepted_total;
      socket.set_option(tcp::no_delay(true), ec);
      asio::co_spawn(loop.ioc, session(loop, std::move(socket)), asio::detached);
    }
  }

  static web::Request to_request(http::request<http::string_body>&& msg, const std::string& remote) {
    web::Request r;
    r.method = std::string(msg.method_string());
    r.target = std::string(msg.target());
    r.headers.reserve(16);
    for (const auto& f : msg) r.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
    r.body = std::move(msg.body());
    r.remote_address = remote;
    return r;
  }

  // Writes `res`; returns false when the connection must close afterwards. The head is written
  // by hand into one string and sent with the body in one gathered write: Beast's header container
  // allocates per field, which showed up as the largest cost of serving small cached files.
  awaitable<bool> write(beast::tcp_stream& stream, web::Response& res, bool head, unsigned version, bool keep_alive) {
    stream.expires_after(config.request_timeout);
    keep_alive = keep_alive && !res.close_connection && !stopping;
    beast::error_code ec;
    if (res.file && !head) {
      http::response<http::file_body> msg;
      msg.version(version);
      msg.result(static_cast<unsigned>(res.status));
      for (auto& [k, v] : res.headers) msg.insert(k, v);
      msg.set(http::field::date, http_date());
      msg.keep_alive(keep_alive);
      msg.body().open(res.file->path.c_str(), beast::file_mode::scan, ec);
      if (ec) {
        res = web::Response::text(500, "");
        co_return co_await write(stream, res, head, version, false);
      }
      msg.prepare_payload();
      std::tie(ec, std::ignore) = co_await http::async_write(stream, msg, asio::as_tuple(use_awaitable));
      co_return !ec && keep_alive;
    }
    const bool no_body = res.status == 204 || res.status == 304 || (res.status >= 100 && res.status < 200);
    std::string_view body = head || no_body ? std::string_view{} : res.body_view();
    std::string h;
    h.reserve(512);
    h += version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
    h += std::to_string(res.status);
    h += ' ';
    h += web::reason_phrase(res.status);
    h += "\r\n";
    for (auto& [k, v] : res.headers) {
      // A header value with CR or LF would split the response: never let one through.
      if (!header_safe(k, true) || !header_safe(v, false)) continue;
      h += k;
      h += ": ";
      h += v;
      h += "\r\n";
    }
    h += "Date: ";
    h += http_date();
    h += "\r\n";
    if (!no_body) {
      h += "Content-Length: ";
      h += std::to_string(res.body_size());
      h += "\r\n";
    }
    if (!keep_alive) h += "Connection: close\r\n";
    else if (version == 10) h += "Connection: keep-alive\r\n";
    h += "\r\n";
    std::array<asio::const_buffer, 2> buffers{asio::buffer(h), asio::buffer(body.data(), body.size())};
    std::tie(ec, std::ignore) = co_await asio::async_write(stream, buffers, asio::as_tuple(use_awaitable));
    co_return !ec && keep_alive;
  }

  // The Date header's value, formatted once a second per thread.
  static const std::string& http_date() {
    thread_local std::time_t last = 0;
    thread_local std::string text;
    std::time_t now = std::time(nullptr);
    if (now != last) {
      last = now;
      std::tm tm{};
      gmtime_r(&now, &tm);
      char buf[64];
      std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
      text = buf;
    }
    return text;
  }

  awaitable<void> session(Loop& loop, tcp::socket socket) {
    ++open_connections;
    std::string remote;
    {
      beast::error_code ec;
      auto ep = socket.remote_endpoint(ec);
      if (!ec) remote = ep.address().to_string();
    }
    beast::tcp_stream stream(std::move(socket));
    auto entry = loop.sessions.insert(loop.sessions.end(), Session{&stream, false});
    beast::flat_buffer buffer;
    buffer.max_size(config.max_header_bytes + config.max_body_bytes + kFirstRead);

    while (!stopping) {
      // Idle: wait for the first bytes of the next request.
      entry->busy = false;
      if (buffer.size() == 0) {
        stream.expires_after(config.idle_timeout);
        auto [ec, n] = co_await stream.async_read_some(buffer.prepare(kFirstRead), asio::as_tuple(use_awaitable));
        if (ec) break;  // closed, idle too long, or shut down
        buffer.commit(n);
      }
      entry->busy = true;

      // Reading: the whole request must arrive within request_timeout.
      http::request_parser<http::string_body> parser;
      parser.header_limit(static_cast<std::uint32_t>(config.max_header_bytes));
      parser.body_limit(config.max_body_bytes);
      stream.expires_after(config.request_timeout);
      auto [hec, hn] = co_await http::async_read_header(stream, buffer, parser, asio::as_tuple(use_awaitable));
      beast::error_code ec = hec;
      if (!ec) {
        auto& h = parser.get();
        if (beast::iequals(h[http::field::expect], "100-continue") && !parser.is_done()) {
          static constexpr std::string_view cont = "HTTP/1.1 100 Continue\r\n\r\n";
          std::tie(ec, std::ignore) = co_await asio::async_write(stream, asio::buffer(cont), asio::as_tuple(use_awaitable));
        }
        if (!ec && !parser.is_done())
          std::tie(ec, std::ignore) = co_await http::async_read(stream, buffer, parser, asio::as_tuple(use_awaitable));
      }
      if (ec) {
        if (is_disconnect(ec)) break;
        // A malformed or oversized request: answer it, then close (the stream may be mid-message).
        web::Request partial;
        partial.remote_address = remote;
        if (parser.is_header_done()) {
          partial.method = std::string(parser.get().method_string());
          partial.target = std::string(parser.get().target());
        }
        web::Response res = app.refuse(partial, status_for_read_error(ec));
        co_await write(stream, res, false, 11, false);
        break;
      }

      auto msg = parser.release();
      const bool head = msg.method() == http::verb::head;
      const unsigned version = msg.version();
      const bool keep_alive = msg.keep_alive();
      web::Request req = to_request(std::move(msg), remote);
      web::Prepared prepared = app.begin(req);
      web::Response res;
      if (!prepared.early && prepared.execution == web::Execution::blocking) {
        res = co_await asio::co_spawn(
            workers, [&]() -> awaitable<web::Response> { co_return app.run(prepared, req); }, use_awaitable);
      } else {
        res = app.run(prepared, req);
      }
      app.finish(req, prepared, res);
      if (!co_await write(stream, res, head, version, keep_alive)) break;
    }

    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream.close();
    loop.sessions.erase(entry);
    --open_connections;
  }

  // Runs on each loop: closes the connections that are waiting for a request. Busy ones finish
  // their response and then close, because `stopping` is set.
  static void close_idle(Loop& loop) {
    for (auto& s : loop.sessions)
      if (!s.busy) s.stream->cancel();
  }

  void begin_shutdown() {
    if (stopping.exchange(true)) return;
    log_info("shutting down", {{"open_connections", open_connections.load()}});
    asio::post(loops[0]->ioc, [this] {
      beast::error_code ec;
      if (acceptor) acceptor->close(ec);
    });
    for (auto& l : loops) asio::post(l->ioc, [loop = l.get()] { close_idle(*loop); });
    asio::co_spawn(loops[0]->ioc, drain(), asio::detached);
  }

  awaitable<void> drain() {
    auto deadline = std::chrono::steady_clock::now() + config.shutdown_grace;
    asio::steady_timer timer(co_await asio::this_coro::executor);
    while (open_connections > 0 && std::chrono::steady_clock::now() < deadline) {
      // Connections that became idle since the last pass are closed too.
      for (auto& l : loops) asio::post(l->ioc, [loop = l.get()] { close_idle(*loop); });
      timer.expires_after(std::chrono::milliseconds(20));
      co_await timer.async_wait(asio::as_tuple(use_awaitable));
    }
    if (open_connections > 0) log_warn("shutdown grace ended with requests in flight", {{"open_connections", open_connections.load()}});
    for (auto& l : loops) l->ioc.stop();
  }

  awaitable<void> flush_logs_every_second() {
    asio::steady_timer timer(co_await asio::this_coro::executor);
    while (!stopping) {
      timer.expires_after(std::chrono::seconds(1));
      co_await timer.async_wait(asio::as_tuple(use_awaitable));
      flush_log();
    }
  }
};

HttpServer::HttpServer(web::App& app, const Config& config) : impl_(std::make_unique<Impl>(app, config)) {
  impl_->app.metrics().add_gauge("hocvu_http_connections_open", "HTTP connections open now.",
                                 [impl = impl_.get()] { return double(impl->open_connections.load()); });
  impl_->app.metrics().add_gauge("hocvu_http_connections_accepted_total", "HTTP connections accepted since start.",
                                 [impl = impl_.get()] { return double(impl->accepted_total.load()); }, "counter");
}

HttpServer::~HttpServer() = default;

Result<std::string> HttpServer::listen() {
  beast::error_code ec;
  auto address = asio::ip::make_address(impl_->config.listen_host, ec);
  if (ec) return Error(ErrorCode::invalid_argument, "HOCVU_LISTEN: '" + impl_->config.listen_host + "' is not an IP address");
  tcp::endpoint endpoint(address, impl_->config.listen_port);
  auto acceptor = std::make_unique<tcp::acceptor>(impl_->loops[0]->ioc);
  acceptor->open(endpoint.protocol(), ec);
  if (!ec) acceptor->set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor->bind(endpoint, ec);
  if (!ec) acceptor->listen(asio::socket_base::max_listen_connections, ec);
  if (ec)
    return Error(ErrorCode::unavailable, "cannot listen on " + impl_->config.listen_host + ":" +
                                             std::to_string(impl_->config.listen_port) + ": " + ec.message());
  auto bound = acceptor->local_endpoint();
  impl_->acceptor = std::move(acceptor);
  std::string host = bound.address().is_v6() ? "[" + bound.address().to_string() + "]" : bound.address().to_string();
  return host + ":" + std::to_string(bound.port());
}

void HttpServer::run() {
  Impl& s = *impl_;
  asio::signal_set signals(s.loops[0]->ioc, SIGINT, SIGTERM);
  signals.async_wait([&s](const beast::error_code& ec, int) { if (!ec) s.begin_shutdown(); });
  asio::co_spawn(s.loops[0]->ioc, s.accept_loop(), asio::detached);
  asio::co_spawn(s.loops[0]->ioc, s.flush_logs_every_second(), asio::detached);

  std::vector<std::thread> threads;
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> guards;
  for (auto& l : s.loops) guards.push_back(asio::make_work_guard(l->ioc));
  for (std::size_t i = 1; i < s.loops.size(); ++i) threads.emplace_back([&s, i] { s.loops[i]->ioc.run(); });
  s.loops[0]->ioc.run();
  for (auto& t : threads) t.join();
  signals.cancel();
  s.workers.join();
  log_info("stopped");
  flush_log();
}

void HttpServer::stop() { asio::post(impl_->loops[0]->ioc, [impl = impl_.get()] { impl->begin_shutdown(); }); }

}  // namespace hocvu::server
