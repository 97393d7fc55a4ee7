#include "core/lru_cache.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace hocvu {
namespace {

TEST(LruCache, EvictsTheLeastRecentlyUsedBeyondItsCapacity) {
  LruCache<int, std::string> cache(3);
  cache.put(1, "một");
  cache.put(2, "hai");
  cache.put(3, "ba");
  EXPECT_EQ(cache.get(1), "một");  // 1 is now the most recent; 2 the least
  cache.put(4, "bốn");
  EXPECT_EQ(cache.size(), 3u);
  EXPECT_EQ(cache.get(2), std::nullopt);
  EXPECT_EQ(cache.get(1), "một");
  EXPECT_EQ(cache.get(3), "ba");
  EXPECT_EQ(cache.get(4), "bốn");
  cache.put(5, "năm");  // 1 was used before 3 and 4: it goes
  EXPECT_EQ(cache.get(1), std::nullopt);
  EXPECT_EQ(cache.size(), 3u);
}

TEST(LruCache, TheFirstValueLoadedWinsAndAssignReplaces) {
  LruCache<int, std::string> cache(2);
  EXPECT_EQ(cache.put(1, "a"), "a");
  EXPECT_EQ(cache.put(1, "b"), "a");  // two threads loaded the same immutable value: one kept
  cache.assign(1, "c");
  EXPECT_EQ(cache.get(1), "c");
  EXPECT_EQ(cache.size(), 1u);
}

TEST(LruCache, CapacityZeroKeepsNothing) {
  LruCache<int, int> cache(0);
  EXPECT_EQ(cache.put(1, 7), 7);
  EXPECT_EQ(cache.get(1), std::nullopt);
  EXPECT_EQ(cache.size(), 0u);
}

TEST(LruCache, ManyThreadsNeverExceedTheBound) {
  LruCache<int, int> cache(50);
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&cache, t] {
      for (int i = 0; i < 5000; ++i) {
        const int key = (i * 7 + t) % 300;
        if (auto v = cache.get(key)) EXPECT_EQ(*v, key * 2);
        else cache.put(key, key * 2);
      }
    });
  for (auto& th : threads) th.join();
  EXPECT_LE(cache.size(), 50u);
}

}  // namespace
}  // namespace hocvu
