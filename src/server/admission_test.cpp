#include "server/admission.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace hocvu::server {
namespace {

TEST(Admission, AdmitsUpToTheLimit) {
  std::atomic<unsigned> admitted{0};
  auto a = Slot::admit(admitted, 2);
  auto b = Slot::admit(admitted, 2);
  ASSERT_TRUE(a && b);
  EXPECT_FALSE(Slot::admit(admitted, 2));
  EXPECT_EQ(admitted.load(), 2u);
  a.reset();
  EXPECT_EQ(admitted.load(), 1u);
  EXPECT_TRUE(Slot::admit(admitted, 2));  // taken and given back at once
  EXPECT_EQ(admitted.load(), 1u);
}

// Whatever ends the work, its place is given back: it completes, it throws after admission, or it
// is dropped without running (the pool stops while it waits).
TEST(Admission, EveryWayTheWorkEndsGivesThePlaceBack) {
  std::atomic<unsigned> admitted{0}, running{0};
  auto work = [&](bool fail) {
    auto slot = Slot::admit(admitted, 1);
    if (!slot) throw std::logic_error("not admitted");
    return [&, fail, held = std::move(*slot)]() mutable {
      Slot admitted_here = std::move(held);
      Slot run(running);
      if (fail) throw std::runtime_error("handler threw");
    };
  };
  work(false)();
  EXPECT_EQ(admitted.load(), 0u);
  EXPECT_EQ(running.load(), 0u);
  auto failing = work(true);
  EXPECT_THROW(failing(), std::runtime_error);
  EXPECT_EQ(admitted.load(), 0u);
  EXPECT_EQ(running.load(), 0u);
  {
    auto dropped = work(false);  // never called
    EXPECT_EQ(admitted.load(), 1u);
  }
  EXPECT_EQ(admitted.load(), 0u);
  for (int i = 0; i < 100; ++i) {
    auto again = work(true);
    EXPECT_THROW(again(), std::runtime_error);
  }
  EXPECT_TRUE(Slot::admit(admitted, 1)) << "a place leaked";
}

}  // namespace
}  // namespace hocvu::server
