#include "server/http_server.h"

#include "core/log.h"
#include "core/thread_role.h"
#include "server/admission.h"
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

#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cstdlib>
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

// Reading the first bytes of a request allocates this much buffer.
constexpr std::size_t kFirstRead = 2048;
// A connection's read buffer grows to the largest request it carried; between requests it is
// shrunk back when it grew past this, so an idle connection stays small.
constexpr std::size_t kKeepBuffer = 16 * 1024;
// Files are streamed in chunks of this size, each read on the worker pool.
constexpr std::size_t kFileChunk = 64 * 1024;
// File descriptors kept back from the connection limit for the database, files and logs.
constexpr rlim_t kReservedDescriptors = 256;
// What a request refused because the hashing queue is full is told to wait before trying again.
constexpr std::chrono::seconds kBusyRetryAfter{5};

unsigned hashing_threads(const Config& c) {
  return c.hashing_threads ? c.hashing_threads : std::max(2u, std::thread::hardware_concurrency());
}

int status_for_read_error(const beast::error_code& ec) {
  if (ec == http::error::header_limit) return 431;
  if (ec == http::error::body_limit) return 413;
  // On a timeout tcp_stream has already closed the socket, so this answer is rarely delivered.
  if (ec == beast::error::timeout) return 408;
  return 400;
}

bool is_disconnect(const beast::error_code& ec) {
  return ec == http::error::end_of_stream || ec == asio::error::eof || ec == asio::error::connection_reset ||
         ec == asio::error::broken_pipe || ec == asio::error::operation_aborted || ec == asio::error::bad_descriptor ||
         ec == beast::error::timeout;
}

// False for a header name or value that could split the response (CR, LF; ':' or ' ' in a name).
// A plain loop: find_first_of with a character set calls memchr once per character of the value.
bool header_safe(std::string_view s, bool name) {
  for (char c : s)
    if (c == '\r' || c == '\n' || (name && (c == ':' || c == ' '))) return false;
  return true;
}

