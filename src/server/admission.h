// A bounded number of places for work (the hashing pool's running and waiting requests), each held
// by a Slot that gives its place back when it is destroyed: when the work completes, when anything
// after admission throws, and when the work is dropped before it ever ran (its frame destroyed).
// Counting by hand leaked a place on each of those paths, and once every place had leaked each
// hashing route answered 503 for good.
#pragma once

#include <atomic>
#include <optional>
#include <utility>

namespace hocvu::server {

class Slot {
 public:
  Slot() = default;
  // Takes a place in `count` unconditionally (the running count, which admission already bounds).
  explicit Slot(std::atomic<unsigned>& count) : count_(&count) { ++count; }
  Slot(Slot&& other) noexcept : count_(std::exchange(other.count_, nullptr)) {}
  Slot& operator=(Slot&& other) noexcept {
    if (this != &other) {
      release();
      count_ = std::exchange(other.count_, nullptr);
    }
    return *this;
  }
  Slot(const Slot&) = delete;
  Slot& operator=(const Slot&) = delete;
  ~Slot() { release(); }

  // A place in `count` when fewer than `limit` are taken; nullopt otherwise.
  static std::optional<Slot> admit(std::atomic<unsigned>& count, unsigned limit) {
    unsigned n = count.load();
    do {
      if (n >= limit) return std::nullopt;
    } while (!count.compare_exchange_weak(n, n + 1));
    Slot s;
    s.count_ = &count;
    return s;
  }

 private:
  void release() {
    if (count_) --*count_;
    count_ = nullptr;
  }
  std::atomic<unsigned>* count_ = nullptr;
};

}  // namespace hocvu::server
