// A blocking pool of database connections shared by both adapters. Connections are opened lazily
// up to `size`; a thread that finds none free waits. A connection that reports itself broken is
// dropped on release and a new one opened on a later acquire.
#pragma once

#include "core/status.h"
#include "storage/database.h"

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

namespace hocvu::storage {

template <typename Conn>
class Pool {
 public:
  // How long acquire() waits for a free connection before giving up with `unavailable`.
  static constexpr std::chrono::seconds kAcquireTimeout{10};

  using Factory = std::function<Result<std::unique_ptr<Conn>>()>;
  Pool(unsigned size, Factory factory) : size_(size), factory_(std::move(factory)) { stats_.size = size; }

  class Lease {
   public:
    Lease(Pool* pool, std::unique_ptr<Conn> conn) : pool_(pool), conn_(std::move(conn)) {}
    Lease(Lease&& o) noexcept : pool_(o.pool_), conn_(std::move(o.conn_)) {}
    Lease& operator=(Lease&&) = delete;  // assigning over a held lease would lose its connection
    ~Lease() { if (pool_ && conn_) pool_->release(std::move(conn_)); }
    Conn& operator*() { return *conn_; }
    Conn* operator->() { return conn_.get(); }
   private:
    Pool* pool_;
    std::unique_ptr<Conn> conn_;
  };

  Result<Lease> acquire() {
    std::unique_lock lock(mu_);
    ++stats_.acquired_total;
    if (idle_.empty() && stats_.open >= size_) {
      ++stats_.waited_total;
      ++stats_.waiting;
      bool got = cv_.wait_for(lock, kAcquireTimeout, [&] { return !idle_.empty() || stats_.open < size_; });
      --stats_.waiting;
      if (!got) return Error(ErrorCode::unavailable, "no database connection free within 10 s");
    }
    if (!idle_.empty()) {
      auto conn = std::move(idle_.back());
      idle_.pop_back();
      ++stats_.in_use;
      return Lease(this, std::move(conn));
    }
    ++stats_.open;  // reserve the slot, then open without holding the lock
    lock.unlock();
    auto made = factory_();
    lock.lock();
    if (!made) {
      --stats_.open;
      cv_.notify_one();
      return made.status();
    }
    ++stats_.in_use;
    return Lease(this, std::move(*made));
  }

  void count_error() { std::lock_guard lock(mu_); ++stats_.errors_total; }

  PoolStats stats() const { std::lock_guard lock(mu_); return stats_; }

 private:
  void release(std::unique_ptr<Conn> conn) {
    std::lock_guard lock(mu_);
    --stats_.in_use;
    if (conn->broken()) {
      --stats_.open;  // dropped; closes outside nothing else holds
    } else {
      idle_.push_back(std::move(conn));
    }
    cv_.notify_one();
  }

  const unsigned size_;
  Factory factory_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Conn>> idle_;
  PoolStats stats_;
};

}  // namespace hocvu::storage