// The Date header's value, formatted once a second per thread.
const std::string& http_date() {
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

// The status line and headers of `res`, written by hand: Beast's header container allocates per
// field, which was the largest cost of serving small cached files.
std::string serialize_head(const web::Response& res, unsigned version, bool keep_alive, bool no_body) {
  std::string h;
  h.reserve(512);
  h += version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
  h += std::to_string(res.status);
  h += ' ';
  h += web::reason_phrase(res.status);
  h += "\r\n";
  for (auto& [k, v] : res.headers) {
    if (!header_safe(k, true) || !header_safe(v, false)) continue;  // never split a response
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
  return h;
}

struct FileDescriptor {
  int fd = -1;
  ~FileDescriptor() { if (fd >= 0) ::close(fd); }
};

}  // namespace

struct HttpServer::Impl {
  // A connection's entry in its loop's registry, so that shutdown can close the idle ones.
  struct Session {
    beast::tcp_stream* stream = nullptr;
    bool busy = false;  // between the first byte of a request and the end of its response
  };
  struct Loop {
    std::list<Session> sessions;  // touched only from this loop's thread; outlives ioc, whose
    asio::io_context ioc{1};      // pending connections erase themselves from it when destroyed
  };

  // Registers a connection for its lifetime, whatever way its coroutine ends (exceptions too).
  struct Registration {
    Impl& impl;
    Loop& loop;
    std::list<Session>::iterator entry;
    Registration(Impl& i, Loop& l, beast::tcp_stream& stream)
        : impl(i), loop(l), entry(l.sessions.insert(l.sessions.end(), Session{&stream, false})) {}
    ~Registration() {
      loop.sessions.erase(entry);
      --impl.open_connections;
    }
  };

  web::App& app;
  Config config;
  asio::thread_pool workers;  // blocking handlers (the database) and file reads: HOCVU_DB_POOL_SIZE
  // Handlers that hash or verify passwords (Execution::hashing), so that a burst of sign-ins never
  // occupies the workers. At most hashing_size run and hashing_queue wait; the next gets 503.
  asio::thread_pool hashing;
  unsigned hashing_size = 0;
  std::atomic<unsigned> hashing_admitted{0};  // running or waiting
  std::atomic<unsigned> hashing_running{0};
  std::atomic<std::uint64_t> hashing_refused_total{0};
  std::unique_ptr<tcp::acceptor> acceptor;
  std::atomic<bool> stopping{false};
  std::atomic<bool> forced{false};  // the grace period ended with requests still running
  std::atomic<long> open_connections{0};
  std::atomic<std::uint64_t> accepted_total{0};
  std::atomic<std::uint64_t> refused_total{0};
  std::size_t next_loop = 0;
  long max_connections = 0;
  std::vector<std::unique_ptr<Loop>> loops;  // last: destroyed first, while the counters exist

  Impl(web::App& a, const Config& c)
      : app(a), config(c), workers(c.db_pool_size), hashing(hashing_threads(c)), hashing_size(hashing_threads(c)) {
    for (unsigned i = 0; i < std::max(1u, c.threads); ++i) loops.push_back(std::make_unique<Loop>());
    max_connections = static_cast<long>(c.max_connections ? c.max_connections : connection_limit_from_rlimit());
  }

  // Raises the open-files limit to what the system allows (Debian's default soft limit, 1024,
  // would cap a server meant for thousands of connections) and derives the connection limit.
  static rlim_t connection_limit_from_rlimit() {
    rlimit rl{};
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0) return 1000;
    if (rl.rlim_cur < rl.rlim_max) {
      rl.rlim_cur = rl.rlim_max;
      setrlimit(RLIMIT_NOFILE, &rl);
      getrlimit(RLIMIT_NOFILE, &rl);
    }
    return rl.rlim_cur > 2 * kReservedDescriptors ? rl.rlim_cur - kReservedDescriptors : rl.rlim_cur / 2;
  }

  awaitable<void> accept_loop() {
    auto last_warning = std::chrono::steady_clock::time_point{};
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
      if (open_connections >= max_connections) {
        // Full: close at once rather than let the process run out of descriptors.
        ++refused_total;
        if (std::chrono::steady_clock::now() - last_warning > std::chrono::seconds(1)) {
          last_warning = std::chrono::steady_clock::now();
          log_warn("connection limit reached", {{"max_connections", max_connections}});
        }
        continue;  // the socket closes as it goes out of scope
      }
      ++accepted_total;
      ++open_connections;
      socket.set_option(tcp::no_delay(true), ec);
      asio::co_spawn(loop.ioc, session(loop, std::move(socket)), [](std::exception_ptr e) {
        if (!e) return;
        try {
          std::rethrow_exception(e);
        } catch (const std::exception& ex) {
          log_error("connection failed", {{"error", ex.what()}});
        } catch (...) {
          log_error("connection failed");
        }
      });
    }
  }

  static web::Request request_from_header(const http::request_parser<http::string_body>& parser, const std::string& remote) {
    const auto& msg = parser.get();
    web::Request r;
    r.method = std::string(msg.method_string());
    r.target = std::string(msg.target());
    r.headers.reserve(16);
    for (const auto& f : msg) r.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
    r.remote_address = remote;
    return r;
  }

  // Writes `res`; returns false when the connection must close afterwards. Every write of a chunk
  // starts a fresh request_timeout, so a slow but steady client gets a large file in the end.
  awaitable<bool> write(beast::tcp_stream& stream, web::Response& res, bool head, unsigned version, bool keep_alive) {
    keep_alive = keep_alive && !res.close_connection && !stopping;
    const bool no_body = res.status == 204 || res.status == 304 || (res.status >= 100 && res.status < 200);
    beast::error_code ec;
    if (res.file && !head && !no_body) {
      FileDescriptor file;
      // The lambdas handed to co_spawn capture only pointers and scalars: GCC 12 destroys a
      // temporary lambda with a std::string capture twice inside a co_await expression.
      const char* path = res.file->path.c_str();
      file.fd = co_await asio::co_spawn(
          workers, [path]() -> awaitable<int> { co_return ::open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW); },
          use_awaitable);
      if (file.fd < 0) {
        res = web::Response::text(404, "Not found\n");
        res.close_connection = true;
        co_return co_await write(stream, res, head, version, false);
      }
      std::string h = serialize_head(res, version, keep_alive, false);
      stream.expires_after(config.request_timeout);
      std::tie(ec, std::ignore) = co_await asio::async_write(stream, asio::buffer(h), asio::as_tuple(use_awaitable));
      std::vector<char> chunk(static_cast<std::size_t>(std::min<std::uint64_t>(kFileChunk, res.file->length)));
      std::uint64_t offset = res.file->offset, remaining = res.file->length;
      while (!ec && remaining > 0) {
        std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(chunk.size(), remaining));
        int fd = file.fd;
        ssize_t n = co_await asio::co_spawn(
            workers,
            [fd, &chunk, want, offset]() -> awaitable<ssize_t> {
              co_return ::pread(fd, chunk.data(), want, static_cast<off_t>(offset));
            },
            use_awaitable);
        if (n <= 0) co_return false;  // the file shrank or failed mid-body: the length is promised, so close
        stream.expires_after(config.request_timeout);
        std::tie(ec, std::ignore) = co_await asio::async_write(stream, asio::buffer(chunk.data(), static_cast<std::size_t>(n)),
                                                               asio::as_tuple(use_awaitable));
        offset += static_cast<std::uint64_t>(n);
        remaining -= static_cast<std::uint64_t>(n);
      }
      co_return !ec && keep_alive;
    }
    std::string_view body = head || no_body ? std::string_view{} : res.body_view();
    std::string h = serialize_head(res, version, keep_alive, no_body);
    std::array<asio::const_buffer, 2> buffers{asio::buffer(h), asio::buffer(body.data(), body.size())};
    stream.expires_after(config.request_timeout);
    std::tie(ec, std::ignore) = co_await asio::async_write(stream, buffers, asio::as_tuple(use_awaitable));
    co_return !ec && keep_alive;
  }

  // After refusing a request whose body was not read: stop sending, then read and discard what
  // the client still sends for a moment, so that the kernel does not answer its bytes with a
  // reset that would destroy our response before the client reads it.
  static awaitable<void> linger(beast::tcp_stream& stream) {
    beast::error_code ec;
    stream.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream.expires_after(std::chrono::seconds(2));
    std::array<char, 4096> sink;
    std::size_t total = 0;
    while (total < 256 * 1024) {
      auto [rec, n] = co_await stream.async_read_some(asio::buffer(sink), asio::as_tuple(use_awaitable));
      if (rec) break;
      total += n;
    }
  }

  awaitable<void> session(Loop& loop, tcp::socket socket) {
    std::string remote;
    {
      beast::error_code ec;
      auto ep = socket.remote_endpoint(ec);
      if (!ec) remote = ep.address().to_string();
    }
    beast::tcp_stream stream(std::move(socket));
    Registration registration(*this, loop, stream);  // declared after the stream: erased before it
    Session& self = *registration.entry;
    beast::flat_buffer buffer;
    buffer.max_size(config.max_header_bytes + config.max_body_bytes + kFirstRead);
    bool first = true;

    while (!stopping) {
      self.busy = false;
      if (buffer.size() == 0) {
        if (buffer.capacity() > kKeepBuffer) buffer.shrink_to_fit();
        // A new connection must start its request soon; a kept-alive one may wait longer.
        stream.expires_after(first ? config.request_timeout : config.idle_timeout);
        auto [ec, n] = co_await stream.async_read_some(buffer.prepare(kFirstRead), asio::as_tuple(use_awaitable));
        if (ec) break;  // closed, idle too long, or shut down
        buffer.commit(n);
      }
      first = false;
      self.busy = true;

      // Reading: the whole request must arrive within request_timeout.
      http::request_parser<http::string_body> parser;
      parser.header_limit(static_cast<std::uint32_t>(config.max_header_bytes));
      // No body limit while the head is read: the route decides it (below), after the caller
      // has been admitted, so an upload nobody may send gets 401/403/404 rather than 413.
      parser.body_limit(boost::none);
      stream.expires_after(config.request_timeout);
      auto [hec, hn] = co_await http::async_read_header(stream, buffer, parser, asio::as_tuple(use_awaitable));
      if (hec) {
        if (!is_disconnect(hec)) co_await refuse(stream, parser, remote, status_for_read_error(hec));
        break;
      }

      // Route on the header: a request that is refused anyway (400, 404, 405) is answered without
      // reading, or inviting, its body.
      web::Request req = request_from_header(parser, remote);
      const unsigned version = parser.get().version();
      const bool head = parser.get().method() == http::verb::head;
      const bool keep_alive = parser.get().keep_alive();
      web::Prepared prepared = app.begin(req);
      if (prepared.early) {
        const bool body_pending = !parser.is_done();
        web::Response res = app.run(prepared, req);
        app.finish(req, prepared, res);
        bool again = co_await write(stream, res, head, version, keep_alive && !body_pending);
        if (body_pending) co_await linger(stream);
        if (!again) break;
        continue;
      }

      // Uploads: the caller is identified and the route's gate asked before any body byte is
      // read; a refusal is answered at once and the connection closed without reading the body.
      if (prepared.route && prepared.route->gate) {
        auto refused = co_await asio::co_spawn(
            workers, [&]() -> awaitable<std::optional<web::Response>> { co_return app.admit(prepared, req); }, use_awaitable);
        if (refused) {
          app.finish(req, prepared, *refused);
          co_await write(stream, *refused, head, version, false);
          if (!parser.is_done()) co_await linger(stream);
          break;
        }
      }
      // Upload routes read larger bodies than the server-wide limit. A declared length over the
      // limit is refused before reading; a chunked body is cut off when it passes it.
      const std::uint64_t limit = std::max<std::uint64_t>(prepared.max_body, config.max_body_bytes);
      if (auto declared = parser.content_length(); declared && *declared > limit) {
        web::Response res = app.refuse(req, 413);
        co_await write(stream, res, head, version, false);
        co_await linger(stream);
        break;
      }
      parser.body_limit(limit);

      if (!parser.is_done()) {
        auto expect = parser.get()[http::field::expect];
        if (!expect.empty()) {
          if (!beast::iequals(expect, "100-continue")) {
            web::Response res = app.refuse(req, 417);
            co_await write(stream, res, head, version, false);
            co_await linger(stream);
            break;
          }
          if (version >= 11) {
            static constexpr std::string_view cont = "HTTP/1.1 100 Continue\r\n\r\n";
            auto [cec, cn] = co_await asio::async_write(stream, asio::buffer(cont), asio::as_tuple(use_awaitable));
            if (cec) break;
          }
        }
        auto [bec, bn] = co_await http::async_read(stream, buffer, parser, asio::as_tuple(use_awaitable));
        if (bec) {
          if (!is_disconnect(bec)) {
            web::Response res = app.refuse(req, status_for_read_error(bec));
            co_await write(stream, res, head, version, false);
            co_await linger(stream);
          }
          break;
        }
      }
      req.body = std::move(parser.get().body());

      web::Response res;
      if (prepared.execution == web::Execution::blocking) {
        res = co_await asio::co_spawn(
            workers,
            [&]() -> awaitable<web::Response> {
              ThreadRoleScope role(ThreadRole::database_worker);
              co_return app.run(prepared, req);
            },
            use_awaitable);
      } else if (prepared.execution == web::Execution::hashing) {
        // The places are Slots (server/admission.h): given back when this block ends, however the
        // work ends (answered, thrown, or this frame destroyed while it waits). Kept here rather than
        // moved into the coroutine lambda's captures: built with GCC 12, a Slot moved there was given
        // back twice (hocvu_hashing_waiting wrapped below zero).
        if (auto admitted = Slot::admit(hashing_admitted, hashing_size + config.hashing_queue); !admitted) {
          ++hashing_refused_total;
          res = app.busy(req, kBusyRetryAfter);
        } else {
          res = co_await asio::co_spawn(
              hashing,
              [&]() -> awaitable<web::Response> {
                ThreadRoleScope role(ThreadRole::hashing);
                Slot running(hashing_running);
                co_return app.run(prepared, req);  // errors become 500
              },
              use_awaitable);
        }
      } else {
        ThreadRoleScope role(ThreadRole::io);
        res = app.run(prepared, req);
      }
      app.finish(req, prepared, res);
      if (res.delay.count() > 0) {
        asio::steady_timer hold(stream.get_executor(), res.delay);
        co_await hold.async_wait(asio::as_tuple(use_awaitable));
      }
      if (!co_await write(stream, res, head, version, keep_alive)) break;
    }

    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream.close();
  }

  // Answers a request that could not be read whole (malformed, too large), then closes.
  awaitable<void> refuse(beast::tcp_stream& stream, const http::request_parser<http::string_body>& parser,
                         const std::string& remote, int status) {
    web::Request partial;
    partial.remote_address = remote;
    unsigned version = 11;
    bool head = false;
    if (parser.is_header_done()) {
      partial = request_from_header(parser, remote);
      version = parser.get().version();
      head = parser.get().method() == http::verb::head;
    }
    web::Response res = app.refuse(partial, status);
    co_await write(stream, res, head, version, false);
    co_await linger(stream);
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
    if (open_connections > 0) {
      forced = true;
      log_warn("shutdown grace ended with requests in flight", {{"open_connections", open_connections.load()}});
    }
    for (auto& l : loops) l->ioc.stop();
  }

  void watch_signals(asio::signal_set& signals) {
    signals.async_wait([this, &signals](const beast::error_code& ec, int signal) {
      if (ec) return;
      if (stopping) {
        // A second signal: the operator does not want to wait.
        log_warn("second signal: exiting now", {{"signal", signal}});
        flush_log();
        std::_Exit(128 + signal);
      }
      begin_shutdown();
      watch_signals(signals);
    });
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
  auto& m = impl_->app.metrics();
  Impl* impl = impl_.get();
  m.add_gauge("hocvu_http_connections_open", "HTTP connections open now.", [impl] { return double(impl->open_connections.load()); });
  m.add_gauge("hocvu_http_connections_accepted_total", "HTTP connections accepted since start.",
              [impl] { return double(impl->accepted_total.load()); }, "counter");
  m.add_gauge("hocvu_http_connections_refused_total", "Connections closed at once because the limit was reached.",
              [impl] { return double(impl->refused_total.load()); }, "counter");
  m.add_gauge("hocvu_http_connections_max", "The connection limit.", [impl] { return double(impl->max_connections); });
  m.add_gauge("hocvu_hashing_threads", "Threads that hash and verify passwords (HOCVU_HASHING_THREADS).",
              [impl] { return double(impl->hashing_size); });
  m.add_gauge("hocvu_hashing_running", "Password requests running on the hashing pool now.",
              [impl] { return double(impl->hashing_running.load()); });
  m.add_gauge("hocvu_hashing_waiting", "Password requests waiting for the hashing pool now (at most HOCVU_HASHING_QUEUE).",
              [impl] {
                double admitted = impl->hashing_admitted.load(), running = impl->hashing_running.load();
                return admitted > running ? admitted - running : 0.0;
              });
  m.add_gauge("hocvu_hashing_refused_total", "Password requests answered 503 because the hashing queue was full.",
              [impl] { return double(impl->hashing_refused_total.load()); }, "counter");
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
  s.watch_signals(signals);
  asio::co_spawn(s.loops[0]->ioc, s.accept_loop(), asio::detached);
  asio::co_spawn(s.loops[0]->ioc, s.flush_logs_every_second(), asio::detached);

  std::vector<std::thread> threads;
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> guards;
  for (auto& l : s.loops) guards.push_back(asio::make_work_guard(l->ioc));
  for (std::size_t i = 1; i < s.loops.size(); ++i) threads.emplace_back([&s, i] { s.loops[i]->ioc.run(); });
  s.loops[0]->ioc.run();
  for (auto& t : threads) t.join();
  if (s.forced) {
    // Handlers still running may be stuck (a database that does not answer): do not wait for
    // them, as the grace period promised.
    log_warn("stopped with requests in flight");
    flush_log();
    std::_Exit(1);
  }
  signals.cancel();
  s.workers.join();
  s.hashing.join();
  log_info("stopped", {{"max_connections", s.max_connections}});
  flush_log();
}

void HttpServer::stop() { asio::post(impl_->loops[0]->ioc, [impl = impl_.get()] { impl->begin_shutdown(); }); }

}  // namespace hocvu::server
