// A bounded map for values that never change once loaded (published course versions, question
// versions, drawn attempts): at most `capacity` entries, the least recently used one evicted
// first. Safe for concurrent use by many threads; each call holds one mutex for a map look-up and a
// list splice, never while a value is loaded (the caller loads outside, then puts).
#pragma once

#include <cstddef>
#include <list>
#include <map>
#include <mutex>
#include <optional>
#include <utility>

namespace hocvu {

template <class Key, class Value, class Compare = std::less<>>
class LruCache {
 public:
  // capacity 0 keeps nothing (every get misses).
  explicit LruCache(std::size_t capacity) : capacity_(capacity) {}

  // The value under `key`, now the most recently used; nullopt when absent.
  template <class K>
  std::optional<Value> get(const K& key) {
    std::lock_guard lock(mutex_);
    auto it = index_.find(key);
    if (it == index_.end()) return std::nullopt;
    order_.splice(order_.begin(), order_, it->second);
    return it->second->second;
  }

  // Keeps `value` under `key` unless a value is there already (values never change, so the first
  // one loaded wins); returns the value kept. Evicts the least recently used entries beyond the
  // capacity.
  Value put(const Key& key, Value value) {
    std::lock_guard lock(mutex_);
    auto it = index_.find(key);
    if (it != index_.end()) {
      order_.splice(order_.begin(), order_, it->second);
      return it->second->second;
    }
    if (capacity_ == 0) return value;
    order_.emplace_front(key, std::move(value));
    index_.emplace(key, order_.begin());
    while (index_.size() > capacity_) {
      index_.erase(order_.back().first);
      order_.pop_back();
    }
    return order_.front().second;
  }

  // Replaces (or adds) the value under `key`: for entries that may be superseded (a bank's pool).
  void assign(const Key& key, Value value) {
    std::lock_guard lock(mutex_);
    auto it = index_.find(key);
    if (it != index_.end()) {
      it->second->second = std::move(value);
      order_.splice(order_.begin(), order_, it->second);
      return;
    }
    if (capacity_ == 0) return;
    order_.emplace_front(key, std::move(value));
    index_.emplace(key, order_.begin());
    while (index_.size() > capacity_) {
      index_.erase(order_.back().first);
      order_.pop_back();
    }
  }

  std::size_t size() const {
    std::lock_guard lock(mutex_);
    return index_.size();
  }
  std::size_t capacity() const { return capacity_; }

 private:
  using Entry = std::pair<Key, Value>;
  const std::size_t capacity_;
  mutable std::mutex mutex_;
  std::list<Entry> order_;  // most recently used first
  std::map<Key, typename std::list<Entry>::iterator, Compare> index_;
};

}  // namespace hocvu
